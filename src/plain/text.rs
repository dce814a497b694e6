//! Plain text for the plain front end: making text from files and typed lines safe to print
//! (no escape sequences, control characters or bidi overrides) and the fixed wordings.

use chrono::{DateTime, Utc};

/// Returns `text` with nothing that a terminal would act on: escape sequences (CSI, OSC and
/// two-character escapes) are removed whole, other control characters dropped (a tab becomes a
/// space; new lines are kept), and bidi overrides, isolates and marks removed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | '_' | '^' | 'X') => skip_string(&mut chars),
                Some('\n') => out.push('\n'),
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Skips a control sequence's parameters up to and including its final byte.
fn skip_csi(chars: &mut impl Iterator<Item = char>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) || c == '\n' {
            break;
        }
    }
}

/// Skips an OSC/DCS-style string up to BEL or ESC `\` (or the end of the line).
fn skip_string(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' | '\n' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Characters that reorder text on screen (Trojan Source) or are invisible direction marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// How long ago `then` was, in words: "just now", "5 minutes ago", "2 days ago".
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - then).num_minutes().max(0);
    let (n, unit) = match minutes {
        0 => return "just now".into(),
        m if m < 60 => (m, "minute"),
        m if m < 60 * 24 => (m / 60, "hour"),
        m => (m / (60 * 24), "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

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
    use chrono::TimeZone;

    #[test]
    fn clean_removes_escape_sequences_whole() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]8;;http://e\u{1b}\\link"), "xlink");
        assert_eq!(clean("\u{9b}2Jgone"), "gone");
        assert_eq!(clean("a\u{1b}cb"), "ab");
        assert_eq!(clean("tab\there\r\nnext\u{7}"), "tab here\nnext");
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
    fn ago_in_words() {
        let t = |s: i64| {
            Utc.timestamp_opt(1_790_000_000 + s, 0)
                .single()
                .expect("time")
        };
        assert_eq!(ago(t(0), t(30)), "just now");
        assert_eq!(ago(t(0), t(60)), "1 minute ago");
        assert_eq!(ago(t(0), t(7200)), "2 hours ago");
        assert_eq!(ago(t(0), t(2 * 86_400 + 5)), "2 days ago");
        assert_eq!(ago(t(60), t(0)), "just now");
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
