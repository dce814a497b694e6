//! The test support every test binary shares (`#[path = "../support/mod.rs"] mod support;` in its
//! `main.rs`): one fixed clock, one way to run the real binary with one environment policy, sample
//! scans, and below it the real SMTP server ([`mail`]), the plain front end's answer files
//! ([`plain`]) and the pseudo-terminal harness ([`pty`]).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod mail;
pub mod plain;
#[cfg(unix)]
pub mod pty;

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

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

/// stdout then stderr, as text.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The embedded standard.
pub fn standard() -> skills_scan::core::Standard {
    skills_scan::core::Standard::embedded().unwrap()
}

/// A submitted sample scan (`skills_scan::sample`) made at [`now`] with `seed`.
pub fn submitted(seed: u64) -> skills_scan::core::Scan {
    skills_scan::sample::submitted_scan(&standard(), seed, now())
}
