//! Golden tests of the summary renderers (text, Markdown, HTML) for a sample scan with a coach's
//! review, and for a scan full of hostile text.

use skills_scan::core::scan::{Learner, Manager, Rating};
use skills_scan::core::standard::Part;
use skills_scan::core::summary::{Options, Summary};
use skills_scan::core::{Scan, Standard};

use crate::support::now;

fn options() -> Options {
    Options {
        eportfolio: "OneFile".into(),
        some_factor: 0.5,
    }
}

fn sample() -> Scan {
    let standard = Standard::embedded().expect("embedded standard");
    let mut scan = skills_scan::sample::submitted_scan(&standard, 3, now());
    scan.set_agreed_rating(&"d1-skills".into(), Some(Rating::No), now());
    scan.set_agreed_note(
        &"d1-skills".into(),
        "Agreed at the planning meeting: shadow a group first.",
        now(),
    );
    scan
}

/// A scan whose every typed field tries something.
pub fn hostile() -> Scan {
    let standard = Standard::embedded().expect("embedded standard");
    let mut scan = skills_scan::sample::complete_scan(&standard, 5, now());
    let at = now();
    scan.set_rating(&"d1-skills".into(), Some(Rating::Yes), at);
    scan.set_text(
        &"d1-skills".into(),
        "<script>alert('x')</script> & <b>bold</b>\r\nSecond line\u{1b}]8;;http://evil.example.org\u{7}link\u{1b}]8;;\u{7}\r\n# heading *star* [link](http://evil.example.org) | pipe\n\u{202E}txt.exe\u{202C} done 🙂 Diolch yn fawr — ŵ ŷ",
        at,
    );
    scan.set_rating(&"d2-knowledge".into(), Some(Rating::Some), at);
    scan.set_text(
        &"d2-knowledge".into(),
        "- not a list\n1. not numbered\n\u{0}\u{7}nul and bell",
        at,
    );
    scan.submit(at).expect("complete scan submits");
    // Names as a hand-edited file could carry them (the form's own checks are bypassed).
    scan.learner = Learner {
        name: "Siân Ŵyn <script>alert(1)</script>\r\nBcc: evil@example.org".into(),
        email: "sian.wyn@example.org".into(),
    };
    scan.manager = Manager {
        email: "rhys.evans@example.org".into(),
        name: "Rhys \u{1b}[31mEvans\u{1b}[0m \u{202E}gnp.exe".into(),
    };
    scan.set_agreed_note(&"b1".into(), "<img src=x onerror=alert(1)> coach too", at);
    scan
}

#[test]
fn sample_text() {
    insta::assert_snapshot!(Summary::build(&sample(), &options()).to_text());
}

#[test]
fn sample_markdown() {
    insta::assert_snapshot!(Summary::build(&sample(), &options()).to_markdown());
}

#[test]
fn sample_html() {
    insta::assert_snapshot!(Summary::build(&sample(), &options()).to_html());
}

#[test]
fn hostile_text() {
    insta::assert_snapshot!(Summary::build(&hostile(), &options()).to_text());
}

#[test]
fn hostile_markdown() {
    insta::assert_snapshot!(Summary::build(&hostile(), &options()).to_markdown());
}

#[test]
fn hostile_html() {
    insta::assert_snapshot!(Summary::build(&hostile(), &options()).to_html());
}

#[test]
fn hostile_text_is_neutralised_in_every_format() {
    let s = Summary::build(&hostile(), &options());
    for out in [s.to_text(), s.to_markdown(), s.to_html()] {
        assert!(!out.contains('\u{1b}'), "ANSI escape left");
        assert!(!out.contains('\u{202E}'), "bidi override left");
        assert!(!out.contains('\r'), "CR left");
        assert!(!out.contains('\u{0}') && !out.contains('\u{7}'));
        assert!(out.contains("Siân Ŵyn"), "Welsh name kept");
        assert!(out.contains("🙂"), "emoji kept");
    }
    let html = s.to_html();
    assert!(!html.contains("<script"), "script tag in HTML");
    assert!(!html.contains("<img"), "img tag in HTML");
    assert!(!html.contains("<b>bold"), "markup in HTML");
    // maud escapes `&`, `<`, `>` and `"`: an apostrophe in element content is inert.
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(!html.contains("href="), "link in HTML");
    let md = s.to_markdown();
    assert!(md.contains("\\<script\\>") && !md.contains("<script>"));
    assert!(!md.contains("[link](http"), "live link in Markdown");
    assert!(!md.contains("\n- not a list"));
}

#[test]
fn summary_contents_follow_the_scan() {
    let scan = sample();
    let s = Summary::build(&scan, &options());
    assert_eq!(s.duties.len(), 10);
    assert_eq!(s.behaviours.len(), 5);
    assert_eq!(s.justifications.len(), 25);
    assert_eq!(
        s.title(),
        format!(
            "Skills scan – {} – Peer worker (level 3)",
            scan.learner.name
        )
    );
    assert!(s.next_steps.contains("OneFile"));
    assert!(!s.next_steps.contains("{eportfolio}"));
    let d1 = s.duties[0].skills.as_ref().expect("duty 1 has skills");
    assert_eq!(d1.agreed, Some(Rating::No));
    assert!(s.development.iter().any(|g| g.part == Part::Duty(1)));
    let text = s.to_text();
    assert!(text.contains("Agreed at the planning meeting"));
    assert!(text.contains(&s.prior_learning.method[..20]));
}
