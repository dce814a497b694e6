//! Standard files given by the user: `skills-scan standard --check FILE` on one fixture per kind of
//! mistake (tests/fixtures/standards/bad-*.toml), and `standard --standard FILE --json` on a valid
//! custom standard. Runs the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::support;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/standards")
        .join(name)
}

fn skills_scan(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    support::run(home.path(), args)
}

/// Checks a bad fixture: exit 65, nothing on stdout, and stderr names the file and says each
/// expected thing (the place and the problem).
fn assert_rejected(name: &str, expected: &[&str]) -> String {
    let path = fixture(name);
    let out = skills_scan(&["standard", "--check", path.to_str().expect("utf-8 path")]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(65), "{name}: {stderr}");
    assert!(out.stdout.is_empty(), "{name}: stdout should be empty");
    assert!(
        stderr.starts_with("error: "),
        "{name}: one clear sentence first: {stderr}"
    );
    assert!(
        stderr.contains(&path.display().to_string()),
        "{name}: stderr should name the file: {stderr}"
    );
    for e in expected {
        assert!(stderr.contains(e), "{name}: expected `{e}` in: {stderr}");
    }
    stderr
}

#[test]
fn valid_custom_standard_passes_check() {
    let path = fixture("valid-mini.toml");
    let out = skills_scan(&["standard", "--check", path.to_str().expect("utf-8")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("is a valid standard"), "{stdout}");
    assert!(stdout.contains("ST9999 v0.1"), "{stdout}");
    assert!(stdout.contains("6 KSBs, 2 duties, 6 questions"), "{stdout}");
}

#[test]
fn a_copy_of_the_embedded_standard_passes_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("peer-worker-copy.toml");
    std::fs::write(
        &copy,
        skills_scan::core::standard::EMBEDDED_PEER_WORKER.as_bytes(),
    )
    .expect("write copy");
    let out = skills_scan(&["standard", "--check", copy.to_str().expect("utf-8")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ST0896 v1.0") && stdout.contains("113 KSBs, 10 duties, 25 questions"),
        "{stdout}"
    );
}

#[test]
fn toml_syntax_error_gives_line_and_column() {
    assert_rejected(
        "bad-syntax.toml",
        &["1 problem", "line 8, column 23", "invalid basic string"],
    );
}

#[test]
fn duplicate_ksb_code() {
    assert_rejected(
        "bad-duplicate-ksb.toml",
        &["ksbs[1] (K1)", "duplicate KSB code `K1`"],
    );
}

#[test]
fn duty_naming_an_unknown_ksb() {
    assert_rejected(
        "bad-duty-unknown-ksb.toml",
        &["duties[0] (Duty 1)", "names unknown KSB `S7`"],
    );
}

#[test]
fn question_naming_an_unknown_ksb() {
    assert_rejected(
        "bad-question-unknown-ksb.toml",
        &["question `d2-knowledge`", "names unknown KSB `K9`"],
    );
}

#[test]
fn ksb_covered_by_no_question() {
    assert_rejected(
        "bad-ksb-uncovered.toml",
        &["ksbs (B2)", "KSB `B2` is covered by no question"],
    );
}

#[test]
fn duty_without_questions_is_named_and_every_problem_listed() {
    let stderr = assert_rejected(
        "bad-duty-without-questions.toml",
        &[
            "3 problems",
            "duties[1] (Duty 2): duty has no questions",
            "KSB `K2` is covered by no question",
            "KSB `S2` is covered by no question",
        ],
    );
    assert!(!stderr.contains("missing field"), "{stderr}");
}

#[test]
fn empty_texts_are_each_named() {
    assert_rejected(
        "bad-empty-texts.toml",
        &[
            "2 problems",
            "form.closing: is empty",
            "ksbs[3] (S2): statement text is empty",
        ],
    );
}

#[test]
fn unknown_top_level_key_is_named_with_its_line() {
    assert_rejected("bad-unknown-key.toml", &["line 10", "unknown key `colour`"]);
}

#[test]
fn unknown_nested_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested.toml");
    let text = std::fs::read_to_string(fixture("valid-mini.toml")).expect("read");
    let text = text.replacen("[form]\n", "[form]\ncolour = \"green\"\n", 1);
    let line = text
        .lines()
        .position(|l| l.starts_with("colour"))
        .expect("inserted")
        + 1;
    std::fs::write(&path, text).expect("write");
    let out = skills_scan(&["standard", "--check", path.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.contains(&format!("line {line}, column 1")),
        "{stderr}"
    );
    assert!(stderr.contains("unknown field `colour`"), "{stderr}");
}

#[test]
fn wrong_format_name() {
    assert_rejected(
        "bad-format-name.toml",
        &[
            "format:",
            "not a skills-scan standard file",
            "`skills-scan-standard`",
        ],
    );
}

#[test]
fn newer_format_version() {
    assert_rejected(
        "bad-newer-version.toml",
        &["format_version:", "newer skills-scan", "version 7"],
    );
}

#[test]
fn not_utf8() {
    assert_rejected("bad-not-utf8.toml", &["not UTF-8 text"]);
}

#[test]
fn every_bad_fixture_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standards");
    let this = include_str!("standard_files.rs");
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bad-") {
            assert!(
                this.contains(&format!("\"{name}\"")),
                "fixture {name} has no test"
            );
        }
    }
}

#[test]
fn missing_standard_file_exits_66() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("absent.toml");
    let out = skills_scan(&["standard", "--check", path.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(66), "{stderr}");
    assert!(stderr.contains("absent.toml"), "{stderr}");
    // The system's words: "No such file or directory", on Windows "…cannot find the file…" or
    // (Wine) "File not found."
    let cause = ["No such file", "cannot find the file", "File not found"]
        .into_iter()
        .find(|c| stderr.contains(c))
        .unwrap_or_else(|| panic!("no cause in {stderr}"));
    // The cause is said once, not repeated as a "caused by" line.
    assert_eq!(stderr.matches(cause).count(), 1, "{stderr}");
}

#[test]
fn custom_standard_as_json_has_the_documented_shape() {
    let path = fixture("valid-mini.toml");
    let out = skills_scan(&[
        "standard",
        "--standard",
        path.to_str().expect("utf-8"),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["reference"], "ST9999");
    assert_eq!(v["version"], "0.1");
    assert_eq!(v["title"], "Test gardener");
    assert_eq!(v["level"], 2);
    let ksbs = v["ksbs"].as_array().expect("ksbs");
    assert_eq!(ksbs.len(), 6);
    assert_eq!(ksbs[0]["code"], "K1");
    assert_eq!(ksbs[0]["text"], "How plants grow");
    let duties = v["duties"].as_array().expect("duties");
    assert_eq!(duties.len(), 2);
    assert_eq!(duties[0]["number"], 1);
    assert_eq!(duties[0]["title"], "Grow plants from seed");
    assert_eq!(duties[0]["ksbs"], serde_json::json!(["K1", "S1", "B1"]));
    let qs = duties[0]["questions"].as_array().expect("questions");
    assert_eq!(qs.len(), 2);
    assert_eq!(qs[0]["id"], "d1-skills");
    assert_eq!(qs[0]["kind"], "skills");
    assert_eq!(qs[0]["ksbs"], serde_json::json!(["S1"]));
    assert!(qs[0]["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(qs[1]["kind"], "knowledge");
    let bs = v["behaviours"].as_array().expect("behaviours");
    assert_eq!(bs.len(), 2);
    assert_eq!(bs[1]["id"], "b2");
    assert_eq!(bs[1]["kind"], "behaviour");
    assert_eq!(bs[1]["ksbs"], serde_json::json!(["B2"]));
    assert_eq!(bs[1]["text"], "Respects the garden's visitors");
}

#[test]
fn custom_standard_outline_without_json() {
    let path = fixture("valid-mini.toml");
    let out = skills_scan(&["standard", "--standard", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("Test gardener — ST9999 v0.1, level 2"),
        "{stdout}"
    );
    assert!(stdout.contains("Duty 2: Keep shrubs in shape"), "{stdout}");
    assert!(stdout.contains("S2: Prune shrubs"), "{stdout}");
}

#[test]
fn bad_standard_given_with_standard_flag_exits_65() {
    let path = fixture("bad-ksb-uncovered.toml");
    let out = skills_scan(&["standard", "--standard", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty());
}

mod never_panics {
    use proptest::prelude::*;
    use skills_scan::core::Standard;
    use skills_scan::core::standard::EMBEDDED_PEER_WORKER;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Any text gives a standard or problems, never a panic.
        #[test]
        fn any_text(text in "\\PC{0,300}") {
            let _ = Standard::from_toml(&text);
        }

        /// The embedded standard with a slice cut out: problems with places, never a panic.
        #[test]
        fn embedded_with_a_slice_removed(start in 0usize..EMBEDDED_PEER_WORKER.len(), n in 1usize..200) {
            let text = EMBEDDED_PEER_WORKER;
            let mut start = start;
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + n).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            let cut = format!("{}{}", &text[..start], &text[end..]);
            if let Err(problems) = Standard::from_toml(&cut) {
                prop_assert!(!problems.0.is_empty());
                for p in &problems.0 {
                    prop_assert!(!p.place.is_empty() && !p.message.is_empty());
                }
            }
        }
    }
}
