//! Shared helpers for the plain front end's tests: an answer file generator, running the real
//! binary with piped input in a temporary data folder, and redacting paths for snapshots.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Output;

/// Every question id in walk order.
pub fn question_ids() -> Vec<String> {
    let mut ids: Vec<String> = (1..=10)
        .flat_map(|n| [format!("d{n}-skills"), format!("d{n}-knowledge")])
        .collect();
    ids.extend((1..=5).map(|n| format!("b{n}")));
    ids
}

/// The answer each question gets in the generated answer file: (rating, text).
pub fn expected(i: usize, id: &str) -> (&'static str, String) {
    match i % 3 {
        0 => ("yes", format!("I do {id} every week.")),
        1 => (
            "some",
            format!("I have done some of {id}.\n\nA second paragraph."),
        ),
        _ => ("no", String::new()),
    }
}

/// The lines a person would type for a whole scan, ending with `submit`.
pub fn answer_lines() -> Vec<String> {
    let mut lines: Vec<String> = [
        "Sam Taylor",
        "sam.taylor@example.org",
        "alex.morgan@example.org",
        "Alex Morgan",
    ]
    .map(String::from)
    .to_vec();
    for (i, id) in question_ids().iter().enumerate() {
        let (rating, text) = expected(i, id);
        lines.push(rating.into());
        lines.extend(text.lines().map(String::from));
        lines.push(".".into());
    }
    lines.push("submit".into());
    lines
}

/// Lines joined into piped input.
pub fn join(lines: &[String]) -> Vec<u8> {
    let mut s = lines.join("\n");
    s.push('\n');
    s.into_bytes()
}

/// The plain front end's kind of [`super::Env`]: the binary runs with piped input.
pub enum Plain {}

/// A temporary home for the plain front end's tests.
pub type Env = super::Env<Plain>;

impl Env {
    /// Runs the binary with `args` and `stdin` piped in.
    pub fn run(&self, args: &[&str], stdin: &[u8]) -> Output {
        self.run_with(args, stdin, &[])
    }

    pub fn run_with(&self, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
        let mut cmd = (**self).command();
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        super::piped(&mut cmd, stdin)
    }

    /// Output with the temporary folder and scan file names replaced by placeholders.
    pub fn redact(&self, bytes: &[u8]) -> String {
        let mut s = String::from_utf8(bytes.to_vec()).unwrap();
        for path in self.scans() {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            s = s.replace(&name, "[FILE]");
        }
        s = s.replace(&self.dir.path().display().to_string(), "[TMP]");
        redact_between(&s, "It could not be emailed just now (", "). It is kept")
    }
}

/// Whether the bytes hold an escape character (ESC, or the one-byte CSI in UTF-8).
pub fn has_escape(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b) || String::from_utf8_lossy(bytes).contains('\u{9b}')
}

/// Checks a saved scan's answers against the generated answer file for questions `from..to`.
pub fn assert_answers(scan: &serde_json::Value, range: std::ops::Range<usize>) {
    let ids = question_ids();
    for i in range {
        let id = &ids[i];
        let (rating, text) = expected(i, id);
        let a = &scan["answers"][id];
        assert_eq!(a["rating"], rating, "{id}");
        assert_eq!(a["text"], text.as_str(), "{id}");
    }
}

pub fn path_str(p: &Path) -> String {
    p.display().to_string()
}

/// Replaces whatever lies between `start` and `end` (the mail adapter's reason wording, which
/// is not the plain front end's) with `[REASON]`.
pub fn redact_between(s: &str, start: &str, end: &str) -> String {
    let Some(a) = s.find(start).map(|i| i + start.len()) else {
        return s.to_string();
    };
    let Some(b) = s[a..].find(end).map(|i| i + a) else {
        return s.to_string();
    };
    format!("{}[REASON]{}", &s[..a], &s[b..])
}
