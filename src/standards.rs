//! Finding a standard: the embedded Peer worker standard, or a standard file given by the user.

use std::path::{Path, PathBuf};

use crate::core::standard::{Problems, Standard};

/// Why a standard could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StandardError {
    /// The file could not be read.
    #[error("cannot read the standard file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is too large to be a standard.
    #[error("the standard file {path} is {size} bytes; a standard file is at most {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file has problems.
    #[error("the standard file {path} has {problems}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem, with its place.
        problems: Problems,
    },
}

impl StandardError {
    /// The exit code a script sees: 66 when the file cannot be read, 65 when it is malformed.
    pub fn exit_code(&self) -> crate::exit::Exit {
        match self {
            Self::Io { .. } => crate::exit::Exit::NoInput,
            Self::TooLarge { .. } | Self::Invalid { .. } => crate::exit::Exit::DataErr,
        }
    }
}

/// The largest standard file we read.
pub const MAX_STANDARD_BYTES: u64 = 8 * 1024 * 1024;

/// Loads the given standard file, or the embedded standard when `path` is `None`.
pub fn load(path: Option<&Path>) -> Result<Standard, StandardError> {
    let Some(path) = path else {
        return Standard::embedded().map_err(|problems| StandardError::Invalid {
            path: PathBuf::from("<embedded>"),
            problems,
        });
    };
    let io = |source| StandardError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::other(
            "it is not a regular file (a folder, device or pipe)",
        )));
    }
    let size = meta.len();
    if size > MAX_STANDARD_BYTES {
        return Err(StandardError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_STANDARD_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes).map_err(|_| StandardError::Invalid {
        path: path.to_path_buf(),
        problems: Problems(vec![crate::core::standard::Problem {
            place: "file".into(),
            message: "it is not UTF-8 text".into(),
        }]),
    })?;
    Standard::from_toml(&text).map_err(|problems| StandardError::Invalid {
        path: path.to_path_buf(),
        problems,
    })
}

/// The approved standards the program knows, to check the copy a scan carries against: the
/// embedded one, then every readable `*.toml` standard in `DATA/standards/` (a file that does
/// not load is skipped here; `skills-scan new --standard FILE` reports its problems). The
/// embedded standard wins over a file with the same reference and version.
pub fn known(data_dir: &Path) -> Vec<Standard> {
    let mut out: Vec<Standard> = Standard::embedded().into_iter().collect();
    let Ok(entries) = std::fs::read_dir(data_dir.join("standards")) else {
        return out;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        if let Ok(s) = load(Some(&file))
            && !out
                .iter()
                .any(|k| k.reference == s.reference && k.version == s.version)
        {
            out.push(s);
        }
    }
    out
}
