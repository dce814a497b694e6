//! `skills-scan summary FILE --format …`: golden tests of each format over a committed fixture
//! scan (invented people) with a coach's review, and the exit codes for missing and bad files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use skills_scan::core::Rating;
use skills_scan::storage;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/coach-submitted.json"
);

/// The fixture with a coach's review: two agreed ratings (one with a note), a note alone, and
/// the validation record.
fn reviewed(dir: &Path) -> PathBuf {
    let mut scan = storage::load(Path::new(FIXTURE)).unwrap();
    let at = Utc
        .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap();
    scan.set_agreed_rating(&"d6-skills".into(), Some(Rating::Some), at);
    scan.set_agreed_note(
        &"d6-skills".into(),
        "Has shadowed two risk assessments; agreed Some.",
        at,
    );
    scan.set_agreed_rating(&"b2".into(), Some(Rating::Some), at);
    scan.set_agreed_note(
        &"d4-knowledge".into(),
        "Start with the Care Act 2014 module.",
        at,
    );
    let v = &mut scan.review_mut().validation;
    v.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
    v.coach_name = "Jordan Hughes".into();
    v.manager_name = "Alex Patel".into();
    v.validated_by_manager = true;
    v.recorded_at = Some(at);
    let path = dir.join("reviewed.json");
    storage::save_atomically(&path, &scan).unwrap();
    path
}

use crate::support::run;

fn summary(format: &str) -> String {
    summary_args(&["--format", format])
}

fn summary_args(extra: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let file = reviewed(home.path());
    let mut args = vec!["summary", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(home.path(), &args);
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn json_summary_golden() {
    let out = summary("json");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The parts a script relies on, checked directly as well as by the snapshot.
    assert_eq!(v["format"], "skills-scan-summary");
    assert_eq!(v["status"], "submitted");
    assert_eq!(v["submitted_at"], "2026-11-20T14:30:00Z");
    assert_eq!(v["answers"].as_array().unwrap().len(), 25);
    let d6 = v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "d6-skills")
        .unwrap();
    assert_eq!(d6["rating"], "no");
    assert_eq!(d6["agreed_rating"], "some");
    assert_eq!(d6["effective_rating"], "some");
    assert_eq!(v["validation"]["validated_by_manager"], true);
    assert_eq!(v["validation"]["meeting_date"], "2026-11-23");
    assert_eq!(
        v["prior_learning"]["estimate"]["label"],
        "indicative — the provider decides"
    );
    let learner = &v["counts"]["learner"];
    let total: u64 = ["yes", "some", "no", "unanswered"]
        .iter()
        .map(|k| learner[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, 25);
    assert_eq!(
        v["counts"]["agreed"]["no"].as_u64().unwrap() + 1,
        learner["no"].as_u64().unwrap(),
        "d6-skills moved from No to Some"
    );
    insta::assert_snapshot!("summary_json", out);
}

#[test]
fn text_summary_golden() {
    let out = summary("text");
    assert!(
        out.contains("Indicative prior-learning estimate (RPL)"),
        "{out}"
    );
    assert!(out.contains("Indicative — the provider decides."), "{out}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "Funding: not fundable as planned: remaining off-the-job hours 119 < 187, \
             remaining duration (months) 4.4 < 8 — the provider decides"
        ),
        "{out}"
    );
    assert!(!out.contains("held at the minimum"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no escape sequences reach the terminal"
    );
    insta::assert_snapshot!("summary_text", out);
}

#[test]
fn markdown_summary_golden() {
    let out = summary("markdown");
    assert!(
        out.contains("## Indicative prior-learning estimate (RPL)"),
        "{out}"
    );
    assert!(!out.contains("<script>"), "learner text is escaped");
    insta::assert_snapshot!("summary_markdown", out);
}

#[test]
fn html_summary_golden() {
    let out = summary("html");
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(out.contains("Indicative prior-learning estimate (RPL)"));
    assert!(out.contains("&lt;script&gt;"), "learner text is escaped");
    assert!(!out.contains("<script>"));
    insta::assert_snapshot!("summary_html", out);
}

#[test]
fn default_format_is_text() {
    assert_eq!(summary_args(&[]), summary("text"));
}

#[test]
fn missing_file_is_exit_66_and_malformed_is_exit_65() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("no-such-scan.json");
    let o = run(home.path(), &["summary", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-scan.json"));

    let bad = home.path().join("cut-short.json");
    std::fs::write(&bad, b"{\"format\": \"skills-scan\", ").unwrap();
    let o = run(
        home.path(),
        &["summary", bad.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(65));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut-short.json"), "{err}");
    assert_eq!(
        std::fs::read(&bad).unwrap(),
        b"{\"format\": \"skills-scan\", "
    );
}

#[test]
fn typed_names_in_the_validation_record_are_escaped() {
    let home = tempfile::tempdir().unwrap();
    let file = reviewed(home.path());
    let mut scan = storage::load(&file).unwrap();
    scan.review_mut().validation.coach_name = "<b>Jo</b> \u{1b}[2J*Hughes*".into();
    storage::save_atomically(&file, &scan).unwrap();
    let run_format = |format: &str| {
        let o = run(
            home.path(),
            &["summary", file.to_str().unwrap(), "--format", format],
        );
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    let html = run_format("html");
    assert!(html.contains("&lt;b&gt;Jo&lt;/b&gt; *Hughes*"), "{html}");
    let md = run_format("markdown");
    assert!(
        md.contains("- **Coach:** \\<b\\>Jo\\</b\\> \\*Hughes\\*"),
        "{md}"
    );
    let text = run_format("text");
    assert!(
        text.contains("Coach:          <b>Jo</b> *Hughes*"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn an_unreviewed_scan_in_progress_summarises_too() {
    let home = tempfile::tempdir().unwrap();
    let st = skills_scan::core::Standard::embedded().unwrap();
    let at = Utc
        .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap();
    let mut scan = skills_scan::sample::complete_scan(&st, 12, at);
    scan.set_rating(&"b5".into(), None, at);
    let file = home.path().join("in-progress.json");
    storage::save_atomically(&file, &scan).unwrap();
    let o = run(
        home.path(),
        &["summary", file.to_str().unwrap(), "--format", "json"],
    );
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "in_progress");
    assert!(v["submitted_at"].is_null());
    assert_eq!(v["answered"], 24);
    assert_eq!(v["counts"]["learner"]["unanswered"], 1);
    assert_eq!(v["validation"]["validated_by_manager"], false);
    assert!(
        v["answers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["agreed_rating"].is_null())
    );
    let o = run(home.path(), &["summary", file.to_str().unwrap()]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("not submitted yet"), "{text}");
    assert!(
        !text.contains("Planning meeting"),
        "no review, no meeting section"
    );
    assert!(text.contains("Indicative prior-learning estimate (RPL)"));
}

#[test]
fn every_format_counts_answers_that_may_identify_someone() {
    let home = tempfile::tempdir().unwrap();
    let mut scan = storage::load(Path::new(FIXTURE)).unwrap();
    scan.answers.get_mut("d2-skills").expect("answered").text =
        "Her NHS number is 943 476 5919.".into();
    let file = home.path().join("warned.json");
    storage::save_atomically(&file, &scan).unwrap();
    let out = |format: &str| {
        let o = run(
            home.path(),
            &["summary", file.to_str().unwrap(), "--format", format],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let line = "⚠ 1 answer may identify someone: check it before uploading";
    assert!(out("text").contains(&format!("Confidentiality: {line}")));
    assert!(out("markdown").contains(&format!("- **Confidentiality:** {line}")));
    assert!(out("html").contains("Confidentiality</th><td"));
    assert!(out("html").contains(line));
    let json: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    assert_eq!(json["answers_with_warnings"], 1);
}
