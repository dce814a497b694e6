//! Proof that personal data stays owner-only: scan files 0600, their folders 0700, lock files
//! 0600, across many saves, even when the user's umask would let everyone read (umask 000), and
//! that a folder or file made readable by everyone before is closed to them (its group keeps
//! what it had: shared folders are tests/storage/storage_shared.rs).
// Unix only: permission bits and the umask (Windows files inherit their folder's access list).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::Duration;
use skills_scan::core::draft::{Answering, Draft};
use skills_scan::core::{QuestionId, Rating, Standard};
use skills_scan::session::Session;
use skills_scan::{sample, storage};

use crate::support::now;

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
    let ids: Vec<QuestionId> = standard
        .questions()
        .map(|l| l.question.id.clone())
        .collect();
    let mut draft: Draft<Answering> = Draft::to_keep(sample::complete_scan(&standard, 1, now()));
    let mut session = Session::create(&scans);
    for i in 0..60 {
        let at = now() + Duration::seconds(i);
        let q = &ids[i as usize % ids.len()];
        draft.set_rating(q, Some(Rating::ALL[i as usize % 3]), at);
        draft.set_text(q, &format!("save {i}"), at);
        let file = session.save(&mut draft).unwrap().unwrap().to_path_buf();
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
    let (mut again, mut draft): (Session, Draft<Answering>) = Session::open(&file).unwrap();
    draft.set_text(&ids[0], "reopened", now());
    again.save(&mut draft).unwrap();
    assert_owner_only(&root.path().join("data"));
}

/// A save keeps the mode its file had: its owner chose it (a cohort's shared folder keeps
/// working, see tests/storage/storage_shared.rs); the program never loosens or tightens what it
/// did not create. A new file is owner-only.
#[test]
fn save_atomically_keeps_the_mode_a_file_had() {
    permissive_umask();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.json");
    let standard = Standard::embedded().unwrap();
    let scan = sample::submitted_scan(&standard, 2, now());
    storage::save_atomically(&path, &scan).unwrap();
    assert_eq!(mode(&path), 0o600, "a new file is owner-only");
    for kept in [0o660, 0o640, 0o644, 0o600] {
        fs::set_permissions(&path, fs::Permissions::from_mode(kept)).unwrap();
        for _ in 0..5 {
            storage::save_atomically(&path, &scan).unwrap();
            assert_eq!(mode(&path), kept, "{kept:o}");
        }
    }
    assert_eq!(storage::load(&path).unwrap(), scan);
}

/// An existing folder is its owner's and keeps its mode; what we make in it is owner-only.
#[test]
fn existing_folders_keep_their_mode_and_what_is_made_in_them_is_private() {
    permissive_umask();
    let root = tempfile::tempdir().unwrap();
    let scans = root.path().join("scans");
    fs::create_dir(&scans).unwrap();
    fs::set_permissions(&scans, fs::Permissions::from_mode(0o777)).unwrap();
    let standard = Standard::embedded().unwrap();
    let mut draft: Draft<Answering> = Draft::to_keep(sample::complete_scan(&standard, 4, now()));
    let mut session = Session::create(&scans);
    let file = session.save(&mut draft).unwrap().unwrap().to_path_buf();
    // The folder is the owner's: never chmod-ed. The files made in it are owner-only.
    assert_eq!(mode(&scans), 0o777);
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
