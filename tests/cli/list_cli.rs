//! `skills-scan list`: the real binary over a temporary folder of invented sample scans and a
//! corrupt file; table, JSON, sorting, status filter, default folder, errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use chrono::Duration;
use serde_json::Value;
use skills_scan::core::Standard;
use skills_scan::{sample, storage};

use crate::support::now;

/// A folder with: an in-progress scan, a submitted scan, a validated one in a subfolder, a corrupt
/// file, and a file that is JSON but not a scan.
fn cohort(dir: &Path) {
    let st = Standard::embedded().unwrap();
    let mut in_progress = sample::complete_scan(&st, 1, now());
    in_progress.set_rating(&"b5".into(), None, now());
    storage::save_atomically(&dir.join("a-in-progress.json"), &in_progress).unwrap();
    let submitted = sample::submitted_scan(&st, 2, now() - Duration::hours(1));
    storage::save_atomically(&dir.join("b-submitted.json"), &submitted).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    let mut validated = sample::submitted_scan(&st, 3, now() - Duration::hours(2));
    validated.review_mut().validation.validated_by_manager = true;
    storage::save_atomically(&dir.join("sub/c-validated.json"), &validated).unwrap();
    std::fs::write(
        dir.join("d-corrupt.json"),
        b"{\"format\": \"skills-scan\", \"format_ver",
    )
    .unwrap();
    std::fs::write(dir.join("e-other.json"), b"[1, 2, 3]").unwrap();
}

/// A relative path as the program prints it on this system (`\` on Windows).
fn native(path: &str) -> String {
    path.replace('/', std::path::MAIN_SEPARATOR_STR)
}

use crate::support::ok_stdout as stdout;
use crate::support::run;

#[test]
fn table_lists_every_file_and_names_unreadable_ones() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    std::fs::create_dir(&dir).unwrap();
    cohort(&dir);
    let out = stdout(&run(home.path(), &["list", dir.to_str().unwrap()]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("LEARNER"), "{out}");
    for head in [
        "MANAGER",
        "STATUS",
        "ANSWERED",
        "PRIOR LEARNING",
        "VALIDATED",
        "LAST SAVED",
        "FILE",
    ] {
        assert!(lines[0].contains(head), "{out}");
    }
    let row = |file: &str| {
        *lines
            .iter()
            .find(|l| l.trim_end().ends_with(file))
            .unwrap_or_else(|| panic!("no row for {file}:\n{out}"))
    };
    assert!(row("a-in-progress.json").contains("in progress"));
    assert!(row("a-in-progress.json").contains("24 of 25"));
    assert!(row("b-submitted.json").contains("submitted"));
    assert!(row("b-submitted.json").contains("25 of 25"));
    assert!(row(&native("sub/c-validated.json")).contains(" yes "));
    assert!(row("d-corrupt.json").contains("unreadable"));
    assert!(row("e-other.json").contains("unreadable"));
    assert!(out.contains("2 files could not be read"), "{out}");
    assert!(out.contains("ends too early"), "{out}");
    assert!(out.contains("not a skills-scan file"), "{out}");
    // Default sort: newest saved first, unreadable last.
    let pos = |f: &str| out.find(f).unwrap();
    assert!(pos("a-in-progress.json") < pos("b-submitted.json"));
    assert!(pos("b-submitted.json") < pos(&native("sub/c-validated.json")));
    assert!(pos(&native("sub/c-validated.json")) < pos("d-corrupt.json"));
    // The corrupt file is left exactly as it was.
    assert_eq!(
        std::fs::read(dir.join("d-corrupt.json")).unwrap(),
        b"{\"format\": \"skills-scan\", \"format_ver"
    );
}

#[test]
fn json_filters_and_sorts() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    std::fs::create_dir(&dir).unwrap();
    cohort(&dir);
    let d = dir.to_str().unwrap();
    let json = |args: &[&str]| -> Value {
        serde_json::from_str(&stdout(&run(home.path(), args))).unwrap()
    };
    let all = json(&["list", d, "--json", "--sort", "file"]);
    let scans = all["scans"].as_array().unwrap();
    let files: Vec<&str> = scans.iter().map(|s| s["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        [
            "a-in-progress.json",
            "b-submitted.json",
            "d-corrupt.json",
            "e-other.json",
            &native("sub/c-validated.json")
        ]
    );
    assert_eq!(scans[0]["status"], "in_progress");
    assert_eq!(scans[0]["answered"], 24);
    assert_eq!(scans[0]["questions"], 25);
    assert!(scans[0]["prior_learning_percent"].as_u64().unwrap() <= 100);
    assert!(
        scans[0]["learner_email"]
            .as_str()
            .unwrap()
            .ends_with("@example.org")
    );
    assert_eq!(scans[1]["validated"], false);
    assert!(scans[1]["submitted_at"].is_string());
    assert!(
        scans[2]["error"]
            .as_str()
            .unwrap()
            .contains("d-corrupt.json")
    );
    assert!(scans[2].get("learner").is_none());

    let submitted = json(&[
        "list",
        d,
        "--json",
        "--status",
        "submitted",
        "--sort",
        "learner",
    ]);
    let names: Vec<&str> = submitted["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["learner"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);

    let validated = json(&["list", d, "--json", "--status", "validated"]);
    assert_eq!(validated["scans"].as_array().unwrap().len(), 1);
    let unreadable = json(&["list", d, "--json", "--status", "unreadable"]);
    assert_eq!(unreadable["scans"].as_array().unwrap().len(), 2);

    let by_answered = json(&[
        "list",
        d,
        "--json",
        "--status",
        "in-progress",
        "--sort",
        "answered",
    ]);
    assert_eq!(by_answered["scans"][0]["file"], "a-in-progress.json");
}

#[test]
fn default_folder_is_the_data_folders_scans() {
    let home = tempfile::tempdir().unwrap();
    let out = stdout(&run(home.path(), &["list"]));
    assert!(out.starts_with("No scan files in"), "{out}");
    let scans = home.path().join("data/scans");
    std::fs::create_dir_all(&scans).unwrap();
    cohort(&scans);
    let out = stdout(&run(home.path(), &["list", "--status", "submitted"]));
    assert!(out.contains("b-submitted.json"), "{out}");
    assert!(!out.contains("a-in-progress.json"), "{out}");
}

#[test]
fn a_missing_folder_is_an_input_error() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nowhere");
    let o = run(home.path(), &["list", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(66));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn list_counts_answers_that_may_identify_someone() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    std::fs::create_dir(&dir).unwrap();
    let st = Standard::embedded().unwrap();
    let mut warned = sample::complete_scan(&st, 1, now());
    warned.set_text(&"d1-skills".into(), "I rang her on 07700 900123.", now());
    warned.set_text(&"b2".into(), "He lives near LS1 4AP.", now());
    storage::save_atomically(&dir.join("warned.json"), &warned).unwrap();
    let clean = sample::complete_scan(&st, 2, now());
    storage::save_atomically(&dir.join("clean.json"), &clean).unwrap();

    let out = stdout(&run(home.path(), &["list", dir.to_str().unwrap()]));
    assert!(out.lines().next().unwrap().contains("WARNINGS"), "{out}");
    let row = |file: &str| out.lines().find(|l| l.ends_with(file)).unwrap().to_string();
    assert!(row("warned.json").contains("⚠ 2"), "{out}");
    assert!(!row("clean.json").contains('⚠'), "{out}");
    assert!(!out.contains("07700") && !out.contains("LS1 4AP"), "{out}");

    let json: serde_json::Value = serde_json::from_str(&stdout(&run(
        home.path(),
        &["list", "--json", dir.to_str().unwrap()],
    )))
    .unwrap();
    let counts: Vec<(String, u64)> = json["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["file"].as_str().unwrap().to_string(),
                s["answers_with_warnings"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(counts.contains(&("warned.json".into(), 2)), "{counts:?}");
    assert!(counts.contains(&("clean.json".into(), 0)), "{counts:?}");
}
