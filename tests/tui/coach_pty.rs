//! End to end: the real binary's `open FILE` in a pseudo-terminal (portable-pty + vt100). A coach
//! sets an agreed rating and a note, records validation, quits; the file then holds the review
//! and the learner's answers exactly as before.
// Unix only: it drives the binary in a Unix pseudo-terminal and sends signals.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use skills_scan::core::{KsbCode, Rating, Scan};
use skills_scan::storage;
use tempfile::TempDir;

use crate::support::pty::{App, DOWN};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/coach-submitted.json"
);
const ROWS: u16 = 30;
const COLS: u16 = 100;
const ESC: &str = "\x1b";

/// The coach's app on `file` at 100×30.
fn open(home: &Path, file: &Path) -> App {
    open_sized(home, file, ROWS, COLS)
}

fn open_sized(home: &Path, file: &Path, rows: u16, cols: u16) -> App {
    App::start_sized(home, &["open", file.to_str().unwrap()], &[], (cols, rows))
}

/// A new temp home holding a copy of the submitted fixture scan as `name`.
fn home_with_fixture(name: &str) -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join(name);
    std::fs::copy(FIXTURE, &file).unwrap();
    (home, file)
}

/// From the question list: Enter opens D1 Skills and n sets the agreed rating to No, waiting
/// for each to show.
fn agree_no_on_d1_skills(app: &App) {
    app.send("\r");
    app.wait_for("D1 Skills (1/25)");
    app.send("n");
    app.wait_for("Agreed rating: ✘ No");
}

/// Presses q, which must end the app with exit 0 (else the screen is shown), and loads the
/// saved `file`, whose learner's answers must still be those of `before`.
fn quit_and_load(app: &mut App, file: &Path, before: &Scan) -> Scan {
    app.send("q");
    let status = app.wait_exit();
    assert!(
        status.success(),
        "exit {}:\n{}",
        status.exit_code(),
        app.screen()
    );

    let after = storage::load(file).unwrap();
    assert_eq!(
        after.answers, before.answers,
        "the learner's answers are untouched"
    );
    after
}

#[test]
fn coach_reviews_validates_and_quits_leaving_answers_untouched() {
    let (home, file) = home_with_fixture("scan.json");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let before = storage::load(&file).unwrap();
    assert!(before.review.is_none());

    let mut app = open(home.path(), &file);
    app.wait_for("Questions: learner");
    app.wait_for("Sam Singh");
    // d4-knowledge is the eighth question; the learner said No.
    for _ in 0..7 {
        app.send(DOWN);
    }
    app.send("\r");
    app.wait_for("D4 Knowledge (8/25)");
    app.wait_for("Learner's rating: ✘ No");
    app.send("s");
    app.wait_for("Agreed rating: ◐ Some");
    app.send("e");
    app.wait_for("Type the coach's note");
    app.send("Start with the Care Act module; q and y typed here are text.");
    app.wait_for("Care Act module");
    app.send(ESC);
    app.wait_for("y/s/n: agreed");
    app.send(ESC);
    app.wait_for("Questions: learner");
    app.wait_for("→ ◐ Some");
    app.send("v");
    app.wait_for("Validation record");
    app.send("2026-11-23");
    app.send(DOWN);
    app.send("Jordan Hughes");
    app.send(DOWN);
    app.send(DOWN);
    app.wait_for("Jordan Hughes");
    app.send(" ");
    app.wait_for("[x] Validated by the manager");
    app.send(ESC);
    app.wait_for("Questions: learner");
    let after = quit_and_load(&mut app, &file, &before);
    assert_eq!(after.status, before.status);
    assert_eq!(after.learner, before.learner);
    let agreed = after.agreed(&"d4-knowledge".into()).unwrap();
    assert_eq!(agreed.rating, Some(Rating::Some));
    assert_eq!(
        agreed.note,
        "Start with the Care Act module; q and y typed here are text."
    );
    assert!(agreed.changed.is_some());
    let v = &after.review.as_ref().unwrap().validation;
    assert_eq!(v.meeting_date.unwrap().to_string(), "2026-11-23");
    assert_eq!(v.coach_name, "Jordan Hughes");
    assert_eq!(
        v.manager_name, "Alex Patel",
        "prefilled from the scan's manager"
    );
    assert!(v.validated_by_manager);
    assert!(v.recorded_at.is_some());
    assert_eq!(
        v.fingerprint.as_deref(),
        Some(skills_scan::core::record::fingerprint(&after).as_str()),
        "sealed over what was validated"
    );
    assert!(matches!(
        skills_scan::core::record::Seal::of(&after),
        skills_scan::core::record::Seal::Validated { .. }
    ));
    assert_eq!(after.review.as_ref().unwrap().agreed.len(), 1);
    // The copied fixture is 0644: the save keeps the group's read and drops everyone else's.
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o640,
        "a save keeps the mode the file had"
    );
    drop(app);
}

/// At 80×24 a coach moves into a question's KSB list, agrees a rating for one KSB and a rating
/// and note for another; the plan shows them, and the file holds them per KSB.
#[test]
fn coach_sets_per_ksb_ratings_at_80x24() {
    let (home, file) = home_with_fixture("scan.json");
    let before = storage::load(&file).unwrap();
    let mut app = open_sized(home.path(), &file, 24, 80);
    app.wait_for("Questions: learner");
    // D1 Skills (S1–S5), rated Yes by the learner: every KSB derived Yes.
    app.send("\r");
    app.wait_for("D1 Skills (1/25)");
    app.wait_for("KSBs (↓ to choose one");
    app.wait_for("S1   ✔ Yes    derived");
    app.send(DOWN);
    app.wait_for("Coach's review of S1");
    app.send("n");
    app.wait_for("S1 agreed rating: No");
    app.wait_for("S1   ✘ No     agreed");
    app.send(DOWN);
    app.send(DOWN);
    app.wait_for("Coach's review of S3");
    app.send("s");
    app.wait_for("S3 agreed rating: Some");
    app.send("e");
    app.wait_for("Type the coach's note");
    app.send("Has not yet worked with families.");
    app.wait_for("worked with families");
    app.send(ESC);
    app.wait_for("e: KSB note");
    app.wait_for("S3   ◐ Some   agreed  ✎");
    app.wait_for("Note: Has not yet worked with families.");
    // Esc leaves the KSB list; the question's own rating is untouched.
    app.send(ESC);
    app.wait_for("Coach's review ─");
    app.wait_for("none set (the learner's rating counts)");
    // The learning plan lists the two KSBs with their agreed ratings and the note.
    app.send("p");
    app.wait_for("Learning plan: areas for development");
    app.wait_for("S1 ✘ No (agreed)");
    app.wait_for("S3 ◐ Some (agreed)");
    app.wait_for("Coach's note: Has not yet worked with families.");
    let after = quit_and_load(&mut app, &file, &before);
    let review = after.review.as_ref().unwrap();
    assert!(review.agreed.is_empty(), "no question rating was set");
    let codes: Vec<&str> = review.ksbs.keys().map(KsbCode::as_str).collect();
    assert_eq!(codes, ["S1", "S3"]);
    assert_eq!(review.ksbs["S1"].rating, Some(Rating::No));
    assert_eq!(review.ksbs["S3"].rating, Some(Rating::Some));
    assert_eq!(review.ksbs["S3"].note, "Has not yet worked with families.");
    drop(app);
}

#[test]
fn a_scan_open_elsewhere_is_refused_with_its_name() {
    let (home, file) = home_with_fixture("busy-scan.json");
    let _held = storage::try_lock(&file).unwrap();
    let mut app = open(home.path(), &file);
    let status = app.wait_exit();
    assert_eq!(status.exit_code(), 75);
    app.wait_for("busy-scan.json is open in another skills-scan");
    app.send("");
}

#[test]
fn a_hang_up_saves_the_review_and_exits_129() {
    let (home, file) = home_with_fixture("scan.json");
    let before = storage::load(&file).unwrap();
    let mut app = open(home.path(), &file);
    app.wait_for("Questions: learner");
    agree_no_on_d1_skills(&app);
    let pid = app.child.process_id().unwrap();
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::HUP).unwrap();
    let status = app.wait_exit();
    assert_eq!(status.exit_code(), 129, "{}", app.screen());
    let after = storage::load(&file).unwrap();
    assert_eq!(after.answers, before.answers);
    assert_eq!(
        after.agreed(&"d1-skills".into()).unwrap().rating,
        Some(Rating::No)
    );
}

/// A scan the coach cannot change (here 0444) opens read-only, says so on screen, takes no lock,
/// and quitting after a change leaves the file as it was and says nothing was saved.
#[test]
fn a_read_only_scan_opens_read_only_and_says_so() {
    let (home, file) = home_with_fixture("scan.json");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&file).unwrap();
    let mut app = open(home.path(), &file);
    app.wait_for("Questions: learner");
    app.wait_for("Read-only: the file is read-only for you");
    assert!(!storage::lock_path(&file).exists(), "no lock file");
    agree_no_on_d1_skills(&app);
    app.send(ESC);
    app.wait_for("Questions: learner");
    app.send("q");
    app.wait_for("opened read-only");
    // The save cannot happen: a second q leaves without it.
    app.send("q");
    let status = app.wait_exit();
    // Leaving with a change not saved is reported (exit 1), as for any save that failed.
    assert_eq!(status.exit_code(), 1, "{}", app.screen());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );
    assert!(!storage::lock_path(&file).exists());
    drop(app);
}
