//! A scan being edited by one process: the scan in memory, its file, and the lock that keeps a
//! second process away. Both front ends (TUI and plain) save through this.

use std::path::{Path, PathBuf};

use crate::core::Scan;
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

/// A scan open for editing.
#[derive(Debug)]
pub struct Session {
    scan: Scan,
    dir: PathBuf,
    path: Option<PathBuf>,
    lock: Option<ScanLock>,
    dirty: bool,
    read_only: Option<String>,
    /// A scan started in this session: its file follows the learner's name as it is typed (the
    /// first save happens within a second, perhaps before the name is finished).
    follows_name: bool,
}

impl Session {
    /// A new scan, not yet on disk; it will be saved in `dir` under a readable name.
    pub fn create(scan: Scan, dir: &Path) -> Self {
        Self {
            scan,
            dir: dir.to_path_buf(),
            path: None,
            lock: None,
            dirty: true,
            read_only: None,
            follows_name: true,
        }
    }

    /// Locks and loads an existing scan file.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        // Through a link, the real file is locked and saved (a save replaces the file it
        // writes, which must not be the link), so two people on the two paths exclude each other.
        let real = crate::platform::real_path(path);
        let path = real.as_path();
        let lock = storage::try_lock(path)?;
        let scan = storage::load(path)?;
        if let Some(dir) = path.parent() {
            storage::remove_stale_temp_files(dir);
        }
        Ok(Self {
            scan,
            dir: path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            path: Some(path.to_path_buf()),
            lock: Some(lock),
            dirty: false,
            read_only: None,
            follows_name: false,
        })
    }

    /// Opens a scan for a review: for editing (locked) when we may change it, else **read-only**
    /// when the file is read-only or we cannot write it or its folder (a colleague's file, a
    /// read-only share): loaded, not locked, nothing written, and every save refused with the
    /// reason ([`read_only`](Self::read_only) says it).
    pub fn open_or_read_only(path: &Path) -> Result<Self, OpenError> {
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

    fn read_only(path: &Path, reason: String) -> Result<Self, OpenError> {
        let scan = storage::load(path)?;
        Ok(Self {
            scan,
            dir: path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            path: Some(path.to_path_buf()),
            lock: None,
            dirty: false,
            read_only: Some(reason),
            follows_name: false,
        })
    }

    /// Why the scan was opened read-only, if it was, e.g. "the file is read-only for you" (see
    /// [`open_or_read_only`](Self::open_or_read_only)).
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// The scan.
    pub fn scan(&self) -> &Scan {
        &self.scan
    }

    /// The scan, to change; the session is then due a save.
    pub fn scan_mut(&mut self) -> &mut Scan {
        self.dirty = true;
        &mut self.scan
    }

    /// Whether there are changes not yet on disk.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The file, once it has been saved (or was opened).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where the file is or will be.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves if there are changes. On failure the answers stay in memory, still marked unsaved,
    /// and the previous file is untouched.
    pub fn save(&mut self) -> Result<&Path, SaveError> {
        if let (Some(reason), true) = (&self.read_only, self.dirty) {
            return Err(SaveError {
                path: self.path.clone().unwrap_or_else(|| self.dir.clone()),
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "it was opened read-only ({reason}); ask for write access or work on a copy"
                    ),
                ),
            });
        }
        let path = match &self.path {
            Some(p) if self.follows_name => self.follow_name(p.clone()),
            Some(p) => p.clone(),
            None => self.choose_path()?,
        };
        if self.dirty {
            storage::save_atomically(&path, &self.scan)?;
            self.dirty = false;
        }
        Ok(self.path.as_deref().unwrap_or(&self.dir))
    }

    /// A scan started here whose learner name changed since its first save: its file is renamed
    /// to match (locked under the new name first; the rename is atomic, so there is always
    /// exactly one file). Any problem keeps the current name.
    fn follow_name(&mut self, current: PathBuf) -> PathBuf {
        let name = storage::file_name(&self.scan.learner.name, &self.scan.id, self.scan.created);
        let wanted = self.dir.join(&name);
        if wanted == current || wanted.exists() {
            return current;
        }
        let Ok(lock) = storage::try_lock(&wanted) else {
            return current;
        };
        if current.exists() {
            if std::fs::rename(&current, &wanted).is_err() {
                let _ = std::fs::remove_file(lock.path());
                return current;
            }
            self.dirty = true;
        }
        if let Some(old) = self.lock.replace(lock) {
            let old_path = old.path().to_path_buf();
            drop(old);
            let _ = std::fs::remove_file(old_path);
        }
        self.path = Some(wanted.clone());
        wanted
    }

    /// Picks the new scan's file (named after the learner), creating the folder and taking the
    /// lock. Called once, at the first save.
    fn choose_path(&mut self) -> Result<PathBuf, SaveError> {
        storage::create_private_dir(&self.dir).map_err(|source| SaveError {
            path: self.dir.clone(),
            source,
        })?;
        storage::remove_stale_temp_files(&self.dir);
        let name = storage::file_name(&self.scan.learner.name, &self.scan.id, self.scan.created);
        let path = self.dir.join(name);
        let lock = storage::try_lock(&path).map_err(|e| SaveError {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        self.lock = Some(lock);
        self.path = Some(path.clone());
        Ok(path)
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
