//! The record a provider signs, through the real binary: a scan changed after its sealed
//! validation and a scan carrying a modified copy of its standard are flagged by `summary`,
//! `list` and the CSV; the estimate says when a plan is not fundable; `[programme]` figures out
//! of range are refused with their key (exit 78); `list` of the data folder leaves the outbox out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;
use skills_scan::core::record::{self, Seal};
use skills_scan::core::{Rating, Scan, Standard};
use skills_scan::{sample, storage};

use crate::support::now;
use crate::support::ok_stdout as stdout;
use crate::support::run;

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fills in the validation record of the planning meeting on 23 November 2026 (coach Jordan
/// Hughes, manager Alex Patel), not yet sealed.
fn fill_in_validation(s: &mut Scan) {
    let v = &mut s.review_mut().validation;
    v.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
    v.coach_name = "Jordan Hughes".into();
    v.manager_name = "Alex Patel".into();
}

/// A submitted sample scan, validated and sealed at the planning meeting.
fn validated(standard: &Standard, seed: u64) -> Scan {
    let mut s = (seed..seed + 1000)
        .map(|n| sample::submitted_scan(standard, n, now()))
        .find(Scan::is_submitted)
        .unwrap();
    fill_in_validation(&mut s);
    record::validate(&mut s, std::slice::from_ref(standard), now()).unwrap();
    s
}

struct Folder {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    dir: PathBuf,
    sealed: PathBuf,
    changed: PathBuf,
    tampered: PathBuf,
}

/// A cohort: one scan validated and untouched, one changed after validation (the coach agreed a
/// KSB rating afterwards), one whose copy of ST0896 v1.0 was edited (title and a KSB statement).
fn folder() -> Folder {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().to_path_buf();
    let dir = home.join("cohort");
    storage::create_private_dir(&dir).unwrap();
    let st = Standard::embedded().unwrap();
    let sealed = dir.join("a-sealed.json");
    storage::save_atomically(&sealed, &validated(&st, 1)).unwrap();
    let mut c = validated(&st, 20);
    c.set_agreed_ksb_rating(
        &"K1".into(),
        Some(Rating::No),
        now() + chrono::Duration::days(2),
    );
    assert!(matches!(Seal::of(&c), Seal::ChangedSince { .. }));
    let changed = dir.join("b-changed.json");
    storage::save_atomically(&changed, &c).unwrap();
    let mut t = sample::submitted_scan(&st, 40, now());
    t.standard.snapshot.title = "Anything at all".into();
    t.standard.snapshot.ksbs[0].text = "Whatever the learner already does".into();
    let tampered = dir.join("c-tampered.json");
    storage::save_atomically(&tampered, &t).unwrap();
    Folder {
        _tmp: tmp,
        home,
        dir,
        sealed,
        changed,
        tampered,
    }
}

/// Exports the cohort folder with `export --csv` to cohort.csv in the home (the run must
/// succeed) and reads the file back: its header and its rows.
fn exported_csv(f: &Folder) -> (Vec<String>, Vec<csv::StringRecord>) {
    let csv_path = f.home.join("cohort.csv");
    stdout(&run(
        &f.home,
        &[
            "export",
            f.dir.to_str().unwrap(),
            "--csv",
            csv_path.to_str().unwrap(),
        ],
    ));
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

#[test]
fn a_change_after_validation_shows_in_summary_list_and_csv() {
    let f = folder();
    let p = |p: &Path| p.to_str().unwrap().to_string();
    // summary, text and JSON
    let text = stdout(&run(&f.home, &["summary", &p(&f.changed)]));
    assert!(
        flat(&text).contains("CHANGED since validation on 2026-11-23"),
        "{text}"
    );
    let ok = stdout(&run(&f.home, &["summary", &p(&f.sealed)]));
    assert!(
        flat(&ok).contains("Validated by the manager on 2026-11-23; sealed, unchanged since."),
        "{ok}"
    );
    assert!(!ok.contains("CHANGED"), "{ok}");
    let json: Value = serde_json::from_str(&stdout(&run(
        &f.home,
        &["summary", &p(&f.changed), "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["validation"]["state"], "changed_since_validation");
    let k1 = json["ksbs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == "K1")
        .unwrap();
    assert_eq!(
        (k1["rating"].as_str(), k1["source"].as_str()),
        (Some("no"), Some("agreed"))
    );
    // list: table and JSON
    let table = stdout(&run(&f.home, &["list", &p(&f.dir)]));
    let row = table
        .lines()
        .find(|l| l.contains("b-changed.json"))
        .unwrap();
    assert!(
        row.contains("changed since validation on 2026-11-23"),
        "{table}"
    );
    let sealed_row = table.lines().find(|l| l.contains("a-sealed.json")).unwrap();
    assert!(sealed_row.contains("yes, 2026-11-23"), "{table}");
    let listed: Value =
        serde_json::from_str(&stdout(&run(&f.home, &["list", &p(&f.dir), "--json"]))).unwrap();
    let changed = listed["scans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == "b-changed.json")
        .unwrap();
    assert_eq!(changed["validated"], false);
    // `--status validated` lists only the sealed, unchanged scan.
    let only = stdout(&run(
        &f.home,
        &["list", &p(&f.dir), "--status", "validated"],
    ));
    assert!(
        only.contains("a-sealed.json") && !only.contains("b-changed.json"),
        "{only}"
    );
    // CSV
    let (header, rows) = exported_csv(&f);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let by_file = |name: &str| rows.iter().find(|r| &r[col("File")] == name).unwrap();
    assert_eq!(
        &by_file("b-changed.json")[col("Validated")],
        "changed since validation on 2026-11-23"
    );
    assert_eq!(
        &by_file("a-sealed.json")[col("Validated")],
        "yes, 2026-11-23"
    );
    for name in ["a-sealed.json", "b-changed.json", "c-tampered.json"] {
        let r = by_file(name);
        for c in ["Off-the-job hours left", "Months left", "Price reduction %"] {
            assert!(
                r[col(c)].parse::<f64>().is_ok(),
                "{name} {c}: {:?}",
                &r[col(c)]
            );
        }
        assert!(
            r[col("Eligibility")].starts_with("fundable as planned")
                || r[col("Eligibility")].starts_with("not fundable as planned:"),
            "{name}"
        );
    }
}

#[test]
fn a_modified_standard_is_flagged_everywhere() {
    let f = folder();
    let p = |p: &Path| p.to_str().unwrap().to_string();
    let text = stdout(&run(&f.home, &["summary", &p(&f.tampered)]));
    let flat_text = flat(&text);
    assert!(flat_text.contains("Modified standard:"), "{text}");
    assert!(
        flat_text.contains("title \"Anything at all\" instead of \"Peer worker\""),
        "{text}"
    );
    assert!(flat_text.contains("KSBs reworded: K1"), "{text}");
    let json: Value = serde_json::from_str(&stdout(&run(
        &f.home,
        &["summary", &p(&f.tampered), "--format", "json"],
    )))
    .unwrap();
    assert!(
        json["modified_standard"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert!(json["modified_standard"].is_array());
    let untouched: Value = serde_json::from_str(&stdout(&run(
        &f.home,
        &["summary", &p(&f.sealed), "--format", "json"],
    )))
    .unwrap();
    assert!(untouched["modified_standard"].is_null());
    let table = stdout(&run(&f.home, &["list", &p(&f.dir)]));
    let row = table
        .lines()
        .find(|l| l.contains("c-tampered.json") && l.contains('%'))
        .unwrap();
    assert!(row.contains("MODIFIED STANDARD"), "{table}");
    assert!(
        flat(&table).contains("c-tampered.json: modified standard: title"),
        "{table}"
    );
    let (header, rows) = exported_csv(&f);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in rows {
        let check = &r[col("Standard check")];
        if &r[col("File")] == "c-tampered.json" {
            assert!(check.starts_with("modified standard: title"), "{check}");
        } else {
            assert_eq!(check, "ok");
        }
    }
    // And it cannot be validated.
    let mut scan = storage::load(&f.tampered).unwrap();
    fill_in_validation(&mut scan);
    let err = record::validate(&mut scan, &[Standard::embedded().unwrap()], now()).unwrap_err();
    assert!(matches!(err, record::Refusal::ModifiedStandard(_)), "{err}");
}

#[test]
fn a_standard_in_the_data_folder_is_known_too() {
    let f = folder();
    // A provider's own standard file, installed in DATA/standards/, and a scan whose copy of it
    // was edited.
    let toml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/standards/st0896-peer-worker.toml"),
    )
    .unwrap()
    .replace("reference = \"ST0896\"", "reference = \"ST9990\"");
    let standards = f.home.join("data/standards");
    std::fs::create_dir_all(&standards).unwrap();
    std::fs::write(standards.join("st9990.toml"), &toml).unwrap();
    let own = Standard::from_toml(&toml).unwrap();
    let mut s = sample::submitted_scan(&own, 3, now());
    s.standard.snapshot.title = "Edited".into();
    let file = f.dir.join("d-own.json");
    storage::save_atomically(&file, &s).unwrap();
    let text = stdout(&run(&f.home, &["summary", file.to_str().unwrap()]));
    assert!(flat(&text).contains("Modified standard:"), "{text}");
    std::fs::remove_file(standards.join("st9990.toml")).unwrap();
    let text = stdout(&run(&f.home, &["summary", file.to_str().unwrap()]));
    assert!(
        !text.contains("Modified standard:"),
        "unknown standards are not judged: {text}"
    );
}

#[test]
fn an_unfinished_scan_says_how_many_are_unanswered() {
    let tmp = tempfile::tempdir().unwrap();
    let st = Standard::embedded().unwrap();
    let mut s = sample::complete_scan(&st, 1, now());
    for id in ["b3", "b4", "b5"] {
        s.set_rating(&id.into(), None, now());
    }
    let file = tmp.path().join("unfinished.json");
    storage::save_atomically(&file, &s).unwrap();
    let text = stdout(&run(tmp.path(), &["summary", file.to_str().unwrap()]));
    let flat_text = flat(&text);
    assert!(
        flat_text.contains("Unfinished: 3 of 25 questions are unanswered; they count as not met."),
        "{text}"
    );
    assert!(
        flat_text.contains("Unfinished: 3 of 25 questions unanswered (counted as not met)"),
        "{text}"
    );
}

/// Saves the submitted sample scan of seed 1 at `path`.
fn save_submitted_sample(path: &Path) {
    let st = Standard::embedded().unwrap();
    storage::save_atomically(path, &sample::submitted_scan(&st, 1, now())).unwrap();
}

#[test]
fn programme_figures_out_of_range_are_refused_with_their_key() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.json");
    save_submitted_sample(&file);
    for (line, key) in [
        ("duration_months = 1e308", "[programme] duration_months"),
        ("off_the_job_hours = -5", "[programme] off_the_job_hours"),
        (
            "min_off_the_job_hours = nan",
            "[programme] min_off_the_job_hours",
        ),
    ] {
        std::fs::write(
            tmp.path().join("config.toml"),
            format!("[programme]\n{line}\n"),
        )
        .unwrap();
        let out = run(tmp.path(), &["summary", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(78), "{line}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "{line}: {err}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("inf%"));
    }
}

#[test]
fn below_the_funding_minimum_the_plan_is_called_not_fundable() {
    let tmp = tempfile::tempdir().unwrap();
    // All Yes: every KSB met, nothing left to fund.
    let file = tmp.path().join("s.json");
    save_submitted_sample(&file);
    std::fs::write(
        tmp.path().join("config.toml"),
        "[programme]\nduration_months = 24\n",
    )
    .unwrap();
    let text = flat(&stdout(&run(
        tmp.path(),
        &["summary", file.to_str().unwrap()],
    )));
    assert!(
        text.contains("not fundable as planned: remaining off-the-job hours"),
        "{text}"
    );
    assert!(text.contains("— the provider decides"), "{text}");
    assert!(!text.contains("held at the minimum"), "{text}");
    let json: Value = serde_json::from_str(&stdout(&run(
        tmp.path(),
        &["summary", file.to_str().unwrap(), "--format", "json"],
    )))
    .unwrap();
    let e = &json["prior_learning"]["estimate"];
    let fundable = e["fundable"].as_bool().unwrap();
    let hours = e["hours_left"].as_f64().unwrap();
    assert_eq!(
        fundable,
        hours >= 187.0 && e["months_left"].as_f64().unwrap() >= 8.0
    );
    // Per-duty Yes/Some/No counts in the JSON summary.
    let parts = json["prior_learning"]["agreed"]["parts"]
        .as_array()
        .unwrap();
    assert_eq!(parts.len(), 11);
    let total: u64 = parts
        .iter()
        .map(|p| {
            ["yes", "some", "no", "unanswered"]
                .iter()
                .map(|k| p["counts"][k].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();
    assert_eq!(total, 25);
}

#[test]
fn list_of_the_data_folder_leaves_the_outbox_out() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    storage::create_private_dir(&data.join("scans")).unwrap();
    storage::create_private_dir(&data.join("outbox")).unwrap();
    save_submitted_sample(&data.join("scans/s.json"));
    std::fs::write(data.join("outbox/m1.eml"), b"Subject: x\r\n\r\nbody\r\n").unwrap();
    std::fs::write(data.join("outbox/m1.json"), br#"{"to": ["a@example.org"]}"#).unwrap();
    let table = stdout(&run(tmp.path(), &["list", data.to_str().unwrap()]));
    assert!(table.contains("scans/s.json"), "{table}");
    assert!(!table.contains("m1.json"), "{table}");
    assert!(!table.contains("could not be read"), "{table}");
}
