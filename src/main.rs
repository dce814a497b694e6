//! The `skills-scan` binary: parse the command line, run the command, map errors to exit codes.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = skills_scan::cli::Cli::parse();
    let code = match skills_scan::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if is_broken_pipe(&failure.error) => ExitCode::SUCCESS,
        Err(failure) => {
            // Through the cleaning writer: an error may quote a file's content.
            let mut err = skills_scan::out::stderr();
            let _ = std::io::Write::write_all(&mut err, error_report(&failure.error).as_bytes());
            drop(err);
            failure.code.into()
        }
    };
    // Started by a double-click on Windows: the window would close before the learner reads
    // where the scan was saved.
    skills_scan::platform::pause_if_console_closes_at_exit();
    code
}

/// Output piped into `head` and closed early is not a failure worth reporting.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                .is_some_and(|k| k == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error as one sentence, then each cause not already said by the sentence before it
/// (many library errors repeat their source in their own message).
fn error_report(error: &anyhow::Error) -> String {
    let mut out = format!("error: {error}\n");
    let mut said = error.to_string();
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if !said.contains(&text) {
            let _ = writeln!(out, "  caused by: {text}");
        }
        said = text;
    }
    out
}
