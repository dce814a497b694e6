//! Benchmark of the cohort export: generates N realistic submitted scans (invented example.org
//! people) in a temporary folder, then exports them to a real SMTP server on loopback
//! (mailin-embedded, started here) and reports wall time, CPU per message and peak memory —
//! once with one pooled connection for the batch, once with one connection per message.
//!
//! Also, in the same run: the same messages sent by a plain one-connection sender (read, parse,
//! build, send, nothing recorded) and the exactly-once export's ratio to it, both over one reused
//! connection of the same client, two rounds in turns; what one save of a scan costs on the disk
//! at the time (before and after); and the chart's CPU cost per message (`mail::chart::png`).
//! 2026-11-26 09:04, load 0.5-1.3, three runs: plain 2.13-2.29 s, exactly-once export 2.32-2.78 s,
//! ratio 1.08-1.16x over both rounds (1.02-1.31x for a single round; target 1.2x). Before the
//! recorder and `TCP_NODELAY` (07:18): 1.67-1.76x. Each sender also counts its sends of 5 ms or
//! more (stalls): 0-2 per 1,000 now, 10-27 before `TCP_NODELAY`.
//!
//! Sizes: `BATCH_BENCH_SIZES=1000,10000 cargo bench --bench batch_export` (default 1000).
//! Peak memory is the process's VmHWM, reset (clear_refs) just before each export.
//!
//! Measured 2026-11-23 on the shared 2-core build machine (load 1-8, so every figure moves by
//! 20 % or more between runs; `main` was measured in the same session for comparison). 1,000
//! scans of 49.7 KB, messages 250 KB; ranges are over three runs:
//!
//! | per message                        | main (before) | now           |
//! |------------------------------------|---------------|---------------|
//! | read                               | 0.06 ms       | 0.02-0.05 ms  |
//! | parse                              | 0.48 ms       | 0.23-0.30 ms  |
//! | summary + message (build)          | 1.78 ms       | 0.50-0.63 ms  |
//! | of which summary text + HTML       | 0.45 ms       | 0.28-0.32 ms  |
//! | MIME text (`formatted`)            | 0.15 ms       | 0.02-0.05 ms  |
//! | total CPU (load + summary + MIME)  | 2.56 ms       | 0.89-1.08 ms  |
//!
//! 10,000 scans (an earlier build of this branch, total 1.14 ms): pooled 93.6 s, one connection
//! per message 87.3 s; export thread CPU 3.9-4.2 ms/msg; peak RSS 10.9 MB pooled, 11.9 MB per
//! connection.
//!
//! What it took: lettre's `Body::new` turned `\n` into `\r\n` one `String::insert` at a time
//! (quadratic in the number of lines) and encoded quoted-printable a `char` at a time, for the
//! text part and twice for the HTML. Now `mail::message` makes CRLF and quoted-printable in one
//! byte pass, encodes the HTML once for both parts, base64s the scan file; `storage::parse` reads
//! a current-version file in one serde pass (the careful two-pass path only on failure); the
//! summary's wrap/escape/clean skip needless recounts and copies.
//!
//! Wall time, pooled vs one connection per message (1,000): main 34.1 s vs 12.2 s; this branch
//! 32.1 vs 12.2, 15.5 vs 9.3, 14.4 vs 10.5, 8.9 vs 8.2 s in different runs. The pooled stall was
//! TCP, not the pool: lettre (sync) writes the message and then the `\r\n.\r\n` terminator as a
//! second small write without `TCP_NODELAY`, so Nagle held the terminator until the server ACKed,
//! and Linux may delay that ACK (40 ms). Proof: the same binary in a private network namespace
//! with `ip route change local 127.0.0.1 dev lo table local ... quickack 1` ran pooled 10.8 s vs
//! per-connection 10.8 s. Since 2026-11-26 lettre is patched to set `TCP_NODELAY`
//! (`vendor/lettre/PATCHED.md`): pooled 2.3-2.8 s, one connection per message 2.9-3.1 s.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use mailin_embedded::{Handler, Response, Server, response};
use skills_scan::batch::progress::Silent;
use skills_scan::batch::{Batch, Messages, Options};
use skills_scan::config::Config;
use skills_scan::core::{Scan, Standard};
use skills_scan::mail::MailError;
use skills_scan::mail::pace::SystemClock;
use skills_scan::mail::smtp::{Connection as Smtp, Outlet};
use skills_scan::{mail, sample, storage};

/// A server that counts messages and keeps none (so the bench measures the client, not the
/// server's memory).
#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl Handler for Counter {
    fn data(&mut self, _buf: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        self.0.fetch_add(1, Ordering::SeqCst);
        response::OK
    }
}

fn start_server() -> (u16, Arc<AtomicUsize>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let count = Arc::new(AtomicUsize::new(0));
    let mut server = Server::new(Counter(count.clone()));
    server.with_name("localhost").with_num_threads(4);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    server.with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, count)
}

/// CPU time this thread has used (ns), from the scheduler's own accounting.
fn thread_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

/// CPU time of the whole process (user + system, all threads incl. the server's), from
/// /proc/self/stat in clock ticks (USER_HZ, 100 on Linux).
fn process_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn status_kb(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak-memory mark so the next reading covers only what follows.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn generate(dir: &Path, n: usize) -> (Duration, u64) {
    let standard = Standard::embedded().unwrap();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 10, 30, 0)
        .single()
        .unwrap();
    let start = Instant::now();
    let (mut made, mut seed, mut bytes) = (0, 0u64, 0u64);
    while made < n {
        seed += 1;
        let mut scan = sample::submitted_scan(&standard, seed, now);
        if !scan.is_submitted() || scan.learner.email.parse::<lettre::Address>().is_err() {
            continue;
        }
        scan.id = format!("bench-{seed:06}");
        let path = dir.join(format!("{}.json", scan.id));
        storage::save_atomically(&path, &scan).unwrap();
        bytes += std::fs::metadata(&path).unwrap().len();
        made += 1;
    }
    (start.elapsed(), bytes / n as u64)
}

fn config(port: u16) -> Config {
    let text = format!(
        "[provider]\ncoach_email = \"coach.jones@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"Skills scan <skills-scan@example.org>\"\ntimeout_seconds = 30\n\n[batch]\nmax_per_minute = 0\nretries = 0\n"
    );
    Config::parse(Path::new("bench.toml"), &text).unwrap()
}

/// The CPU work per message, without the network: read + parse + summary + MIME, and each part.
fn work_per_message(dir: &Path, config: &Config) -> (Duration, [Duration; 4], usize) {
    let files = storage::scan_files(dir).unwrap();
    let now = Utc::now();
    let n = files.len() as u32;
    let mut parts = [Duration::ZERO; 4];
    let mut size = 0;
    let mut summary_only = Duration::ZERO;
    let start = thread_cpu();
    for f in &files {
        let t0 = thread_cpu();
        let bytes = std::fs::read(f).unwrap();
        let t1 = thread_cpu();
        let scan: Scan = storage::parse(f, &bytes).unwrap();
        let t2 = thread_cpu();
        let built = mail::message::build(&scan, &bytes, config, now).unwrap();
        let built_at = thread_cpu();
        // Of which the summary alone (rendered again here, only to measure it).
        let summary = skills_scan::core::summary::Summary::build(
            &scan,
            &mail::message::summary_options(config),
        );
        let (text, html) = (summary.to_text(), summary.to_html());
        summary_only += thread_cpu().saturating_sub(built_at);
        std::hint::black_box((text, html));
        let t3 = thread_cpu();
        size += built.message.formatted().len();
        let t4 = thread_cpu();
        for (i, (a, b)) in [(t0, t1), (t1, t2), (t2, built_at), (t3, t4)]
            .into_iter()
            .enumerate()
        {
            parts[i] += b.saturating_sub(a);
        }
    }
    let total = thread_cpu()
        .saturating_sub(start)
        .saturating_sub(summary_only)
        / n;
    println!(
        "  (of the summary & message step, rendering the summary text + HTML alone: {:.3} ms)",
        (summary_only / n).as_secs_f64() * 1e3
    );
    (total, parts.map(|p| p / n), size / files.len())
}

/// The chart's CPU cost per message (`mail::chart::png` alone, from the summary's glance) and
/// its average PNG size.
fn chart_per_message(dir: &Path, config: &Config) -> (Duration, usize) {
    let files = storage::scan_files(dir).unwrap();
    let (mut cpu, mut size) = (Duration::ZERO, 0);
    for f in &files {
        let scan = storage::load(f).unwrap();
        let summary = skills_scan::core::summary::Summary::build(
            &scan,
            &mail::message::summary_options(config),
        );
        let glance = summary.glance();
        let t0 = thread_cpu();
        let png = mail::chart::png(&glance).unwrap();
        cpu += thread_cpu().saturating_sub(t0);
        size += png.len();
    }
    (cpu / files.len() as u32, size / files.len())
}

/// The same messages sent the plain way: read, parse, build, send over one connection, and
/// nothing recorded (no lock, no log, no exactly-once). The floor the export is measured against.
fn plain_send(dir: &Path, config: &Config, outlet: &mut dyn Outlet) -> Run {
    let mut outlet = Timed { outlet, slow: 0 };
    let files = storage::scan_files(dir).unwrap();
    reset_peak();
    let (t0, c0, p0) = (Instant::now(), thread_cpu(), process_cpu());
    let mut sent = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let scan = storage::parse(f, &bytes).unwrap();
        let id = mail::message::new_message_id(config);
        let built = mail::message::build_with_id(&scan, &bytes, config, Utc::now(), &id).unwrap();
        outlet.send(&built.message).unwrap();
        sent += 1;
    }
    Run {
        wall: t0.elapsed(),
        thread_cpu: thread_cpu().saturating_sub(c0),
        process_cpu: process_cpu().saturating_sub(p0),
        peak_kb: status_kb("VmHWM:"),
        sent,
        slow: outlet.slow,
    }
}

/// What one save of a scan costs on this disk right now (its fsyncs wait for everything else
/// being written on the machine): the median wall time of 50 durable saves (`save_atomically`:
/// write, fsync, rename, fsync the folder), in a folder of their own, and the mean CPU time of
/// this thread for one save. The export makes two such saves a message ("sending" before it goes
/// out, the outcome after).
fn save_cost(dir: &Path) -> [Duration; 2] {
    let scan = storage::load(&storage::scan_files(dir).unwrap()[0]).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("one.json");
    let measure = |f: &dyn Fn()| {
        let cpu = thread_cpu();
        let mut times: Vec<Duration> = (0..50)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        let cpu = thread_cpu().saturating_sub(cpu) / 50;
        times.sort();
        (times[times.len() / 2], cpu)
    };
    let (full, full_cpu) = measure(&|| storage::save_atomically(&path, &scan).unwrap());
    [full, full_cpu]
}

fn print_save_cost(when: &str, dir: &Path) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let [full, full_cpu] = save_cost(dir);
    println!(
        "  disk {when}: one durable save of a scan {:.2} ms wall (median of 50; CPU {:.3} ms)",
        ms(full),
        ms(full_cpu)
    );
}

/// One new connection per message: a fresh transport each time, dropped after the send.
struct PerMessage(Config);

impl Outlet for PerMessage {
    fn send(&mut self, message: &lettre::Message) -> Result<(), MailError> {
        Smtp::open(self.0.smtp.as_ref().unwrap())
            .unwrap()
            .send(message)
    }
}

/// An outlet that counts the sends taking 5 ms or more: on loopback a send takes about 1 ms, so
/// those are stalls (before lettre was patched to set `TCP_NODELAY`, the server's delayed ACK
/// held the message's terminator for 40 ms about once in a hundred sends).
struct Timed<'a> {
    outlet: &'a mut dyn Outlet,
    slow: usize,
}

impl Outlet for Timed<'_> {
    fn send(&mut self, message: &lettre::Message) -> Result<(), MailError> {
        let t = Instant::now();
        let sent = self.outlet.send(message);
        if t.elapsed() >= Duration::from_millis(5) {
            self.slow += 1;
        }
        sent
    }
}

struct Run {
    wall: Duration,
    thread_cpu: Duration,
    process_cpu: Duration,
    peak_kb: u64,
    sent: usize,
    /// Sends of 5 ms or more.
    slow: usize,
}

fn export(dir: &Path, config: &Config, outlet: &mut dyn Outlet, resend: bool) -> Run {
    let mut outlet = Timed { outlet, slow: 0 };
    let mut opts = Options::new(dir);
    opts.messages = Messages::Email { resend };
    let mut build = |scan: &Scan, bytes: &[u8], config: &Config, now, id: &str| {
        mail::message::build_with_id(scan, bytes, config, now, id)
            .map(|b| b.message)
            .map_err(|e| e.to_string())
    };
    let mut progress = Silent;
    reset_peak();
    let (t0, c0, p0) = (Instant::now(), thread_cpu(), process_cpu());
    let report = Batch {
        opts: &opts,
        config,
        outlet: Some(&mut outlet),
        build: &mut build,
        clock: &SystemClock,
        now: &Utc::now,
        progress: &mut progress,
    }
    .run()
    .unwrap();
    let run = Run {
        wall: t0.elapsed(),
        thread_cpu: thread_cpu().saturating_sub(c0),
        process_cpu: process_cpu().saturating_sub(p0),
        peak_kb: status_kb("VmHWM:"),
        sent: report.sent.len(),
        slow: outlet.slow,
    };
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    assert!(report.skipped.is_empty(), "{:?}", report.skipped.first());
    run
}

fn print_run(label: &str, n: usize, r: &Run) {
    let per = |d: Duration| d.as_secs_f64() * 1e3 / n as f64;
    println!(
        "  {label:<26} wall {:>7.2} s ({:>6.0} msg/s) | export thread CPU {:.3} ms/msg | process CPU (incl. server) {:.3} ms/msg | peak RSS {:.1} MB | sent {} | sends over 5 ms {}",
        r.wall.as_secs_f64(),
        n as f64 / r.wall.as_secs_f64(),
        per(r.thread_cpu),
        per(r.process_cpu),
        mb(r.peak_kb),
        r.sent,
        r.slow
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run a tiny size then.
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = std::env::var("BATCH_BENCH_SIZES").ok().map_or_else(
        || if benching { vec![1000] } else { vec![20] },
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let (port, count) = start_server();
    let config = config(port);
    println!("batch export benchmark (loopback SMTP, mailin-embedded, no rate limit)");
    for n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        let dir: PathBuf = tmp.path().join("cohort");
        storage::create_private_dir(&dir).unwrap();
        let (gen_time, avg_size) = generate(&dir, n);
        println!(
            "{n} scans: generated in {:.2} s, {:.1} KB per scan file",
            gen_time.as_secs_f64(),
            avg_size as f64 / 1024.0
        );
        let (work, parts, msg_size) = work_per_message(&dir, &config);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "  CPU work per message (no network): {:.3} ms = read {:.3} + parse {:.3} + summary & message {:.3} + MIME text {:.3}; message {:.1} KB",
            ms(work),
            ms(parts[0]),
            ms(parts[1]),
            ms(parts[2]),
            ms(parts[3]),
            msg_size as f64 / 1024.0
        );
        let (chart, png) = chart_per_message(&dir, &config);
        println!(
            "  chart (mail::chart::png) CPU per message: {:.3} ms; PNG {:.1} KB",
            ms(chart),
            png as f64 / 1024.0
        );
        // Like with like: the plain sender and the export each send over one connection of
        // the same client (`mail::smtp::Connection`), opened before the clock starts and reused
        // for every message, to the same server; two rounds in turns, so that a change in the
        // machine's load shows in both.
        println!(
            "  plain sender vs exactly-once export: both over one reused connection (same client, same server), two rounds in turns"
        );
        print_save_cost("before", &dir);
        let (mut plain_total, mut export_total) = (Duration::ZERO, Duration::ZERO);
        for round in 1..=2 {
            let before = count.load(Ordering::SeqCst);
            let mut plain = Smtp::open(config.smtp.as_ref().unwrap()).unwrap();
            let floor = plain_send(&dir, &config, &mut plain);
            print_run(&format!("plain sender, round {round}"), n, &floor);
            assert_eq!(count.load(Ordering::SeqCst) - before, n);
            let before = count.load(Ordering::SeqCst);
            let mut pooled = Smtp::open(config.smtp.as_ref().unwrap()).unwrap();
            // The second round sends them all again (`--resend`: a new message each).
            let r = export(&dir, &config, &mut pooled, round > 1);
            print_run(&format!("exactly-once, round {round}"), n, &r);
            assert_eq!(count.load(Ordering::SeqCst) - before, n);
            println!(
                "  round {round}: exactly-once export / plain sender (wall): {:.2}x",
                r.wall.as_secs_f64() / floor.wall.as_secs_f64()
            );
            plain_total += floor.wall;
            export_total += r.wall;
        }
        println!(
            "  both rounds: exactly-once export / plain sender (wall): {:.2}x (target 1.2x)",
            export_total.as_secs_f64() / plain_total.as_secs_f64()
        );
        print_save_cost("after", &dir);
        let before = count.load(Ordering::SeqCst);
        let mut per = PerMessage(config.clone());
        let r = export(&dir, &config, &mut per, true);
        print_run("export, 1 conn per message", n, &r);
        assert_eq!(count.load(Ordering::SeqCst) - before, n);
        let _ = std::io::stdout().flush();
    }
}
