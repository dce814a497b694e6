//! Benchmark (not a test) of the confidentiality guard: `guard::find` over a 5,000-word answer
//! of ordinary peer-worker prose with numbers in it (years, hours, money, times) and a few
//! identifiers, as the learner's app runs it after each pause in typing. Target: under 50 µs.
//! Run: `cargo bench --bench guard`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use skills_scan::core::guard;

/// About `n` words of prose from the ordinary-answers corpus, with an identifier every 500 words.
fn answer(n: usize) -> String {
    let corpus = include_str!("../tests/fixtures/guard/ordinary_answers.txt");
    let sentences: Vec<&str> = corpus
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let extras = [
        "Her NHS number is 943 476 5919.",
        "I rang him on 07700 900123.",
        "He lives near LS1 4AP.",
        "Email jo.bloggs@example.org about it.",
        "She was born on 3rd March 1985.",
    ];
    let mut s = String::new();
    let (mut words, mut next_extra, mut i) = (0, 500, 0);
    while words < n {
        let line = sentences[i % sentences.len()];
        s.push_str(line);
        s.push(if i % 5 == 4 { '\n' } else { ' ' });
        words += line.split_whitespace().count();
        if words >= next_extra {
            let e = extras[(next_extra / 500) % extras.len()];
            s.push_str(e);
            s.push(' ');
            words += e.split_whitespace().count();
            next_extra += 500;
        }
        i += 1;
    }
    s
}

/// CPU time this thread has used, in µs (0 where the system has no thread CPU clock here).
fn thread_cpu_us() -> f64 {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        t.tv_sec as f64 * 1e6 + t.tv_nsec as f64 / 1e3
    }
    #[cfg(not(unix))]
    {
        0.0
    }
}

fn main() {
    let text = answer(5_000);
    let words = text.split_whitespace().count();
    let findings = guard::find(&text).len();
    // Warm up, then time batches of calls and report per-call figures.
    for _ in 0..200 {
        black_box(guard::find(black_box(&text)));
    }
    let batch = 100;
    let cpu_now = thread_cpu_us;
    // Wall time and this thread's CPU time per call, per batch: on a shared machine the CPU
    // time leaves out the time other processes had the core.
    let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..200)
        .map(|_| {
            let (t, c) = (Instant::now(), cpu_now());
            for _ in 0..batch {
                black_box(guard::find(black_box(&text)));
            }
            (
                t.elapsed().as_secs_f64() * 1e6 / f64::from(batch),
                (cpu_now() - c) / f64::from(batch),
            )
        })
        .unzip();
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p) as usize];
    println!(
        "guard::find on a {words}-word answer ({} KB, {findings} findings), target < 50 µs",
        text.len() / 1024
    );
    if cpu.iter().all(|c| *c == 0.0) {
        println!("  (no thread CPU clock on this system: wall time only)");
        cpu.clear();
    }
    for (what, v) in [("wall", &wall), ("CPU", &cpu)] {
        if v.is_empty() {
            continue;
        }
        println!(
            "  {what:<4} median {:.1} µs, p90 {:.1} µs, min {:.1} µs",
            pct(v, 0.5),
            pct(v, 0.9),
            v[0]
        );
    }
    let clean = text.replace("943 476 5919", "");
    black_box(guard::warns(&clean));
}
