//! Proof for email: hostile text in names and answers (any characters, generated) never adds a
//! header, never reaches the HTML summary as markup or control characters; and the SMTP password
//! never appears on the learner's screen, in any file, or in what the server receives, whether
//! the login works or is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use mail_parser::MessageParser;
use mail_support::PASSWORD;
#[cfg(unix)]
use mail_support::{Env, SmtpServer, smtp_config};
use proptest::prelude::*;
use skills_scan::config::Config;
use skills_scan::core::Standard;
use skills_scan::core::scan::{Learner, Manager};
use skills_scan::mail::message;

use crate::support;
use crate::support::mail as mail_support;
#[cfg(unix)]
use crate::support::pty::App;

fn config() -> Config {
    mail_support::config("127.0.0.1", 25)
}

fn header_names(raw: &[u8]) -> (BTreeSet<String>, String) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let names = head
        .split("\r\n")
        .filter(|l| !l.starts_with(' ') && !l.starts_with('\t'))
        .filter_map(|l| l.split(':').next())
        .map(str::to_ascii_lowercase)
        .collect();
    (names, head)
}

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Sam\r\nBcc: victim@example.org".to_string()),
        Just("Sam\nSubject: pwned\r\n\r\n<html>".to_string()),
        Just("\x1b[31mred\x1b[0m \u{202e}evil\u{202c} <script>alert(1)</script>".to_string()),
        Just("=?utf-8?q?=0D=0ABcc:_x@example.org?= \"quoted\" <a@b>".to_string()),
        proptest::collection::vec(any::<char>(), 0..60).prop_map(String::from_iter),
        "[\\x00-\\x1f<>&\"'=:;a-z \\r\\n]{0,60}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn hostile_names_and_answers_cannot_inject_headers_or_markup(
        name in hostile(), manager in hostile(), answer in hostile()
    ) {
        let standard = Standard::embedded().unwrap();
        let base = mail_support::submitted(3);
        let (expected, _) = header_names(&message::build(&base, b"{}", &config(), support::now()).unwrap().message.formatted());

        let encoded_word = name.contains("=?");
        let mut scan = base.clone();
        scan.learner = Learner { name, email: base.learner.email.clone() };
        scan.manager = Manager { email: base.manager.email.clone(), name: manager };
        let first = standard.questions().next().unwrap().question.id.clone();
        scan.answers.get_mut(&first).unwrap().text = answer;
        let Ok(built) = message::build(&scan, b"{}", &config(), support::now()) else {
            // Refusing to build is fine (the learner is told); injecting is not.
            return Ok(());
        };
        let raw = built.message.formatted();
        let (names, head) = header_names(&raw);
        prop_assert!(head.is_ascii(), "headers are encoded: {}", head);
        prop_assert_eq!(&names, &expected, "no header added or lost:\n{}", head);
        let m = MessageParser::default().parse(&raw).unwrap();
        prop_assert!(m.bcc().is_none());
        prop_assert_eq!(m.to().unwrap().iter().count(), 2);
        // An RFC 2047 encoded word typed into a name is passed through raw and decoded by the
        // reader: see the ignored test below (TODO for the mail owner).
        if !encoded_word {
            prop_assert!(!m.subject().unwrap().contains(['\r', '\n']));
        }
        for i in 0..m.html_body_count() {
            let html = m.body_html(i).unwrap();
            prop_assert!(!html.to_ascii_lowercase().contains("<script"), "markup in the HTML");
            prop_assert!(!html.chars().any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')), "control or bidi characters in the HTML");
        }
        for i in 0..m.text_body_count() {
            let text = m.body_text(i).unwrap();
            prop_assert!(!text.chars().any(|c| c == '\u{1b}' || matches!(c, '\u{202a}'..='\u{202e}')), "escapes in the text part");
        }
    }
}

/// A name holding an RFC 2047 encoded word (`=?utf-8?q?=0D=0A...?=`) is written into the Subject
/// as it is (it is ASCII), so a mail reader decodes it into a line break inside the Subject. No
/// header is added (the property test above proves that), but the shown subject is not what the
/// learner's name looks like. TODO(mail): encode or neutralise `=?` in names put in headers.
#[test]
fn an_encoded_word_in_a_name_does_not_decode_to_a_line_break() {
    let mut scan = mail_support::submitted(3);
    scan.learner.name = "=?utf-8?q?=0D=0ABcc:_x@example.org?=".into();
    let built = message::build(&scan, b"{}", &config(), support::now()).unwrap();
    let raw = built.message.formatted();
    let m = MessageParser::default().parse(&raw).unwrap();
    assert!(
        !m.subject().unwrap().contains(['\r', '\n']),
        "{:?}",
        m.subject()
    );
}

#[cfg(unix)]
const REVIEW_END: &str = "\x1b[F";

#[cfg(unix)]
/// Submits a complete scan in the learner's TUI with the SMTP password in the environment;
/// returns everything the terminal received.
fn submit_in_the_tui(env: &Env, password: &str, expect: &str) -> Vec<u8> {
    let standard = Standard::embedded().unwrap();
    let scan = skills_scan::sample::complete_scan(&standard, 21, chrono::Utc::now());
    env.write_scan(&scan);
    let mut app = App::start_with(
        env.dir.path(),
        &[],
        &[("NO_COLOR", "1"), ("SKILLS_SCAN_SMTP_PASSWORD", password)],
    );
    app.wait_for("Resume");
    app.send("\r");
    app.wait_for("Review your answers");
    app.wait_for("Everything answered");
    app.send(REVIEW_END);
    app.send("\r");
    app.wait_for("Enter again submits");
    app.send("\r");
    app.wait_for(expect);
    app.send("\r");
    app.send("\x03");
    let _ = app.exit_code();
    app.raw.lock().unwrap().clone()
}

#[cfg(unix)]
fn assert_no_password(env: &Env, terminal: &[u8], server: &SmtpServer, password: &str) {
    assert!(
        !String::from_utf8_lossy(terminal).contains(password),
        "the password reached the terminal"
    );
    let files = env.all_files();
    assert!(!files.is_empty());
    for (path, bytes) in files {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(password),
            "the password is in {}",
            path.display()
        );
    }
    for r in server.received() {
        assert!(!String::from_utf8_lossy(&r.data).contains(password));
    }
}

// Unix only: it watches the screen in a Unix pseudo-terminal.
#[cfg(unix)]
#[test]
fn the_password_never_appears_on_screen_in_files_or_in_mail_sent_or_refused() {
    let server = SmtpServer::tls_auth();
    // Accepted: the summary is sent.
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let terminal = submit_in_the_tui(&env, PASSWORD, "Your skills scan is submitted");
    assert_eq!(server.received().len(), 1, "the summary was sent");
    assert_no_password(&env, &terminal, &server, PASSWORD);

    // Refused (a wrong password): queued, and the error shown names no password.
    let env = Env::new();
    env.write_config(&smtp_config(&server, ""));
    let wrong = format!("{PASSWORD}-wrong");
    let terminal = submit_in_the_tui(&env, &wrong, "Your skills scan is submitted");
    assert_eq!(server.received().len(), 1, "nothing more was sent");
    assert_no_password(&env, &terminal, &server, &wrong);
    assert_no_password(&env, &terminal, &server, PASSWORD);
}

#[test]
fn the_password_is_not_in_debug_output() {
    let p = skills_scan::mail::smtp::Password::new(PASSWORD);
    assert!(!format!("{p:?}").contains(PASSWORD));
}
