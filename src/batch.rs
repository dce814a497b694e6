//! Cohort export: walks a folder of scans one file at a time, writes the spreadsheet, and emails
//! (or writes as .eml) each submitted scan's summary exactly once, paced and retried; ends with
//! a report of what was sent, skipped and failed.
//!
//! Memory stays flat: only the list of paths is held; each scan is loaded, used and dropped
//! before the next.

pub mod pace;
pub mod progress;
pub mod report;
pub mod sheet;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::core::Scan;
use crate::storage::{self, LockError};

pub use report::{Mode, Report, SkipReason};

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
    /// The .eml folder could not be created.
    #[error("cannot create the folder {path} for .eml files: {source}")]
    EmlDir {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The recipients of a scan's summary: the learner, the manager, and the coach if configured.
pub fn recipients(scan: &Scan, config: &Config) -> Vec<String> {
    let mut to = vec![scan.learner.email.clone(), scan.manager.email.clone()];
    if !config.provider.coach_email.is_empty() {
        to.push(config.provider.coach_email.clone());
    }
    to
}

/// A file's name as shown in the report: relative to the folder where possible.
fn shown(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

/// Runs a batch: every scan file under `opts.dir`, one at a time.
pub fn run(
    opts: &Options,
    config: &Config,
    progress: &mut dyn progress::Progress,
    now: &dyn Fn() -> DateTime<Utc>,
) -> Result<Report, BatchError> {
    let _ = now;
    let files = storage::scan_files(&opts.dir).map_err(|source| BatchError::Folder {
        path: opts.dir.clone(),
        source,
    })?;
    let mut report = Report::new(opts.mode());
    report.files = files.len();
    let mut sheet: Option<sheet::Sheet> = None;
    progress.start(files.len());
    for path in &files {
        let file = shown(&opts.dir, path);
        let what = one(opts, config, path, &file, &mut sheet, &mut report)?;
        progress.step(&file, &what);
    }
    progress.finish();
    if let Some(target) = &opts.csv {
        if opts.dry_run {
            report.warnings.push(format!(
                "dry run: the spreadsheet {} was not written",
                target.path.display()
            ));
        } else {
            // No readable scan: the spreadsheet still gets its header (the embedded standard's).
            let sheet = match (sheet, crate::core::Standard::embedded()) {
                (Some(s), _) => Some(s),
                (None, Ok(standard)) => Some(sheet::Sheet::create(
                    &target.path,
                    &standard,
                    target.bom,
                    config.programme.some_factor,
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
        }
    }
    Ok(report)
}

/// Handles one file; returns what happened, for the progress line.
fn one(
    opts: &Options,
    config: &Config,
    path: &Path,
    file: &str,
    sheet: &mut Option<sheet::Sheet>,
    report: &mut Report,
) -> Result<String, BatchError> {
    let scan = match storage::load(path) {
        Ok(scan) => scan,
        Err(e) => {
            report.skip(file, SkipReason::Unreadable, e.to_string());
            return Ok(format!("skipped: {}", SkipReason::Unreadable.label()));
        }
    };
    if let Some(target) = &opts.csv
        && !opts.dry_run
    {
        add_row(target, config, &scan, file, sheet, report)?;
    }
    if opts.messages == Messages::None && !opts.dry_run {
        return Ok("added to the spreadsheet".into());
    }
    if !scan.is_submitted() {
        report.skip(file, SkipReason::NotSubmitted, "");
        return Ok(format!("skipped: {}", SkipReason::NotSubmitted.label()));
    }
    let resend = matches!(opts.messages, Messages::Email { resend: true });
    let emailing = opts.dry_run || matches!(opts.messages, Messages::Email { .. });
    if emailing && scan.was_emailed() && !resend {
        report.skip(file, SkipReason::AlreadySent, "");
        return Ok(format!("skipped: {}", SkipReason::AlreadySent.label()));
    }
    if opts.dry_run {
        // Check the lock as a real run would, and let it go at once.
        if let Err(e @ LockError::Busy { .. }) = storage::try_lock(path) {
            report.skip(file, SkipReason::Locked, e.to_string());
            return Ok(format!("skipped: {}", SkipReason::Locked.label()));
        }
        report.would_send.push(report::Done {
            file: file.to_string(),
            to: recipients(&scan, config),
            message_id: String::new(),
            eml: None,
        });
        return Ok("would send".into());
    }
    report.fail(file, "email is not available in this build yet");
    Ok("failed".into())
}

fn add_row(
    target: &CsvTarget,
    config: &Config,
    scan: &Scan,
    file: &str,
    sheet: &mut Option<sheet::Sheet>,
    report: &mut Report,
) -> Result<(), BatchError> {
    let sheet = match sheet {
        Some(s) => s,
        None => sheet.insert(sheet::Sheet::create(
            &target.path,
            scan.standard(),
            target.bom,
            config.programme.some_factor,
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
