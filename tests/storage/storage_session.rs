//! A scan open for editing (`Session`): first save names and creates the file under a lock,
//! later saves only when dirty, a second open of the same scan is refused, bad files are left
//! alone. Real temporary folders.

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;

use chrono::{DateTime, TimeZone, Utc};
use skills_scan::core::scan::{Learner, Rating};
use skills_scan::core::{Scan, Standard};
use skills_scan::session::{OpenError, Session};
use skills_scan::storage;

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, minute, 0)
        .single()
        .expect("time")
}

fn new_scan() -> Scan {
    let standard = Standard::embedded().expect("standard");
    let mut scan = Scan::new(&standard, "1a2b3c4d-0000-4000-8000-000000000000", at(0));
    scan.learner = Learner {
        name: "Priya Patel".into(),
        email: "priya.patel@example.org".into(),
    };
    scan
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

#[test]
fn first_save_creates_a_private_folder_and_a_readable_file_under_lock() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("data").join("scans");
    let mut session = Session::create(new_scan(), &dir);
    assert!(session.is_dirty());
    assert!(session.path().is_none());
    let path = session.save().expect("save").to_path_buf();
    assert_eq!(
        path,
        dir.join("2026-11-23-priya-patel-1a2b3c4d.json"),
        "date, learner, short id"
    );
    assert!(!session.is_dirty());
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
    assert_eq!(storage::load(&path).expect("load"), *session.scan());
    // The session holds the lock: another process (or open) is refused.
    assert!(storage::try_lock(&path).is_err());
    drop(session);
    assert!(storage::try_lock(&path).is_ok());
}

#[test]
fn changes_are_saved_and_reopened() {
    let root = tempfile::tempdir().expect("temp dir");
    let mut session = Session::create(new_scan(), root.path());
    let path = session.save().expect("save").to_path_buf();
    assert!(
        session
            .scan_mut()
            .set_rating("d1-skills", Some(Rating::Some), at(5))
    );
    session
        .scan_mut()
        .set_text("d1-skills", "I co-run a peer group.", at(6));
    assert!(session.is_dirty());
    session.save().expect("save changes");
    let expected = session.scan().clone();
    drop(session);

    let reopened = Session::open(&path).expect("open");
    assert_eq!(*reopened.scan(), expected);
    assert_eq!(reopened.scan().rating("d1-skills"), Some(Rating::Some));
    assert!(!reopened.is_dirty());
    assert_eq!(reopened.path(), Some(path.as_path()));
    assert_eq!(reopened.dir(), root.path());
}

#[cfg(unix)]
#[test]
fn a_clean_session_does_not_rewrite_the_file() {
    let root = tempfile::tempdir().expect("temp dir");
    let mut session = Session::create(new_scan(), root.path());
    let path = session.save().expect("save").to_path_buf();
    drop(session);
    // Mark the file so a rewrite would show.
    let marker = fs::read(&path).expect("read");
    let mut reopened = Session::open(&path).expect("open");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    reopened.save().expect("nothing to save");
    assert_eq!(mode(&path), 0o640, "not rewritten when nothing changed");
    assert_eq!(fs::read(&path).expect("read"), marker);
}

#[test]
fn a_scan_open_in_one_session_cannot_be_opened_in_another() {
    let root = tempfile::tempdir().expect("temp dir");
    let mut first = Session::create(new_scan(), root.path());
    let path = first.save().expect("save").to_path_buf();
    let err = Session::open(&path).expect_err("locked");
    assert!(matches!(err, OpenError::Locked(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains("open in another skills-scan"), "{text}");
    drop(first);
    Session::open(&path).expect("free once the first is closed");
}

#[test]
fn opening_a_bad_file_leaves_it_alone_and_releases_the_lock() {
    let root = tempfile::tempdir().expect("temp dir");
    let path = root.path().join("broken.json");
    let bytes = b"{\"format\": \"skills-scan\", \"format_version\": 1, \"id\":";
    fs::write(&path, bytes).expect("write");
    let err = Session::open(&path).expect_err("bad file");
    assert!(matches!(err, OpenError::Load(_)), "{err:?}");
    assert!(err.to_string().contains("broken.json"), "{err}");
    assert_eq!(fs::read(&path).expect("still there"), bytes);
    assert!(
        storage::try_lock(&path).is_ok(),
        "lock released after failure"
    );
}

#[test]
fn a_failed_first_save_keeps_the_answers_unsaved() {
    let root = tempfile::tempdir().expect("temp dir");
    // A file where the folder should be: the folder cannot be created.
    let blocked = root.path().join("scans");
    fs::write(&blocked, b"not a folder").expect("write");
    let mut session = Session::create(new_scan(), &blocked);
    session
        .scan_mut()
        .set_rating("b1", Some(Rating::Yes), at(7));
    let err = session.save().expect_err("cannot create the folder");
    assert!(err.to_string().contains("scans"), "{err}");
    assert!(session.is_dirty(), "still unsaved");
    assert_eq!(session.scan().rating("b1"), Some(Rating::Yes));
    assert_eq!(fs::read(&blocked).expect("read"), b"not a folder");
}
