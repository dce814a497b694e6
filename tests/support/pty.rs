//! The one pseudo-terminal harness of the tests: the real binary in a pseudo-terminal
//! (portable-pty + vt100) with the tests' environment policy ([`super::env_policy`]) for a
//! temporary home, keys in, the screen and every byte written out.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long to wait for a screen or an exit.
pub const TIMEOUT: Duration = Duration::from_secs(30);
pub const PGDN: &str = "\x1b[6~";
pub const PGUP: &str = "\x1b[5~";
pub const TAB: &str = "\t";
pub const BACKTAB: &str = "\x1b[Z";
pub const ENTER: &str = "\r";
pub const END: &str = "\x1b[F";
pub const DOWN: &str = "\x1b[B";
pub const UP: &str = "\x1b[A";
pub const CTRL_C: &str = "\x03";
pub const CTRL_S: &str = "\x13";
/// The extra environment of a run without colour (`App::start_with(dir, args, NO_COLOR)`).
pub const NO_COLOR: &[(&str, &str)] = &[("NO_COLOR", "1")];

/// A running app.
pub struct App {
    pub child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    // Kept alive until the child has exited: dropping it sends Ctrl-J/Ctrl-D to the app.
    pub writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

impl App {
    /// Starts the binary with `args` at 80×24, its data folder and config under `dir`.
    pub fn start(dir: &Path, args: &[&str]) -> Self {
        Self::start_with(dir, args, &[])
    }

    /// Like [`App::start`], with extra environment variables.
    pub fn start_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        Self::start_sized(dir, args, envs, (80, 24))
    }

    /// Like [`App::start_with`], in a terminal of `cols`×`rows`.
    pub fn start_sized(
        dir: &Path,
        args: &[&str],
        envs: &[(&str, &str)],
        (cols, rows): (u16, u16),
    ) -> Self {
        let pair = native_pty_system().openpty(size(rows, cols)).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
        cmd.args(args);
        for name in super::REMOVED {
            cmd.env_remove(name);
        }
        for (k, v) in super::env_policy(dir) {
            cmd.env(k, v);
        }
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.cwd(dir);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, w, r) = (parser.clone(), writer.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                // Answer cursor-position queries as a terminal would.
                if buf[..n].windows(4).any(|x| x == b"\x1b[6n") {
                    let _ = w.lock().unwrap().write_all(b"\x1b[1;1R");
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            child,
            master: pair.master,
            writer,
            parser,
            raw,
        }
    }

    /// Types `s`. A write that fails means the app has gone (some tests kill it on purpose):
    /// what the test checks afterwards tells.
    pub fn send(&self, s: &str) {
        let mut w = self.writer.lock().unwrap();
        let _ = w.write_all(s.as_bytes());
        let _ = w.flush();
    }

    /// The screen's text.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// How many bytes the app has written so far.
    pub fn bytes_written(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// Waits until `text` is on screen (a message wrapped over lines counts).
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            let screen = self.screen();
            if screen.contains(text) || flat(&screen).contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    /// Everything the app has written so far, as text (escape sequences and all).
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits until the bytes written so far hold `text` (for output that is not a screen, such
    /// as the plain front end's prompts at a dumb terminal).
    pub fn wait_for_output(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.output().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?} in:\n{}", self.output());
    }

    /// Waits until `text` is no longer on screen.
    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if !flat(&self.screen()).contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?} to go; screen:\n{}",
            self.screen()
        );
    }

    /// Resizes the terminal.
    /// The screen model takes the new size first: the app redraws (only what changed) as soon as
    /// it sees the resize, and output read at the old size would garble the screen for good.
    pub fn resize(&self, rows: u16, cols: u16) {
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master.resize(size(rows, cols)).unwrap();
    }

    /// The app's process id.
    #[cfg(unix)]
    pub fn pid(&self) -> rustix::process::Pid {
        rustix::process::Pid::from_raw(self.child.process_id().unwrap().cast_signed()).unwrap()
    }

    #[cfg(unix)]
    pub fn signal(&self, sig: rustix::process::Signal) {
        rustix::process::kill_process(self.pid(), sig).unwrap();
    }

    /// Waits for the process to end (it must, within [`TIMEOUT`]).
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "the app did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Waits for the exit and returns the status, after the last bytes are read.
    pub fn finish(&mut self) -> portable_pty::ExitStatus {
        let status = self.wait_exit();
        std::thread::sleep(Duration::from_millis(100));
        status
    }

    /// Waits for the exit and returns the exit code, after the last bytes are read.
    pub fn exit_code(&mut self) -> u32 {
        self.finish().exit_code()
    }
}

/// The screen's words joined by single spaces (a message wrapped over lines reads as one).
pub fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The scan files (`*.json`) in `dir/data/scans`, sorted.
pub fn scan_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("data/scans"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
