//! The batch report: what was sent (or written, or would be sent), what was skipped and why,
//! what failed and why; printed for people or as JSON for scripts.

use std::fmt::Write as _;

use serde::Serialize;

/// What the batch did with the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Sent over SMTP.
    Email,
    /// Written as .eml files.
    Eml,
    /// Nothing sent: a rehearsal.
    DryRun,
    /// Only the spreadsheet.
    CsvOnly,
}

/// Why a scan got no message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Its email log shows a message accepted by a server (use --resend to send again).
    AlreadySent,
    /// The learner has not submitted it yet.
    NotSubmitted,
    /// Another skills-scan has it open.
    Locked,
    /// The file could not be read (corrupt, newer version, not a scan).
    Unreadable,
    /// An earlier run stopped while sending it: it may or may not have arrived.
    Unconfirmed,
}

impl SkipReason {
    /// A short phrase for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::AlreadySent => "already sent",
            Self::NotSubmitted => "not submitted",
            Self::Locked => "locked by another process",
            Self::Unreadable => "unreadable",
            Self::Unconfirmed => "unconfirmed (interrupted while sending)",
        }
    }
}

/// One message handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Done {
    /// The scan file, relative to the folder.
    pub file: String,
    /// Recipients.
    pub to: Vec<String>,
    /// The message's Message-ID (empty when none was built, as in a dry run).
    pub message_id: String,
    /// The .eml file written, in eml mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eml: Option<String>,
}

/// One scan skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The scan file, relative to the folder.
    pub file: String,
    /// Why.
    pub reason: SkipReason,
    /// The details (the load error, the lock holder…).
    pub detail: String,
}

/// One scan whose message failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failed {
    /// The scan file, relative to the folder.
    pub file: String,
    /// Why, in words (the server's answer, the save error…).
    pub reason: String,
}

/// The spreadsheet written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsvWritten {
    /// Where.
    pub file: String,
    /// Rows, not counting the header.
    pub rows: usize,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What was done with messages.
    pub mode: Mode,
    /// Scan files found in the folder.
    pub files: usize,
    /// Messages accepted by the server (email mode).
    pub sent: Vec<Done>,
    /// Messages written as .eml files (eml mode).
    pub written: Vec<Done>,
    /// Messages a real run would send (dry run).
    pub would_send: Vec<Done>,
    /// Scans that got no message, with why.
    pub skipped: Vec<Skipped>,
    /// Scans whose message failed, with why.
    pub failed: Vec<Failed>,
    /// The spreadsheet, if one was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csv: Option<CsvWritten>,
    /// Why the batch stopped early, if it did (the server went away, the login was refused…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Things worth knowing that changed nothing (e.g. a scan on another standard).
    pub warnings: Vec<String>,
    /// Whether it stopped because the settings must be fixed (login, TLS, configuration).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stopped_by_settings: bool,
    /// The signal that stopped the export early (2 SIGINT, 15 SIGTERM), if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<i32>,
}

impl Report {
    /// An empty report.
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            files: 0,
            sent: Vec::new(),
            written: Vec::new(),
            would_send: Vec::new(),
            skipped: Vec::new(),
            failed: Vec::new(),
            csv: None,
            stopped: None,
            warnings: Vec::new(),
            interrupted: None,
            stopped_by_settings: false,
        }
    }

    /// Records a skipped scan.
    pub fn skip(&mut self, file: &str, reason: SkipReason, detail: impl Into<String>) {
        self.skipped.push(Skipped {
            file: file.to_string(),
            reason,
            detail: detail.into(),
        });
    }

    /// Records a failed scan.
    pub fn fail(&mut self, file: &str, reason: impl Into<String>) {
        self.failed.push(Failed {
            file: file.to_string(),
            reason: reason.into(),
        });
    }

    /// How many scans were skipped for this reason.
    pub fn skipped_for(&self, reason: SkipReason) -> usize {
        self.skipped.iter().filter(|s| s.reason == reason).count()
    }

    /// Whether nothing failed (exit code 0).
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty() && self.stopped.is_none() && self.interrupted.is_none()
    }

    /// The report for people: counts first, then every skip and failure with its reason.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let (verb, done) = match self.mode {
            Mode::Email => ("Sent", &self.sent),
            Mode::Eml => ("Written as .eml", &self.written),
            Mode::DryRun => ("Would send", &self.would_send),
            Mode::CsvOnly => ("Messages", &self.sent),
        };
        let _ = writeln!(out, "{} scan file(s) in the folder.", self.files);
        if self.mode != Mode::CsvOnly {
            let _ = writeln!(out, "{verb}: {}", done.len());
            if self.mode == Mode::DryRun {
                for d in done {
                    let _ = writeln!(out, "  {} → {}", d.file, d.to.join(", "));
                }
            }
        }
        let reasons = [
            SkipReason::AlreadySent,
            SkipReason::NotSubmitted,
            SkipReason::Locked,
            SkipReason::Unreadable,
            SkipReason::Unconfirmed,
        ];
        let counts: Vec<String> = reasons
            .iter()
            .filter(|r| self.skipped_for(**r) > 0)
            .map(|r| format!("{} {}", self.skipped_for(*r), r.label()))
            .collect();
        if counts.is_empty() {
            let _ = writeln!(out, "Skipped: 0");
        } else {
            let _ = writeln!(
                out,
                "Skipped: {} ({})",
                self.skipped.len(),
                counts.join(", ")
            );
        }
        for s in self
            .skipped
            .iter()
            .filter(|s| !matches!(s.reason, SkipReason::AlreadySent | SkipReason::NotSubmitted))
        {
            let _ = writeln!(out, "  {} — {}: {}", s.file, s.reason.label(), s.detail);
        }
        let _ = writeln!(out, "Failed: {}", self.failed.len());
        for f in &self.failed {
            let _ = writeln!(out, "  {} — {}", f.file, f.reason);
        }
        if let Some(csv) = &self.csv {
            let _ = writeln!(out, "Spreadsheet: {} ({} rows)", csv.file, csv.rows);
        }
        for w in &self.warnings {
            let _ = writeln!(out, "Note: {w}");
        }
        out
    }
}
