//! What both learner front ends (full-screen and plain) are handed by `commands`: where things
//! live ([`Context`]), how the scan starts ([`Start`]) and a new scan's id. It sits below the
//! front ends so the dependency runs one way: commands → front ends → launch, session, core.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::core::{Scan, Standard};
use crate::exit::{Exit, Failure, WithExit};
use crate::paths::Paths;

/// What every command may need: where things live and the config.
#[derive(Debug)]
pub struct Context {
    /// Resolved paths.
    pub paths: Paths,
}

impl Context {
    /// The effective config; a broken config file is a config error (exit 78).
    pub fn config(&self) -> Result<Config, Failure> {
        Config::load(&self.paths.config_file).exit(Exit::Config)
    }
}

/// A fresh id for a new scan.
pub fn new_scan_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An unfinished scan found on disk.
#[derive(Debug, Clone)]
pub struct Unfinished {
    /// Its file.
    pub path: PathBuf,
    /// The scan (already loaded, for the offer's wording).
    pub scan: Box<Scan>,
}

impl Unfinished {
    /// One line naming the scan for a list of choices: whose, progress, last saved, file name.
    pub fn describe(&self, now: chrono::DateTime<chrono::Utc>) -> String {
        format!(
            "{}, {} of {} answered, last saved {} ({})",
            whose(&self.scan),
            crate::core::validate::complete_count(&self.scan),
            self.scan.question_count(),
            crate::core::text::ago(self.scan.updated, now),
            file_name(&self.path)
        )
    }
}

/// "Sam Taylor's scan", or "an unnamed scan".
pub fn whose(scan: &Scan) -> String {
    let name = crate::core::text::sanitize_line(scan.learner.name.trim());
    if name.is_empty() {
        "an unnamed scan".into()
    } else {
        format!("{name}'s scan")
    }
}

fn file_name(path: &Path) -> String {
    crate::core::text::sanitize_line(&path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    ))
}

/// How the learner's scan starts.
#[derive(Debug)]
pub enum Start {
    /// A new scan on this standard.
    New(Standard),
    /// Unfinished scans were found (newest first, at least one): offer to resume one of them or
    /// start a new one on this standard.
    Offer {
        /// The unfinished scans, newest first.
        scans: Vec<Unfinished>,
        /// The standard for a new scan.
        standard: Standard,
    },
    /// `skills-scan resume FILE`: carry on with this scan, without asking.
    Resume(Unfinished),
}
