//! Windows: files inherit their folder's access list (the user's profile folders are private
//! already), renames over a file another program holds are retried, `cmd /C`, Notepad.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::windows::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::Likeness;

pub const DEFAULT_EDITOR: &str = "notepad";

pub const HOW_TO_MAKE_WRITABLE: &str = "to allow saving, untick Read-only in the file's Properties";

pub fn create_private_dir(dir: &Path, _group_access: bool) -> io::Result<()> {
    fs::create_dir_all(dir)
}

pub fn likeness(_existing: Option<&Metadata>, group_access: bool) -> Likeness {
    Likeness {
        mode: super::new_file_mode(group_access),
        group: None,
    }
}

#[allow(clippy::unnecessary_wraps)] // the same signature as on Unix, where it can fail
pub fn apply(_likeness: Likeness, _file: &File) -> io::Result<()> {
    Ok(())
}

pub fn writable(_path: &Path) -> bool {
    true
}

pub fn can_write_in(_dir: &Path) -> bool {
    true
}

/// Access denied (5), sharing violation (32), lock violation (33): what a rename over a file
/// that another program has open returns. A read-only file is refused before we get here.
pub fn is_transient_replace_error(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

pub fn open_lock_file(lock: &Path, _likeness: Likeness) -> io::Result<File> {
    match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock)
    {
        Ok(file) => Ok(file),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => File::open(lock),
        Err(e) => Err(e),
    }
}

pub fn pause_if_console_closes_at_exit() {
    use std::io::{BufRead, IsTerminal, Write};
    let mut ids = [0u32; 2];
    // SAFETY: the buffer and its length (in elements) are given together; the call only
    // writes process ids into it.
    #[allow(unsafe_code)]
    let count =
        unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(ids.as_mut_ptr(), 2) };
    if count != 1 || !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return;
    }
    let mut out = crate::out::stdout();
    let _ = out.write_all(b"\nPress Enter to close this window.");
    let _ = out.flush();
    let _ = std::io::stdin().lock().read_line(&mut String::new());
}

pub fn editor_command(editor: &str, file: &Path) -> Command {
    shell(&format!("{editor} \"{}\"", file.display()))
}

pub fn shell(command_line: &str) -> Command {
    // `/S /C "…"`: cmd takes off the outer quotes and runs the rest exactly as written.
    let mut cmd = Command::new("cmd");
    cmd.raw_arg(format!("/S /C \"{command_line}\""));
    cmd
}

pub fn native_path(path: &Path) -> PathBuf {
    let Some(text) = path.to_str() else {
        return path.to_path_buf();
    };
    if text.starts_with(r"\\?\") || !text.contains('/') {
        return path.to_path_buf();
    }
    PathBuf::from(text.replace('/', "\\"))
}
