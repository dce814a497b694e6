//! The one way out to the terminal for text that may carry file content: every command writes
//! its stdout and stderr through [`Clean`], which passes each line through
//! [`crate::core::text::sanitize`] (escape sequences, control characters and bidi overrides
//! removed), and JSON through [`json`], which cleans every string of the value first. `main`
//! prints errors through [`stderr`] too, so a scan, standard or config file cannot reach the
//! terminal by any path a command prints.
//!
//! Writes return `io::Result` instead of panicking as `println!` does, so a closed pipe
//! (`| head`) ends a command quietly (`main` treats a broken pipe as success).

use std::io::{self, Write};

use serde::Serialize;

use crate::core::text::sanitize;

/// A writer that cleans what passes through it, a line at a time (so an escape sequence split
/// between two `write` calls is still seen whole). What is left of the last line is cleaned and
/// written on `flush` or drop.
#[derive(Debug)]
pub struct Clean<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> Clean<W> {
    /// Cleans what is written to `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            line: Vec::new(),
        }
    }

    fn emit(&mut self, upto: usize) -> io::Result<()> {
        let text = String::from_utf8_lossy(&self.line[..upto]);
        let clean = sanitize(&text);
        self.inner.write_all(clean.as_bytes())?;
        self.line.drain(..upto);
        Ok(())
    }
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.line.extend_from_slice(buf);
        if let Some(last) = self.line.iter().rposition(|&b| b == b'\n') {
            self.emit(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            // An incomplete UTF-8 character at the end waits for the rest of its bytes.
            let upto = match std::str::from_utf8(&self.line) {
                Err(e) if e.error_len().is_none() => e.valid_up_to(),
                Ok(_) | Err(_) => self.line.len(),
            };
            self.emit(upto)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Clean<W> {
    fn drop(&mut self) {
        if !self.line.is_empty() {
            let _ = self.emit(self.line.len());
        }
        let _ = self.inner.flush();
    }
}

/// Standard output, cleaned.
pub fn stdout() -> Clean<io::StdoutLock<'static>> {
    Clean::new(io::stdout().lock())
}

/// Standard error, cleaned.
pub fn stderr() -> Clean<io::StderrLock<'static>> {
    Clean::new(io::stderr().lock())
}

/// Writes `value` as pretty JSON and a newline, in its own field order. JSON escapes C0
/// controls itself (an ESC becomes the six inert characters `\u001b`), but not C1 controls, DEL
/// or bidi overrides: those can only stand inside strings, and are dropped there, so the JSON
/// stays valid and nothing in it acts on a terminal.
pub fn json<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::from)?;
    let clean: String = text
        .chars()
        .filter(|&c| {
            !((c.is_control() && c != '\n')
                || crate::core::text::is_bidi_control(c)
                || matches!(c, '\u{2028}' | '\u{2029}'))
        })
        .collect();
    writeln!(out, "{clean}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(parts: &[&str]) -> String {
        let mut buf = Vec::new();
        {
            let mut w = Clean::new(&mut buf);
            for p in parts {
                w.write_all(p.as_bytes()).expect("write");
            }
        }
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn a_sequence_split_between_writes_is_removed_whole() {
        assert_eq!(
            through(&["name: Sam\u{1b}", "]0;TITLE\u{7}", " Taylor\n", "next\n"]),
            "name: Sam Taylor\nnext\n"
        );
        assert_eq!(through(&["a\u{1b}[2", "J\u{202e}b"]), "ab");
    }

    #[test]
    fn a_character_split_between_writes_survives() {
        let s = "Siân\n";
        let bytes = s.as_bytes();
        let mut buf = Vec::new();
        {
            let mut w = Clean::new(&mut buf);
            w.write_all(&bytes[..3]).expect("write");
            w.flush().expect("flush");
            w.write_all(&bytes[3..]).expect("write");
        }
        assert_eq!(String::from_utf8(buf).expect("utf-8"), s);
    }

    #[test]
    fn json_strings_and_keys_are_cleaned_and_stay_json() {
        let v = serde_json::json!({
            "name": "Sam\u{9b}1;2\"}\u{202e}x",
            "k\u{1b}[31m": ["\u{1b}]52;c;QQ==\u{7}ok"],
        });
        let mut buf = Vec::new();
        json(&mut buf, &v).expect("write");
        let text = String::from_utf8(buf).expect("utf-8");
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["name"], "Sam1;2\"}x");
        assert!(
            text.chars()
                .all(|c| c == '\n' || !(c.is_control() || crate::core::text::is_bidi_control(c))),
            "{text}"
        );
    }

    /// The "by construction" half: no module prints around the cleaning writer. The terminal
    /// runtime (which draws the full screen itself) is the one exception.
    #[test]
    fn nothing_prints_around_the_cleaning_writer() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path.to_string_lossy().replace('\\', "/");
                if name.ends_with("src/out.rs") || name.ends_with("src/tui/runtime.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source");
                for bad in [
                    "println!(",
                    "print!(",
                    "eprint!(",
                    "stdout().lock()",
                    "writeln!(std::io::stderr()",
                    "writeln!(io::stderr()",
                ] {
                    if text.contains(bad) {
                        offenders.push(format!("{name}: {bad}"));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "print through crate::out: {offenders:#?}"
        );
    }
}
