//! The architecture's one rule, checked rather than remembered: the pure core (`src/core`) imports
//! no file, clock, terminal, network, mail or configuration code, and nothing from the adapters
//! around it. ARCHITECTURE.md names the single exception (`lettre::Address`, a pure syntax parser,
//! in `core::validate`). And the front ends (`src/tui`, `src/plain`) never reach up into
//! `commands`: what they share lives in `launch`, below both.

use std::fs;
use std::path::{Path, PathBuf};

/// What the core must never name, with why.
const FORBIDDEN: &[(&str, &str)] = &[
    ("std::fs", "files"),
    ("std::net", "the network"),
    ("std::process", "child processes"),
    ("std::env", "the environment"),
    ("std::time::SystemTime", "the clock (time is passed in)"),
    ("Utc::now", "the clock (time is passed in)"),
    ("Local::now", "the clock (time is passed in)"),
    ("ratatui", "the terminal"),
    ("crossterm", "the terminal"),
    ("directories", "where files live"),
    ("tempfile", "files"),
    ("signal_hook", "signals"),
    ("crate::storage", "an adapter"),
    ("crate::session", "an adapter"),
    ("crate::standards", "an adapter"),
    ("crate::config", "an adapter"),
    ("crate::paths", "an adapter"),
    ("crate::mail", "an adapter"),
    ("crate::batch", "an adapter"),
    ("crate::tui", "a front end"),
    ("crate::plain", "a front end"),
    ("crate::commands", "the command line"),
    ("crate::cli", "the command line"),
];

/// `lettre` is allowed only as `lettre::Address` in `core/validate.rs` (see ARCHITECTURE.md).
fn lettre_allowed(file: &Path, line: &str) -> bool {
    file.ends_with("core/validate.rs")
        && line.matches("lettre").count() == line.matches("lettre::Address").count()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src/core") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line, without a trailing `//` comment (doc comments may name anything).
fn code(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") {
        return "";
    }
    line.split("//").next().unwrap_or(line)
}

#[test]
fn the_core_imports_no_io_terminal_mail_or_adapter_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/core.rs")];
    rust_files(&root.join("src/core"), &mut files);
    assert!(files.len() > 5, "src/core should hold the core's modules");
    let mut found = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("read");
        // Unit tests inside the core may use test helpers; the rule is about the core's code.
        let body = text.split("#[cfg(test)]").next().unwrap_or(&text);
        for (n, line) in body.lines().enumerate() {
            let line = code(line);
            for (name, why) in FORBIDDEN {
                if line.contains(name) {
                    found.push(format!(
                        "{}:{}: `{name}` ({why})",
                        file.strip_prefix(root).unwrap_or(file).display(),
                        n + 1
                    ));
                }
            }
            if line.contains("lettre") && !lettre_allowed(file, line) {
                found.push(format!(
                    "{}:{}: `lettre` (mail; only lettre::Address in core/validate.rs)",
                    file.strip_prefix(root).unwrap_or(file).display(),
                    n + 1
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core must stay pure (ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_forbidden_import() {
    // The rule above must be able to fail: a line that names std::fs is caught, a comment is not.
    let caught = |line: &str| FORBIDDEN.iter().any(|(name, _)| code(line).contains(name));
    assert!(caught("use std::fs::File;"));
    assert!(caught("    let x = crate::storage::load(p);"));
    assert!(!caught("/// Pure: nothing here reads std::fs."));
    assert!(!caught("let y = 1; // not std::fs"));
    assert!(lettre_allowed(
        Path::new("src/core/validate.rs"),
        "email.parse::<lettre::Address>()"
    ));
    assert!(!lettre_allowed(
        Path::new("src/core/summary.rs"),
        "use lettre::Message;"
    ));
}

#[test]
fn the_front_ends_do_not_import_from_commands() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![
        src.join("tui.rs"),
        src.join("plain.rs"),
        src.join("launch.rs"),
    ];
    rust_files(&src.join("tui"), &mut files);
    rust_files(&src.join("plain"), &mut files);
    assert!(files.len() > 10, "found the front ends' files");
    for file in files {
        let text = fs::read_to_string(&file).expect("read");
        assert!(
            !text.contains("crate::commands"),
            "{} imports from commands: move what it needs below both front ends (launch)",
            file.display()
        );
    }
}
