//! The plain front end in a real pseudo-terminal: `TERM=dumb` routes to it, prompts carry a
//! `> ` marker, Ctrl-D ends a written answer, and nothing printed holds an escape sequence.
// Unix only: it drives the binary in a Unix pseudo-terminal.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::plain as plain_support;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plain_support::{Env, has_escape};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Output read so far from the terminal.
type Screen = Arc<Mutex<Vec<u8>>>;

/// Waits until the output holds `text` (a guard against hanging, not a speed check).
fn wait_for(screen: &Screen, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let seen = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
        if seen.contains(text) {
            return;
        }
        assert!(Instant::now() < deadline, "never saw {text:?} in:\n{seen}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn term_dumb_runs_the_plain_scan_and_ctrl_d_ends_an_answer() {
    let env = Env::new();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
    cmd.env("TERM", "dumb");
    cmd.env("SKILLS_SCAN_DATA_DIR", env.data());
    cmd.env("SKILLS_SCAN_CONFIG", env.config());
    cmd.env_remove("NO_COLOR");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let screen: Screen = Arc::default();
    let sink = Arc::clone(&screen);
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut send = |text: &str| {
        writer.write_all(text.as_bytes()).unwrap();
        writer.flush().unwrap();
    };

    wait_for(&screen, "Your name: type your full name.\r\n> ");
    send("Sam Taylor\n");
    wait_for(&screen, "Your email address");
    send("sam.taylor@example.org\n");
    wait_for(&screen, "Your line manager's email address");
    send("alex.morgan@example.org\n");
    wait_for(&screen, "Your line manager's name");
    send("\n");
    wait_for(&screen, "Rate: yes, some or no.");
    send("yes\n");
    wait_for(&screen, "or press Ctrl-D.");
    send("I run a weekly peer group.\n\u{4}");
    wait_for(&screen, "Knowledge, question 2 of 25.");
    send("no\n");
    wait_for(&screen, "You chose No");
    send("\u{4}"); // Ctrl-D at once: no text, and the scan goes on
    wait_for(&screen, "Duty 2 of 10");
    send("quit\n");
    wait_for(&screen, "To carry on, run skills-scan again");

    let status = child.wait().unwrap();
    drop(writer);
    drop(pair.master);
    reading.join().unwrap();
    assert!(status.success(), "exit status {status:?}");
    let out = screen.lock().unwrap().clone();
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
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
    cmd.env("TERM", "dumb");
    cmd.env("SKILLS_SCAN_DATA_DIR", env.data());
    cmd.env("SKILLS_SCAN_CONFIG", env.config());
    cmd.env_remove("NO_COLOR");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let screen: Screen = Arc::default();
    let sink = Arc::clone(&screen);
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut send = |text: &str| {
        writer.write_all(text.as_bytes()).unwrap();
        writer.flush().unwrap();
    };

    let mut lines = plain_support::answer_lines();
    let submit = lines.pop().expect("submit");
    let first = lines
        .iter()
        .position(|l| l.starts_with("I do d1-skills"))
        .expect("the first answer");
    lines[first] = "I rang her sister on 07700 900123 when she was in crisis.".into();
    wait_for(&screen, "Your name: type your full name.\r\n> ");
    for (n, line) in lines.iter().enumerate() {
        send(&format!("{line}\n"));
        if n == first + 1 {
            wait_for(
                &screen,
                "Warning: this answer may identify someone: a phone number (line 1).",
            );
            wait_for(&screen, "Leave out details of people you support");
        }
    }
    wait_for(&screen, "Everything is answered: you can submit.");
    wait_for(
        &screen,
        "Warning: 1 answer may identify someone: 5 (a phone number).",
    );
    send(&format!("{submit}\n"));
    wait_for(
        &screen,
        "Before you submit: item 5 (a phone number) may identify someone you support.",
    );
    assert_eq!(env.only_scan()["status"]["state"], "in_progress");
    send("submit\n");
    wait_for(&screen, "Your scan is submitted and saved at");

    let status = child.wait().unwrap();
    drop(writer);
    drop(pair.master);
    reading.join().unwrap();
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
    use rustix::process::{Pid, Signal, kill_process};
    for (signal, code) in [(Signal::HUP, 129), (Signal::TERM, 143), (Signal::INT, 130)] {
        let env = Env::new();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
        cmd.args(["new", "--plain"]);
        cmd.env("TERM", "dumb");
        cmd.env("SKILLS_SCAN_DATA_DIR", env.data());
        cmd.env("SKILLS_SCAN_CONFIG", env.config());
        let mut child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let screen: Screen = Arc::default();
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let mut writer = pair.master.take_writer().unwrap();
        let mut send = |text: &str| {
            writer.write_all(text.as_bytes()).unwrap();
            writer.flush().unwrap();
        };
        wait_for(&screen, "Your name: type your full name.\r\n> ");
        send("Sam Taylor\n");
        wait_for(&screen, "Your email address");
        send("sam.taylor@example.org\n");
        wait_for(&screen, "Your line manager's email address");
        send("alex.morgan@example.org\n");
        wait_for(&screen, "Your line manager's name");
        send("\n");
        wait_for(&screen, "Rate: yes, some or no.");
        send("yes\n");
        wait_for(&screen, "or press Ctrl-D.");
        send("I run a weekly peer group\nat the drop-in centre.\n");
        // Both lines have reached the program (the terminal echoes them as they are read).
        wait_for(&screen, "at the drop-in centre.");
        std::thread::sleep(Duration::from_millis(200));
        let pid = Pid::from_raw(i32::try_from(child.process_id().unwrap()).unwrap()).unwrap();
        kill_process(pid, signal).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "{signal:?}: still running");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.exit_code(), code, "{signal:?}");
        let scan = env.only_scan();
        assert_eq!(
            scan["answers"]["d1-skills"]["text"],
            "I run a weekly peer group\nat the drop-in centre.",
            "{signal:?}"
        );
        assert_eq!(scan["learner"]["name"], "Sam Taylor");
        drop(writer);
    }
}
