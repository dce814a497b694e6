//! The plain front end driven through the real binary with piped answers: a whole scan, an
//! interrupted pipe that resumes, bad lines, a broken config, hostile text, and no escapes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;

use crate::support::{code, stderr, stdout};
use plain_support::{Env, answer_lines, assert_answers, has_escape, join};

use crate::support::plain as plain_support;

#[test]
fn a_whole_scan_through_a_pipe_is_saved_submitted_and_emailed_or_queued() {
    let env = Env::new();
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    let scan = env.only_scan();
    assert_eq!(scan["status"]["state"], "submitted");
    assert_eq!(scan["learner"]["name"], "Sam Taylor");
    assert_eq!(scan["learner"]["email"], "sam.taylor@example.org");
    assert_eq!(scan["manager"]["email"], "alex.morgan@example.org");
    assert_eq!(scan["manager"]["name"], "Alex Morgan");
    assert_eq!(scan["answers"].as_object().unwrap().len(), 25);
    assert_answers(&scan, 0..25);
    let log = scan["email_log"].as_array().unwrap();
    assert_eq!(log.len(), 1, "one email recorded");
    assert!(matches!(
        log[0]["result"].as_str(),
        Some("sent" | "queued" | "failed")
    ));
    let text = stdout(&out);
    assert!(text.contains("Your scan is submitted and saved at"));
    // The closing text says what happened to the email (no SMTP here: not set up).
    assert!(
        text.contains("this computer is not set up to send email"),
        "{text}"
    );
    assert!(
        text.contains("learning assessment record on OneFile"),
        "{text}"
    );
    assert!(!text.contains("immediately"), "{text}");
    assert!(!text.contains("{eportfolio}"));

    #[cfg(unix)]
    assert_eq!(
        std::fs::metadata(&env.scans()[0])
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
}

#[test]
fn the_output_holds_no_escape_sequences() {
    let env = Env::new();
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(code(&out), 0);
    assert!(!has_escape(&out.stdout), "stdout has an escape byte");
    assert!(!has_escape(&out.stderr), "stderr has an escape byte");
}

#[test]
fn an_interrupted_pipe_saves_and_the_rest_of_the_answers_resume_it() {
    let env = Env::new();
    let lines = answer_lines();
    // Cut after the details and the first 7 questions (on a question boundary).
    let cut = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_str() == ".")
        .nth(6)
        .map(|(i, _)| i + 1)
        .unwrap();
    let first = env.run(&["new", "--plain"], &join(&lines[..cut]));
    assert_eq!(code(&first), 75, "stderr: {}", stderr(&first));
    let err = stderr(&first);
    assert!(err.contains(&format!("after line {cut}")), "{err}");
    assert!(
        err.contains("7 of 25 questions answered, saved at"),
        "{err}"
    );
    assert!(err.contains("skills-scan resume "), "{err}");
    assert!(err.contains("Duty 4 Knowledge: yes, some or no"), "{err}");
    let scan = env.only_scan();
    assert_eq!(scan["status"]["state"], "in_progress");
    assert_answers(&scan, 0..7);

    let rest = env.run(&["--plain"], &join(&lines[cut..]));
    assert_eq!(code(&rest), 0, "stderr: {}", stderr(&rest));
    assert!(stdout(&rest).contains("Carrying on with your scan: 7 of 25 questions answered."));
    assert!(stdout(&rest).contains("To start a new scan instead, use skills-scan new --plain."));
    let scan = env.only_scan();
    assert_eq!(scan["status"]["state"], "submitted");
    assert_answers(&scan, 0..25);
}

#[test]
fn new_always_starts_a_new_scan_even_with_one_unfinished() {
    let env = Env::new();
    let lines = answer_lines();
    assert_eq!(code(&env.run(&["new", "--plain"], &join(&lines[..4]))), 75);
    let out = env.run(&["new", "--plain"], &join(&lines));
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    assert_eq!(env.scans().len(), 2);
}

#[test]
fn a_bad_line_names_its_number_and_loses_nothing() {
    let env = Env::new();
    let mut lines = answer_lines();
    // The first No is Duty 2 Skills' rating.
    let bad = lines.iter().position(|l| l == "no").expect("a No rating");
    lines[bad] = "maybe".into();
    let out = env.run(&["new", "--plain"], &join(&lines));
    assert_eq!(code(&out), 65, "stderr: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("line {}", bad + 1)), "{err}");
    assert!(err.contains("Duty 2 Skills: yes, some or no"), "{err}");
    assert!(err.contains("\"maybe\""), "{err}");
    let scan = env.only_scan();
    assert_eq!(scan["learner"]["name"], "Sam Taylor");
    assert_answers(&scan, 0..2);
    assert!(scan["answers"].get("d2-skills").is_none());

    lines[bad] = "no".into();
    let out = env.run(&["--plain"], &join(&lines[bad..]));
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    assert_answers(&env.only_scan(), 0..25);
}

#[test]
fn a_bad_email_in_a_pipe_keeps_the_name_already_given() {
    let env = Env::new();
    let out = env.run(&["new", "--plain"], b"Sam Taylor\nsam-at-example\n");
    assert_eq!(code(&out), 65);
    let err = stderr(&out);
    assert!(
        err.contains("line 2 (expected your email address)"),
        "{err}"
    );
    assert_eq!(env.only_scan()["learner"]["name"], "Sam Taylor");
}

#[test]
fn a_missing_justification_in_a_pipe_is_a_bad_line() {
    let env = Env::new();
    let mut lines = answer_lines()[..5].to_vec();
    lines.push(".".into());
    let out = env.run(&["new", "--plain"], &join(&lines));
    assert_eq!(code(&out), 65);
    let err = stderr(&out);
    assert!(err.contains("line 6"), "{err}");
    assert!(
        err.contains("You chose Yes: write what you already know"),
        "{err}"
    );
    assert_eq!(env.only_scan()["answers"]["d1-skills"]["rating"], "yes");
}

#[test]
fn submitting_an_incomplete_scan_from_a_pipe_is_refused_with_what_is_missing() {
    let env = Env::new();
    let mut lines = answer_lines()[..4].to_vec();
    lines.extend(["review".into(), "submit".into()]);
    let out = env.run(&["new", "--plain"], &join(&lines));
    assert_eq!(code(&out), 65);
    let err = stderr(&out);
    assert!(err.contains("line 6"), "{err}");
    assert!(err.contains("25 items still need an answer"), "{err}");
    assert_eq!(env.only_scan()["status"]["state"], "in_progress");
}

#[test]
fn skip_and_quit_in_a_pipe_save_and_exit_cleanly() {
    let env = Env::new();
    let mut lines = answer_lines()[..4].to_vec();
    lines.extend(["skip".into(), "no".into(), ".".into(), "quit".into()]);
    let out = env.run(&["new", "--plain"], &join(&lines));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("To carry on, run skills-scan again"));
    let scan = env.only_scan();
    assert!(scan["answers"].get("d1-skills").is_none());
    assert_eq!(scan["answers"]["d1-knowledge"]["rating"], "no");
}

#[test]
fn an_empty_pipe_saves_nothing() {
    let env = Env::new();
    let out = env.run(&["new", "--plain"], b"");
    assert_eq!(code(&out), 75);
    assert!(stderr(&out).contains("Nothing was saved"));
    assert!(env.scans().is_empty());
}

#[test]
fn a_broken_config_only_warns_and_a_good_one_names_the_eportfolio() {
    let env = Env::new();
    env.write_config("[provider\n");
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Warning: "));
    assert_eq!(env.only_scan()["status"]["state"], "submitted");

    let env = Env::new();
    env.write_config("[provider]\neportfolio = \"Aptem\"\n");
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("your Aptem learning assessment record"));
    assert!(text.contains("record on Aptem"));
}

#[test]
fn hostile_text_in_a_standard_file_and_in_answers_never_reaches_the_terminal() {
    let env = Env::new();
    let standard = skills_scan::core::standard::EMBEDDED_PEER_WORKER
        .replacen(
            "Peer Workers play",
            "\\u001b]0;pwned\\u0007\\u001b[2J\\u202ePeer Workers play",
            1,
        )
        .replacen("Establishing safe", "\\u009b31mEstablishing safe", 1);
    let file = env.dir.path().join("hostile.toml");
    std::fs::write(&file, standard).unwrap();
    let mut lines = answer_lines();
    lines[0] = "Sam \u{1b}[31mTaylor".into();
    lines[5] = "I do \u{1b}[1mthis\u{202e}.".into();
    let out = env.run(
        &["new", "--plain", "--standard", file.to_str().unwrap()],
        &join(&lines),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!has_escape(&out.stdout));
    assert!(!stdout(&out).contains('\u{202e}'));
    assert!(stdout(&out).contains("Peer Workers play"));
    let scan = env.only_scan();
    assert_eq!(scan["learner"]["name"], "Sam Taylor");
    assert_eq!(scan["answers"]["d1-skills"]["text"], "I do this.");
}

#[test]
fn the_example_answer_file_completes_a_scan() {
    let env = Env::new();
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/plain/answers.txt"
    ))
    .unwrap();
    let out = env.run(&["new", "--plain"], &file);
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    let scan = env.only_scan();
    assert_eq!(scan["status"]["state"], "submitted");
    assert_eq!(scan["learner"]["name"], "Siân Ŵyn Roberts");
    assert_eq!(scan["manager"]["name"], "Dafydd Evans");
    assert_eq!(
        scan["answers"]["d1-skills"]["text"],
        "I co-run a weekly peer group at the drop-in centre and agree ground rules\nwith each new member at the first session."
    );
    assert_eq!(
        scan["answers"]["d1-knowledge"]["text"],
        "I know the core values of peer support from my volunteer training.\n\nI have not studied the equality legislation yet."
    );
    assert_eq!(scan["answers"]["d3-knowledge"]["rating"], "no");
    assert_eq!(scan["answers"]["d3-knowledge"]["text"], "");
    assert!(
        scan["answers"]["b4"]["text"]
            .as_str()
            .unwrap()
            .contains("diolch yn fawr")
    );
}

#[test]
fn windows_line_endings_are_accepted() {
    let env = Env::new();
    let crlf = String::from_utf8(join(&answer_lines()))
        .unwrap()
        .replace('\n', "\r\n");
    let out = env.run(&["new", "--plain"], crlf.as_bytes());
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    assert_answers(&env.only_scan(), 0..25);
}

#[test]
fn a_pipe_is_told_about_an_identifying_answer_and_still_submits() {
    let env = Env::new();
    let mut lines = answer_lines();
    let first = lines
        .iter()
        .position(|l| l.starts_with("I do d1-skills"))
        .expect("the first answer");
    lines[first] = "Her NHS number is 943 476 5919.".into();
    let out = env.run(&["new", "--plain"], &join(&lines));
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Warning: this answer may identify someone: an NHS number (line 1)."),
        "{text}"
    );
    assert!(text.contains("Warning: 1 answer may identify someone: 5 (an NHS number)."));
    assert!(!text.contains("Before you submit"), "a pipe is not asked");
    assert_eq!(env.only_scan()["status"]["state"], "submitted");
}

/// The shared-computer case of issue 16: learner A's answers are cut short, then learner B's;
/// the rest of A's answers piped into `--plain` must not be added to B's scan. With two
/// unfinished scans a pipe does not guess: it exits 64 and names both; `resume FILE` chooses.
#[test]
fn a_pipe_with_two_unfinished_scans_refuses_to_guess_and_resume_names_one() {
    let env = Env::new();
    let a = answer_lines();
    let mut b = answer_lines();
    b[0] = "Bea Jones".into();
    b[1] = "bea.jones@example.org".into();
    let cut = a
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_str() == ".")
        .nth(2)
        .map(|(i, _)| i + 1)
        .unwrap();
    let first = env.run(&["new", "--plain"], &join(&a[..cut]));
    assert_eq!(code(&first), 75, "stderr: {}", stderr(&first));
    let a_file = env.scans()[0].clone();
    assert!(
        stderr(&first).contains(&format!("skills-scan resume {} --plain", a_file.display())),
        "the message names the command that carries on with this very scan: {}",
        stderr(&first)
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(code(&env.run(&["new", "--plain"], &join(&b[..cut]))), 75);
    let scans = env.scans();
    assert_eq!(scans.len(), 2);
    let before: Vec<Vec<u8>> = scans.iter().map(|p| std::fs::read(p).unwrap()).collect();

    let guess = env.run(&["--plain"], &join(&a[cut..]));
    assert_eq!(code(&guess), 64, "stderr: {}", stderr(&guess));
    let err = stderr(&guess);
    assert!(err.contains("2 unfinished scans"), "{err}");
    assert!(err.contains("Sam Taylor's scan"), "{err}");
    assert!(err.contains("Bea Jones's scan"), "{err}");
    for p in &scans {
        assert!(
            err.contains(&format!("skills-scan resume {}", p.display())),
            "{err}"
        );
    }
    let after: Vec<Vec<u8>> = scans.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_eq!(before, after, "neither scan was touched");

    let a_path = a_file.to_string_lossy().into_owned();
    let rest = env.run(&["resume", &a_path, "--plain"], &join(&a[cut..]));
    assert_eq!(code(&rest), 0, "stderr: {}", stderr(&rest));
    let load = |p: &std::path::Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let done = load(&a_file);
    assert_eq!(done["status"]["state"], "submitted");
    assert_eq!(done["learner"]["name"], "Sam Taylor");
    assert_answers(&done, 0..25);
    let other = scans.iter().find(|p| **p != a_file).unwrap();
    assert_eq!(
        std::fs::read(other).unwrap(),
        before[scans.iter().position(|p| p == other).unwrap()],
        "Bea's scan is unchanged"
    );
}

#[test]
fn resume_refuses_a_missing_or_submitted_file() {
    let env = Env::new();
    let missing = env.run(&["resume", "nowhere.json", "--plain"], b"");
    assert_eq!(code(&missing), 66, "stderr: {}", stderr(&missing));
    assert!(stderr(&missing).contains("nowhere.json"));
    assert_eq!(
        code(&env.run(&["new", "--plain"], &join(&answer_lines()))),
        0
    );
    let file = env.scans()[0].to_string_lossy().into_owned();
    let submitted = env.run(&["resume", &file, "--plain"], b"");
    assert_eq!(code(&submitted), 1, "stderr: {}", stderr(&submitted));
    assert!(stderr(&submitted).contains("already submitted"));
}

/// Resuming at a written answer names the question (it used to say only "You chose Yes").
#[test]
fn resuming_at_a_written_answer_names_its_question() {
    let env = Env::new();
    let a = answer_lines();
    // Details and Duty 1 Skills' rating, but not its text.
    assert_eq!(code(&env.run(&["new", "--plain"], &join(&a[..5]))), 75);
    let rest = env.run(&["--plain"], &join(&a[5..]));
    assert_eq!(code(&rest), 0, "stderr: {}", stderr(&rest));
    let out = stdout(&rest);
    let named = out
        .find("Skills, question 1 of 25.")
        .expect("the question is named");
    let asked = out.find("You chose Yes").expect("the answer is asked for");
    assert!(named < asked, "{out}");
}

/// A data folder that cannot hold scans (a file in its place, or one not writable) stops the
/// run at once with what to do (exit 73), before any answer is read: not answer by answer.
#[test]
fn a_data_folder_that_cannot_hold_scans_stops_before_any_answer() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    std::fs::write(env.data_dir().join("scans"), "not a folder").unwrap();
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(out.status.code(), Some(73), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");
    assert!(stderr.contains("--data-dir"), "says what to do: {stderr}");
    assert!(out.stdout.is_empty(), "nothing was asked");
    assert_eq!(
        std::fs::read(env.data_dir().join("scans")).unwrap(),
        b"not a folder"
    );

    #[cfg(unix)]
    if !rustix::process::geteuid().is_root() {
        std::fs::remove_file(env.data_dir().join("scans")).unwrap();
        std::fs::set_permissions(env.data_dir(), std::fs::Permissions::from_mode(0o500)).unwrap();
        let out = env.run(&["new", "--plain"], &join(&answer_lines()));
        std::fs::set_permissions(env.data_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(out.status.code(), Some(73), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot be written to"), "{stderr}");
    }
}
