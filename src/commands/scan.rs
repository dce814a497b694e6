//! `skills-scan` and `skills-scan new`: start or resume the learner's scan, full-screen or plain.

use std::io::IsTerminal;

use crate::cli::ScanArgs;
use crate::commands::Context;
use crate::exit::{CmdResult, Exit, Failure};
use crate::tui::Start;
use crate::{plain, standards, storage, tui};

/// Starts a new scan (`new`), or offers to resume the learner's unfinished one.
pub fn start(ctx: &Context, args: &ScanArgs, new: bool) -> CmdResult {
    // A standard file that cannot be read exits 66, a malformed one 65; the embedded one, 1.
    let standard = standards::load(args.standard.as_deref()).map_err(|e| Failure {
        code: if args.standard.is_some() {
            e.exit_code()
        } else {
            Exit::Failure
        },
        error: e.into(),
    })?;
    let start = match storage::latest_in_progress(&ctx.paths.scans_dir()) {
        Some((path, scan)) if !new => Start::Offer {
            path,
            scan: Box::new(scan),
            standard,
        },
        _ => Start::New(standard),
    };
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let interactive = stdin.is_terminal();
    if args.plain || wants_plain(interactive && stdout.is_terminal()) {
        // SIGHUP, SIGTERM and SIGINT end the input as Ctrl-D does, so the walk saves (the lines
        // of an answer in progress too); then the process ends as the signal would have.
        let mut input = plain::interrupt::Input::stdin()?;
        let result = plain::run(
            ctx,
            start,
            &mut input,
            &mut crate::out::Clean::new(stdout.lock()),
            interactive,
        );
        if let Some(signal) = input.signal() {
            std::process::exit(128 + signal);
        }
        result
    } else {
        tui::run_learner(ctx, start)
    }
}

/// The plain front end is used when asked for, on a dumb terminal, or without a terminal.
fn wants_plain(on_terminal: bool) -> bool {
    !on_terminal || std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

/// A fresh id for a new scan.
pub fn new_scan_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
