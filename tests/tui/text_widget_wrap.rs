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

/// The rows a box draws (its lines as the screen shows them, trailing blanks cut).
fn rows(ta: &TextArea<'_>, width: u16) -> Vec<String> {
    let mut term = Terminal::new(TestBackend::new(width, 160)).unwrap();
    term.draw(|f| f.render_widget(ta, f.area())).unwrap();
    let buffer = term.backend().buffer();
    (0..160)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Words separated by spaces, wrapped at any width: a wrapped row never starts with a space
    /// (the space that ends a row hangs past its edge), and no text is lost.
    #[test]
    fn wrapped_rows_never_start_with_a_space(
        words in prop::collection::vec("[a-zŵ漢]{1,14}", 1..40),
        gaps in prop::collection::vec(1usize..3, 40),
        width in 4u16..40,
        typed in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(&" ".repeat(gaps[i]));
            }
            text.push_str(w);
        }
        let ta = if typed {
            // Typed a key at a time, as a learner does (the wrap is kept up incrementally).
            let mut ta = boxed(vec![String::new()]);
            for c in text.chars() {
                let _ = ta.input(Input { key: Key::Char(c), ..Input::default() });
                let _ = draw(&ta, width);
            }
            ta
        } else {
            boxed(vec![text.clone()])
        };
        let shown = rows(&ta, width);
        for row in &shown {
            prop_assert!(!row.starts_with(' ') || row.trim().is_empty(), "row {:?} in {:?}", row, shown);
        }
        let letters: String = shown.concat().chars().filter(|c| !c.is_whitespace()).collect();
        let want: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(letters, want);
    }
}

#[test]
fn a_space_typed_at_the_edge_moves_the_cursor_to_the_next_row() {
    let mut ta = boxed(vec!["abcd".into()]);
    ta.move_cursor(CursorMove::End);
    let _ = ta.input(Input {
        key: Key::Char(' '),
        ..Input::default()
    });
    let _ = ta.input(Input {
        key: Key::Char('e'),
        ..Input::default()
    });
    let shown = rows(&ta, 4);
    assert_eq!(shown[0], "abcd");
    assert_eq!(shown[1], "e   ");
}
