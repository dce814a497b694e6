//! A scan being edited by one process: which file it is and the lock that keeps a second
//! process away. The scan itself is owned by the front end as a [`Draft`] (`core::draft`),
//! which also knows whether it is saved ([`Draft::unsaved`]): the session saves it from a
//! borrow and marks it saved. Both learner front ends, the coach's `open` and `send`
//! save through this, and "send the summary, record it, save" is one operation here
//! ([`Session::send_and_record`]).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::core::Scan;
use crate::core::draft::Draft;
use crate::mail::{self, Outcome};
use crate::paths::Paths;
use crate::storage::{self, LoadError, LockError, SaveError, ScanLock};

/// Why a scan could not be opened for editing.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another process has it.
    #[error(transparent)]
    Locked(#[from] LockError),
    /// The file could not be read; it is left as it is.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// The scan's file, once it has one.
#[derive(Debug)]
struct OpenFile {
    /// Where it is (through a link, the real file).
    path: PathBuf,
    /// Locked for editing, or open read-only (no lock, nothing written) and why.
    access: Access,
}

#[derive(Debug)]
enum Access {
    Locked(ScanLock),
    ReadOnly(String),
}

/// A scan open for editing: its file (or, for a new scan, the folder it will be saved in).
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    file: Option<OpenFile>,
    /// A scan started in this session: its file follows the learner's name as it is typed (the
    /// first save happens within a second, perhaps before the name is finished).
    follows_name: bool,
}

impl Session {
    /// A new scan, not yet on disk: it will be saved in `dir` under a readable name at its
    /// first change (or at once, for a draft [to keep](Draft::to_keep)).
    pub fn create(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            file: None,
            follows_name: true,
        }
    }

    /// A new scan on `standard` with a fresh id, to be saved in `dir` at its first change: the
    /// session and the draft to answer it through.
    pub fn new_scan<R>(
        standard: &crate::core::Standard,
        dir: &Path,
        now: DateTime<Utc>,
    ) -> (Self, Draft<R>) {
        let scan = Scan::new(standard, crate::launch::new_scan_id(), now);
        (Self::create(dir), Draft::from(scan))
    }

    /// Locks and loads an existing scan file; the draft to edit it through.
    pub fn open<R>(path: &Path) -> Result<(Self, Draft<R>), OpenError> {
        // Through a link, the real file is locked and saved (a save replaces the file it
        // writes, which must not be the link), so two people on the two paths exclude each other.
        let real = crate::platform::real_path(path);
        let path = real.as_path();
        let lock = storage::try_lock(path)?;
        let scan = storage::load(path)?;
        if let Some(dir) = path.parent() {
            storage::remove_stale_temp_files(dir);
        }
        Ok(Self::opened(path, Access::Locked(lock), scan))
    }

    fn opened<R>(path: &Path, access: Access, scan: Scan) -> (Self, Draft<R>) {
        let session = Self {
            dir: path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            file: Some(OpenFile {
                path: path.to_path_buf(),
                access,
            }),
            follows_name: false,
        };
        (session, Draft::from(scan))
    }

    /// Opens a scan for a review: for editing (locked) when we may change it, else **read-only**
    /// when the file is read-only or we cannot write it or its folder (a colleague's file, a
    /// read-only share): loaded, not locked, nothing written, and every save of a change refused
    /// with the reason ([`read_only_reason`](Self::read_only_reason) says it).
    pub fn open_or_read_only<R>(path: &Path) -> Result<(Self, Draft<R>), OpenError> {
        if crate::platform::check_replaceable(path).is_err() {
            return Self::read_only(path, "the file is read-only for you".into());
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !crate::platform::can_write_in(dir) {
            return Self::read_only(path, "you cannot write in its folder".into());
        }
        match Self::open(path) {
            Err(OpenError::Locked(LockError::Io { source, .. }))
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Self::read_only(path, format!("its lock file cannot be made ({source})"))
            }
            other => other,
        }
    }

    fn read_only<R>(path: &Path, reason: String) -> Result<(Self, Draft<R>), OpenError> {
        let scan = storage::load(path)?;
        Ok(Self::opened(path, Access::ReadOnly(reason), scan))
    }

    /// Why the scan was opened read-only, if it was, e.g. "the file is read-only for you" (see
    /// [`open_or_read_only`](Self::open_or_read_only)).
    pub fn read_only_reason(&self) -> Option<&str> {
        match &self.file {
            Some(OpenFile {
                access: Access::ReadOnly(why),
                ..
            }) => Some(why),
            _ => None,
        }
    }

    /// The file, once it has been saved (or was opened).
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// Where the file is or will be.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves `draft` if it has changes and marks it saved; the file, or `None` for a new scan
    /// never changed (nothing is written for it). On failure the answers stay in the draft,
    /// still unsaved, and the previous file is untouched.
    pub fn save<R>(&mut self, draft: &mut Draft<R>) -> Result<Option<&Path>, SaveError> {
        if !draft.unsaved() {
            return Ok(self.path());
        }
        if let Some(reason) = self.read_only_reason() {
            return Err(SaveError {
                path: self.path().unwrap_or(&self.dir).to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "it was opened read-only ({reason}); ask for write access or work on a copy"
                    ),
                ),
            });
        }
        let path = match self.path() {
            Some(p) if self.follows_name => self.follow_name(p.to_path_buf(), draft),
            Some(p) => p.to_path_buf(),
            None => self.choose_path(draft)?,
        };
        storage::save_atomically(&path, draft)?;
        draft.mark_saved();
        Ok(self.path())
    }

    /// A scan started here whose learner name changed since its first save: its file is renamed
    /// to match (locked under the new name first; the rename is atomic, so there is always
    /// exactly one file). Any problem keeps the current name.
    fn follow_name(&mut self, current: PathBuf, scan: &Scan) -> PathBuf {
        let name = storage::file_name(&scan.learner.name, &scan.id, scan.created);
        let wanted = self.dir.join(&name);
        if wanted == current || wanted.exists() {
            return current;
        }
        let Ok(lock) = storage::try_lock(&wanted) else {
            return current;
        };
        if current.exists() && std::fs::rename(&current, &wanted).is_err() {
            let _ = std::fs::remove_file(lock.path());
            return current;
        }
        if let Some(OpenFile {
            access: Access::Locked(old),
            ..
        }) = self.file.replace(OpenFile {
            path: wanted.clone(),
            access: Access::Locked(lock),
        }) {
            let old_path = old.path().to_path_buf();
            drop(old);
            let _ = std::fs::remove_file(old_path);
        }
        wanted
    }

    /// Picks the new scan's file (named after the learner), creating the folder and taking the
    /// lock. Called once, at the first save.
    fn choose_path(&mut self, scan: &Scan) -> Result<PathBuf, SaveError> {
        storage::create_private_dir(&self.dir).map_err(|source| SaveError {
            path: self.dir.clone(),
            source,
        })?;
        storage::remove_stale_temp_files(&self.dir);
        let name = storage::file_name(&scan.learner.name, &scan.id, scan.created);
        let path = self.dir.join(name);
        let lock = storage::try_lock(&path).map_err(|e| SaveError {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        self.file = Some(OpenFile {
            path: path.clone(),
            access: Access::Locked(lock),
        });
        Ok(path)
    }

    /// The first half of [`send_and_record`](Self::send_and_record), for a front end that sends
    /// on a worker thread: saves `draft`, then takes what the message needs. The attachment is
    /// always **the saved file's bytes**, read back from disk; only a scan that could not be
    /// saved at all attaches the bytes a save would have written.
    pub fn prepare_send<R>(&mut self, draft: &mut Draft<R>) -> Outgoing {
        let saved = self.save(draft).ok().flatten().map(Path::to_path_buf);
        let bytes = saved
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .unwrap_or_else(|| storage::to_bytes(draft));
        Outgoing {
            scan: draft.scan().clone(),
            bytes,
            path: saved.or_else(|| self.path().map(Path::to_path_buf)),
        }
    }

    /// The second half of [`send_and_record`](Self::send_and_record): appends the outcome to
    /// the draft's email log and saves; once that is on disk, the outbox messages the send
    /// settled are removed.
    pub fn record_sent<R>(
        &mut self,
        draft: &mut Draft<R>,
        outcome: &Outcome,
    ) -> Result<Option<&Path>, SaveError> {
        draft.record_email(outcome.entry.clone());
        let saved = self.save(draft);
        if saved.is_ok() {
            outcome.recorded();
        }
        saved
    }

    /// Sends a submitted scan's summary (`mail::send_summary_from`: sent, or queued in the
    /// outbox), appends the outcome to its email log and saves: the one way every front end
    /// (full-screen, plain, `send`) emails a summary. The outcome is returned whatever the save
    /// did; a failed save leaves the entry in the draft, unsaved.
    pub fn send_and_record<R>(
        &mut self,
        draft: &mut Draft<R>,
        paths: &Paths,
        config: &Config,
        now: DateTime<Utc>,
    ) -> (Outcome, Result<Option<PathBuf>, SaveError>) {
        let outcome = self.prepare_send(draft).send(paths, config, now);
        let saved = self
            .record_sent(draft, &outcome)
            .map(|p| p.map(Path::to_path_buf));
        (outcome, saved)
    }
}

/// A submitted scan's summary ready to be sent: the scan, the saved file's bytes to attach and
/// the file's path (made by [`Session::prepare_send`]; it can go to another thread).
#[derive(Debug, Clone)]
pub struct Outgoing {
    scan: Scan,
    bytes: Vec<u8>,
    path: Option<PathBuf>,
}

impl Outgoing {
    /// The bytes attached: the saved file's.
    pub fn attachment(&self) -> &[u8] {
        &self.bytes
    }

    /// Sends it, or queues it in the outbox (never fails): what
    /// [`Session::record_sent`] then records.
    pub fn send(&self, paths: &Paths, config: &Config, now: DateTime<Utc>) -> Outcome {
        mail::send_summary_from(
            paths,
            config,
            &self.scan,
            &self.bytes,
            self.path.as_deref(),
            now,
        )
    }
}

/// Whether a new scan could be saved in `dir`, checked before the learner types anything: the
/// folder, or the nearest folder above it that exists, must be a folder we can write in. The
/// problem in words, with what to do, otherwise.
pub fn check_folder(dir: &Path) -> Result<(), String> {
    let mut at = dir;
    loop {
        match std::fs::metadata(at) {
            Ok(meta) if meta.is_dir() => {
                return if crate::platform::can_write_in(at) {
                    Ok(())
                } else if at == dir {
                    Err(format!(
                        "scans cannot be saved in {}: you cannot write in that folder. Ask for write access to it, or choose another data folder (--data-dir or SKILLS_SCAN_DATA_DIR)",
                        dir.display()
                    ))
                } else {
                    Err(format!(
                        "scans cannot be saved in {}: the folder {} cannot be written to, so it cannot be made. Ask for write access, or choose another data folder (--data-dir or SKILLS_SCAN_DATA_DIR)",
                        dir.display(),
                        at.display()
                    ))
                };
            }
            Ok(_) => {
                return Err(format!(
                    "scans cannot be saved in {}: {} is a file, not a folder. Move or rename that file, or choose another data folder (--data-dir or SKILLS_SCAN_DATA_DIR)",
                    dir.display(),
                    at.display()
                ));
            }
            Err(_) => match at.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => at = parent,
                _ => return Ok(()),
            },
        }
    }
}

/// Where an emergency copy goes when the scan's own folder cannot be written: the state folder
/// (`~/.local/state/skills-scan/unsaved`), else the system's temporary folder.
fn emergency_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(state) = directories::ProjectDirs::from("org", "skills-scan", "skills-scan")
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
    {
        dirs.push(state.join("unsaved"));
    }
    dirs.push(std::env::temp_dir());
    dirs
}

/// Keeps a copy of a scan that could not be saved to its file, owner-only (0600), in the first
/// writable place of [`emergency_dirs`]; returns its path, to be shown to the person. Copy it
/// back (or open it with `skills-scan open`) once the cause is fixed.
pub fn keep_emergency_copy(scan: &Scan) -> Result<PathBuf, String> {
    use std::io::Write;
    let bytes = storage::to_bytes(scan);
    let mut why = Vec::new();
    for dir in emergency_dirs() {
        let kept = storage::create_private_dir(&dir)
            .and_then(|()| {
                tempfile::Builder::new()
                    .prefix("skills-scan-unsaved-")
                    .suffix(".json")
                    .tempfile_in(&dir)
            })
            .and_then(|mut file| {
                file.write_all(&bytes)?;
                file.as_file().sync_all()?;
                file.keep().map_err(|e| e.error)
            });
        match kept {
            Ok((_, path)) => return Ok(path),
            Err(e) => why.push(format!("{}: {e}", dir.display())),
        }
    }
    Err(why.join("; "))
}
