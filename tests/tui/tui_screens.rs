//! Snapshots of every learner screen (TestBackend + insta) at 80x24 and 120x40, including error
//! states and the too-small message; and message-level tests of `update` (keys in, model out).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skills_scan::core::scan::{EmailLogEntry, EmailResult};
use skills_scan::core::{Rating, Scan, Standard};
use skills_scan::tui::learner::details::Field;
use skills_scan::tui::learner::questions::Focus;
use skills_scan::tui::learner::{Effect, Model, Msg, Overlay, SaveState, Screen};
use skills_scan::tui::theme::Theme;

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + chrono::Duration::minutes(min)
}

fn standard() -> Standard {
    Standard::embedded().expect("embedded standard")
}

fn blank() -> Scan {
    Scan::new(&standard(), "00000000-test", t(0))
}

fn model(scan: Scan, size: (u16, u16)) -> Model {
    let mut m = Model::new(scan, Theme::mono(), "OneFile", t(0));
    m.update(Msg::Resize(size.0, size.1), t(0));
    m
}

/// A key press; what `update` asks the loop to do.
fn key(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    m.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), t(1))
}

/// End, then PgDn: past the welcome text to the details.
fn past_welcome(m: &mut Model) {
    key(m, KeyCode::End);
    key(m, KeyCode::PageDown);
}

fn ctrl(m: &mut Model, c: char) -> Vec<Effect> {
    m.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        t(1),
    )
}

/// Types `s`; every effect the keys asked for.
fn typed(m: &mut Model, s: &str) -> Vec<Effect> {
    s.chars().flat_map(|c| key(m, KeyCode::Char(c))).collect()
}

fn render(m: &Model) -> String {
    let (w, h) = m.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| m.view(f)).unwrap();
    format!("{}", term.backend())
}

/// Snapshots a model at 80x24 and 120x40 (the builder runs twice, once per size).
fn snap(name: &str, build: impl Fn((u16, u16)) -> Model) {
    for size in [(80, 24), (120, 40)] {
        let m = build(size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), render(&m));
    }
}

fn complete() -> Scan {
    let mut s = skills_scan::sample::complete_scan(&standard(), 7, t(0));
    s.learner.name = "Sam Taylor".into();
    s.learner.email = "sam.taylor@example.org".into();
    s.manager.email = "alex.morgan@example.org".into();
    s
}

fn on_page(scan: Scan, size: (u16, u16), page: usize) -> Model {
    let mut m = model(scan, size);
    m.go(Screen::Page(page));
    m
}

#[test]
fn welcome() {
    snap("welcome", |size| model(blank(), size));
}

#[test]
fn resume_offer_and_lock_error() {
    let offer = |size: (u16, u16)| {
        let mut m = Model::offer(
            complete(),
            "/data/scans/2026-11-21-sam-taylor.json".into(),
            Theme::mono(),
            "OneFile",
            t(60 * 49),
        );
        m.update(Msg::Resize(size.0, size.1), t(0));
        m
    };
    snap("resume", offer);
    snap("resume_locked", |size| {
        let mut m = offer(size);
        m.update(Msg::OpenFailed("/data/scans/2026-11-21-sam-taylor.json is open in another skills-scan. Close it there first, then try again".into()), t(0));
        m
    });
}

#[test]
fn details_empty_and_with_problems() {
    snap("details", |size| {
        let mut m = model(blank(), size);
        past_welcome(&mut m);
        m
    });
    snap("details_problems", |size| {
        let mut m = model(blank(), size);
        past_welcome(&mut m);
        typed(&mut m, "Sam Taylor");
        key(&mut m, KeyCode::Tab);
        typed(&mut m, "sam@example");
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        m
    });
}

#[test]
fn duty_pages() {
    snap("duty1_unanswered", |size| on_page(blank(), size, 0));
    snap("duty3_yes_needs_text", |size| {
        let mut m = on_page(blank(), size, 2);
        key(&mut m, KeyCode::Char('y'));
        m
    });
    snap("duty3_writing", |size| {
        let mut m = on_page(blank(), size, 2);
        key(&mut m, KeyCode::Char('s'));
        m.update(Msg::Paste("I support people at the drop-in. Siân ŵ café 😀 漢字\r\nSecond line \u{1b}[31mred\u{1b}[0m".into()), t(2));
        m
    });
    snap("duty10_second_question", |size| {
        let mut m = on_page(complete(), size, 9);
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        m
    });
    snap("behaviours", |size| {
        let mut m = on_page(complete(), size, 10);
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Tab);
        m
    });
    snap("ksb_statements", |size| {
        let mut m = on_page(blank(), size, 0);
        key(&mut m, KeyCode::Char('k'));
        m
    });
}

#[test]
fn review_incomplete_and_complete() {
    snap("review_incomplete", |size| {
        let mut scan = complete();
        scan.set_text(&"d2-knowledge".into(), "", t(1));
        scan.set_rating(&"b3".into(), None, t(1));
        scan.manager.email = "alex@example".into();
        review_submit(scan, size)
    });
    snap("review_complete", |size| {
        let mut m = model(complete(), size);
        m.go(Screen::Review);
        m
    });
}

/// The review of `scan` with Submit pressed once (End selects the Submit button, Enter presses
/// it): a complete scan now asks to confirm, an incomplete one selects the first thing to fix.
fn review_submit(scan: Scan, size: (u16, u16)) -> Model {
    let mut m = model(scan, size);
    m.go(Screen::Review);
    key(&mut m, KeyCode::End);
    key(&mut m, KeyCode::Enter);
    m
}

fn submitted(size: (u16, u16)) -> Model {
    let mut m = review_submit(complete(), size);
    key(&mut m, KeyCode::Enter);
    // What the session does when the save went well.
    m.scan.mark_saved();
    m.update(
        Msg::Saved(Ok("/data/scans/2026-11-23-sam-taylor-00000000.json".into())),
        t(2),
    );
    m
}

#[test]
fn sending_and_done() {
    snap("sending", submitted);
    snap("done_sent", |size| {
        let mut m = submitted(size);
        email_sent(&mut m);
        m
    });
    snap("done_retried_later", |size| {
        let mut m = submitted(size);
        m.email_set_up = true;
        email_queued(&mut m, "temporary failure, try again later: 451 busy");
        m
    });
    snap("done_queued", |size| {
        let mut m = submitted(size);
        email_queued(&mut m, "email is not set up in the config");
        m
    });
}

fn entry(result: EmailResult) -> EmailLogEntry {
    EmailLogEntry {
        at: t(3),
        to: vec!["sam.taylor@example.org".into()],
        message_id: "<1@example.org>".into(),
        result,
    }
}

/// What the loop tells the model after sending: the email went out.
fn email_sent(m: &mut Model) {
    m.update(
        Msg::Sent {
            entry: entry(EmailResult::Sent),
            outbox_file: None,
        },
        t(3),
    );
}

/// What the loop tells the model after sending: the email was not sent, for `reason`, and waits
/// in the outbox as msg-1.eml.
fn email_queued(m: &mut Model, reason: &str) {
    let result = EmailResult::Queued {
        reason: reason.into(),
    };
    m.update(
        Msg::Sent {
            entry: entry(result),
            outbox_file: Some("/data/outbox/msg-1.eml".into()),
        },
        t(3),
    );
}

#[test]
fn help_save_failure_config_warning_and_too_small() {
    snap("help", |size| {
        let mut m = on_page(blank(), size, 0);
        key(&mut m, KeyCode::Char('?'));
        m
    });
    snap("save_failed", |size| {
        let mut m = on_page(blank(), size, 0);
        key(&mut m, KeyCode::Char('n'));
        m.update(
            Msg::Saved(Err(
                "cannot write /data/scans/x.json: No space left on device".into(),
            )),
            t(1),
        );
        m
    });
    snap("config_warning", |size| {
        let mut m = model(blank(), size);
        m.config_warning =
            Some("Settings file problem (line 3: unknown field `smpt`); using defaults.".into());
        m
    });
    let m = model(blank(), (60, 20));
    insta::assert_snapshot!("too_small_60x20", render(&m));
}

// ---- update: keys in, model out ----

#[test]
fn rating_keys_and_arrows_set_the_answer() {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('s'));
    assert_eq!(m.scan.rating(&"d1-skills".into()), Some(Rating::Some));
    assert!(
        m.editing(),
        "Some needs writing: the key moves into the box"
    );
    key(&mut m, KeyCode::Char('n'));
    assert_eq!(
        m.scan.rating(&"d1-skills".into()),
        Some(Rating::Some),
        "an n typed in the box is text, not a rating"
    );
    assert_eq!(m.scan.answer(&"d1-skills".into()).unwrap().text, "n");
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::BackTab);
    assert!(!m.editing());
    key(&mut m, KeyCode::Right);
    assert_eq!(m.scan.rating(&"d1-skills".into()), Some(Rating::No));
    key(&mut m, KeyCode::Right);
    assert_eq!(m.scan.rating(&"d1-skills".into()), Some(Rating::Yes));
    let effects = key(&mut m, KeyCode::Left);
    assert_eq!(m.scan.rating(&"d1-skills".into()), Some(Rating::No));
    assert!(m.unsaved());
    assert_eq!(effects, vec![Effect::Save], "a rating saves at once");
}

#[test]
fn typing_in_the_box_and_tab_leaves_it() {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('y'));
    assert!(m.editing());
    let effects = typed(&mut m, "q? yes I do");
    assert_eq!(
        m.scan.answer(&"d1-skills".into()).unwrap().text,
        "q? yes I do"
    );
    assert!(effects.is_empty(), "q is typed, not quit: {effects:?}");
    let effects = key(&mut m, KeyCode::Tab);
    assert!(!m.editing());
    assert_eq!(m.page.open(), 1, "Tab moved to the next question");
    assert_eq!(effects, vec![Effect::Save], "leaving the box saves");
}

#[test]
fn paste_is_sanitized_and_keeps_lines() {
    let mut m = on_page(blank(), (80, 24), 0);
    m.update(
        Msg::Paste("one\r\ntwo\u{1b}[2J\u{7}\rthree\u{202E}".into()),
        t(1),
    );
    assert_eq!(
        m.scan.answer(&"d1-skills".into()).unwrap().text,
        "one\ntwo\nthree"
    );
}

#[test]
fn page_keys_walk_the_screens_and_back() {
    let mut m = model(blank(), (80, 24));
    assert_eq!(m.screen, Screen::Welcome);
    let mut reads = 0;
    while m.screen == Screen::Welcome && reads < 20 {
        key(&mut m, KeyCode::PageDown);
        reads += 1;
    }
    assert!(
        reads > 2,
        "PgDn reads the welcome on before the details ({reads})"
    );
    assert_eq!(m.screen, Screen::Details);
    for p in 0..11 {
        key(&mut m, KeyCode::PageDown);
        assert_eq!(m.screen, Screen::Page(p));
    }
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.screen, Screen::Review);
    key(&mut m, KeyCode::PageUp);
    assert_eq!(m.screen, Screen::Page(10));
}

#[test]
fn details_are_stored_as_typed() {
    let mut m = model(blank(), (80, 24));
    past_welcome(&mut m);
    typed(&mut m, "Siân Ŵyn");
    key(&mut m, KeyCode::Tab);
    typed(&mut m, "sian@example.org");
    key(&mut m, KeyCode::Tab);
    m.update(Msg::Paste("manager@example.org\n".into()), t(1));
    assert_eq!(m.scan.learner.name, "Siân Ŵyn");
    assert_eq!(m.scan.learner.email, "sian@example.org");
    assert_eq!(m.scan.manager.email.trim(), "manager@example.org");
}

#[test]
fn submit_only_when_complete() {
    let m = review_submit(blank(), (80, 24));
    assert_eq!(m.screen, Screen::Review);
    assert!(!m.scan.is_submitted());
    assert!(m.notice.as_deref().unwrap().contains("28 things to fix"));
    assert_eq!(m.review.selected, 0, "the first problem is selected");

    let mut m = review_submit(complete(), (80, 24));
    assert!(!m.scan.is_submitted(), "the first Enter asks to confirm");
    assert!(render(&m).contains("Submit now?"));
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Enter);
    assert!(!m.scan.is_submitted(), "Esc cancelled: asked again");
    let effects = key(&mut m, KeyCode::Enter);
    assert!(m.scan.is_submitted());
    assert_eq!(m.screen, Screen::Sending);
    assert_eq!(effects, vec![Effect::Save, Effect::Send]);
    email_sent(&mut m);
    assert_eq!(m.screen, Screen::Done);
    // The loop has already recorded the entry through the session's send-and-record (tested in
    // storage_session.rs): the model only shows it.
    assert!(m.scan.email_log.is_empty());
    assert!(m.unsaved(), "submitted, not yet saved");
}

#[test]
fn review_jumps_to_the_item_to_fix() {
    let mut m = model(complete(), (80, 24));
    m.go(Screen::Review);
    // Rows: 3 details, then questions in order: d1-skills, d1-knowledge, d2-skills …
    for _ in 0..5 {
        key(&mut m, KeyCode::Down);
    }
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Page(1));
    assert_eq!(m.page.open(), 0);
}

#[test]
fn quit_keys_help_and_save_failure() {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('?'));
    assert_eq!(m.overlay, Some(Overlay::Help));
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.overlay, None);
    assert_eq!(ctrl(&mut m, 's'), vec![Effect::Save]);
    m.update(Msg::Saved(Err("disk full".into())), t(2));
    assert!(matches!(m.save_state, SaveState::Failed(_)));
    assert_eq!(key(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
    assert_eq!(ctrl(&mut m, 'c'), vec![Effect::Quit]);
}

#[test]
fn external_editor_key_and_result() {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Enter);
    typed(&mut m, "draft");
    assert_eq!(ctrl(&mut m, 'o'), vec![Effect::OpenEditor("draft".into())]);
    let effects = m.update(Msg::Edited(Ok("a longer answer\nfrom vi\n".into())), t(2));
    assert_eq!(
        effects,
        vec![Effect::Save],
        "the edited answer is saved at once"
    );
    assert_eq!(
        m.scan.answer(&"d1-skills".into()).unwrap().text,
        "a longer answer\nfrom vi"
    );
}

#[test]
fn too_small_ignores_keys_but_quits() {
    let mut m = on_page(blank(), (60, 20), 0);
    key(&mut m, KeyCode::Char('y'));
    assert_eq!(m.scan.rating(&"d1-skills".into()), None);
    m.update(Msg::Resize(80, 24), t(1));
    key(&mut m, KeyCode::Char('y'));
    assert_eq!(m.scan.rating(&"d1-skills".into()), Some(Rating::Yes));
}

fn click(m: &mut Model, column: u16, row: u16) {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let ev = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    m.update(Msg::Mouse(ev), t(1));
}

#[test]
fn mouse_clicks_ratings_boxes_buttons_and_wheel_scrolls() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    use skills_scan::tui::learner::chrome;
    let mut m = on_page(blank(), (80, 24), 0);
    let a = m.page.areas(chrome::body(m.area()));
    click(&mut m, a.choices[1].x + 1, a.choices[1].y);
    assert_eq!(m.scan.rating(&"d1-skills".into()), Some(Rating::Some));
    click(&mut m, a.answer.x + 3, a.answer.y + 2);
    assert!(m.editing(), "a click in the box moves into it");
    let (_, row) = a.rows[0];
    click(&mut m, row.x + 2, row.y);
    assert_eq!(m.page.open(), 1, "a click on a closed question opens it");
    click(&mut m, 70, 22);
    assert_eq!(m.screen, Screen::Page(1), "the Next button");
    click(&mut m, 50, 22);
    assert_eq!(m.screen, Screen::Page(0), "the Back button");

    let mut m = model(blank(), (80, 24));
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    };
    m.update(Msg::Mouse(wheel), t(1));
    assert_eq!(m.welcome.scroll, 3);
}

#[test]
fn done_scrolls_and_enter_finishes() {
    let mut m = submitted((80, 24));
    email_queued(&mut m, "email is not set up in the config");
    assert_eq!(m.screen, Screen::Done);
    key(&mut m, KeyCode::Down);
    assert_eq!(m.done_scroll, 1);
    key(&mut m, KeyCode::Up);
    assert_eq!(m.done_scroll, 0);
    assert_eq!(key(&mut m, KeyCode::Enter), vec![Effect::Quit]);
}

/// A page whose answer holds a phone number and a postcode (Ofcom drama number, invented postcode).
fn with_identifiers(size: (u16, u16)) -> Model {
    let mut m = on_page(blank(), size, 2);
    key(&mut m, KeyCode::Char('s'));
    m.update(
        Msg::Paste(
            "I visit him at his flat near LS1 4AP.\nHis sister rang me on 07700 900123.".into(),
        ),
        t(2),
    );
    m.update(Msg::Tick, t(2));
    m.update(Msg::Tick, t(2));
    m
}

#[test]
fn guard_warning_under_the_answer_box() {
    snap("duty3_guard_warning", with_identifiers);
}

#[test]
fn guard_runs_on_the_tick_after_typing_pauses_not_at_once() {
    let mut m = on_page(blank(), (80, 24), 2);
    key(&mut m, KeyCode::Char('y'));
    typed(&mut m, "ring 07700 900123");
    assert!(m.guard.kinds(0).is_empty(), "checked while typing");
    assert!(!render(&m).contains("identify someone"));
    m.update(Msg::Tick, t(2));
    assert!(
        m.guard.kinds(0).is_empty(),
        "checked less than a tick after typing"
    );
    m.update(Msg::Tick, t(2));
    assert_eq!(m.guard.kinds(0), [skills_scan::core::guard::Kind::Phone]);
    let screen = render(&m);
    assert!(
        screen.contains("May identify someone: a phone number"),
        "{screen}"
    );
    assert!(
        screen.contains("Leave out details of people you support"),
        "{screen}"
    );
    // Deleting it clears the warning at the next pause.
    for _ in 0.."07700 900123".len() {
        key(&mut m, KeyCode::Backspace);
    }
    m.update(Msg::Tick, t(3));
    m.update(Msg::Tick, t(3));
    assert!(m.guard.kinds(0).is_empty());
    assert!(!render(&m).contains("identify someone"));
}

#[test]
fn guard_is_checked_on_entering_a_page_and_never_saved() {
    let mut scan = complete();
    scan.set_text(&"d3-skills".into(), "Her NHS number is 943 476 5919.", t(1));
    let m = on_page(scan, (80, 24), 2);
    assert_eq!(
        m.guard.kinds(0),
        [skills_scan::core::guard::Kind::NhsNumber]
    );
    let json = serde_json::to_string(&m.scan).expect("json");
    assert!(!json.contains("\"guard") && !json.contains("NhsNumber"));
}

#[test]
fn review_lists_warnings_and_submit_asks_once() {
    let build = |size: (u16, u16)| {
        let mut scan = complete();
        scan.set_text(
            &"d2-skills".into(),
            "I rang her on 07700 900123 to check in.",
            t(1),
        );
        let mut m = model(scan, size);
        m.go(Screen::Review);
        m
    };
    snap("review_with_guard_warning", build);
    snap("review_submit_with_guard_warning", |size| {
        let mut m = build(size);
        key(&mut m, KeyCode::End);
        m
    });
    let mut m = build((80, 24));
    key(&mut m, KeyCode::End);
    let effects = key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Review, "submitted without asking");
    assert!(effects.is_empty(), "{effects:?}");
    let screen = render(&m);
    assert!(
        screen.contains("Press Enter again to submit anyway"),
        "{screen}"
    );
    assert!(
        screen.contains("[ Submit anyway ]  Enter sends it with 1 answer marked ⚠"),
        "{screen}"
    );
    let effects = key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Sending);
    assert!(effects.contains(&Effect::Send), "{effects:?}");
}

#[test]
fn submit_without_warnings_asks_only_the_usual_confirmation() {
    let mut m = review_submit(complete(), (80, 24));
    assert_eq!(m.screen, Screen::Review, "Submit asks once");
    assert!(!m.guard.confirmed, "no warning to confirm");
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Sending);
}

/// Duty 1 at 80x24 after `y` and "I run a group": Skills is Yes with that text, and the cursor
/// is still in its box.
fn duty1_skills_written() -> Model {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('y'));
    typed(&mut m, "I run a group");
    m
}

fn d1(m: &Model, kind: &str) -> (Option<Rating>, String) {
    let id = format!("d1-{kind}").into();
    (
        m.scan.rating(&id),
        m.scan.answer(&id).map_or(String::new(), |a| a.text.clone()),
    )
}

/// Issue 16: `y`, text, Tab, `y`, text, Tab, `n` turned Duty 1 Skills from Yes to No, because
/// Tab from the last box wrapped to the top. Now it goes to the Next button, where `n` is inert.
#[test]
fn tab_from_the_last_box_goes_to_the_next_button_not_the_top() {
    let mut m = duty1_skills_written();
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Char('y'));
    typed(&mut m, "I know the law");
    key(&mut m, KeyCode::Tab);
    assert!(m.page.on_buttons());
    assert!(render(&m).contains("Enter next page"));
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Char('s'));
    assert_eq!(
        d1(&m, "skills"),
        (Some(Rating::Yes), "I run a group".into())
    );
    assert_eq!(
        d1(&m, "knowledge"),
        (Some(Rating::Yes), "I know the law".into())
    );
    key(&mut m, KeyCode::Enter);
    assert_eq!(
        m.screen,
        Screen::Page(1),
        "Enter on the button turns the page"
    );
}

/// "n, Tab, n" saved the letter n as the optional text and left the next question unanswered.
#[test]
fn after_no_tab_moves_on_and_enter_opens_the_optional_box() {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Char('n'));
    assert_eq!(d1(&m, "skills"), (Some(Rating::No), String::new()));
    assert_eq!(d1(&m, "knowledge"), (Some(Rating::No), String::new()));
    key(&mut m, KeyCode::Enter);
    assert!(m.page.in_box(), "Enter opens the optional box");
    typed(&mut m, "more on the law");
    assert_eq!(
        d1(&m, "knowledge"),
        (Some(Rating::No), "more on the law".into())
    );
}

/// `s` on a question that already has text moved nowhere, so the next letters were commands.
#[test]
fn yes_or_some_on_a_question_with_text_moves_into_the_box() {
    let mut m = duty1_skills_written();
    key(&mut m, KeyCode::BackTab);
    assert!(!m.page.in_box());
    key(&mut m, KeyCode::Char('s'));
    assert!(m.page.in_box());
    typed(&mut m, " sometimes");
    assert_eq!(
        d1(&m, "skills"),
        (Some(Rating::Some), "I run a group sometimes".into())
    );
}

#[test]
fn changing_a_rating_says_what_changed_and_u_undoes_it() {
    let mut m = duty1_skills_written();
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Char('n'));
    assert_eq!(d1(&m, "skills").0, Some(Rating::No));
    let notice = m.notice.clone().unwrap();
    assert!(
        notice.contains("Yes → No") && notice.contains("u to undo"),
        "{notice}"
    );
    assert!(render(&m).contains("Yes → No"));
    key(&mut m, KeyCode::Char('u'));
    assert_eq!(
        d1(&m, "skills"),
        (Some(Rating::Yes), "I run a group".into())
    );
    assert!(m.unsaved());
}

#[test]
fn a_fix_from_the_review_returns_to_the_review() {
    let mut s = complete();
    s.set_rating(&"d3-skills".into(), Some(Rating::Yes), t(0));
    s.set_text(&"d3-skills".into(), "", t(0));
    let mut m = review_submit(s, (80, 24)); // not complete: selects the first thing to fix
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Page(2));
    assert!(m.page.in_box(), "straight into the box that needs writing");
    typed(&mut m, "Now written");
    assert!(render(&m).contains("Review  PgDn"));
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.screen, Screen::Review);
    key(&mut m, KeyCode::PageUp);
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.screen, Screen::Review, "from the last page, as before");
}

#[test]
fn resume_focuses_the_first_unanswered_field() {
    let mut s = complete();
    s.set_rating(&"d4-knowledge".into(), None, t(0));
    let mut m = model(s.clone(), (80, 24));
    m.update(
        Msg::Loaded {
            scan: Box::new(s.clone()),
            resumed: true,
        },
        t(1),
    );
    assert_eq!(m.screen, Screen::Page(3));
    assert_eq!(m.page.focus, Focus::Rating(1), "Duty 4 Knowledge's rating");
    s.manager.email = String::new();
    m.update(
        Msg::Loaded {
            scan: Box::new(s),
            resumed: true,
        },
        t(1),
    );
    assert_eq!(m.screen, Screen::Details);
    assert_eq!(
        m.details.focus,
        Field::ManagerEmail,
        "the empty manager's email, not the filled name"
    );
}

#[test]
fn reading_text_is_not_wider_than_the_reading_width_at_200_columns() {
    let m = model(blank(), (200, 60));
    let screen = render(&m);
    let longest = screen
        .lines()
        .filter(|l| l.contains("Peer Workers"))
        .map(|l| {
            l.trim_matches('"')
                .trim_end_matches([' ', '│'])
                .chars()
                .count()
        })
        .max()
        .unwrap();
    assert!(
        longest <= 2 + skills_scan::tui::learner::READING_WIDTH,
        "{longest}"
    );
    let m = on_page(blank(), (200, 60), 0);
    let screen = render(&m);
    assert!(
        screen
            .lines()
            .filter(|l| l.contains("relationships involves"))
            .all(|l| l
                .trim_matches('"')
                .trim_end_matches([' ', '│'])
                .chars()
                .count()
                <= 4 + skills_scan::tui::learner::READING_WIDTH),
        "{screen}"
    );
}

/// The rows inside the box whose top border carries `title` (by character column: the screen
/// holds wide and multi-byte characters).
fn box_rows(screen: &str, title: &str) -> Vec<String> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = lines
        .iter()
        .position(|l| l.iter().collect::<String>().contains(title))
        .expect("the box is on screen");
    let left = lines[top].iter().position(|c| *c == '┌').expect("corner");
    let right = left
        + lines[top][left..]
            .iter()
            .position(|c| *c == '┐')
            .expect("corner");
    lines[top + 1..]
        .iter()
        .take_while(|l| l.get(left) != Some(&'└'))
        .map(|l| {
            l[left + 1..right]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn help_lists_every_key_in_the_table_and_no_empty_rows_below() {
    use skills_scan::tui::learner::keys::help_rows;
    for size in [(80, 24), (120, 40)] {
        let mut m = on_page(blank(), size, 0);
        key(&mut m, KeyCode::Char('?'));
        let rows = box_rows(&render(&m), "Help");
        for (keys, what) in help_rows() {
            assert!(
                rows.iter().any(|r| r.contains(keys) && r.contains(what)),
                "{keys} – {what} is missing from the help at {size:?}: {rows:#?}"
            );
        }
        let last = rows.last().expect("the help has rows");
        assert!(
            !last.trim().is_empty(),
            "an empty row ends the help: {rows:#?}"
        );
        assert_eq!(
            rows.len(),
            help_rows().count() + 2,
            "the keys, a blank row, one line"
        );
    }
}

#[test]
fn every_key_in_the_table_does_what_the_table_says() {
    use skills_scan::tui::learner::keys::{Action, action};
    // Outside a box `q` quits and `?` helps; in a box they are text.
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(action(&q, false), Some(Action::Quit));
    assert_eq!(action(&q, true), None);
    // Ctrl-C is its own action, quitting at once: in a box too.
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(action(&ctrl_c, true), Some(Action::QuitNow));
    assert_eq!(action(&ctrl_c, false), Some(Action::QuitNow));
    // The rating keys rate, from the table.
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('n'));
    let id = m.page.questions[0].id.clone();
    assert_eq!(m.scan.rating(&id), Some(Rating::No));
    key(&mut m, KeyCode::Char('?'));
    assert_eq!(m.overlay, Some(Overlay::Help));
}

#[test]
fn no_key_in_the_table_is_hidden_by_another() {
    use skills_scan::tui::learner::keys::{RESUME, TABLE, WELCOME, action_on};
    // A screen's own keys, and the shared keys on a screen without keys of its own, each do
    // what their row says: no chord is listed twice in a way that makes one row lie.
    let tables = [
        (Screen::Page(0), TABLE),
        (Screen::Welcome, WELCOME),
        (Screen::Resume, RESUME),
    ];
    for (screen, table) in tables {
        for binding in table {
            for (chord, want) in binding.chords {
                assert_eq!(
                    action_on(screen, &chord.event(), false),
                    Some(*want),
                    "{chord:?} on {screen:?} ({})",
                    binding.keys
                );
            }
        }
    }
}

#[test]
fn welcome_keys_come_from_the_table_and_k_scrolls_there() {
    let mut m = model(blank(), (80, 24));
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Char('j'));
    assert_eq!(m.welcome.scroll, 2, "j scrolls down");
    key(&mut m, KeyCode::Char('k'));
    assert_eq!(m.welcome.scroll, 1, "k scrolls up");
    assert_eq!(m.overlay, None, "k is not the KSB statements here");
    key(&mut m, KeyCode::Char(' '));
    let end = m.welcome.scroll;
    assert!(end > 2, "Space goes to the end ({end})");
    key(&mut m, KeyCode::Home);
    assert_eq!(m.welcome.scroll, 0, "Home goes to the top");
    key(&mut m, KeyCode::End);
    assert_eq!(m.welcome.scroll, end, "End goes to the end");
    assert_eq!(m.screen, Screen::Welcome);
    // The help closes with Esc, as every window does.
    key(&mut m, KeyCode::F(1));
    assert_eq!(m.overlay, Some(Overlay::Help));
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.overlay, None);
}

#[test]
fn resume_keys_come_from_the_table() {
    use skills_scan::launch::Unfinished;
    let one = || {
        let mut m = Model::offer(
            complete(),
            "/data/scans/a.json".into(),
            Theme::mono(),
            "OneFile",
            t(0),
        );
        m.update(Msg::Resize(80, 24), t(0));
        m
    };
    assert_eq!(key(&mut one(), KeyCode::Char('r')), vec![Effect::Resume(0)]);
    assert_eq!(key(&mut one(), KeyCode::Char('n')), vec![Effect::StartNew]);
    let mut m = one();
    key(&mut m, KeyCode::Right);
    assert_eq!(key(&mut m, KeyCode::Enter), vec![Effect::StartNew]);
    let mut m = one();
    key(&mut m, KeyCode::End);
    key(&mut m, KeyCode::Home);
    assert_eq!(key(&mut m, KeyCode::Enter), vec![Effect::Resume(0)]);
    assert!(
        key(&mut one(), KeyCode::Char('2')).is_empty(),
        "no numbers with a single offer"
    );

    let list = || {
        let scans = Vec::from(["a", "b", "c"].map(|name| Unfinished {
            path: format!("/data/scans/{name}.json").into(),
            scan: Box::new(complete()),
        }));
        let mut m = Model::offer_list(scans, Theme::mono(), "OneFile", t(0)).unwrap();
        m.update(Msg::Resize(80, 24), t(0));
        m
    };
    assert_eq!(
        key(&mut list(), KeyCode::Char('2')),
        vec![Effect::Resume(1)]
    );
    assert!(
        key(&mut list(), KeyCode::Char('4')).is_empty(),
        "only 3 scans"
    );
    assert_eq!(key(&mut list(), KeyCode::Char('n')), vec![Effect::StartNew]);
    let mut m = list();
    key(&mut m, KeyCode::Down);
    assert_eq!(key(&mut m, KeyCode::Char('r')), vec![Effect::Resume(1)]);
    key(&mut m, KeyCode::End);
    assert!(
        key(&mut m, KeyCode::Char('r')).is_empty(),
        "r on \"start a new scan\" resumes nothing"
    );
}

#[test]
fn esc_leaves_the_box_and_finishes_at_the_end() {
    let mut m = on_page(blank(), (80, 24), 0);
    key(&mut m, KeyCode::Char('y'));
    assert!(m.editing());
    key(&mut m, KeyCode::Esc);
    assert!(!m.editing(), "Esc goes back to the rating");
    assert_eq!(m.page.focus, Focus::Rating(0));

    let mut m = submitted((80, 24));
    email_sent(&mut m);
    assert_eq!(key(&mut m, KeyCode::Esc), vec![Effect::Quit]);
}
