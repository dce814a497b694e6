//! Where things live: the data folder (scans, outbox) and the config file, from `directories`
//! with command-line and environment overrides. On Windows `directories` gives
//! `%APPDATA%\skills-scan\skills-scan\config\config.toml` and
//! `%APPDATA%\skills-scan\skills-scan\data` (roaming, as the profile is on managed laptops).

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "SKILLS_SCAN_DATA_DIR";
/// Environment variable that overrides the config file.
pub const CONFIG_ENV: &str = "SKILLS_SCAN_CONFIG";

/// The folders and files in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The data folder.
    pub data_dir: PathBuf,
    /// The config file (may not exist).
    pub config_file: PathBuf,
}

impl Paths {
    /// Resolves the paths: explicit values (from flags or their environment variables, which clap
    /// reads) win over the platform's defaults.
    pub fn resolve(data_dir: Option<&Path>, config_file: Option<&Path>) -> Self {
        let dirs = directories::ProjectDirs::from("org", "skills-scan", "skills-scan");
        let data_dir = data_dir.map_or_else(
            || {
                dirs.as_ref().map_or_else(
                    || PathBuf::from(".skills-scan"),
                    |d| d.data_dir().to_path_buf(),
                )
            },
            Path::to_path_buf,
        );
        let config_file = config_file.map_or_else(
            || {
                dirs.as_ref().map_or_else(
                    || PathBuf::from("skills-scan.toml"),
                    |d| d.config_dir().join("config.toml"),
                )
            },
            Path::to_path_buf,
        );
        // Printed as the system's users write paths (backslashes on Windows, even when an
        // override was given with slashes).
        Self {
            data_dir: crate::platform::native_path(&data_dir),
            config_file: crate::platform::native_path(&config_file),
        }
    }

    /// Where the learner's scans are saved.
    pub fn scans_dir(&self) -> PathBuf {
        self.data_dir.join("scans")
    }

    /// Where messages wait to be sent.
    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
