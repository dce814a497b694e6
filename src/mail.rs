//! Email: building the summary message, sending it over SMTP, and the outbox for messages that
//! could not be sent yet.
//!
//! - [`message`]: the message itself (pure: no network) — `message::build` for one scan.
//! - [`smtp`]: password, transport (`smtp::transport`), login check.
//! - [`outbox`]: queued messages, resent byte for byte with the same Message-ID.
//! - [`send_summary_from`]: all of it for one scan; never fails, queues instead.

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
/// outbox file if the message was queued. The caller appends `entry` to the scan and saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The email-log line.
    pub entry: EmailLogEntry,
    /// Where the message waits, if it was queued.
    pub outbox_file: Option<PathBuf>,
}

/// Emails a submitted scan's summary to the learner and the manager (and the coach, if
/// configured), attaching `scan_file` (the saved file's bytes). Never fails: a message that
/// cannot be sent now is written to the outbox and reported as queued. `scan_path` is recorded
/// with a queued message so a later `outbox send` logs the result in that file.
pub fn send_summary_from(
    paths: &Paths,
    config: &Config,
    scan: &Scan,
    scan_file: &[u8],
    scan_path: Option<&Path>,
    now: DateTime<Utc>,
) -> Outcome {
    let failed = |message_id: String, to: Vec<String>, reason: String| Outcome {
        entry: EmailLogEntry {
            at: now,
            to,
            message_id,
            result: EmailResult::Failed { reason },
        },
        outbox_file: None,
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
                e.to_string(),
            );
        }
    };
    let sent = match &config.smtp {
        None => Err(MailError::NotConfigured),
        Some(smtp) => smtp::password(smtp)
            .and_then(|p| smtp::transport(smtp, p.as_ref()))
            .and_then(|t| send_built(&t, &built, smtp)),
    };
    let error = match sent {
        Ok(()) => {
            return Outcome {
                entry: EmailLogEntry {
                    at: now,
                    to: built.recipients,
                    message_id: built.message_id,
                    result: EmailResult::Sent,
                },
                outbox_file: None,
            };
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
        Ok(file) => Outcome {
            entry: EmailLogEntry {
                at: now,
                to: built.recipients,
                message_id: built.message_id,
                result: if permanent {
                    EmailResult::Failed { reason }
                } else {
                    EmailResult::Queued { reason }
                },
            },
            outbox_file: Some(file),
        },
        Err(q) => failed(
            built.message_id,
            built.recipients,
            format!("{reason}; and it could not be put in the outbox: {q}"),
        ),
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
        now,
    )
}
