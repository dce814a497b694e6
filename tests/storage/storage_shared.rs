//! Shared folders: a cohort on a group share stays usable by everyone in the group after a save
//! (files keep their mode and group, lock files take the scan's), commands that only read write
//! nothing at all, a read-only scan is never replaced, and a scan that cannot be written opens
//! read-only. The group test runs its children as other users (uids), as root can.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use skills_scan::core::draft::{Draft, Reviewing};
use skills_scan::core::{Rating, Standard};
use skills_scan::session::Session;
use skills_scan::{sample, storage};

use crate::support;
use crate::support::now;

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Everything about a folder a command could change: names, bytes, sizes, times, permissions.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, String)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let meta = fs::metadata(&d).unwrap();
        out.insert(
            d.strip_prefix(dir).unwrap().to_path_buf(),
            (Vec::new(), describe(&meta)),
        );
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    (fs::read(&path).unwrap(), describe(&meta)),
                );
            }
        }
    }
    out
}

fn describe(meta: &fs::Metadata) -> String {
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::MetadataExt;
        format!("{:o} {}:{}", meta.mode(), meta.uid(), meta.gid())
    };
    #[cfg(not(unix))]
    let mode = format!("read-only {}", meta.permissions().readonly());
    format!("{} {:?} {mode}", meta.len(), meta.modified().ok())
}

/// A cohort folder: a submitted scan, one in progress, and a damaged file.
struct Cohort {
    dir: tempfile::TempDir,
    submitted: PathBuf,
    in_progress: PathBuf,
    damaged: PathBuf,
}

fn cohort() -> Cohort {
    let dir = tempfile::tempdir().unwrap();
    let standard = Standard::embedded().unwrap();
    let submitted = dir.path().join("2026-11-23-sam-taylor-00000001.json");
    storage::save_atomically(&submitted, &sample::submitted_scan(&standard, 1, now())).unwrap();
    let in_progress = dir.path().join("2026-11-23-priya-patel-00000002.json");
    let mut scan = skills_scan::core::Scan::new(&standard, "00000002-in-progress", now());
    scan.learner.name = "Priya Patel".into();
    let id = standard.questions().next().unwrap().question.id.clone();
    scan.set_rating(&id, Some(Rating::Some), now());
    scan.set_text(&id, "Half way there.", now());
    storage::save_atomically(&in_progress, &scan).unwrap();
    let damaged = dir.path().join("2026-11-23-cut-short-00000003.json");
    fs::write(&damaged, b"{\"format\": \"skills-scan\", \"format_ver").unwrap();
    Cohort {
        dir,
        submitted,
        in_progress,
        damaged,
    }
}

/// `summary`, `list`, `export --csv`, `export --dry-run` and `send` on files it will not send
/// change nothing in the folder: no lock file, no temporary file, no new time or permission.
#[test]
fn read_only_commands_leave_the_folder_byte_identical() {
    let c = cohort();
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let before = snapshot(c.dir.path());
    let run =
        |args: &[&std::ffi::OsStr]| support::command(home.path()).args(args).output().unwrap();
    let dir = c.dir.path().as_os_str();
    let csv = home.path().join("cohort.csv");
    let mut expectations: Vec<(Vec<&std::ffi::OsStr>, Option<i32>)> = Vec::new();
    for format in ["text", "markdown", "html", "json"] {
        expectations.push((
            vec![
                "summary".as_ref(),
                c.submitted.as_os_str(),
                "--format".as_ref(),
                format.as_ref(),
            ],
            Some(0),
        ));
    }
    expectations.extend([
        (vec!["summary".as_ref(), c.in_progress.as_os_str()], Some(0)),
        (vec!["summary".as_ref(), c.damaged.as_os_str()], Some(65)),
        (vec!["list".as_ref(), dir], Some(0)),
        (vec!["list".as_ref(), dir, "--json".as_ref()], Some(0)),
        (
            vec!["export".as_ref(), dir, "--csv".as_ref(), csv.as_os_str()],
            None,
        ),
        (vec!["export".as_ref(), dir, "--dry-run".as_ref()], None),
        (
            vec![
                "export".as_ref(),
                dir,
                "--dry-run".as_ref(),
                "--csv".as_ref(),
                csv.as_os_str(),
            ],
            None,
        ),
        (vec!["send".as_ref(), c.damaged.as_os_str()], Some(65)),
        (vec!["send".as_ref(), c.in_progress.as_os_str()], Some(65)),
    ]);
    for (args, code) in &expectations {
        let out = run(args);
        if let Some(code) = code {
            assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", text(&out));
        }
        assert_eq!(
            snapshot(c.dir.path()),
            before,
            "{args:?} changed the folder: {}",
            text(&out)
        );
    }
    assert!(csv.is_file(), "the spreadsheet was written where asked");
    assert!(
        !data.exists(),
        "nothing was written in the data folder either"
    );
}

/// A read-only scan (0444, or Windows' Read-only attribute) is never silently replaced.
#[test]
fn a_read_only_scan_is_refused_not_replaced() {
    let c = cohort();
    let before = fs::read(&c.submitted).unwrap();
    let mut perms = fs::metadata(&c.submitted).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&c.submitted, perms).unwrap();
    let mut scan = storage::load(&c.submitted).unwrap();
    scan.set_agreed_note(&"d1-skills".into(), "Agreed at the meeting.", now());
    let err = storage::save_atomically(&c.submitted, &scan).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("read-only"), "{message}");
    assert!(
        message.contains(&c.submitted.display().to_string()),
        "{message}"
    );
    assert_eq!(fs::read(&c.submitted).unwrap(), before);
    assert!(fs::metadata(&c.submitted).unwrap().permissions().readonly());
    // Nothing was left beside it.
    assert_eq!(fs::read_dir(c.dir.path()).unwrap().count(), 3);
}

/// `open` on a scan it may not change opens it read-only: loaded, not locked, no lock file, and
/// a save says why it cannot happen, leaving the file as it was.
#[test]
fn a_scan_that_cannot_be_written_opens_read_only() {
    let c = cohort();
    let before = fs::read(&c.submitted).unwrap();
    let mut perms = fs::metadata(&c.submitted).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&c.submitted, perms).unwrap();
    let (mut session, mut review): (Session, Draft<Reviewing>) =
        Session::open_or_read_only(&c.submitted).unwrap();
    assert_eq!(
        session.read_only_reason(),
        Some("the file is read-only for you")
    );
    assert!(!storage::lock_path(&c.submitted).exists(), "no lock file");
    review.set_agreed_note(&"d1-skills".into(), "Agreed at the meeting.", now());
    let err = session.save(&mut review).unwrap_err().to_string();
    assert!(err.contains("opened read-only"), "{err}");
    assert_eq!(fs::read(&c.submitted).unwrap(), before);

    // A writable scan opens for editing, locked, as before.
    let (session, _): (Session, Draft<Reviewing>) =
        Session::open_or_read_only(&c.in_progress).unwrap();
    assert_eq!(session.read_only_reason(), None);
    assert!(matches!(
        storage::try_lock(&c.in_progress),
        Err(storage::LockError::Busy { .. })
    ));
}

#[cfg(unix)]
mod group_share {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::process::Command;

    const GROUP: u32 = 61_000;
    const COACH: u32 = 61_001;
    const COLLEAGUE: u32 = 61_002;
    const LEARNER: u32 = 61_003;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    /// Runs the binary as `uid`, a member of the share's group only.
    fn run_as(uid: u32, home: &Path, args: &[&std::ffi::OsStr]) -> Output {
        let data = home.join(format!("data-{uid}"));
        fs::create_dir_all(&data).unwrap();
        std::os::unix::fs::chown(&data, Some(uid), Some(uid)).unwrap();
        let mut setpriv = Command::new("setpriv");
        support::isolate(&mut setpriv, home)
            .args([
                format!("--reuid={uid}"),
                format!("--regid={uid}"),
                format!("--groups={GROUP}"),
                "--".into(),
            ])
            .arg(support::BIN)
            .args(args)
            .env("SKILLS_SCAN_DATA_DIR", &data)
            .env("SKILLS_SCAN_CONFIG", home.join("no-config.toml"))
            .output()
            .unwrap()
    }

    fn can_switch_users() -> bool {
        if !rustix::process::geteuid().is_root() {
            println!("SKIPPED: only root can run the children as other users");
            return false;
        }
        if Command::new("setpriv").arg("--version").output().is_err() {
            println!("SKIPPED: setpriv (to run the children as other users) is not installed");
            return false;
        }
        true
    }

    /// A provider's share: a setgid folder of the group, 0660 files. A coach saves a scan
    /// (`send` records the email in it); a colleague in the same group can still list, read,
    /// lock and save it, and the file keeps mode 0660 and the group throughout.
    #[test]
    fn a_group_share_stays_usable_by_a_colleague_after_a_save() {
        if !can_switch_users() {
            return;
        }
        let root = tempfile::tempdir().unwrap();
        fs::set_permissions(root.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let share = root.path().join("cohort");
        fs::create_dir(&share).unwrap();
        std::os::unix::fs::chown(&share, Some(COACH), Some(GROUP)).unwrap();
        fs::set_permissions(&share, fs::Permissions::from_mode(0o2770)).unwrap();
        let home = root.path().join("homes");
        fs::create_dir(&home).unwrap();

        let standard = Standard::embedded().unwrap();
        let file = share.join("2026-11-23-sam-taylor-00000001.json");
        storage::save_atomically(&file, &sample::submitted_scan(&standard, 1, now())).unwrap();
        std::os::unix::fs::chown(&file, Some(LEARNER), Some(GROUP)).unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o660)).unwrap();

        // The coach saves: `send` with no SMTP configured queues the message and records it
        // in the scan file (exit 78: the config must be set up to send).
        let out = run_as(COACH, &home, &["send".as_ref(), file.as_os_str()]);
        assert_eq!(out.status.code(), Some(78), "{}", text(&out));
        let meta = fs::metadata(&file).unwrap();
        assert_eq!(meta.uid(), COACH, "the coach's save replaced the file");
        assert_eq!(meta.gid(), GROUP, "the group is kept");
        assert_eq!(mode(&file), 0o660, "the mode is kept");
        let lock = storage::lock_path(&file);
        assert_eq!(fs::metadata(&lock).unwrap().gid(), GROUP);
        assert_eq!(mode(&lock), 0o660, "the lock file takes the scan's mode");
        assert_eq!(storage::load(&file).unwrap().email_log.len(), 1);

        // The colleague reads it…
        let out = run_as(
            COLLEAGUE,
            &home,
            &["list".as_ref(), share.as_os_str(), "--json".as_ref()],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(
            listed.contains("Sam") || listed.contains("learner"),
            "{listed}"
        );
        assert!(!listed.contains("ermission denied"), "{listed}");
        assert!(!listed.contains("unreadable"), "{listed}");
        let out = run_as(COLLEAGUE, &home, &["summary".as_ref(), file.as_os_str()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        // …and can take the coach's lock file and save in turn.
        let out = run_as(COLLEAGUE, &home, &["send".as_ref(), file.as_os_str()]);
        assert_eq!(out.status.code(), Some(78), "{}", text(&out));
        let meta = fs::metadata(&file).unwrap();
        assert_eq!(
            (meta.uid(), meta.gid(), mode(&file)),
            (COLLEAGUE, GROUP, 0o660)
        );
        assert_eq!(storage::load(&file).unwrap().email_log.len(), 2);
        // And the coach still can after that.
        let out = run_as(COACH, &home, &["summary".as_ref(), file.as_os_str()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        // Nobody outside the group can, as before.
        assert_eq!(mode(&share), 0o2770);
    }

    /// `[storage] group_access = true`: new scans are 0660 in 2770 folders (the scan, its lock
    /// file and the folder), so the group can open them; without it they stay owner-only.
    #[test]
    fn group_access_in_the_config_makes_new_scans_group_readable() {
        let answers = fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain/answers.txt"),
        )
        .unwrap();
        for (config, file_mode, dir_mode) in [
            ("[storage]\ngroup_access = true\n", 0o660, 0o2770),
            ("", 0o600, 0o700),
        ] {
            let home = tempfile::tempdir().unwrap();
            let config_file = home.path().join("config.toml");
            fs::write(&config_file, config).unwrap();
            let data = home.path().join("data");
            let mut child = support::command(home.path())
                .args(["new", "--plain"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            std::io::Write::write_all(&mut child.stdin.take().unwrap(), &answers).unwrap();
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", text(&out));
            let scans = data.join("scans");
            let files = storage::scan_files(&scans).unwrap();
            assert_eq!(files.len(), 1);
            assert_eq!(mode(&files[0]), file_mode, "{config:?}");
            assert_eq!(mode(&scans), dir_mode, "{config:?}");
        }
    }
}
