//! Two batch exports over the same folder at once, against a real SMTP server: the scan locks
//! hold, so every learner gets exactly one message, each scan's log records exactly one send, and
//! whatever one export leaves to the other is reported with its reason (locked or already sent).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::process::Stdio;

use crate::support::text;
use mail_support::{Env, PASSWORD, SmtpServer, batch_config};
use skills_scan::core::scan::EmailResult;
use skills_scan::storage;

use crate::support::mail as mail_support;

#[test]
fn two_exports_at_once_send_each_summary_exactly_once() {
    let server = SmtpServer::plain();
    // Paced (10 a second) so that the two runs overlap for the whole batch.
    let env = Env::with_config(&batch_config(&server, 600, 0));
    let dir = env.path().join("cohort");
    let files: Vec<_> = crate::support::cohort(&dir, 200, 12)
        .into_iter()
        .map(|path| {
            let learner = storage::load(&path).unwrap().learner.email;
            (path, learner)
        })
        .collect();

    let spawn = || {
        env.command(
            &["export", dir.to_str().unwrap(), "--email", "--json"],
            Some(PASSWORD),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "first export: {}", text(&a));
    assert!(b.status.success(), "second export: {}", text(&b));

    let report = |out: &std::process::Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
    };
    let (ra, rb) = (report(&a), report(&b));
    let sent = |r: &serde_json::Value| r["sent"].as_array().unwrap().len();
    assert_eq!(sent(&ra) + sent(&rb), files.len(), "{ra}\n{rb}");
    assert!(
        sent(&ra) > 0 && sent(&rb) > 0,
        "the two paced exports overlapped and shared the work: {ra}\n{rb}"
    );
    for r in [&ra, &rb] {
        assert!(r["failed"].as_array().unwrap().is_empty(), "{r}");
        for s in r["skipped"].as_array().unwrap() {
            let reason = s["reason"].as_str().unwrap();
            assert!(
                reason.contains("locked") || reason.contains("already"),
                "a scan the other export had was skipped for another reason: {s}"
            );
        }
    }

    // The server got one message per learner, and each scan logs exactly one send.
    let mut per_learner: BTreeMap<String, usize> = BTreeMap::new();
    for r in server.received() {
        *per_learner.entry(r.to[0].clone()).or_default() += 1;
    }
    for (path, learner) in &files {
        assert_eq!(
            per_learner.get(learner),
            Some(&1),
            "{learner}: {per_learner:?}"
        );
        let scan = storage::load(path).unwrap();
        let sends = scan
            .email_log
            .iter()
            .filter(|e| e.result == EmailResult::Sent)
            .count();
        assert_eq!(sends, 1, "{}", path.display());
    }
    assert_eq!(server.received().len(), files.len());
}
