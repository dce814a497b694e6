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
    // Messages left in the outbox by an earlier temporary failure go out in the background.
    let drain = ctx
        .config()
        .ok()
        .and_then(|config| crate::mail::drain_outbox_in_background(&ctx.paths, &config));
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let interactive = stdin.is_terminal();
    let result = if args.plain || wants_plain(interactive && stdout.is_terminal()) {
        plain::run(
            ctx,
            start,
            &mut stdin.lock(),
            &mut stdout.lock(),
            interactive,
        )
    } else {
        tui::run_learner(ctx, start)
    };
    // A quick exit does not cut a waiting message off mid-send (bounded: never a long wait).
    crate::mail::finish_drain(drain, std::time::Duration::from_secs(5));
    result
}

/// The plain front end is used when asked for, on a dumb terminal, or without a terminal.
fn wants_plain(on_terminal: bool) -> bool {
    !on_terminal || std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

/// A fresh id for a new scan.
pub fn new_scan_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
