//! Scan files written by earlier builds keep opening: every `tests/fixtures/scans/vN-*.json` loads,
//! validates against today's schema after a save, and survives a save and reload unchanged.

use std::fs;
use std::path::PathBuf;

use skills_scan::core::scan::{EmailResult, Rating, SCAN_FORMAT_VERSION};
use skills_scan::storage;

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scans");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The version a fixture's name claims: `v1-….json` → 1.
fn claimed_version(path: &std::path::Path) -> u32 {
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    name.strip_prefix('v')
        .and_then(|r| r.split('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{name} should be named vN-….json"))
}

#[test]
fn there_is_a_fixture_for_every_version_up_to_the_current_one() {
    let versions: Vec<u32> = fixtures().iter().map(|p| claimed_version(p)).collect();
    for v in 1..=SCAN_FORMAT_VERSION {
        assert!(
            versions.contains(&v),
            "add a tests/fixtures/scans/v{v}-*.json written by format version {v}"
        );
    }
}

#[test]
fn every_older_file_loads_and_round_trips() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../data/scan.schema.json")).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for path in fixtures() {
        let raw: serde_json::Value =
            serde_json::from_slice(&fs::read(&path).expect("read")).expect("JSON");
        assert_eq!(
            raw["format_version"],
            claimed_version(&path),
            "{}",
            path.display()
        );
        let scan = storage::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().expect("temp dir");
        let copy = dir.path().join("copy.json");
        storage::save_atomically(&copy, &scan).expect("save");
        let saved: serde_json::Value =
            serde_json::from_slice(&fs::read(&copy).expect("read")).expect("JSON");
        assert_eq!(saved["format_version"], SCAN_FORMAT_VERSION);
        assert!(
            validator.is_valid(&saved),
            "{} saved now fails the schema",
            path.display()
        );
        assert_eq!(storage::load(&copy).expect("reload"), scan);
    }
}

#[test]
fn version_1_fixtures_say_what_they_said() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scans");
    let in_progress = storage::load(&dir.join("v1-in-progress.json")).expect("load");
    assert!(!in_progress.is_submitted());
    assert_eq!(in_progress.learner.name, "Siân Ŵyn");
    assert_eq!(in_progress.rating(&"d1-skills".into()), Some(Rating::Some));
    assert_eq!(in_progress.rating(&"d1-knowledge".into()), Some(Rating::No));
    assert_eq!(in_progress.answered_count(), 2);
    assert_eq!(in_progress.question_count(), 25);

    let reviewed = storage::load(&dir.join("v1-submitted-reviewed.json")).expect("load");
    assert!(reviewed.is_submitted());
    assert!(reviewed.is_validated());
    assert!(reviewed.was_emailed());
    assert_eq!(
        reviewed.effective_rating(&"d2-skills".into()),
        Some(Rating::Yes)
    );
    assert_eq!(reviewed.answered_count(), 25);
    assert_eq!(reviewed.email_log.len(), 2);
}

#[test]
fn version_1_interrupted_batch_send_migrates_to_the_sending_state() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scans");
    let scan = storage::load(&dir.join("v1-batch-interrupted.json")).expect("load");
    assert_eq!(scan.format_version, SCAN_FORMAT_VERSION);
    assert_eq!(scan.email_log.len(), 1);
    assert_eq!(scan.email_log[0].result, EmailResult::Sending);
    assert!(!scan.was_emailed());
    assert_eq!(
        skills_scan::batch::deliver::unfinished(&scan).map(|e| e.message_id.as_str()),
        Some("<skills-scan.batch-interrupted-42@example.org>"),
        "the next export must see the send cut off, not a message waiting in the outbox"
    );
    assert_eq!(skills_scan::batch::deliver::waiting_in_outbox(&scan), None);
}
