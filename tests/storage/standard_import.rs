//! `standard import` / `standard list` and scans on an imported standard: the Peer worker in the
//! Institute's published JSON imports to exactly the embedded standard's KSBs and mapping; a
//! core-and-options standard asks the learner's option and only that scope (plain and PTY).
// Unix only: its PTY test and file-mode checks are Unix-only; the import itself is covered by core::import unit tests under Wine.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use skills_scan::core::import;
use skills_scan::core::{KsbCode, QuestionId, Standard};

use crate::support::pty::{App, NO_COLOR};
use crate::support::{self, Home, text};

const PEER_WORKER: &str = "tests/fixtures/published/peer-worker-st0896.json";
const COMMUNITY: &str = "tests/fixtures/published/community-helper-st9901.json";

fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    support::piped(support::command(dir).args(args), stdin.as_bytes())
}

/// Runs `args` in `dir`, which must end with exit `code`, saying `says`.
fn ends_saying(dir: &Path, args: &[&str], code: i32, says: &str) {
    let out = run(dir, args, "");
    assert_eq!(out.status.code(), Some(code), "{}", text(&out));
    assert!(text(&out).contains(says), "{}", text(&out));
}

/// A fresh home with the standard in `file` imported.
fn with_imported(file: &str) -> Home {
    let home = Home::new();
    let out = run(home.path(), &["standard", "import", file], "");
    assert!(out.status.success(), "{}", text(&out));
    home
}

fn imported(path: &str) -> import::Imported {
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut records = import::parse(&text).expect("a published standard");
    assert_eq!(records.len(), 1);
    records.remove(0).result.expect("imports")
}

#[test]
fn peer_worker_in_published_json_imports_to_the_embedded_ksbs_and_mapping() {
    let ours = imported(PEER_WORKER).standard;
    let embedded = Standard::embedded().expect("embedded");
    assert_eq!(ours.reference, embedded.reference);
    assert_eq!(ours.version, embedded.version);
    assert_eq!(ours.title, embedded.title);
    assert_eq!(ours.level, embedded.level);
    assert_eq!(ours.ksbs, embedded.ksbs, "KSB codes and texts");
    let mapping = |s: &Standard| -> Vec<(u32, String, Vec<KsbCode>)> {
        s.duties
            .iter()
            .map(|d| (d.number, d.title.clone(), d.ksbs.clone()))
            .collect()
    };
    assert_eq!(mapping(&ours), mapping(&embedded), "duty -> KSB mapping");
    // The generated questions cover what the form's do, under the same ids.
    let questions = |s: &Standard| -> Vec<(QuestionId, Vec<KsbCode>)> {
        s.questions()
            .map(|l| (l.question.id.clone(), l.question.ksbs.clone()))
            .collect()
    };
    assert_eq!(questions(&ours), questions(&embedded));
}

fn file_mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("exists").permissions().mode() & 0o777
}

fn installed_file(dir: &Path, name: &str) -> PathBuf {
    dir.join("data").join("standards").join(name)
}

#[test]
fn import_writes_an_owner_only_file_and_never_overwrites_without_force() {
    let home = Home::new();
    let dir = home.path();
    let out = run(dir, &["standard", "import", PEER_WORKER], "");
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("Imported ST0896 v1.0 Peer worker (level 3)"),
        "{said}"
    );
    assert!(
        said.contains("113 KSBs (58 knowledge, 50 skills, 5 behaviours), 10 duties, 25 questions"),
        "{said}"
    );
    let file = installed_file(dir, "st0896-1.0-peer-worker.toml");
    assert_eq!(file_mode(&file), 0o600);
    assert_eq!(file_mode(file.parent().unwrap()), 0o700);
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("edit them freely"),
        "the file tells the provider it may be edited"
    );
    let loaded = Standard::from_toml(&written).expect("the loader reads it");
    assert_eq!(loaded, imported(PEER_WORKER).standard);

    std::fs::write(&file, format!("# my edits\n{written}")).unwrap();
    ends_saying(
        dir,
        &["standard", "import", PEER_WORKER],
        1,
        "already installed",
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("# my edits")
    );

    let forced = run(dir, &["standard", "import", PEER_WORKER, "--force"], "");
    assert!(forced.status.success(), "{}", text(&forced));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    assert_eq!(file_mode(&file), 0o600);
}

#[test]
fn list_shows_embedded_and_installed_and_reference_picks_one() {
    let home = with_imported(COMMUNITY);
    let dir = home.path();
    std::fs::write(installed_file(dir, "broken.toml"), "format = ").unwrap();
    let out = run(dir, &["standard", "list"], "");
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("REFERENCE  VERSION  TITLE"), "{said}");
    assert!(said.contains("ST0896     1.0      Peer worker"), "{said}");
    assert!(said.contains("(embedded)"), "{said}");
    assert!(
        said.contains("Community activity helper (2 options)  2"),
        "{said}"
    );
    assert!(
        said.contains("st9901-1.0-community-activity-helper.toml"),
        "{said}"
    );
    assert!(
        said.contains("unreadable: the standard file") && said.contains("broken.toml"),
        "{said}"
    );

    let shown = run(dir, &["standard", "--standard", "st9901:1.0", "--json"], "");
    assert!(shown.status.success(), "{}", text(&shown));
    let json: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(json["title"], "Community activity helper");
    ends_saying(
        dir,
        &["standard", "--standard", "ST0001"],
        66,
        "no standard ST0001 is installed",
    );
}

#[test]
fn bad_files_are_refused_with_what_is_wrong() {
    let home = Home::new();
    let dir = home.path();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"format\": \"skills-scan\", \"id\": 1}").unwrap();
    ends_saying(
        dir,
        &["standard", "import", bad.to_str().unwrap()],
        65,
        "this is not a published standard",
    );

    std::fs::write(&bad, "not json").unwrap();
    ends_saying(
        dir,
        &["standard", "import", bad.to_str().unwrap()],
        65,
        "line 1, column 2: this is not valid JSON",
    );

    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(COMMUNITY).unwrap()).unwrap();
    v["skills"][2]["detail"] = Value::String(String::new());
    let mut good: Value =
        serde_json::from_str(&std::fs::read_to_string(PEER_WORKER).unwrap()).unwrap();
    good["duties"][0]["mappedSkills"]
        .as_array_mut()
        .unwrap()
        .push(Value::String("0000-no-such-skill".into()));
    std::fs::write(&bad, Value::Array(vec![v, good]).to_string()).unwrap();
    let out = run(dir, &["standard", "import", bad.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(65), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("Not imported: standard 1 (ST9901 v1.0) has 1 problem")
            && said.contains("skills[2] (S3): detail is empty"),
        "{said}"
    );
    assert!(
        said.contains("Imported ST0896 v1.0"),
        "the good one still imports: {said}"
    );
    assert!(
        said.contains("warning: duties[0] (Duty 1): mappedSkills names `0000-no-such-skill`"),
        "{said}"
    );

    ends_saying(
        dir,
        &["standard", "import", COMMUNITY, "--reference", "ST0999"],
        65,
        "holds no standard ST0999; it holds: ST9901 v1.0",
    );
    let out = run(dir, &["standard", "import", "no-such-file.json"], "");
    assert_eq!(out.status.code(), Some(66));
}

fn answers(n: usize, no_at: usize) -> String {
    use std::fmt::Write as _;
    let mut s =
        String::from("Sam Taylor\nsam.taylor@example.org\nalex.morgan@example.org\nAlex Morgan\n");
    for i in 0..n {
        if i == no_at {
            s.push_str("no\n.\n");
        } else {
            let _ = write!(s, "yes\nI do this, answer {i}.\n.\n");
        }
    }
    s.push_str("submit\n");
    s
}

#[test]
fn plain_scan_asks_standard_and_option_and_covers_only_that_scope() {
    let home = with_imported(COMMUNITY);
    let dir = home.path();
    // 2 = the installed Community activity helper; 2 = Indoor activities; then 8 questions.
    let input = format!("2\n2\n{}", answers(8, 3));
    let out = run(dir, &["new", "--plain"], &input);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("Which apprenticeship standard is this skills scan for?"),
        "{said}"
    );
    assert!(
        said.contains("2. ST9901 v1.0 Community activity helper (level 2)"),
        "{said}"
    );
    assert!(
        said.contains("Which option is your apprenticeship?"),
        "{said}"
    );
    assert!(said.contains("Run indoor activities safely"), "{said}");
    assert!(
        said.contains("option: Indoor activities"),
        "the summary names the option: {said}"
    );
    assert!(!said.contains("Run outdoor activities safely"), "{said}");

    let file = home.only_scan_file();
    let scan: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(scan["option"], "indoor-activities");
    let titles: Vec<&str> = scan["standard"]["snapshot"]["duties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Plan community activities with the group",
            "Run indoor activities safely",
            "Keep records and refer people on"
        ]
    );
    let summary = run(
        dir,
        &["summary", file.to_str().unwrap(), "--format", "json"],
        "",
    );
    assert!(summary.status.success(), "{}", text(&summary));
    let json: Value = serde_json::from_slice(&summary.stdout).unwrap();
    assert_eq!(json["questions"], 8);
    assert_eq!(json["answered"], 8);
    assert_eq!(json["counts"]["learner"]["no"], 1);
    // The figure is over the learner's scope only: the No on d2-knowledge (K4 of the indoor
    // option) is the one KSB of nine not met.
    let learner = &json["prior_learning"]["learner"];
    assert_eq!(
        learner["percent"], 89,
        "8 of the 9 KSBs in scope: {learner}"
    );
    assert_eq!(
        learner["parts"].as_array().unwrap().len(),
        4,
        "3 duties + behaviours"
    );
    let text_summary = run(dir, &["summary", file.to_str().unwrap()], "");
    let said = text(&text_summary);
    assert!(said.contains("Run indoor activities safely"), "{said}");
    assert!(!said.contains("outdoor activities safely"), "{said}");
}

/// The arguments of a plain scan on the installed ST9901 with `option` given by `--option`.
fn new_plain_with_option(option: &str) -> [&str; 6] {
    ["new", "--plain", "--standard", "ST9901", "--option", option]
}

#[test]
fn option_flag_and_unknown_option() {
    let home = with_imported(COMMUNITY);
    let dir = home.path();
    let out = run(
        dir,
        &new_plain_with_option("outdoor-activities"),
        &answers(8, 99),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        !text(&out).contains("Which"),
        "nothing is asked: {}",
        text(&out)
    );
    let scan = home.only_scan();
    assert_eq!(scan["option"], "outdoor-activities");
    ends_saying(
        dir,
        &new_plain_with_option("sailing"),
        2,
        "has no option `sailing`",
    );
}

#[test]
fn pty_learner_picks_an_option_and_sees_only_core_and_option_duties() {
    let home = with_imported(COMMUNITY);
    let dir = home.path();
    let mut app = App::start_with(dir, &["new", "--standard", "ST9901"], NO_COLOR);
    app.wait_for("Which option is your apprenticeship?");
    app.wait_for("1. Outdoor activities");
    app.send("1\r");
    app.wait_for("Initial skills scan");
    // End skips to the end of the welcome's reading, then PgDn begins.
    app.send("\x1b[F");
    app.send("\x1b[6~");
    app.wait_for("Your details");
    app.send("Sam Taylor\tsam.taylor@example.org\talex.morgan@example.org");
    app.send("\x1b[6~");
    app.wait_for("Duty 1 of 3: Plan community activities with the group");
    app.send("\x1b[6~");
    app.wait_for("Duty 2 of 3: Run outdoor activities safely");
    app.send("\x1b[6~");
    app.wait_for("Duty 3 of 3: Keep records and refer people on");
    app.send("\x1b[6~");
    app.wait_for("Behaviours (2 questions)");
    let raw = String::from_utf8_lossy(&app.raw.lock().unwrap()).into_owned();
    assert!(
        !raw.contains("Run indoor"),
        "the indoor option's duty was shown"
    );
    assert!(!raw.contains("Duty 4"), "a fourth duty was shown");
    app.send("q");
    assert_eq!(app.exit_code(), 0, "{}", app.screen());
    let scan = home.only_scan();
    assert_eq!(scan["option"], "outdoor-activities");
    assert_eq!(
        scan["standard"]["snapshot"]["duties"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}
