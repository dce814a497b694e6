//! The crash loop: many times over, the real binary runs a learner's scan in a pseudo-terminal,
//! answers are typed, and the process is SIGKILLed at a random moment, half the time at the
//! instant a save is under way (a temporary file has appeared beside the scan). After each kill:
//!
//! - the scan file loads (no torn file), and its lock is free again;
//! - it holds every answer the app confirmed as saved (Ctrl-S, then "Saved." on screen);
//! - it is no older than any version of the file seen on disk while the app ran (a watcher reads
//!   the file every millisecond or so; answers are only ever typed forwards, so every later
//!   version must extend every earlier one), and no read of the file ever saw a torn file;
//! - each answer's text is a prefix of what was typed for that question (nothing invented).
//!
//! Runs: `PROOF_CRASH_RUNS` (default 200 in CI, e.g. 2000 locally). The figures are printed:
//! `cargo test --test proof_crash_loop -- --nocapture`.
// Unix only: it drives the binary in a Unix pseudo-terminal and SIGKILLs it.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use skills_scan::session::Session;
use skills_scan::storage;

use crate::support::pty::{App, CTRL_S, END, ENTER, PGDN, TAB};

/// A small deterministic generator (no extra crate): xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Question ids in the order the scan asks them, with the page each is on.
fn question_ids() -> Vec<(usize, String)> {
    let standard = skills_scan::core::Standard::embedded().unwrap();
    let mut out = Vec::new();
    for (page, duty) in standard.duties.iter().enumerate() {
        for q in &duty.questions {
            out.push((page, q.id.to_string()));
        }
    }
    for q in &standard.behaviours {
        out.push((standard.duties.len(), q.id.to_string()));
    }
    out
}

fn typed_text(run: usize, id: &str) -> String {
    format!("Run {run} answer to {id}: I support people, café ŵ 😀.")
}

fn scans_dir(dir: &Path) -> PathBuf {
    dir.join("data/scans")
}

fn the_scan_file(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(scans_dir(dir))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.file_name().unwrap().to_string_lossy().starts_with('.')
        })
}

fn temp_file_present(dir: &Path) -> bool {
    std::fs::read_dir(scans_dir(dir)).is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".skills-scan-"))
    })
}

/// The answers of a scan file as `id -> (rating, text)`.
fn answers(v: &Value) -> BTreeMap<String, (Value, String)> {
    v["answers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, a)| {
                    (
                        k.clone(),
                        (
                            a["rating"].clone(),
                            a["text"].as_str().unwrap_or_default().to_string(),
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What the watcher saw while the app ran.
#[derive(Default)]
struct Seen {
    versions: Vec<Value>,
    torn: Vec<String>,
}

fn watch(dir: &Path, stop: &AtomicBool, seen: &Mutex<Seen>) {
    let mut last: Option<Vec<u8>> = None;
    while !stop.load(Ordering::Relaxed) {
        if let Some(file) = the_scan_file(dir)
            && let Ok(bytes) = std::fs::read(&file)
            && last.as_deref() != Some(&bytes[..])
        {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(v) => seen.lock().unwrap().versions.push(v),
                Err(e) => seen.lock().unwrap().torn.push(format!("{e}")),
            }
            last = Some(bytes);
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

#[derive(Default, Debug)]
struct Figures {
    runs: usize,
    kills_during_save: usize,
    kills_on_temp_file: usize,
    answers_checked: usize,
    lost: usize,
    torn: usize,
    versions_seen: usize,
}

/// One run: returns what went wrong (empty when all is well).
fn one_run(run: usize, rng: &mut Rng, figures: &mut Figures) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::start(dir.path(), &[]);
    let ids = question_ids();

    // Committed part: details and the first duty's answers, then Ctrl-S and "Saved." on screen.
    let committed = commit_details_and_first_duty(&app, run, &ids);

    // Armed part: keep typing; a killer thread strikes at a random moment.
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let watcher = {
        let (d, s, seen) = (dir.path().to_path_buf(), stop.clone(), seen.clone());
        std::thread::spawn(move || watch(&d, &s, &seen))
    };
    let on_save = run.is_multiple_of(2);
    let delay = Duration::from_millis(rng.below(1200));
    let killed = Arc::new(AtomicBool::new(false));
    let struck_on_temp = Arc::new(AtomicUsize::new(0));
    let strike = strike(
        app.pid(),
        dir.path().to_path_buf(),
        (on_save, delay),
        killed.clone(),
        struck_on_temp.clone(),
    );
    type_until_killed(&app, run, rng, &ids, &killed);
    strike.join().unwrap();
    let _ = app.wait_exit();
    stop.store(true, Ordering::SeqCst);
    watcher.join().unwrap();

    figures.runs += 1;
    let during_save = temp_file_present(dir.path());
    if during_save {
        figures.kills_during_save += 1;
    }
    if struck_on_temp.load(Ordering::SeqCst) == 1 {
        figures.kills_on_temp_file += 1;
    }
    let seen = seen.lock().unwrap();
    check_after_the_kill(dir.path(), run, &committed, &seen, figures)
}

/// Fills in the details and answers the first duty, then saves (Ctrl-S) and waits for "Saved.";
/// returns the ids answered.
fn commit_details_and_first_duty(app: &App, run: usize, ids: &[(usize, String)]) -> Vec<String> {
    app.wait_for("Initial skills scan");
    // PgDn reads the welcome on, screen by screen; End skips to its end, then PgDn begins.
    app.send(END);
    app.send(PGDN);
    app.wait_for("Your details");
    app.send(&format!("Crash Test {run}"));
    app.send(TAB);
    app.send("crash.test@example.org");
    app.send(TAB);
    app.send("alex.morgan@example.org");
    app.send(PGDN);
    app.wait_for("Duty 1 of 10");
    let mut committed = Vec::new();
    for (_, id) in ids.iter().filter(|(p, _)| *p == 0) {
        // y moves straight into the answer box (Yes needs writing).
        app.send("y");
        app.send(&typed_text(run, id));
        app.send(TAB);
        committed.push(id.clone());
    }
    app.send(CTRL_S);
    app.wait_for("Saved.");
    committed
}

/// The killer: SIGKILL to `pid` after `delay`, or (`on_save`) as soon as a save's temporary file
/// appears in `dir` (then `struck_on_temp` is 1), within `delay` + 2 s; sets `killed`.
fn strike(
    pid: rustix::process::Pid,
    d: PathBuf,
    (on_save, delay): (bool, Duration),
    k: Arc<AtomicBool>,
    kt: Arc<AtomicUsize>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let start = Instant::now();
        while start.elapsed() < delay + Duration::from_secs(2) {
            if on_save && temp_file_present(&d) {
                kt.store(1, Ordering::SeqCst);
                break;
            }
            if !on_save && start.elapsed() >= delay {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        k.store(true, Ordering::SeqCst);
    })
}

/// Goes on answering the next five pages of questions with random ratings, typing each text in two halves with random
/// pauses, until the killer has struck.
fn type_until_killed(
    app: &App,
    run: usize,
    rng: &mut Rng,
    ids: &[(usize, String)],
    killed: &AtomicBool,
) {
    let mut page = 0;
    for (p, id) in ids.iter().filter(|(p, _)| *p >= 1 && *p <= 5) {
        if killed.load(Ordering::SeqCst) {
            break;
        }
        if *p != page {
            app.send(PGDN);
            page = *p;
        }
        let rating = ["y", "s", "n"][(rng.below(3)) as usize];
        app.send(rating);
        if rating == "n" {
            // No needs no text: Enter opens its optional box.
            app.send(ENTER);
        }
        let text = typed_text(run, id);
        let cut = text.char_indices().nth(text.chars().count() / 2).unwrap().0;
        app.send(&text[..cut]);
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        app.send(&text[cut..]);
        app.send(TAB);
        std::thread::sleep(Duration::from_millis(rng.below(60)));
    }
}

/// Checks the scan file after the kill against what was committed and every version seen on
/// disk; returns what went wrong.
fn check_after_the_kill(
    dir: &Path,
    run: usize,
    committed: &[String],
    seen: &Seen,
    figures: &mut Figures,
) -> Vec<String> {
    let mut problems = Vec::new();
    // The file after the kill.
    let Some(file) = the_scan_file(dir) else {
        problems.push("no scan file after the kill".into());
        return problems;
    };
    let bytes = std::fs::read(&file).unwrap();
    if let Err(e) = storage::load(&file) {
        figures.torn += 1;
        problems.push(format!("the file does not load after the kill: {e}"));
        return problems;
    }
    match Session::open::<skills_scan::core::draft::Answering>(&file) {
        Ok(s) => drop(s),
        Err(e) => problems.push(format!("the lock was not freed by the kill: {e}")),
    }
    let final_v: Value = serde_json::from_slice(&bytes).unwrap();
    let got = answers(&final_v);

    // Every committed answer, exactly as typed.
    for id in committed {
        figures.answers_checked += 1;
        match got.get(id) {
            Some((rating, text)) if rating == "yes" && *text == typed_text(run, id) => {}
            other => {
                figures.lost += 1;
                problems.push(format!("committed answer {id} lost: {other:?}"));
            }
        }
    }
    // Never older than any version seen on disk; nothing invented.
    figures.versions_seen += seen.versions.len();
    figures.torn += seen.torn.len();
    for t in &seen.torn {
        problems.push(format!("a read of the file saw a torn file: {t}"));
    }
    for (i, v) in seen.versions.iter().enumerate() {
        for (id, (rating, text)) in answers(v) {
            figures.answers_checked += 1;
            match got.get(&id) {
                Some((r, t)) if (rating.is_null() || *r == rating) && t.starts_with(&text) => {}
                other => {
                    figures.lost += 1;
                    problems.push(format!(
                        "answer {id} as seen on disk (version {i}: {rating} {text:?}) is gone or older after the kill: {other:?}"
                    ));
                }
            }
        }
    }
    for (id, (_, text)) in &got {
        if !typed_text(run, id).starts_with(text.as_str()) {
            problems.push(format!("answer {id} holds text never typed: {text:?}"));
        }
    }
    if final_v["learner"]["name"] != format!("Crash Test {run}") {
        problems.push(format!(
            "the learner's name changed: {}",
            final_v["learner"]
        ));
    }
    problems
}

#[test]
fn sigkill_at_random_moments_never_loses_a_committed_answer_nor_tears_the_file() {
    let runs: usize = std::env::var("PROOF_CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let seed = std::env::var("PROOF_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("crash loop: {runs} runs, seed {seed} (PROOF_CRASH_SEED={seed} repeats it)");
    let mut rng = Rng(seed);
    let mut figures = Figures::default();
    let mut failures = Vec::new();
    let started = Instant::now();
    for run in 0..runs {
        let problems = one_run(run, &mut rng, &mut figures);
        if !problems.is_empty() {
            failures.push(format!("run {run}: {}", problems.join("; ")));
        }
    }
    println!(
        "crash loop figures: runs {}, kills during a save {} (of which {} struck as the temporary \
         file appeared), answers lost {}, torn files {} ({} answers checked against {} versions \
         of the file seen on disk; {:.1} s)",
        figures.runs,
        figures.kills_during_save,
        figures.kills_on_temp_file,
        figures.lost,
        figures.torn,
        figures.answers_checked,
        figures.versions_seen,
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(figures.lost, 0);
    assert_eq!(figures.torn, 0);
    // The loop must really have struck during saves, or it proves less than it says.
    if runs >= 20 {
        assert!(
            figures.kills_during_save > 0,
            "no kill landed during a save"
        );
    }
    assert!(
        figures.versions_seen > runs,
        "the watcher saw the file change"
    );
}
