//! Reading bad scan files through the library: each kind gives an error that names the file and
//! says what is wrong, and the file is left byte-for-byte as it was (never rewritten or deleted).

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use skills_scan::core::Standard;
use skills_scan::core::scan::SCAN_FORMAT_VERSION;
use skills_scan::sample;
use skills_scan::storage::{self, LoadError, MAX_SCAN_BYTES};

/// A valid scan file's JSON, to damage.
fn valid_json() -> Value {
    let standard = Standard::embedded().expect("embedded standard");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .expect("time");
    let scan = sample::submitted_scan(&standard, 21, now);
    serde_json::from_slice(&storage::to_bytes(&scan)).expect("own output is JSON")
}

fn pretty(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).expect("serialise")
}

/// Writes `bytes` as a scan file, loads it, and checks the error names the file and contains
/// each expected text, and that the file is unchanged and still there.
fn assert_bad(bytes: &[u8], expected: &[&str]) -> LoadError {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("2026-11-23-sam-taylor-1a2b3c4d.json");
    fs::write(&path, bytes).expect("write");
    let err = storage::load(&path).expect_err("must not load");
    check(&path, &err, expected);
    assert_eq!(
        fs::read(&path).expect("file still there"),
        bytes,
        "file changed"
    );
    err
}

fn check(path: &Path, err: &LoadError, expected: &[&str]) {
    let text = err.to_string();
    assert_eq!(err.path(), path);
    assert!(
        text.contains(&path.display().to_string()),
        "names the file: {text}"
    );
    for e in expected {
        assert!(text.contains(e), "expected `{e}` in: {text}");
    }
}

#[test]
fn empty_file() {
    let err = assert_bad(b"", &["is empty", "holds no scan"]);
    assert!(matches!(err, LoadError::Empty { .. }));
    let err = assert_bad(b"  \n\n", &["is empty"]);
    assert!(matches!(err, LoadError::Empty { .. }));
}

#[test]
fn truncated_json() {
    let full = pretty(&valid_json());
    let cut = &full[..full.len() / 2];
    let err = assert_bad(cut, &["ends too early", "cut short", "line "]);
    assert!(matches!(err, LoadError::Syntax { .. }), "{err:?}");
}

#[test]
fn not_json() {
    let err = assert_bad(
        b"Learner: Sam Taylor\nDuty 1: Yes\n",
        &["not a readable scan file", "line 1, column 1"],
    );
    assert!(matches!(err, LoadError::Syntax { .. }), "{err:?}");
    // Binary junk too.
    assert_bad(
        &[0xff, 0xfe, 0x00, 0x7b, 0x01],
        &["not a readable scan file"],
    );
}

#[test]
fn json_but_not_an_object() {
    for (bytes, kind) in [
        (&b"[\"skills-scan\", 2]"[..], "an array"),
        (b"\"skills-scan\"", "a string"),
        (b"42", "a number"),
        (b"null", "null"),
    ] {
        let err = assert_bad(
            bytes,
            &["not a skills-scan file", kind, "rather than an object"],
        );
        assert!(matches!(err, LoadError::NotAScan { .. }), "{err:?}");
    }
}

#[test]
fn json_object_that_is_not_a_scan() {
    let err = assert_bad(br#"{"name": "package.json"}"#, &["no `format` field"]);
    assert!(matches!(err, LoadError::NotAScan { .. }));
    assert_bad(
        br#"{"format": "skills-scan-standard", "format_version": 1}"#,
        &["its format is `skills-scan-standard`, not `skills-scan`"],
    );
    assert_bad(
        br#"{"format": 7, "format_version": 1}"#,
        &["`format` is a number"],
    );
}

#[test]
fn valid_json_of_the_wrong_shape() {
    let mut v = valid_json();
    v["learner"]["email"] = json!(42);
    let err = assert_bad(
        &pretty(&v),
        &["damaged scan file", "invalid type: integer `42`", "line "],
    );
    assert!(matches!(err, LoadError::Invalid { .. }));

    let mut v = valid_json();
    v.as_object_mut().expect("object").remove("learner");
    assert_bad(
        &pretty(&v),
        &["damaged scan file", "missing field `learner`"],
    );

    let mut v = valid_json();
    v["favourite_colour"] = json!("green");
    assert_bad(&pretty(&v), &["unknown field `favourite_colour`"]);

    let mut v = valid_json();
    v["answers"]["d1-skills"]["rating"] = json!("maybe");
    assert_bad(&pretty(&v), &["unknown variant `maybe`"]);
}

#[test]
fn oversized_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.json");
    let file = fs::File::create(&path).expect("create");
    // Sparse: takes no disk space, but reports a size over the limit.
    file.set_len(MAX_SCAN_BYTES + 1).expect("set_len");
    drop(file);
    let err = storage::load(&path).expect_err("too large");
    check(
        &path,
        &err,
        &[
            "too large to be a scan file",
            &(MAX_SCAN_BYTES + 1).to_string(),
        ],
    );
    assert!(matches!(err, LoadError::TooLarge { .. }));
    assert_eq!(
        fs::metadata(&path).expect("still there").len(),
        MAX_SCAN_BYTES + 1
    );
}

#[test]
fn newer_format_version() {
    let mut v = valid_json();
    v["format_version"] = json!(9);
    let err = assert_bad(
        &pretty(&v),
        &[
            "made by a newer skills-scan (version 9)",
            "Update skills-scan",
        ],
    );
    assert!(matches!(
        err,
        LoadError::NewerVersion {
            version: 9,
            supported: SCAN_FORMAT_VERSION,
            ..
        }
    ));
}

#[test]
fn version_zero_missing_or_not_a_number() {
    let mut v = valid_json();
    v["format_version"] = json!(0);
    assert_bad(&pretty(&v), &["format_version 0 does not exist"]);
    let mut v = valid_json();
    v.as_object_mut().expect("object").remove("format_version");
    assert_bad(&pretty(&v), &["no `format_version` field"]);
    let mut v = valid_json();
    v["format_version"] = json!("1");
    assert_bad(
        &pretty(&v),
        &["`format_version` is \"1\", not a whole number"],
    );
    let mut v = valid_json();
    v["format_version"] = json!(-1);
    assert_bad(&pretty(&v), &["not a whole number"]);
}

#[test]
fn snapshot_contradicting_itself() {
    // The snapshot's KSB list loses B5: a behaviour question now names an unknown KSB.
    let mut v = valid_json();
    let ksbs = v["standard"]["snapshot"]["ksbs"]
        .as_array_mut()
        .expect("ksbs");
    ksbs.retain(|k| k["code"] != "B5");
    let err = assert_bad(
        &pretty(&v),
        &[
            "damaged scan file",
            "standard snapshot:",
            "unknown KSB `B5`",
        ],
    );
    assert!(matches!(err, LoadError::Invalid { .. }));

    // The reference says one standard, the snapshot another.
    let mut v = valid_json();
    v["standard"]["reference"] = json!("ST0001");
    assert_bad(
        &pretty(&v),
        &["standard is ST0001 v1.0 but its snapshot is ST0896 v1.0"],
    );
}

#[test]
fn answer_for_an_unknown_question() {
    let mut v = valid_json();
    v["answers"]["d11-skills"] = json!({"rating": "yes", "text": "Invented."});
    let err = assert_bad(
        &pretty(&v),
        &[
            "damaged scan file",
            "answer for unknown question `d11-skills`",
        ],
    );
    assert!(matches!(err, LoadError::Invalid { .. }));
}

#[test]
fn several_problems_are_counted() {
    let mut v = valid_json();
    v["answers"]["x1"] = json!({"text": ""});
    v["answers"]["x2"] = json!({"text": ""});
    v["answers"]["x3"] = json!({"text": ""});
    assert_bad(
        &pretty(&v),
        &["unknown question `x1`", "(and 2 more problems)"],
    );
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("absent.json");
    let err = storage::load(&path).expect_err("missing");
    check(&path, &err, &["cannot read"]);
    assert!(matches!(err, LoadError::Io { .. }));
    assert!(!path.exists(), "loading never creates the file");
}

#[test]
fn a_valid_file_loads_after_all() {
    // The damaged copies above differ from this one only in the damage.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("good.json");
    fs::write(&path, pretty(&valid_json())).expect("write");
    let scan = storage::load(&path).expect("valid");
    assert!(scan.is_submitted());
    assert!(scan.learner.email.ends_with("@example.org"));
}

#[test]
fn a_folder_or_device_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("looks-like-a-scan.json");
    fs::create_dir(&folder).expect("mkdir");
    let err = storage::load(&folder).expect_err("a folder");
    check(&folder, &err, &["not a regular file"]);
    let zero = Path::new("/dev/zero");
    if zero.exists() {
        let err = storage::load(zero).expect_err("a device");
        check(zero, &err, &["not a regular file"]);
    }
}
