//! Proof that a save the operating system refuses loses nothing: the previous file stays byte for
//! byte, the answers stay in memory (still marked unsaved), the error names the file and says the
//! copy on disk is unchanged, and a later save succeeds once the cause is gone.
//!
//! Real refusals only, no fake file system: a file-size limit (`setrlimit(RLIMIT_FSIZE)`, in a
//! child process: this test binary run again), a read-only folder (in a child running as an
//! unprivileged user when the tests run as root, since root ignores permissions), a folder that
//! has gone, and a folder path that runs through a regular file.
// Unix only: it makes writes fail with permission bits and resource limits.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use skills_scan::core::draft::{Answering, Draft};
use skills_scan::core::{QuestionId, Rating, Scan, Standard};
use skills_scan::session::Session;
use skills_scan::{sample, storage};

const MODE: &str = "PROOF_WRITE_FAILURES_CHILD";
const DIR: &str = "PROOF_WRITE_FAILURES_DIR";
const DONE: &str = "child checks passed";

use crate::support::now;

fn first_scan() -> Scan {
    let standard = Standard::embedded().unwrap();
    let mut scan = sample::complete_scan(&standard, 3, now());
    // Leave the last question open so the "new answer" below is a real change.
    let last = standard.questions().last().unwrap().question.id.clone();
    scan.set_rating(&last, None, now());
    scan.set_text(&last, "", now());
    scan
}

fn last_question() -> QuestionId {
    Standard::embedded()
        .unwrap()
        .questions()
        .last()
        .unwrap()
        .question
        .id
        .clone()
}

/// A scan being edited, as a front end holds it: the session (file, lock, revision saved) and
/// the draft it saves.
struct Editing {
    session: Session,
    draft: Draft<Answering>,
}

impl Editing {
    /// A new scan to be written at the first save.
    fn create(scan: Scan, dir: &Path) -> Self {
        Self {
            session: Session::create(dir),
            draft: Draft::to_keep(scan),
        }
    }

    fn save(&mut self) -> Result<PathBuf, storage::SaveError> {
        self.session
            .save(&mut self.draft)
            .map(|p| p.expect("a file").to_path_buf())
    }

    fn is_dirty(&self) -> bool {
        self.draft.unsaved()
    }

    fn scan(&self) -> &Scan {
        &self.draft
    }

    fn path(&self) -> Option<&Path> {
        self.session.path()
    }
}

/// Types a new answer into the session: what must survive the refused save.
fn type_new_answer(session: &mut Editing) -> String {
    let text = format!(
        "A long new answer that must not be lost. {}",
        "ŵ".repeat(4000)
    );
    let q = last_question();
    let at = now() + Duration::minutes(5);
    session.draft.set_rating(&q, Some(Rating::Yes), at);
    session.draft.set_text(&q, &text, at);
    text
}

/// A scan saved once in `dir`, then given a new answer not yet saved: the session, the file, the
/// file's bytes as saved, and the new answer's text.
fn saved_then_changed(dir: &Path) -> (Editing, PathBuf, Vec<u8>, String) {
    let mut session = Editing::create(first_scan(), dir);
    let file = session.save().unwrap();
    let before = fs::read(&file).unwrap();
    let text = type_new_answer(&mut session);
    (session, file, before, text)
}

/// Once the cause of a refusal is gone: the same session saves again, and `file` then holds the
/// new answer `text`.
fn assert_the_retry_saves(session: &mut Editing, file: &Path, text: &str) {
    session.save().unwrap();
    assert_eq!(
        storage::load(file)
            .unwrap()
            .answer(&last_question())
            .unwrap()
            .text,
        text
    );
}

fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".skills-scan-"))
        .collect()
}

/// The checks after a refused save, shared by every kind of refusal.
fn assert_refused_safely(
    session: &Editing,
    err: &storage::SaveError,
    file: &Path,
    before: &[u8],
    text: &str,
    cause: &str,
) {
    let message = err.to_string();
    println!("the user is told: {message}");
    assert!(
        message.contains(&file.display().to_string()),
        "names the file: {message}"
    );
    assert!(
        message.contains("previous copy on disk is unchanged"),
        "{message}"
    );
    assert!(
        message.to_lowercase().contains(cause),
        "gives the cause: {message}"
    );
    assert_eq!(
        fs::read(file).unwrap(),
        before,
        "the previous file is intact"
    );
    assert!(storage::load(file).is_ok(), "and still loads");
    assert!(session.is_dirty(), "the answers are still marked unsaved");
    let q = last_question();
    assert_eq!(
        session.scan().answer(&q).unwrap().text,
        text,
        "kept in memory"
    );
    assert!(
        temp_files(file.parent().unwrap()).is_empty(),
        "no temporary file left"
    );
}

/// Runs this test binary again as a child with `mode`, optionally as another user.
fn run_child(mode: &str, dir: &Path, prefix: &[&str]) {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = if prefix.is_empty() {
        Command::new(&exe)
    } else {
        let mut c = Command::new(prefix[0]);
        c.args(&prefix[1..]).arg(&exe);
        c
    };
    let out = cmd
        .args([
            "--exact",
            "proof_write_failures::child_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(MODE, mode)
        .env(DIR, dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("child {mode}:\n{stdout}\n{stderr}");
    assert!(
        out.status.success(),
        "child {mode} failed: {stdout}\n{stderr}"
    );
    assert!(stdout.contains(DONE), "child {mode} did not run its checks");
}

/// The child's side. Does nothing unless run by [`run_child`].
#[test]
fn child_entry() {
    let Ok(mode) = std::env::var(MODE) else {
        return;
    };
    let dir = PathBuf::from(std::env::var(DIR).unwrap());
    match mode.as_str() {
        "fsize" => child_file_size_limit(&dir),
        "readonly" => child_read_only_folder(&dir),
        other => panic!("unknown mode {other}"),
    }
    println!("{DONE}");
}

fn child_file_size_limit(dir: &Path) {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    // The default action of SIGXFSZ ends the process; with a handler, write returns EFBIG.
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag).unwrap();

    let (mut session, file, before, text) = saved_then_changed(dir);

    let original = getrlimit(Resource::Fsize);
    setrlimit(
        Resource::Fsize,
        Rlimit {
            current: Some(before.len() as u64 + 100),
            maximum: original.maximum,
        },
    )
    .unwrap();
    let err = session.save().unwrap_err();
    assert_eq!(err.source.kind(), std::io::ErrorKind::FileTooLarge, "{err}");
    assert_refused_safely(&session, &err, &file, &before, &text, "too large");
    // Again: a retry while the limit holds changes nothing either.
    assert!(session.save().is_err());
    assert_eq!(fs::read(&file).unwrap(), before);

    // The limit lifted, the retry saves everything.
    setrlimit(Resource::Fsize, original).unwrap();
    assert_the_retry_saves(&mut session, &file, &text);
    assert!(!session.is_dirty());
}

fn child_read_only_folder(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let scans = dir.join("scans");
    let (mut session, file, before, text) = saved_then_changed(&scans);

    fs::set_permissions(&scans, fs::Permissions::from_mode(0o500)).unwrap();
    let err = session.save().unwrap_err();
    assert_refused_safely(&session, &err, &file, &before, &text, "permission denied");

    fs::set_permissions(&scans, fs::Permissions::from_mode(0o700)).unwrap();
    assert_the_retry_saves(&mut session, &file, &text);
}

#[test]
fn a_file_size_limit_refuses_the_save_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    run_child("fsize", dir.path(), &[]);
    // Seen from outside: one scan file, complete with the new answer, no temporary files.
    let files = storage::scan_files(dir.path()).unwrap();
    assert_eq!(files.len(), 1);
    let loaded = storage::load(&files[0]).unwrap();
    assert!(
        loaded
            .answer(&last_question())
            .unwrap()
            .text
            .starts_with("A long new answer")
    );
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_read_only_folder_refuses_the_save_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    if rustix::process::geteuid().is_root() {
        // Root ignores folder permissions: run the child as an unprivileged user instead.
        let nobody = 65534;
        std::os::unix::fs::chown(dir.path(), Some(nobody), Some(nobody)).unwrap();
        let setpriv = [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ];
        if Command::new("setpriv").arg("--version").output().is_err() {
            println!(
                "SKIPPED: running as root, where a read-only folder does not stop writes, and \
                 setpriv (to drop to an unprivileged user) is not installed"
            );
            return;
        }
        run_child("readonly", dir.path(), &setpriv);
    } else {
        run_child("readonly", dir.path(), &[]);
    }
    assert_eq!(storage::scan_files(dir.path()).unwrap().len(), 1);
}

/// The folder disappears under an open scan (a removed USB stick, a tidy-up): the save fails,
/// nothing is lost, and once the folder is back the same session saves.
#[test]
fn a_folder_that_has_gone_refuses_the_save_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    let (mut session, file, before, text) = saved_then_changed(&scans);

    let moved = dir.path().join("moved-away");
    fs::rename(&scans, &moved).unwrap();
    let err = session.save().unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    assert!(message.contains("No such file or directory"), "{message}");
    assert!(session.is_dirty());
    assert_eq!(session.scan().answer(&last_question()).unwrap().text, text);
    assert!(
        !scans.exists(),
        "the save did not recreate a folder behind the user's back"
    );
    let moved_file = moved.join(file.file_name().unwrap());
    assert_eq!(
        fs::read(&moved_file).unwrap(),
        before,
        "the previous file is intact"
    );

    fs::rename(&moved, &scans).unwrap();
    assert_the_retry_saves(&mut session, &file, &text);
}

/// A folder path that runs through a regular file can never be created: the first save fails
/// naming it, and the answers stay in memory.
#[test]
fn a_folder_path_through_a_file_refuses_the_first_save() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, b"a regular file").unwrap();
    let scans = blocker.join("scans");
    let mut session = Editing::create(first_scan(), &scans);
    let text = type_new_answer(&mut session);
    let err = session.save().unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&scans.display().to_string()), "{message}");
    assert!(message.contains("Not a directory"), "{message}");
    assert!(session.is_dirty());
    assert!(session.path().is_none());
    assert_eq!(session.scan().answer(&last_question()).unwrap().text, text);
    assert_eq!(fs::read(&blocker).unwrap(), b"a regular file");
    // And save_atomically refuses a target inside a file the same way.
    let err = storage::save_atomically(&blocker.join("x.json"), session.scan()).unwrap_err();
    assert!(err.to_string().contains("x.json"));
}
