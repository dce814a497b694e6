//! The scan file's JSON Schema: the committed `data/scan.schema.json` is what the types generate,
//! `skills-scan schema` prints it, and real scan files validate against it (jsonschema crate).

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use skills_scan::commands::schema::scan_schema_json;
use skills_scan::core::scan::{EmailLogEntry, EmailResult, Rating, SCAN_FORMAT_VERSION};
use skills_scan::core::{Scan, Standard};
use skills_scan::sample;
use skills_scan::storage;

use crate::support;

const COMMITTED: &str = include_str!("../../data/scan.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(COMMITTED).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid JSON Schema")
}

fn errors(instance: &Value) -> Vec<String> {
    let v = validator();
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn submitted() -> Scan {
    let standard = Standard::embedded().expect("standard");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .expect("time");
    sample::submitted_scan(&standard, 31, now)
}

fn as_file_json(scan: &Scan) -> Value {
    serde_json::from_slice(&storage::to_bytes(scan)).expect("JSON")
}

#[test]
fn committed_schema_is_up_to_date() {
    assert!(
        COMMITTED == scan_schema_json(),
        "data/scan.schema.json is out of date with the scan types. \
         Regenerate it with `cargo run -- schema > data/scan.schema.json`, review the diff \
         (a change to the file format may need a new format_version) and commit it."
    );
}

#[test]
fn schema_command_prints_the_committed_schema() {
    // A home that does not exist: the schema needs no folder or config.
    let out = support::run(
        std::path::Path::new("/nonexistent/skills-scan-test"),
        &["schema"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout) == COMMITTED,
        "`skills-scan schema` differs from data/scan.schema.json"
    );
}

#[test]
fn schema_describes_a_closed_versioned_object() {
    let schema: Value = serde_json::from_str(COMMITTED).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are refused"
    );
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in [
        "format",
        "format_version",
        "id",
        "learner",
        "manager",
        "standard",
        "status",
    ] {
        assert!(required.contains(&field), "{field} is required");
    }
}

#[test]
fn a_submitted_sample_scan_validates() {
    let problems = errors(&as_file_json(&submitted()));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_new_empty_scan_validates() {
    let standard = Standard::embedded().expect("standard");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time");
    let scan = Scan::new(&standard, "0c0ffee0-0000-4000-8000-000000000000", now);
    let problems = errors(&as_file_json(&scan));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_reviewed_and_emailed_scan_validates() {
    let mut scan = submitted();
    let at = Utc
        .with_ymd_and_hms(2026, 12, 1, 14, 0, 0)
        .single()
        .expect("time");
    scan.set_agreed_rating(&"d2-skills".into(), Some(Rating::Yes), at);
    scan.set_agreed_note(&"d2-skills".into(), "Seen in practice at the drop-in.", at);
    let review = scan.review_mut();
    review.validation.coach_name = "Kofi Okafor".into();
    review.validation.manager_name = "Zofia Nowak".into();
    review.validation.validated_by_manager = true;
    review.validation.meeting_date = Some(at.date_naive());
    review.validation.recorded_at = Some(at);
    scan.email_log.push(EmailLogEntry {
        at,
        to: vec![scan.learner.email.clone(), scan.manager.email.clone()],
        message_id: "<skills-scan.1@example.org>".into(),
        result: EmailResult::Sent,
    });
    scan.email_log.push(EmailLogEntry {
        at,
        to: vec![scan.learner.email.clone()],
        message_id: "<skills-scan.2@example.org>".into(),
        result: EmailResult::Queued {
            reason: "connection refused".into(),
        },
    });
    let problems = errors(&as_file_json(&scan));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let good = as_file_json(&submitted());
    let mut bad_rating = good.clone();
    bad_rating["answers"]["d1-skills"]["rating"] = json!("maybe");
    let mut unknown_field = good.clone();
    unknown_field["favourite_colour"] = json!("green");
    let mut no_learner = good.clone();
    no_learner
        .as_object_mut()
        .expect("object")
        .remove("learner");
    let mut bad_time = good;
    bad_time["created"] = json!("yesterday");
    for (what, instance) in [
        ("a rating that is not yes/some/no", bad_rating),
        ("an unknown field", unknown_field),
        ("a missing learner", no_learner),
        ("a date-time that is not one", bad_time),
    ] {
        assert!(!errors(&instance).is_empty(), "schema accepted {what}");
    }
}

#[test]
fn the_format_version_written_is_the_one_read() {
    let v = as_file_json(&submitted());
    assert_eq!(v["format"], "skills-scan");
    assert_eq!(v["format_version"], SCAN_FORMAT_VERSION);
}
