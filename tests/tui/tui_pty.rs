//! The real binary in a pseudo-terminal (portable-pty + vt100): a whole scan to the saved JSON,
//! SIGKILL mid-scan and resume, resize during the scan, quit and resume, and a hang-up that saves.
// Unix only: it drives the binary in a Unix pseudo-terminal and sends signals.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pty_support::{App, END, ENTER, PGDN, TAB, TIMEOUT};
use serde_json::Value;

use crate::support::Home;
use crate::support::pty as pty_support;

fn scan_file(dir: &Path) -> PathBuf {
    let mut files = pty_support::scan_files(dir);
    assert_eq!(files.len(), 1, "one scan file in {}", dir.display());
    files.pop().unwrap()
}

fn saved(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(scan_file(dir)).unwrap()).unwrap()
}

/// Polls the saved file until `check` holds (saves are debounced by under a second).
fn wait_saved(dir: &Path, check: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let has_file = std::fs::read_dir(dir.join("data/scans")).is_ok_and(|d| {
            d.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "json"))
        });
        if has_file
            && let Ok(bytes) = std::fs::read(scan_file(dir))
            && let Ok(v) = serde_json::from_slice::<Value>(&bytes)
            && check(&v)
        {
            return v;
        }
        assert!(start.elapsed() < TIMEOUT, "the scan file never matched");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn fill_details(app: &App) {
    app.wait_for("Initial skills scan");
    // PgDn reads the welcome on, screen by screen; End skips to its end, then PgDn begins.
    app.send(END);
    app.send(PGDN);
    app.wait_for("Your details");
    app.send("Siân Ŵyn");
    app.send(TAB);
    app.send("sian.wyn@example.org");
    app.send(TAB);
    app.send("alex.morgan@example.org");
    app.send(PGDN);
    app.wait_for("Duty 1 of 10");
}

/// A new scan in a fresh home with the details filled in, on Duty 1.
fn on_duty_1() -> (Home, App) {
    let home = Home::new();
    let app = App::start(home.path(), &[]);
    fill_details(&app);
    (home, app)
}

/// Answers every question on the current page: Yes with a line of text.
fn answer_page(app: &App, page: usize, questions: usize) {
    for q in 0..questions {
        app.send("y");
        app.send(&format!("Answer {page}.{q}: I do this at work, café ŵ 😀."));
        app.send(TAB);
    }
}

/// Answers the duty pages from `first` (0-based) and the behaviours, each moved on with PgDn, to
/// the review.
fn answer_pages_to_the_review(app: &App, first: usize) {
    for page in first..10 {
        app.wait_for(&format!("Duty {} of 10", page + 1));
        answer_page(app, page, 2);
        app.send(PGDN);
    }
    app.wait_for("Behaviours (5 questions)");
    answer_page(app, 10, 5);
    app.send(PGDN);
    app.wait_for("Review your answers");
}

#[test]
fn a_whole_scan_is_answered_submitted_and_saved() {
    let (dir, mut app) = on_duty_1();
    answer_pages_to_the_review(&app, 0);
    app.wait_for("Everything answered");
    app.send(END);
    app.send(ENTER);
    app.wait_for("Submit now?");
    app.send(ENTER);
    app.wait_for("Your skills scan is submitted");
    app.wait_for("Enter or q to finish");
    app.send(ENTER);
    assert_eq!(app.exit_code(), 0);

    let v = saved(dir.path());
    assert_eq!(v["status"]["state"], "submitted");
    assert_eq!(v["learner"]["name"], "Siân Ŵyn");
    assert_eq!(v["manager"]["email"], "alex.morgan@example.org");
    let answers = v["answers"].as_object().unwrap();
    assert_eq!(answers.len(), 25);
    assert_eq!(
        answers["d1-skills"]["text"],
        "Answer 0.0: I do this at work, café ŵ 😀."
    );
    assert_eq!(answers["d10-knowledge"]["rating"], "yes");
    assert_eq!(
        answers["b5"]["text"],
        "Answer 10.4: I do this at work, café ŵ 😀."
    );
    assert_eq!(
        v["email_log"].as_array().unwrap().len(),
        1,
        "the email outcome is logged"
    );
}

#[test]
fn sigkill_mid_scan_then_resume_keeps_every_saved_answer() {
    let (dir, mut app) = on_duty_1();
    answer_page(&app, 0, 2);
    app.send(PGDN);
    app.wait_for("Duty 2 of 10");
    app.send("s");
    app.send("Half way through a thought");
    let before = wait_saved(dir.path(), |v| {
        v["answers"]["d2-skills"]["text"] == "Half way through a thought"
    });
    app.signal(rustix::process::Signal::KILL);
    let _ = app.exit_code();

    let mut app = App::start(dir.path(), &[]);
    app.wait_for("Resume Siân Ŵyn's scan?");
    app.wait_for("3 of 25 questions answered");
    app.send(ENTER);
    app.wait_for("Duty 2 of 10");
    app.wait_for("Half way through a thought");
    app.send("q");
    assert_eq!(app.exit_code(), 0);
    let after = saved(dir.path());
    assert_eq!(after["answers"], before["answers"]);
    assert_eq!(after["learner"], before["learner"]);
}

#[test]
fn resize_relays_out_and_too_small_asks_to_enlarge() {
    let (dir, mut app) = on_duty_1();
    app.resize(30, 120);
    app.wait_for("Duty 1 of 10: Establish safe, supportive and respectful relationships with individuals, carers and families");
    app.resize(20, 60);
    app.wait_for("Please enlarge the window");
    app.send("y");
    // The resize arrives as a signal and could overtake the key: give the key time to be
    // read while the window is still too small.
    std::thread::sleep(std::time::Duration::from_millis(500));
    app.resize(24, 80);
    app.wait_for("Duty 1 of 10");
    app.send("n");
    app.wait_for("(●) No");
    app.send("q");
    assert_eq!(app.exit_code(), 0);
    let v = saved(dir.path());
    assert_eq!(
        v["answers"]["d1-skills"]["rating"], "no",
        "the key pressed while too small was ignored"
    );
}

#[test]
fn quit_prints_where_and_resume_continues() {
    let (dir, mut app) = on_duty_1();
    app.send("y");
    app.send(TAB);
    app.send("q");
    app.wait_for("To carry on where you left off, run: skills-scan");
    assert_eq!(app.exit_code(), 0);
    let file = scan_file(dir.path());

    let mut app = App::start(dir.path(), &[]);
    app.wait_for("Resume Siân Ŵyn's scan?");
    app.send(ENTER);
    app.wait_for("Duty 1 of 10");
    app.wait_for("(●) Yes");
    app.send("\x03");
    assert_eq!(app.exit_code(), 0);
    assert_eq!(scan_file(dir.path()), file, "still one scan, the same file");
}

#[test]
fn hangup_saves_at_once_and_exits_129() {
    let (dir, mut app) = on_duty_1();
    app.send("y");
    app.send("Typed just before the line dropped");
    app.wait_for("Typed just before the line dropped");
    app.signal(rustix::process::Signal::HUP);
    assert_eq!(app.exit_code(), 129);
    let v = saved(dir.path());
    assert_eq!(
        v["answers"]["d1-skills"]["text"],
        "Typed just before the line dropped"
    );
}

#[test]
fn a_scan_open_elsewhere_is_refused_clearly() {
    let (dir, mut first) = on_duty_1();
    first.send("y");
    wait_saved(dir.path(), |v| v["answers"]["d1-skills"]["rating"] == "yes");

    let mut second = App::start(dir.path(), &[]);
    second.wait_for("Resume Siân Ŵyn's scan?");
    second.send(ENTER);
    second.wait_for("is open in");
    second.wait_for("Close it");
    second.send("q");
    assert_eq!(second.exit_code(), 0);
    // The first app is writing in the answer box, where `q` is text: Ctrl-C saves and quits.
    first.send("\u{3}");
    assert_eq!(first.exit_code(), 0);
}

#[test]
fn the_external_editor_edits_the_answer() {
    let dir = Home::new();
    let mut app = App::start_with(
        dir.path(),
        &[],
        &[("EDITOR", "sed -i s/draft/written-in-my-editor/")],
    );
    fill_details(&app);
    app.send("s");
    app.send("my draft");
    app.wait_for("Ctrl-O editor");
    app.send("\x0f");
    app.wait_for("my written-in-my-editor");
    app.send(TAB);
    app.send("q");
    assert_eq!(app.exit_code(), 0);
    assert_eq!(
        saved(dir.path())["answers"]["d1-skills"]["text"],
        "my written-in-my-editor"
    );
}

#[test]
fn a_broken_config_warns_but_does_not_stop_the_learner() {
    let dir = Home::new();
    dir.write_config("this is [[[ not toml");
    let mut app = App::start(dir.path(), &[]);
    app.wait_for("Settings file problem");
    fill_details(&app);
    app.send("q");
    assert_eq!(app.exit_code(), 0);
}

#[test]
fn no_color_draws_without_colours() {
    let dir = Home::new();
    let mut app = App::start_with(dir.path(), &[], &[("NO_COLOR", "1")]);
    app.wait_for("PgDn read on");
    {
        let parser = app.parser.lock().unwrap();
        let screen = parser.screen();
        let mut reversed = false;
        for row in 0..24 {
            for col in 0..80 {
                let cell = screen.cell(row, col).unwrap();
                assert_eq!(
                    cell.fgcolor(),
                    vt100::Color::Default,
                    "no colour at {row},{col}"
                );
                assert_eq!(
                    cell.bgcolor(),
                    vt100::Color::Default,
                    "no colour at {row},{col}"
                );
                reversed |= cell.inverse();
            }
        }
        assert!(reversed, "the hint line stands out by reverse video");
    }
    app.send("q");
    assert_eq!(app.exit_code(), 0);
}

#[test]
fn a_failed_save_is_shown_kept_and_retried() {
    let (dir, mut app) = on_duty_1();
    wait_saved(dir.path(), |v| {
        v["manager"]["email"] == "alex.morgan@example.org"
    });
    // The scans folder is moved away and a file put in its place (a folder that was fine at
    // start goes wrong): every save fails until it is back.
    let scans = dir.path().join("data/scans");
    let away = dir.path().join("data/scans-away");
    std::fs::rename(&scans, &away).unwrap();
    std::fs::write(&scans, "in the way").unwrap();
    app.send("y");
    app.send("Kept in memory");
    app.wait_for("NOT SAVED");
    app.wait_for("Not saved; answers kept, retrying");
    std::fs::remove_file(&scans).unwrap();
    std::fs::rename(&away, &scans).unwrap();
    app.wait_for("answered · Saved");
    let v = wait_saved(dir.path(), |v| {
        v["answers"]["d1-skills"]["text"] == "Kept in memory"
    });
    assert_eq!(v["learner"]["name"], "Siân Ŵyn");
    app.send("\x03");
    assert_eq!(app.exit_code(), 0);
}

/// A data folder that is a file is said at start, before anything is typed (not answer by
/// answer), with what to do; the file is left as it was.
#[test]
fn a_data_folder_that_is_a_file_is_reported_before_anything_is_typed() {
    let dir = Home::new();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/scans"), "in the way").unwrap();
    let mut app = App::start(dir.path(), &[]);
    app.wait_for("is a file, not a folder");
    app.wait_for("Move or rename that file");
    let screen = app.parser.lock().unwrap().screen().contents();
    assert!(
        !screen.contains("Initial skills scan"),
        "nothing drawn: {screen}"
    );
    assert_eq!(app.exit_code(), 73);
    assert_eq!(
        std::fs::read(dir.path().join("data/scans")).unwrap(),
        b"in the way"
    );
}

/// The first answer holds a phone number (an Ofcom drama number): once typing pauses the warning
/// appears under the box with the number highlighted; the review marks it and Submit asks once.
#[test]
fn an_identifying_answer_is_warned_about_highlighted_and_submit_asks_once() {
    let (dir, mut app) = on_duty_1();
    app.send("y");
    app.send("I rang her on 07700 900123 after the group.");
    app.wait_for("May identify someone: a phone number (highlighted).");
    app.wait_for("Leave out details of people you support");
    {
        let parser = app.parser.lock().unwrap();
        let screen = parser.screen();
        let (row, col) = (0..24u16)
            .find_map(|r| {
                let line = screen.contents_between(r, 0, r, 80);
                line.find("07700")
                    .map(|c| (r, line[..c].chars().count() as u16))
            })
            .expect("the number on screen");
        let cell = screen.cell(row, col).expect("a cell");
        assert_eq!(
            cell.bgcolor(),
            vt100::Color::Idx(3),
            "highlighted in yellow"
        );
        let before = screen.cell(row, col - 2).expect("a cell");
        assert_ne!(before.bgcolor(), vt100::Color::Idx(3), "only the number");
    }
    app.send(TAB);
    app.send("n");
    app.send(PGDN);
    answer_pages_to_the_review(&app, 1);
    app.wait_for("⚠ may identify someone: a phone number");
    app.send(END);
    app.wait_for("[ Submit your scan ]  ⚠ 1 answer may identify someone");
    app.send(ENTER);
    app.wait_for("Press Enter again to submit anyway.");
    app.wait_for("[ Submit anyway ]");
    assert_eq!(saved(dir.path())["status"]["state"], "in_progress");
    app.send(ENTER);
    app.wait_for("Your skills scan is submitted");
    app.send(ENTER);
    assert_eq!(app.exit_code(), 0);
    let v = saved(dir.path());
    assert_eq!(v["status"]["state"], "submitted");
    assert_eq!(
        v["answers"]["d1-skills"]["text"],
        "I rang her on 07700 900123 after the group."
    );
}

/// Makes an unfinished scan for `name` through the plain front end (details and Duty 1 Skills).
fn unfinished_scan(dir: &Path, name: &str, email: &str, answer: &str) -> PathBuf {
    let before = pty_support::scan_files(dir);
    let input = format!("{name}\n{email}\nalex.morgan@example.org\n\nyes\n{answer}\n.\n");
    let out = crate::support::piped(
        crate::support::command(dir).args(["new", "--plain"]),
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(75));
    let after = pty_support::scan_files(dir);
    after.into_iter().find(|p| !before.contains(p)).unwrap()
}

#[test]
fn two_unfinished_scans_are_listed_and_each_can_be_resumed() {
    let dir = Home::new();
    let sam = unfinished_scan(
        dir.path(),
        "Sam Taylor",
        "sam.taylor@example.org",
        "Sam's group",
    );
    std::thread::sleep(Duration::from_millis(1100));
    let bea = unfinished_scan(
        dir.path(),
        "Bea Jones",
        "bea.jones@example.org",
        "Bea's rota",
    );

    let mut app = App::start(dir.path(), &[]);
    app.wait_for("Which scan is yours?");
    app.wait_for("1. Bea Jones's scan — 1 of 25 answered");
    app.wait_for("2. Sam Taylor's scan — 1 of 25 answered");
    app.wait_for("Start a new scan");
    app.send("\x1b[B"); // ↓ to Sam's
    app.wait_for(&format!("File: {}", sam.display()));
    app.send(ENTER);
    app.wait_for("Duty 1 of 10");
    app.wait_for("Sam's group");
    app.send("q");
    assert_eq!(app.exit_code(), 0);

    let mut app = App::start(dir.path(), &[]);
    app.wait_for("Which scan is yours?");
    app.wait_for("1. Bea Jones's scan"); // nothing changed in Sam's, so the order stays
    app.send("1");
    app.wait_for("Duty 1 of 10");
    app.wait_for("Bea's rota");
    app.send("q");
    assert_eq!(app.exit_code(), 0);

    let bea_path = bea.to_string_lossy().into_owned();
    let mut app = App::start(dir.path(), &["resume", &bea_path]);
    app.wait_for("Duty 1 of 10");
    app.wait_for("Bea's rota");
    app.send("q");
    assert_eq!(app.exit_code(), 0);
    assert_eq!(pty_support::scan_files(dir.path()).len(), 2, "no new scan");
}

/// Issue 16's key sequences, typed into the real app: they leave earlier answers unchanged.
#[test]
fn tab_and_rating_sequences_leave_earlier_answers_unchanged() {
    let (dir, mut app) = on_duty_1();
    // y, text, Tab, y, text, Tab, n: the last n lands on the Next button, not on Duty 1 Skills.
    app.send("y");
    app.send("first answer");
    app.send(TAB);
    app.send("y");
    app.send("second answer");
    app.send(TAB);
    app.send("n");
    app.wait_for("Enter next page");
    app.send(ENTER);
    app.wait_for("Duty 2 of 10");
    // n, Tab, n: both questions No, no stray "n" typed as text.
    app.send("n");
    app.send(TAB);
    app.send("n");
    app.wait_for("(●) No");
    app.send("\x13"); // Ctrl-S
    let v = wait_saved(dir.path(), |v| {
        v["answers"]["d2-knowledge"]["rating"] == "no"
    });
    app.send("q");
    assert_eq!(app.exit_code(), 0);
    let a = &v["answers"];
    assert_eq!(a["d1-skills"]["rating"], "yes");
    assert_eq!(a["d1-skills"]["text"], "first answer");
    assert_eq!(a["d1-knowledge"]["rating"], "yes");
    assert_eq!(a["d1-knowledge"]["text"], "second answer");
    assert_eq!(a["d2-skills"]["rating"], "no");
    assert_eq!(a["d2-skills"]["text"], "");
    assert_eq!(a["d2-knowledge"]["rating"], "no");
}

/// Duties 5, 9 and 10 have the longest statements: at 80×24 each is shown whole.
#[test]
fn the_long_duty_statements_are_shown_whole_at_80x24() {
    let (_home, mut app) = on_duty_1();
    let ends = [
        (5, "are aligned to personal goals"),
        (9, "preferences of the individual first"),
        (10, "provides feedback to individuals"),
    ];
    let mut page = 1;
    for (duty, end) in ends {
        while page < duty {
            app.send(PGDN);
            page += 1;
            app.wait_for(&format!("Duty {page} of 10"));
        }
        app.wait_for(end);
    }
    app.send("q");
    assert_eq!(app.exit_code(), 0);
}

/// PgDn on the welcome reads on to "How the scan works" and the confidentiality reminder before
/// the details; an idle app writes nothing to the terminal.
#[test]
fn the_welcome_reads_on_before_the_details_and_an_idle_app_is_silent() {
    let dir = Home::new();
    let mut app = App::start(dir.path(), &[]);
    app.wait_for("PgDn read on");
    std::thread::sleep(Duration::from_millis(400));
    let before = app.bytes_written();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(app.bytes_written(), before, "nothing is written while idle");
    let mut seen_confidentiality = false;
    for _ in 0..10 {
        if app.screen().contains("Your details") {
            break;
        }
        seen_confidentiality |= app.screen().contains("Confidentiality");
        let shown = app.screen();
        app.send(PGDN);
        let start = Instant::now();
        while app.screen() == shown && start.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    assert!(
        seen_confidentiality,
        "the confidentiality reminder came before the details"
    );
    app.wait_for("Your details");
    app.send(CTRL_C_KEY);
    assert_eq!(app.exit_code(), 0);
}

const CTRL_C_KEY: &str = "\x03";

/// A new scan's file appears within about a second of typing a name (it used to wait 5 s),
/// and a file name turns letters such as ı, â and ŵ into their nearest ASCII.
#[test]
fn a_new_name_is_saved_within_a_second_under_a_readable_file_name() {
    let dir = Home::new();
    let mut app = App::start(dir.path(), &[]);
    app.wait_for("Initial skills scan");
    app.send(END);
    app.send(PGDN);
    app.wait_for("Your details");
    app.send("Işıl Çakır Ŵyn");
    let start = Instant::now();
    while pty_support::scan_files(dir.path()).is_empty() {
        assert!(start.elapsed() < Duration::from_millis(2500), "no file yet");
        std::thread::sleep(Duration::from_millis(50));
    }
    app.signal(rustix::process::Signal::KILL);
    let _ = app.exit_code();
    let file = scan_file(dir.path());
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.contains("-isil-cakir-wyn-"), "{name}");
    assert_eq!(saved(dir.path())["learner"]["name"], "Işıl Çakır Ŵyn");
}

/// Issue 16: the full-screen app starts the outbox drain once its first frame is drawn, and it
/// still sends what waits, and says so on the status line.
#[test]
fn the_full_screen_app_sends_the_waiting_outbox_after_its_first_frame() {
    use crate::support::mail::{Env, SmtpServer, smtp_config, submitted};
    let env = Env::new();
    let path = env.write_scan(&submitted(16));
    // No [smtp] yet: the summary waits in the outbox.
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(78), "{out:?}");
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    let mut app = App::start(env.dir.path(), &[]);
    app.wait_for("PgDn read on");
    app.wait_for("Sent 1 email that waited in the outbox.");
    assert_eq!(server.received().len(), 1, "sent without `outbox send`");
    app.send("\x03");
    assert_eq!(app.exit_code(), 0);
    let waiting = std::fs::read_dir(env.outbox())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml"))
        })
        .count();
    assert_eq!(waiting, 0);
}
