//! Exactly-once delivery of one scan's message, recorded in the scan's own email log under its
//! lock: a "sending" entry with the Message-ID is saved before the message goes out, and the
//! outcome (sent or failed) right after. Temporary failures are retried with growing pauses, a
//! broken pooled connection once at once, and every attempt is paced. The export hands a message's
//! "sending" entry and its "sent" entry to its [recorder](super::recorder), which saves them
//! beside the building of the messages; both are on disk before the next message goes out.
//!
//! ## An interrupted send
//! A batch killed after the server accepted a message but before its "sent" entry was saved
//! leaves the "sending" entry without an outcome. So does one killed before the server had it.
//! The two cannot be told apart afterwards (SMTP has no way to ask), so the next run does NOT
//! send that scan again: it reports it as *unconfirmed* (no duplicate, and never a silent gap).
//! Someone checks with the learner; `--resend` then sends it with the SAME Message-ID, so mail
//! systems that collapse duplicates by Message-ID see one message.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::Message;

pub use super::plan::{unfinished, waiting_in_outbox};
use crate::core::scan::{EmailLogEntry, EmailResult};
use crate::mail::MailError;
use crate::mail::error::Kind;
pub use crate::mail::smtp::{Delivered as Split, Outlet};

use crate::mail::pace::{Clock, Pacer, backoff};

/// Sends `message` to each of its envelope's recipients alone (see [`Split`]): after the server
/// refused it as a whole, a refusal at RCPT TO ended the transaction before any data, so nobody
/// got it yet and each accepted address now gets it once.
pub fn send_each(outlet: &mut dyn Outlet, message: &Message) -> Split {
    let mut split = Split::default();
    for to in message.envelope().to() {
        match outlet.send_to(message, to) {
            Ok(()) => split.accepted.push(to.to_string()),
            Err(e) => split.refused.push((to.to_string(), e.to_string())),
        }
    }
    split
}

/// How sends are retried and paced.
pub struct Sender<'a> {
    /// Where messages go.
    pub outlet: &'a mut dyn Outlet,
    /// The per-minute spacing.
    pub pacer: Pacer,
    /// Retries of a temporary failure.
    pub retries: u32,
    /// The first pause before a retry.
    pub retry_base: Duration,
    /// Time.
    pub clock: &'a dyn Clock,
    /// Messages in a row that ended in a temporary failure (the batch's circuit breaker).
    pub temporary_in_a_row: u32,
}

impl std::fmt::Debug for Sender<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("pacer", &self.pacer)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

impl Sender<'_> {
    /// Waits for the next send slot (the per-minute limit), unless `stop` says so first: then
    /// `false`, and no slot is taken.
    pub fn pace_unless(&mut self, stop: &dyn Fn() -> bool) -> bool {
        self.pacer.wait_unless(self.clock, stop)
    }

    /// One attempt, with one immediate retry if the connection broke (the pool opens a new
    /// one). The batch records each attempt's outcome before any pause (see `batch`).
    pub fn send_once(&mut self, message: &Message) -> Result<(), MailError> {
        match self.outlet.send(message) {
            Err(e) if e.kind() == Kind::Connection => self.outlet.send(message),
            other => other,
        }
    }

    /// Sends with pacing and retries: a temporary failure up to `retries` more times with
    /// doubling pauses; a broken connection once more at once (the pool opens a new one),
    /// then like a temporary failure. Returns the last failure if none got through.
    ///
    /// The first attempt is not paced here: call [`Sender::pace_unless`] before recording the send, so
    /// the pause falls before the "sending" entry, never between it and the send.
    pub fn send(&mut self, message: &Message) -> Result<u32, MailError> {
        let mut attempts = 0u32;
        let mut temporary = 0u32;
        let mut reconnected = false;
        loop {
            if attempts > 0 {
                self.pacer.wait(self.clock);
            }
            attempts += 1;
            match self.outlet.send(message) {
                Ok(()) => return Ok(attempts),
                Err(e) if e.kind() == Kind::Connection && !reconnected => reconnected = true,
                Err(e)
                    if matches!(e.kind(), Kind::Temporary | Kind::Connection)
                        && temporary < self.retries =>
                {
                    temporary += 1;
                    self.clock.sleep(backoff(temporary, self.retry_base));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// The log entry saved just before a message goes out.
pub fn sending_entry(to: &[String], message_id: &str, now: DateTime<Utc>) -> EmailLogEntry {
    EmailLogEntry {
        at: now,
        to: to.to_vec(),
        message_id: message_id.to_string(),
        result: EmailResult::Sending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An outlet answering from a script, and a clock that only records pauses.
    struct Script(Vec<Result<(), MailError>>, usize);

    impl Outlet for Script {
        fn send(&mut self, _message: &Message) -> Result<(), MailError> {
            self.1 += 1;
            if self.0.is_empty() {
                Ok(())
            } else {
                self.0.remove(0)
            }
        }
    }

    #[derive(Default)]
    struct Pauses(std::cell::RefCell<Vec<Duration>>);

    impl Clock for Pauses {
        fn now(&self) -> std::time::Instant {
            std::time::Instant::now()
        }
        fn sleep(&self, d: Duration) {
            self.0.borrow_mut().push(d);
        }
    }

    fn message() -> Message {
        Message::builder()
            .from("a@example.org".parse().expect("address"))
            .to("b@example.org".parse().expect("address"))
            .body(String::from("x"))
            .expect("message")
    }

    fn send(
        script: Vec<Result<(), MailError>>,
        retries: u32,
    ) -> (Result<u32, MailError>, usize, Vec<Duration>) {
        let clock = Pauses::default();
        let mut outlet = Script(script, 0);
        let result = Sender {
            outlet: &mut outlet,
            pacer: Pacer::per_minute(0),
            retries,
            retry_base: Duration::from_secs(2),
            clock: &clock,
            temporary_in_a_row: 0,
        }
        .send(&message());
        (result, outlet.1, clock.0.into_inner())
    }

    #[test]
    fn temporary_failures_are_retried_with_doubling_pauses() {
        let t = || Err(MailError::Temporary("451".into()));
        let (r, tries, pauses) = send(vec![t(), t()], 3);
        assert_eq!(r, Ok(3));
        assert_eq!(tries, 3);
        assert_eq!(pauses, [Duration::from_secs(2), Duration::from_secs(4)]);
        let (r, tries, _) = send(vec![t(), t(), t()], 2);
        assert!(matches!(r, Err(MailError::Temporary(_))));
        assert_eq!(tries, 3);
    }

    #[test]
    fn a_broken_connection_is_retried_once_at_once_and_permanent_never() {
        let c = || Err(MailError::Lost("reset".into()));
        let (r, tries, pauses) = send(vec![c()], 0);
        assert_eq!((r, tries), (Ok(2), 2));
        assert!(pauses.is_empty());
        let (r, tries, _) = send(vec![c(), c()], 0);
        assert!(matches!(r, Err(MailError::Lost(_))));
        assert_eq!(tries, 2);
        let (r, tries, _) = send(vec![Err(MailError::Permanent("550".into()))], 3);
        assert!(matches!(r, Err(MailError::Permanent(_))));
        assert_eq!(tries, 1);
        let (r, tries, _) = send(vec![Err(MailError::Auth("535".into()))], 3);
        assert!(matches!(r, Err(MailError::Auth(_))));
        assert_eq!(tries, 1);
    }
}
