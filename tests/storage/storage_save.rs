//! Saving scan files through the library: atomic, round-trips, owner-only permissions, and the
//! advisory lock on a sibling `NAME.lock`. Real temporary folders.

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use skills_scan::core::{Scan, Standard};
use skills_scan::sample;
use skills_scan::storage::{self, LockError};

use crate::support::now;

fn scan(seed: u64) -> Scan {
    let standard = Standard::embedded().expect("embedded standard");
    sample::submitted_scan(&standard, seed, now())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn save_round_trips_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    let original = scan(1);
    storage::save_atomically(&path, &original).expect("save");
    assert_eq!(names(dir.path()), ["scan.json"]);
    let loaded = storage::load(&path).expect("load");
    assert_eq!(loaded, original);
    // The bytes on disk are exactly what to_bytes gives: pretty JSON ending in a newline.
    let bytes = fs::read(&path).expect("read");
    assert_eq!(bytes, storage::to_bytes(&original));
    assert!(bytes.ends_with(b"}\n"));
    assert!(bytes.starts_with(b"{\n  \"format\": \"skills-scan\",\n  \"format_version\": 2,"));
}

#[test]
fn a_reviewed_and_emailed_scan_round_trips() {
    use skills_scan::core::scan::{EmailLogEntry, EmailResult, Rating};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    let mut s = scan(14);
    s.set_agreed_rating(&"b2".into(), Some(Rating::Some), now());
    for result in [
        EmailResult::Queued {
            reason: "SMTP is not configured".into(),
        },
        EmailResult::Failed {
            reason: "550 mailbox unavailable".into(),
        },
        EmailResult::Sent,
    ] {
        s.email_log.push(EmailLogEntry {
            at: now(),
            to: vec![s.learner.email.clone()],
            message_id: "<skills-scan.14@example.org>".into(),
            result,
        });
    }
    storage::save_atomically(&path, &s).expect("save");
    assert_eq!(storage::load(&path).expect("load"), s);
}

#[cfg(unix)]
#[test]
fn saving_again_replaces_the_file_whole_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    let mut s = scan(2);
    storage::save_atomically(&path, &s).expect("first save");
    let first_inode = fs::metadata(&path).expect("meta").ino();
    s.learner.name = "Hannah Evans".into();
    s.set_agreed_note(
        &"d1-skills".into(),
        "Runs a weekly drop-in; agreed Yes.",
        now(),
    );
    storage::save_atomically(&path, &s).expect("second save");
    assert_eq!(names(dir.path()), ["scan.json"]);
    assert_eq!(storage::load(&path).expect("load"), s);
    // A rename put a new file in place: the old one was never written into.
    assert_ne!(fs::metadata(&path).expect("meta").ino(), first_inode);
}

/// A save whose folder is flushed later (the export's "sent" entries) writes the same bytes, the
/// same way (a whole new file renamed in place, keeping the mode), as a durable save; only the
/// folder's flush waits for `flush_folder`.
#[cfg(unix)]
#[test]
fn a_save_with_the_folder_flushed_later_replaces_the_file_like_any_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    let mut s = scan(4);
    storage::save_atomically(&path, &s).expect("first save");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let first_inode = fs::metadata(&path).expect("meta").ino();
    s.learner.name = "Hannah Evans".into();
    storage::save_atomically_folder_later(&path, &s).expect("save");
    assert_eq!(fs::read(&path).expect("read"), storage::to_bytes(&s));
    assert_ne!(fs::metadata(&path).expect("meta").ino(), first_inode);
    assert_eq!(mode(&path), 0o640);
    assert_eq!(names(dir.path()), ["scan.json"]);
    assert_eq!(storage::folder_of(&path), dir.path());
    assert_eq!(storage::folder_of(Path::new("scan.json")), Path::new("."));
    storage::flush_folder(storage::folder_of(&path)).expect("flush");
    // A read-only scan is refused as by any save, and left as it was.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o440)).expect("chmod");
    s.learner.name = "Someone Else".into();
    assert!(storage::save_atomically_folder_later(&path, &s).is_err());
    assert_eq!(
        storage::load(&path).expect("load").learner.name,
        "Hannah Evans"
    );
}

#[cfg(unix)]
#[test]
fn saved_files_are_0600_and_stay_so_across_saves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    let s = scan(3);
    storage::save_atomically(&path, &s).expect("save");
    assert_eq!(mode(&path), 0o600);
    storage::save_atomically(&path, &s).expect("save again");
    assert_eq!(mode(&path), 0o600);
    // A mode its owner chose is theirs: a save keeps it (it never loosens or tightens a file).
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    storage::save_atomically(&path, &s).expect("save after chmod");
    assert_eq!(mode(&path), 0o640);
}

#[cfg(unix)]
#[test]
fn private_folders_are_0700_when_created_and_existing_ones_keep_their_mode() {
    let root = tempfile::tempdir().expect("temp dir");
    let deep = root.path().join("data").join("scans");
    storage::create_private_dir(&deep).expect("create");
    assert_eq!(mode(&deep), 0o700);
    assert_eq!(mode(&root.path().join("data")), 0o700);
    // Creating it again is fine and keeps 0700.
    storage::create_private_dir(&deep).expect("again");
    assert_eq!(mode(&deep), 0o700);
    // An existing folder is not ours to change: a shared sticky folder keeps its mode.
    let open = root.path().join("open");
    fs::create_dir(&open).expect("mkdir");
    fs::set_permissions(&open, fs::Permissions::from_mode(0o1777)).expect("chmod");
    storage::create_private_dir(&open).expect("exists");
    let full = fs::metadata(&open).expect("metadata").permissions().mode() & 0o7777;
    assert_eq!(full, 0o1777);
}

#[test]
fn save_into_a_missing_folder_fails_naming_the_file_and_writes_nothing() {
    let root = tempfile::tempdir().expect("temp dir");
    let path = root.path().join("missing").join("scan.json");
    let err = storage::save_atomically(&path, &scan(4)).expect_err("no folder");
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(
        text.contains("previous copy on disk is unchanged"),
        "{text}"
    );
    // The temporary file's name means nothing to a person: it is not shown.
    let chain = format!(
        "{:?} {}",
        err,
        std::error::Error::source(&err)
            .map(ToString::to_string)
            .unwrap_or_default()
    );
    assert!(!chain.contains(".skills-scan-"), "{chain}");
    assert!(names(root.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn save_failure_keeps_the_previous_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    let s = scan(5);
    storage::save_atomically(&path, &s).expect("save");
    let before = fs::read(&path).expect("read");
    // A read-only folder refuses the temporary file: the save fails, the old file stays.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).expect("chmod");
    let probe = dir.path().join("probe");
    let writable = fs::write(&probe, b"x").is_ok(); // root ignores permissions
    if !writable {
        let mut changed = s.clone();
        changed.learner.name = "Someone Else".into();
        assert!(storage::save_atomically(&path, &changed).is_err());
        assert_eq!(fs::read(&path).expect("read"), before);
        assert_eq!(names(dir.path()), ["scan.json"]);
    }
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).expect("chmod back");
}

#[test]
fn a_failed_replace_leaves_no_temporary_file_and_keeps_the_new_copy_beside() {
    // Renaming over a non-empty folder fails even for root (and on Windows).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    fs::create_dir(&path).expect("mkdir");
    fs::write(path.join("keep"), b"kept").expect("write");
    let new = scan(13);
    let err = storage::save_atomically(&path, &new).expect_err("cannot replace a folder");
    let text = err.to_string();
    assert!(text.contains("scan.json"), "{text}");
    // The new copy is not lost: it waits as NAME.new, and the message says so.
    assert!(text.contains("scan.json.new"), "{text}");
    assert_eq!(names(dir.path()), ["scan.json", "scan.json.new"]);
    assert_eq!(
        storage::load(&dir.path().join("scan.json.new")).expect("kept copy"),
        new
    );
    assert_eq!(fs::read(path.join("keep")).expect("read"), b"kept");
}

#[test]
fn a_second_lock_is_refused_naming_the_file_and_released_on_drop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("2026-11-23-sam-taylor-1a2b3c4d.json");
    storage::save_atomically(&path, &scan(6)).expect("save");
    let first = storage::try_lock(&path).expect("first lock");
    assert_eq!(first.path(), storage::lock_path(&path));
    #[cfg(unix)]
    assert_eq!(mode(first.path()), 0o600);
    // A separate open of the lock file: flock locks belong to the open file, so this is what a
    // second process would see.
    let err = storage::try_lock(&path).expect_err("second lock refused");
    assert!(matches!(err, LockError::Busy { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&path.display().to_string()),
        "names the scan: {text}"
    );
    assert!(text.contains("open in another skills-scan"), "{text}");
    // Saving under the lock is fine (the lock is on the sibling, not on the replaced file).
    storage::save_atomically(&path, &scan(7)).expect("save while locked");
    assert!(
        storage::try_lock(&path).is_err(),
        "still locked after a save"
    );
    drop(first);
    let again = storage::try_lock(&path).expect("free after drop");
    drop(again);
}

#[test]
fn scan_files_lists_scans_only_recursively_and_sorted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("cohort-b");
    storage::create_private_dir(&sub).expect("mkdir");
    let a = dir.path().join("b.json");
    let b = sub.join("a.json");
    storage::save_atomically(&a, &scan(8)).expect("save");
    storage::save_atomically(&b, &scan(9)).expect("save");
    let _lock = storage::try_lock(&a).expect("lock");
    fs::write(dir.path().join(".skills-scan-x.tmp"), b"{").expect("tmp");
    fs::write(dir.path().join(".hidden.json"), b"{}").expect("hidden");
    fs::write(dir.path().join("notes.txt"), b"hello").expect("txt");
    let found = storage::scan_files(dir.path()).expect("list");
    assert_eq!(found, vec![a, b]);
}

#[test]
fn latest_in_progress_skips_submitted_and_unreadable_scans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let standard = Standard::embedded().expect("standard");
    let older = sample::complete_scan(&standard, 10, now() - chrono::Duration::days(3));
    let newer = sample::complete_scan(&standard, 11, now());
    let submitted = sample::submitted_scan(&standard, 12, now() + chrono::Duration::days(1));
    storage::save_atomically(&dir.path().join("older.json"), &older).expect("save");
    storage::save_atomically(&dir.path().join("newer.json"), &newer).expect("save");
    storage::save_atomically(&dir.path().join("submitted.json"), &submitted).expect("save");
    fs::write(dir.path().join("broken.json"), b"{\"format\":").expect("broken");
    let (path, found) = storage::latest_in_progress(dir.path()).expect("one in progress");
    assert_eq!(path, dir.path().join("newer.json"));
    assert_eq!(found, newer);
}

/// Helper run as a child process by the next test: holds the lock on the scan named in
/// `SKILLS_SCAN_LOCK_CHILD` until its stdin closes. Does nothing in a normal test run.
#[test]
fn child_holds_a_lock_until_stdin_closes() {
    use std::io::{BufRead, Write};
    let Some(path) = std::env::var_os("SKILLS_SCAN_LOCK_CHILD") else {
        return;
    };
    let lock = storage::try_lock(Path::new(&path)).expect("child takes the lock");
    println!("LOCKED");
    std::io::stdout().flush().expect("flush");
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    drop(lock);
}

#[test]
fn a_lock_held_by_another_process_is_refused_until_it_exits() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    storage::save_atomically(&path, &scan(15)).expect("save");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "storage_save::child_holds_a_lock_until_stdin_closes",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SKILLS_SCAN_LOCK_CHILD", &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let locked = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("LOCKED"));
    assert!(locked, "the child took the lock");
    let err = storage::try_lock(&path).expect_err("held by the child");
    assert!(matches!(err, LockError::Busy { .. }), "{err:?}");
    assert!(err.to_string().contains("scan.json"), "{err}");
    drop(child.stdin.take()); // the child releases the lock and exits
    assert!(child.wait().expect("child exits").success());
    storage::try_lock(&path).expect("free once the other process has gone");
}

/// Windows: a save while another program holds the scan open (a virus scanner, a backup or sync
/// tool) waits for it, retrying the replace for about two seconds.
#[cfg(windows)]
#[test]
fn windows_a_save_waits_for_a_program_that_briefly_holds_the_file() {
    use std::os::windows::fs::OpenOptionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    storage::save_atomically(&path, &scan(21)).expect("first save");
    // Share mode READ only: no one may rename or delete the file while this is open.
    let held = fs::OpenOptions::new()
        .read(true)
        .share_mode(1)
        .open(&path)
        .expect("hold");
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        drop(held);
    });
    let new = scan(22);
    storage::save_atomically(&path, &new).expect("saved once the file was let go");
    release.join().expect("thread");
    assert_eq!(storage::load(&path).expect("load"), new);
    assert_eq!(names(dir.path()), ["scan.json"]);
}

/// Windows: held for longer, the save is reported, the old file is untouched and the new copy is
/// kept beside it; the next save after the file is let go tidies it away.
#[cfg(windows)]
#[test]
fn windows_a_file_held_too_long_keeps_the_new_copy_and_reports() {
    use std::os::windows::fs::OpenOptionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scan.json");
    storage::save_atomically(&path, &scan(23)).expect("first save");
    let before = fs::read(&path).expect("read");
    let held = fs::OpenOptions::new()
        .read(true)
        .share_mode(1)
        .open(&path)
        .expect("hold");
    let new = scan(24);
    let err = storage::save_atomically(&path, &new).expect_err("held throughout");
    let text = err.to_string();
    assert!(text.contains("scan.json.new"), "{text}");
    drop(held);
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(
        storage::load(&dir.path().join("scan.json.new")).expect("kept copy"),
        new
    );
    storage::save_atomically(&path, &new).expect("save after release");
    assert_eq!(names(dir.path()), ["scan.json"]);
}
