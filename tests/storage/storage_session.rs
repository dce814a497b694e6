//! A scan open for editing (`Session` and the front end's `Draft`): first save names and creates
//! the file under a lock, later saves only when the draft's revision moved on, a second open of
//! the same scan is refused, bad files are left alone, and send-and-record attaches the saved
//! file's bytes and records the outcome. Real temporary folders.

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;

use chrono::{DateTime, TimeZone, Utc};
use skills_scan::core::draft::{Answering, Draft};
use skills_scan::core::scan::{EmailResult, Learner, Rating};
use skills_scan::core::walk::Detail;
use skills_scan::core::{QuestionId, Scan, Standard};
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

/// Saves `draft`, which must succeed and write a file; that file's path.
fn save_a_file(session: &mut Session, draft: &mut Draft<Answering>) -> std::path::PathBuf {
    session
        .save(draft)
        .expect("save")
        .expect("a file")
        .to_path_buf()
}

/// The sample scan saved for the first time in `dir`: its session (holding the lock), draft and
/// file.
fn saved_new_scan(dir: &std::path::Path) -> (Session, Draft<Answering>, std::path::PathBuf) {
    let mut draft: Draft<Answering> = Draft::to_keep(new_scan());
    let mut session = Session::create(dir);
    let path = save_a_file(&mut session, &mut draft);
    (session, draft, path)
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

#[test]
fn first_save_creates_a_private_folder_and_a_readable_file_under_lock() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("data").join("scans");
    let mut draft: Draft<Answering> = Draft::to_keep(new_scan());
    let mut session = Session::create(&dir);
    assert!(draft.unsaved());
    assert!(session.path().is_none());
    let path = save_a_file(&mut session, &mut draft);
    assert_eq!(
        path,
        dir.join("2026-11-23-priya-patel-1a2b3c4d.json"),
        "date, learner, short id"
    );
    assert!(!draft.unsaved());
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
    assert_eq!(storage::load(&path).expect("load"), *draft.scan());
    // The session holds the lock: another process (or open) is refused.
    assert!(storage::try_lock(&path).is_err());
    drop(session);
    assert!(storage::try_lock(&path).is_ok());
}

#[test]
fn a_new_scan_is_written_at_its_first_change_not_before() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("scans");
    let mut draft: Draft<Answering> = Draft::from(new_scan());
    let mut session = Session::create(&dir);
    assert!(!draft.unsaved(), "nothing typed yet");
    assert_eq!(session.save(&mut draft).expect("nothing to save"), None);
    assert!(!dir.exists(), "no folder, no file for an untouched scan");
    assert!(
        !draft.set_detail(Detail::LearnerName, "Priya Patel", at(1)),
        "unchanged"
    );
    assert!(!draft.unsaved());
    assert!(draft.set_detail(Detail::ManagerEmail, "sam.okafor@example.org", at(1)));
    assert!(draft.unsaved(), "dirty is the revision moving on");
    let path = save_a_file(&mut session, &mut draft);
    assert_eq!(
        storage::load(&path).expect("load").manager.email,
        "sam.okafor@example.org"
    );
}

#[test]
fn changes_are_saved_and_reopened() {
    let root = tempfile::tempdir().expect("temp dir");
    let (mut session, mut draft, path) = saved_new_scan(root.path());
    assert!(draft.set_rating(&"d1-skills".into(), Some(Rating::Some), at(5)));
    draft.set_text(&"d1-skills".into(), "I co-run a peer group.", at(6));
    assert!(draft.unsaved());
    session.save(&mut draft).expect("save changes");
    assert!(!draft.unsaved());
    let expected = draft.into_scan();
    drop(session);

    let (reopened, scan): (Session, Draft<Answering>) = Session::open(&path).expect("open");
    assert_eq!(*scan.scan(), expected);
    assert_eq!(scan.rating(&"d1-skills".into()), Some(Rating::Some));
    assert!(!scan.unsaved());
    assert_eq!(reopened.path(), Some(path.as_path()));
    assert_eq!(reopened.dir(), root.path());
}

#[cfg(unix)]
#[test]
fn a_clean_session_does_not_rewrite_the_file() {
    let root = tempfile::tempdir().expect("temp dir");
    let (session, _draft, path) = saved_new_scan(root.path());
    drop(session);
    // Mark the file so a rewrite would show.
    let marker = fs::read(&path).expect("read");
    let (mut reopened, mut scan): (Session, Draft<Answering>) = Session::open(&path).expect("open");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    reopened.save(&mut scan).expect("nothing to save");
    assert_eq!(mode(&path), 0o640, "not rewritten when nothing changed");
    assert_eq!(fs::read(&path).expect("read"), marker);
}

#[test]
fn a_scan_open_in_one_session_cannot_be_opened_in_another() {
    let root = tempfile::tempdir().expect("temp dir");
    let (first, _draft, path) = saved_new_scan(root.path());
    let err = Session::open::<Answering>(&path).expect_err("locked");
    assert!(matches!(err, OpenError::Locked(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains("open in another skills-scan"), "{text}");
    drop(first);
    Session::open::<Answering>(&path).expect("free once the first is closed");
}

#[test]
fn opening_a_bad_file_leaves_it_alone_and_releases_the_lock() {
    let root = tempfile::tempdir().expect("temp dir");
    let path = root.path().join("broken.json");
    let bytes = b"{\"format\": \"skills-scan\", \"format_version\": 1, \"id\":";
    fs::write(&path, bytes).expect("write");
    let err = Session::open::<Answering>(&path).expect_err("bad file");
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
    let mut draft: Draft<Answering> = Draft::from(new_scan());
    let mut session = Session::create(&blocked);
    draft.set_rating(&"b1".into(), Some(Rating::Yes), at(7));
    let err = session
        .save(&mut draft)
        .expect_err("cannot create the folder");
    assert!(err.to_string().contains("scans"), "{err}");
    assert!(draft.unsaved(), "still unsaved");
    assert_eq!(draft.rating(&"b1".into()), Some(Rating::Yes));
    assert_eq!(fs::read(&blocked).expect("read"), b"not a folder");
}

#[test]
fn a_folder_that_cannot_hold_scans_is_found_before_anything_is_typed() {
    let root = tempfile::tempdir().expect("temp dir");
    let blocked = root.path().join("data");
    fs::write(&blocked, b"not a folder").expect("write");
    let why = skills_scan::session::check_folder(&blocked.join("scans")).expect_err("a file");
    assert!(why.contains("is a file, not a folder"), "{why}");
    assert!(why.contains(&blocked.display().to_string()), "{why}");
    assert!(why.contains("--data-dir"), "says what to do: {why}");
    assert_eq!(
        skills_scan::session::check_folder(&root.path().join("new").join("scans")),
        Ok(()),
        "a folder that does not exist yet is made at the first save"
    );
}

/// A submitted scan written by hand (compact JSON, not the way a save writes it), so the
/// attachment can be told from a re-serialised copy.
fn submitted_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut scan = new_scan();
    scan.manager.email = "sam.okafor@example.org".into();
    let ids: Vec<QuestionId> = scan
        .standard()
        .questions()
        .map(|l| l.question.id.clone())
        .collect();
    for id in ids {
        scan.set_rating(&id, Some(Rating::No), at(2));
    }
    scan.submit(at(3)).expect("complete");
    let path = dir.join("submitted.json");
    fs::write(&path, serde_json::to_vec(&scan).expect("json")).expect("write");
    path
}

#[test]
fn send_and_record_attaches_the_saved_file_and_records_the_outcome() {
    let root = tempfile::tempdir().expect("temp dir");
    let paths = skills_scan::paths::Paths {
        data_dir: root.path().join("data"),
        config_file: root.path().join("none.toml"),
    };
    let path = submitted_file(root.path());
    let on_disk = fs::read(&path).expect("read");
    let (mut session, mut scan): (Session, Draft<Answering>) = Session::open(&path).expect("open");
    let outgoing = session.prepare_send(&mut scan);
    assert_eq!(outgoing.attachment(), on_disk, "the file as it is on disk");
    assert_ne!(
        on_disk,
        storage::to_bytes(&scan),
        "not a re-serialised copy"
    );

    // No [smtp] in the config: the summary is queued, and that is recorded and saved.
    let config = skills_scan::config::Config::default();
    let (outcome, saved) = session.send_and_record(&mut scan, &paths, &config, at(4));
    assert!(
        matches!(outcome.entry.result, EmailResult::Queued { .. }),
        "{:?}",
        outcome.entry
    );
    assert_eq!(saved.expect("saved").as_deref(), Some(path.as_path()));
    assert!(!scan.unsaved());
    let reloaded = storage::load(&path).expect("load");
    assert_eq!(reloaded.email_log, vec![outcome.entry.clone()]);
    assert!(
        outcome
            .outbox_file
            .as_deref()
            .is_some_and(std::path::Path::exists)
    );
    // A second send attaches the file as now saved (with its email log).
    let again = session.prepare_send(&mut scan);
    assert_eq!(again.attachment(), fs::read(&path).expect("read"));
}
