//! Text made safe for the screen (control characters, ANSI escapes and bidi overrides never reach
//! the terminal raw) and word wrapping by display width, so static texts are wrapped once per width.

use unicode_width::UnicodeWidthChar;

pub use crate::core::text::{sanitize, sanitize_line};

/// Display width of a string in terminal cells.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Wraps text to `width` cells: paragraphs at `\n`, words at spaces, over-long words split by
/// character. Returns the lines (an empty line for each blank line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let word_w = self::width(word);
            let sep = usize::from(!line.is_empty());
            if line_w + sep + word_w <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + word_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            if word_w <= width {
                line.push_str(word);
                line_w = word_w;
            } else {
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// A static text wrapped once per width (screens keep one per paragraph block).
#[derive(Debug, Clone, Default)]
pub struct Wrapped {
    text: String,
    width: usize,
    lines: Vec<String>,
}

impl Wrapped {
    /// Safe text, not yet wrapped.
    pub fn new(text: &str) -> Self {
        Self {
            text: sanitize(text.trim()).into_owned(),
            width: 0,
            lines: Vec::new(),
        }
    }

    /// The lines at this width (re-wrapped only when the width changes).
    pub fn lines(&mut self, width: usize) -> &[String] {
        if width != self.width {
            self.lines = wrap(&self.text, width);
            self.width = width;
        }
        &self.lines
    }

    /// The lines as last wrapped (empty before the first [`Wrapped::lines`]).
    pub fn cached(&self) -> &[String] {
        &self.lines
    }

    /// The safe text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The first line of a text, cut to `max` cells with an ellipsis.
pub fn first_line(text: &str, max: usize) -> String {
    let line = sanitize_line(text.trim().lines().next().unwrap_or(""));
    truncate(&line, max)
}

/// Cuts a one-line string to `max` cells, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_controls_are_removed() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("t\u{1b}]0;title\u{7}x"), "tx");
        assert_eq!(sanitize("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(sanitize("x\u{202E}gnp.exe\u{2069}"), "xgnp.exe");
        assert_eq!(sanitize("bell\u{7}\u{0}\u{8}"), "bell");
        assert_eq!(sanitize("tab\there"), "tab    here");
        assert!(matches!(
            sanitize("Siân ŵ 😀 漢字"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(sanitize_line("one\ntwo"), "one two");
    }

    #[test]
    fn wrap_respects_display_width() {
        assert_eq!(wrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(wrap("漢字漢字", 4), vec!["漢字", "漢字"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
        for line in wrap(&"word ".repeat(50), 13) {
            assert!(width(&line) <= 13);
        }
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(first_line("first\nsecond", 20), "first");
    }
}
