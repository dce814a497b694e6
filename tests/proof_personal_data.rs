//! Proof that personal data stays owner-only: scan files 0600, their folders 0700, lock files
//! 0600, across many saves, even when the user's umask would let everyone read (umask 000), and
//! that a folder or file made readable by everyone before is closed to them (its group keeps
//! what it had: shared folders are tests/storage_shared.rs).
// Unix only: permission bits and the umask (Windows files inherit their folder's access list).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use skills_scan::core::{Rating, Standard};
use skills_scan::session::Session;
use skills_scan::{sample, storage};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The most permissive umask. Process-wide, so every test in this file sets it.
fn permissive_umask() {
    rustix::process::umask(rustix::fs::Mode::empty());
}

/// Every entry under `dir` (included): folders 0700, files 0600.
fn assert_owner_only(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{}", dir.display());
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            assert_owner_only(&path);
        } else {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
}

#[test]
fn a_session_keeps_files_folders_and_lock_owner_only_across_many_saves() {
    permissive_umask();
    let root = tempfile::tempdir().unwrap();
    let scans = root.path().join("data/skills-scan/scans");
    let standard = Standard::embedded().unwrap();
    let ids: Vec<String> = standard
        .questions()
        .map(|l| l.question.id.clone())
        .collect();
    let mut session = Session::create(sample::complete_scan(&standard, 1, now()), &scans);
    for i in 0..60 {
        let at = now() + Duration::seconds(i);
        let q = &ids[i as usize % ids.len()];
        session
            .scan_mut()
            .set_rating(q, Some(Rating::ALL[i as usize % 3]), at);
        session.scan_mut().set_text(q, &format!("save {i}"), at);
        let file = session.save().unwrap().to_path_buf();
        assert_eq!(mode(&file), 0o600, "after save {i}");
        assert_eq!(
            mode(&storage::lock_path(&file)),
            0o600,
            "lock after save {i}"
        );
        assert_eq!(mode(&scans), 0o700, "folder after save {i}");
    }
    assert_owner_only(&root.path().join("data"));
    // Reopened (after the session is gone) and saved again: still owner-only.
    let file = session.path().unwrap().to_path_buf();
    drop(session);
    let mut again = Session::open(&file).unwrap();
    again.scan_mut().set_text(&ids[0], "reopened", now());
    again.save().unwrap();
    assert_owner_only(&root.path().join("data"));
}

/// A file readable by everyone loses that at the next save; its group keeps its access (a
/// cohort's shared folder keeps working, see tests/storage_shared.rs).
#[test]
fn save_atomically_tightens_a_file_that_was_readable_by_others() {
    permissive_umask();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.json");
    let standard = Standard::embedded().unwrap();
    let scan = sample::submitted_scan(&standard, 2, now());
    fs::write(&path, b"{}").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    for _ in 0..20 {
        storage::save_atomically(&path, &scan).unwrap();
        assert_eq!(mode(&path), 0o660);
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    storage::save_atomically(&path, &scan).unwrap();
    assert_eq!(mode(&path), 0o640);
    assert_eq!(storage::load(&path).unwrap(), scan);
}

/// An existing folder open to everyone is closed to them; what its group may do is the group
/// share's business and is left alone. What we make in it is owner-only.
#[test]
fn private_folders_are_tightened_when_they_already_exist_open() {
    permissive_umask();
    let root = tempfile::tempdir().unwrap();
    let scans = root.path().join("scans");
    fs::create_dir(&scans).unwrap();
    fs::set_permissions(&scans, fs::Permissions::from_mode(0o777)).unwrap();
    let standard = Standard::embedded().unwrap();
    let mut session = Session::create(sample::complete_scan(&standard, 4, now()), &scans);
    let file = session.save().unwrap().to_path_buf();
    assert_eq!(mode(&scans), 0o770);
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&storage::lock_path(&file)), 0o600);
    // The nested folders created on the way are private too.
    storage::create_private_dir(&root.path().join("a/b/c")).unwrap();
    for p in ["a", "a/b", "a/b/c"] {
        assert_eq!(mode(&root.path().join(p)), 0o700, "{p}");
    }
}

#[test]
fn a_lock_taken_on_its_own_is_owner_only() {
    permissive_umask();
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan.json");
    let lock = storage::try_lock(&scan).unwrap();
    assert_eq!(mode(lock.path()), 0o600);
}
