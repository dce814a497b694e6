//! `skills-scan` and `skills-scan new`: start or resume the learner's scan.

use crate::cli::ScanArgs;
use crate::commands::Context;
use crate::exit::CmdResult;

/// Starts a new scan (`new`), or resumes the learner's unfinished one.
pub fn start(_ctx: &Context, _args: &ScanArgs, _new: bool) -> CmdResult {
    crate::commands::not_yet("scan")
}
