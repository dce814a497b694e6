//! Every prompt of the plain front end, snapshot-tested: the interactive re-asks, commands and
//! review (run in-process on a scripted input), the resume offer, a whole piped scan, and the
//! messages a pipe ends with. Paths are redacted to [TMP] and scan file names to [FILE].
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;

use crate::support::code;
use plain_support::{Env, answer_lines, has_escape, join};
use skills_scan::commands::Context;
use skills_scan::core::Standard;
use skills_scan::paths::Paths;
use skills_scan::tui::Start;

use crate::support::plain as plain_support;

fn context(env: &Env) -> Context {
    Context::new(Paths {
        data_dir: env.data_dir(),
        config_file: env.config_file(),
    })
}

/// Runs the plain scan in-process as if a person typed `lines`; returns what it printed.
fn typed(env: &Env, start: Start, lines: &[&str]) -> (String, Result<(), String>) {
    let input = lines.join("\n") + "\n";
    let mut reader = input.as_bytes();
    let mut output = Vec::new();
    let result = skills_scan::plain::run(&context(env), start, &mut reader, &mut output, true)
        .map_err(|f| format!("{:#} ({:?})", f.error, f.code));
    assert!(!has_escape(&output));
    (env.redact(&output), result)
}

fn standard() -> Standard {
    Standard::embedded().unwrap()
}

fn offer(env: &Env) -> Start {
    let scans = skills_scan::storage::in_progress(&env.data_dir().join("scans"))
        .into_iter()
        .map(|(path, scan)| skills_scan::launch::Unfinished {
            path,
            scan: Box::new(scan),
        })
        .collect();
    Start::Offer {
        scans,
        standard: standard(),
    }
}

#[test]
fn interactive_prompts_reasks_and_commands() {
    let env = Env::new();
    let (out, result) = typed(
        &env,
        Start::New(standard()),
        &[
            "back",                    // nothing before the first prompt
            "",                        // a name is required
            "Sam Taylor",              //
            "help",                    //
            "sam",                     // not an email
            "sam.taylor@example",      // not a full domain
            "sam.taylor@example.org",  //
            "SAM.TAYLOR@example.org",  // the manager must differ
            "alex.morgan@example.org", //
            "",                        // manager's name left blank
            "ksb",                     // the statements of Duty 1 Skills
            "maybe",                   // not a rating
            "y",                       //
            ".",                       // Yes needs a justification
            "I run a weekly peer group.",
            ".",
            "back", // to Duty 1 Skills' rating, now Yes
            "",     // keep Yes
            ".",    // keep the text
            "skip", // Duty 1 Knowledge left for later
            "n",    // Duty 2 Skills: No
            "back", // from the optional text, back to the rating
            "no",
            "Group work.",
            ".",
            "save",
            "review",
            "submit", // refused: items missing
            "6",      // change Duty 1 Knowledge
            "some",
            "I know the values.",
            ".", // back to the review
            "4", // the manager's name, blank so far
            "Alex Morgan",
            "1",    // my name: keep it
            "",     // back to the review
            "back", // where I was: Duty 2 Knowledge
            "skip",
            "ksb",
            "quit",
        ],
    );
    assert_eq!(result, Ok(()));
    insta::assert_snapshot!(out);
    let scan = env.only_scan();
    assert_eq!(scan["manager"]["name"], "Alex Morgan");
    assert_eq!(
        scan["answers"]["d1-skills"]["text"],
        "I run a weekly peer group."
    );
    assert_eq!(scan["answers"]["d1-knowledge"]["rating"], "some");
    assert_eq!(scan["answers"]["d2-skills"]["text"], "Group work.");
}

#[test]
fn resume_offer_then_resume_or_new() {
    let env = Env::new();
    let (_, result) = typed(
        &env,
        Start::New(standard()),
        &[
            "Sam Taylor",
            "sam.taylor@example.org",
            "alex.morgan@example.org",
            "Alex Morgan",
            "yes",
            "I run a weekly peer group.",
            ".",
            "quit",
        ],
    );
    assert_eq!(result, Ok(()));
    let (out, result) = typed(&env, offer(&env), &["later", "help", "resume", "quit"]);
    assert_eq!(result, Ok(()));
    insta::assert_snapshot!("resume_offer_resume", out);

    let (out, result) = typed(&env, offer(&env), &["new", "quit"]);
    assert_eq!(result, Ok(()));
    assert!(out.contains("Please rate each question with Yes, Some or No"));
    assert!(out.ends_with("Nothing was saved: nothing had been answered yet.\n"));
    assert_eq!(
        env.scans().len(),
        1,
        "quitting a new scan at once writes nothing"
    );

    let (out, result) = typed(&env, offer(&env), &[]);
    assert_eq!(result, Ok(()));
    assert!(out.ends_with("Type resume to carry on with it, or new to start a new scan.\n> "));
}

#[test]
fn changing_an_answer_from_the_review_shows_the_current_text() {
    let env = Env::new();
    let mut lines: Vec<String> = answer_lines();
    lines.pop(); // not submit yet
    lines.extend(["5", "", "Now I lead two groups.", "."].map(String::from));
    // A person is asked once to confirm: submit, then submit again.
    lines.extend(["submit", "submit"].map(String::from));
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, result) = typed(&env, Start::New(standard()), &lines);
    assert_eq!(result, Ok(()));
    let from = out.find("Review: 25 of 25").unwrap();
    insta::assert_snapshot!("change_from_review_and_submit", &out[from..]);
    assert_eq!(
        env.only_scan()["answers"]["d1-skills"]["text"],
        "Now I lead two groups."
    );
}

#[test]
fn a_whole_piped_scan_prints_every_question_once() {
    let env = Env::new();
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(code(&out), 0);
    let text = env.redact(&out.stdout);
    assert_eq!(text.matches("Rate: yes, some or no.").count(), 25);
    insta::assert_snapshot!("piped_full_scan", text);
}

#[test]
fn messages_a_pipe_ends_with() {
    let env = Env::new();
    let lines = answer_lines();
    let mut messages = String::new();
    let mut case = |name: &str, args: &[&str], input: Vec<u8>| {
        let out = env.run(args, &input);
        let _ = writeln!(
            messages,
            "## {name} (exit {})\n{}",
            code(&out),
            env.redact(&out.stderr)
        );
    };
    case("ended mid-way", &["new", "--plain"], join(&lines[..10]));
    case("bad rating", &["--plain"], b"maybe\n".to_vec());
    case(
        "bad email",
        &["new", "--plain"],
        b"Sam Taylor\nsam\n".to_vec(),
    );
    case(
        "missing justification",
        &["new", "--plain"],
        b"Sam Taylor\nsam@example.org\nalex@example.org\n\nsome\n.\n".to_vec(),
    );
    case(
        "incomplete submit",
        &["new", "--plain"],
        b"Sam Taylor\nsam@example.org\nalex@example.org\n\nreview\nsubmit\n".to_vec(),
    );
    case(
        "bad review choice",
        &["new", "--plain"],
        b"Sam Taylor\nsam@example.org\nalex@example.org\n\nreview\n99\n".to_vec(),
    );
    case("several unfinished scans", &["--plain"], b"yes\n".to_vec());
    case("nothing piped", &["new", "--plain"], Vec::new());
    insta::assert_snapshot!("pipe_end_messages", messages);
}

#[test]
fn input_ending_at_a_prompt_saves_like_quit_for_a_person() {
    let env = Env::new();
    let (out, result) = typed(&env, Start::New(standard()), &["Sam Taylor"]);
    assert_eq!(result, Ok(()));
    assert!(out.ends_with(
        "Your answers are saved at [TMP]/data/scans/[FILE] (0 of 25 questions answered).\nTo carry on, run skills-scan again (or skills-scan --plain).\n"
    ));
    assert_eq!(env.only_scan()["learner"]["name"], "Sam Taylor");
}

#[test]
fn a_failed_save_is_reported_and_the_walk_goes_on() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    // A file where the scans folder should be: every save fails, whoever runs the test.
    std::fs::write(env.data_dir().join("scans"), "not a folder").unwrap();
    let (out, result) = typed(
        &env,
        Start::New(standard()),
        &["Sam Taylor", "sam.taylor@example.org", "save", "quit"],
    );
    assert_eq!(
        out.matches("Could not save your answers: could not save [TMP]/data/scans")
            .count(),
        3,
        "two answers and a save, each reported:\n{out}"
    );
    assert!(out.contains("They are kept here; type save to try again."));
    assert!(out.contains("Your email address"), "the walk went on");
    let err = result.unwrap_err();
    assert!(err.contains("could not save"), "{err}");
}

#[test]
fn a_scan_open_elsewhere_is_not_resumed() {
    let env = Env::new();
    let (_, result) = typed(&env, Start::New(standard()), &["Sam Taylor", "quit"]);
    assert_eq!(result, Ok(()));
    let _held = skills_scan::storage::try_lock(&env.scans()[0]).unwrap();
    let mut input: &[u8] = b"sam.taylor@example.org\n";
    let mut output = Vec::new();
    let failure =
        skills_scan::plain::run(&context(&env), offer(&env), &mut input, &mut output, false)
            .unwrap_err();
    assert_eq!(failure.code, skills_scan::exit::Exit::TempFail);
    assert!(
        failure
            .error
            .to_string()
            .contains("is open in another skills-scan")
    );
    assert_eq!(env.only_scan()["learner"]["email"], "");
}
