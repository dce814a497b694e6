//! One text field for every screen: a single-line field (the learner's details, the coach's
//! validation form) or a multi-line box (the learner's answers, the coach's notes), both over the
//! vendored `ratatui-textarea` (word wrap kept up incrementally). What goes in is made safe for the
//! screen; a single-line field never holds a line break.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::tui::text::{sanitize, sanitize_line};

/// Whether a field holds one line or many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: Enter does not break it, pasted line breaks become spaces.
    One,
    /// Many lines, word-wrapped to the box.
    Many,
}

/// A text field with its cursor, undo history and wrapping.
#[derive(Debug, Clone)]
pub struct TextField {
    area: TextArea<'static>,
    lines: Lines,
}

impl TextField {
    /// A single-line field holding `value`, the cursor at its end.
    pub fn one_line(value: &str) -> Self {
        Self::build(vec![sanitize_line(value)], Lines::One)
    }

    /// A multi-line, word-wrapped box holding `value`, the cursor at its end.
    pub fn many_lines(value: &str) -> Self {
        let lines = sanitize(value).split('\n').map(String::from).collect();
        Self::build(lines, Lines::Many)
    }

    fn build(lines: Vec<String>, kind: Lines) -> Self {
        let mut area = TextArea::new(lines);
        if kind == Lines::Many {
            area.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        area.set_cursor_line_style(Style::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Self { area, lines: kind }
    }

    /// The text (a single-line field's lines are never more than one).
    pub fn text(&self) -> String {
        self.area.lines().join(match self.lines {
            Lines::One => " ",
            Lines::Many => "\n",
        })
    }

    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.area.is_empty()
    }

    /// The cursor's column in characters on its line.
    pub fn cursor_column(&self) -> usize {
        self.area.cursor().1
    }

    /// Applies an editing key; true if the text changed. In a single-line field Enter is not
    /// text, and a key that would break the line (Ctrl-M, Ctrl-J) leaves one line.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        if self.lines == Lines::One && key.code == KeyCode::Enter {
            return false;
        }
        let changed = self.area.input(key);
        if self.lines == Lines::One && self.area.lines().len() > 1 {
            *self = Self::one_line(&self.area.lines().join(" "));
        }
        changed
    }

    /// Inserts pasted text at the cursor (made safe; line breaks become spaces in a
    /// single-line field).
    pub fn paste(&mut self, text: &str) {
        let text = match self.lines {
            Lines::One => sanitize_line(text),
            Lines::Many => sanitize(&text.replace("\r\n", "\n").replace('\r', "\n")).into_owned(),
        };
        self.area.insert_str(text);
    }

    /// The widget, to draw.
    pub fn widget(&self) -> &TextArea<'static> {
        &self.area
    }

    /// The widget, to set its frame and cursor style or to scroll it.
    pub fn widget_mut(&mut self) -> &mut TextArea<'static> {
        &mut self.area
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(f: &mut TextField, code: KeyCode) -> bool {
        f.input(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn a_one_line_field_never_holds_a_line_break() {
        let mut f = TextField::one_line("Sam\nTaylor");
        assert_eq!(f.text(), "Sam Taylor");
        assert!(!press(&mut f, KeyCode::Enter));
        f.paste(" a\r\nb");
        assert_eq!(f.widget().lines().len(), 1);
        assert_eq!(f.text(), "Sam Taylor a b");
        assert_eq!(f.cursor_column(), f.text().chars().count());
        // Whatever a control key does, the field stays one line.
        for c in ['j', 'm', 'o'] {
            f.input(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
            assert_eq!(f.widget().lines().len(), 1, "after Ctrl-{c}");
        }
    }

    #[test]
    fn a_box_keeps_lines_and_drops_escapes() {
        let mut f = TextField::many_lines("one\ntwo");
        assert!(press(&mut f, KeyCode::Enter));
        f.paste("th\u{1b}[31mree\r\nfour");
        assert_eq!(f.text(), "one\ntwo\nthree\nfour");
        assert!(press(&mut f, KeyCode::Backspace));
        assert_eq!(f.text(), "one\ntwo\nthree\nfou");
    }
}
