//! `send`, `outbox`, `outbox send` and `config test-smtp`, driving the real binary against a
//! real SMTP server in the test process (plain, STARTTLS + AUTH, 4xx, 5xx, down).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;

use crate::support::text;
use mail_parser::{MessageParser, MimeHeaders};
use mail_support::{Answer, Env, PASSWORD, SmtpServer, load, smtp_config, submitted};
use skills_scan::core::scan::{EmailResult, Learner};

use crate::support::mail as mail_support;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn plain_smtp_send_delivers_and_logs() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let scan = submitted(7);
    let path = env.write_scan(&scan);
    let before = std::fs::read(&path).unwrap();
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("Sent the summary"));
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].from, "skills-scan@example.org");
    assert_eq!(
        got[0].to,
        [
            scan.learner.email.clone(),
            scan.manager.email.clone(),
            "coach.jones@example.org".into()
        ]
    );
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(
        m.subject().unwrap(),
        "Skills scan – Siân Nowak – Peer worker (level 3)"
    );
    assert_eq!(
        m.to().unwrap().first().unwrap().name().unwrap(),
        "Siân Nowak"
    );
    assert!(m.body_text(0).unwrap().contains("Siân Nowak"));
    assert!(m.body_html(0).unwrap().contains("Siân Nowak"));
    assert_eq!(m.attachment(1).unwrap().contents(), before.as_slice());
    assert_eq!(
        m.attachment(2).unwrap().attachment_name().unwrap(),
        "summary.html"
    );
    let after = load(&path);
    let last = after.email_log.last().unwrap();
    assert_eq!(last.result, EmailResult::Sent);
    assert_eq!(
        last.message_id.trim_matches(['<', '>']),
        m.message_id().unwrap()
    );
    assert_eq!(last.to.len(), 3);
}

#[test]
fn starttls_with_auth_accepted() {
    let server = SmtpServer::tls_auth();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["config", "test-smtp"], Some(PASSWORD));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("logged in as smtp-user"));
    assert!(server.received().is_empty(), "test-smtp sends nothing");
    let path = env.write_scan(&submitted(2));
    let out = env.run(&["send", path.to_str().unwrap()], Some(PASSWORD));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(server.received().len(), 1);
    assert!(server.logins().contains(&"smtp-user".to_string()));
}

#[test]
fn password_command_is_used() {
    let server = SmtpServer::tls_auth();
    let env = Env::new();
    // Run by the system's shell: `sh -c`, on Windows `cmd /C`.
    let command = if cfg!(windows) {
        format!("echo {PASSWORD}")
    } else {
        format!("printf '%s\\\\n' {PASSWORD}")
    };
    env.write_config(&smtp_config(
        &server,
        &format!("password_command = \"{command}\"\n"),
    ));
    let out = env.run(&["config", "test-smtp"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn auth_refused_is_reported_and_queued() {
    let server = SmtpServer::tls_auth();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["config", "test-smtp"], Some("wrong-password"));
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(text(&out).contains("refused the login"), "{}", text(&out));
    let path = env.write_scan(&submitted(3));
    let out = env.run(&["send", path.to_str().unwrap()], Some("wrong-password"));
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(
        text(&out).contains("queued in the outbox"),
        "{}",
        text(&out)
    );
    assert!(server.received().is_empty());
    assert!(matches!(
        load(&path).email_log.last().unwrap().result,
        EmailResult::Queued { .. }
    ));
}

#[test]
fn untrusted_certificate_is_a_tls_problem() {
    let server = SmtpServer::tls_auth();
    let env = Env::new();
    let config = smtp_config(&server, "").replace(
        &format!(
            "ca_file = '{}'\n",
            server.ca_file.as_ref().unwrap().display()
        ),
        "",
    );
    env.write_config(&config);
    let out = env.run(&["config", "test-smtp"], Some(PASSWORD));
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(text(&out).contains("TLS"), "{}", text(&out));
}

#[test]
fn refusal_then_outbox_send_delivers_once() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    server.answer(Answer::Refuse);
    let path = env.write_scan(&submitted(4));
    let before = std::fs::read(&path).unwrap();
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("refused the message"), "{}", text(&out));
    let logged = load(&path).email_log.last().unwrap().clone();
    assert!(matches!(logged.result, EmailResult::Failed { .. }));
    let list = env.run(&["outbox"], None);
    assert_eq!(code(&list), 0);
    assert!(text(&list).contains("1 message waiting"), "{}", text(&list));
    assert!(text(&list).contains("refused the message"));
    assert!(text(&list).contains("Skills scan –"));
    server.answer(Answer::Accept);
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("1 sent"), "{}", text(&out));
    let again = env.run(&["outbox", "send"], None);
    assert_eq!(code(&again), 0);
    assert!(text(&again).contains("empty"), "{}", text(&again));
    let got = server.received();
    assert_eq!(got.len(), 1, "sent exactly once");
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(
        m.message_id().unwrap(),
        logged.message_id.trim_matches(['<', '>'])
    );
    assert_eq!(m.attachment(1).unwrap().contents(), before.as_slice());
    let log = load(&path).email_log;
    assert!(
        log.iter()
            .any(|e| e.message_id == logged.message_id && e.result == EmailResult::Sent)
    );
    assert!(
        std::fs::read_dir(env.outbox())
            .unwrap()
            .all(|e| { e.unwrap().file_name().to_string_lossy().starts_with('.') })
    );
}

#[test]
fn temporary_failure_is_queued_and_retried() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    server.answer(Answer::Temporary);
    let path = env.write_scan(&submitted(5));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 75, "{}", text(&out));
    let retry = env.run(&["outbox", "send"], None);
    assert_eq!(code(&retry), 75, "still failing: {}", text(&retry));
    server.answer(Answer::Accept);
    let retry = env.run(&["outbox", "send"], None);
    assert_eq!(code(&retry), 0, "{}", text(&retry));
    let again = env.run(&["outbox", "send"], None);
    assert_eq!(code(&again), 0);
    assert_eq!(server.received().len(), 1, "no duplicate");
    let log = load(&path).email_log;
    assert_eq!(log.len(), 2, "queued, then sent: {log:?}");
    assert_eq!(log[0].message_id, log[1].message_id);
}

#[test]
fn server_down_queues_and_test_smtp_says_refused() {
    let env = Env::new();
    let port = mail_support::dead_port();
    env.write_config(&format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"skills-scan@example.org\"\ntimeout_seconds = 5\n"
    ));
    let out = env.run(&["config", "test-smtp"], None);
    assert_eq!(code(&out), 75, "{}", text(&out));
    assert!(text(&out).contains("refused"), "{}", text(&out));
    let path = env.write_scan(&submitted(8));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 75, "{}", text(&out));
    let files: Vec<_> = std::fs::read_dir(env.outbox())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    #[cfg(unix)]
    let dir_mode = std::fs::metadata(env.outbox())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    #[cfg(unix)]
    assert_eq!(dir_mode, 0o700);
    #[cfg(unix)]
    for f in files {
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn not_configured_queues_then_sends_with_the_real_sender() {
    let env = Env::new();
    let path = env.write_scan(&submitted(9));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(text(&out).contains("not configured"), "{}", text(&out));
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].from, "skills-scan@example.org");
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(
        m.from().unwrap().first().unwrap().address().unwrap(),
        "skills-scan@example.org"
    );
}

#[test]
fn hostile_names_arrive_escaped_without_injected_headers() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let mut scan = submitted(10);
    scan.learner = Learner {
        name: "Siân Ŵyn\r\nBcc: victim@example.org\u{1b}[2J <script>x</script>".into(),
        email: "sian.wyn@example.org".into(),
    };
    let path = env.write_scan(&scan);
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let got = server.received();
    assert_eq!(got[0].to.len(), 3, "no extra recipient");
    assert!(!got[0].to.iter().any(|t| t.contains("victim")));
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert!(m.bcc().is_none());
    assert!(
        m.subject()
            .unwrap()
            .starts_with("Skills scan – Siân Ŵyn Bcc:")
    );
    let html = m.body_html(0).unwrap();
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(!html.contains("<script"));
    assert!(!m.body_text(0).unwrap().contains('\u{1b}'));
}

#[test]
fn the_password_is_never_printed_or_stored() {
    let server = SmtpServer::tls_auth();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let mut outputs = Vec::new();
    let p1 = env.write_scan(&submitted(11));
    outputs.push(env.run(&["config", "test-smtp"], Some(PASSWORD)));
    outputs.push(env.run(&["send", p1.to_str().unwrap()], Some(PASSWORD)));
    server.answer(Answer::Temporary);
    let p2 = env.write_scan(&submitted(12));
    outputs.push(env.run(&["send", p2.to_str().unwrap()], Some(PASSWORD)));
    outputs.push(env.run(&["outbox"], Some(PASSWORD)));
    outputs.push(env.run(&["config"], Some(PASSWORD)));
    outputs.push(env.run(&["config", "test-smtp"], Some(&format!("{PASSWORD}x"))));
    server.answer(Answer::Accept);
    outputs.push(env.run(&["outbox", "send"], Some(PASSWORD)));
    assert_eq!(server.received().len(), 2);
    for out in &outputs {
        assert!(
            !text(out).contains(PASSWORD),
            "password in output: {}",
            text(out)
        );
    }
    for (path, bytes) in env.all_files() {
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains(PASSWORD), "password in {}", path.display());
    }
    for r in server.received() {
        assert!(!String::from_utf8_lossy(&r.data).contains(PASSWORD));
    }
}

#[test]
fn a_message_marked_sent_is_never_sent_again() {
    // As if a previous `outbox send` crashed after the server accepted the message but before
    // the scan file was updated: the entry is marked sent.
    let env = Env::new();
    let port = mail_support::dead_port();
    env.write_config(&format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"skills-scan@example.org\"\n"
    ));
    let path = env.write_scan(&submitted(2));
    assert_eq!(code(&env.run(&["send", path.to_str().unwrap()], None)), 75);
    let meta = std::fs::read_dir(env.outbox())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let mut entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
    entry["sent_at"] = serde_json::json!("2026-11-23T10:31:00Z");
    std::fs::write(&meta, serde_json::to_vec(&entry).unwrap()).unwrap();
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("Already sent"), "{}", text(&out));
    assert!(server.received().is_empty(), "not sent a second time");
    let log = load(&path).email_log;
    assert_eq!(log.last().unwrap().result, EmailResult::Sent);
    assert!(!meta.exists());
}

#[test]
fn outbox_send_leaves_a_scan_another_process_holds_and_sends_it_later_once() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    server.answer(Answer::Temporary);
    let path = env.write_scan(&submitted(6));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 75, "{}", text(&out));
    server.answer(Answer::Accept);

    // Another skills-scan (a batch export, the coach's view) holds the scan: `outbox send`
    // must not send its message now, since that process may be sending it too.
    let lock = skills_scan::storage::try_lock(&path).unwrap();
    let busy = env.run(&["outbox", "send"], None);
    assert_eq!(code(&busy), 75, "{}", text(&busy));
    assert!(
        text(&busy).contains("open in another skills-scan"),
        "{}",
        text(&busy)
    );
    assert_eq!(
        server.received().len(),
        0,
        "nothing sent while the scan is held"
    );

    drop(lock);
    let retry = env.run(&["outbox", "send"], None);
    assert_eq!(code(&retry), 0, "{}", text(&retry));
    assert_eq!(server.received().len(), 1, "sent once the scan is free");
    let log = load(&path).email_log;
    assert_eq!(
        log.last().unwrap().result,
        skills_scan::core::scan::EmailResult::Sent
    );
}

/// The messages waiting in the outbox (their `.eml` files).
fn waiting(env: &Env) -> usize {
    std::fs::read_dir(env.outbox()).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml"))
        })
        .count()
    })
}

#[test]
fn send_three_times_while_the_server_is_down_then_up_delivers_once() {
    let env = Env::new();
    let port = mail_support::dead_port();
    env.write_config(&format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"skills-scan@example.org\"\ntimeout_seconds = 5\n"
    ));
    let path = env.write_scan(&submitted(12));
    for _ in 0..3 {
        let out = env.run(&["send", path.to_str().unwrap()], None);
        assert_eq!(code(&out), 75, "{}", text(&out));
    }
    assert_eq!(waiting(&env), 1, "one message waits, tried three times");
    let ids: std::collections::BTreeSet<_> = load(&path)
        .email_log
        .iter()
        .map(|e| e.message_id.clone())
        .collect();
    assert_eq!(ids.len(), 1, "the same Message-ID every time");
    let list = env.run(&["list"], None);
    assert!(
        text(&list).contains("1 message is waiting in the outbox"),
        "{}",
        text(&list)
    );
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(server.received().len(), 1, "delivered once");
    assert_eq!(waiting(&env), 0);
    let got = server.received();
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(
        m.message_id().unwrap(),
        ids.first().unwrap().trim_matches(['<', '>'])
    );
}

#[test]
fn queued_without_email_then_send_then_outbox_send_delivers_once() {
    let env = Env::new();
    let path = env.write_scan(&submitted(13));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    let queued_id = load(&path).email_log[0].message_id.clone();
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(waiting(&env), 0, "taken out of the outbox");
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let got = server.received();
    assert_eq!(got.len(), 1, "delivered once");
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(m.message_id().unwrap(), queued_id.trim_matches(['<', '>']));
    assert_eq!(got[0].from, "skills-scan@example.org", "the real sender");
    let log = load(&path).email_log;
    assert_eq!(log.last().unwrap().result, EmailResult::Sent);
    assert_eq!(log.last().unwrap().message_id, queued_id);
}

#[test]
fn send_twice_sends_once_unless_resend() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let path = env.write_scan(&submitted(14));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("Already sent on"), "{said}");
    assert!(said.contains(&submitted(14).learner.email), "{said}");
    assert!(said.contains("--resend"), "{said}");
    assert_eq!(server.received().len(), 1);
    let out = env.run(&["send", "--resend", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(server.received().len(), 2, "--resend sends again");
}

#[test]
fn a_refused_login_stops_outbox_send_after_one_attempt() {
    let server = SmtpServer::tls_auth();
    let env = Env::new();
    let paths: Vec<_> = (20..24).map(|s| env.write_scan(&submitted(s))).collect();
    for p in &paths {
        let out = env.run(&["send", p.to_str().unwrap()], None);
        assert_eq!(code(&out), 78, "{}", text(&out));
    }
    assert_eq!(waiting(&env), 4);
    env.write_config(&smtp_config(&server, "\n[batch]\nmax_per_minute = 6000\n"));
    let out = env.run(&["outbox", "send"], Some("wrong-password"));
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(text(&out).contains("refused the login"), "{}", text(&out));
    assert!(
        text(&out).contains("3 messages not tried"),
        "{}",
        text(&out)
    );
    assert_eq!(
        server.logins().len(),
        1,
        "one failed login, not one per message"
    );
    assert_eq!(waiting(&env), 4, "nothing lost");
    let out = env.run(&["outbox", "send"], Some(PASSWORD));
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(server.received().len(), 4);
}

#[test]
fn outbox_send_drops_a_message_whose_scan_was_sent_since() {
    let server = SmtpServer::plain();
    let env = Env::new();
    let path = env.write_scan(&submitted(15));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    env.write_config(&smtp_config(&server, ""));
    // The summary goes out another way (a batch export) while the message waits.
    let out = env.run(
        &[
            "export",
            path.parent().unwrap().to_str().unwrap(),
            "--email",
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(server.received().len(), 1);
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("removed from the outbox"),
        "{}",
        text(&out)
    );
    assert_eq!(server.received().len(), 1, "not sent twice");
    assert_eq!(waiting(&env), 0);
}

#[test]
fn the_learners_app_sends_the_waiting_outbox_by_itself() {
    let env = Env::new();
    let path = env.write_scan(&submitted(16));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert_eq!(waiting(&env), 1);
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    // The learner starts a new scan (plain, input ends at once): the outbox drains meanwhile.
    let out = env.run(&["new", "--plain"], None);
    assert_eq!(server.received().len(), 1, "sent without `outbox send`");
    // And it says so, in one line.
    assert!(
        text(&out).contains("Sent 1 email that waited in the outbox."),
        "{}",
        text(&out)
    );
    assert_eq!(waiting(&env), 0);
    assert_eq!(
        load(&path).email_log.last().unwrap().result,
        EmailResult::Sent
    );
}

#[test]
fn tls_against_a_plain_server_is_a_configuration_error() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&format!(
        "[smtp]\nhost = \"localhost\"\nport = {}\nsecurity = \"tls\"\nfrom = \"skills-scan@example.org\"\ntimeout_seconds = 5\n",
        server.port
    ));
    let out = env.run(&["config", "test-smtp"], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(text(&out).contains("security"), "{}", text(&out));
    let path = env.write_scan(&submitted(17));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    let dir = path.parent().unwrap().to_str().unwrap().to_string();
    let out = env.run(&["export", &dir, "--email", "--resend"], None);
    assert_eq!(code(&out), 78, "{}", text(&out));
    assert!(text(&out).contains("security"), "{}", text(&out));
}

#[test]
fn starttls_or_plain_against_an_implicit_tls_server_is_a_configuration_error_at_once() {
    let port = mail_support::implicit_tls_server();
    let env = Env::new();
    let path = env.write_scan(&submitted(19));
    let dir = path.parent().unwrap().to_str().unwrap().to_string();
    // The timeout is long: an answer well before it is the check's, not the timeout's.
    for security in ["starttls", "none"] {
        env.write_config(&format!(
            "[smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"{security}\"\nfrom = \"skills-scan@example.org\"\ntimeout_seconds = 60\n"
        ));
        for args in [
            vec!["config", "test-smtp"],
            vec!["send", path.to_str().unwrap()],
            vec!["export", &dir, "--email", "--resend"],
        ] {
            let started = std::time::Instant::now();
            let out = env.run(&args, None);
            assert_eq!(code(&out), 78, "{security} {args:?}: {}", text(&out));
            assert!(
                text(&out).contains("security = \"tls\""),
                "{security} {args:?}: {}",
                text(&out)
            );
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "{security} {args:?} waited for the timeout: {:?}",
                started.elapsed()
            );
        }
    }
}

/// Issue 13: a submit killed while the server has the message in hand leaves it in the outbox
/// (not nothing), and the next `outbox send` sends that same message, once.
#[test]
fn a_send_killed_mid_send_leaves_the_message_queued_and_it_goes_once() {
    let env = Env::new();
    let hung = mail_support::silent_server();
    env.write_config(&format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {hung}\nsecurity = \"none\"\nfrom = \"skills-scan@example.org\"\ntimeout_seconds = 60\n"
    ));
    let path = env.write_scan(&submitted(21));
    let mut child = env
        .command(&["send", path.to_str().unwrap()], None)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the message is queued (it is, before it goes to the server), then kill.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let queued = loop {
        let found: Vec<_> = std::fs::read_dir(env.outbox())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        if let Some(p) = found.first() {
            break p.clone();
        }
        assert!(std::time::Instant::now() < until, "nothing queued");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&queued).unwrap()).unwrap();
    let message_id = entry["message_id"].as_str().unwrap().to_string();
    assert!(load(&path).email_log.is_empty(), "killed before any record");
    // The server is back: the queued message goes, the same one, once.
    let server = SmtpServer::plain();
    env.write_config(&smtp_config(&server, ""));
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains("Already sent"), "{}", text(&out));
    let got = server.received();
    assert_eq!(got.len(), 1, "sent once");
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(m.message_id().unwrap(), message_id.trim_matches(['<', '>']));
    let log = load(&path).email_log;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].result, EmailResult::Sent);
    assert_eq!(log[0].message_id, message_id);
    assert!(
        std::fs::read_dir(env.outbox())
            .unwrap()
            .flatten()
            .all(|e| e.file_name().to_string_lossy().starts_with('.')),
        "the outbox is empty"
    );
}

#[test]
fn send_names_a_refused_manager_address_and_the_learner_still_gets_theirs() {
    let server = SmtpServer::plain();
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let scan = submitted(18);
    server.refuse_recipient(&scan.manager.email);
    let path = env.write_scan(&scan);
    let out = env.run(&["send", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains(&format!("Not delivered to: {}", scan.manager.email)),
        "{}",
        text(&out)
    );
    let got: Vec<_> = server.received().into_iter().flat_map(|m| m.to).collect();
    assert_eq!(
        got.iter().filter(|a| **a == scan.learner.email).count(),
        1,
        "{got:?}"
    );
    assert!(!got.contains(&scan.manager.email));
    assert_eq!(
        load(&path).email_log.last().unwrap().result,
        EmailResult::Sent
    );
}
