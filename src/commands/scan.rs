//! `skills-scan` and `skills-scan new`: start or resume the learner's scan, full-screen or plain.

use std::io::IsTerminal;

use std::path::Path;

use chrono::Utc;

use crate::cli::{LaterKind, ScanArgs};
use crate::commands::Context;
use crate::core::progress::later_scan;
use crate::core::scan::ScanKind;
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
    run_front_end(ctx, args, start)
}

/// `skills-scan new --after FILE`: a later scan following the earlier scan in `after`.
pub fn start_after(ctx: &Context, args: &ScanArgs, after: &Path, kind: LaterKind) -> CmdResult {
    let earlier = crate::commands::load_scan(after)?;
    if !earlier.is_submitted() {
        return Err(Failure {
            code: Exit::DataErr,
            error: anyhow::anyhow!(
                "{} is not submitted yet: a later scan follows a finished scan. Finish and submit it first (skills-scan --plain carries on with it)",
                after.display()
            ),
        });
    }
    let kind = match kind {
        LaterKind::ProgressReview => ScanKind::ProgressReview,
        LaterKind::EndOfProgramme => ScanKind::EndOfProgramme,
    };
    let scan = later_scan(&earlier, kind, new_scan_id(), Utc::now());
    let start = Start::Later {
        scan: Box::new(scan),
        earlier: Box::new(earlier),
    };
    run_front_end(ctx, args, start)
}

fn run_front_end(ctx: &Context, args: &ScanArgs, start: Start) -> CmdResult {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let interactive = stdin.is_terminal();
    if args.plain || wants_plain(interactive && stdout.is_terminal()) {
        plain::run(
            ctx,
            start,
            &mut stdin.lock(),
            &mut crate::out::Clean::new(stdout.lock()),
            interactive,
        )
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
