//! Plain text for the plain front end: making text from files and typed lines safe to print
//! (no escape sequences, control characters or bidi overrides) and the fixed wordings.

/// Returns `text` with nothing that a terminal would act on (see [`crate::core::text::sanitize`]).
pub fn clean(text: &str) -> String {
    crate::core::text::sanitize(text).into_owned()
}

pub use crate::core::text::ago;

/// The first line of an answer, cut to about `max` characters with "..." when longer.
pub fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() > max || text.trim().lines().count() > 1 {
        let cut: String = line.chars().take(max).collect();
        format!("{}...", cut.trim_end().trim_end_matches('.'))
    } else {
        line.to_string()
    }
}

/// The commands, as `help` shows them.
pub const HELP: &str = "\
Commands you can type at any prompt:
  back     go back to the previous question
  skip     leave this for now and come back to it later
  review   list your answers and anything still missing
  save     save now (your answers are also saved after each one)
  quit     save and stop; run skills-scan again to carry on
  help     show this help
  ksb      at a question: show the statements from the standard that it covers
In a written answer, a command works only as the first line.";

/// What to type at a rating prompt.
pub const RATE: &str = "Rate: yes, some or no.";

/// The end of every written-answer prompt.
pub const TEXT_END: &str =
    "Type one or more lines, then a line with only a full stop (.) to finish, or press Ctrl-D.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_escape_sequences_whole() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]8;;http://e\u{1b}\\link"), "xlink");
        assert_eq!(clean("\u{9b}2Jgone"), "gone");
        assert_eq!(clean("a\u{1b}cb"), "ab");
        assert_eq!(clean("tab\there\r\nnext\u{7}"), "tab    here\nnext");
    }

    #[test]
    fn clean_removes_bidi_overrides_but_keeps_letters() {
        assert_eq!(clean("a\u{202e}cba\u{202c}z"), "acbaz");
        assert_eq!(clean("\u{2067}x\u{2069}"), "x");
        assert_eq!(clean("Siân Ŵyn 😀 漢字"), "Siân Ŵyn 😀 漢字");
    }

    #[test]
    fn clean_never_leaves_an_escape() {
        for s in [
            "\u{1b}",
            "\u{1b}[",
            "\u{1b}]",
            "\u{1b}\u{1b}[1m",
            "\u{9b}",
            "\u{1b}P\u{1b}",
        ] {
            assert!(!clean(s).contains('\u{1b}'), "{s:?}");
        }
    }

    #[test]
    fn first_line_is_cut() {
        assert_eq!(first_line("short", 10), "short");
        assert_eq!(first_line("\n\nline one\nline two", 20), "line one...");
        assert_eq!(first_line("abcdefghijkl", 5), "abcde...");
        assert_eq!(first_line("", 5), "");
        assert_eq!(first_line("Done.\nMore.", 20), "Done...");
    }
}
