//! Batch export by email against a real SMTP server (mailin-embedded, from the mail tests'
//! support): every message checked, one login for the whole batch, a 4xx midway then a re-run,
//! a kill midway then a re-run, the server going away, the rate limit, and .eml files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::text;
use mail_parser::{MessageParser, MimeHeaders};
use mail_support::{Answer, Env, PASSWORD, SmtpServer, batch_config, dead_port, smtp_config};
use skills_scan::core::Scan;
use skills_scan::core::scan::EmailResult;
use skills_scan::storage;

use crate::support;
use crate::support::mail as mail_support;

/// `export DIR --email --json` and `extra`, with the password.
fn export_command(env: &Env, dir: &Path, extra: &[&str]) -> Command {
    let mut args = vec!["export", dir.to_str().unwrap(), "--email", "--json"];
    args.extend_from_slice(extra);
    env.command(&args, Some(PASSWORD))
}

fn export(env: &Env, dir: &Path, extra: &[&str]) -> Output {
    export_command(env, dir, extra).output().unwrap()
}

/// An export started in the background, its output piped.
#[cfg(unix)]
fn spawn_export(env: &Env, dir: &Path) -> Child {
    export_command(env, dir, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn report(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("report is not JSON ({e}): {}", text(out)))
}

fn count(report: &serde_json::Value, key: &str) -> usize {
    report[key].as_array().unwrap().len()
}

/// How many messages each learner address received.
fn per_learner(server: &SmtpServer) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for r in server.received() {
        *m.entry(r.to[0].clone()).or_insert(0) += 1;
    }
    m
}

fn load(path: &Path) -> Scan {
    storage::load(path).unwrap()
}

fn sent_ids(scan: &Scan) -> Vec<String> {
    scan.email_log
        .iter()
        .filter(|e| e.result == EmailResult::Sent)
        .map(|e| e.message_id.clone())
        .collect()
}

#[test]
fn small_cohort_is_sent_with_one_login_and_each_message_checked() {
    let server = SmtpServer::tls_auth();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(4);
    // A scan still in progress and a damaged file in the same folder.
    let standard = skills_scan::core::Standard::embedded().unwrap();
    let mut draft = skills_scan::sample::complete_scan(&standard, 7, support::now());
    draft.id = "draft-7".into();
    storage::save_atomically(&dir.join("draft-7.json"), &draft).unwrap();
    std::fs::write(dir.join("broken.json"), b"{\"format\":\"skills-scan\",").unwrap();

    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(r["mode"], "email");
    assert_eq!(count(&r, "sent"), 4);
    assert_eq!(count(&r, "failed"), 0);
    let reasons: Vec<(&str, &str)> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["file"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("broken.json", "unreadable"),
            ("draft-7.json", "not_submitted")
        ]
    );
    // One connection, one login for the whole batch.
    assert_eq!(server.logins().len(), 1, "{:?}", server.logins());

    let got = server.received();
    assert_eq!(got.len(), 4);
    for (path, before) in &scans {
        let scan = load(path);
        let m = got
            .iter()
            .find(|g| g.to[0] == scan.learner.email)
            .unwrap_or_else(|| panic!("nothing received for {}", scan.learner.email));
        assert_eq!(
            m.to,
            [
                scan.learner.email.clone(),
                scan.manager.email.clone(),
                "coach.jones@example.org".into()
            ]
        );
        let parsed = MessageParser::default().parse(&m.data).unwrap();
        assert!(
            parsed.subject().unwrap().contains(&scan.learner.name),
            "{:?}",
            parsed.subject()
        );
        assert!(parsed.body_text(0).unwrap().contains(&scan.learner.name));
        assert!(parsed.body_html(0).is_some());
        // The attachment is the scan file as it was before this send was logged.
        assert_eq!(parsed.attachment(1).unwrap().contents(), before.as_slice());
        assert_eq!(
            parsed.attachment(2).unwrap().attachment_name().unwrap(),
            "summary.html"
        );
        // The log: "sending" then "sent", same Message-ID as the message.
        let log = &scan.email_log;
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(log[0].result, EmailResult::Sending);
        assert_eq!(log[1].result, EmailResult::Sent);
        assert_eq!(log[0].message_id, log[1].message_id);
        assert_eq!(
            log[1].message_id.trim_matches(['<', '>']),
            parsed.message_id().unwrap()
        );
    }

    // A second run sends nothing: all already sent.
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 0);
    assert_eq!(
        r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["reason"] == "already_sent")
            .count(),
        4
    );
    assert_eq!(server.received().len(), 4);

    // --resend sends each again, as new messages.
    let out = export(&env, &dir, &["--resend"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&report(&out), "sent"), 4);
    assert_eq!(server.received().len(), 8);
    for (path, _) in &scans {
        let ids = sent_ids(&load(path));
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
    }
}

/// Watches the server from a thread: runs `act` once `n` messages have arrived.
fn when_received(
    server: &Arc<SmtpServer>,
    n: usize,
    act: impl FnOnce() + Send + 'static,
) -> std::thread::JoinHandle<()> {
    let server = server.clone();
    std::thread::spawn(move || {
        until_received(&server, n);
        act();
    })
}

/// Waits (a minute at most) until the server has received `n` messages.
fn until_received(server: &SmtpServer, n: usize) {
    let start = Instant::now();
    while server.received().len() < n {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "server never got {n}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Sends `sig` to a running export and waits for it to end: its output, and how long it took
/// to end after the signal.
#[cfg(unix)]
fn stop_export(child: Child, sig: rustix::process::Signal) -> (Output, Duration) {
    let at = Instant::now();
    signal(&child, sig);
    let out = child.wait_with_output().unwrap();
    (out, at.elapsed())
}

#[test]
fn temporary_failure_midway_then_rerun_sends_the_rest_once() {
    let server = Arc::new(SmtpServer::plain());
    // Retries off so the 4xx shows as a failure; spaced so the switch lands midway.
    let env = Env::with_config(&batch_config(&server, 300, 0));
    let (dir, scans) = env.cohort(6);
    let s = server.clone();
    let watcher = when_received(&server, 2, move || s.answer(Answer::Temporary));
    let out = export(&env, &dir, &[]);
    watcher.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let r = report(&out);
    let first_sent = count(&r, "sent");
    assert!((2..6).contains(&first_sent), "{}", text(&out));
    assert_eq!(first_sent + count(&r, "failed"), 6, "{}", text(&out));
    assert!(
        r["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("temporary"),
        "{r}"
    );

    server.answer(Answer::Accept);
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 6 - first_sent);
    // No duplicate, no gap: every learner exactly once.
    let got = per_learner(&server);
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got.values().all(|n| *n == 1), "{got:?}");
    for (path, _) in &scans {
        let scan = load(path);
        assert_eq!(sent_ids(&scan).len(), 1);
        assert!(skills_scan::batch::deliver::unfinished(&scan).is_none());
    }
}

#[test]
fn temporary_failure_is_retried_with_backoff_and_then_sent() {
    let server = Arc::new(SmtpServer::plain());
    let env = Env::with_config(&batch_config(&server, 0, 2));
    let (dir, _) = env.cohort(2);
    server.answer(Answer::Temporary);
    let s = server.clone();
    // Accept again shortly: the first retry (after 2 s) gets through.
    let healer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        s.answer(Answer::Accept);
    });
    let out = export(&env, &dir, &[]);
    healer.join().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&report(&out), "sent"), 2);
    assert_eq!(server.received().len(), 2);
}

#[test]
fn killed_midway_then_rerun_sends_each_exactly_once() {
    let server = Arc::new(SmtpServer::plain());
    let env = Env::with_config(&batch_config(&server, 300, 0));
    let (dir, scans) = env.cohort(6);
    let child: Arc<Mutex<Child>> = Arc::new(Mutex::new(
        export_command(&env, &dir, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let killed = Arc::new(AtomicBool::new(false));
    let (c, k) = (child.clone(), killed.clone());
    let watcher = when_received(&server, 3, move || {
        c.lock().unwrap().kill().unwrap(); // SIGKILL
        k.store(true, Ordering::SeqCst);
    });
    watcher.join().unwrap();
    let status = child.lock().unwrap().wait().unwrap();
    assert!(killed.load(Ordering::SeqCst));
    assert!(!status.success(), "killed before the end");
    let before_rerun = server.received().len();
    assert!(before_rerun < 6, "the batch was still running when killed");

    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    // A scan caught between the server's acceptance and the save is held back as unconfirmed:
    // it did arrive (it was the message that triggered the kill), so nothing is missing.
    let got = per_learner(&server);
    assert!(got.values().all(|n| *n == 1), "a duplicate: {got:?}");
    assert_eq!(got.len(), 6, "a gap: {got:?}\n{r}");
    for s in r["skipped"].as_array().unwrap() {
        assert!(
            ["already_sent", "unconfirmed"].contains(&s["reason"].as_str().unwrap()),
            "{s}"
        );
    }
    for (path, _) in &scans {
        let scan = load(path);
        let delivered = got.contains_key(&scan.learner.email);
        assert!(delivered);
        // Every scan's log shows it sent, or (the one caught mid-send) unfinished.
        assert!(
            sent_ids(&scan).len() == 1 || skills_scan::batch::deliver::unfinished(&scan).is_some(),
            "{:?}",
            scan.email_log
        );
    }
}

#[test]
fn server_going_away_stops_the_batch_and_a_rerun_finishes_it() {
    let dead = dead_port();
    let env = Env::with_config(&format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {dead}\nsecurity = \"none\"\nfrom = \"Skills scan <skills-scan@example.org>\"\ntimeout_seconds = 5\n\n[batch]\nmax_per_minute = 0\nretries = 0\n"
    ));
    let (dir, scans) = env.cohort(3);
    let out = export(&env, &dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let r = report(&out);
    assert!(r["stopped"].as_str().unwrap().contains("connect"), "{r}");
    assert_eq!(count(&r, "failed"), 1, "only the first was tried");
    // The failure is recorded (not left unfinished), so the next run sends it.
    let first = load(&scans[0].0);
    assert!(skills_scan::batch::deliver::unfinished(&first).is_none());

    let server = SmtpServer::plain();
    env.write_config(&batch_config(&server, 0, 0));
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&report(&out), "sent"), 3);
    assert_eq!(server.received().len(), 3);
}

#[test]
fn rate_limit_spaces_messages_evenly() {
    let server = SmtpServer::plain();
    // 120 a minute: one every 500 ms.
    let env = Env::with_config(&batch_config(&server, 120, 0));
    let (dir, _) = env.cohort(4);
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    // When the server itself accepted each message (not when a watcher noticed it, which a
    // busy machine can delay).
    let times: Vec<Instant> = server.received().iter().map(|r| r.at).collect();
    assert_eq!(times.len(), 4);
    // Paced, not sent in a burst: no two messages close together (unpaced they are a few
    // milliseconds apart), and the four spread over about three intervals. The slack is for the
    // time each message takes on the wire, which a loaded machine stretches for one and not the
    // next; the span is only off by the ends' share of it.
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(250), "messages {gap:?} apart");
    }
    let span = times[3] - times[0];
    assert!(
        span >= Duration::from_millis(1_350),
        "four messages over {span:?}"
    );
}

#[test]
fn eml_dir_gets_one_private_file_per_message_and_sends_nothing() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(2);
    let out_dir = env.dir.path().join("eml");
    let out = env
        .command(
            &[
                "export",
                dir.to_str().unwrap(),
                "--eml-dir",
                out_dir.to_str().unwrap(),
                "--json",
            ],
            Some(PASSWORD),
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "written"), 2);
    assert!(server.received().is_empty());
    #[cfg(unix)]
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    #[cfg(unix)]
    assert_eq!(mode(&out_dir), 0o700);
    for (path, before) in &scans {
        // Named after the scan (its learner and its id), as the report says.
        let name = path.file_name().unwrap().to_str().unwrap();
        let done = r["written"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["file"] == name)
            .unwrap();
        let eml = Path::new(done["eml"].as_str().unwrap()).to_path_buf();
        assert_eq!(eml.parent(), Some(out_dir.as_path()));
        let id = storage::load(path).unwrap().id;
        assert!(
            eml.to_str().unwrap().ends_with(&format!("-{id}.eml")),
            "{}",
            eml.display()
        );
        #[cfg(unix)]
        assert_eq!(mode(&eml), 0o600);
        let bytes = std::fs::read(&eml).unwrap();
        let parsed = MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(parsed.attachment(1).unwrap().contents(), before.as_slice());
        // Writing .eml files sends nothing and changes no scan.
        assert_eq!(&std::fs::read(path).unwrap(), before);
    }
}

#[test]
fn an_interrupted_send_is_held_back_until_resend_which_keeps_its_message_id() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(2);
    // As a run killed mid-send leaves it: a "sending" entry and no outcome.
    let (path, _) = &scans[0];
    let mut scan = load(path);
    scan.email_log
        .push(skills_scan::batch::deliver::sending_entry(
            &[scan.learner.email.clone()],
            "<interrupted-1@example.org>",
            support::now(),
        ));
    storage::save_atomically(path, &scan).unwrap();

    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 1);
    assert_eq!(r["skipped"][0]["reason"], "unconfirmed");
    assert!(
        r["skipped"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("<interrupted-1@example.org>")
    );
    assert_eq!(
        server.received().len(),
        1,
        "the unconfirmed one is not sent"
    );
    let human = env
        .command(
            &["export", dir.to_str().unwrap(), "--email"],
            Some(PASSWORD),
        )
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("unconfirmed"),
        "{}",
        text(&human)
    );

    // The advice names the one file to resend, so the rest of the cohort is not sent again.
    let advice = format!("skills-scan export {} --email --resend", path.display());
    assert!(
        r["skipped"][0]["detail"]
            .as_str()
            .unwrap()
            .contains(&advice),
        "{r}"
    );
    let out = export(&env, path, &["--resend"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(count(&report(&out), "sent"), 1);
    let got = server.received();
    assert_eq!(got.len(), 2, "only that one was sent again");
    let resent = got.iter().find(|g| g.to[0] == scan.learner.email).unwrap();
    let parsed = MessageParser::default().parse(&resent.data).unwrap();
    assert_eq!(parsed.message_id().unwrap(), "interrupted-1@example.org");
    assert_eq!(sent_ids(&load(path)), ["<interrupted-1@example.org>"]);
}

#[test]
fn a_message_waiting_in_the_outbox_is_sent_under_its_own_message_id() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(1);
    let (path, _) = &scans[0];
    let mut scan = load(path);
    scan.email_log.push(skills_scan::core::scan::EmailLogEntry {
        at: support::now(),
        to: vec![scan.learner.email.clone()],
        message_id: "<queued-7@example.org>".into(),
        result: EmailResult::Queued {
            reason: "cannot connect to the mail server".into(),
        },
    });
    storage::save_atomically(path, &scan).unwrap();
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let got = server.received();
    let parsed = MessageParser::default().parse(&got[0].data).unwrap();
    // Logged as sent under the outbox's Message-ID, so `outbox send` will not send it again.
    assert_eq!(parsed.message_id().unwrap(), "queued-7@example.org");
    assert_eq!(sent_ids(&load(path)), ["<queued-7@example.org>"]);
}

#[test]
fn a_scan_open_elsewhere_is_skipped_and_not_touched() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(2);
    let _held = storage::try_lock(&scans[1].0).unwrap();
    let csv = env.dir.path().join("cohort.csv");
    let out = export(&env, &dir, &["--csv", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 1);
    assert_eq!(r["skipped"][0]["reason"], "locked");
    assert_eq!(r["csv"]["rows"], 2, "the locked scan still gets its row");
    assert_eq!(std::fs::read(&scans[1].0).unwrap(), scans[1].1);
    assert_eq!(server.received().len(), 1);
}

/// Sends `signal` to a running child.
#[cfg(unix)]
fn signal(child: &Child, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
}

#[test]
fn a_server_that_keeps_answering_4xx_stops_the_export() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&smtp_config(
        &server,
        "\n[batch]\nmax_per_minute = 0\nretries = 0\nstop_after_failures = 3\n",
    ));
    let (dir, _) = env.cohort(6);
    server.answer(Answer::Temporary);
    let out = export(&env, &dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "failed"), 3, "stopped after three in a row: {r}");
    assert!(
        r["stopped"]
            .as_str()
            .unwrap()
            .contains("keeps refusing messages"),
        "{r}"
    );
    assert!(server.received().is_empty());
}

/// Starts an export of `n` scans and presses Ctrl-C once `k` messages arrived; checks what every
/// interrupted export does (exit 130, "interrupted" by SIGINT in the report, which counts
/// exactly the messages that arrived, fewer than all) and returns the report.
#[cfg(unix)]
fn ctrl_c_after(
    env: &Env,
    dir: &Path,
    server: &SmtpServer,
    k: usize,
    n: usize,
) -> serde_json::Value {
    let child = spawn_export(env, dir);
    until_received(server, k);
    let (out, _) = stop_export(child, rustix::process::Signal::INT);
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let r = report(&out);
    assert_eq!(r["interrupted"], 2, "{r}");
    let sent = count(&r, "sent");
    assert!((k..n).contains(&sent), "{r}");
    assert_eq!(
        sent,
        server.received().len(),
        "the report counts what arrived"
    );
    r
}

#[cfg(unix)]
#[test]
fn ctrl_c_mid_export_finishes_the_record_prints_the_report_and_exits_130() {
    let server = Arc::new(SmtpServer::plain());
    let env = Env::with_config(&batch_config(&server, 150, 0));
    let (dir, scans) = env.cohort(8);
    ctrl_c_after(&env, &dir, &server, 2, 8);
    for (path, _) in &scans {
        let scan = load(path);
        assert!(
            skills_scan::batch::deliver::unfinished(&scan).is_none(),
            "a definite record: {:?}",
            scan.email_log
        );
    }
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_retry_pause_leaves_failed_not_unconfirmed() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 3));
    let (dir, scans) = env.cohort(2);
    server.answer(Answer::Temporary);
    let child = spawn_export(&env, &dir);
    // The first attempt fails at once; the pause before the retry is 2 s.
    std::thread::sleep(Duration::from_millis(800));
    let (out, took) = stop_export(child, rustix::process::Signal::TERM);
    assert!(took < Duration::from_secs(2), "the pause was cut short");
    assert_eq!(out.status.code(), Some(143), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "failed"), 1, "{r}");
    let logs: Vec<_> = scans.iter().map(|(p, _)| load(p).email_log).collect();
    for scan in scans.iter().map(|(p, _)| load(p)) {
        assert!(skills_scan::batch::deliver::unfinished(&scan).is_none());
    }
    let failed = logs
        .iter()
        .filter(|log| {
            matches!(
                log.last().map(|e| &e.result),
                Some(EmailResult::Failed { .. })
            )
        })
        .count();
    assert_eq!(failed, 1, "the one in hand is recorded failed: {logs:?}");
    // And not tried again after the signal: one attempt, recorded sending then failed.
    let tried: Vec<_> = logs.iter().filter(|log| !log.is_empty()).collect();
    assert_eq!(tried.len(), 1, "{logs:?}");
    assert_eq!(tried[0].len(), 2, "{logs:?}");
    assert_eq!(tried[0][0].result, EmailResult::Sending);
    let reason = r["failed"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("the export was interrupted"), "{reason}");
}

/// Ctrl-C while the export waits for the next send slot (the per-minute limit) stops it there:
/// the scan waiting for its turn is not sent and left untouched, and the export ends at once
/// rather than after the wait.
#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_for_the_next_send_slot_sends_nothing_more() {
    let server = Arc::new(SmtpServer::plain());
    // 12 a minute: one every 5 s.
    let env = Env::with_config(&batch_config(&server, 12, 0));
    let (dir, scans) = env.cohort(4);
    let child = spawn_export(&env, &dir);
    until_received(&server, 1);
    std::thread::sleep(Duration::from_millis(300));
    let (out, took) = stop_export(child, rustix::process::Signal::INT);
    assert!(took < Duration::from_secs(3), "the wait was cut short");
    assert_eq!(out.status.code(), Some(130), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 1, "{r}");
    assert_eq!(server.received().len(), 1);
    for (path, bytes) in &scans[1..] {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[2/4] "), "{stderr}");
    assert!(stderr.contains(": not sent: interrupted"), "{stderr}");
}

#[test]
fn a_refused_manager_address_is_named_and_the_learner_still_gets_theirs() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(2);
    let first = load(&scans[0].0);
    server.refuse_recipient(&first.manager.email);
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 2, "{r}");
    let warnings = r["warnings"].to_string();
    assert!(
        warnings.contains(&format!("refused {}", first.manager.email)),
        "{r}"
    );
    let got: Vec<_> = server.received().into_iter().flat_map(|m| m.to).collect();
    assert!(got.contains(&first.learner.email), "{got:?}");
    assert!(!got.contains(&first.manager.email), "{got:?}");
    assert_eq!(
        got.iter().filter(|a| **a == first.learner.email).count(),
        1,
        "the learner gets it once"
    );
    let log = load(&scans[0].0).email_log;
    let last = log.last().unwrap();
    assert_eq!(last.result, EmailResult::Sent);
    assert!(!last.to.contains(&first.manager.email));
    assert!(skills_scan::batch::deliver::unfinished(&load(&scans[0].0)).is_none());
}

/// Scans whose log holds a "sending" entry without an outcome (reported as unconfirmed).
fn unconfirmed(scans: &[(PathBuf, Vec<u8>)]) -> Vec<Scan> {
    scans
        .iter()
        .map(|(p, _)| load(p))
        .filter(|s| skills_scan::batch::deliver::unfinished(s).is_some())
        .collect()
}

/// With no rate limit a message's "sent" entry is saved while the next scan is read and its
/// message built, and that message's "sending" entry right after; both are on disk before it
/// goes out. A SIGKILL at any moment then leaves at most one message unconfirmed (the one just
/// sent, or the one about to go), as saving in line did: never a message twice, never a gap.
#[test]
fn killed_mid_unpaced_export_sends_nothing_twice_and_leaves_at_most_one_unconfirmed() {
    let server = Arc::new(SmtpServer::plain());
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let n = 30;
    let (dir, scans) = env.cohort(n);
    let child: Arc<Mutex<Child>> = Arc::new(Mutex::new(
        export_command(&env, &dir, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let c = child.clone();
    let watcher = when_received(&server, 5, move || c.lock().unwrap().kill().unwrap());
    watcher.join().unwrap();
    let status = child.lock().unwrap().wait().unwrap();
    assert!(!status.success(), "killed before the end");
    assert!(server.received().len() < n, "the batch was still running");

    let held = unconfirmed(&scans);
    assert!(held.len() <= 1, "at most one in flight: {}", held.len());
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    let got = per_learner(&server);
    assert!(got.values().all(|n| *n == 1), "a duplicate: {got:?}");
    let held_back = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] == "unconfirmed")
        .count();
    assert_eq!(held_back, held.len(), "{r}");
    // Every scan arrived exactly once, but for an unconfirmed one that never went out.
    let missing: Vec<_> = held
        .iter()
        .filter(|s| !got.contains_key(&s.learner.email))
        .collect();
    assert_eq!(got.len() + missing.len(), n, "a gap: {got:?}\n{r}");
    for (path, _) in &scans {
        let scan = load(path);
        assert!(
            sent_ids(&scan).len() == 1 || skills_scan::batch::deliver::unfinished(&scan).is_some(),
            "{:?}",
            scan.email_log
        );
    }
}

/// With no rate limit, Ctrl-C mid-export: the message in hand is finished, every message sent is
/// recorded sent before the report (none left unconfirmed), the report lists them in the files'
/// order, and the scans not sent are untouched, byte for byte.
#[cfg(unix)]
#[test]
fn ctrl_c_mid_unpaced_export_records_every_message_sent_and_touches_no_other_scan() {
    let server = Arc::new(SmtpServer::plain());
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let n = 40;
    let (dir, scans) = env.cohort(n);
    let r = ctrl_c_after(&env, &dir, &server, 3, n);
    let sent = count(&r, "sent");
    assert!(unconfirmed(&scans).is_empty(), "a definite record for each");
    let untouched = scans
        .iter()
        .filter(|(path, bytes)| &std::fs::read(path).unwrap() == bytes)
        .count();
    assert_eq!(untouched, n - sent);
    let files: Vec<_> = r["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

/// A second link to the scan just sent, next in the walk, is read once the scan's "sent" entry
/// is saved (and its lock let go): it is found already sent, not "open in another skills-scan".
/// The progress lines keep the files' order.
#[cfg(unix)]
#[test]
fn a_second_link_to_the_scan_just_sent_is_found_already_sent_not_locked() {
    let server = SmtpServer::plain();
    let env = Env::with_config(&batch_config(&server, 0, 0));
    let (dir, scans) = env.cohort(3);
    let target = &scans[0].0;
    // `NAME.link.json` sorts straight after `NAME.json`.
    let link = target.with_extension("link.json");
    std::os::unix::fs::symlink(target, &link).unwrap();
    let out = export(&env, &dir, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r = report(&out);
    assert_eq!(count(&r, "sent"), 3, "{r}");
    assert_eq!(count(&r, "skipped"), 1, "{r}");
    assert_eq!(r["skipped"][0]["reason"], "already_sent", "{r}");
    assert!(per_learner(&server).values().all(|n| *n == 1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let steps: Vec<&str> = stderr.lines().filter(|l| l.starts_with('[')).collect();
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let expected = [
        format!("[1/4] {}: sent", name(target)),
        format!("[2/4] {}: skipped: already sent", name(&link)),
        format!("[3/4] {}: sent", name(&scans[1].0)),
        format!("[4/4] {}: sent", name(&scans[2].0)),
    ];
    assert_eq!(steps, expected, "{stderr}");
}

/// A message that cannot be built after its "sending" entry was saved (the entry is saved while
/// the message is built) is recorded as failed with the reason, never left unconfirmed: the next
/// run sends it.
#[test]
fn a_message_that_cannot_be_built_is_recorded_failed_and_sent_by_the_next_run() {
    use skills_scan::batch::{Batch, Messages, Options, progress::Silent};
    use skills_scan::config::Config;
    use skills_scan::mail::{self, pace::SystemClock, smtp::Connection};
    let server = SmtpServer::plain();
    let env = Env::new();
    let (dir, scans) = env.cohort(2);
    let config = Config::parse(
        Path::new("test.toml"),
        &format!(
            "[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"Skills scan <skills-scan@example.org>\"\n\n[batch]\nmax_per_minute = 0\nretries = 0\n",
            server.port
        ),
    )
    .unwrap();
    let broken = load(&scans[0].0).id;
    let run = |fail: bool| {
        let mut opts = Options::new(&dir);
        opts.messages = Messages::Email { resend: false };
        let mut build = |scan: &Scan, bytes: &[u8], config: &Config, now, id: &str| {
            if fail && scan.id == broken {
                return Err("the chart could not be drawn".to_string());
            }
            mail::message::build_with_id(scan, bytes, config, now, id)
                .map(|b| b.message)
                .map_err(|e| e.to_string())
        };
        let mut outlet = Connection::open(config.smtp.as_ref().unwrap()).unwrap();
        Batch {
            opts: &opts,
            config: &config,
            outlet: Some(&mut outlet),
            build: &mut build,
            clock: &SystemClock,
            now: &chrono::Utc::now,
            progress: &mut Silent,
        }
        .run()
        .unwrap()
    };
    let report = run(true);
    assert_eq!(report.sent.len(), 1, "{report:?}");
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(
        report.failed[0]
            .reason
            .contains("cannot build the message: the chart could not be drawn"),
        "{report:?}"
    );
    let scan = load(&scans[0].0);
    assert!(skills_scan::batch::deliver::unfinished(&scan).is_none());
    assert!(matches!(
        &scan.email_log.last().unwrap().result,
        EmailResult::Failed { reason } if reason.contains("cannot build")
    ));
    assert_eq!(server.received().len(), 1);

    let report = run(false);
    assert_eq!(report.sent.len(), 1, "{report:?}");
    assert_eq!(
        report.skipped.len(),
        1,
        "the other was sent already: {report:?}"
    );
    assert_eq!(server.received().len(), 2);
    assert!(per_learner(&server).values().all(|n| *n == 1));
}
