//! The test support every test binary shares (`#[path = "../support/mod.rs"] mod support;` in its
//! `main.rs`): one fixed clock, one way to run the real binary with one environment policy (piped
//! input too), one temporary home for it ([`Home`]), sample scans and cohorts of them, and below
//! it the real SMTP server ([`mail`]), the plain front end's answer files ([`plain`]) and the
//! pseudo-terminal harness ([`pty`]).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod mail;
pub mod plain;
#[cfg(unix)]
pub mod pty;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, TimeZone, Utc};

/// The program under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_skills-scan");

/// The tests' one fixed clock: 23 November 2026, 09:00 UTC. Tests needing another moment say so
/// as an offset from it.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .unwrap()
}

/// The environment every run of the binary gets, for a run whose temporary home is `home`:
/// - home, config and data folders of every platform under `home` (`HOME`, `XDG_CONFIG_HOME`,
///   `XDG_DATA_HOME`, `XDG_STATE_HOME`, `APPDATA`, `LOCALAPPDATA`), so nothing of the person
///   running the tests is read or written;
/// - the data folder `home/data` and the config file `home/config.toml` (`SKILLS_SCAN_DATA_DIR`,
///   `SKILLS_SCAN_CONFIG`);
/// - `TERM=xterm-256color`;
/// - and, by [`REMOVED`], nothing inherited that changes behaviour: no SMTP password, no
///   `NO_COLOR`, no editor.
///
/// A test that is about one of these sets or removes it after, on the command it gets.
pub fn env_policy(home: &Path) -> Vec<(&'static str, OsString)> {
    let under = |p: &str| home.join(p).into_os_string();
    vec![
        ("HOME", home.as_os_str().to_owned()),
        ("XDG_CONFIG_HOME", under("xdg-config")),
        ("XDG_DATA_HOME", under("xdg-data")),
        ("XDG_STATE_HOME", under("xdg-state")),
        ("APPDATA", under("appdata")),
        ("LOCALAPPDATA", under("localappdata")),
        ("SKILLS_SCAN_DATA_DIR", under("data")),
        ("SKILLS_SCAN_CONFIG", under("config.toml")),
        ("TERM", "xterm-256color".into()),
    ]
}

/// Variables never inherited by the binary under test (see [`env_policy`]).
pub const REMOVED: &[&str] = &["SKILLS_SCAN_SMTP_PASSWORD", "NO_COLOR", "VISUAL", "EDITOR"];

/// The binary under test with the [`env_policy`] for `home` (in the tests' working folder, the
/// crate's root); arguments, stdin and any change to the environment are the caller's.
pub fn command(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    isolate(&mut cmd, home);
    cmd
}

/// Gives `cmd` the [`env_policy`] for `home`: for a command that starts the binary some other
/// way (as another user, through `setpriv`).
pub fn isolate<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    for name in REMOVED {
        cmd.env_remove(name);
    }
    cmd.envs(env_policy(home))
}

/// Runs the binary with `args` (see [`command`]) and waits for it.
pub fn run(home: &Path, args: &[&str]) -> Output {
    command(home).args(args).output().expect("run skills-scan")
}

/// Runs `cmd` with `stdin` piped in (written from a thread, so a program that stops reading
/// early, at a bad line, cannot block it: a broken pipe is ignored) and its output captured.
pub fn piped(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run skills-scan");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("output");
    writer.join().unwrap();
    out
}

/// A [`Home`] as one kind of test uses it: `F` ([`mail::Mail`], [`plain::Plain`]) names the kind,
/// whose own `impl` adds its ways of running the binary; the folder is the [`Home`]'s.
pub struct Env<F>(Home, std::marker::PhantomData<F>);

impl<F> std::ops::Deref for Env<F> {
    type Target = Home;
    fn deref(&self) -> &Home {
        &self.0
    }
}

impl<F> Env<F> {
    /// An empty home.
    pub fn new() -> Self {
        Self(Home::new(), std::marker::PhantomData)
    }
}

/// The tests' one temporary folder for the binary: the `home` of [`env_policy`], with its data
/// folder and config file. Removed when dropped.
pub struct Home {
    /// Holds everything.
    pub dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    /// An empty home.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The folder itself.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The data folder (`SKILLS_SCAN_DATA_DIR`).
    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    /// The data folder's scans.
    pub fn scans_dir(&self) -> PathBuf {
        self.data_dir().join("scans")
    }

    /// The outbox.
    pub fn outbox(&self) -> PathBuf {
        self.data_dir().join("outbox")
    }

    /// The config file (`SKILLS_SCAN_CONFIG`).
    pub fn config_file(&self) -> PathBuf {
        self.path().join("config.toml")
    }

    /// Writes the config file.
    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_file(), text).unwrap();
    }

    /// The binary under test in this home ([`command`]).
    pub fn command(&self) -> Command {
        command(self.path())
    }

    /// Writes a scan file into the data folder's scans (named as the app names it) and returns
    /// its path.
    pub fn write_scan(&self, scan: &skills_scan::core::Scan) -> PathBuf {
        let dir = self.scans_dir();
        skills_scan::storage::create_private_dir(&dir).unwrap();
        let path = dir.join(skills_scan::storage::file_name(
            &scan.learner.name,
            &scan.id,
            scan.created,
        ));
        skills_scan::storage::save_atomically(&path, scan).unwrap();
        path
    }

    /// The scan files in the data folder (none when it has no scans folder).
    pub fn scans(&self) -> Vec<PathBuf> {
        let dir = self.scans_dir();
        if !dir.is_dir() {
            return Vec::new();
        }
        skills_scan::storage::scan_files(&dir).unwrap()
    }

    /// The one scan file in the data folder (asserts there is exactly one).
    pub fn only_scan_file(&self) -> PathBuf {
        let mut scans = self.scans();
        assert_eq!(scans.len(), 1, "exactly one scan file: {scans:?}");
        scans.remove(0)
    }

    /// The one scan file in the data folder (asserts there is exactly one), as JSON.
    pub fn only_scan(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.only_scan_file()).unwrap()).unwrap()
    }

    /// Every file under the folder with its bytes.
    pub fn all_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        out
    }
}

/// stdout then stderr, as text.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// stdout, as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The exit code.
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

/// stdout of a run that must have succeeded (else the test fails, showing stderr).
pub fn ok_stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The embedded standard.
pub fn standard() -> skills_scan::core::Standard {
    skills_scan::core::Standard::embedded().unwrap()
}

/// A submitted sample scan (`skills_scan::sample`) made at [`now`] with `seed`.
pub fn submitted(seed: u64) -> skills_scan::core::Scan {
    skills_scan::sample::submitted_scan(&standard(), seed, now())
}

/// A cohort folder: `n` submitted sample scans with addresses mail can use (seeds from
/// `first_seed` on, passing over any that does not submit or has an unusable address), saved in
/// `dir` (made owner-only) as `ID.json`; their paths.
pub fn cohort(dir: &Path, first_seed: u64, n: usize) -> Vec<PathBuf> {
    skills_scan::storage::create_private_dir(dir).unwrap();
    let standard = standard();
    let mut out = Vec::new();
    let mut seed = first_seed;
    while out.len() < n {
        let scan = skills_scan::sample::submitted_scan(&standard, seed, now());
        seed += 1;
        if !scan.is_submitted() || scan.learner.email.parse::<lettre::Address>().is_err() {
            continue;
        }
        let path = dir.join(format!("{}.json", scan.id));
        skills_scan::storage::save_atomically(&path, &scan).unwrap();
        out.push(path);
    }
    out
}
