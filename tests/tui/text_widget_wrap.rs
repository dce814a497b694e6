//! The patched answer box (vendor/ratatui-textarea re-wraps only the lines an edit changed) must
//! draw exactly what a box built from scratch with the same text draws: random edits, typed
//! Enter, deletions and pastes, at several widths, compared cell by cell with the cursor.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui_textarea::{CursorMove, Input, Key, TextArea, WrapMode};

#[derive(Debug, Clone)]
enum Edit {
    Type(String),
    Enter,
    Backspace,
    Delete,
    Move(u8),
    Resize(u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => "[a-z ŵ漢😀]{1,12}".prop_map(Edit::Type),
        1 => Just(Edit::Enter),
        2 => Just(Edit::Backspace),
        1 => Just(Edit::Delete),
        2 => (0u8..8).prop_map(Edit::Move),
        1 => (12u16..60).prop_map(Edit::Resize),
    ]
}

fn boxed(lines: Vec<String>) -> TextArea<'static> {
    let mut ta = TextArea::new(lines);
    ta.set_wrap_mode(WrapMode::WordOrGlyph);
    ta
}

fn draw(ta: &TextArea<'_>, width: u16) -> String {
    // Tall enough that nothing scrolls: two boxes draw alike only if their wrapping agrees.
    let mut term = Terminal::new(TestBackend::new(width, 160)).unwrap();
    term.draw(|f| f.render_widget(ta, f.area())).unwrap();
    format!("{}", term.backend())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn incremental_wrapping_draws_what_a_fresh_box_draws(
        start in prop::collection::vec("[a-z ]{0,80}", 1..6),
        edits in prop::collection::vec(edit(), 1..40),
    ) {
        let mut width = 30u16;
        let mut ta = boxed(start);
        let _ = draw(&ta, width);
        for e in edits {
            match e {
                Edit::Type(s) => { let _ = ta.insert_str(s); }
                Edit::Enter => { let _ = ta.input(Input { key: Key::Enter, ..Input::default() }); }
                Edit::Backspace => { let _ = ta.input(Input { key: Key::Backspace, ..Input::default() }); }
                Edit::Delete => { let _ = ta.input(Input { key: Key::Delete, ..Input::default() }); }
                Edit::Move(m) => ta.move_cursor(match m {
                    0 => CursorMove::Up,
                    1 => CursorMove::Down,
                    2 => CursorMove::Back,
                    3 => CursorMove::Forward,
                    4 => CursorMove::Head,
                    5 => CursorMove::End,
                    6 => CursorMove::Top,
                    _ => CursorMove::Bottom,
                }),
                Edit::Resize(w) => width = w,
            }
            let shown = draw(&ta, width);
            let mut fresh = boxed(ta.lines().to_vec());
            let ratatui_textarea::DataCursor(row, col) = ta.cursor();
            fresh.move_cursor(CursorMove::Jump(row as u16, col as u16));
            prop_assert_eq!(fresh.cursor(), ta.cursor());
            prop_assert_eq!(draw(&fresh, width), shown);
        }
    }
}
