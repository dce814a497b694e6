//! Email: building the summary message, sending it over SMTP, and the outbox for messages that
//! could not be sent yet.
//!
//! - [`message`]: the message itself (pure: no network) — `message::build` for one scan.
//! - [`smtp`]: password, transport, [`smtp::Connection`] (the one way to the server for every
//!   path) and the login check; [`error`]: the one failure taxonomy; [`pace`]: rate and back-off.
//! - [`outbox`]: queued messages, resent byte for byte with the same Message-ID.
//! - [`send_summary_from`]: all of it for one scan; never fails, queues instead.

pub mod chart;
pub mod closing;
pub mod error;
pub mod message;
pub mod outbox;
pub mod pace;
pub mod smtp;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use error::MailError;

use crate::config::Config;
use crate::core::Scan;
use crate::core::scan::{EmailLogEntry, EmailResult};
use crate::paths::Paths;

/// What happened when a scan's summary was emailed: the line for the scan's email log, and the
/// outbox file if the message was queued. The caller appends `entry` to the scan, saves it, then
/// calls [`Outcome::recorded`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The email-log line.
    pub entry: EmailLogEntry,
    /// Where the message waits, if it was queued.
    pub outbox_file: Option<PathBuf>,
    /// Why it was not sent, typed (None when sent).
    pub error: Option<MailError>,
    /// Addresses the server refused while the others got the message, with why.
    pub refused: Vec<(String, String)>,
    /// Outbox messages of this scan that this send settled (it sent one of them, or the scan is
    /// now sent): taken out of the outbox by [`Outcome::recorded`].
    pub settled: Vec<outbox::Queued>,
}

impl Outcome {
    fn new(entry: EmailLogEntry) -> Self {
        Self {
            entry,
            outbox_file: None,
            error: None,
            refused: Vec::new(),
            settled: Vec::new(),
        }
    }

    fn sent(message_id: String, delivered: smtp::Delivered, at: DateTime<Utc>) -> Self {
        let mut o = Self::new(EmailLogEntry {
            at,
            to: delivered.accepted,
            message_id,
            result: EmailResult::Sent,
        });
        o.refused = delivered.refused;
        o
    }

    fn failed(message_id: String, to: Vec<String>, error: MailError, at: DateTime<Utc>) -> Self {
        let mut o = Self::new(EmailLogEntry {
            at,
            to,
            message_id,
            result: EmailResult::Failed {
                reason: error.to_string(),
            },
        });
        o.error = Some(error);
        o
    }

    /// To call once `entry` is saved in the scan file: removes the outbox messages this send
    /// settled. (If it is never called, the next `outbox send` finds them marked or the scan
    /// sent, and removes them without sending.)
    pub fn recorded(&self) {
        for q in &self.settled {
            outbox::remove(q);
        }
    }
}

/// Emails a submitted scan's summary to the learner and the manager (and the coach, if
/// configured), attaching `scan_file` (the saved file's bytes). Never fails: a message that
/// cannot be sent now waits in the outbox and is reported as queued. `scan_path` is recorded
/// with it so a later `outbox send` logs the result in that file.
///
/// The message is put in the outbox *before* it is handed to the server and taken out once the
/// server took it (see [`Outcome::recorded`]): a submit killed mid-send leaves it waiting, and
/// the next drain or `send` sends that same message (same Message-ID), never a second one.
///
/// If a message for this scan already waits in the outbox, that message is sent instead of a
/// new one, so however many times a send is tried while the server is down, the summary
/// arrives once. The caller holds the scan's lock (which keeps `outbox send` off this scan
/// meanwhile).
pub fn send_summary_from(
    paths: &Paths,
    config: &Config,
    scan: &Scan,
    scan_file: &[u8],
    scan_path: Option<&Path>,
    now: DateTime<Utc>,
) -> Outcome {
    let dir = paths.outbox_dir();
    let waiting = outbox::waiting_for(&dir, &scan.id);
    if let Some(first) = waiting.first() {
        return send_queued(config, scan, scan_file, first.clone(), waiting, now);
    }
    let built = match build_summary(paths, config, scan, scan_file, scan_path, now) {
        Ok(b) => b,
        Err(e) => {
            let to = vec![scan.learner.email.clone(), scan.manager.email.clone()];
            return Outcome::failed(String::new(), to, e, now);
        }
    };
    let why = outbox::Why {
        reason: match &config.smtp {
            None => MailError::NotConfigured.to_string(),
            Some(_) => INTERRUPTED.into(),
        },
        permanent: false,
        rebuild: config.smtp.is_none(),
    };
    let recipients = smtp::recipients(built.message.envelope());
    match outbox::queue_entry(&dir, &built, why, scan, scan_path, now) {
        Ok(queued) if config.smtp.is_some() => {
            send_queued(config, scan, scan_file, queued.clone(), vec![queued], now)
        }
        Ok(queued) => {
            let error = MailError::NotConfigured;
            let mut o = Outcome::new(EmailLogEntry {
                at: now,
                to: recipients,
                message_id: built.message_id,
                result: EmailResult::Queued {
                    reason: error.to_string(),
                },
            });
            o.outbox_file = Some(queued.eml);
            o.error = Some(error);
            o
        }
        // The outbox cannot be written: send all the same, without its safety net.
        Err(q) => {
            let sent = smtp::Connection::from_config(config)
                .and_then(|c| c.deliver(built.message.envelope(), &built.message.formatted()));
            match sent {
                Ok(delivered) => Outcome::sent(built.message_id, delivered, now),
                Err(e) => Outcome::failed(
                    built.message_id,
                    recipients,
                    MailError::Io(format!("{e}; and it could not be put in the outbox: {q}")),
                    now,
                ),
            }
        }
    }
}

/// The reason an outbox message shows while it is being handed to the server (and after a
/// send that was cut off).
const INTERRUPTED: &str =
    "not sent yet: sending it was interrupted before the mail server answered";

/// Builds a scan's summary message; a later scan's says how far the learner has come since the
/// scan it follows (found beside the scan file or in the data folder).
fn build_summary(
    paths: &Paths,
    config: &Config,
    scan: &Scan,
    scan_file: &[u8],
    scan_path: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<message::Built, MailError> {
    if scan.follows.is_none() {
        return message::build(scan, scan_file, config, now);
    }
    let folders: Vec<PathBuf> = scan_path
        .and_then(crate::storage::earlier::folder_of)
        .into_iter()
        .chain(std::iter::once(paths.scans_dir()))
        .collect();
    let earlier = crate::storage::earlier::find_earlier(scan, &folders);
    let id = message::new_message_id(config);
    message::build_with_progress(scan, earlier.as_ref(), scan_file, config, now, &id)
}

/// Sends a message waiting in the outbox for this scan (`first`, oldest of `waiting`), with its
/// own Message-ID: marked sent in the outbox as soon as the server took it (so it is never sent
/// again), and every waiting message of the scan settled. On failure it stays, with the reason.
fn send_queued(
    config: &Config,
    scan: &Scan,
    scan_file: &[u8],
    mut first: outbox::Queued,
    waiting: Vec<outbox::Queued>,
    now: DateTime<Utc>,
) -> Outcome {
    if let Some(at) = first.entry.sent_at {
        // A server took it already; only its record was missing.
        let delivered = smtp::Delivered {
            accepted: first.entry.to.clone(),
            refused: Vec::new(),
        };
        let mut o = Outcome::sent(first.entry.message_id.clone(), delivered, at);
        o.settled = waiting;
        return o;
    }
    // A fresh message (never tried) keeps `attempts` at 0: it counts the tries after the first.
    let fresh = first.entry.reason == INTERRUPTED && first.entry.attempts == 0;
    let sent = smtp::Connection::from_config(config).and_then(|connection| {
        let (envelope, bytes) = outbox::message_of(&first, scan, scan_file, &|e, s, b| {
            message::build_with_id(s, b, config, now, &e.message_id)
        })?;
        connection.deliver(&envelope, &bytes)
    });
    match sent {
        Ok(delivered) => {
            first.entry.sent_at = Some(now);
            // Marked first: whatever happens next, it is never sent again.
            let _ = outbox::write_entry(&first.meta, &first.entry);
            let mut o = Outcome::sent(first.entry.message_id.clone(), delivered, now);
            o.settled = waiting;
            o
        }
        Err(error) => {
            let reason = error.to_string();
            if config.smtp.is_some() {
                if !fresh {
                    first.entry.attempts += 1;
                }
                first.entry.reason.clone_from(&reason);
                first.entry.permanent = error.is_permanent();
                let _ = outbox::write_entry(&first.meta, &first.entry);
            }
            let result = if error.is_permanent() {
                EmailResult::Failed { reason }
            } else {
                EmailResult::Queued { reason }
            };
            let mut o = Outcome::new(EmailLogEntry {
                at: now,
                to: first.entry.to.clone(),
                message_id: first.entry.message_id.clone(),
                result,
            });
            o.outbox_file = Some(first.eml.clone());
            o.error = Some(error);
            o
        }
    }
}

/// "a@example.org (why), …".
pub fn refused_words(refused: &[(String, String)]) -> String {
    error::refused_words(refused)
}

/// Sends every message in the outbox again (see [`outbox::retry_all`]). Fails as a whole only
/// when email is not configured, the login settings are unusable, or the outbox is busy.
pub fn retry_outbox(
    paths: &Paths,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Retried>, MailError> {
    let connection = smtp::Connection::from_config(config)?;
    let dir = paths.outbox_dir();
    let _lock = outbox::lock(&dir)?;
    // One connection (the pooled transport), at most `max_per_minute` messages a minute.
    let mut pacer = pace::Pacer::per_minute(config.batch.max_per_minute);
    outbox::retry_all(
        &dir,
        &paths.scans_dir(),
        &connection,
        &|entry, scan, bytes| {
            if scan.follows.is_some() {
                let earlier = crate::storage::earlier::find_earlier(scan, &[paths.scans_dir()]);
                message::build_with_progress(
                    scan,
                    earlier.as_ref(),
                    bytes,
                    config,
                    now,
                    &entry.message_id,
                )
            } else {
                message::build_with_id(scan, bytes, config, now, &entry.message_id)
            }
        },
        &mut || pacer.wait(&pace::SystemClock),
        now,
    )
}

/// Tries the outbox's waiting messages on a background thread, when `[smtp]` is configured and
/// something waits: the learner's app and `open` call this at start, so messages queued after a
/// temporary failure go out without anyone running `outbox send`, and nothing delays the first
/// frame or prompt. Each result is recorded in its scan's email log as `outbox send` does; a
/// scan open in this process (its lock held) is left for a later run. What happened waits, in
/// one line, for the front end to show ([`take_drain_notice`]). Returns the thread, or None
/// when there is nothing to do.
pub fn drain_outbox_in_background(
    paths: &Paths,
    config: &Config,
) -> Option<std::thread::JoinHandle<Result<Vec<outbox::Retried>, MailError>>> {
    config.smtp.as_ref()?;
    let dir = paths.outbox_dir();
    if outbox::list(&dir).map_or(true, |(queued, _)| queued.is_empty()) {
        return None;
    }
    let paths = paths.clone();
    let config = config.clone();
    std::thread::Builder::new()
        .name("outbox".into())
        .spawn(move || {
            let result = retry_outbox(&paths, &config, Utc::now());
            if let Some(words) = drain_words(&result)
                && let Ok(mut notice) = DRAIN_NOTICE.lock()
            {
                *notice = Some(words);
            }
            result
        })
        .ok()
}

/// What the background drain did, waiting to be shown once.
static DRAIN_NOTICE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The line saying what the background drain did, once it has finished (and only once): the
/// full-screen apps show it on their status line, plain mode prints it, and a command that
/// ends before it was shown prints it on the way out.
pub fn take_drain_notice() -> Option<String> {
    DRAIN_NOTICE.lock().ok()?.take()
}

/// One line for a person on what a drain of the outbox did; None when there is nothing to say
/// (nothing was tried, or another skills-scan was already sending the outbox).
pub fn drain_words(result: &Result<Vec<outbox::Retried>, MailError>) -> Option<String> {
    let plural = |n: usize| if n == 1 { "email" } else { "emails" };
    let results = match result {
        Ok(results) => results,
        Err(e) if e.kind() == error::Kind::Settings => {
            return Some(format!(
                "Emails waiting in the outbox could not be sent: {e}"
            ));
        }
        Err(_) => return None,
    };
    let sent = results
        .iter()
        .filter(|r| r.result == outbox::RetryResult::Sent)
        .count();
    let failures: Vec<&MailError> = results
        .iter()
        .filter_map(|r| match &r.result {
            outbox::RetryResult::Failed(e) => Some(e),
            _ => None,
        })
        .collect();
    let waiting = failures.len()
        + results
            .iter()
            .filter(|r| r.result == outbox::RetryResult::NotTried)
            .count();
    match (sent, failures.first()) {
        (0, None) => None,
        (n, None) => Some(format!("Sent {n} {} that waited in the outbox.", plural(n))),
        (n, Some(why)) => Some(format!(
            "{}{waiting} {} still {} in the outbox ({why}); `skills-scan outbox` lists {}.",
            if n > 0 {
                format!("Sent {n} waiting {}; ", plural(n))
            } else {
                String::new()
            },
            plural(waiting),
            if waiting == 1 { "waits" } else { "wait" },
            if waiting == 1 { "it" } else { "them" },
        )),
    }
}

/// Gives a background drain (see [`drain_outbox_in_background`]) up to `limit` to finish, so a
/// quick exit does not cut a message off mid-send; returns whether it finished.
pub fn finish_drain(
    drain: Option<std::thread::JoinHandle<Result<Vec<outbox::Retried>, MailError>>>,
    limit: std::time::Duration,
) -> bool {
    let Some(handle) = drain else {
        return true;
    };
    let until = std::time::Instant::now() + limit;
    while !handle.is_finished() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    handle.is_finished()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retried(result: outbox::RetryResult) -> outbox::Retried {
        outbox::Retried {
            entry: outbox::Entry {
                message_id: "<1@example.org>".into(),
                queued_at: DateTime::<Utc>::UNIX_EPOCH,
                from: "skills-scan@example.org".into(),
                to: vec!["a@example.org".into()],
                subject: "Skills scan".into(),
                reason: String::new(),
                permanent: false,
                attempts: 0,
                scan_id: "s".into(),
                scan_file: None,
                rebuild: false,
                sent_at: None,
            },
            result,
            log_note: None,
        }
    }

    #[test]
    fn a_drain_says_what_it_did_in_one_line() {
        use outbox::RetryResult::{AlreadySent, Failed, NotTried, Sent};
        let words =
            |r: Vec<outbox::RetryResult>| drain_words(&Ok(r.into_iter().map(retried).collect()));
        assert_eq!(words(vec![]), None);
        assert_eq!(words(vec![AlreadySent]), None, "only tidied up");
        assert_eq!(
            words(vec![Sent, Sent]).as_deref(),
            Some("Sent 2 emails that waited in the outbox.")
        );
        let down = || Failed(MailError::Temporary("451 busy".into()));
        let one = words(vec![Sent, down()]).expect("words");
        assert!(
            one.starts_with("Sent 1 waiting email; 1 email still waits"),
            "{one}"
        );
        assert!(
            one.contains("451 busy") && one.contains("skills-scan outbox"),
            "{one}"
        );
        let login = || Failed(MailError::Auth("535".into()));
        let two = words(vec![login(), NotTried]).expect("words");
        assert!(
            two.starts_with("2 emails still wait in the outbox"),
            "{two}"
        );
        assert!(!two.contains('\n'));
        let busy = MailError::Temporary("another skills-scan is sending".into());
        assert_eq!(drain_words(&Err(busy)), None);
        let settings = drain_words(&Err(MailError::Auth("535".into()))).expect("words");
        assert!(settings.contains("could not be sent"), "{settings}");
    }
}
