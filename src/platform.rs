//! What differs between Unix and Windows, in one place: who may read the files and folders we
//! make, replacing a file atomically, locks that only look, shutdown signals (SIGHUP/SIGTERM;
//! the Windows console's Ctrl-C, Ctrl-Break, close, log-off and shutdown), the default editor,
//! running a configured command, and printing paths as the system's users expect.
//!
//! The rest of the program calls these and never `std::os::unix` or Windows APIs itself.
//!
//! **Who may read what.** New files are owner-only (0600, folders 0700) unless the config asks
//! for group access (`[storage] group_access = true`: 0660, folders 2770 so new files take the
//! folder's group). A file we replace keeps its group and its group's access (a cohort's share
//! keeps working), but never anything for everyone else: personal data is not world-readable.
//! On Windows the user's profile folders are already private and files inherit their folder's
//! access list, which we leave as it is.

use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub mod shutdown;

static GROUP_ACCESS: AtomicBool = AtomicBool::new(false);

/// Lets the group of the folder read and write the files and folders made from now on
/// (`[storage] group_access`). Process-wide, like the umask: set once from the config at start.
pub fn set_group_access(on: bool) {
    GROUP_ACCESS.store(on, Ordering::SeqCst);
}

/// Whether new files and folders are for the group too (see [`set_group_access`]).
pub fn group_access() -> bool {
    GROUP_ACCESS.load(Ordering::SeqCst)
}

/// The permission bits (Unix) for a new file: 0600, or 0660 with group access.
pub fn new_file_mode(group_access: bool) -> u32 {
    if group_access { 0o660 } else { 0o600 }
}

/// The permission bits (Unix) for a new folder: 0700, or 2770 with group access (setgid, so
/// what is made inside belongs to the folder's group).
pub fn new_dir_mode(group_access: bool) -> u32 {
    if group_access { 0o2770 } else { 0o700 }
}

/// The permission bits for a file that replaces (or sits beside, as a lock) one with `existing`
/// bits: exactly what it had (a file's mode is its owner's choice: a save never loosens or
/// tightens it), with the owner able to read and write what it saves.
pub fn kept_file_mode(existing: u32) -> u32 {
    (existing & 0o777) | 0o600
}

/// Creates a folder (and its parents) for personal data: owner-only, or for the group with
/// `group_access`. An existing folder we own loses any access for everyone else; the access its
/// group has is left as it is (a shared folder stays shared).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    imp::create_private_dir(dir, group_access())
}

/// How a new copy of a file is made to look like the one it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Likeness {
    mode: u32,
    group: Option<u32>,
}

impl Likeness {
    /// For a file replacing (or a lock beside) one with metadata `existing`; for a new file, the
    /// process-wide default ([`group_access`]).
    pub fn of(existing: Option<&Metadata>) -> Self {
        imp::likeness(existing, group_access())
    }

    /// The permission bits it gives (Unix; Windows ignores them).
    pub fn mode(self) -> u32 {
        self.mode
    }

    /// Gives `file` (just created by us) these permissions and, where the system allows, the
    /// group. A group we cannot give is left as the system made it.
    pub fn apply(self, file: &File) -> io::Result<()> {
        imp::apply(self, file)
    }
}

/// Refuses to replace a file that is read-only (0444, or Windows' Read-only attribute) or that
/// we could not write in place: replacing it by a rename would overwrite what someone protected.
pub fn check_replaceable(path: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if meta.permissions().readonly() || !imp::writable(path) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "it is read-only for you, so it was not replaced ({})",
                imp::HOW_TO_MAKE_WRITABLE
            ),
        ));
    }
    Ok(())
}

/// Whether we may make files in `dir` (Unix: write and search permission; Windows: assumed, a
/// failure is reported when it happens).
pub fn can_write_in(dir: &Path) -> bool {
    imp::can_write_in(dir)
}

/// How long a replace keeps trying while another program holds the file (Windows: a virus
/// scanner, a backup or sync tool, an editor). About two seconds in all.
pub const REPLACE_RETRIES: [Duration; 8] = [
    Duration::from_millis(20),
    Duration::from_millis(50),
    Duration::from_millis(100),
    Duration::from_millis(150),
    Duration::from_millis(250),
    Duration::from_millis(350),
    Duration::from_millis(500),
    Duration::from_millis(600),
];

/// Puts the finished temporary file `tmp` in the place of `dest` in one step (a rename).
///
/// On Windows a rename over a file that another program has open fails; it is tried again for
/// about two seconds ([`REPLACE_RETRIES`]). If it still fails, the new copy is not lost: it is
/// kept beside the file as `NAME.new` (or, failing that, as the temporary file) and the error
/// says where. A later successful replace removes a `NAME.new` left behind.
pub fn replace(tmp: tempfile::NamedTempFile, dest: &Path) -> io::Result<()> {
    let mut tmp = tmp;
    let mut waits = REPLACE_RETRIES.iter();
    loop {
        match tmp.persist(dest) {
            Ok(_) => {
                let _ = fs::remove_file(kept_copy_path(dest));
                return Ok(());
            }
            Err(e) => {
                let transient = imp::is_transient_replace_error(&e.error);
                match waits.next() {
                    Some(wait) if transient => {
                        std::thread::sleep(*wait);
                        tmp = e.file;
                    }
                    _ => return Err(keep_new_copy(e.file, dest, &e.error, transient)),
                }
            }
        }
    }
}

/// Where an unplaced new copy of `dest` is kept: `NAME.new` beside it.
pub fn kept_copy_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".new");
    dest.with_file_name(name)
}

fn keep_new_copy(
    tmp: tempfile::NamedTempFile,
    dest: &Path,
    error: &io::Error,
    was_busy: bool,
) -> io::Error {
    let why = if was_busy {
        format!("another program kept it open ({error})")
    } else {
        error.to_string()
    };
    let kept = kept_copy_path(dest);
    let kept = match tmp.persist(&kept) {
        Ok(_) => kept,
        Err(e) => match e.file.keep() {
            Ok((_, path)) => path,
            Err(_) => return io::Error::new(error.kind(), why),
        },
    };
    io::Error::new(
        error.kind(),
        format!(
            "{why}; the new copy is kept in {}",
            native_path(&kept).display()
        ),
    )
}

/// Makes a rename in `dir` durable (fsync of the folder on Unix). Windows cannot open a folder
/// as a file and its renames are durable once they return: nothing to do there.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(windows) {
        return Ok(());
    }
    File::open(dir)?.sync_all()
}

/// Opens (creating if needed) the lock file `lock` of a scan whose metadata is `scan` (when it
/// exists), so that it can be locked. A new lock file takes the scan's permissions and group; a
/// lock file we can only read (made by a colleague) is opened for reading, which is enough to
/// lock it.
pub fn open_lock_file(lock: &Path, scan: Option<&Metadata>) -> io::Result<File> {
    imp::open_lock_file(lock, Likeness::of(scan))
}

/// Whether another process holds the lock `lock`, found without creating or writing anything: a
/// missing lock file is not held.
pub fn lock_is_held(lock: &Path) -> io::Result<bool> {
    let file = match File::open(lock) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(false),
        Err(fs::TryLockError::WouldBlock) => Ok(true),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// On Windows, when this program is the only one in its console window (it was started by a
/// double-click, so the window closes when it ends), waits for Enter so that the last message
/// can be read. Does nothing elsewhere, or when started from a prompt, or without a terminal.
pub fn pause_if_console_closes_at_exit() {
    imp::pause_if_console_closes_at_exit();
}

/// The editor used when neither `VISUAL` nor `EDITOR` is set: `vi` on Unix, Notepad on Windows.
pub const DEFAULT_EDITOR: &str = imp::DEFAULT_EDITOR;

/// A command that runs `editor` (as the user wrote it, possibly with arguments) on `file`.
pub fn editor_command(editor: &str, file: &Path) -> std::process::Command {
    imp::editor_command(editor, file)
}

/// A command line run by the system's shell: `sh -c` on Unix, `cmd /C` on Windows (as
/// `password_command` is).
pub fn shell(command_line: &str) -> std::process::Command {
    imp::shell(command_line)
}

/// The real file behind `path` (links resolved), written as this system's users write paths:
/// on Windows without the `\\?\` prefix that `canonicalize` adds to an ordinary drive path.
/// `path` itself when it cannot be resolved.
pub fn real_path(path: &Path) -> PathBuf {
    let Ok(real) = std::fs::canonicalize(path) else {
        return path.to_path_buf();
    };
    #[cfg(windows)]
    if let Some(text) = real.to_str()
        && let Some(rest) = text.strip_prefix(r"\\?\")
        && rest.as_bytes().get(1) == Some(&b':')
    {
        return PathBuf::from(rest);
    }
    real
}

/// The path as this system's users write it: on Windows, `/` becomes `\` (a path typed or
/// configured with slashes still prints with backslashes); elsewhere unchanged.
pub fn native_path(path: &Path) -> PathBuf {
    imp::native_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_modes_are_private_and_a_replaced_file_keeps_its_own() {
        assert_eq!(new_file_mode(false), 0o600);
        assert_eq!(new_file_mode(true), 0o660);
        assert_eq!(new_dir_mode(false), 0o700);
        assert_eq!(new_dir_mode(true), 0o2770);
        for (existing, kept) in [
            (0o600, 0o600),
            (0o660, 0o660),
            (0o640, 0o640),
            (0o644, 0o644),
            (0o666, 0o666),
            (0o400, 0o600),
            (0o777, 0o777),
            (0o4755, 0o755),
        ] {
            assert_eq!(kept_file_mode(existing), kept, "{existing:o}");
        }
    }

    #[test]
    fn a_replace_puts_the_new_copy_in_place_and_tidies_a_kept_one() {
        let dir = tempfile::tempdir().expect("dir");
        let dest = dir.path().join("scan.json");
        fs::write(&dest, b"old").expect("write");
        fs::write(kept_copy_path(&dest), b"older new copy").expect("write");
        let mut tmp = tempfile::NamedTempFile::new_in(dir.path()).expect("tmp");
        io::Write::write_all(&mut tmp, b"new").expect("write");
        replace(tmp, &dest).expect("replace");
        assert_eq!(fs::read(&dest).expect("read"), b"new");
        assert!(!kept_copy_path(&dest).exists());
    }

    #[test]
    fn a_replace_that_cannot_happen_keeps_the_new_copy_and_says_where() {
        let dir = tempfile::tempdir().expect("dir");
        // A folder in the way: no system renames a file over a non-empty folder.
        let dest = dir.path().join("scan.json");
        fs::create_dir(&dest).expect("mkdir");
        fs::write(dest.join("inside"), b"x").expect("write");
        let mut tmp = tempfile::NamedTempFile::new_in(dir.path()).expect("tmp");
        io::Write::write_all(&mut tmp, b"new answers").expect("write");
        let err = replace(tmp, &dest).expect_err("cannot replace a folder");
        let kept = kept_copy_path(&dest);
        assert_eq!(fs::read(&kept).expect("kept"), b"new answers");
        assert!(
            err.to_string()
                .contains(&native_path(&kept).display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn a_read_only_file_is_not_replaceable() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("scan.json");
        check_replaceable(&path).expect("a missing file may be created");
        fs::write(&path, b"{}").expect("write");
        check_replaceable(&path).expect("a writable file may be replaced");
        let mut perms = fs::metadata(&path).expect("meta").permissions();
        perms.set_readonly(true);
        fs::set_permissions(&path, perms).expect("set read-only");
        let err = check_replaceable(&path).expect_err("read-only");
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert!(err.to_string().contains("read-only"), "{err}");
    }

    #[test]
    fn a_lock_is_seen_as_held_without_creating_anything() {
        let dir = tempfile::tempdir().expect("dir");
        let lock = dir.path().join("scan.json.lock");
        assert!(!lock_is_held(&lock).expect("probe"));
        assert!(!lock.exists(), "probing creates no lock file");
        let file = open_lock_file(&lock, None).expect("open");
        assert!(!lock_is_held(&lock).expect("probe"));
        file.try_lock().expect("lock");
        // Locks belong to an open file (flock, LockFileEx), so the probe's own open sees ours.
        assert!(lock_is_held(&lock).expect("probe while held"));
        drop(file);
        assert!(!lock_is_held(&lock).expect("probe after release"));
    }

    #[cfg(windows)]
    #[test]
    fn windows_paths_print_with_backslashes() {
        assert_eq!(
            native_path(Path::new("C:/Users/sam/scans/a.json")),
            PathBuf::from(r"C:\Users\sam\scans\a.json")
        );
        assert_eq!(DEFAULT_EDITOR, "notepad");
    }

    #[cfg(unix)]
    #[test]
    fn unix_paths_print_as_they_are() {
        assert_eq!(native_path(Path::new("a/b\\c")), PathBuf::from("a/b\\c"));
        assert_eq!(DEFAULT_EDITOR, "vi");
    }

    #[test]
    fn the_shell_runs_a_configured_command() {
        let out = shell("echo hello").output().expect("run the shell");
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "hello");
    }
}
