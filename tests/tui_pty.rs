//! The real binary in a pseudo-terminal (portable-pty + vt100): a whole scan to the saved JSON,
//! SIGKILL mid-scan and resume, resize during the scan, quit and resume, and a hang-up that saves.
// Unix only: it drives the binary in a Unix pseudo-terminal and sends signals.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(20);
const PGDN: &str = "\x1b[6~";
const TAB: &str = "\t";
const ENTER: &str = "\r";
const END: &str = "\x1b[F";

struct App {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    // Kept alive until the child has exited: dropping it sends Ctrl-J/Ctrl-D to the app.
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    parser: Arc<Mutex<vt100::Parser>>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

impl App {
    fn start(dir: &Path, args: &[&str]) -> Self {
        Self::start_with(dir, args, &[])
    }

    fn start_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let pair = native_pty_system().openpty(size(24, 80)).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
        cmd.args(args);
        cmd.env("SKILLS_SCAN_DATA_DIR", dir.join("data"));
        cmd.env("SKILLS_SCAN_CONFIG", dir.join("config.toml"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir);
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("VISUAL");
        cmd.env_remove("EDITOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.cwd(dir);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, w) = (parser.clone(), writer.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                // Answer cursor-position queries as a terminal would.
                if buf[..n].windows(4).any(|x| x == b"\x1b[6n") {
                    let _ = w.lock().unwrap().write_all(b"\x1b[1;1R");
                }
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            child,
            master: pair.master,
            writer,
            parser,
        }
    }

    fn send(&self, s: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(s.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    fn resize(&self, rows: u16, cols: u16) {
        self.master.resize(size(rows, cols)).unwrap();
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
    }

    fn pid(&self) -> rustix::process::Pid {
        rustix::process::Pid::from_raw(self.child.process_id().unwrap().cast_signed()).unwrap()
    }

    fn signal(&self, sig: rustix::process::Signal) {
        rustix::process::kill_process(self.pid(), sig).unwrap();
    }

    /// Waits for the exit and returns the exit code.
    fn exit_code(mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                drop(self.writer);
                return status.exit_code();
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "the app did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

fn scan_file(dir: &Path) -> PathBuf {
    let scans = dir.join("data/scans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&scans)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 1, "one scan file in {}", scans.display());
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

/// Answers every question on the current page: Yes with a line of text.
fn answer_page(app: &App, page: usize, questions: usize) {
    for q in 0..questions {
        app.send("y");
        app.send(&format!("Answer {page}.{q}: I do this at work, café ŵ 😀."));
        app.send(TAB);
    }
}

#[test]
fn a_whole_scan_is_answered_submitted_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
    for page in 0..10 {
        app.wait_for(&format!("Duty {} of 10", page + 1));
        answer_page(&app, page, 2);
        app.send(PGDN);
    }
    app.wait_for("Behaviours (5 questions)");
    answer_page(&app, 10, 5);
    app.send(PGDN);
    app.wait_for("Review your answers");
    app.wait_for("Everything answered");
    app.send(END);
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
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
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

    let app = App::start(dir.path(), &[]);
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
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
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
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
    app.send("y");
    app.send(TAB);
    app.send("q");
    app.wait_for("To carry on where you left off, run: skills-scan");
    assert_eq!(app.exit_code(), 0);
    let file = scan_file(dir.path());

    let app = App::start(dir.path(), &[]);
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
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
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
    let dir = tempfile::tempdir().unwrap();
    let first = App::start(dir.path(), &[]);
    fill_details(&first);
    first.send("y");
    wait_saved(dir.path(), |v| v["answers"]["d1-skills"]["rating"] == "yes");

    let second = App::start(dir.path(), &[]);
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
    let dir = tempfile::tempdir().unwrap();
    let app = App::start_with(
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
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "this is [[[ not toml").unwrap();
    let app = App::start(dir.path(), &[]);
    app.wait_for("Settings file problem");
    fill_details(&app);
    app.send("q");
    assert_eq!(app.exit_code(), 0);
}

#[test]
fn no_color_draws_without_colours() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start_with(dir.path(), &[], &[("NO_COLOR", "1")]);
    app.wait_for("PgDn begin");
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
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // A file where the scans folder should be: every save fails until it is moved away.
    std::fs::write(dir.path().join("data/scans"), "in the way").unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
    app.send("y");
    app.send("Kept in memory");
    app.wait_for("NOT SAVED");
    app.wait_for("Not saved; answers kept, retrying");
    std::fs::remove_file(dir.path().join("data/scans")).unwrap();
    app.wait_for("answered · Saved");
    let v = wait_saved(dir.path(), |v| {
        v["answers"]["d1-skills"]["text"] == "Kept in memory"
    });
    assert_eq!(v["learner"]["name"], "Siân Ŵyn");
    app.send("\x03");
    assert_eq!(app.exit_code(), 0);
}

/// The first answer holds a phone number (an Ofcom drama number): once typing pauses the warning
/// appears under the box with the number highlighted; the review marks it and Submit asks once.
#[test]
fn an_identifying_answer_is_warned_about_highlighted_and_submit_asks_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(dir.path(), &[]);
    fill_details(&app);
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
    for page in 1..10 {
        app.wait_for(&format!("Duty {} of 10", page + 1));
        answer_page(&app, page, 2);
        app.send(PGDN);
    }
    app.wait_for("Behaviours (5 questions)");
    answer_page(&app, 10, 5);
    app.send(PGDN);
    app.wait_for("Review your answers");
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
