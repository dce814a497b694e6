//! The outbox: messages that could not be sent yet, each kept as the exact bytes to send
//! (`NAME.eml`) plus what we need to know about it (`NAME.json`: envelope, Message-ID, why it
//! waits, which scan it belongs to). Folder 0700, files 0600, written atomically.
//!
//! A retry resends the very same bytes (same Message-ID). A message the server accepted is first
//! marked sent (`sent_at`), then recorded in its scan's email log, then removed — so a crash
//! anywhere never sends it twice, and a failure never loses it.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use lettre::address::Envelope;
use serde::{Deserialize, Serialize};

use super::MailError;
use super::message::Built;
use crate::core::Scan;
use crate::core::scan::{EmailLogEntry, EmailResult};
use crate::storage;

/// What the outbox knows about one waiting message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The Message-ID (same on every retry).
    pub message_id: String,
    /// When it was first queued.
    pub queued_at: DateTime<Utc>,
    /// Envelope sender.
    pub from: String,
    /// Envelope recipients (To and Cc).
    pub to: Vec<String>,
    /// The subject, for listing.
    pub subject: String,
    /// Why it is waiting (the last failure).
    pub reason: String,
    /// Whether the last failure was a permanent refusal.
    #[serde(default)]
    pub permanent: bool,
    /// How many sends were tried.
    #[serde(default)]
    pub attempts: u32,
    /// The scan's id.
    pub scan_id: String,
    /// The scan file, if known.
    #[serde(default)]
    pub scan_file: Option<PathBuf>,
    /// Built without `[smtp]` (placeholder sender): rebuild from the scan file when sending.
    #[serde(default)]
    pub rebuild: bool,
    /// When a server accepted it (then it is never sent again, only cleaned up).
    #[serde(default)]
    pub sent_at: Option<DateTime<Utc>>,
}

/// One waiting message: its files and its entry.
#[derive(Debug, Clone)]
pub struct Queued {
    /// The `.json` file.
    pub meta: PathBuf,
    /// The `.eml` file.
    pub eml: PathBuf,
    /// The entry.
    pub entry: Entry,
}

fn io_err(what: &str, path: &Path, e: &dyn std::fmt::Display) -> MailError {
    MailError::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// A file-name stem from a Message-ID: its local part, ASCII letters, digits and dashes.
fn stem(message_id: &str) -> String {
    let s: String = message_id
        .trim_matches(|c| c == '<' || c == '>')
        .split('@')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    if s.is_empty() { "message".into() } else { s }
}

/// Why a message is being queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// The failure, in words.
    pub reason: String,
    /// Whether it was a permanent refusal.
    pub permanent: bool,
    /// Built without `[smtp]`: rebuild from the scan with the real sender when sending.
    pub rebuild: bool,
}

/// Rebuilds the message of an entry from its scan and the scan file's bytes.
pub type Rebuild<'a> = dyn Fn(&Entry, &Scan, &[u8]) -> Result<Built, MailError> + 'a;

/// Queues a built message: writes `.eml` (the exact bytes) then `.json`. Returns the `.eml` path.
pub fn queue(
    dir: &Path,
    built: &Built,
    why: Why,
    scan: &Scan,
    scan_file: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<PathBuf, MailError> {
    queue_entry(dir, built, why, scan, scan_file, now).map(|q| q.eml)
}

/// [`queue`], returning the waiting message as listed.
pub fn queue_entry(
    dir: &Path,
    built: &Built,
    why: Why,
    scan: &Scan,
    scan_file: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<Queued, MailError> {
    storage::create_private_dir(dir).map_err(|e| io_err("create the outbox folder", dir, &e))?;
    let envelope = built.message.envelope();
    let entry = Entry {
        message_id: built.message_id.clone(),
        queued_at: now,
        from: envelope.from().map(ToString::to_string).unwrap_or_default(),
        to: super::smtp::recipients(envelope),
        subject: built.subject.clone(),
        reason: why.reason,
        permanent: why.permanent,
        attempts: 0,
        scan_id: scan.id.clone(),
        scan_file: scan_file.map(crate::platform::real_path),
        rebuild: why.rebuild,
        sent_at: None,
    };
    let name = stem(&built.message_id);
    let eml = dir.join(format!("{name}.eml"));
    let meta = dir.join(format!("{name}.json"));
    storage::write_atomically(&eml, &built.message.formatted())
        .map_err(|e| MailError::Io(e.to_string()))?;
    write_entry(&meta, &entry)?;
    Ok(Queued { meta, eml, entry })
}

/// Rewrites an entry's `.json` atomically.
pub fn write_entry(meta: &Path, entry: &Entry) -> Result<(), MailError> {
    let mut bytes = serde_json::to_vec_pretty(entry).unwrap_or_default();
    bytes.push(b'\n');
    storage::write_atomically(meta, &bytes).map_err(|e| MailError::Io(e.to_string()))
}

/// Every waiting message, oldest first. Unreadable entries are reported, not skipped silently.
pub fn list(dir: &Path) -> Result<(Vec<Queued>, Vec<String>), MailError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((out, problems)),
        Err(e) => return Err(io_err("read the outbox", dir, &e)),
    };
    for item in read {
        let item = item.map_err(|e| io_err("read the outbox", dir, &e))?;
        let path = item.path();
        let name = item.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if path.extension().is_some_and(|e| e == "eml") {
            if !path.with_extension("json").exists() {
                problems.push(format!(
                    "{}: a message without its .json entry (interrupted while queueing); it is not sent automatically",
                    path.display()
                ));
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        // Never open a pipe or a device (reading a FIFO waits for a writer forever).
        let regular = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
        if !regular(&path)
            || (path.with_extension("eml").exists() && !regular(&path.with_extension("eml")))
        {
            problems.push(format!(
                "{}: not a regular file (a pipe, device or link); left alone",
                path.display()
            ));
            continue;
        }
        let entry = fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<Entry>(&b).map_err(|e| e.to_string()));
        match entry {
            Ok(entry) => out.push(Queued {
                eml: path.with_extension("eml"),
                meta: path,
                entry,
            }),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    out.sort_by(|a, b| {
        a.entry
            .queued_at
            .cmp(&b.entry.queued_at)
            .then(a.meta.cmp(&b.meta))
    });
    Ok((out, problems))
}

/// The messages waiting for one scan, oldest first: those not refused for good (a refused one
/// was built from addresses that may since have been corrected). Unreadable entries count as
/// none.
pub fn waiting_for(dir: &Path, scan_id: &str) -> Vec<Queued> {
    list(dir)
        .map(|(queued, _)| queued)
        .unwrap_or_default()
        .into_iter()
        .filter(|q| q.entry.scan_id == scan_id && !q.entry.permanent)
        .collect()
}

/// What happened to one waiting message on a retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryResult {
    /// Accepted by the server now.
    Sent,
    /// Already accepted earlier: only cleaned up, not sent again.
    AlreadySent,
    /// Still waiting.
    Failed(MailError),
    /// Not tried: an earlier message showed the settings must be fixed first (a refused login,
    /// TLS or configuration failure), so no further login was attempted.
    NotTried,
    /// Its scan's summary was sent by another message since it was queued: removed, not sent.
    Superseded,
}

/// The outcome of one message on a retry.
#[derive(Debug, Clone)]
pub struct Retried {
    /// The entry (as it was before the retry).
    pub entry: Entry,
    /// What happened.
    pub result: RetryResult,
    /// A note on the scan's email log (e.g. scan not found, or locked).
    pub log_note: Option<String>,
}

/// An exclusive hold on the outbox, so two retries never send the same message.
#[derive(Debug)]
pub struct OutboxLock {
    _file: File,
}

/// Takes the outbox lock without waiting.
pub fn lock(dir: &Path) -> Result<OutboxLock, MailError> {
    storage::create_private_dir(dir).map_err(|e| io_err("create the outbox folder", dir, &e))?;
    let path = dir.join(".lock");
    let file =
        crate::platform::open_lock_file(&path, None).map_err(|e| io_err("open", &path, &e))?;
    match file.try_lock() {
        Ok(()) => Ok(OutboxLock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => Err(MailError::Temporary(
            "another skills-scan is sending the outbox right now".into(),
        )),
        Err(fs::TryLockError::Error(e)) => Err(io_err("lock", &path, &e)),
    }
}

/// Where the scan of an entry is now: its recorded file if it still holds that scan, else a
/// scan with the same id in `scans_dir`.
pub fn find_scan(entry: &Entry, scans_dir: &Path) -> Option<(PathBuf, Scan)> {
    if let Some(p) = &entry.scan_file
        && let Ok(scan) = storage::load(p)
        && scan.id == entry.scan_id
    {
        return Some((p.clone(), scan));
    }
    storage::scan_files(scans_dir)
        .ok()?
        .into_iter()
        .filter_map(|p| storage::load(&p).ok().map(|s| (p, s)))
        .find(|(_, s)| s.id == entry.scan_id)
}

/// Appends `result` for `message_id` to the scan file's email log, under its lock, atomically.
/// Does nothing if the log already says Sent for this message.
pub fn record_in_scan(
    scan_path: &Path,
    message_id: &str,
    to: &[String],
    result: EmailResult,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let _lock = storage::try_lock(scan_path).map_err(|e| e.to_string())?;
    record_while_locked(scan_path, message_id, to, result, now)
}

/// [`record_in_scan`] for a caller that already holds the scan's lock.
fn record_while_locked(
    scan_path: &Path,
    message_id: &str,
    to: &[String],
    result: EmailResult,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let mut scan = storage::load(scan_path).map_err(|e| e.to_string())?;
    if scan
        .email_log
        .iter()
        .any(|e| e.message_id == message_id && e.result == EmailResult::Sent)
    {
        return Ok(());
    }
    scan.email_log.push(EmailLogEntry {
        at: now,
        to: to.to_vec(),
        message_id: message_id.to_string(),
        result,
    });
    storage::save_atomically(scan_path, &scan).map_err(|e| e.to_string())
}

/// Takes a message out of the outbox.
pub fn remove(q: &Queued) {
    // The .json goes last: while it exists the entry is listed.
    let _ = fs::remove_file(&q.eml);
    let _ = fs::remove_file(&q.meta);
}

/// Sends every waiting message again over `connection`. `rebuild` turns an entry built without
/// `[smtp]` into the bytes to send (from its scan); `scans_dir` is searched for moved scans.
/// Hold [`lock`] while calling this.
///
/// A message whose scan has since been sent (by another message) is removed, not sent. The
/// first refused login, TLS or configuration failure stops the run: the rest are reported
/// [`RetryResult::NotTried`] (one failed login, not one per message). `pace` is called before
/// each send (the caller's rate limit).
pub fn retry_all(
    dir: &Path,
    scans_dir: &Path,
    connection: &super::smtp::Connection,
    rebuild: &Rebuild<'_>,
    pace: &mut dyn FnMut(),
    now: DateTime<Utc>,
) -> Result<Vec<Retried>, MailError> {
    let (queued, _problems) = list(dir)?;
    let mut out = Vec::new();
    let mut stopped = false;
    for mut q in queued {
        let before = q.entry.clone();
        if stopped {
            out.push(Retried {
                entry: before,
                result: RetryResult::NotTried,
                log_note: None,
            });
            continue;
        }
        // Hold the scan's lock from the check to the record, so a batch export (or a learner's
        // app) working on the same scan cannot send this message at the same moment.
        let found = find_scan(&q.entry, scans_dir);
        let _scan_lock = match &found {
            Some((path, _)) => match storage::try_lock(path) {
                Ok(lock) => Some(lock),
                Err(e) => {
                    out.push(Retried {
                        entry: before,
                        result: RetryResult::Failed(MailError::Temporary(format!(
                            "not sent now: {e}"
                        ))),
                        log_note: None,
                    });
                    continue;
                }
            },
            None => None,
        };
        // What another process wrote before the lock was taken counts.
        let found = found.and_then(|(path, _)| storage::load(&path).ok().map(|s| (path, s)));
        let already = q.entry.sent_at.is_some()
            || found.as_ref().is_some_and(|(_, s)| {
                s.email_log
                    .iter()
                    .any(|e| e.message_id == q.entry.message_id && e.result == EmailResult::Sent)
            });
        if already {
            let log_note = finish(&mut q, found.as_ref().map(|(p, _)| p.as_path()), now);
            out.push(Retried {
                entry: before,
                result: RetryResult::AlreadySent,
                log_note,
            });
            continue;
        }
        if let Some((_, scan)) = &found
            && let Some(sent) = scan
                .email_log
                .iter()
                .rev()
                .find(|e| e.result == EmailResult::Sent)
        {
            remove(&q);
            out.push(Retried {
                entry: before,
                result: RetryResult::Superseded,
                log_note: Some(format!(
                    "its scan's summary was already sent on {} (message {})",
                    sent.at.format("%Y-%m-%d %H:%M UTC"),
                    sent.message_id
                )),
            });
            continue;
        }
        let prepared = prepare(&q, found.as_ref(), rebuild);
        pace();
        let result = prepared.and_then(|(envelope, bytes)| connection.send_raw(&envelope, &bytes));
        match result {
            Ok(()) => {
                q.entry.sent_at = Some(now);
                // Marked first: whatever happens next, it is never sent again.
                let _ = write_entry(&q.meta, &q.entry);
                let log_note = finish(&mut q, found.as_ref().map(|(p, _)| p.as_path()), now);
                out.push(Retried {
                    entry: before,
                    result: RetryResult::Sent,
                    log_note,
                });
            }
            Err(e) => {
                q.entry.attempts += 1;
                q.entry.reason = e.to_string();
                q.entry.permanent = e.is_permanent();
                write_entry(&q.meta, &q.entry)?;
                stopped = e.is_config();
                out.push(Retried {
                    entry: before,
                    result: RetryResult::Failed(e),
                    log_note: None,
                });
            }
        }
    }
    Ok(out)
}

/// The envelope and bytes to send for a waiting message of `scan` (whose file's bytes are
/// `scan_file`): rebuilt with the same Message-ID when it was queued without `[smtp]`, else the
/// queued bytes.
pub fn message_of(
    q: &Queued,
    scan: &Scan,
    scan_file: &[u8],
    rebuild: &Rebuild<'_>,
) -> Result<(Envelope, Vec<u8>), MailError> {
    if q.entry.rebuild {
        let built = rebuild(&q.entry, scan, scan_file)?;
        return Ok((built.message.envelope().clone(), built.message.formatted()));
    }
    prepare(q, None, rebuild)
}

fn prepare(
    q: &Queued,
    found: Option<&(PathBuf, Scan)>,
    rebuild: &Rebuild<'_>,
) -> Result<(Envelope, Vec<u8>), MailError> {
    if q.entry.rebuild
        && let Some((path, scan)) = found
    {
        let bytes = fs::read(path).map_err(|e| io_err("read", path, &e))?;
        let built = rebuild(&q.entry, scan, &bytes)?;
        return Ok((built.message.envelope().clone(), built.message.formatted()));
    }
    let bytes = fs::read(&q.eml).map_err(|e| io_err("read", &q.eml, &e))?;
    let parse = |a: &str| {
        a.parse()
            .map_err(|_| MailError::Io(format!("{}: bad address `{a}`", q.meta.display())))
    };
    let from = if q.entry.from.is_empty() {
        None
    } else {
        Some(parse(&q.entry.from)?)
    };
    let to = q
        .entry
        .to
        .iter()
        .map(|a| parse(a))
        .collect::<Result<Vec<_>, _>>()?;
    let envelope =
        Envelope::new(from, to).map_err(|e| MailError::Io(format!("{}: {e}", q.meta.display())))?;
    Ok((envelope, bytes))
}

/// Records Sent in the scan (if found; the caller holds its lock) and removes the entry; if the
/// scan could not be updated, the entry stays, marked sent, and is finished next time.
fn finish(q: &mut Queued, scan_path: Option<&Path>, now: DateTime<Utc>) -> Option<String> {
    let Some(path) = scan_path else {
        remove(q);
        return Some(format!(
            "its scan file was not found, so no scan's email log records it (scan id {})",
            q.entry.scan_id
        ));
    };
    match record_while_locked(
        path,
        &q.entry.message_id,
        &q.entry.to,
        EmailResult::Sent,
        q.entry.sent_at.unwrap_or(now),
    ) {
        Ok(()) => {
            remove(q);
            None
        }
        Err(e) => Some(format!(
            "sent, but {} could not be updated yet ({e}); it will be on the next `skills-scan outbox send`",
            path.display()
        )),
    }
}
