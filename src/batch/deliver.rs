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

use crate::mail::pace::{Clock, Pacer};

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
    use crate::mail::pace::SystemClock;

    /// An outlet answering from a script (then accepting), counting the sends.
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

    fn message() -> Message {
        Message::builder()
            .from("a@example.org".parse().expect("address"))
            .to("b@example.org".parse().expect("address"))
            .body(String::from("x"))
            .expect("message")
    }

    /// One attempt through `send_once`: its result and how many sends it made.
    fn once(script: Vec<Result<(), MailError>>) -> (Result<(), MailError>, usize) {
        let mut outlet = Script(script, 0);
        let result = Sender {
            outlet: &mut outlet,
            pacer: Pacer::per_minute(0),
            retries: 3,
            retry_base: Duration::from_secs(2),
            clock: &SystemClock,
            temporary_in_a_row: 0,
        }
        .send_once(&message());
        (result, outlet.1)
    }

    #[test]
    fn a_broken_connection_is_tried_once_more_at_once_and_nothing_else_is() {
        let lost = || Err(MailError::Lost("reset".into()));
        assert_eq!(once(vec![lost()]), (Ok(()), 2));
        let (r, tries) = once(vec![lost(), lost()]);
        assert!(matches!(r, Err(MailError::Lost(_))));
        assert_eq!(tries, 2);
        // Retrying anything else (after a pause, recorded first) is the batch's to decide.
        for refusal in [
            MailError::Temporary("451".into()),
            MailError::Permanent("550".into()),
            MailError::Auth("535".into()),
        ] {
            let (r, tries) = once(vec![Err(refusal.clone())]);
            assert_eq!((r, tries), (Err(refusal), 1));
        }
    }
}
