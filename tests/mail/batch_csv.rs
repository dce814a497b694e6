//! Batch export without email: the spreadsheet parsed back cell by cell, bad files in the
//! folder, locked and unsubmitted scans, the dry run, and the JSON report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::Utc;
use skills_scan::core::{Rating, Scan, Standard};
use skills_scan::sample;
use skills_scan::storage;

use crate::support;

/// A relative path as the program prints it on this system (`\` on Windows).
fn native(path: &str) -> String {
    path.replace('/', std::path::MAIN_SEPARATOR_STR)
}

/// When this cohort's scans were made and submitted: three days before the tests' clock.
fn three_days_ago() -> chrono::DateTime<Utc> {
    support::now() - chrono::Duration::days(3)
}

fn save(dir: &Path, scan: &Scan) -> PathBuf {
    let path = dir.join(format!("{}.json", scan.id));
    storage::save_atomically(&path, scan).unwrap();
    path
}

fn export(dir: &Path, args: &[&str]) -> Output {
    let home = dir.parent().unwrap();
    support::command(home)
        .arg("export")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A cohort: three submitted scans (one reviewed and validated, one with a hostile name), one in
/// progress, and three bad files in a sub-folder.
struct Cohort {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    reviewed: PathBuf,
    in_progress: PathBuf,
}

fn a_seed(scan: &Scan) -> u64 {
    scan.id.trim_start_matches("sample-").parse().unwrap()
}

fn cohort() -> Cohort {
    let standard = Standard::embedded().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cohort");
    storage::create_private_dir(&dir.join("late")).unwrap();
    // Some sample names make an email address that does not validate, so the sample stays in
    // progress: take the next seed that submits.
    let submitted = |seed: u64| {
        (seed..seed + 1000)
            .map(|s| sample::submitted_scan(&standard, s, three_days_ago()))
            .find(Scan::is_submitted)
            .unwrap()
    };
    let mut a = submitted(1);
    a.learner.name = "Siân Ŵyn-Chloé".into();
    a.set_agreed_rating(&"d1-skills".into(), Some(Rating::No), three_days_ago());
    a.set_agreed_rating(&"b2".into(), Some(Rating::Yes), three_days_ago());
    {
        let v = &mut a.review_mut().validation;
        v.meeting_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
        v.coach_name = "Jordan Hughes".into();
        v.manager_name = "Alex Patel".into();
    }
    skills_scan::core::record::validate(&mut a, std::slice::from_ref(&standard), three_days_ago())
        .unwrap();
    let reviewed = save(&dir, &a);
    let mut b = submitted(a_seed(&a) + 1);
    b.learner.name = "=HYPERLINK(\"http://example.org\",\"x\"), \"quoted\"".into();
    save(&dir, &b);
    save(&dir, &submitted(a_seed(&b) + 1));
    let mut d = sample::complete_scan(&standard, 40, three_days_ago());
    d.id = "in-progress-40".into();
    let in_progress = save(&dir, &d);
    let late = dir.join("late");
    std::fs::write(
        late.join("corrupt.json"),
        b"{\"format\": \"skills-scan\", \"format_",
    )
    .unwrap();
    std::fs::write(
        late.join("newer.json"),
        br#"{"format": "skills-scan", "format_version": 99}"#,
    )
    .unwrap();
    std::fs::write(late.join("package.json"), br#"{"name": "not-a-scan"}"#).unwrap();
    Cohort {
        _tmp: tmp,
        dir,
        reviewed,
        in_progress,
    }
}

/// Checks one row of the cohort's CSV against the scan file it names, cell by cell.
fn assert_row_matches_its_scan(
    row: &csv::StringRecord,
    header: &[String],
    dir: &Path,
    standard: &Standard,
) {
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let file = &row[col("File")];
    let scan = storage::load(&dir.join(file)).unwrap();
    assert_eq!(row[col("Learner email")], scan.learner.email);
    assert_eq!(row[col("Manager")], scan.manager.name);
    assert_eq!(row[col("Manager email")], scan.manager.email);
    let name = &row[col("Learner")];
    if scan.learner.name.starts_with('=') {
        assert_eq!(name, format!("'{}", scan.learner.name), "formula defused");
    } else {
        assert_eq!(name, scan.learner.name);
    }
    assert_eq!(
        &row[col("Status")],
        if scan.is_submitted() {
            "submitted"
        } else {
            "in progress"
        }
    );
    assert_eq!(
        &row[col("Submitted")],
        if scan.is_submitted() {
            "2026-11-20"
        } else {
            ""
        }
    );
    let mut i = 6;
    for l in standard.questions() {
        let id = &l.question.id;
        assert_eq!(
            &row[i],
            scan.rating(id).map_or("", Rating::label),
            "{file} {id}"
        );
        let agreed = scan.agreed(id).and_then(|a| a.rating);
        assert_eq!(
            &row[i + 1],
            agreed.map_or("", Rating::label),
            "{file} {id} agreed"
        );
        i += 2;
    }
    let score =
        skills_scan::core::score::Score::of(&scan, skills_scan::core::score::Basis::Learner, 0.5);
    assert_eq!(
        row[col("KSBs met % (learner)")],
        score.percent().to_string()
    );
    let estimate =
        skills_scan::core::rpl::Estimate::of(&scan, skills_scan::core::rpl::Programme::default());
    assert_eq!(
        row[col("Off-the-job hours left")],
        format!("{:.1}", estimate.hours)
    );
    assert_eq!(
        row[col("Months left")],
        format!("{:.1}", estimate.duration_months)
    );
    assert_eq!(
        row[col("Price reduction £")],
        format!("{:.2}", estimate.price_reduction_gbp)
    );
    assert_eq!(row[col("Eligibility")], estimate.eligibility.words());
    assert_eq!(row[col("Unanswered")], scan.unanswered_count().to_string());
    assert_eq!(
        row[col("Validated")],
        skills_scan::core::record::Seal::of(&scan).short()
    );
    assert_eq!(&row[col("Standard check")], "ok");
}

#[test]
fn csv_has_one_row_per_readable_scan_checked_cell_by_cell() {
    let c = cohort();
    let csv_path = c.dir.parent().unwrap().join("cohort.csv");
    let out = export(
        &c.dir,
        &["--csv", csv_path.to_str().unwrap(), "--bom", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["mode"], "csv_only");
    assert_eq!(report["files"], 7);
    assert_eq!(report["csv"]["rows"], 4);
    let unreadable: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] == "unreadable")
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        unreadable,
        [
            native("late/corrupt.json"),
            native("late/newer.json"),
            native("late/package.json")
        ]
    );

    #[cfg(unix)]
    {
        let meta = std::fs::metadata(&csv_path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let standard = Standard::embedded().unwrap();
    assert_eq!(header.len(), 6 + 2 * standard.question_count() + 12);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    for row in &rows {
        assert_row_matches_its_scan(row, &header, &c.dir, &standard);
    }
    let reviewed_name = c.reviewed.file_name().unwrap().to_str().unwrap();
    let reviewed = rows
        .iter()
        .find(|r| &r[col("File")] == reviewed_name)
        .unwrap();
    assert_eq!(&reviewed[col("Learner")], "Siân Ŵyn-Chloé");
    assert_eq!(&reviewed[col("Duty 1 Skills (agreed)")], "No");
    assert!(
        reviewed[col("Validated")].starts_with("yes, 2026-"),
        "{:?}",
        &reviewed[col("Validated")]
    );
    assert!(!reviewed[col("KSBs met % (agreed)")].is_empty());
}

#[test]
fn dry_run_says_what_would_be_sent_and_changes_nothing() {
    let c = cohort();
    let before: Vec<Vec<u8>> = storage::scan_files(&c.dir)
        .unwrap()
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let csv_path = c.dir.parent().unwrap().join("never.csv");
    // Another process (this test) has the reviewed scan open.
    let _held = storage::try_lock(&c.reviewed).unwrap();
    let out = export(
        &c.dir,
        &[
            "--email",
            "--dry-run",
            "--json",
            "--csv",
            csv_path.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["mode"], "dry_run");
    assert_eq!(report["would_send"].as_array().unwrap().len(), 2);
    let reason_of = |path: &Path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["file"] == name)
            .map(|s| s["reason"].as_str().unwrap().to_string())
    };
    assert_eq!(reason_of(&c.reviewed).as_deref(), Some("locked"));
    assert_eq!(reason_of(&c.in_progress).as_deref(), Some("not_submitted"));
    for sent in report["would_send"].as_array().unwrap() {
        let to = sent["to"].as_array().unwrap();
        assert_eq!(to.len(), 2);
        assert!(
            to.iter()
                .all(|a| a.as_str().unwrap().ends_with("@example.org"))
        );
    }
    assert!(!csv_path.exists(), "a dry run writes nothing");
    let after: Vec<Vec<u8>> = storage::scan_files(&c.dir)
        .unwrap()
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after, "a dry run changes no scan");
}

#[test]
fn human_report_names_each_bad_file_and_why() {
    let c = cohort();
    let out = export(&c.dir, &["--dry-run"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("7 scan file(s)"), "{text}");
    assert!(text.contains("Would send: 3"), "{text}");
    assert!(
        text.contains(&format!("{} — unreadable", native("late/newer.json"))),
        "{text}"
    );
    assert!(text.contains("newer skills-scan"), "{text}");
    assert!(
        text.contains(&format!("{} — unreadable", native("late/package.json"))),
        "{text}"
    );
    assert!(text.contains("Failed: 0"), "{text}");
    // Plain progress lines on stderr when it is not a terminal.
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("[7/7]"), "{err}");
}

#[test]
fn nothing_to_do_and_contradictions_are_usage_errors() {
    let c = cohort();
    let out = export(&c.dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to do"));
    let out = export(&c.dir, &["--email", "--eml-dir", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let out = export(&c.dir.join("missing"), &["--dry-run"]);
    assert_eq!(out.status.code(), Some(66));
    // Email without an [smtp] section: a config error, and nothing changed.
    let out = export(&c.dir, &["--email"]);
    assert_eq!(out.status.code(), Some(78));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[smtp]"));
    assert!(storage::load(&c.reviewed).unwrap().email_log.is_empty());
}
