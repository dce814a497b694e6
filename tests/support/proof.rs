//! Test support for the proof tests: the real binary in a pseudo-terminal (portable-pty + vt100),
//! keeping every byte it wrote so tests can check what reached the terminal.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::Child;

use super::pty as pty_support;

/// How long to wait for a screen or an exit.
pub const TIMEOUT: Duration = pty_support::TIMEOUT;

/// A running app (started by the shared PTY helper, `tests/pty_support`).
pub struct App {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl App {
    /// Starts the binary with a temporary data folder and config under `dir`.
    pub fn start(dir: &Path, no_color: bool) -> Self {
        Self::start_with(dir, no_color, &[], &[])
    }

    /// Like [`App::start`], with extra environment variables.
    pub fn start_with(dir: &Path, no_color: bool, env: &[(&str, &str)], args: &[&str]) -> Self {
        let mut envs: Vec<(&str, &str)> = Vec::new();
        if no_color {
            envs.push(("NO_COLOR", "1"));
        }
        envs.extend_from_slice(env);
        let app = pty_support::App::start_with(dir, args, &envs);
        let (child, master, writer, parser, raw) = app.into_parts();
        Self {
            child,
            writer,
            parser,
            raw,
            _master: master,
        }
    }

    /// Types `s`. A write that fails means the app has gone (killed on purpose by some tests):
    /// that is not an error here; what the test checks afterwards tells.
    pub fn send(&self, s: &str) {
        let mut w = self.writer.lock().unwrap();
        let _ = w.write_all(s.as_bytes());
        let _ = w.flush();
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `text` is on screen (a message wrapped over lines counts).
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            let screen = self.screen();
            let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
            if screen.contains(text) || flat.contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
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

    pub fn exit_code(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader take the last bytes the app wrote.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "the app did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
