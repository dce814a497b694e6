//! Reading the learner's lines: numbered lines (for error messages), commands, and multi-line
//! answers that end with a line holding only `.` or at end of input (Ctrl-D).

use std::io::{self, BufRead};

use super::text::clean;

/// A command that works at any prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Go back to the previous question.
    Back,
    /// Leave this for now and come back later.
    Skip,
    /// List the answers and anything missing.
    Review,
    /// Save now.
    Save,
    /// Save and stop.
    Quit,
    /// Show the commands.
    Help,
    /// Show the KSB statements of the current question.
    Ksb,
}

impl Command {
    /// A line that is exactly a command word (any case, surrounding spaces ignored).
    pub fn parse(line: &str) -> Option<Self> {
        match line.trim().to_ascii_lowercase().as_str() {
            "back" => Some(Self::Back),
            "skip" => Some(Self::Skip),
            "review" => Some(Self::Review),
            "save" => Some(Self::Save),
            "quit" => Some(Self::Quit),
            "help" | "?" => Some(Self::Help),
            "ksb" => Some(Self::Ksb),
            _ => None,
        }
    }
}

/// What one line typed at a one-line prompt means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A command.
    Command(Command),
    /// An answer (cleaned, surrounding spaces removed).
    Line(String),
    /// The input ended.
    End,
}

/// What was typed at a written-answer prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextReply {
    /// A command on the first line.
    Command(Command),
    /// The text (cleaned; blank lines at either end removed). Empty when only `.` was typed.
    Text(String),
    /// The input ended before any line.
    End,
}

/// The learner's input, line by line, counting lines for error messages.
pub struct Lines<'a> {
    input: &'a mut dyn BufRead,
    line_no: usize,
    ends_in_a_row: usize,
}

impl<'a> Lines<'a> {
    /// Reads from `input`.
    pub fn new(input: &'a mut dyn BufRead) -> Self {
        Self {
            input,
            line_no: 0,
            ends_in_a_row: 0,
        }
    }

    /// The number of the last line read (1-based; 0 before any).
    pub fn line_no(&self) -> usize {
        self.line_no
    }

    /// The next line without its line ending, cleaned of control characters and escape
    /// sequences; `None` at the end of input. Invalid UTF-8 is replaced, never an error.
    pub fn next_line(&mut self) -> io::Result<Option<String>> {
        let mut bytes = Vec::new();
        if self.input.read_until(b'\n', &mut bytes)? == 0 {
            self.ends_in_a_row += 1;
            return Ok(None);
        }
        self.ends_in_a_row = 0;
        self.line_no += 1;
        // A file of answers saved by a Windows editor may start with a byte-order mark.
        if self.line_no == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let line = String::from_utf8_lossy(&bytes);
        Ok(Some(clean(line.trim_end_matches(['\n', '\r']))))
    }

    /// How many times in a row the input has ended with no line between. A terminal's Ctrl-D
    /// ends the input once and reading can go on; a pipe's end repeats.
    pub fn ends_in_a_row(&self) -> usize {
        self.ends_in_a_row
    }

    /// Reads a one-line reply.
    pub fn reply(&mut self) -> io::Result<Reply> {
        Ok(match self.next_line()? {
            None => Reply::End,
            Some(line) => match Command::parse(&line) {
                Some(c) => Reply::Command(c),
                None => Reply::Line(line.trim().to_string()),
            },
        })
    }

    /// Reads a written answer: lines up to one holding only `.`, or to the end of input.
    /// A command word works only as the first line.
    pub fn text(&mut self) -> io::Result<TextReply> {
        let Some(first) = self.next_line()? else {
            return Ok(TextReply::End);
        };
        if let Some(c) = Command::parse(&first) {
            return Ok(TextReply::Command(c));
        }
        let mut lines = vec![first];
        while lines.last().is_none_or(|l| l.trim() != ".") {
            match self.next_line()? {
                Some(line) => lines.push(line),
                None => break,
            }
        }
        if lines.last().is_some_and(|l| l.trim() == ".") {
            lines.pop();
        }
        let text = lines
            .iter()
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        Ok(TextReply::Text(text.trim_matches('\n').to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<TextReply> {
        let mut bytes = s.as_bytes();
        let mut l = Lines::new(&mut bytes);
        let mut out = Vec::new();
        loop {
            let r = l.text().expect("read");
            let end = r == TextReply::End;
            out.push(r);
            if end {
                return out;
            }
        }
    }

    #[test]
    fn commands_are_whole_words_in_any_case() {
        assert_eq!(Command::parse(" Back "), Some(Command::Back));
        assert_eq!(Command::parse("QUIT"), Some(Command::Quit));
        assert_eq!(Command::parse("?"), Some(Command::Help));
        assert_eq!(Command::parse("go back"), None);
        assert_eq!(Command::parse("skipping"), None);
    }

    #[test]
    fn replies_count_lines_and_strip_endings() {
        let mut input: &[u8] = b"  Sam Taylor \r\nskip\n\x1b[31mred\n";
        let mut l = Lines::new(&mut input);
        assert_eq!(l.reply().expect("read"), Reply::Line("Sam Taylor".into()));
        assert_eq!(l.reply().expect("read"), Reply::Command(Command::Skip));
        assert_eq!(l.reply().expect("read"), Reply::Line("red".into()));
        assert_eq!(l.line_no(), 3);
        assert_eq!(l.reply().expect("read"), Reply::End);
        assert_eq!(l.line_no(), 3);
    }

    #[test]
    fn ends_in_a_row_are_counted_and_reset_by_a_line() {
        let mut input: &[u8] = b"";
        let mut l = Lines::new(&mut input);
        assert_eq!(l.reply().expect("read"), Reply::End);
        assert_eq!(l.reply().expect("read"), Reply::End);
        assert_eq!(l.ends_in_a_row(), 2);
        let mut input: &[u8] = b"a\n";
        let mut l = Lines::new(&mut input);
        assert_eq!(l.text().expect("read"), TextReply::Text("a".into()));
        assert_eq!(l.ends_in_a_row(), 1, "the text ended at the end of input");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_an_error() {
        let mut input: &[u8] = b"caf\xe9\n";
        let mut l = Lines::new(&mut input);
        assert_eq!(l.reply().expect("read"), Reply::Line("caf\u{fffd}".into()));
    }

    #[test]
    fn text_ends_with_a_full_stop_line() {
        assert_eq!(
            lines("one\n\ntwo  \n.\n.\n"),
            vec![
                TextReply::Text("one\n\ntwo".into()),
                TextReply::Text(String::new()),
                TextReply::End
            ]
        );
    }

    #[test]
    fn text_ends_at_end_of_input() {
        assert_eq!(
            lines("\nhalf a\nthought"),
            vec![TextReply::Text("half a\nthought".into()), TextReply::End]
        );
    }

    #[test]
    fn a_command_counts_only_on_the_first_line() {
        assert_eq!(
            lines("back\nI went back\nskip\n.\n"),
            vec![
                TextReply::Command(Command::Back),
                TextReply::Text("I went back\nskip".into()),
                TextReply::End
            ]
        );
    }

    #[test]
    fn a_full_stop_inside_a_line_is_text() {
        assert_eq!(
            lines("I did. Then more.\n . \n"),
            vec![TextReply::Text("I did. Then more.".into()), TextReply::End]
        );
    }
}
