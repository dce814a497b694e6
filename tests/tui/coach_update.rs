//! Message-level tests of the coach's view: keys in, state out (no terminal). The learner's
//! answers must come out exactly as they went in, whatever the coach does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use skills_scan::core::rpl::Programme;
use skills_scan::core::{Rating, Scan};
use skills_scan::sample;
use skills_scan::tui::coach::model::{Effect, Field, Model, Msg, Screen};
use skills_scan::tui::theme::Theme;

fn at(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .single()
        .unwrap()
        + chrono::Duration::minutes(min)
}

fn scan(submitted: bool) -> Scan {
    let st = skills_scan::core::Standard::embedded().unwrap();
    if submitted {
        sample::submitted_scan(&st, 9, at(-600))
    } else {
        sample::complete_scan(&st, 9, at(-600))
    }
}

fn model(submitted: bool) -> Model {
    Model::new(
        scan(submitted),
        "s.json",
        Programme::default(),
        Theme::mono(),
    )
}

fn press(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    m.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), at(1))
}

fn ctrl(m: &mut Model, c: char) -> Vec<Effect> {
    m.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        at(1),
    )
}

fn typing(m: &mut Model, text: &str) {
    for c in text.chars() {
        press(m, KeyCode::Char(c));
    }
}

#[test]
fn agreed_rating_and_note_change_only_the_review() {
    for submitted in [true, false] {
        let mut m = model(submitted);
        let before = m.scan.answers.clone();
        press(&mut m, KeyCode::Down);
        assert_eq!(m.selected, 1);
        assert_eq!(press(&mut m, KeyCode::Enter), vec![]);
        assert_eq!(m.screen, Screen::Question);
        let id = m.selected_id().unwrap();
        let learner = m.scan.rating(&id);
        press(&mut m, KeyCode::Char('n'));
        assert_eq!(m.scan.agreed(&id).unwrap().rating, Some(Rating::No));
        assert_eq!(m.scan.effective_rating(&id), Some(Rating::No));
        assert_eq!(
            m.scan.rating(&id),
            learner,
            "the learner's rating is untouched"
        );
        press(&mut m, KeyCode::Char('e'));
        assert!(m.note.is_some());
        typing(&mut m, "Agreed at the meeting: q and y are text here");
        assert_eq!(
            m.scan.agreed(&id).unwrap().rating,
            Some(Rating::No),
            "typing is not a key"
        );
        assert_eq!(m.screen, Screen::Question);
        assert_eq!(
            m.scan.agreed(&id).unwrap().note,
            "Agreed at the meeting: q and y are text here"
        );
        assert_eq!(
            press(&mut m, KeyCode::Esc),
            vec![Effect::Save],
            "leaving the note saves"
        );
        assert!(m.note.is_none());
        assert_eq!(m.scan.agreed(&id).unwrap().changed, Some(at(1)));
        press(&mut m, KeyCode::Char('x'));
        assert_eq!(m.scan.agreed(&id).unwrap().rating, None);
        assert_eq!(m.scan.effective_rating(&id), learner);
        assert_eq!(
            m.scan.answers, before,
            "learner answers unchanged (submitted: {submitted})"
        );
        assert!(m.is_dirty());
    }
}

#[test]
fn pasted_note_is_sanitised_and_keeps_line_breaks() {
    let mut m = model(true);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('e'));
    m.update(Msg::Paste("line one\r\n\u{1b}[2Jline two".into()), at(2));
    let id = m.selected_id().unwrap();
    assert_eq!(m.scan.agreed(&id).unwrap().note, "line one\nline two");
}

#[test]
fn navigation_between_questions_and_screens() {
    let mut m = model(true);
    press(&mut m, KeyCode::End);
    assert_eq!(m.selected, 24);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Right);
    assert_eq!(m.selected, 24, "no question after the last");
    press(&mut m, KeyCode::Left);
    assert_eq!(m.selected, 23);
    assert_eq!(m.screen, Screen::Question);
    press(&mut m, KeyCode::Esc);
    assert_eq!(m.screen, Screen::Overview);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.screen, Screen::Plan);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.screen, Screen::Rpl);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.screen, Screen::Validation);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.screen, Screen::Overview);
    press(&mut m, KeyCode::BackTab);
    assert_eq!(m.screen, Screen::Validation);
    // Key releases (kitty keyboard protocol) do nothing.
    let mut release = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    m.update(Msg::Key(release), at(1));
    assert_eq!(m.screen, Screen::Validation);
}

#[test]
fn quit_and_save_effects() {
    let mut m = model(true);
    assert_eq!(press(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
    assert_eq!(ctrl(&mut m, 's'), vec![Effect::Save]);
    assert_eq!(ctrl(&mut m, 'c'), vec![Effect::Quit]);
    // Ctrl-C quits while a note is written, where `q` is text.
    let mut writing = model(true);
    press(&mut writing, KeyCode::Enter);
    press(&mut writing, KeyCode::Char('e'));
    assert!(writing.note.is_some());
    assert_eq!(press(&mut writing, KeyCode::Char('q')), vec![]);
    assert_eq!(ctrl(&mut writing, 'c'), vec![Effect::Quit]);
    // A failed save on quit: the next quit leaves without saving; a change re-arms the save.
    m.save_failed("disk full", true);
    assert!(m.status.as_ref().unwrap().problem);
    assert_eq!(press(&mut m, KeyCode::Char('q')), vec![Effect::QuitUnsaved]);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('y'));
    assert_eq!(press(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
    // What the session does when the save went well.
    m.scan.mark_saved();
    m.saved("Saved".into());
    assert!(!m.is_dirty());
    m.update(Msg::Saved(Err("later problem".into())), at(3));
    assert_eq!(m.status.as_ref().unwrap().text, "later problem");
}

#[test]
fn validation_record_needs_date_and_names_and_is_timestamped() {
    let mut scan = model(true).scan.into_scan();
    scan.manager.name = "Alex Morgan".into();
    let mut m = Model::new(scan, "s.json", Programme::default(), Theme::mono());
    press(&mut m, KeyCode::Char('v'));
    assert_eq!(m.screen, Screen::Validation);
    assert_eq!(m.form.focus, Field::Date);
    assert_eq!(
        m.form.manager.text(),
        "Alex Morgan",
        "prefilled from the scan"
    );
    // Ticking before the names are in is refused.
    for _ in 0..3 {
        press(&mut m, KeyCode::Down);
    }
    assert_eq!(m.form.focus, Field::Validated);
    press(&mut m, KeyCode::Char(' '));
    assert!(!m.scan.is_validated());
    let problem = m.form.problem.clone().unwrap();
    assert!(
        problem.contains("meeting date") && problem.contains("coach's name"),
        "{problem}"
    );
    // A bad date is named and not stored.
    press(&mut m, KeyCode::Up);
    press(&mut m, KeyCode::Up);
    press(&mut m, KeyCode::Up);
    typing(&mut m, "23 Nov");
    assert!(m.form.problem.as_ref().unwrap().contains("YYYY-MM-DD"));
    assert_eq!(
        m.scan.review.as_ref().unwrap().validation.meeting_date,
        None
    );
    // The form's fields are the learner's text field: Ctrl-U undoes typing (as the help says);
    // Backspace deletes.
    ctrl(&mut m, 'u');
    assert_ne!(
        m.form.date.text(),
        "23 Nov",
        "Ctrl-U undid some of the typing"
    );
    for _ in 0..6 {
        press(&mut m, KeyCode::Backspace);
    }
    assert!(m.form.date.text().is_empty());
    // Enter on an empty date fills in today.
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.form.focus, Field::Coach);
    assert_eq!(
        m.scan.review.as_ref().unwrap().validation.meeting_date,
        NaiveDate::from_ymd_opt(2026, 11, 23)
    );
    typing(&mut m, "Jordan Hughes");
    press(&mut m, KeyCode::Backspace);
    typing(&mut m, "s");
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Char(' '));
    let v = &m.scan.review.as_ref().unwrap().validation;
    assert!(v.validated_by_manager);
    assert_eq!(v.coach_name, "Jordan Hughes");
    assert_eq!(v.manager_name, "Alex Morgan");
    assert_eq!(v.recorded_at, Some(at(1)));
    assert!(m.form.problem.is_none());
    // Space again withdraws it.
    press(&mut m, KeyCode::Char(' '));
    assert!(!m.scan.is_validated());
    // Letters type into name fields instead of acting as keys.
    press(&mut m, KeyCode::Up);
    typing(&mut m, "q");
    assert_eq!(m.form.manager.text(), "Alex Morganq");
    assert_eq!(press(&mut m, KeyCode::Esc), vec![Effect::Save]);
    assert_eq!(m.screen, Screen::Overview);
}

#[test]
fn scrolling_stops_at_the_end_the_view_reported() {
    let mut m = model(true);
    press(&mut m, KeyCode::Char('p'));
    m.max_scroll.set(3);
    for _ in 0..10 {
        press(&mut m, KeyCode::Down);
    }
    assert_eq!(m.scroll, 3);
    press(&mut m, KeyCode::Up);
    assert_eq!(m.scroll, 2);
    press(&mut m, KeyCode::Home);
    assert_eq!(m.scroll, 0);
}

#[test]
fn ksb_list_sets_per_ksb_ratings_and_notes_and_p_r_v_switch_tabs() {
    let mut m = model(true);
    let before = m.scan.answers.clone();
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Question);
    assert_eq!(m.ksb_cursor, None);
    press(&mut m, KeyCode::Down);
    assert_eq!(m.selected_ksb(), Some("S1".into()));
    press(&mut m, KeyCode::Char('s'));
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Char('e'));
    typing(&mut m, "New to this.");
    press(&mut m, KeyCode::Esc);
    let ksbs = &m.scan.review.as_ref().unwrap().ksbs;
    assert_eq!(ksbs["S1"].rating, Some(Rating::Some));
    assert_eq!(ksbs["S2"].note, "New to this.");
    assert_eq!(ksbs["S2"].rating, None);
    assert!(
        m.scan.agreed(&"d1-skills".into()).is_none(),
        "the question's rating is untouched"
    );
    // The cursor stops at the last KSB, and Up past the first returns to the question.
    for _ in 0..20 {
        press(&mut m, KeyCode::Down);
    }
    assert_eq!(m.selected_ksb(), Some("S5".into()));
    for _ in 0..20 {
        press(&mut m, KeyCode::Up);
    }
    assert_eq!(m.ksb_cursor, None);
    press(&mut m, KeyCode::Char('y'));
    assert_eq!(
        m.scan.agreed(&"d1-skills".into()).unwrap().rating,
        Some(Rating::Yes)
    );
    // x on a KSB clears its rating: it is derived again (a KSB with neither is dropped).
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Char('x'));
    assert!(!m.scan.review.as_ref().unwrap().ksbs.contains_key("S1"));
    assert_eq!(m.scan.answers, before);
    // p / r / v work from the question screen.
    for (key, screen) in [
        ('p', Screen::Plan),
        ('r', Screen::Rpl),
        ('v', Screen::Validation),
    ] {
        press(&mut m, KeyCode::Esc);
        press(&mut m, KeyCode::Esc);
        press(&mut m, KeyCode::Enter);
        assert_eq!(m.screen, Screen::Question);
        press(&mut m, KeyCode::Char(key));
        assert_eq!(m.screen, screen);
    }
}

#[test]
fn validation_is_refused_on_an_unfinished_scan_and_a_change_unseals_it() {
    let mut scan = model(false).scan.into_scan();
    scan.set_rating(&"b5".into(), None, at(0));
    scan.review_mut().validation.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
    scan.review_mut().validation.coach_name = "Jordan Hughes".into();
    scan.review_mut().validation.manager_name = "Alex Morgan".into();
    let mut m = Model::new(scan, "s.json", Programme::default(), Theme::mono());
    press(&mut m, KeyCode::Char('v'));
    for _ in 0..3 {
        press(&mut m, KeyCode::Down);
    }
    press(&mut m, KeyCode::Char(' '));
    assert!(!m.scan.is_validated());
    assert!(
        !m.scan
            .review
            .as_ref()
            .unwrap()
            .validation
            .validated_by_manager
    );
    let problem = m.form.problem.clone().unwrap();
    assert!(
        problem.contains("not submitted") && problem.contains("1 of 25 questions unanswered"),
        "{problem}"
    );

    // Submitted: it validates and seals; a later change shows as changed; Space seals again.
    let mut scan = model(true).scan.into_scan();
    let v = &mut scan.review_mut().validation;
    v.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
    v.coach_name = "Jordan Hughes".into();
    v.manager_name = "Alex Morgan".into();
    let mut m = Model::new(scan, "s.json", Programme::default(), Theme::mono());
    press(&mut m, KeyCode::Char('v'));
    for _ in 0..3 {
        press(&mut m, KeyCode::Down);
    }
    press(&mut m, KeyCode::Char(' '));
    assert!(m.scan.is_validated());
    assert!(
        m.scan
            .review
            .as_ref()
            .unwrap()
            .validation
            .fingerprint
            .is_some()
    );
    press(&mut m, KeyCode::Esc);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('n'));
    assert!(
        !m.scan.is_validated(),
        "a change after validation breaks the seal"
    );
    assert!(matches!(
        skills_scan::core::record::Seal::of(&m.scan),
        skills_scan::core::record::Seal::ChangedSince { .. }
    ));
    press(&mut m, KeyCode::Char('v'));
    press(&mut m, KeyCode::Char(' '));
    assert!(m.scan.is_validated(), "validated again over the new record");
}

#[test]
fn a_modified_standard_cannot_be_validated_in_the_view() {
    let mut s = scan(true);
    s.standard.snapshot.ksbs[0].text.push_str(" (edited)");
    let v = &mut s.review_mut().validation;
    v.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
    v.coach_name = "Jordan Hughes".into();
    v.manager_name = "Alex Morgan".into();
    let mut m = Model::new(s, "s.json", Programme::default(), Theme::mono());
    assert!(m.modified.is_some());
    press(&mut m, KeyCode::Char('v'));
    for _ in 0..3 {
        press(&mut m, KeyCode::Down);
    }
    press(&mut m, KeyCode::Char(' '));
    assert!(!m.scan.is_validated());
    let problem = m.form.problem.clone().unwrap();
    assert!(
        problem.contains("modified") && problem.contains("KSBs reworded: K1"),
        "{problem}"
    );
}

#[test]
fn a_panic_in_the_coach_loop_saves_the_review_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scan.json");
    let mut s = scan(true);
    s.set_agreed_rating(&"d1-skills".into(), None, at(-1));
    skills_scan::storage::save_atomically(&file, &s).unwrap();
    let (mut session, draft) = skills_scan::session::Session::open(&file).unwrap();
    let mut m = Model::new(draft, "scan.json", Programme::default(), Theme::mono());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        skills_scan::tui::coach::save_on_panic(&mut session, &mut m, |_, m| {
            press(m, KeyCode::Enter);
            press(m, KeyCode::Char('n'));
            assert!(m.is_dirty());
            panic!("a bug in the coach's loop");
        })
    }));
    assert!(outcome.is_err(), "the panic goes on after the save");
    let saved = skills_scan::storage::load(&file).unwrap();
    let id = m.question_ids()[0].clone();
    assert_eq!(id, "d1-skills");
    assert_eq!(
        saved.agreed(&id).and_then(|a| a.rating),
        Some(Rating::No),
        "the agreed rating made just before the panic is in the file"
    );
}

#[test]
fn the_wheel_is_a_message_that_moves_the_selection() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut m = model(true);
    let wheel = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert_eq!(m.update(wheel(MouseEventKind::ScrollDown), at(1)), vec![]);
    assert_eq!(m.update(wheel(MouseEventKind::ScrollDown), at(1)), vec![]);
    assert_eq!(m.selected, 2);
    m.update(wheel(MouseEventKind::ScrollUp), at(1));
    assert_eq!(m.selected, 1);
    // While a note is written the wheel does nothing.
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('e'));
    assert!(m.note.is_some());
    m.update(wheel(MouseEventKind::ScrollDown), at(1));
    assert_eq!(m.selected, 1);
}

#[test]
fn every_chord_in_the_table_does_what_its_row_says() {
    use skills_scan::tui::coach::keys::{Action, TABLE, action};
    for binding in TABLE {
        for (chord, want) in binding.chords {
            assert_eq!(
                action(&chord.event(), false),
                Some(*want),
                "{chord:?} ({})",
                binding.keys
            );
        }
    }
    // While typing, `q` is text and Ctrl-C still quits at once.
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(action(&q, true), None);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(action(&ctrl_c, true), Some(Action::QuitNow));
}
