//! Test support for the proof tests: the real binary in a pseudo-terminal (portable-pty + vt100),
//! keeping every byte it wrote so tests can check what reached the terminal.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// How long to wait for a screen or an exit.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A running app.
pub struct App {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

impl App {
    /// Starts the binary with a temporary data folder and config under `dir`.
    pub fn start(dir: &Path, no_color: bool) -> Self {
        Self::start_with(dir, no_color, &[], &[])
    }

    /// Like [`App::start`], with extra environment variables.
    pub fn start_with(dir: &Path, no_color: bool, env: &[(&str, &str)], args: &[&str]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
        cmd.args(args);
        cmd.env("SKILLS_SCAN_DATA_DIR", dir.join("data"));
        cmd.env("SKILLS_SCAN_CONFIG", dir.join("config.toml"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        cmd.env_remove("SKILLS_SCAN_SMTP_PASSWORD");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(dir);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
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
                if buf[..n].windows(4).any(|x| x == b"\x1b[6n") {
                    let _ = w.lock().unwrap().write_all(b"\x1b[1;1R");
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            child,
            writer,
            parser,
            raw,
            _master: pair.master,
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
