//! The summary message, built without a network and parsed back with mail-parser; and the
//! transport against a real in-process SMTP server (library level).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mail_parser::{MessageParser, MimeHeaders};
use mail_support::{SmtpServer, config, submitted};
use skills_scan::config::Config;
use skills_scan::core::scan::{Learner, Manager};
use skills_scan::mail::message;
use skills_scan::mail::smtp;

use crate::support::mail as mail_support;
use crate::support::now;

fn hostile_scan() -> skills_scan::core::Scan {
    let mut scan = submitted(11);
    scan.learner = Learner {
        name: "Siân Ŵyn\r\nBcc: victim@example.org <script>".into(),
        email: "sian.wyn@example.org".into(),
    };
    scan.manager = Manager {
        email: "rhys.evans@example.org".into(),
        name: "Rhys \u{1b}[31mEvans\u{202E}".into(),
    };
    scan
}

#[test]
fn message_has_headers_parts_and_attachments() {
    let scan = submitted(4);
    let file = skills_scan::storage::to_bytes(&scan);
    let cfg = config("127.0.0.1", 25);
    let built = message::build(&scan, &file, &cfg, now()).unwrap();
    let raw = built.message.formatted();
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.subject().unwrap(),
        format!(
            "Skills scan – {} – Peer worker (level 3)",
            scan.learner.name
        )
    );
    assert_eq!(
        m.message_id().unwrap(),
        built.message_id.trim_matches(['<', '>'])
    );
    assert!(built.message_id.ends_with("@example.org>"));
    let from = m.from().unwrap().first().unwrap();
    assert_eq!(from.address().unwrap(), "skills-scan@example.org");
    assert_eq!(
        from.name().unwrap(),
        "Example Training",
        "the provider's name"
    );
    let to: Vec<_> = m
        .to()
        .unwrap()
        .iter()
        .map(|a| a.address().unwrap().to_string())
        .collect();
    assert_eq!(to, [scan.learner.email.clone(), scan.manager.email.clone()]);
    assert_eq!(
        m.cc().unwrap().first().unwrap().address().unwrap(),
        "coach.jones@example.org"
    );
    assert_eq!(
        m.reply_to().unwrap().first().unwrap().address().unwrap(),
        "skills@example.org"
    );
    assert_eq!(built.recipients.len(), 3);
    assert_eq!(m.text_body_count(), 1);
    assert_eq!(m.html_body_count(), 1);
    assert!(m.body_text(0).unwrap().contains("Areas for development"));
    assert!(m.body_html(0).unwrap().contains("<h2"));
    // The scan file and summary.html, and the chart inline.
    assert_eq!(m.attachment_count(), 3);
    let named = |name: &str| {
        m.attachments()
            .find(|a| a.attachment_name() == Some(name))
            .unwrap_or_else(|| panic!("{name} attached"))
    };
    let json = named(&message::scan_attachment_name(&scan));
    assert_eq!(
        json.attachment_name().unwrap(),
        message::scan_attachment_name(&scan)
    );
    assert!(json.attachment_name().unwrap().is_ascii());
    assert_eq!(
        json.contents(),
        file.as_slice(),
        "scan file attached byte for byte"
    );
    let html = named("summary.html");
    assert!(
        std::str::from_utf8(html.contents())
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn the_dry_runs_recipients_are_the_built_messages_envelope() {
    let scan = submitted(4);
    let mut cfg = config("127.0.0.1", 25);
    for coach in ["coach.jones@example.org", "  coach.jones@example.org ", ""] {
        coach.clone_into(&mut cfg.provider.coach_email);
        let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
        let sent = smtp::recipients(built.message.envelope());
        assert_eq!(message::recipients(&scan, &cfg), sent, "coach {coach:?}");
        assert_eq!(sent.len(), if coach.is_empty() { 2 } else { 3 });
    }
}

/// The export builds a message from the scan as saved with that message's "sending" entry (the
/// entry is saved while the message is built): the email log must not change what is sent.
#[test]
fn the_message_does_not_depend_on_the_scans_email_log() {
    use skills_scan::core::scan::{EmailLogEntry, EmailResult};
    let scan = submitted(4);
    let cfg = config("127.0.0.1", 25);
    let id = "<one@example.org>";
    let before = message::build_with_id(&scan, b"{}", &cfg, now(), id).unwrap();
    let mut logged = scan.clone();
    for result in [EmailResult::Sent, EmailResult::Sending] {
        logged.email_log.push(EmailLogEntry {
            at: now(),
            to: vec![scan.learner.email.clone()],
            message_id: id.into(),
            result,
        });
    }
    let after = message::build_with_id(&logged, b"{}", &cfg, now(), id).unwrap();
    let (text, html, _) = parts(&before);
    assert_eq!(parts(&after).0, text);
    assert_eq!(parts(&after).1, html);
    assert_eq!(
        smtp::recipients(after.message.envelope()),
        smtp::recipients(before.message.envelope())
    );
    let subject = |b: &message::Built| {
        let raw = b.message.formatted();
        let m = MessageParser::default().parse(&raw).unwrap();
        m.subject().map(String::from)
    };
    assert_eq!(subject(&after), subject(&before));
}

#[test]
fn same_id_gives_same_message_id_and_new_build_a_new_one() {
    let scan = submitted(4);
    let cfg = config("127.0.0.1", 25);
    let a = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let b = message::build_with_id(&scan, b"{}", &cfg, now(), &a.message_id).unwrap();
    let c = message::build(&scan, b"{}", &cfg, now()).unwrap();
    assert_eq!(a.message_id, b.message_id);
    assert_ne!(a.message_id, c.message_id);
}

#[test]
fn hostile_names_cannot_inject_headers_and_non_ascii_survives() {
    let scan = hostile_scan();
    let cfg = config("127.0.0.1", 25);
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let raw = built.message.formatted();
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..head_end]);
    assert!(head.is_ascii(), "headers are RFC 2047 encoded");
    for line in head.lines() {
        assert!(
            !line.to_ascii_lowercase().starts_with("bcc:"),
            "injected {line}"
        );
    }
    let m = MessageParser::default().parse(&raw).unwrap();
    assert!(m.bcc().is_none());
    let to: Vec<_> = m.to().unwrap().iter().collect();
    assert_eq!(to.len(), 2);
    assert!(to[0].name().unwrap().starts_with("Siân Ŵyn Bcc:"));
    assert_eq!(to[1].name().unwrap(), "Rhys Evans");
    assert!(m.subject().unwrap().contains("Siân Ŵyn"));
    assert!(!m.subject().unwrap().contains('\n'));
    let html = m.body_html(0).unwrap();
    assert!(!html.contains("<script"));
    assert!(!html.contains('\u{1b}') && !html.contains('\u{202E}'));
}

#[test]
fn transport_delivers_to_a_real_server() {
    let server = SmtpServer::plain();
    let cfg = config("127.0.0.1", server.port);
    let scan = submitted(7);
    let built = message::build(&scan, b"{\"x\":1}\n", &cfg, now()).unwrap();
    let smtp_cfg = cfg.smtp.as_ref().unwrap();
    let mut connection = smtp::Connection::open(smtp_cfg).unwrap();
    smtp::Outlet::send(&mut connection, &built.message).unwrap();
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to.len(), 3);
    let m = MessageParser::default().parse(&got[0].data).unwrap();
    assert_eq!(
        m.message_id().unwrap(),
        built.message_id.trim_matches(['<', '>'])
    );
}

#[test]
fn errors_are_classified() {
    // Nothing listens: refused, temporary.
    let cfg = config("127.0.0.1", mail_support::dead_port());
    let e = smtp::check(cfg.smtp.as_ref().unwrap(), None).unwrap_err();
    assert!(
        matches!(e, skills_scan::mail::MailError::Unreachable { .. }),
        "{e:?}"
    );
    assert!(e.is_temporary());
    // A name that cannot resolve.
    let cfg = config("no-such-host.invalid", 25);
    let mut s = cfg.smtp.clone().unwrap();
    s.allow_insecure = true;
    let e = smtp::check(&s, None).unwrap_err();
    assert!(
        matches!(e, skills_scan::mail::MailError::Dns { .. }),
        "{e:?}"
    );
}

#[test]
fn one_connection_serves_a_batch() {
    let server = SmtpServer::plain();
    let cfg = config("127.0.0.1", server.port);
    let mut connection = smtp::Connection::from_config(&cfg).unwrap();
    for seed in [2, 3, 4] {
        let scan = submitted(seed);
        let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
        smtp::Outlet::send(&mut connection, &built.message).unwrap();
    }
    assert_eq!(server.received().len(), 3);
    assert_eq!(server.greetings(), 1, "one connection for the batch");
    let none = smtp::Connection::from_config(&Config::default()).err();
    assert_eq!(none, Some(skills_scan::mail::MailError::NotConfigured));
}

/// The worst realistic scan for size: every question rated Some with a 60-word answer.
fn all_some_scan() -> skills_scan::core::Scan {
    let mut scan = submitted(5);
    let words = "I support people on the ward & in groups <weekly>, listening first and sharing my own story only when it helps them;"
        .split(' ')
        .cycle()
        .take(60)
        .collect::<Vec<_>>()
        .join(" ");
    for answer in scan.answers.values_mut() {
        answer.rating = Some(skills_scan::core::Rating::Some);
        answer.text.clone_from(&words);
    }
    assert_eq!(scan.answers.len(), 25);
    scan
}

fn parts(built: &message::Built) -> (String, String, Vec<u8>) {
    let raw = built.message.formatted();
    let m = MessageParser::default().parse(&raw).unwrap();
    let text = m.body_text(0).unwrap().replace("\r\n", "\n");
    let html = m.body_html(0).unwrap().to_string();
    (text, html, raw)
}

#[test]
fn the_message_opens_by_addressing_learner_and_manager_and_names_the_provider() {
    let mut scan = submitted(4);
    scan.learner.name = "Sam Taylor".into();
    scan.manager.name = "Alex Morgan".into();
    let cfg = config("127.0.0.1", 25);
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let (text, html, raw) = parts(&built);
    let opening: String = text.lines().skip(3).take(20).collect::<Vec<_>>().join(" ");
    assert!(
        opening.starts_with("Dear Sam Taylor and Alex Morgan,"),
        "{text}"
    );
    assert!(
        opening.contains("Example Training sends it to you both"),
        "{opening}"
    );
    assert!(
        opening.contains(
            "Alex Morgan, as Sam Taylor's line manager: please read it before the planning meeting"
        ),
        "{opening}"
    );
    assert!(
        opening.contains("contact coach.jones@example.org"),
        "{opening}"
    );
    assert!(
        opening.contains("Sam Taylor: please keep this email, and upload the attached summary"),
        "{opening}"
    );
    assert!(opening.contains("on OneFile"), "{opening}");
    // The order people read top-down, and next steps for an email already sent.
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {text}"))
    };
    assert!(at("\nRatings\n") < at("\nIn the learner's own words\n"));
    assert!(at("\nIn the learner's own words\n") < at("\nAreas for development\n"));
    assert!(at("\nAreas for development\n") < at("\nIndicative prior learning\n"));
    assert!(at("\nIndicative prior learning\n") < at("\nNext steps\n"));
    assert!(!text.contains("will be emailed to you"), "{text}");
    assert!(!html.contains("will be emailed to you"));
    assert!(html.contains("Dear Sam Taylor and Alex Morgan,"));
    assert!(html.contains("Example Training"));
    // Every line of the text part fits 72 columns (the learner's long words aside).
    for line in text.lines() {
        assert!(
            line.chars().count() <= 72 || !line.trim().contains(' '),
            "{line:?}"
        );
    }
    // The From display name is the provider's; machine-sent.
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.from().unwrap().first().unwrap().name().unwrap(),
        "Example Training"
    );
    assert_eq!(
        m.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-generated")
    );
}

#[test]
fn a_manager_without_a_name_is_addressed_as_the_line_manager() {
    let mut scan = submitted(4);
    scan.learner.name = "Sam Taylor".into();
    scan.manager.name = String::new();
    let mut cfg = config("127.0.0.1", 25);
    cfg.provider.name = String::new();
    cfg.provider.coach_email = String::new();
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let (text, _, _) = parts(&built);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Dear Sam Taylor and Sam Taylor's line manager,"),
        "{flat}"
    );
    assert!(
        flat.contains("The training provider sends it to you both"),
        "{flat}"
    );
    assert!(flat.contains("contact skills@example.org"), "{flat}");
}

#[test]
fn the_worst_realistic_scan_fits_well_under_gmails_clipping() {
    let scan = all_some_scan();
    let cfg = config("127.0.0.1", 25);
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let (text, html, _) = parts(&built);
    if let Ok(dir) = std::env::var("SKILLS_SCAN_DUMP") {
        std::fs::write(format!("{dir}/worst.html"), &html).unwrap();
        std::fs::write(format!("{dir}/worst.txt"), &text).unwrap();
    }
    assert!(html.len() < 60_000, "HTML part is {} bytes", html.len());
    // The markup around the learner's own words is small.
    let own_words: usize = scan
        .answers
        .values()
        .map(|a| {
            a.text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .len()
        })
        .sum();
    assert!(
        html.len() < own_words + 30_000,
        "markup is {} bytes",
        html.len() - own_words.min(html.len())
    );
    // Each KSB statement once in the areas for development.
    let k1 = "The core values and principles of peer support";
    assert_eq!(html.matches(k1).count(), 1, "K1 stated once");
    assert_eq!(
        text.matches(k1).count(),
        1,
        "K1 stated once in the text part"
    );
    // Escaped by construction: the learner's `<weekly>` stays text.
    assert!(html.contains("&lt;weekly&gt;"));
    assert!(!html.contains("<weekly>"));
    assert!(html.contains("<style>"));
}

#[test]
fn non_ascii_names_give_a_transliterated_attachment_name() {
    let scan = hostile_scan();
    let name = message::scan_attachment_name(&scan);
    assert!(name.contains("-sian-wyn"), "{name}");
    assert!(name.is_ascii());
}

#[test]
fn queued_without_smtp_the_message_id_is_on_the_providers_domain() {
    let scan = submitted(4);
    let mut cfg = config("127.0.0.1", 25);
    cfg.smtp = None;
    cfg.provider.reply_to = "Skills Team <skills@training.example.org>".into();
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    assert!(
        built.message_id.ends_with("@training.example.org>"),
        "{}",
        built.message_id
    );
    cfg.provider.reply_to = String::new();
    cfg.provider.coach_email = String::new();
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    assert!(built.message_id.ends_with("@skills-scan.invalid>"));
}

#[test]
fn reply_to_may_carry_a_name() {
    let scan = submitted(4);
    let mut cfg = config("127.0.0.1", 25);
    cfg.provider.reply_to = "Skills Team <skills@example.org>".into();
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let raw = built.message.formatted();
    let m = MessageParser::default().parse(&raw).unwrap();
    let reply = m.reply_to().unwrap().first().unwrap();
    assert_eq!(reply.address().unwrap(), "skills@example.org");
    assert_eq!(reply.name().unwrap(), "Skills Team");
    let text = "[provider]\nreply_to = \"Skills Team <skills@example.org>\"\n";
    assert!(Config::parse(std::path::Path::new("c.toml"), text).is_ok());
}

#[test]
fn a_chart_of_the_ratings_sits_inline_before_the_tables_with_alt_text() {
    let scan = all_some_scan();
    let cfg = config("127.0.0.1", 25);
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let (_, html, raw) = parts(&built);
    let m = MessageParser::default().parse(&raw).unwrap();
    let png = m
        .attachments()
        .find(|a| a.content_id() == Some(message::CHART_CID))
        .expect("an inline chart");
    let bytes = png.contents();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(bytes.len() < 40_000, "the chart is {} bytes", bytes.len());
    if let Ok(dir) = std::env::var("SKILLS_SCAN_DUMP") {
        std::fs::write(format!("{dir}/chart.png"), bytes).unwrap();
    }
    let img = html
        .find(&format!("src=\"cid:{}\"", message::CHART_CID))
        .expect("the HTML shows the chart");
    assert!(
        img < html.find("<h2>Ratings</h2>").unwrap(),
        "before the tables"
    );
    assert!(
        html.contains("alt=\"Ratings at a glance. Duty 1: 2 Some. Duty 2: 2 Some."),
        "the alt text says the same in words"
    );
    assert!(html.contains("Behaviours: 5 Some.\""), "{html}");
}

#[test]
fn the_chart_shows_a_mixed_scan() {
    let scan = submitted(3);
    let cfg = config("127.0.0.1", 25);
    let built = message::build(&scan, b"{}", &cfg, now()).unwrap();
    let raw = built.message.formatted();
    let m = MessageParser::default().parse(&raw).unwrap();
    let png = m
        .attachments()
        .find(|a| a.content_id() == Some(message::CHART_CID))
        .expect("an inline chart");
    if let Ok(dir) = std::env::var("SKILLS_SCAN_DUMP") {
        std::fs::write(format!("{dir}/mixed.png"), png.contents()).unwrap();
    }
    assert!(png.contents().len() < 40_000);
}
