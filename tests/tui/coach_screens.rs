//! Snapshot tests of the coach's screens (ratatui `TestBackend` + insta), drawn from the committed
//! fixture scan (invented people) with a review, at 80×24 and larger.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skills_scan::core::Rating;
use skills_scan::core::rpl::Programme;
use skills_scan::storage;
use skills_scan::tui::coach::model::{Model, Msg, Screen};
use skills_scan::tui::coach::view::view;
use skills_scan::tui::theme::Theme;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/coach-submitted.json"
);

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap()
}

fn model(reviewed: bool) -> Model {
    let mut scan = storage::load(std::path::Path::new(FIXTURE)).unwrap();
    if reviewed {
        scan.set_agreed_rating(&"d6-skills".into(), Some(Rating::Some), at());
        scan.set_agreed_note(
            &"d6-skills".into(),
            "Has shadowed two risk assessments; agreed Some.",
            at(),
        );
        scan.set_agreed_rating(&"b2".into(), Some(Rating::Some), at());
        scan.set_agreed_note(
            &"d2-skills".into(),
            "Chairs the group well; \u{1b}[31mcheck\u{1b}[0m the notes.",
            at(),
        );
        let v = &mut scan.review_mut().validation;
        v.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
        v.coach_name = "Jordan Hughes".into();
        v.manager_name = "Alex Patel".into();
        v.validated_by_manager = true;
        v.recorded_at = Some(at());
    }
    Model::new(
        scan,
        "coach-submitted.json",
        Programme::default(),
        Theme::mono(),
    )
}

fn key(m: &mut Model, code: KeyCode) {
    m.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), at());
}

fn keys(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyCode::Char(c));
    }
}

fn draw(m: &Model, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(m, f)).unwrap();
    t
}

/// Moves the selection to a question by id.
fn select(m: &mut Model, id: &str) {
    m.selected = m.question_ids().iter().position(|q| q == id).unwrap();
}

#[test]
fn overview_80x24() {
    let m = model(true);
    insta::assert_snapshot!(draw(&m, 80, 24).backend());
}

#[test]
fn overview_120x36_scrolled_to_behaviours() {
    let mut m = model(true);
    select(&mut m, "b4");
    insta::assert_snapshot!(draw(&m, 120, 36).backend());
}

#[test]
fn question_with_hostile_text_is_sanitised_80x24() {
    let mut m = model(true);
    select(&mut m, "d2-skills");
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Question);
    let t = draw(&m, 80, 24);
    let screen = format!("{}", t.backend());
    assert!(!screen.contains('\u{1b}'));
    assert!(
        screen.contains("<script>alert(1)</script>"),
        "shown as text, not run:\n{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn question_review_after_rating_and_note_100x30() {
    let mut m = model(false);
    select(&mut m, "d4-knowledge");
    key(&mut m, KeyCode::Enter);
    keys(&mut m, "s");
    keys(&mut m, "e");
    keys(&mut m, "Start with the Care Act 2014 module.");
    insta::assert_snapshot!("editing_note", draw(&m, 100, 30).backend());
    key(&mut m, KeyCode::Esc);
    insta::assert_snapshot!("note_done", draw(&m, 100, 30).backend());
}

#[test]
fn validation_80x24() {
    let mut m = model(false);
    key(&mut m, KeyCode::Char('v'));
    keys(&mut m, "2026-11-23");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "Jordan Hughes");
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    insta::assert_snapshot!(draw(&m, 80, 24).backend());
}

#[test]
fn validation_refused_without_the_names_80x24() {
    let mut scan = model(false).scan.into_scan();
    scan.manager.name.clear();
    let mut m = Model::new(scan, "x.json", Programme::default(), Theme::mono());
    key(&mut m, KeyCode::Char('v'));
    keys(&mut m, "23/11/2026");
    key(&mut m, KeyCode::Up);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    insta::assert_snapshot!(draw(&m, 80, 24).backend());
}

#[test]
fn learning_plan_100x30() {
    let mut m = model(true);
    key(&mut m, KeyCode::Char('p'));
    insta::assert_snapshot!(draw(&m, 100, 30).backend());
}

#[test]
fn rpl_80x24() {
    let mut m = model(true);
    key(&mut m, KeyCode::Char('r'));
    insta::assert_snapshot!(draw(&m, 80, 24).backend());
}

#[test]
fn help_80x24() {
    let mut m = model(true);
    key(&mut m, KeyCode::F(1));
    insta::assert_snapshot!(draw(&m, 80, 24).backend());
}

#[test]
fn uses_the_scans_own_standard_snapshot() {
    // A scan made on another machine, against a standard this machine does not have.
    let mut scan = model(false).scan.into_scan();
    let snapshot = &mut scan.standard.snapshot;
    snapshot.duties[0].title = "A duty only this scan's snapshot knows".into();
    snapshot.duties[0].questions[0].text = "Snapshot question text.".into();
    let mut m = Model::new(scan, "elsewhere.json", Programme::default(), Theme::mono());
    key(&mut m, KeyCode::Enter);
    let screen = format!("{}", draw(&m, 80, 24).backend());
    assert!(
        screen.contains("A duty only this scan's snapshot knows"),
        "{screen}"
    );
    assert!(screen.contains("Snapshot question text."), "{screen}");
}

#[test]
fn every_screen_draws_at_any_size_without_panicking() {
    for (w, h) in [(1, 1), (10, 4), (30, 8), (50, 12), (79, 23), (200, 60)] {
        let mut m = model(true);
        for keys_to_press in [
            vec![],
            vec![KeyCode::Enter],
            vec![KeyCode::Enter, KeyCode::Char('e')],
            vec![KeyCode::Char('p')],
            vec![KeyCode::Char('r')],
            vec![KeyCode::Char('v')],
            vec![KeyCode::F(1)],
        ] {
            m = Model::new(m.scan, "x.json", Programme::default(), Theme::colour());
            for k in keys_to_press {
                key(&mut m, k);
            }
            draw(&m, w, h);
        }
    }
}

#[test]
fn in_progress_scan_says_so() {
    let mut scan = model(false).scan.into_scan();
    scan.status = skills_scan::core::scan::Status::InProgress;
    let m = Model::new(scan, "x.json", Programme::default(), Theme::mono());
    let screen = format!("{}", draw(&m, 80, 24).backend());
    assert!(
        screen.contains("Review: Sam Singh · not validated · in progress"),
        "{screen}"
    );
}

#[test]
fn overview_counts_answers_that_may_identify_someone() {
    let mut scan = storage::load(std::path::Path::new(FIXTURE)).unwrap();
    for (id, text) in [
        ("d3-skills", "I rang her on 07700 900123."),
        ("b1", "He lives near LS1 4AP; DOB 03/04/1985."),
    ] {
        scan.answers.get_mut(id).expect("answered").text = text.into();
    }
    let m = Model::new(
        scan,
        "coach-submitted.json",
        Programme::default(),
        Theme::mono(),
    );
    let screen = format!("{}", draw(&m, 80, 24).backend());
    assert!(
        screen.contains("⚠ 2 answers may identify someone"),
        "{screen}"
    );
    assert!(!screen.contains("07700"), "the count, not the details");
}

/// After a sealed validation the coach agrees a KSB rating: the header, the overview and the
/// validation screen say the record changed since validation.
#[test]
fn changed_since_validation_80x24() {
    let mut scan = model(true).scan.into_scan();
    scan.review_mut().validation.validated_by_manager = false;
    skills_scan::core::record::validate(
        &mut scan,
        &[skills_scan::core::Standard::embedded().unwrap()],
        at(),
    )
    .unwrap();
    let mut m = Model::new(scan, "x.json", Programme::default(), Theme::mono());
    let overview = format!("{}", draw(&m, 80, 24).backend());
    assert!(
        overview.contains("Review: Sam Singh · validated ·"),
        "{overview}"
    );
    assert!(
        overview.contains("Validated: yes, 2026-11-23"),
        "{overview}"
    );
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Esc);
    let overview = format!("{}", draw(&m, 80, 24).backend());
    assert!(
        overview.contains("· CHANGED since validation"),
        "{overview}"
    );
    assert!(
        overview.contains("CHANGED since validated 2026-11-23"),
        "{overview}"
    );
    assert!(
        overview.contains("D1 Skills      ✔ Yes            ✎1 KSB"),
        "{overview}"
    );
    key(&mut m, KeyCode::Char('v'));
    insta::assert_snapshot!(draw(&m, 80, 24).backend());
}

#[test]
fn help_lists_every_key_in_the_table_and_no_empty_rows_below() {
    use skills_scan::tui::coach::keys::TABLE;
    use skills_scan::tui::keys::help_rows;
    let mut m = model(true);
    key(&mut m, KeyCode::Char('?'));
    let screen = format!("{}", draw(&m, 80, 24).backend());
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines.iter().position(|l| l.contains(" Help ")).unwrap();
    let bottom = top + lines[top..].iter().position(|l| l.contains('└')).unwrap();
    let rows = &lines[top + 1..bottom];
    for (keys, what) in help_rows(TABLE) {
        assert!(
            rows.iter().any(|r| r.contains(keys) && r.contains(what)),
            "{keys} – {what} is missing from the help: {rows:#?}"
        );
    }
    let inside = |r: &str| {
        r.trim_matches(|c: char| c == '"' || c == ' ')
            .trim_matches('│')
            .trim()
            .to_string()
    };
    assert!(!inside(rows[rows.len() - 1]).is_empty(), "{rows:#?}");
    assert_eq!(
        rows.len(),
        TABLE.len() + 2,
        "the keys, a blank row, one line"
    );
}
