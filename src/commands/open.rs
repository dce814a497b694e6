//! `skills-scan open FILE`: the coach's review of a scan, full-screen.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::commands::Context;
use crate::exit::{CmdResult, Exit, Failure};
use crate::session::{OpenError, Session};
use crate::storage::LockError;

/// Runs `open`: checks the file reads, takes its lock, and starts the coach's view.
pub fn run(ctx: &Context, file: &Path) -> CmdResult {
    // Read it first: a missing or damaged file gets its own exit code (66, 65) and no lock file.
    crate::commands::load_scan(file)?;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure {
            code: Exit::Usage,
            error: anyhow::anyhow!(
                "`skills-scan open` needs a terminal. For a printable summary use `skills-scan summary {}`",
                file.display()
            ),
        });
    }
    let (session, scan) = Session::open_or_read_only(file).map_err(|e| {
        let code = match &e {
            OpenError::Locked(LockError::Busy { .. }) => Exit::TempFail,
            OpenError::Locked(LockError::Io { .. }) => Exit::Failure,
            OpenError::Load(crate::storage::LoadError::Io { .. }) => Exit::NoInput,
            OpenError::Load(_) => Exit::DataErr,
        };
        Failure {
            code,
            error: e.into(),
        }
    })?;
    // Messages left in the outbox by an earlier temporary failure go out in the background.
    let drain = ctx
        .config()
        .ok()
        .and_then(|config| crate::mail::drain_outbox_in_background(&ctx.paths, &config));
    let result = crate::tui::run_coach(ctx, session, scan);
    crate::mail::finish_drain(drain, std::time::Duration::from_secs(5));
    // Not shown yet (the app ended first): one line on the way out.
    if let Some(words) = crate::mail::take_drain_notice() {
        let _ = writeln!(crate::out::stderr(), "{words}");
    }
    result
}
