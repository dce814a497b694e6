//! The config file: provider details, SMTP and batch settings, programme figures. TOML, unknown
//! keys rejected with their name; no file at all means the defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::standard::line_column;

/// Environment variable holding the SMTP password (else `[smtp] password_command` is run).
pub const SMTP_PASSWORD_ENV: &str = "SKILLS_SCAN_SMTP_PASSWORD";

/// The commented template written by `skills-scan config init`.
pub const TEMPLATE: &str = include_str!("../data/config.example.toml");

/// The largest config file we read; the commented template is about 2 KB.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The effective configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The training provider.
    pub provider: Provider,
    /// How to send email; `None` when not configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp: Option<Smtp>,
    /// Batch export settings.
    pub batch: Batch,
    /// Who may read the files we make.
    pub storage: Storage,
    /// Programme figures for the prior-learning estimate.
    pub programme: Programme,
}

/// The training provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Provider {
    /// The provider's name.
    pub name: String,
    /// The e-portfolio named in the closing text.
    pub eportfolio: String,
    /// Cc'd on every summary if set.
    pub coach_email: String,
    /// Reply-To of summaries if set.
    pub reply_to: String,
}

impl Default for Provider {
    fn default() -> Self {
        Self {
            name: String::new(),
            eportfolio: "OneFile".into(),
            coach_email: String::new(),
            reply_to: String::new(),
        }
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// STARTTLS required (port 587).
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
    /// No encryption: localhost only unless `allow_insecure`.
    None,
}

/// SMTP settings. The password is never stored here: it comes from the environment or a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    /// Server host name.
    pub host: String,
    /// Port; defaults by security (587, 465, 25).
    #[serde(default)]
    pub port: Option<u16>,
    /// starttls, tls or none.
    #[serde(default = "default_security")]
    pub security: Security,
    /// Allow `security = "none"` to a host other than localhost.
    #[serde(default)]
    pub allow_insecure: bool,
    /// Login name, if the server needs one.
    #[serde(default)]
    pub username: String,
    /// A command whose output is the password.
    #[serde(default)]
    pub password_command: String,
    /// Seconds `password_command` may take before it is stopped (a helper waiting for input
    /// must not hang a send).
    #[serde(default = "default_password_command_timeout")]
    pub password_command_timeout_seconds: u64,
    /// The sender, e.g. `Skills scan <skills-scan@example.org>`.
    pub from: String,
    /// Connect and command timeout.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// Extra PEM certificate file to trust (for a private relay, or tests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

fn default_security() -> Security {
    Security::Starttls
}

fn default_timeout() -> u64 {
    30
}

fn default_password_command_timeout() -> u64 {
    10
}

/// Batch export settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Batch {
    /// Most messages per minute (0 = no limit).
    pub max_per_minute: u32,
    /// Retries of a temporary failure.
    pub retries: u32,
    /// Messages in a row ending in a temporary failure that stop the export (0 = never).
    pub stop_after_failures: u32,
}

impl Default for Batch {
    fn default() -> Self {
        Self {
            max_per_minute: 30,
            retries: 3,
            stop_after_failures: 5,
        }
    }
}

/// Who may read the scan files and folders we make (`[storage]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Storage {
    /// New files 0660 and folders 2770 (a group share) instead of owner-only.
    pub group_access: bool,
}

/// Programme figures for the indicative prior-learning estimate: the `[programme]` section is
/// read straight into the core's [`Programme`](crate::core::rpl::Programme).
pub use crate::core::rpl::Programme;

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable.
    #[error("cannot read the config file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Bad TOML or an unknown key or a wrong value.
    #[error("the config file {path} has a problem at {place}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// line L, column C.
        place: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Loads the config file; a missing file gives the defaults. A folder, device or pipe is
    /// refused before it is opened (a FIFO would wait for ever, a device never ends), and so is
    /// a file over [`MAX_CONFIG_BYTES`], by its size, without reading it.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        use std::io::Read;
        let io = |source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => return Err(io(source)),
        };
        if !meta.is_file() {
            return Err(io(std::io::Error::other(
                "it is not a regular file (a folder, device or pipe)",
            )));
        }
        let too_large = |size: u64| {
            io(std::io::Error::other(format!(
                "it is {size} bytes; a config file is at most {MAX_CONFIG_BYTES}"
            )))
        };
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(too_large(meta.len()));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Invalid {
            path: path.to_path_buf(),
            place: "file".into(),
            message: "it is not UTF-8 text".into(),
        })?;
        Self::parse(path, &text)
    }

    /// Parses config text; `path` names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let place = e.span().map_or_else(
                || "the top".to_string(),
                |s| {
                    let (l, c) = line_column(text, s.start);
                    format!("line {l}, column {c}")
                },
            );
            let mut message = e.message().trim().to_string();
            if message.starts_with("unknown field `password`") {
                message = format!(
                    "`password` is not a setting: the SMTP password is never kept in the config file. Set the {SMTP_PASSWORD_ENV} environment variable, or password_command = \"...\" to a command that prints it (e.g. \"pass show smtp/skills-scan\")"
                );
            }
            ConfigError::Invalid {
                path: path.to_path_buf(),
                place,
                message,
            }
        })?;
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |place: &str, message: String| {
            Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                place: place.into(),
                message,
            })
        };
        if let Some((key, message)) = self.programme.problem() {
            return bad(&format!("[programme] {key}"), message);
        }
        if let Some(smtp) = &self.smtp {
            if smtp.host.trim().is_empty() {
                return bad("[smtp] host", "is empty".into());
            }
            if let Some(problem) = crate::core::validate::email_problem(sender_address(&smtp.from))
            {
                return bad("[smtp] from", format!("`{}`: {problem}", smtp.from));
            }
        }
        for (key, value) in [
            ("coach_email", &self.provider.coach_email),
            ("reply_to", &self.provider.reply_to),
        ] {
            if value.is_empty() {
                continue;
            }
            if let Some(problem) = crate::core::validate::email_problem(sender_address(value)) {
                return bad(
                    &format!("[provider] {key}"),
                    format!("`{value}`: {problem}"),
                );
            }
        }
        Ok(())
    }

    /// The e-portfolio name for the closing texts.
    pub fn eportfolio(&self) -> &str {
        if self.provider.eportfolio.trim().is_empty() {
            "e-portfolio"
        } else {
            &self.provider.eportfolio
        }
    }
}

/// The address part of `Name <addr>` or a bare address.
pub fn sender_address(from: &str) -> &str {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_to_defaults() {
        let c = Config::parse(Path::new("t.toml"), TEMPLATE).expect("template is valid");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = Config::parse(Path::new("c.toml"), "[provider]\ncolour = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("colour"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("c.toml"), "{err}");
    }

    #[test]
    fn bad_values_are_refused() {
        let err =
            Config::parse(Path::new("c.toml"), "[programme]\nsome_factor = 2.0\n").unwrap_err();
        assert!(err.to_string().contains("some_factor"));
        let err = Config::parse(
            Path::new("c.toml"),
            "[programme]\nduration_months = 1e308\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("[programme] duration_months"), "{err}");
        assert!(err.contains("must be a number from 1 to 120"), "{err}");
        let err = Config::parse(
            Path::new("c.toml"),
            "[smtp]\nhost = \"h\"\nfrom = \"nobody\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("from"));
    }

    #[test]
    fn sender_address_takes_angle_part() {
        assert_eq!(sender_address("Skills <s@example.org>"), "s@example.org");
        assert_eq!(sender_address(" s@example.org "), "s@example.org");
    }
}
