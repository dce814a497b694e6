//! `skills-scan`, `skills-scan new` and `skills-scan resume FILE`: start or resume the learner's
//! scan, full-screen or plain.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::ScanArgs;
use crate::commands::Context;
use crate::exit::{CmdResult, Exit, Failure};
use crate::launch::{Start, Unfinished};
use crate::{plain, standards, storage, tui};

/// Whether to offer the unfinished scans or start a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `skills-scan`: offer the unfinished scans (if any), else start a new one.
    Offer,
    /// `skills-scan new`: always a new scan.
    New,
}

/// Starts a new scan (`new`), or offers to resume one of the learner's unfinished ones.
pub fn start(ctx: &Context, args: &ScanArgs, how: How) -> CmdResult {
    // A standard file that cannot be read exits 66, a malformed one 65; the embedded one, 1.
    let standard = standards::load(args.standard.as_deref()).map_err(|e| Failure {
        code: if args.standard.is_some() {
            e.exit_code()
        } else {
            Exit::Failure
        },
        error: e.into(),
    })?;
    let scans: Vec<Unfinished> = if how == How::New {
        Vec::new()
    } else {
        storage::in_progress(&ctx.paths.scans_dir())
            .into_iter()
            .map(|(path, scan)| Unfinished {
                path,
                scan: Box::new(scan),
            })
            .collect()
    };
    let start = if scans.is_empty() {
        Start::New(standard)
    } else {
        Start::Offer { scans, standard }
    };
    run(ctx, start, args.plain)
}

/// `skills-scan resume FILE`: carries on with that scan (66 missing, 65 malformed, 1 submitted).
pub fn resume(ctx: &Context, file: &Path, plain: bool) -> CmdResult {
    let scan = super::load_scan(file)?;
    if scan.is_submitted() {
        return Err(Failure {
            code: Exit::Failure,
            error: anyhow::anyhow!(
                "{} is already submitted, so its answers are final. To see it: skills-scan summary {}",
                file.display(),
                file.display()
            ),
        });
    }
    let start = Start::Resume(Unfinished {
        path: file.to_path_buf(),
        scan: Box::new(scan),
    });
    run(ctx, start, plain)
}

fn run(ctx: &Context, start: Start, plain: bool) -> CmdResult {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let interactive = stdin.is_terminal();
    if plain || wants_plain(interactive && stdout.is_terminal()) {
        plain::run(
            ctx,
            start,
            &mut stdin.lock(),
            &mut stdout.lock(),
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
