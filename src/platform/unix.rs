//! Unix: permission bits and groups, `flock` locks (through std), `sh`.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Likeness, kept_file_mode, new_dir_mode, new_file_mode};

pub const DEFAULT_EDITOR: &str = "vi";

pub const HOW_TO_MAKE_WRITABLE: &str = "to allow saving: chmod u+w FILE";

pub fn create_private_dir(dir: &Path, group_access: bool) -> io::Result<()> {
    if dir.is_dir() {
        // A folder that was there is its owner's: never chmodded (a shared folder such as /tmp
        // keeps its sticky bit and its other users).
        return Ok(());
    }
    let mode = new_dir_mode(group_access);
    fs::DirBuilder::new()
        .recursive(true)
        .mode(mode & 0o777)
        .create(dir)?;
    let meta = fs::metadata(dir)?;
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return Ok(());
    }
    let current = meta.permissions().mode() & 0o7777;
    // A folder we made gets exactly its mode (the umask may have taken bits away, and the setgid
    // bit is not given by mkdir).
    if mode != current {
        fs::set_permissions(dir, fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

pub fn likeness(existing: Option<&Metadata>, group_access: bool) -> Likeness {
    match existing {
        Some(meta) => Likeness {
            mode: kept_file_mode(meta.permissions().mode()),
            group: Some(meta.gid()),
        },
        None => Likeness {
            mode: new_file_mode(group_access),
            group: None,
        },
    }
}

pub fn apply(likeness: Likeness, file: &File) -> io::Result<()> {
    if let Some(gid) = likeness.group
        && file.metadata()?.gid() != gid
    {
        // Allowed when we belong to that group; otherwise the file keeps the folder's group.
        let _ = std::os::unix::fs::fchown(file, None, Some(gid));
    }
    file.set_permissions(fs::Permissions::from_mode(likeness.mode))
}

pub fn writable(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

pub fn can_write_in(dir: &Path) -> bool {
    rustix::fs::access(
        dir,
        rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK,
    )
    .is_ok()
}

pub fn is_transient_replace_error(_: &io::Error) -> bool {
    false
}

pub fn open_lock_file(lock: &Path, likeness: Likeness) -> io::Result<File> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(likeness.mode)
        .open(lock)
    {
        Ok(file) => {
            likeness.apply(&file)?;
            return Ok(file);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    match OpenOptions::new().write(true).open(lock) {
        Ok(file) => {
            // A lock file of ours from before (e.g. 0600 beside a scan now shared): make it
            // like the scan so that a colleague can take it too.
            let meta = file.metadata()?;
            if meta.uid() == rustix::process::geteuid().as_raw()
                && meta.permissions().mode() & 0o777 != likeness.mode
            {
                let _ = likeness.apply(&file);
            }
            Ok(file)
        }
        // A colleague's lock file we may only read: reading is enough to lock it.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => File::open(lock),
        Err(e) => Err(e),
    }
}

pub fn pause_if_console_closes_at_exit() {}

pub fn editor_command(editor: &str, file: &Path) -> Command {
    // The editor setting may hold arguments (`code --wait`): the shell splits it; the file is
    // passed as "$1", never spliced into the command line.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file);
    cmd
}

pub fn shell(command_line: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command_line);
    cmd
}

pub fn native_path(path: &Path) -> PathBuf {
    path.to_path_buf()
}
