//! What an admin on a real server, or someone handing over a crafted file, must not be able to
//! do through the real binary: make an output replace an input, change the mode of a folder the
//! program did not make, hang a command with a password helper, or stop a cohort walk with one
//! unreadable entry.
// Unix only: Unix modes, FIFOs, links, process groups and other users.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use chrono::{TimeZone, Utc};
use skills_scan::storage;

use crate::support::command as bin;
use crate::support::run;
use crate::support::text;

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// A cohort folder of `n` submitted scans (seeds from 0); returns their paths.
fn cohort(dir: &Path, n: usize) -> Vec<std::path::PathBuf> {
    crate::support::cohort(dir, 0, n)
}

/// Runs `export` of the cohort folder `dir` with `args` in `home`.
fn export(home: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["export", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    run(home, &all)
}

// ---------- outputs never replace inputs ----------

#[test]
fn csv_over_a_scan_file_is_refused_and_the_scan_is_untouched() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    let files = cohort(&dir, 2);
    let before = fs::read(&files[1]).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "export",
            dir.to_str().unwrap(),
            "--csv",
            files[1].to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let o = run(home.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(
            text(&o).contains("never writes over a scan"),
            "{}",
            text(&o)
        );
        assert_eq!(fs::read(&files[1]).unwrap(), before);
    }
    // A scan outside the walk (any .json, or any file holding a scan) is refused too.
    let elsewhere = home.path().join("other-scan.txt");
    fs::copy(&files[0], &elsewhere).unwrap();
    let o = export(
        home.path(),
        &dir,
        &["--csv", elsewhere.to_str().unwrap(), "--force"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(fs::read(&elsewhere).unwrap(), fs::read(&files[0]).unwrap());
}

#[test]
fn csv_over_an_existing_file_needs_force_and_a_new_csv_in_the_cohort_is_fine() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    cohort(&dir, 2);
    let notes = home.path().join("notes.csv");
    fs::write(&notes, "my own notes\n").unwrap();
    let o = export(home.path(), &dir, &["--csv", notes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--force"), "{}", text(&o));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "my own notes\n");
    let o = export(
        home.path(),
        &dir,
        &["--csv", notes.to_str().unwrap(), "--force"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(fs::read_to_string(&notes).unwrap().lines().count() == 3);
    // A new spreadsheet inside the cohort folder is allowed, and is not read as a scan after.
    let inside = dir.join("cohort.csv");
    let o = export(home.path(), &dir, &["--csv", inside.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("2 scan file(s)"), "{}", text(&o));
}

#[test]
fn eml_names_are_unique_per_scan_and_never_replace_a_file_not_made() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    let files = cohort(&dir, 1);
    // The same scan under two paths that used to give one .eml name: a/b.json and a__b.json.
    fs::create_dir(dir.join("a")).unwrap();
    fs::copy(&files[0], dir.join("a/b.json")).unwrap();
    fs::copy(&files[0], dir.join("a__b.json")).unwrap();
    fs::remove_file(&files[0]).unwrap();
    let out = home.path().join("eml");
    let o = export(
        home.path(),
        &dir,
        &["--eml-dir", out.to_str().unwrap(), "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["written"].as_array().unwrap().len(), 2);
    assert_eq!(
        fs::read_dir(&out).unwrap().count(),
        2,
        "two files for two messages"
    );
    // Again: the .eml files exist and were not made by this run, so they are left alone.
    let before: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| fs::read(e.unwrap().path()).unwrap())
        .collect();
    let o = export(home.path(), &dir, &["--eml-dir", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--force"), "{}", text(&o));
    let after: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(before, after);
    let o = export(
        home.path(),
        &dir,
        &["--eml-dir", out.to_str().unwrap(), "--force"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

// ---------- modes only on what the program made ----------

#[test]
fn existing_folders_keep_their_mode_eml_dir_and_config_init() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    cohort(&dir, 1);
    // The cohort folder itself as the .eml folder (`export . --eml-dir .`).
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    let o = export(home.path(), &dir, &["--eml-dir", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&dir), 0o755);
    // A shared sticky folder.
    let shared = home.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let o = export(home.path(), &dir, &["--eml-dir", shared.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&shared), 0o1777);
    // A folder it creates is owner-only.
    let made = home.path().join("made/eml");
    let o = export(home.path(), &dir, &["--eml-dir", made.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&made), 0o700);
    // config init into an existing folder.
    let conf_dir = home.path().join("etc");
    fs::create_dir(&conf_dir).unwrap();
    fs::set_permissions(&conf_dir, fs::Permissions::from_mode(0o1777)).unwrap();
    let o = bin(home.path())
        .env("SKILLS_SCAN_CONFIG", conf_dir.join("config.toml"))
        .args(["config", "init"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&conf_dir), 0o1777);
    assert_eq!(mode(&conf_dir.join("config.toml")), 0o600);
}

/// Run as root, a child running as `nobody` exports into a root-owned shared sticky folder (as
/// `/tmp` is): the folder keeps its mode, so other users are not locked out.
#[test]
fn another_user_exporting_into_a_shared_sticky_folder_leaves_its_mode() {
    use std::os::unix::process::CommandExt;
    if !fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0) {
        eprintln!("not root: the other-user half of this test needs root to switch user");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    fs::set_permissions(home.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = home.path().join("cohort");
    let files = cohort(&dir, 2);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    for f in &files {
        std::os::unix::fs::chown(f, Some(65534), Some(65534)).unwrap();
    }
    let shared = home.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let o = bin(home.path())
        .env("SKILLS_SCAN_DATA_DIR", shared.join("nobody-data"))
        .env("SKILLS_SCAN_CONFIG", shared.join("nobody-config.toml"))
        .env("HOME", &shared)
        .args([
            "export",
            dir.to_str().unwrap(),
            "--eml-dir",
            shared.to_str().unwrap(),
        ])
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&shared), 0o1777);
    let emls: Vec<_> = fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(emls.len(), 2, "{}", text(&o));
    for e in emls {
        assert_eq!(
            std::os::unix::fs::MetadataExt::uid(&fs::metadata(&e).unwrap()),
            65534
        );
        assert_eq!(mode(&e), 0o600);
    }
}

// ---------- a password helper that hangs ----------

fn hanging_helper_config(home: &Path) -> std::time::Duration {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The helper starts a child of its own that would hold the pipe open: both are stopped.
    fs::write(
        home.join("config.toml"),
        format!(
            "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nusername = \"skills-scan\"\nfrom = \"Skills scan <skills-scan@example.org>\"\npassword_command = \"sleep 60; echo late\"\npassword_command_timeout_seconds = 1\n"
        ),
    )
    .unwrap();
    // Generous: the helper alone would take 60 s.
    std::time::Duration::from_secs(30)
}

#[test]
fn a_hanging_password_command_is_stopped_with_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let limit = hanging_helper_config(home.path());
    let started = std::time::Instant::now();
    let o = run(home.path(), &["config", "test-smtp"]);
    assert!(started.elapsed() < limit, "took {:?}", started.elapsed());
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("did not finish within 1 seconds"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("password_command_timeout_seconds"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_learners_submit_with_a_hanging_password_command_ends_queued() {
    let home = tempfile::tempdir().unwrap();
    let limit = hanging_helper_config(home.path());
    let answers =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain/answers.txt"))
            .unwrap();
    let started = std::time::Instant::now();
    let o = crate::support::piped(bin(home.path()).args(["new", "--plain"]), &answers);
    assert!(started.elapsed() < limit, "took {:?}", started.elapsed());
    // The scan is submitted, its log says queued with the reason, and the message waits.
    let files = storage::scan_files(&home.path().join("data/scans")).unwrap();
    assert_eq!(files.len(), 1, "{}", text(&o));
    let scan = storage::load(&files[0]).unwrap();
    assert!(scan.is_submitted());
    let last = scan.email_log.last().expect("the outcome is recorded");
    match &last.result {
        skills_scan::core::scan::EmailResult::Queued { reason } => {
            assert!(reason.contains("password_command"), "{reason}");
        }
        other => panic!("not queued: {other:?}"),
    }
    let outbox = run(home.path(), &["outbox"]);
    assert!(
        text(&outbox).contains("1 message waiting"),
        "{}",
        text(&outbox)
    );
}

// ---------- cohort walks go on past what they cannot read ----------

#[test]
fn walks_go_on_past_unreadable_folders_fifos_and_dangling_links_and_follow_links() {
    use std::os::unix::process::CommandExt;
    let home = tempfile::tempdir().unwrap();
    fs::set_permissions(home.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = home.path().join("cohort");
    let files = cohort(&dir, 2);
    // A scan kept elsewhere, linked into the cohort.
    let elsewhere = home.path().join("elsewhere");
    let linked = cohort(&elsewhere, 3).pop().unwrap();
    std::os::unix::fs::symlink(&linked, dir.join("linked.json")).unwrap();
    std::os::unix::fs::symlink(home.path().join("gone.json"), dir.join("dangling.json")).unwrap();
    let fifo = dir.join("pipe.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let locked = dir.join("lost+found");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("hidden.json"), "{}").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let root =
        fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0);
    // Root reads any folder: run the walks as `nobody`, to whom the folder is closed.
    let as_user = |args: &[&str]| {
        let mut cmd = bin(home.path());
        cmd.args(args);
        if root {
            for p in [&dir, &elsewhere] {
                for e in fs::read_dir(p).unwrap() {
                    let path = e.unwrap().path();
                    if path != locked {
                        let _ = std::os::unix::fs::lchown(&path, Some(65534), Some(65534));
                    }
                }
            }
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
            fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o755)).unwrap();
            cmd.uid(65534).gid(65534).env("HOME", &dir);
        }
        cmd.output().unwrap()
    };
    let o = as_user(&["list", dir.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for name in &files {
        assert!(
            out.contains(name.file_name().unwrap().to_str().unwrap()),
            "{out}"
        );
    }
    assert!(out.contains("linked.json (link)"), "{out}");
    for each in ["lost+found", "pipe.json", "dangling.json"] {
        assert!(
            out.contains(each),
            "{each} is reported by its own path:\n{out}"
        );
    }
    let csv = home.path().join("out").join("cohort.csv");
    fs::create_dir(csv.parent().unwrap()).unwrap();
    fs::set_permissions(csv.parent().unwrap(), fs::Permissions::from_mode(0o777)).unwrap();
    let o = as_user(&[
        "export",
        dir.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(
        fs::read_to_string(&csv).unwrap().lines().count(),
        4,
        "header + 2 + the link"
    );
    assert!(out.contains("linked.json is a link to"), "{out}");
    for each in ["lost+found", "pipe.json", "dangling.json"] {
        assert!(out.contains(each), "{each} is reported:\n{out}");
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn a_scan_opened_through_a_link_is_saved_and_locked_at_the_real_file() {
    use skills_scan::core::draft::{Draft, Reviewing};
    use skills_scan::session::Session;
    let home = tempfile::tempdir().unwrap();
    let real = cohort(&home.path().join("real"), 1).pop().unwrap();
    let link = home.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (mut session, mut review): (Session, Draft<Reviewing>) = Session::open(&link).unwrap();
    // The learner's path and the coach's path exclude each other.
    assert!(Session::open::<Reviewing>(&real).is_err());
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let first = review.answers.keys().next().unwrap().clone();
    review.set_agreed_note(&first, "Agreed through the link.", now);
    session.save(&mut review).unwrap();
    drop(session);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let saved = storage::load(&real).unwrap();
    assert_eq!(
        saved.review.unwrap().agreed[&first].note,
        "Agreed through the link."
    );
}

// ---------- the smaller points ----------

#[test]
fn a_byte_order_mark_is_accepted_in_a_scan_file_and_in_piped_answers() {
    let home = tempfile::tempdir().unwrap();
    let file = cohort(&home.path().join("c"), 1).pop().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(&file).unwrap());
    fs::write(&file, &bytes).unwrap();
    let o = run(home.path(), &["summary", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut answers = b"\xEF\xBB\xBF".to_vec();
    answers.extend(
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain/answers.txt"))
            .unwrap(),
    );
    let o = crate::support::piped(bin(home.path()).args(["new", "--plain"]), &answers);
    let files = storage::scan_files(&home.path().join("data/scans")).unwrap();
    assert_eq!(files.len(), 1, "{}", text(&o));
    // The name is the first line, without the mark.
    assert_eq!(
        storage::load(&files[0]).unwrap().learner.name,
        "Siân Ŵyn Roberts"
    );
}

#[test]
fn a_password_key_in_the_config_is_refused_with_where_the_password_goes() {
    let home = tempfile::tempdir().unwrap();
    fs::write(
        home.path().join("config.toml"),
        "[smtp]\nhost = \"smtp.example.org\"\nfrom = \"a@example.org\"\npassword = \"hunter2\"\n",
    )
    .unwrap();
    let o = run(home.path(), &["config"]);
    assert_eq!(o.status.code(), Some(78), "{}", text(&o));
    assert!(
        text(&o).contains("SKILLS_SCAN_SMTP_PASSWORD"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("password_command"), "{}", text(&o));
    assert!(!text(&o).contains("hunter2"), "{}", text(&o));
}

#[test]
fn a_fifo_in_the_outbox_is_reported_not_waited_on() {
    let home = tempfile::tempdir().unwrap();
    let outbox = home.path().join("data/outbox");
    fs::create_dir_all(&outbox).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(outbox.join("1-stuck.json"))
            .status()
            .unwrap()
            .success()
    );
    let mut child = bin(home.path())
        .arg("outbox")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("`outbox` waited on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("not a regular file"), "{}", text(&o));
}

/// `| head` closing the pipe early: every command that prints ends quietly (no panic, 0).
#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cohort");
    let files = cohort(&dir, 30);
    // Thirty queued messages for `outbox`.
    for f in &files {
        let _ = run(home.path(), &["send", f.to_str().unwrap()]);
    }
    let file = files[0].to_str().unwrap();
    let d = dir.to_str().unwrap();
    for args in [
        &["outbox"][..],
        &["schema"],
        &["standard"],
        &["standard", "--json"],
        &["summary", file],
        &["summary", "--format", "html", file],
        &["list", d],
        &["list", "--json", d],
        &["export", d, "--dry-run"],
        &["config"],
        &["--help"],
    ] {
        let mut child = bin(home.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}
