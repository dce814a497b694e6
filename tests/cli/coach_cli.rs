//! `skills-scan open` outside a terminal and with bad files: clear errors and the exit codes
//! scripts expect, and no lock file left for a file that does not exist.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Output, Stdio};

use crate::support;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/coach-submitted.json"
);

fn open(home: &Path, file: &Path) -> Output {
    support::command(home)
        .args(["open", file.to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn missing_file_is_66_without_a_lock_file() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("nobody.json");
    let o = open(home.path(), &file);
    assert_eq!(o.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nobody.json"));
    assert!(!home.path().join("nobody.json.lock").exists());
}

#[test]
fn damaged_file_is_65_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("damaged.json");
    std::fs::write(&file, b"{\"format\":\"skills-scan\",\"format_version\":1}").unwrap();
    let o = open(home.path(), &file);
    assert_eq!(o.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&o.stderr).contains("damaged.json"));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"{\"format\":\"skills-scan\",\"format_version\":1}"
    );
}

#[test]
fn without_a_terminal_it_points_to_summary() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("scan.json");
    std::fs::copy(FIXTURE, &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let o = open(home.path(), &file);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("needs a terminal") && err.contains("skills-scan summary"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}
