//! `skills-scan export DIR`: a cohort's summaries by email or .eml, and a spreadsheet.

use crate::cli::ExportArgs;
use crate::commands::Context;
use crate::exit::CmdResult;

/// Runs `export`.
pub fn run(_ctx: &Context, _args: &ExportArgs) -> CmdResult {
    crate::commands::not_yet("export")
}
