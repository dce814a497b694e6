//! Email: building the summary message, sending it over SMTP, and the outbox for messages that
//! could not be sent yet.
//!
//! - [`message`]: the message itself (pure: no network) — `message::build` for one scan.
//! - [`smtp`]: password, transport (`smtp::transport`), login check.
//! - [`outbox`]: queued messages, resent byte for byte with the same Message-ID.
//! - [`send_summary_from`]: all of it for one scan; never fails, queues instead.

pub mod chart;
pub mod closing;
pub mod error;
pub mod message;
pub mod outbox;
pub mod smtp;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use lettre::Transport;

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
/// cannot be sent now is written to the outbox and reported as queued. `scan_path` is recorded
/// with a queued message so a later `outbox send` logs the result in that file.
///
/// If a message for this scan already waits in the outbox, that message is sent (same
/// Message-ID) instead of a new one, so however many times a send is tried while the server is
/// down, the summary arrives once. The caller holds the scan's lock (which keeps `outbox send`
/// off this scan meanwhile).
pub fn send_summary_from(
    paths: &Paths,
    config: &Config,
    scan: &Scan,
    scan_file: &[u8],
    scan_path: Option<&Path>,
    now: DateTime<Utc>,
) -> Outcome {
    let waiting = outbox::waiting_for(&paths.outbox_dir(), &scan.id);
    if let Some(first) = waiting.first() {
        return send_waiting(config, scan, scan_file, first.clone(), waiting, now);
    }
    let failed = |message_id: String, to: Vec<String>, error: MailError| {
        let mut o = Outcome::new(EmailLogEntry {
            at: now,
            to,
            message_id,
            result: EmailResult::Failed {
                reason: error.to_string(),
            },
        });
        o.error = Some(error);
        o
    };
    // A later scan's email says how far the learner has come since the scan it follows.
    let built = if scan.follows.is_some() {
        let folders: Vec<std::path::PathBuf> = scan_path
            .and_then(crate::storage::earlier::folder_of)
            .into_iter()
            .chain(std::iter::once(paths.scans_dir()))
            .collect();
        let earlier = crate::storage::earlier::find_earlier(scan, &folders);
        let id = message::new_message_id(config);
        message::build_with_progress(scan, earlier.as_ref(), scan_file, config, now, &id)
    } else {
        message::build(scan, scan_file, config, now)
    };
    let built = match built {
        Ok(b) => b,
        Err(e) => {
            return failed(
                String::new(),
                vec![scan.learner.email.clone(), scan.manager.email.clone()],
                e,
            );
        }
    };
    let mut refused = Vec::new();
    let sent = match &config.smtp {
        None => Err(MailError::NotConfigured),
        Some(smtp) => smtp::password(smtp)
            .and_then(|p| smtp::transport(smtp, p.as_ref()))
            .and_then(|t| match send_built(&t, &built, smtp) {
                // Refused as a whole: perhaps only one address is. A refusal at RCPT TO ends
                // the transaction before any data, so each recipient alone gets it once.
                Err(e) if e.is_permanent() && built.recipients.len() > 1 => {
                    let (accepted, no) = send_each(&t, &built, smtp);
                    refused = no;
                    if accepted.is_empty() {
                        Err(MailError::Permanent(refused_words(&refused)))
                    } else {
                        Ok(accepted)
                    }
                }
                other => other.map(|()| built.recipients.clone()),
            }),
    };
    let error = match sent {
        Ok(accepted) => {
            let mut o = Outcome::new(EmailLogEntry {
                at: now,
                to: accepted,
                message_id: built.message_id,
                result: EmailResult::Sent,
            });
            o.refused = refused;
            return o;
        }
        Err(e) => e,
    };
    let reason = error.to_string();
    let permanent = error.is_permanent();
    match outbox::queue(
        &paths.outbox_dir(),
        &built,
        outbox::Why {
            reason: reason.clone(),
            permanent,
            rebuild: config.smtp.is_none(),
        },
        scan,
        scan_path,
        now,
    ) {
        Ok(file) => {
            let mut o = Outcome::new(EmailLogEntry {
                at: now,
                to: built.recipients,
                message_id: built.message_id,
                result: if permanent {
                    EmailResult::Failed { reason }
                } else {
                    EmailResult::Queued { reason }
                },
            });
            o.outbox_file = Some(file);
            o.error = Some(error);
            o
        }
        Err(q) => failed(
            built.message_id,
            built.recipients,
            MailError::Io(format!(
                "{reason}; and it could not be put in the outbox: {q}"
            )),
        ),
    }
}

/// Sends the message that already waits in the outbox for this scan (`first`, oldest of
/// `waiting`), with its own Message-ID. On success every waiting message of the scan is settled.
fn send_waiting(
    config: &Config,
    scan: &Scan,
    scan_file: &[u8],
    mut first: outbox::Queued,
    waiting: Vec<outbox::Queued>,
    now: DateTime<Utc>,
) -> Outcome {
    let entry = |result| EmailLogEntry {
        at: now,
        to: first.entry.to.clone(),
        message_id: first.entry.message_id.clone(),
        result,
    };
    if let Some(at) = first.entry.sent_at {
        // A server took it already; only its record was missing.
        let mut o = Outcome::new(EmailLogEntry {
            at,
            ..entry(EmailResult::Sent)
        });
        o.settled = waiting;
        return o;
    }
    let sent = match &config.smtp {
        None => Err(MailError::NotConfigured),
        Some(smtp) => smtp::password(smtp)
            .and_then(|p| smtp::transport(smtp, p.as_ref()))
            .and_then(|t| {
                let (envelope, bytes) = outbox::message_of(&first, scan, scan_file, &|e, s, b| {
                    message::build_with_id(s, b, config, now, &e.message_id)
                })?;
                t.send_raw(&envelope, &bytes)
                    .map(|_| ())
                    .map_err(|e| MailError::from_smtp(&e, smtp.host.trim(), smtp::port(smtp)))
            }),
    };
    match sent {
        Ok(()) => {
            first.entry.sent_at = Some(now);
            // Marked first: whatever happens next, it is never sent again.
            let _ = outbox::write_entry(&first.meta, &first.entry);
            let mut o = Outcome::new(entry(EmailResult::Sent));
            o.settled = waiting;
            o
        }
        Err(error) => {
            let reason = error.to_string();
            if config.smtp.is_some() {
                first.entry.attempts += 1;
                first.entry.reason.clone_from(&reason);
                first.entry.permanent = error.is_permanent();
                let _ = outbox::write_entry(&first.meta, &first.entry);
            }
            let mut o = Outcome::new(entry(if error.is_permanent() {
                EmailResult::Failed { reason }
            } else {
                EmailResult::Queued { reason }
            }));
            o.outbox_file = Some(first.eml.clone());
            o.error = Some(error);
            o
        }
    }
}

/// Sends one built message over a transport, classifying any failure. Not retried here: after
/// a lost connection we cannot know whether the server took the message, and the outbox retry
/// is the place that guarantees "never twice".
pub fn send_built(
    transport: &lettre::SmtpTransport,
    built: &message::Built,
    smtp: &crate::config::Smtp,
) -> Result<(), MailError> {
    transport
        .send(&built.message)
        .map(|_| ())
        .map_err(|e| MailError::from_smtp(&e, smtp.host.trim(), smtp::port(smtp)))
}

/// Sends a built message to each of its recipients alone: the addresses that took it, and
/// those refused with why.
fn send_each(
    transport: &lettre::SmtpTransport,
    built: &message::Built,
    smtp: &crate::config::Smtp,
) -> (Vec<String>, Vec<(String, String)>) {
    let (mut accepted, mut refused) = (Vec::new(), Vec::new());
    let envelope = built.message.envelope();
    let bytes = built.message.formatted();
    for to in envelope.to() {
        let one = lettre::address::Envelope::new(envelope.from().cloned(), vec![to.clone()]);
        let result = one
            .map_err(|e| MailError::Permanent(e.to_string()))
            .and_then(|one| {
                transport
                    .send_raw(&one, &bytes)
                    .map(|_| ())
                    .map_err(|e| MailError::from_smtp(&e, smtp.host.trim(), smtp::port(smtp)))
            });
        match result {
            Ok(()) => accepted.push(to.to_string()),
            Err(e) => refused.push((to.to_string(), e.to_string())),
        }
    }
    (accepted, refused)
}

/// "a@example.org (why), …".
pub fn refused_words(refused: &[(String, String)]) -> String {
    refused
        .iter()
        .map(|(a, why)| format!("{a} ({why})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An SMTP connection set up once from the config and reused for many messages (the batch
/// export): the password is read once, the pooled transport keeps one login.
pub struct Mailer {
    transport: lettre::SmtpTransport,
    smtp: crate::config::Smtp,
}

impl Mailer {
    /// Reads the password and builds the transport; connects on the first send.
    pub fn from_config(config: &Config) -> Result<Self, MailError> {
        let smtp = config.smtp.clone().ok_or(MailError::NotConfigured)?;
        let password = smtp::password(&smtp)?;
        let transport = smtp::transport(&smtp, password.as_ref())?;
        Ok(Self { transport, smtp })
    }

    /// Sends one built message (see [`send_built`]).
    pub fn send(&self, built: &message::Built) -> Result<(), MailError> {
        send_built(&self.transport, built, &self.smtp)
    }

    /// The transport, for callers that need lettre directly (e.g. `send_raw`).
    pub fn transport(&self) -> &lettre::SmtpTransport {
        &self.transport
    }
}

/// Sends every message in the outbox again (see [`outbox::retry_all`]). Fails as a whole only
/// when email is not configured, the login settings are unusable, or the outbox is busy.
pub fn retry_outbox(
    paths: &Paths,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Retried>, MailError> {
    let smtp = config.smtp.as_ref().ok_or(MailError::NotConfigured)?;
    let password = smtp::password(smtp)?;
    let transport = smtp::transport(smtp, password.as_ref())?;
    let dir = paths.outbox_dir();
    let _lock = outbox::lock(&dir)?;
    let host = smtp.host.trim().to_string();
    let port = smtp::port(smtp);
    // One connection (the pooled transport), at most `max_per_minute` messages a minute.
    let mut pacer = crate::batch::pace::Pacer::per_minute(config.batch.max_per_minute);
    outbox::retry_all(
        &dir,
        &paths.scans_dir(),
        &transport,
        &|e| MailError::from_smtp(e, &host, port),
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
        &mut || pacer.wait(&crate::batch::pace::SystemClock),
        now,
    )
}

/// Tries the outbox's waiting messages on a background thread, when `[smtp]` is configured and
/// something waits: the learner's app and `open` call this at start, so messages queued after a
/// temporary failure go out without anyone running `outbox send`, and nothing delays the first
/// frame or prompt. Each result is recorded in its scan's email log as `outbox send` does; a
/// scan open in this process (its lock held) is left for a later run. Returns the thread, or
/// None when there is nothing to do.
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
        .spawn(move || retry_outbox(&paths, &config, Utc::now()))
        .ok()
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
