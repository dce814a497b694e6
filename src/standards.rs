//! Finding a standard: the embedded Peer worker standard, a standard file given by the user, or
//! one installed by `standard import` in the data folder's `standards/`.

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
    /// `--standard ST0xxx` names a standard that is neither embedded nor installed.
    #[error(
        "no standard {wanted} is installed (in {dir}); import it with `skills-scan standard import FILE`, see `skills-scan standard list`"
    )]
    NotInstalled {
        /// What was asked for.
        wanted: String,
        /// The installed standards' folder.
        dir: PathBuf,
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
            Self::Io { .. } | Self::NotInstalled { .. } => crate::exit::Exit::NoInput,
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

/// The folder of installed standards: `DATA/standards/`.
pub fn installed_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("standards")
}

/// A standard file in the installed folder, read or with why it could not be.
#[derive(Debug)]
pub struct Installed {
    /// The file.
    pub path: PathBuf,
    /// The standard, or why it cannot be used.
    pub standard: Result<Standard, StandardError>,
}

/// Every `*.toml` in the installed folder, sorted by file name (none when the folder is absent).
pub fn installed(data_dir: &Path) -> Vec<Installed> {
    let Ok(entries) = std::fs::read_dir(installed_dir(data_dir)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| Installed {
            standard: load(Some(&path)),
            path,
        })
        .collect()
}

/// A standard a learner may start a scan on: the embedded one or an installed file.
#[derive(Debug)]
pub struct Available {
    /// The file, or `None` for the embedded standard.
    pub path: Option<PathBuf>,
    /// The standard.
    pub standard: Standard,
}

/// The embedded standard and every readable installed one (unreadable files are left out).
pub fn available(data_dir: &Path) -> Result<Vec<Available>, StandardError> {
    let mut out = vec![Available {
        path: None,
        standard: load(None)?,
    }];
    out.extend(installed(data_dir).into_iter().filter_map(|i| {
        i.standard.ok().map(|standard| Available {
            path: Some(i.path),
            standard,
        })
    }));
    Ok(out)
}

/// Whether `--standard` names a reference (`ST0896` or `ST0896:1.0`) rather than a file.
pub fn is_reference(spec: &str) -> bool {
    let reference = spec.split_once(':').map_or(spec, |(r, _)| r);
    reference.len() > 2
        && reference[..2].eq_ignore_ascii_case("st")
        && reference[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Compares versions number by number (`1.10` after `1.9`).
fn version_key(v: &str) -> Vec<(u64, String)> {
    v.split('.')
        .map(|p| (p.parse().unwrap_or(0), p.to_string()))
        .collect()
}

/// The standard `--standard` names: an existing file, or a reference with an optional version
/// among the embedded and installed standards (the newest version when none is given).
pub fn resolve(spec: &Path, data_dir: &Path) -> Result<Standard, StandardError> {
    let text = spec.to_string_lossy();
    if spec.exists() || !is_reference(&text) {
        return load(Some(spec));
    }
    let (reference, version) = match text.split_once(':') {
        Some((r, v)) => (r, Some(v.trim())),
        None => (text.as_ref(), None),
    };
    let all = available(data_dir)?;
    let mut found: Vec<Available> = all
        .into_iter()
        .filter(|a| a.standard.reference.eq_ignore_ascii_case(reference))
        .filter(|a| version.is_none_or(|v| a.standard.version == v))
        .collect();
    found.sort_by_key(|a| version_key(&a.standard.version));
    found
        .pop()
        .map(|a| a.standard)
        .ok_or_else(|| StandardError::NotInstalled {
            wanted: text.to_string(),
            dir: installed_dir(data_dir),
        })
}

/// The approved standards the program knows, to check the copy a scan carries against: the
/// embedded one, then every readable installed standard (a file that does not load is skipped
/// here; `skills-scan standard list` reports its problems). The embedded standard wins over a
/// file with the same reference and version.
pub fn known(data_dir: &Path) -> Vec<Standard> {
    let mut out: Vec<Standard> = Standard::embedded().into_iter().collect();
    for installed in installed(data_dir) {
        if let Ok(s) = installed.standard
            && !out
                .iter()
                .any(|k| k.reference == s.reference && k.version == s.version)
        {
            out.push(s);
        }
    }
    out
}
