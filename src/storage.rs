//! Scan files on disk: atomic, durable saves with private (or group-shared) permissions;
//! careful loading that names the file and what is wrong; an advisory lock per scan; listing a
//! folder of scans.
//!
//! A save writes a temporary file in the same folder, syncs it, renames it over the old file and
//! syncs the folder, so a crash leaves the old file or the new one, never a torn one. A file that
//! could not be read is never overwritten or deleted.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::core::scan::{SCAN_FORMAT, SCAN_FORMAT_VERSION, Scan};

pub mod earlier;
mod migrate;

/// The largest scan file we read. A full scan with long answers is well under a megabyte.
pub const MAX_SCAN_BYTES: u64 = 64 * 1024 * 1024;

/// The extension of scan files.
pub const SCAN_EXTENSION: &str = "json";

/// Why a scan file could not be read. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The OS refused (missing, permissions…).
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Nothing in it.
    #[error(
        "{path} is empty: it holds no scan (it may have been cut short by a full disk or a copy)"
    )]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Too big to be a scan.
    #[error("{path} is {size} bytes, too large to be a scan file (the limit is {limit} bytes)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not JSON, or JSON cut short.
    #[error("{path} is not a readable scan file: {detail} (line {line}, column {column})")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What serde_json said.
        detail: String,
        /// Where.
        line: usize,
        /// Where.
        column: usize,
    },
    /// JSON, but not a skills-scan file.
    #[error("{path} is not a skills-scan file ({detail})")]
    NotAScan {
        /// The file.
        path: PathBuf,
        /// Why we think so.
        detail: String,
    },
    /// Made by a newer program.
    #[error(
        "{path} was made by a newer skills-scan (version {version}); this one reads up to version {supported}. Update skills-scan to open it"
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// The file's format version.
        version: u32,
        /// The newest we read.
        supported: u32,
    },
    /// A skills-scan file whose fields are wrong or contradict each other.
    #[error("{path} is a damaged scan file: {detail}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

impl LoadError {
    /// The file concerned.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. }
            | Self::Empty { path }
            | Self::TooLarge { path, .. }
            | Self::Syntax { path, .. }
            | Self::NotAScan { path, .. }
            | Self::NewerVersion { path, .. }
            | Self::Invalid { path, .. } => path,
        }
    }
}

/// Why a save failed. The previous file, if any, is untouched.
#[derive(Debug, thiserror::Error)]
#[error("could not save {path}: {source}. The previous copy on disk is unchanged")]
pub struct SaveError {
    /// The file we tried to write.
    pub path: PathBuf,
    /// The cause (disk full, permission denied, folder missing…).
    #[source]
    pub source: io::Error,
}

/// The two fields read before anything else, kept loose so that a wrong type is named.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    format_version: Option<serde_json::Value>,
}

/// "an array", "a string"… for a JSON value that is not an object.
fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads and checks a scan file. Never modifies it.
pub fn load(path: &Path) -> Result<Scan, LoadError> {
    parse(path, &read_bytes(path)?)
}

/// A scan file's bytes, unparsed, refusing what is not a regular file (opening a FIFO would wait)
/// or is too large to be a scan, before reading it ([`load`] is this and [`parse`]).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Check before opening: opening a FIFO would wait for a writer, and a device never ends.
    if !fs::metadata(path).map_err(io_err)?.is_file() {
        return Err(io_err(io::Error::other(
            "it is not a regular file (a folder, device or pipe)",
        )));
    }
    let mut file = File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size > MAX_SCAN_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_SCAN_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    Read::by_ref(&mut file)
        .take(MAX_SCAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_SCAN_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_SCAN_BYTES,
        });
    }
    Ok(bytes)
}

/// Whether a scan file's bytes plainly say it was submitted, read without building the scan:
/// `Some` only for a file of this version whose `format`, `format_version` and `status` read
/// as they do in a full [`parse`]; `None` for anything else, which the full parse then decides.
/// Five times quicker than a full parse, so that listing the unfinished scans of a shared
/// computer's data folder (read before the learner's first frame) skips the submitted ones cheaply.
fn plainly_submitted(bytes: &[u8]) -> Option<bool> {
    /// The three fields, the rest of the file skipped unread.
    #[derive(Deserialize)]
    struct Peek {
        format: String,
        format_version: u32,
        status: crate::core::scan::Status,
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let peek: Peek = serde_json::from_slice(bytes).ok()?;
    (peek.format == SCAN_FORMAT && peek.format_version == SCAN_FORMAT_VERSION).then_some(matches!(
        peek.status,
        crate::core::scan::Status::Submitted { .. }
    ))
}

/// Parses a scan file's bytes; `path` is only used to name the file in errors.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Scan, LoadError> {
    // A UTF-8 byte-order mark (some Windows editors add one) is not part of the JSON.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let path_buf = || path.to_path_buf();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty { path: path_buf() });
    }
    let syntax = |e: &serde_json::Error| LoadError::Syntax {
        path: path_buf(),
        detail: describe_json_error(e),
        line: e.line(),
        column: e.column(),
    };
    // Serde would read a struct from a JSON array too: insist on an object first.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| syntax(&e))?;
        return Err(LoadError::NotAScan {
            path: path_buf(),
            detail: format!(
                "it is JSON, but {} rather than an object",
                json_kind(&value)
            ),
        });
    }
    // The usual case, a valid file of the current version, in one pass: the same checks as
    // below, on the parsed values. Anything else (a syntax error, another format, an older
    // version to migrate, a wrong type) takes the careful path, whose errors name the problem.
    if let Ok(scan) = serde_json::from_slice::<Scan>(bytes)
        && scan.format == SCAN_FORMAT
        && scan.format_version == SCAN_FORMAT_VERSION
    {
        return checked(path, scan);
    }
    let header: Header = serde_json::from_slice(bytes).map_err(|e| syntax(&e))?;
    let version = header_version(path, &header)?;
    let scan = read_checked_version(path, bytes, version)?;
    checked(path, scan)
}

/// The version of a file whose header names the scan format, or why it cannot be read: another
/// format, a version missing, not a number, zero, or newer than this build reads.
fn header_version(path: &Path, header: &Header) -> Result<u32, LoadError> {
    let path_buf = || path.to_path_buf();
    match &header.format {
        Some(serde_json::Value::String(f)) if f == SCAN_FORMAT => {}
        Some(serde_json::Value::String(other)) => {
            return Err(LoadError::NotAScan {
                path: path_buf(),
                detail: format!("its format is `{other}`, not `{SCAN_FORMAT}`"),
            });
        }
        Some(other) => {
            return Err(LoadError::NotAScan {
                path: path_buf(),
                detail: format!(
                    "its `format` is {}, not the text `{SCAN_FORMAT}`",
                    json_kind(other)
                ),
            });
        }
        None => {
            return Err(LoadError::NotAScan {
                path: path_buf(),
                detail: "it has no `format` field".into(),
            });
        }
    }
    let version = match &header.format_version {
        None => {
            return Err(LoadError::Invalid {
                path: path_buf(),
                detail: "it has no `format_version` field".into(),
            });
        }
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| LoadError::Invalid {
                path: path_buf(),
                detail: format!("its `format_version` is {v}, not a whole number"),
            })?,
    };
    if version > SCAN_FORMAT_VERSION {
        return Err(LoadError::NewerVersion {
            path: path_buf(),
            version,
            supported: SCAN_FORMAT_VERSION,
        });
    }
    if version == 0 {
        return Err(LoadError::Invalid {
            path: path_buf(),
            detail: "format_version 0 does not exist (versions start at 1)".into(),
        });
    }
    Ok(version)
}

/// Reads a file of a known, supported version: refuses a key given twice, migrates an older
/// version, and names where the JSON does not fit a scan.
fn read_checked_version(path: &Path, bytes: &[u8], version: u32) -> Result<Scan, LoadError> {
    let path_buf = || path.to_path_buf();
    let syntax = |e: &serde_json::Error| LoadError::Syntax {
        path: path_buf(),
        detail: describe_json_error(e),
        line: e.line(),
        column: e.column(),
    };
    // JSON allows a key twice; serde would keep the last silently. Two answers to one question
    // (an edit merged by hand, a bad copy) must not lose one without a word: refuse the file.
    if let Err(e) = serde::de::DeserializeSeed::deserialize(
        NoDuplicateKeys,
        &mut serde_json::Deserializer::from_slice(bytes),
    ) {
        return Err(LoadError::Invalid {
            path: path_buf(),
            detail: describe_json_error(&e),
        });
    }
    let invalid = |e: &serde_json::Error| LoadError::Invalid {
        path: path_buf(),
        detail: format!(
            "{} (line {}, column {})",
            describe_json_error(e),
            e.line(),
            e.column()
        ),
    };
    let scan: Scan = if version < SCAN_FORMAT_VERSION {
        // Migration policy: a build reads every older format version and writes only the
        // newest. An older file is read as a JSON value, changed step by step (1 → 2 → …) by
        // the pure functions in `migrate`, then read as a `Scan`. The file on disk is left as it
        // is until the next save writes the new version.
        let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| syntax(&e))?;
        migrate::to_current(&mut value, version);
        serde_json::from_value(value).map_err(|e| LoadError::Invalid {
            path: path_buf(),
            detail: describe_json_error(&e),
        })?
    } else {
        serde_json::from_slice(bytes).map_err(|e| invalid(&e))?
    };
    Ok(scan)
}

/// The scan, unless its content contradicts itself (see [`Scan::integrity_problems`]).
fn checked(path: &Path, scan: Scan) -> Result<Scan, LoadError> {
    let problems = scan.integrity_problems();
    if let Some(first) = problems.first() {
        let more = problems.len() - 1;
        return Err(LoadError::Invalid {
            path: path.to_path_buf(),
            detail: if more == 0 {
                first.clone()
            } else {
                format!(
                    "{first} (and {more} more problem{})",
                    if more == 1 { "" } else { "s" }
                )
            },
        });
    }
    Ok(scan)
}

/// Walks any JSON value and fails on the first object that has a key twice.
struct NoDuplicateKeys;

impl<'de> serde::de::DeserializeSeed<'de> for NoDuplicateKeys {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for NoDuplicateKeys {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(NoDuplicateKeys)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(serde::de::Error::custom(format!(
                    "`{key}` is given twice in one object, so which value is meant is unclear"
                )));
            }
            map.next_value_seed(NoDuplicateKeys)?;
            seen.insert(key);
        }
        Ok(())
    }
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = e.to_string();
    // serde_json appends " at line L column C"; we report the place ourselves.
    let text = text.split(" at line ").next().unwrap_or(&text).to_string();
    match e.classify() {
        Category::Eof => format!("the file ends too early, it looks cut short ({text})"),
        _ => text,
    }
}

/// The scan as the bytes we write: pretty JSON with a final newline.
pub fn to_bytes(scan: &Scan) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(scan).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Saves a scan atomically and durably. A new file is owner-only (0600 in a 0700 folder, unless
/// `[storage] group_access`); a replaced one keeps its group and the group's access (see
/// [`platform`](crate::platform)). A read-only file is refused, never replaced.
/// On failure the previous file is untouched.
pub fn save_atomically(path: &Path, scan: &Scan) -> Result<(), SaveError> {
    write_atomically(path, &to_bytes(scan))
}

/// Writes bytes to `path` atomically and durably, with the permissions of [`save_atomically`].
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    replace_with(path, bytes, Folder::Flush)
}

/// Saves a scan atomically, its content durably, but leaves its folder to be flushed later
/// ([`flush_folder`]): until then a power cut may bring back the file as it was before this save
/// (whole, never half-written). For a record whose loss is safe, such as an email log's "sent"
/// entry after its "sending" entry was saved durably (lost, it shows as unconfirmed: never sent
/// twice), so that several saves in one folder share one folder flush.
pub fn save_atomically_folder_later(path: &Path, scan: &Scan) -> Result<(), SaveError> {
    replace_with(path, &to_bytes(scan), Folder::Later)
}

/// Flushes a folder, making durable every save in it whose folder was left to be flushed later
/// ([`save_atomically_folder_later`]).
pub fn flush_folder(dir: &Path) -> io::Result<()> {
    sync_dir(dir)
}

/// The folder a save of `path` writes in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    parent_dir(path)
}

/// Whether a save flushes the folder (making the new name durable) before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folder {
    Flush,
    Later,
}

fn replace_with(path: &Path, bytes: &[u8], folder: Folder) -> Result<(), SaveError> {
    let err = |source| SaveError {
        path: path.to_path_buf(),
        source: without_temp_name(source),
    };
    crate::platform::check_replaceable(path).map_err(err)?;
    let existing = fs::metadata(path).ok().filter(fs::Metadata::is_file);
    let dir = parent_dir(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(err)?;
    crate::platform::Likeness::of(existing.as_ref())
        .apply(tmp.as_file())
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    crate::platform::replace(tmp, path).map_err(err)?;
    if folder == Folder::Flush {
        sync_dir(dir).map_err(err)?;
    }
    Ok(())
}

/// The cause without the temporary file's name that `tempfile` adds to it ("… at path
/// .skills-scan-x1y2.tmp"): the person needs the scan's name, which the error already gives.
fn without_temp_name(e: io::Error) -> io::Error {
    if e.get_ref().is_none() {
        return e;
    }
    let text = e.to_string();
    match text.find(" at path ") {
        Some(i) => io::Error::new(e.kind(), &text[..i]),
        None => e,
    }
}

/// Temporary files of a save in progress: `.skills-scan-XXXXXX.tmp` beside the scan.
const TEMP_PREFIX: &str = ".skills-scan-";
const TEMP_SUFFIX: &str = ".tmp";

/// How old a save's temporary file must be before it counts as left behind by a killed process
/// (a save in progress lives for milliseconds).
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Removes temporary files that a save killed part-way left in `dir` (they hold a copy of a
/// scan, so they are personal data). Only our own `.skills-scan-*.tmp` files older than
/// [`STALE_TEMP_AGE`] are touched; errors are ignored (this is tidying, never needed for safety).
/// Returns how many were removed.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        if old && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    crate::platform::sync_dir(dir)
}

/// Creates a folder (and its parents) for personal data: owner-only (0700), or for the group
/// with `[storage] group_access` (2770); see [`crate::platform::create_private_dir`]. A folder
/// that already exists is left exactly as it is: its mode is its owner's choice (a shared folder
/// such as `/tmp` keeps its sticky bit and its other users).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    crate::platform::create_private_dir(dir)
}

/// A readable, unique file name for a new scan: `2026-11-23-sam-taylor-1a2b3c4d.json`.
pub fn file_name(learner_name: &str, id: &str, created: DateTime<Utc>) -> String {
    // Letters such as ı, â, ŵ or 漢 become their nearest ASCII (i, a, w, han) rather than hyphens.
    let ascii = deunicode::deunicode(learner_name);
    let mut slug = String::new();
    for c in ascii.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "scan" } else { slug };
    let short: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    format!(
        "{}-{slug}-{short}.{SCAN_EXTENSION}",
        created.format("%Y-%m-%d")
    )
}

/// An advisory lock on a scan, held on a sibling `NAME.lock` file (the scan itself is replaced
/// by every save, so it cannot carry the lock). Released when dropped.
#[derive(Debug)]
pub struct ScanLock {
    _file: File,
    path: PathBuf,
}

impl ScanLock {
    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another skills-scan has the scan open.
    #[error(
        "{scan} is open in another skills-scan (it holds {lock}). Close it there first, then try again"
    )]
    Busy {
        /// The scan file.
        scan: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// The lock file could not be created.
    #[error("cannot create the lock file {lock}: {source}")]
    Io {
        /// The lock file.
        lock: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// The lock file for a scan: `NAME.json.lock` beside it.
pub fn lock_path(scan_path: &Path) -> PathBuf {
    let mut name = scan_path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    scan_path.with_file_name(name)
}

/// Takes the advisory lock on a scan without waiting. A new lock file takes the scan's
/// permissions and group, so a colleague sharing the folder can take it in turn.
pub fn try_lock(scan_path: &Path) -> Result<ScanLock, LockError> {
    let lock = lock_path(scan_path);
    let scan_meta = fs::metadata(scan_path).ok().filter(fs::Metadata::is_file);
    let file = crate::platform::open_lock_file(&lock, scan_meta.as_ref()).map_err(|source| {
        LockError::Io {
            lock: lock.clone(),
            source,
        }
    })?;
    match file.try_lock() {
        Ok(()) => Ok(ScanLock {
            _file: file,
            path: lock,
        }),
        Err(fs::TryLockError::WouldBlock) => Err(LockError::Busy {
            scan: scan_path.to_path_buf(),
            lock,
        }),
        Err(fs::TryLockError::Error(source)) => Err(LockError::Io { lock, source }),
    }
}

/// Fails with [`LockError::Busy`] when another process holds the scan's lock, without creating
/// a lock file or writing anything (for commands that only read).
pub fn check_not_locked(scan_path: &Path) -> Result<(), LockError> {
    let lock = lock_path(scan_path);
    match crate::platform::lock_is_held(&lock) {
        Ok(false) => Ok(()),
        Ok(true) => Err(LockError::Busy {
            scan: scan_path.to_path_buf(),
            lock,
        }),
        Err(source) => Err(LockError::Io { lock, source }),
    }
}

/// A walk of a cohort's folder: the scan files found, the ones reached through a link, and every
/// entry that could not be looked at, with why.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Walk {
    /// Scan files (regular files, or links to regular files), sorted by path.
    pub files: Vec<PathBuf>,
    /// The files of `files` reached through a symbolic link.
    pub links: Vec<PathBuf>,
    /// Entries skipped: an unreadable folder, a FIFO, device or socket named `*.json`, a dangling
    /// link; with the reason. Sorted by path.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Walks `dir` recursively for scan files (`*.json`; hidden, lock and temporary files left
/// out). Only `dir` itself failing to list is an error: a subfolder that cannot be read, and
/// anything named `*.json` that is not a regular file, is recorded in [`Walk::unreadable`] and
/// the walk goes on. A link to a regular file is followed; links to folders are not (no loops).
/// Nothing is opened, so a FIFO cannot hang the walk.
pub fn walk_scans(dir: &Path) -> io::Result<Walk> {
    let mut walk = Walk::default();
    let mut stack = vec![dir.to_path_buf()];
    let is_scan = |p: &Path| p.extension().is_some_and(|e| e == SCAN_EXTENSION);
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) if d == dir => return Err(e),
            Err(e) => {
                walk.unreadable
                    .push((d, format!("cannot read this folder: {e}")));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    walk.unreadable
                        .push((d.clone(), format!("cannot read this folder: {e}")));
                    break;
                }
            };
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(e) => {
                    walk.unreadable.push((path, e.to_string()));
                    continue;
                }
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !is_scan(&path) {
                continue;
            }
            if kind.is_file() {
                walk.files.push(path);
            } else if kind.is_symlink() {
                match fs::metadata(&path) {
                    Ok(m) if m.is_file() => {
                        walk.links.push(path.clone());
                        walk.files.push(path);
                    }
                    Ok(_) => walk.unreadable.push((
                        path,
                        "a link to something that is not a regular file: not read".into(),
                    )),
                    Err(e) => walk
                        .unreadable
                        .push((path, format!("a link that leads nowhere ({e})"))),
                }
            } else {
                walk.unreadable.push((
                    path,
                    "not a regular file (a pipe, device or socket): not read".into(),
                ));
            }
        }
    }
    walk.files.sort();
    walk.links.sort();
    walk.unreadable.sort();
    Ok(walk)
}

/// Every scan file under `dir`, recursively, sorted by path (see [`walk_scans`]; what cannot be
/// read is left out). Yields paths only, so a large folder is never loaded at once.
pub fn scan_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    walk_scans(dir).map(|w| w.files)
}

/// Finds the most recently updated scan in `dir` that is still in progress, with its file.
/// Unreadable files are skipped here (they are shown by `list`).
pub fn latest_in_progress(dir: &Path) -> Option<(PathBuf, Scan)> {
    in_progress(dir).into_iter().next()
}

/// Every readable unfinished scan in `dir`, the most recently saved first (unreadable and
/// submitted files are left out; a missing folder has none).
pub fn in_progress(dir: &Path) -> Vec<(PathBuf, Scan)> {
    let Ok(files) = scan_files(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, Scan)> = files
        .into_iter()
        .filter_map(|p| {
            let bytes = read_bytes(&p).ok()?;
            if plainly_submitted(&bytes) == Some(true) {
                return None;
            }
            parse(&p, &bytes).ok().map(|s| (p, s))
        })
        .filter(|(_, s)| !s.is_submitted())
        .collect();
    found.sort_by(|a, b| b.1.updated.cmp(&a.1.updated).then_with(|| a.0.cmp(&b.0)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick look that skips submitted scans before the first frame never decides
    /// otherwise than the full parse: for every file it either leaves the decision to the parse
    /// or agrees with it (files of every version, a byte-order mark, scans in both states).
    #[test]
    fn the_quick_look_at_a_submitted_scan_agrees_with_the_full_parse() {
        let standard = crate::core::Standard::embedded().expect("standard");
        let now = Utc::now();
        let mut files: Vec<(String, Vec<u8>)> = vec![
            (
                "complete".into(),
                to_bytes(&crate::sample::complete_scan(&standard, 1, now)),
            ),
            (
                "submitted".into(),
                to_bytes(&crate::sample::submitted_scan(&standard, 2, now)),
            ),
        ];
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&files[1].1);
        files.push(("with a byte-order mark".into(), bom));
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for dir in [fixtures.join("scans"), fixtures] {
            for entry in fs::read_dir(&dir).expect("fixtures") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    files.push((path.display().to_string(), fs::read(&path).expect("read")));
                }
            }
        }
        let mut looked = [0, 0];
        for (name, bytes) in &files {
            let quick = plainly_submitted(bytes);
            // (A file the parse refuses is left out of the list whatever the quick look says.)
            if let Ok(scan) = parse(Path::new(name), bytes) {
                assert!(quick.is_none_or(|q| q == scan.is_submitted()), "{name}");
            }
            looked[usize::from(quick.is_some())] += 1;
        }
        // Both kinds were met: files it decided, and older files it left to the parse.
        assert!(looked[0] >= 3 && looked[1] >= 3, "{looked:?}");
    }

    #[test]
    fn only_old_temp_files_of_a_save_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = dir.path().join(".skills-scan-abc123.tmp");
        let fresh = dir.path().join(".skills-scan-def456.tmp");
        let other = dir.path().join("notes.tmp");
        for p in [&old, &fresh, &other] {
            fs::write(p, b"{}").expect("write");
        }
        let long_ago = std::time::SystemTime::now() - STALE_TEMP_AGE * 2;
        for p in [&old, &other] {
            File::options()
                .write(true)
                .open(p)
                .and_then(|f| f.set_modified(long_ago))
                .expect("set mtime");
        }
        assert_eq!(remove_stale_temp_files(dir.path()), 1);
        assert!(
            !old.exists(),
            "a temp file left by a killed save is removed"
        );
        assert!(fresh.exists(), "a save in progress is left alone");
        assert!(other.exists(), "other files are never touched");
        assert_eq!(remove_stale_temp_files(&dir.path().join("missing")), 0);
    }
    use chrono::TimeZone;

    #[test]
    fn file_names_are_readable_and_safe() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
            .single()
            .expect("time");
        assert_eq!(
            file_name("Siân O'Neil-Ŵyn", "1a2b3c4d-5e6f", t),
            "2026-11-23-sian-o-neil-wyn-1a2b3c4d.json"
        );
        assert_eq!(
            file_name("Işıl Çakır", "ab", t),
            "2026-11-23-isil-cakir-ab.json"
        );
        assert_eq!(
            file_name("Siân Ŵyn", "ab", t),
            "2026-11-23-sian-wyn-ab.json"
        );
        assert_eq!(file_name("😀", "ab", t), "2026-11-23-grinning-ab.json");
        assert_eq!(file_name("../../etc", "ab", t), "2026-11-23-etc-ab.json");
        assert_eq!(file_name("", "ab", t), "2026-11-23-scan-ab.json");
    }

    #[test]
    fn lock_path_is_a_sibling() {
        assert_eq!(
            lock_path(Path::new("/d/a.json")),
            PathBuf::from("/d/a.json.lock")
        );
    }
}
