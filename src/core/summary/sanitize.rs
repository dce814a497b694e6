//! Cleaning and escaping text that people typed: control characters, ANSI escape sequences and
//! bidi overrides removed; HTML and Markdown escaping for the renderers.

#[cfg(test)]
use crate::core::text::is_bidi_control;
use crate::core::text::sanitize;

/// Multi-line text made safe to show ([`sanitize`]), with trailing spaces and blank lines at
/// either end trimmed.
pub fn clean_text(text: &str) -> String {
    let out = sanitize(text);
    // Usually there is nothing to trim: keep the text as it is (no split, join and copy).
    if !out.starts_with('\n')
        && !out.ends_with('\n')
        && out.split('\n').all(|l| l.trim_end().len() == l.len())
    {
        return out.into_owned();
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// One-line text made safe (names, addresses, titles): like [`clean_text`], with line breaks
/// and runs of whitespace turned into single spaces.
pub fn clean_line(text: &str) -> String {
    let text = clean_text(text);
    if single_spaced(&text) {
        return text;
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` has no whitespace but single spaces between words (nothing to join).
fn single_spaced(text: &str) -> bool {
    let mut previous_space = true; // at the start, a space would be leading
    for c in text.chars() {
        if c.is_whitespace() {
            if c != ' ' || previous_space {
                return false;
            }
            previous_space = true;
        } else {
            previous_space = false;
        }
    }
    !text.ends_with(' ')
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes cleaned multi-line text for HTML, keeping its line breaks as `<br>`.
pub fn escape_html_lines(text: &str) -> String {
    text.split('\n')
        .map(escape_html)
        .collect::<Vec<_>>()
        .join("<br>\n")
}

/// Escapes one line of text for Markdown so nothing typed becomes markup, a link or HTML.
pub fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, c) in line.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    // "1. text" at the start of a line would become a numbered list.
    if let Some(dot) = out.find(". ")
        && dot > 0
        && out[..dot].bytes().all(|b| b.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_sequences_are_removed_whole() {
        assert_eq!(clean_text("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(
            clean_text("x\u{1b}]8;;http://evil\u{7}link\u{1b}]8;;\u{1b}\\y"),
            "xlinky"
        );
        assert_eq!(clean_text("a\u{9b}2Jb"), "ab");
        assert_eq!(clean_text("bell\u{7}\u{0}"), "bell");
    }

    #[test]
    fn line_endings_and_bidi() {
        assert_eq!(clean_text("one\r\ntwo\rthree\n"), "one\ntwo\nthree");
        assert_eq!(clean_text("abc\u{202E}fed\u{2066}"), "abcfed");
        assert_eq!(
            clean_line("Sam\r\nBcc: x@example.org"),
            "Sam Bcc: x@example.org"
        );
        assert_eq!(clean_text("Siân Ŵyn 🙂"), "Siân Ŵyn 🙂");
    }

    #[test]
    fn html_and_markdown_escapes() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape_html_lines("a<b\nc"), "a&lt;b<br>\nc");
        assert_eq!(escape_markdown("# [x](y) *b*"), "\\# \\[x\\](y) \\*b\\*");
        assert_eq!(escape_markdown("- item"), "\\- item");
        assert_eq!(escape_markdown("12. item"), "12\\. item");
        assert_eq!(escape_markdown("<b>"), "\\<b\\>");
    }

    proptest::proptest! {
        #[test]
        fn cleaned_text_has_no_controls_or_bidi(s in "[\\PC\\x00-\\x1f\\x7f-\\x9f\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]*") {
            for out in [clean_text(&s), clean_line(&s)] {
                proptest::prop_assert!(out.chars().all(|c| c == '\n' || !(c.is_control() || is_bidi_control(c))));
            }
            proptest::prop_assert!(!clean_line(&s).contains('\n'));
        }

        #[test]
        fn shortcuts_change_nothing(s in "[ a\n\t\r\u{a0}\u{3000}é]{0,40}") {
            let sanitized = crate::core::text::sanitize(&s);
            let lines: Vec<&str> = sanitized.lines().map(str::trim_end).collect();
            let text = lines.join("\n").trim_matches('\n').to_string();
            proptest::prop_assert_eq!(clean_text(&s), text.clone());
            proptest::prop_assert_eq!(
                clean_line(&s),
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            proptest::prop_assert_eq!(escape_html(&s), s.replace('&', "&amp;"));
        }

        #[test]
        fn escaped_html_has_no_markup(s in ".*") {
            let out = escape_html_lines(&clean_text(&s));
            proptest::prop_assert!(!out.replace("<br>", "").contains(['<', '>', '"', '\'']));
        }
    }
}
