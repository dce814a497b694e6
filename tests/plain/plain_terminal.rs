//! The plain front end in a real pseudo-terminal: `TERM=dumb` routes to it, prompts carry a
//! `> ` marker, Ctrl-D ends a written answer, and nothing printed holds an escape sequence.
// Unix only: it drives the binary in a Unix pseudo-terminal.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use plain_support::{Env, has_escape};

use crate::support::plain as plain_support;
use crate::support::pty::App;

/// A dumb terminal: the plain front end.
const DUMB: &[(&str, &str)] = &[("TERM", "dumb")];

/// Answers the detail prompts (Sam Taylor, both email addresses, no manager's name) and rates
/// Duty 1 Skills yes, waiting at each prompt: the app is left asking for Skills' written answer.
fn details_then_skills_yes(app: &App) {
    app.wait_for_output("Your name: type your full name.\r\n> ");
    app.send("Sam Taylor\n");
    app.wait_for_output("Your email address");
    app.send("sam.taylor@example.org\n");
    app.wait_for_output("Your line manager's email address");
    app.send("alex.morgan@example.org\n");
    app.wait_for_output("Your line manager's name");
    app.send("\n");
    app.wait_for_output("Rate: yes, some or no.");
    app.send("yes\n");
    app.wait_for_output("or press Ctrl-D.");
}

#[test]
fn term_dumb_runs_the_plain_scan_and_ctrl_d_ends_an_answer() {
    let env = Env::new();
    let mut app = App::start_with(env.dir.path(), &[], DUMB);

    details_then_skills_yes(&app);
    app.send("I run a weekly peer group.\n\u{4}");
    app.wait_for_output("Knowledge, question 2 of 25.");
    app.send("no\n");
    app.wait_for_output("You chose No");
    app.send("\u{4}"); // Ctrl-D at once: no text, and the scan goes on
    app.wait_for_output("Duty 2 of 10");
    app.send("quit\n");
    app.wait_for_output("To carry on, run skills-scan again");

    let status = app.finish();
    assert!(status.success(), "exit status {status:?}");
    let out = app.raw.lock().unwrap().clone();
    assert!(!has_escape(&out), "the terminal received an escape byte");
    let scan = env.only_scan();
    assert_eq!(
        scan["answers"]["d1-skills"]["text"],
        "I run a weekly peer group."
    );
    assert_eq!(scan["answers"]["d1-knowledge"]["rating"], "no");
    assert_eq!(scan["answers"]["d1-knowledge"]["text"], "");
}

/// The whole scan typed by a person at a dumb terminal, the first answer holding a phone number
/// (an Ofcom drama number): the warning follows that answer, the review lists it, and submit asks
/// once before sending.
#[test]
fn an_identifying_answer_is_warned_about_and_submit_asks_once() {
    let env = Env::new();
    let mut app = App::start_with(env.dir.path(), &[], DUMB);

    let mut lines = plain_support::answer_lines();
    let submit = lines.pop().expect("submit");
    let first = lines
        .iter()
        .position(|l| l.starts_with("I do d1-skills"))
        .expect("the first answer");
    lines[first] = "I rang her sister on 07700 900123 when she was in crisis.".into();
    app.wait_for_output("Your name: type your full name.\r\n> ");
    for (n, line) in lines.iter().enumerate() {
        app.send(&format!("{line}\n"));
        if n == first + 1 {
            app.wait_for_output(
                "Warning: this answer may identify someone: a phone number (line 1).",
            );
            app.wait_for_output("Leave out details of people you support");
        }
    }
    app.wait_for_output("Everything is answered: you can submit.");
    app.wait_for_output("Warning: 1 answer may identify someone: 5 (a phone number).");
    app.send(&format!("{submit}\n"));
    app.wait_for_output(
        "Before you submit: item 5 (a phone number) may identify someone you support.",
    );
    assert_eq!(env.only_scan()["status"]["state"], "in_progress");
    app.send("submit\n");
    app.wait_for_output("Your scan is submitted and saved at");

    let status = app.finish();
    assert!(status.success(), "exit status {status:?}");
    let scan = env.only_scan();
    assert_eq!(scan["status"]["state"], "submitted");
    let text = String::from_utf8_lossy(&std::fs::read(&env.scans()[0]).unwrap()).into_owned();
    assert!(!text.contains("phone number"), "the warning is never saved");
}

/// SIGHUP, SIGTERM and SIGINT while the learner is typing a written answer: the lines already
/// entered are saved with the rest, and the exit code says which signal ended it.
#[test]
fn a_signal_saves_the_answer_being_typed_and_exits_128_plus_it() {
    use rustix::process::Signal;
    for (signal, code) in [(Signal::HUP, 129), (Signal::TERM, 143), (Signal::INT, 130)] {
        let env = Env::new();
        let mut app = App::start_with(env.dir.path(), &["new", "--plain"], DUMB);
        details_then_skills_yes(&app);
        app.send("I run a weekly peer group\nat the drop-in centre.\n");
        // Both lines have reached the program (the terminal echoes them as they are read).
        app.wait_for_output("at the drop-in centre.");
        std::thread::sleep(Duration::from_millis(200));
        app.signal(signal);
        let status = app.wait_exit();
        assert_eq!(status.exit_code(), code, "{signal:?}");
        let scan = env.only_scan();
        assert_eq!(
            scan["answers"]["d1-skills"]["text"],
            "I run a weekly peer group\nat the drop-in centre.",
            "{signal:?}"
        );
        assert_eq!(scan["learner"]["name"], "Sam Taylor");
    }
}
