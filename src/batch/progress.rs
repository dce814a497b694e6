//! Progress of a batch on stderr: a progress bar on a terminal (indicatif), one plain line per
//! scan otherwise (logs, pipes, CI), or nothing.

use std::io::{IsTerminal, Write};

/// Where progress goes.
pub trait Progress {
    /// The batch starts with this many files.
    fn start(&mut self, total: usize);
    /// One file is done: `what` says what happened ("sent", "skipped: not submitted"…).
    fn step(&mut self, file: &str, what: &str);
    /// The batch is over.
    fn finish(&mut self);
}

/// No progress at all (tests, `--json` scripts that want a quiet stderr).
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self, _total: usize) {}
    fn step(&mut self, _file: &str, _what: &str) {}
    fn finish(&mut self) {}
}

/// One line per file on stderr: `[3/120] 2026-11-23-sam-taylor-1a2b.json: sent`.
#[derive(Debug, Default)]
pub struct Lines {
    total: usize,
    done: usize,
}

impl Progress for Lines {
    fn start(&mut self, total: usize) {
        self.total = total;
        let _ = writeln!(crate::out::stderr(), "{total} scan file(s) to go through");
    }
    fn step(&mut self, file: &str, what: &str) {
        self.done += 1;
        let _ = writeln!(
            crate::out::stderr(),
            "[{}/{}] {file}: {what}",
            self.done,
            self.total
        );
    }
    fn finish(&mut self) {}
}

/// A progress bar on the terminal.
#[derive(Debug)]
pub struct Bar {
    bar: indicatif::ProgressBar,
}

impl Bar {
    fn new() -> Self {
        Self {
            bar: indicatif::ProgressBar::hidden(),
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, total: usize) {
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} {elapsed_precise} eta {eta} {wide_msg}",
        ) {
            bar.set_style(style);
        }
        self.bar = bar;
    }
    fn step(&mut self, file: &str, what: &str) {
        // The bar draws its own escape sequences; what it is given from files is cleaned.
        self.bar
            .set_message(crate::core::text::sanitize_line(&format!("{file}: {what}")));
        self.bar.inc(1);
    }
    fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A bar when stderr is a terminal, plain lines otherwise.
pub fn for_stderr() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar::new())
    } else {
        Box::new(Lines::default())
    }
}
