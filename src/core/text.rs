//! Text that people typed or that came from a file, made inert: ANSI/terminal escape sequences
//! removed whole, other control characters dropped, bidi overrides and marks removed, line endings
//! normalised to `\n`. The one implementation behind the screen, the plain prompts and the summary.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

/// Whether a character reorders text invisibly (bidi embeddings, overrides, isolates, marks:
/// the "Trojan Source" characters).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Returns `text` with nothing a terminal or a reader would act on. `\r\n`, `\r` and the Unicode
/// line/paragraph separators become `\n`; a tab becomes four spaces; escape sequences (CSI, OSC,
/// DCS, APC, PM, SOS, two-character escapes, and their C1 forms) are removed whole; other control
/// characters and bidi controls are dropped. Borrowed when nothing needs changing.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) || c == '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | '_' | '^' | 'X') => skip_string(&mut chars),
                Some('\n') => out.push('\n'),
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like [`sanitize`], for one-line fields (names, addresses): line breaks become spaces.
pub fn sanitize_line(text: &str) -> String {
    sanitize(text).replace('\n', " ")
}

/// Skips a control sequence's parameters up to and including its final byte (or a line end).
fn skip_csi(chars: &mut impl Iterator<Item = char>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) || c == '\n' {
            break;
        }
    }
}

/// Skips an OSC/DCS-style string up to BEL, ST or ESC `\` (or the end of the line).
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

/// How long ago `then` was, in words: "just now", "1 minute ago", "5 hours ago", "2 days ago".
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    let (n, unit) = match secs {
        0..60 => return "just now".into(),
        60..3600 => (secs / 60, "minute"),
        3600..86_400 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]8;;http://e\u{1b}\\y"), "xy");
        assert_eq!(sanitize("x\u{9b}2Jy"), "xy");
    }

    #[test]
    fn line_ends_tabs_bidi_and_controls() {
        assert_eq!(sanitize("a\r\nb\rc\u{2028}d"), "a\nb\nc\nd");
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize("abc\u{202E}def\u{2066}"), "abcdef");
        assert_eq!(sanitize("a\u{0}\u{7}\u{8}b"), "ab");
        assert_eq!(sanitize_line("Sam\r\nBcc: x"), "Sam Bcc: x");
    }

    #[test]
    fn clean_text_is_borrowed_and_unicode_kept() {
        assert!(matches!(sanitize("Siân Ŵyn 😀 漢字\nok"), Cow::Borrowed(_)));
    }

    #[test]
    fn ago_reads_naturally() {
        use chrono::{Duration, TimeZone};
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now + Duration::minutes(3), now), "just now");
        assert_eq!(ago(now - Duration::minutes(1), now), "1 minute ago");
        assert_eq!(ago(now - Duration::hours(5), now), "5 hours ago");
        assert_eq!(ago(now - Duration::days(2), now), "2 days ago");
    }

    proptest::proptest! {
        #[test]
        fn output_never_holds_a_control_or_bidi(s in "[\\PC\\x00-\\x1f\\x7f-\\x9f\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]*") {
            let out = sanitize(&s);
            proptest::prop_assert!(out.chars().all(|c| c == '\n' || !(c.is_control() || is_bidi_control(c))));
        }
    }
}
