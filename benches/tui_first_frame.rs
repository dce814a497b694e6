//! Benchmark (not a test) of the learner's TUI: process start to first complete frame at 80x24
//! (the release binary in a pseudo-terminal), against whiptail drawing a message box in the same
//! run (taken in turns), render time of the busiest screen holding a
//! 5,000-word answer, keystroke-to-screen time in that box (update + render), and peak memory
//! (VmHWM of the binary after a 5,000-word paste). Also process start alone: `--version` without a
//! terminal, against `whiptail --version`, the part of the first frame the app's own work is not.
//! And the first frame on a shared computer: a data folder of 50 submitted scans and one
//! unfinished, against an empty one, in turns.
//! Run: `cargo bench --bench tui_first_frame` (`-- shared` for the shared computer alone).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skills_scan::core::{Scan, Standard};
use skills_scan::tui::learner::{Model, Msg, Screen};
use skills_scan::tui::theme::Theme;

fn words(n: usize) -> String {
    let pool = [
        "peer",
        "support",
        "recovery",
        "boundaries",
        "café",
        "ŵyn",
        "group",
        "listening",
        "hope",
        "safety",
    ];
    let mut s = String::new();
    for i in 0..n {
        s.push_str(pool[i % pool.len()]);
        s.push(if i % 97 == 96 { '\n' } else { ' ' });
    }
    s
}

struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _dir: tempfile::TempDir,
}

fn spawn() -> Pty {
    let dir = tempfile::tempdir().unwrap();
    let cmd = app_in(dir.path());
    spawn_command(cmd, dir)
}

/// The app with its data folder (`HOME/data`) and config file in `home`.
fn app_in(home: &std::path::Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skills-scan"));
    cmd.env("SKILLS_SCAN_DATA_DIR", home.join("data"));
    cmd.env("SKILLS_SCAN_CONFIG", home.join("config.toml"));
    cmd
}

/// whiptail drawing a message box at 80x24 (the yardstick for the first frame).
fn spawn_whiptail(path: &str) -> Pty {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(path);
    cmd.args([
        "--title",
        "Skills scan",
        "--msgbox",
        "Initial skills scan",
        "10",
        "40",
    ]);
    spawn_command(cmd, dir)
}

fn spawn_command(mut cmd: CommandBuilder, dir: tempfile::TempDir) -> Pty {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let nz = |n| NonZeroU16::new(n).unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let p = parser.clone();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    let writer = pair.master.take_writer().unwrap();
    std::mem::forget(pair.master);
    Pty {
        child,
        writer,
        parser,
        _dir: dir,
    }
}

impl Pty {
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self
            .parser
            .lock()
            .unwrap()
            .screen()
            .contents()
            .contains(text)
        {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {text}"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
    fn finish(mut self) {
        self.send("\x03");
        let _ = self.child.wait();
    }
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[0], v[v.len() / 2], v[v.len() * 9 / 10])
}

/// Where whiptail is, if it is installed.
fn whiptail() -> Option<&'static str> {
    [
        "/usr/bin/whiptail",
        "/bin/whiptail",
        "/usr/local/bin/whiptail",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
}

/// From spawning the app (`spawn`) to a frame showing every one of `marks`; the app is then
/// asked to quit.
fn first_frame_of(spawn: impl FnOnce() -> Pty, marks: &[&str]) -> Duration {
    let start = Instant::now();
    let pty = spawn();
    for mark in marks {
        pty.wait_for(mark);
    }
    let took = start.elapsed();
    pty.finish();
    took
}

/// The first frame with an empty data folder: the welcome. Its hint line is drawn last: when it
/// is there, the frame is complete.
fn welcome_frame() -> Duration {
    first_frame_of(spawn, &["PgDn read on · ↑↓ scroll", "Initial skills scan"])
}

/// Turns of the first-frame comparison (each: the app once, whiptail once).
const TURNS: usize = 60;

fn first_frame() {
    let whiptail = whiptail();
    let (mut times, mut box_times) = (Vec::new(), Vec::new());
    // Taken in turns, so both see the same load on the machine.
    for _ in 0..TURNS {
        times.push(welcome_frame());
        if let Some(path) = whiptail {
            let start = Instant::now();
            let mut pty = spawn_whiptail(path);
            pty.wait_for("Initial skills scan");
            pty.wait_for("<Ok>");
            box_times.push(start.elapsed());
            pty.send("\r");
            let _ = pty.child.wait();
        }
    }
    // Each turn's own ratio too: the load on a shared machine drifts between turns, not within one.
    let mut ratios: Vec<f64> = times
        .iter()
        .zip(&box_times)
        .map(|(a, w)| a.as_secs_f64() / w.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let (min, med, p90) = stats(times);
    println!(
        "first frame at 80x24 (spawn in a PTY to complete frame): min {min:.2?}, median {med:.2?}, p90 {p90:.2?}"
    );
    if box_times.is_empty() {
        println!("whiptail is not installed: no comparison (target: no slower than whiptail)");
        return;
    }
    let (wmin, wmed, wp90) = stats(box_times);
    println!(
        "whiptail --msgbox at 80x24, same run: min {wmin:.2?}, median {wmed:.2?}, p90 {wp90:.2?}"
    );
    println!(
        "first frame / whiptail (medians): {:.2}× (target: at most 1.00×); median of the {TURNS} turns' own ratios {:.2}× (quartiles {:.2}–{:.2}×), app quicker in {} of {TURNS} turns",
        med.as_secs_f64() / wmed.as_secs_f64(),
        ratios[ratios.len() / 2],
        ratios[ratios.len() / 4],
        ratios[ratios.len() * 3 / 4],
        ratios.iter().filter(|r| **r < 1.0).count()
    );
}

/// The first frame on a shared computer, whose data folder holds the scans of many learners:
/// 50 submitted scans and one unfinished (the frame is the offer to resume it), against an
/// empty data folder (the welcome), in turns. Listing the unfinished scans reads every file in
/// the folder before the first frame; a submitted one is recognised without a full parse.
fn shared_computer() {
    const SUBMITTED: u64 = 50;
    let standard = Standard::embedded().unwrap();
    let now = Utc::now();
    let home = tempfile::tempdir().unwrap();
    let scans = home.path().join("data").join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    for seed in 0..SUBMITTED {
        let scan = skills_scan::sample::submitted_scan(&standard, seed, now);
        skills_scan::storage::save_atomically(&scans.join(format!("{seed}.json")), &scan).unwrap();
    }
    let unfinished = skills_scan::sample::complete_scan(&standard, 999, now);
    skills_scan::storage::save_atomically(&scans.join("unfinished.json"), &unfinished).unwrap();
    let (mut shared, mut empty) = (Vec::new(), Vec::new());
    for _ in 0..TURNS / 2 {
        // The folder outlives the turn: the app is given a throwaway home of its own to hold.
        shared.push(first_frame_of(
            || spawn_command(app_in(home.path()), tempfile::tempdir().unwrap()),
            &["[ Start a new scan ]", "File:"],
        ));
        empty.push(welcome_frame());
    }
    let ((smin, smed, sp90), (emin, emed, _)) = (stats(shared), stats(empty));
    println!(
        "first frame, data folder of {SUBMITTED} submitted scans and 1 unfinished (the resume offer): min {smin:.2?}, median {smed:.2?}, p90 {sp90:.2?}; empty folder in turns: min {emin:.2?}, median {emed:.2?}; the folder adds {:.2?} (medians)",
        smed.saturating_sub(emed)
    );
}

/// Process start and exit without a terminal (`--version`), the app and whiptail in turns.
fn process_start() {
    let Some(whiptail) = whiptail() else {
        return;
    };
    let run = |program: &str| {
        let start = Instant::now();
        let status = std::process::Command::new(program)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{program} --version failed");
        start.elapsed()
    };
    let (mut app, mut wt) = (Vec::new(), Vec::new());
    for _ in 0..100 {
        app.push(run(env!("CARGO_BIN_EXE_skills-scan")));
        wt.push(run(whiptail));
    }
    let ((amin, amed, _), (wmin, wmed, _)) = (stats(app), stats(wt));
    println!(
        "process start and exit, no terminal (--version): app median {amed:.2?} (min {amin:.2?}), whiptail median {wmed:.2?} (min {wmin:.2?}), {:.2}×",
        amed.as_secs_f64() / wmed.as_secs_f64()
    );
}

fn busy_model(size: (u16, u16)) -> Model {
    let std = Standard::embedded().unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let scan = Scan::new(&std, "bench", t);
    let mut m = Model::new(scan, Theme::colour(), "OneFile", t);
    m.update(Msg::Resize(size.0, size.1), t);
    m.go(Screen::Page(0));
    m.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)),
        t,
    );
    m.update(Msg::Paste(words(5000)), t);
    m
}

fn render_and_keystroke() {
    let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    for size in [(80, 24), (200, 60)] {
        let mut m = busy_model(size);
        let mut term = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        term.draw(|f| m.view(f)).unwrap();
        let mut renders = Vec::new();
        for _ in 0..300 {
            let s = Instant::now();
            term.draw(|f| m.view(f)).unwrap();
            renders.push(s.elapsed());
        }
        let (min, med, p90) = stats(renders);
        println!(
            "render, duty page with a 5,000-word answer at {}x{}: min {min:.2?}, median {med:.2?}, p90 {p90:.2?}",
            size.0, size.1
        );
        let mut keys = Vec::new();
        for i in 0..300 {
            let c = if i % 2 == 0 {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            };
            let s = Instant::now();
            m.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)), t);
            term.draw(|f| m.view(f)).unwrap();
            keys.push(s.elapsed());
        }
        let (min, med, p90) = stats(keys);
        println!(
            "keystroke to screen (update + render) in that box at {}x{}: min {min:.2?}, median {med:.2?}, p90 {p90:.2?}{}",
            size.0,
            size.1,
            if size == (200, 60) {
                if p90 < Duration::from_millis(1) {
                    " (target p90 < 1 ms: met)"
                } else {
                    " (target p90 < 1 ms: NOT met)"
                }
            } else {
                ""
            }
        );
    }
}

fn peak_memory() {
    let mut pty = spawn();
    pty.wait_for("PgDn read on");
    pty.send("\x1b[F\x1b[6~"); // End, then PgDn: past the welcome
    pty.wait_for("Your details");
    pty.send("Sam Taylor\tsam.taylor@example.org\talex.morgan@example.org\x1b[6~");
    pty.wait_for("Duty 1 of 10");
    pty.send("y\r");
    let paste = format!("\x1b[200~{}\x1b[201~", words(5000));
    pty.send(&paste);
    pty.wait_for("1 of 25 answered · Saved");
    std::thread::sleep(Duration::from_millis(300));
    let pid = pty.child.process_id().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .unwrap_or("VmRSS: ?");
    println!("peak memory after a 5,000-word paste (saved): {hwm}; now {rss}");
    pty.finish();
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // `cargo bench --bench tui_first_frame -- shared`: only the shared computer's folder.
    if std::env::args().any(|a| a == "shared") {
        shared_computer();
        return;
    }
    first_frame();
    shared_computer();
    process_start();
    render_and_keystroke();
    peak_memory();
}
