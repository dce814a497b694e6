//! Cohort export: walks a folder of scans one file at a time, writes the spreadsheet, and emails
//! (or writes as .eml) each submitted scan's summary exactly once, paced and retried; ends with
//! a report of what was sent, skipped and failed.
//!
//! Memory stays flat: only the list of paths is held; each scan is loaded, used and dropped
//! before the next.

pub mod deliver;
pub mod plan;
pub mod progress;
pub mod recorder;
pub mod report;
pub mod sheet;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::core::Scan;
use crate::core::scan::{EmailLogEntry, EmailResult};
use crate::mail::MailError;
use crate::storage::{self, LockError};

use crate::mail::error::Kind;
use crate::mail::pace::{self, Clock, Pacer};
use deliver::{Outlet, Sender};
use plan::{MessageId, Plan};

pub use report::{Mode, Report, SkipReason};

/// The signal (SIGINT, SIGTERM) that asked the running export to stop, 0 while none did.
static SIGNAL: std::sync::LazyLock<std::sync::Arc<std::sync::atomic::AtomicUsize>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0)));

/// From now on SIGINT (Ctrl-C) and SIGTERM ask the export to stop instead of killing it: the
/// message in hand is finished and recorded, the report printed (see [`interrupted`]).
pub fn stop_on_signals() -> std::io::Result<()> {
    use crate::platform::shutdown::{self, Shutdown};
    // SIGINT/SIGTERM (and SIGHUP) on Unix; Ctrl-C, Ctrl-Break and the console closing on
    // Windows, delivered the same way by the platform module.
    shutdown::listen(
        Box::new(|request| {
            let code = match request {
                Shutdown::Interrupt => 2,
                Shutdown::HangUp(code) => usize::try_from(code).unwrap_or(1),
            };
            let _ = SIGNAL.compare_exchange(
                0,
                code,
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
            );
            true
        }),
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
}

/// Which signal asked the export to stop, if one did.
pub fn interrupted() -> Option<i32> {
    match SIGNAL.load(std::sync::atomic::Ordering::SeqCst) {
        0 => None,
        n => i32::try_from(n).ok(),
    }
}

/// What to do with each submitted scan's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Messages {
    /// No messages: only the spreadsheet.
    None,
    /// Send by SMTP; `resend` includes scans already sent.
    Email {
        /// Send again to scans whose log shows a message sent.
        resend: bool,
    },
    /// Write .eml files into this folder instead of sending.
    Eml {
        /// The folder (created 0700).
        out: PathBuf,
    },
}

/// Where to write the spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTarget {
    /// The file.
    pub path: PathBuf,
    /// Start with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
}

/// What the batch should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The cohort's folder, searched recursively.
    pub dir: PathBuf,
    /// What to do with messages.
    pub messages: Messages,
    /// Write this spreadsheet.
    pub csv: Option<CsvTarget>,
    /// Say what would be done; change nothing.
    pub dry_run: bool,
    /// The first pause before retrying a temporary failure (doubling after).
    pub retry_base: Duration,
    /// Replace an existing spreadsheet or .eml file this run did not make (never a scan file).
    pub force: bool,
    /// The data folder whose `standards/` holds approved standards, beside the embedded one,
    /// to check each scan's copy of its standard against (for the spreadsheet).
    pub data_dir: Option<PathBuf>,
}

impl Options {
    /// Options with the defaults for everything but the folder.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            messages: Messages::None,
            csv: None,
            dry_run: false,
            retry_base: Duration::from_secs(2),
            force: false,
            data_dir: None,
        }
    }

    /// The approved standards a scan's copy is checked against.
    pub fn known_standards(&self) -> Vec<crate::core::Standard> {
        match &self.data_dir {
            Some(d) => crate::standards::known(d),
            None => crate::core::Standard::embedded().into_iter().collect(),
        }
    }

    fn mode(&self) -> Mode {
        if self.dry_run {
            Mode::DryRun
        } else {
            match self.messages {
                Messages::None => Mode::CsvOnly,
                Messages::Email { .. } => Mode::Email,
                Messages::Eml { .. } => Mode::Eml,
            }
        }
    }
}

/// What stops a batch as a whole (anything about one scan only goes in the report instead).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The folder could not be listed.
    #[error("cannot read the folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The spreadsheet could not be written.
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
    /// Email was asked for but cannot be sent.
    #[error("{0}")]
    NoEmail(String),
    /// An output path would replace an input, or a file this run did not make.
    #[error("{0}")]
    Output(String),
    /// The .eml folder could not be created.
    #[error("cannot create the folder {path} for .eml files: {source}")]
    EmlDir {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A file's name as shown in the report: relative to the folder where possible.
fn shown(dir: &Path, path: &Path) -> String {
    if dir == path {
        return path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
    }
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

/// Builds a scan's message: the scan, its file's bytes (attached), the config and the time.
/// And the Message-ID to give it. When sending, the scan already holds this message's "sending"
/// entry (saved while the message is built): a message never depends on the email log.
pub type Build<'a> =
    dyn FnMut(&Scan, &[u8], &Config, DateTime<Utc>, &str) -> Result<lettre::Message, String> + 'a;

/// Everything a batch needs from outside: where messages go, how they are built, time, progress.
pub struct Batch<'a> {
    /// What to do.
    pub opts: &'a Options,
    /// The config (batch pacing, programme figures, sender, coach).
    pub config: &'a Config,
    /// Where messages go in email mode.
    pub outlet: Option<&'a mut dyn Outlet>,
    /// How a message is built (email and eml modes).
    pub build: &'a mut Build<'a>,
    /// Time for pacing and pauses.
    pub clock: &'a dyn Clock,
    /// Time for the email log.
    pub now: &'a dyn Fn() -> DateTime<Utc>,
    /// Progress on stderr (or nowhere).
    pub progress: &'a mut dyn progress::Progress,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

/// What happened to one file, for the progress line.
type Step = String;

fn skipped(report: &mut Report, file: &str, reason: SkipReason, detail: impl Into<String>) -> Step {
    report.skip(file, reason, detail);
    format!("skipped: {}", reason.label())
}

fn failed(report: &mut Report, file: &str, reason: impl Into<String>) -> Step {
    let reason = reason.into();
    let step = format!("failed: {reason}");
    report.fail(file, reason);
    step
}

/// Reads a scan file's bytes (refusing what is not a regular file or too large to be a scan,
/// as every load does) and parses them; the bytes are attached to its message as they are.
fn read_scan(path: &Path) -> Result<(Vec<u8>, Scan), storage::LoadError> {
    let bytes = storage::read_bytes(path)?;
    let scan = storage::parse(path, &bytes)?;
    Ok((bytes, scan))
}

impl Batch<'_> {
    /// Runs the batch: every scan file under the folder, one at a time.
    pub fn run(mut self) -> Result<Report, BatchError> {
        let opts = self.opts;
        let walk = self.prepare()?;
        let files = walk.files;
        let mut sender = self.outlet.take().map(|outlet| Sender {
            outlet,
            pacer: Pacer::per_minute(self.config.batch.max_per_minute),
            retries: self.config.batch.retries,
            retry_base: opts.retry_base,
            clock: self.clock,
            temporary_in_a_row: 0,
        });
        let mut report = Report::new(opts.mode());
        report.files = files.len() + walk.unreadable.len();
        // What the walk could not look at is reported by its own path; the rest goes on.
        for (path, why) in &walk.unreadable {
            report.skip(&shown(&opts.dir, path), SkipReason::Unreadable, why.clone());
        }
        for link in &walk.links {
            let target = std::fs::canonicalize(link)
                .map_or_else(|_| "?".into(), |t| t.display().to_string());
            report.warnings.push(format!(
                "{} is a link to {target}: followed",
                shown(&opts.dir, link)
            ));
        }
        let mut sheet: Option<sheet::Sheet> = None;
        let mut lane = Lane {
            recorder: if sender.is_some() && !opts.dry_run {
                recorder::Recorder::start()
            } else {
                recorder::Recorder::in_line()
            },
            unsettled: None,
            emls: std::collections::HashSet::new(),
        };
        self.progress.start(files.len());
        for (done, path) in files.iter().enumerate() {
            if let Some(signal) = interrupted() {
                report.interrupted = Some(signal);
                report.warnings.push(format!(
                    "interrupted after {done} of {} files; every message handed over so far is recorded. Run the export again to carry on",
                    files.len()
                ));
                break;
            }
            if let Some(why) = &report.stopped {
                report.warnings.push(format!(
                    "the batch stopped after {done} of {} files ({why}); the other files were not looked at. Run the export again once this is fixed",
                    files.len()
                ));
                break;
            }
            let file = shown(&opts.dir, path);
            // A link is followed: its real file is the one locked, read and recorded in.
            let real = crate::platform::real_path(path);
            // A second link to the scan whose "sent" entry is being saved is read once that
            // is done (and found sent), not while its lock is still held.
            if lane.unsettled.as_ref().is_some_and(|u| u.path == real)
                && let Some(sender) = sender.as_mut()
            {
                self.settle(&mut lane, sender, &mut report);
            }
            let step = self.one(
                &real,
                &file,
                &mut sheet,
                sender.as_mut(),
                &mut report,
                &mut lane,
            )?;
            if let Some(step) = step {
                // A message sent before this file is reported first.
                if let Some(sender) = sender.as_mut() {
                    self.settle(&mut lane, sender, &mut report);
                }
                self.progress.step(&file, &step);
            }
        }
        if let Some(sender) = sender.as_mut() {
            self.settle(&mut lane, sender, &mut report);
        }
        if let Err(e) = lane.recorder.finish() {
            report.warnings.push(format!(
                "could not make sure the last records reached the disk ({e}): if this computer lost power now, a message sent might later be reported as unconfirmed"
            ));
        }
        self.progress.finish();
        self.finish_sheet(sheet, &mut report)?;
        Ok(report)
    }

    /// The files to look at, once the outputs are checked: the spreadsheet would replace no
    /// input, email can be sent, the .eml folder exists.
    fn prepare(&self) -> Result<storage::Walk, BatchError> {
        let opts = self.opts;
        // A single scan file works too (e.g. to resend one unconfirmed message).
        let walk = if opts.dir.is_file() {
            storage::Walk {
                files: vec![opts.dir.clone()],
                ..storage::Walk::default()
            }
        } else {
            storage::walk_scans(&opts.dir).map_err(|source| BatchError::Folder {
                path: opts.dir.clone(),
                source,
            })?
        };
        if let Some(target) = opts.csv.as_ref().filter(|_| !opts.dry_run) {
            refuse_to_replace_an_input(&target.path, &walk.files, opts.force, "--csv")?;
        }
        if !opts.dry_run {
            match &opts.messages {
                Messages::Email { .. } if self.outlet.is_none() => {
                    return Err(BatchError::NoEmail(
                        "email is not configured: add an [smtp] section to the config file (`skills-scan config init` writes a template)".into(),
                    ));
                }
                Messages::Eml { out } => {
                    storage::create_private_dir(out).map_err(|source| BatchError::EmlDir {
                        path: out.clone(),
                        source,
                    })?;
                }
                _ => {}
            }
        }
        Ok(walk)
    }

    /// Writes the end of the spreadsheet (a dry run writes none; with no readable scan it still
    /// gets its header, the embedded standard's).
    fn finish_sheet(
        &self,
        sheet: Option<sheet::Sheet>,
        report: &mut Report,
    ) -> Result<(), BatchError> {
        let Some(target) = &self.opts.csv else {
            return Ok(());
        };
        if self.opts.dry_run {
            report.warnings.push(format!(
                "dry run: the spreadsheet {} was not written",
                target.path.display()
            ));
            return Ok(());
        }
        let sheet = match (sheet, crate::core::Standard::embedded()) {
            (Some(s), _) => Some(s),
            (None, Ok(standard)) => Some(sheet::Sheet::create(
                &target.path,
                &standard,
                target.bom,
                self.config.programme,
                self.opts.known_standards(),
            )?),
            (None, Err(_)) => None,
        };
        if let Some(sheet) = sheet {
            let rows = sheet.finish()?;
            report.csv = Some(report::CsvWritten {
                file: target.path.display().to_string(),
                rows,
            });
        }
        Ok(())
    }

    /// Handles one file: reads it (under its lock when this run sends), adds its spreadsheet
    /// row, decides what to do with it ([`plan::plan`]) and carries that out. `None` when the
    /// file's message was sent and its "sent" entry is being saved: it is reported once saved
    /// ([`Batch::settle`]).
    fn one(
        &mut self,
        path: &Path,
        file: &str,
        sheet: &mut Option<sheet::Sheet>,
        sender: Option<&mut Sender<'_>>,
        report: &mut Report,
        lane: &mut Lane,
    ) -> Result<Option<Step>, BatchError> {
        let (lock, bytes, scan) = match self.read(path, file, sheet, report)? {
            Ok(read) => read,
            Err(step) => return Ok(Some(step)),
        };
        self.add_row(&scan, file, sheet, report)?;
        let id = match plan::plan(&scan, &self.opts.messages, self.opts.dry_run, path) {
            Plan::Skip { reason, detail } => {
                return Ok(Some(skipped(report, file, reason, detail)));
            }
            Plan::RowOnly => return Ok(Some("added to the spreadsheet".into())),
            Plan::WouldSend => return Ok(Some(self.would_send(path, file, &scan, report))),
            Plan::WriteEml(id) | Plan::Send(id) => id,
        };
        let message_id = match id {
            MessageId::Same(id) => id,
            MessageId::New => crate::mail::message::new_message_id(self.config),
        };
        let built = Built {
            path,
            scan,
            bytes,
            message_id,
        };
        if let Messages::Eml { out } = &self.opts.messages {
            return Ok(Some(self.write_eml(
                built,
                out,
                file,
                report,
                &mut lane.emls,
            )));
        }
        let Some(sender) = sender else {
            return Ok(Some(failed(report, file, "email is not configured")));
        };
        let mut m = match self.prepare_send(built, sender, report, lane) {
            Ok(m) => m,
            Err(NotSent::Failed(why)) => return Ok(Some(failed(report, file, why))),
            // Stopped while waiting for its turn: the scan is left as it was.
            Err(NotSent::Interrupted) => return Ok(Some("not sent: interrupted".into())),
        };
        let (outcome, saved) = match self.attempts(&mut m, sender) {
            Ok(done) => done,
            Err(why) => return Ok(Some(failed(report, file, why))),
        };
        if outcome.is_ok() {
            // Saved while the next file is read and its message built; reported once saved.
            m.scan.email_log.push(EmailLogEntry {
                at: (self.now)(),
                to: m.to.clone(),
                message_id: m.message_id.clone(),
                result: EmailResult::Sent,
            });
            lane.recorder.save(recorder::Save {
                path: m.path.to_path_buf(),
                scan: std::sync::Arc::new(m.scan),
                lock,
                // Its folder is flushed by the next "sending" save there, or at the end.
                flush: false,
            });
            lane.unsettled = Some(Unsettled {
                path: m.path.to_path_buf(),
                file: file.to_string(),
                to: m.to,
                message_id: m.message_id,
            });
            return Ok(None);
        }
        let split = (outcome.as_ref().is_err_and(MailError::is_permanent)
            && saved.is_ok()
            && m.message.envelope().to().len() > 1)
            .then(|| self.each_alone(&mut m, sender))
            .flatten();
        drop(lock);
        if let Some((each, saved)) = split {
            return Ok(Some(split_step(report, file, each, saved, m.message_id)));
        }
        Ok(Some(conclude(
            outcome,
            saved,
            (m.to, m.message_id),
            sender,
            report,
            file,
            self.config.batch.stop_after_failures,
        )))
    }

    /// Builds a scan's message and writes it as an .eml file.
    fn write_eml(
        &mut self,
        built: Built<'_>,
        out: &Path,
        file: &str,
        report: &mut Report,
        emls: &mut std::collections::HashSet<PathBuf>,
    ) -> Step {
        let Built {
            scan,
            bytes,
            message_id,
            ..
        } = built;
        let message = match (self.build)(&scan, &bytes, self.config, (self.now)(), &message_id) {
            Ok(m) => m,
            Err(e) => return failed(report, file, format!("cannot build the message: {e}")),
        };
        let to = crate::mail::smtp::recipients(message.envelope());
        let eml = Eml {
            out,
            name: eml_name(&scan),
            force: self.opts.force,
        };
        eml.write(file, &message, to, message_id, report, emls)
    }

    /// Everything up to the first attempt: waits for the send slot, hands the "sending" entry
    /// to the recorder and builds the message while it is saved, then waits for the recorder
    /// (the previous message's "sent" entry and this one's "sending" entry both on disk,
    /// the previous message reported). `Err` says why nothing is sent; a message that could not
    /// be built after its "sending" entry was saved is recorded as failed.
    fn prepare_send<'p>(
        &mut self,
        built: Built<'p>,
        sender: &mut Sender<'_>,
        report: &mut Report,
        lane: &mut Lane,
    ) -> Result<InHand<'p>, NotSent> {
        let Built {
            path,
            mut scan,
            bytes,
            message_id,
        } = built;
        // Who it goes to: the rule that addresses the built message (checked below).
        let to = crate::mail::message::recipients(&scan, self.config);
        if !sender.pace_unless(&|| interrupted().is_some()) {
            return Err(NotSent::Interrupted);
        }
        // The scan as it is saved before the message goes out, shared with the recorder while
        // the message is built from it (the message shows nothing of the email log).
        scan.email_log
            .push(deliver::sending_entry(&to, &message_id, (self.now)()));
        let scan = std::sync::Arc::new(scan);
        lane.recorder.save(recorder::Save {
            path: path.to_path_buf(),
            scan: std::sync::Arc::clone(&scan),
            lock: None,
            flush: true,
        });
        let message = (self.build)(&scan, &bytes, self.config, (self.now)(), &message_id);
        drop(bytes);
        let recorded = self
            .settle(lane, sender, report)
            .pop()
            .unwrap_or_else(|| Err("the recorder lost it".into()));
        // The recorder is done with it, so this is the only copy left.
        let mut scan = std::sync::Arc::try_unwrap(scan).unwrap_or_else(|shared| (*shared).clone());
        recorded.map_err(|e| format!("nothing sent: could not record the send first: {e}"))?;
        let message = match message {
            Ok(message) => message,
            Err(e) => {
                let reason = format!("cannot build the message: {e}");
                let failure = EmailResult::Failed {
                    reason: reason.clone(),
                };
                let saved = record(path, &mut scan, &message_id, failure, (self.now)(), to);
                return Err(NotSent::Failed(match saved {
                    Ok(()) => reason,
                    Err(s) => format!("{reason} (and recording it failed: {s})"),
                }));
            }
        };
        let mut m = InHand {
            path,
            scan,
            message,
            to,
            message_id,
        };
        // Who it goes to, as sent: the built message's envelope. Should it ever differ from the
        // rule's list, the log is put right before anything goes out.
        let envelope = crate::mail::smtp::recipients(m.message.envelope());
        if envelope != m.to {
            m.to = envelope;
            let to = m.to.clone();
            m.record(EmailResult::Sending, (self.now)(), to)
                .map_err(|e| format!("nothing sent: could not record the send first: {e}"))?;
        }
        Ok(m)
    }

    /// Waits for the recorder. The message whose "sent" entry it was saving is reported now
    /// (its progress line too); the results of the other saves handed over since are returned.
    fn settle(
        &mut self,
        lane: &mut Lane,
        sender: &mut Sender<'_>,
        report: &mut Report,
    ) -> Vec<Result<(), String>> {
        let mut results = lane.recorder.wait();
        if let Some(u) = lane.unsettled.take() {
            let saved = if results.is_empty() {
                Err("the recorder lost it".into())
            } else {
                results.remove(0)
            };
            let step = conclude(
                Ok(()),
                saved,
                (u.to, u.message_id),
                sender,
                report,
                &u.file,
                self.config.batch.stop_after_failures,
            );
            self.progress.step(&u.file, &step);
        }
        results
    }

    /// Reads a scan file. When this run sends, its lock is taken first, so what is read is what
    /// is updated; a scan open elsewhere still gets its spreadsheet row (saves are atomic, so the
    /// file on disk is always whole). `Err` holds the step that ends this file.
    fn read(
        &mut self,
        path: &Path,
        file: &str,
        sheet: &mut Option<sheet::Sheet>,
        report: &mut Report,
    ) -> Result<Result<Read, Step>, BatchError> {
        let opts = self.opts;
        let sending = !opts.dry_run && matches!(opts.messages, Messages::Email { .. });
        let lock = if sending {
            match storage::try_lock(path) {
                Ok(lock) => Some(lock),
                Err(e @ LockError::Busy { .. }) => {
                    if opts.csv.is_some()
                        && let Ok((_, scan)) = read_scan(path)
                    {
                        self.add_row(&scan, file, sheet, report)?;
                    }
                    return Ok(Err(skipped(
                        report,
                        file,
                        SkipReason::Locked,
                        e.to_string(),
                    )));
                }
                Err(e) => return Ok(Err(failed(report, file, e.to_string()))),
            }
        } else {
            None
        };
        Ok(match read_scan(path) {
            Ok((bytes, scan)) => Ok((lock, bytes, scan)),
            Err(e) => Err(skipped(report, file, SkipReason::Unreadable, e.to_string())),
        })
    }

    /// A dry run's "would send", checking the lock as a real run would, without making a lock
    /// file (a dry run writes nothing).
    fn would_send(&self, path: &Path, file: &str, scan: &Scan, report: &mut Report) -> Step {
        if let Err(e @ LockError::Busy { .. }) = storage::check_not_locked(path) {
            return skipped(report, file, SkipReason::Locked, e.to_string());
        }
        report.would_send.push(report::Done {
            file: file.to_string(),
            // No message is built: the recipients by the rule that addresses a built one.
            to: crate::mail::message::recipients(scan, self.config),
            message_id: String::new(),
            eml: None,
        });
        "would send".into()
    }

    /// Each attempt: send, and record a failure at once — and only then, after a temporary
    /// failure, pause, wait for the send slot and record the next attempt's "sending" entry
    /// before it goes out. So an interrupted pause leaves "failed", never "unconfirmed", and no
    /// further attempt is made once a signal asked the export to stop. The first attempt's
    /// "sending" entry is on disk already ([`Batch::prepare_send`]); a success is not recorded
    /// here (the caller hands its "sent" entry to the recorder). The last attempt's outcome and
    /// whether a failure's record was saved; `Err` when a retry was not sent because its
    /// "sending" entry could not be saved.
    fn attempts(&self, m: &mut InHand<'_>, sender: &mut Sender<'_>) -> Result<Attempt, String> {
        let stop = || interrupted().is_some();
        let mut temporary = 0u32;
        loop {
            let outcome = sender.send_once(&m.message);
            let Err(e) = &outcome else {
                return Ok((outcome, Ok(())));
            };
            let failure = EmailResult::Failed {
                reason: e.to_string(),
            };
            let saved = m.record(failure, (self.now)(), m.to.clone());
            let retry = matches!(e.kind(), Kind::Temporary | Kind::Connection)
                && temporary < sender.retries
                && saved.is_ok();
            if !retry || stop() {
                return Ok((outcome, saved));
            }
            temporary += 1;
            pace::sleep_unless(
                self.clock,
                pace::backoff(temporary, sender.retry_base),
                &stop,
            );
            // Asked to stop during the pause or the wait for the send slot: the failure is
            // recorded, and the next run sends the message.
            if stop() || !sender.pace_unless(&stop) {
                return Ok((outcome, saved));
            }
            let to = m.to.clone();
            m.record(EmailResult::Sending, (self.now)(), to)
                .map_err(|e| format!("nothing sent: could not record the send first: {e}"))?;
        }
    }

    /// A message refused as a whole (5xx) with several recipients: perhaps only one address
    /// is refused. Each recipient alone, recorded like any send (sending first, then the
    /// outcome), so the others still get theirs and the report names the refused address.
    /// None when the "sending" entry could not be saved (nothing sent).
    fn each_alone(
        &self,
        m: &mut InHand<'_>,
        sender: &mut Sender<'_>,
    ) -> Option<(deliver::Split, Result<(), String>)> {
        m.record(EmailResult::Sending, (self.now)(), m.to.clone())
            .ok()?;
        let each = deliver::send_each(sender.outlet, &m.message);
        let (result, to) = if each.accepted.is_empty() {
            let reason = format!("refused: {}", crate::mail::refused_words(&each.refused));
            (EmailResult::Failed { reason }, m.to.clone())
        } else {
            (EmailResult::Sent, each.accepted.clone())
        };
        let saved = m.record(result, (self.now)(), to);
        Some((each, saved))
    }

    fn add_row(
        &self,
        scan: &Scan,
        file: &str,
        sheet: &mut Option<sheet::Sheet>,
        report: &mut Report,
    ) -> Result<(), BatchError> {
        let Some(target) = &self.opts.csv else {
            return Ok(());
        };
        if self.opts.dry_run {
            return Ok(());
        }
        let sheet = match sheet {
            Some(s) => s,
            None => sheet.insert(sheet::Sheet::create(
                &target.path,
                scan.standard(),
                target.bom,
                self.config.programme,
                self.opts.known_standards(),
            )?),
        };
        if !sheet.fits(scan) {
            report.warnings.push(format!(
                "{file} is a scan against {} v{}, whose questions differ from the spreadsheet's columns: only the matching questions are filled in",
                scan.standard.reference, scan.standard.version
            ));
        }
        sheet.add(scan, file)?;
        Ok(())
    }
}

/// A scan file read for this run: its lock (when sending), its bytes, the scan.
type Read = (Option<storage::ScanLock>, Vec<u8>, Scan);

/// A send's outcome, and whether its record was saved.
type Attempt = (Result<(), MailError>, Result<(), String>);

/// A scan whose message is to be built: where it is saved, the scan, its file's bytes (attached)
/// and the Message-ID to give it.
struct Built<'p> {
    path: &'p Path,
    scan: Scan,
    bytes: Vec<u8>,
    message_id: String,
}

/// Why a message was not sent.
#[derive(Debug)]
enum NotSent {
    /// A signal asked the export to stop while the message waited for its turn.
    Interrupted,
    /// Why (for the report).
    Failed(String),
}

impl From<String> for NotSent {
    fn from(why: String) -> Self {
        Self::Failed(why)
    }
}

/// A message sent whose "sent" entry the recorder is saving: reported once it is on disk.
#[derive(Debug)]
struct Unsettled {
    path: PathBuf,
    file: String,
    to: Vec<String>,
    message_id: String,
}

/// What carries over from one file's message to the next: the saves made beside the batch's
/// work, the message they will report, and the .eml files written so far.
#[derive(Debug)]
struct Lane {
    recorder: recorder::Recorder,
    unsettled: Option<Unsettled>,
    emls: std::collections::HashSet<PathBuf>,
}

/// One message in hand: the scan whose email log records it (saved at `path`), and what goes
/// out.
struct InHand<'p> {
    path: &'p Path,
    scan: Scan,
    message: lettre::Message,
    to: Vec<String>,
    message_id: String,
}

impl InHand<'_> {
    /// Appends an entry for this message to the scan's email log and saves the scan atomically.
    fn record(
        &mut self,
        result: EmailResult,
        at: DateTime<Utc>,
        to: Vec<String>,
    ) -> Result<(), String> {
        record(self.path, &mut self.scan, &self.message_id, result, at, to)
    }
}

/// Appends an entry for a message to a scan's email log and saves the scan atomically, in line.
fn record(
    path: &Path,
    scan: &mut Scan,
    message_id: &str,
    result: EmailResult,
    at: DateTime<Utc>,
    to: Vec<String>,
) -> Result<(), String> {
    scan.email_log.push(EmailLogEntry {
        at,
        to,
        message_id: message_id.to_string(),
        result,
    });
    storage::save_atomically(path, scan).map_err(|e| e.to_string())
}

/// Reports a message's outcome; trips the circuit breaker after `stop_after` temporary failures
/// in a row (0: never), and stops the batch when every further message would fail alike.
fn conclude(
    outcome: Result<(), MailError>,
    saved: Result<(), String>,
    (to, message_id): (Vec<String>, String),
    sender: &mut Sender<'_>,
    report: &mut Report,
    file: &str,
    stop_after: u32,
) -> Step {
    if outcome.is_ok() {
        sender.temporary_in_a_row = 0;
    } else if outcome.as_ref().is_err_and(|e| e.kind() == Kind::Temporary) {
        sender.temporary_in_a_row += 1;
        if stop_after > 0 && sender.temporary_in_a_row >= stop_after {
            report.stopped = Some(format!(
                "the server keeps refusing messages ({} in a row with a temporary failure); run the export again later",
                sender.temporary_in_a_row
            ));
        }
    }
    match (outcome, saved) {
        (Ok(()), Ok(())) => {
            report.sent.push(report::Done {
                file: file.to_string(),
                to,
                message_id,
                eml: None,
            });
            "sent".into()
        }
        (Ok(()), Err(e)) => failed(
            report,
            file,
            format!(
                "SENT, but recording it failed ({e}); the next run reports it as unconfirmed and does not send it again"
            ),
        ),
        (Err(e), saved) => {
            let note = match saved {
                Ok(()) => String::new(),
                Err(e) => format!(" (and recording the failure failed: {e})"),
            };
            let kind = match e.kind() {
                Kind::Temporary if interrupted().is_some() => {
                    "temporary failure (the export was interrupted: the next run tries again)"
                }
                Kind::Temporary => "temporary failure, retries used up",
                Kind::Permanent => "refused",
                Kind::Connection => "could not reach the server",
                Kind::Settings => "cannot send",
            };
            // Every further message would fail the same way: stop, and leave the rest for
            // the next run.
            if matches!(e.kind(), Kind::Connection | Kind::Settings) {
                report.stopped = Some(format!("{kind}: {e}"));
                report.stopped_by_settings = e.kind() == Kind::Settings;
            }
            failed(report, file, format!("{kind}: {e}{note}"))
        }
    }
}

/// Reports a message sent to each recipient alone (see `Batch::each_alone`).
fn split_step(
    report: &mut Report,
    file: &str,
    each: deliver::Split,
    saved: Result<(), String>,
    message_id: String,
) -> Step {
    let refused = crate::mail::refused_words(&each.refused);
    if each.accepted.is_empty() {
        return failed(report, file, format!("refused: {refused}"));
    }
    if let Err(e) = saved {
        return failed(
            report,
            file,
            format!(
                "SENT to {}, but recording it failed ({e}); the next run reports it as unconfirmed and does not send it again",
                each.accepted.join(", ")
            ),
        );
    }
    report.warnings.push(format!(
        "{file}: the server refused {refused}; the others got the message"
    ));
    report.sent.push(report::Done {
        file: file.to_string(),
        to: each.accepted,
        message_id,
        eml: None,
    });
    "sent (one address refused)".into()
}

/// Refuses an output path that is one of the files the walk reads, looks like a scan, or exists
/// and was not made by this run (unless `force`, which never replaces a scan).
fn refuse_to_replace_an_input(
    path: &Path,
    inputs: &[PathBuf],
    force: bool,
    what: &str,
) -> Result<(), BatchError> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let shown = path.display();
    let real = std::fs::canonicalize(path).ok();
    let is_input = real.as_ref().is_some_and(|real| {
        inputs
            .iter()
            .any(|i| std::fs::canonicalize(i).is_ok_and(|i| &i == real))
    });
    let is_scan = path
        .extension()
        .is_some_and(|e| e == storage::SCAN_EXTENSION)
        || storage::load(path).is_ok();
    if is_input || is_scan {
        return Err(BatchError::Output(format!(
            "{what} {shown} is a scan file{}: the export never writes over a scan. Give another file name",
            if is_input { " this export reads" } else { "" }
        )));
    }
    if meta.is_dir() {
        return Err(BatchError::Output(format!(
            "{what} {shown} is a folder: give a file name"
        )));
    }
    if !force {
        return Err(BatchError::Output(format!(
            "{what} {shown} already exists and was not made by this export: it was left as it is. Give another file name, or --force to replace it"
        )));
    }
    Ok(())
}

/// A scan's .eml file name: readable and carrying the scan's id (`DATE-learner-id.eml`), so two
/// scans never share one.
fn eml_name(scan: &Scan) -> String {
    let id: String = scan
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    let name = storage::file_name(&scan.learner.name, "", scan.created);
    let stem = name
        .strip_suffix(&format!("-.{}", storage::SCAN_EXTENSION))
        .unwrap_or(&name);
    if id.is_empty() {
        format!("{stem}.eml")
    } else {
        format!("{stem}-{id}.eml")
    }
}

/// Where one message's .eml goes.
struct Eml<'a> {
    out: &'a Path,
    name: String,
    force: bool,
}

impl Eml<'_> {
    /// Writes the message as `OUT/NAME.eml`, 0600: never over a file this run wrote (a second
    /// scan with the same id gets `-2`), nor over one it did not make unless forced.
    fn write(
        self,
        file: &str,
        message: &lettre::Message,
        to: Vec<String>,
        message_id: String,
        report: &mut Report,
        emls: &mut std::collections::HashSet<PathBuf>,
    ) -> Step {
        let mut eml = self.out.join(&self.name);
        let stem = self.name.trim_end_matches(".eml").to_string();
        let mut n = 1;
        while emls.contains(&eml) {
            n += 1;
            eml = self.out.join(format!("{stem}-{n}.eml"));
        }
        if let Err(e) = refuse_to_replace_an_input(&eml, &[], self.force, "the message file") {
            return failed(report, file, e.to_string());
        }
        emls.insert(eml.clone());
        write_eml(file, &eml, message, to, message_id, report)
    }
}

/// Writes the message and records it in the report.
fn write_eml(
    file: &str,
    eml: &Path,
    message: &lettre::Message,
    to: Vec<String>,
    message_id: String,
    report: &mut Report,
) -> Step {
    match storage::write_atomically(eml, &message.formatted()) {
        Ok(()) => {
            report.written.push(report::Done {
                file: file.to_string(),
                to,
                message_id,
                eml: Some(eml.display().to_string()),
            });
            "written".into()
        }
        Err(e) => failed(report, file, e.to_string()),
    }
}
