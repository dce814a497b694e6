//! What both learner front ends (full-screen and plain) are handed by `commands`: where things
//! live ([`Context`]), how the scan starts ([`Start`]) and a new scan's id. It sits below the
//! front ends so the dependency runs one way: commands → front ends → launch, session, core.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::config::{Config, ConfigError};
use crate::core::{Scan, Standard};
use crate::exit::{Exit, Failure, WithExit};
use crate::paths::Paths;

/// What every command may need: where things live and the config.
#[derive(Debug)]
pub struct Context {
    /// Resolved paths.
    pub paths: Paths,
    /// The config file as read the first time it was asked for (the learner's start asks three
    /// times before the first frame: file permissions, the outbox, the app).
    config: OnceLock<Result<Config, Arc<ConfigError>>>,
}

impl Context {
    /// A context for these paths; the config file is read when first asked for.
    pub fn new(paths: Paths) -> Self {
        Self {
            paths,
            config: OnceLock::new(),
        }
    }

    /// The effective config; a broken config file is a config error (exit 78). The file is
    /// read once per context: later calls give the same result.
    pub fn config(&self) -> Result<Config, Failure> {
        self.config
            .get_or_init(|| Config::load(&self.paths.config_file).map_err(Arc::new))
            .clone()
            .exit(Exit::Config)
    }

    /// Where to look for a later scan's earlier scan: beside it, then the data folder's scans.
    pub fn earlier_folders(&self, later_file: Option<&Path>) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = later_file
            .and_then(crate::storage::earlier::folder_of)
            .into_iter()
            .collect();
        out.push(self.paths.scans_dir());
        out
    }

    /// The approved standards to check a scan's copy against (embedded and the data folder's).
    pub fn known_standards(&self) -> Vec<crate::core::Standard> {
        crate::standards::known(&self.paths.data_dir)
    }
}

/// How long the learner's app, on its way out, waits for the background outbox drain to finish
/// a message it is sending.
pub const DRAIN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

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
    /// A later scan (progress review, end of programme) prepared from an earlier one, not yet
    /// saved; the earlier scan is shown beside each question.
    Later {
        /// The new later scan (details copied, no answers).
        scan: Box<Scan>,
        /// The earlier scan it follows.
        earlier: Box<Scan>,
    },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_file_is_read_once_per_context() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("config.toml");
        let paths = Paths {
            data_dir: dir.path().join("data"),
            config_file: file.clone(),
        };
        std::fs::write(&file, "[provider]\nname = \"Example Training\"\n").expect("write");
        let ctx = Context::new(paths.clone());
        assert_eq!(
            ctx.config().expect("config").provider.name,
            "Example Training"
        );
        // Changed (here broken) after it was read: the context keeps what it read.
        std::fs::write(&file, "[provider]\nname = 1\n").expect("write");
        assert_eq!(
            ctx.config().expect("config").provider.name,
            "Example Training"
        );
        // A broken file is the same config error (exit 78) every time it is asked for.
        let broken = Context::new(paths);
        let first = broken.config().expect_err("broken");
        assert_eq!(first.code, Exit::Config);
        assert!(
            first.error.to_string().contains("line 2"),
            "{:#}",
            first.error
        );
        std::fs::remove_file(&file).expect("remove");
        let again = broken.config().expect_err("still broken");
        assert_eq!(again.code, Exit::Config);
        assert_eq!(again.error.to_string(), first.error.to_string());
    }
}
