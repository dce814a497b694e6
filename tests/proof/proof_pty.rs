//! The real binary in a pseudo-terminal, proving: SIGHUP and SIGTERM during a scan save the
//! answers (even text still in the box) and end the process; a second skills-scan on the same
//! scan says why it stops and writes nothing; hostile text from a scan file or a paste (ANSI
//! escapes, control characters, bidi overrides, CRLF, `<script>`, very long lines, 1 MB) is
//! shown inert: none of it reaches the terminal as a control sequence.
// Unix only: it drives the binary in a Unix pseudo-terminal and sends signals.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;
use skills_scan::core::{Scan, Standard};
use skills_scan::{sample, storage};

use crate::support::pty::{App, CTRL_C, CTRL_S, END, ENTER, NO_COLOR, PGDN, TAB};

fn scan_file(dir: &Path) -> PathBuf {
    let files = storage::scan_files(&dir.join("data/scans")).unwrap();
    assert_eq!(files.len(), 1, "one scan file");
    files[0].clone()
}

fn saved(dir: &Path) -> Value {
    let file = scan_file(dir);
    storage::load(&file).expect("the saved file loads");
    serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
}

fn fill_details(app: &App, name: &str) {
    app.wait_for("Initial skills scan");
    // PgDn reads the welcome on, screen by screen; End skips to its end, then PgDn begins.
    app.send(END);
    app.send(PGDN);
    app.wait_for("Your details");
    app.send(name);
    app.send(TAB);
    app.send("sam.taylor@example.org");
    app.send(TAB);
    app.send("alex.morgan@example.org");
    app.send(PGDN);
    app.wait_for("Duty 1 of 10");
}

/// Types into the first question's box without leaving it: the text is only in the app's memory.
fn type_unsaved_text(app: &App, text: &str) {
    app.send("y");
    app.send(text);
    app.wait_for(text);
}

/// Fills the details as Sam Taylor, answers Duty 1 Skills Yes with `text`, leaves the box and
/// saves with Ctrl-S, waiting until the app says "Saved.".
fn save_a_first_answer(app: &App, text: &str) {
    fill_details(app, "Sam Taylor");
    app.send("y");
    app.send(text);
    app.send(TAB);
    app.send(CTRL_S);
    app.wait_for("Saved.");
}

/// With Duty 1 Knowledge's rating focused (as [`save_a_first_answer`] leaves it): No, Enter into
/// its optional box, `text`, and Tab out of the box.
fn answer_knowledge_no(app: &App, text: &str) {
    app.send("n");
    app.send(ENTER);
    app.send(text);
    app.send(TAB);
}

fn signal_saves(sig: rustix::process::Signal, code: u32) -> (Value, App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::start(dir.path(), &[]);
    fill_details(&app, "Sam Taylor");
    let text = "Typed in the box, never left it";
    type_unsaved_text(&app, text);
    app.signal(sig);
    assert_eq!(app.exit_code(), code);
    let v = saved(dir.path());
    assert_eq!(v["answers"]["d1-skills"]["text"], text);
    assert_eq!(v["answers"]["d1-skills"]["rating"], "yes");
    let file = scan_file(dir.path());
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The lock went with the process: the scan opens again at once.
    skills_scan::session::Session::open::<skills_scan::core::draft::Answering>(&file).unwrap();
    (v, app, dir)
}

/// Checks the app left the terminal as it found it: main screen, cursor shown, no bracketed
/// paste, no mouse capture.
fn assert_terminal_given_back(app: &App) {
    let parser = app.parser.lock().unwrap();
    let s = parser.screen();
    assert!(!s.alternate_screen(), "left the alternate screen");
    assert!(!s.hide_cursor(), "cursor shown again");
    assert!(!s.bracketed_paste(), "bracketed paste off");
    assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
}

#[test]
fn sighup_saves_what_was_typed_and_exits_129() {
    let _ = signal_saves(rustix::process::Signal::HUP, 129);
}

#[test]
fn sigterm_saves_what_was_typed_and_exits_143() {
    let _ = signal_saves(rustix::process::Signal::TERM, 143);
}

/// After SIGTERM the terminal is still there, so it must be given back as it was: main screen,
/// cursor shown, no mouse capture, no bracketed paste. (After SIGHUP there is no terminal.)
#[test]
fn sigterm_restores_the_terminal() {
    let (_, app, _dir) = signal_saves(rustix::process::Signal::TERM, 143);
    assert_terminal_given_back(&app);
}

/// A SIGHUP while the terminal survives (`kill -HUP`, a multiplexer): the terminal is given back
/// too, not left raw on the alternate screen with mouse reporting and a hidden cursor.
#[test]
fn sighup_on_a_surviving_terminal_restores_it() {
    let (_, app, _dir) = signal_saves(rustix::process::Signal::HUP, 129);
    assert_terminal_given_back(&app);
}

/// A coach's `open` and a second learner's app on a scan that is open: each says why it stops
/// and writes nothing; the first app carries on and its answers are all there.
#[test]
fn a_second_app_on_the_same_scan_is_refused_and_the_file_is_not_corrupted() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = App::start(dir.path(), &[]);
    save_a_first_answer(&first, "First answer");
    let file = scan_file(dir.path());
    let before = std::fs::read(&file).unwrap();

    // A coach's `open` on the same file while the learner's app runs: refused, with the reason
    // and what to do, exit 75 (try again later), and nothing written.
    let mut coach = App::start_with(dir.path(), &["open", file.to_str().unwrap()], &[]);
    coach.wait_for("open in another skills-scan");
    coach.wait_for("Close it there first");
    assert_eq!(coach.exit_code(), 75, "75: try again later");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "`open` wrote nothing"
    );

    let mut second = App::start(dir.path(), &[]);
    second.wait_for("Resume Sam Taylor's scan?");
    second.send(ENTER);
    second.wait_for("open in another skills-scan");
    second.wait_for("Close it there first");
    second.send(CTRL_C);
    assert_eq!(second.exit_code(), 0);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the second app wrote nothing"
    );

    answer_knowledge_no(&first, "Second answer, after the other app gave up");
    first.send(CTRL_C);
    assert_eq!(first.exit_code(), 0);
    let v = saved(dir.path());
    assert_eq!(v["answers"]["d1-skills"]["text"], "First answer");
    assert_eq!(
        v["answers"]["d1-knowledge"]["text"],
        "Second answer, after the other app gave up"
    );
    // And the library lock, as a coach's `open` would take it, is refused while an app runs.
    let mut third = App::start(dir.path(), &[]);
    third.wait_for("Resume Sam Taylor's scan?");
    third.send(ENTER);
    third.wait_for("Duty 2 of 10");
    let e = skills_scan::session::Session::open::<skills_scan::core::draft::Answering>(&file)
        .unwrap_err();
    assert!(e.to_string().contains("open in another skills-scan"), "{e}");
    third.send(CTRL_C);
    assert_eq!(third.exit_code(), 0);
    storage::load(&file).unwrap();
}

const ESCAPES: &str = "\x1b[41mBG\x1b[0m \x1b]0;pwned-title\x07 \x1b[5mblink\x1b[0m";
const CLEAR: &str = "\x1b[2J\x1b[HCLEARED";

fn hostile_answer() -> String {
    format!(
        "{ESCAPES} <script>alert(1)</script>\r\n{CLEAR} \u{202e}txt.exe\u{202c} \u{2067}rtl\u{2069}\u{7}\u{8}\u{7f}\t tab \u{9b}31m end"
    )
}

/// The complete sample scan (seed 9) that the hostile-file tests fill with hostile text.
fn complete_sample(now: DateTime<Utc>) -> Scan {
    sample::complete_scan(&Standard::embedded().unwrap(), 9, now)
}

/// Saves `scan` as `name` in the scans folder of the data folder under `dir`, where the app
/// finds it to resume; its path.
fn save_in_scans(dir: &Path, name: &str, scan: &Scan) -> PathBuf {
    let scans = dir.join("data/scans");
    storage::create_private_dir(&scans).unwrap();
    let file = scans.join(name);
    storage::save_atomically(&file, scan).unwrap();
    file
}

/// Checks that none of the hostile sequences reached the terminal and nothing is coloured.
fn assert_inert(app: &App) {
    let raw = app.raw.lock().unwrap().clone();
    for needle in [
        &b"\x1b[41m"[..],
        b"\x1b]0;",
        b"pwned-title\x07",
        b"\x1b[5m",
        b"\x1b[2J\x1b[HCLEARED",
        "\u{202e}".as_bytes(),
        "\u{2067}".as_bytes(),
        b"\x07",
        "\u{9b}".as_bytes(),
    ] {
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle),
            "the terminal received {:?}",
            String::from_utf8_lossy(needle)
        );
    }
    let parser = app.parser.lock().unwrap();
    let s = parser.screen();
    let (rows, cols) = s.size();
    for r in 0..rows.get() {
        for c in 0..cols.get() {
            let cell = s.cell(r, c).unwrap();
            assert_eq!(
                cell.fgcolor(),
                vt100::Color::Default,
                "coloured cell at {r},{c}"
            );
            assert_eq!(
                cell.bgcolor(),
                vt100::Color::Default,
                "coloured cell at {r},{c}"
            );
        }
    }
    assert!(s.alternate_screen());
}

/// A scan file whose name fields hold escapes, bidi overrides and CRLF: the resume offer and the
/// details page show them inert (and the details page says the name needs fixing).
#[test]
fn a_hostile_name_from_a_scan_file_is_shown_inert() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let mut scan = complete_sample(now);
    scan.learner.name = format!("Sam{ESCAPES}\u{202e}Evil\r\nX{CLEAR}");
    scan.manager.name = format!("<script>alert(1)</script>{ESCAPES}");
    let file = save_in_scans(dir.path(), "hostile-name.json", &scan);

    let mut app = App::start_with(dir.path(), &[], NO_COLOR);
    app.wait_for("Resume Sam");
    assert_inert(&app);
    app.send(ENTER);
    app.wait_for("Your details");
    app.wait_for("control characters");
    app.wait_for("<script>alert(1)</script>");
    assert_inert(&app);
    app.send(CTRL_C);
    assert_eq!(app.exit_code(), 0);
    assert_eq!(
        storage::load(&file).unwrap().learner.name,
        scan.learner.name
    );
}

/// A scan file whose answers hold hostile text (escapes, control characters, bidi, CRLF,
/// `<script>`, a 10,000-character line, 1 MB of text) is shown inert and laid out; with NO_COLOR
/// nothing on screen is coloured, so any colour would have come from the text.
#[test]
fn hostile_answers_from_a_scan_file_are_shown_inert() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let mut scan = complete_sample(now);
    scan.set_rating(
        &"d1-skills".into(),
        Some(skills_scan::core::Rating::Yes),
        now,
    );
    scan.set_text(
        &"d1-skills".into(),
        &format!("{} then\n{}", "long-line-".repeat(1000), hostile_answer()),
        now,
    );
    // Left unanswered, so the resumed scan opens on Duty 1.
    scan.set_rating(&"d1-knowledge".into(), None, now);
    scan.set_text(&"d1-knowledge".into(), "", now);
    scan.set_rating(
        &"d2-skills".into(),
        Some(skills_scan::core::Rating::Some),
        now,
    );
    scan.set_text(
        &"d2-skills".into(),
        &"One megabyte of text, line after line.\n".repeat(26_000),
        now,
    );
    let file = save_in_scans(dir.path(), "hostile.json", &scan);
    assert!(std::fs::metadata(&file).unwrap().len() > 1_000_000);

    let mut app = App::start_with(dir.path(), &[], NO_COLOR);
    app.wait_for("Resume");
    app.send(ENTER);
    app.wait_for("Duty 1 of 10");
    // Resume focuses the unanswered Duty 1 Knowledge; Shift-Tab opens Skills' answer box.
    app.send("\x1b[Z");
    app.wait_for("<script>alert(1)</script>");
    app.wait_for("CLEARED");
    assert_inert(&app);
    let screen = app.screen();
    assert!(
        screen.lines().take(3).any(|l| l.contains("Duty 1 of 10")),
        "the layout survived (no clear screen from the text):\n{screen}"
    );
    // The page with 1 MB of text.
    app.send(PGDN);
    app.wait_for("Duty 2 of 10");
    app.wait_for("One megabyte of text");
    assert_inert(&app);
    app.send(CTRL_C);
    assert_eq!(app.exit_code(), 0);
    // The text is kept as the learner's: the app shows it safely, it does not rewrite it.
    let after = storage::load(&file).unwrap();
    assert_eq!(
        after.answer(&"d1-skills".into()),
        scan.answer(&"d1-skills".into())
    );
    assert_eq!(
        after.answer(&"d2-skills".into()),
        scan.answer(&"d2-skills".into())
    );
}

/// The same hostile text pasted into an answer box (bracketed paste) is shown inert and saved.
#[test]
fn hostile_text_pasted_into_an_answer_is_shown_inert() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::start_with(dir.path(), &[], NO_COLOR);
    fill_details(&app, "Sam Taylor");
    app.send("y");
    app.send(&format!("\x1b[200~{}\x1b[201~", hostile_answer()));
    app.wait_for("<script>alert(1)</script>");
    app.wait_for("CLEARED");
    assert_inert(&app);
    app.send(TAB);
    app.send(CTRL_C);
    assert_eq!(app.exit_code(), 0);
    let v = saved(dir.path());
    let text = v["answers"]["d1-skills"]["text"].as_str().unwrap();
    assert!(text.contains("<script>alert(1)</script>"), "{text:?}");
    assert!(!text.contains('\r'), "CRLF became a line break: {text:?}");
}

/// A save refused by the OS while the learner types (the scans folder has gone): the screen says
/// so and that the answers are kept, the previous file is intact, and once the folder is back
/// the app's own retry saves everything, without the learner doing anything.
#[test]
fn a_refused_save_is_shown_the_answers_kept_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::start_with(dir.path(), &[], NO_COLOR);
    save_a_first_answer(&app, "Saved before the folder went");
    let file = scan_file(dir.path());
    let before = std::fs::read(&file).unwrap();

    let scans = dir.path().join("data/scans");
    let away = dir.path().join("moved-away");
    std::fs::rename(&scans, &away).unwrap();
    answer_knowledge_no(&app, "Typed while the folder was gone");
    app.send(CTRL_S);
    app.wait_for("NOT SAVED");
    app.wait_for("Not saved; answers kept, retrying");
    assert_eq!(
        std::fs::read(away.join(file.file_name().unwrap())).unwrap(),
        before,
        "the previous file is intact"
    );
    assert!(!scans.exists(), "nothing was written in its place");

    std::fs::rename(&away, &scans).unwrap();
    let start = std::time::Instant::now();
    loop {
        let v = saved(dir.path());
        if v["answers"]["d1-knowledge"]["text"] == "Typed while the folder was gone" {
            assert_eq!(
                v["answers"]["d1-skills"]["text"],
                "Saved before the folder went"
            );
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the retry never saved; screen:\n{}",
            app.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    app.send(CTRL_C);
    assert_eq!(app.exit_code(), 0);
}

/// Ctrl-C while saves fail (the scans folder has gone): the app does not quit silently. The
/// first Ctrl-C keeps an owner-only emergency copy in the state folder, says where and asks;
/// the second quits, naming the copy, which holds every answer.
#[test]
fn ctrl_c_after_a_failed_save_asks_and_keeps_an_emergency_copy() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let mut app = App::start_with(
        dir.path(),
        &[],
        &[
            ("NO_COLOR", "1"),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    );
    save_a_first_answer(&app, "Saved before the folder went");
    let scans = dir.path().join("data/scans");
    std::fs::rename(&scans, dir.path().join("moved-away")).unwrap();
    answer_knowledge_no(&app, "Typed while the folder was gone");
    app.send(CTRL_C);
    app.wait_for("A copy is kept at");
    app.wait_for("Ctrl-C quits anyway");
    let unsaved = state.join("skills-scan/unsaved");
    let copies: Vec<PathBuf> = std::fs::read_dir(&unsaved)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = &copies[0];
    assert_eq!(
        std::fs::metadata(copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let v: Value = serde_json::from_slice(&std::fs::read(copy).unwrap()).unwrap();
    assert_eq!(
        v["answers"]["d1-knowledge"]["text"],
        "Typed while the folder was gone"
    );
    assert_eq!(
        v["answers"]["d1-skills"]["text"],
        "Saved before the folder went"
    );
    app.send(CTRL_C);
    assert_eq!(app.exit_code(), 1);
    let raw = String::from_utf8_lossy(&app.raw.lock().unwrap()).replace(['\r', '\n'], "");
    assert!(
        raw.contains(copy.file_name().unwrap().to_str().unwrap()),
        "the copy is named at the end"
    );
    assert!(!scans.exists(), "nothing was written in the folder's place");
    let at = raw
        .find(".skills-scan-")
        .map(|i| raw[i.saturating_sub(300)..(i + 100).min(raw.len())].to_string());
    assert!(at.is_none(), "a temporary file name is shown: {at:?}");
}
