//! `skills-scan list [DIR]`: a table of the scans in a folder.

use crate::cli::ListArgs;
use crate::commands::Context;
use crate::exit::CmdResult;

/// Runs `list`.
pub fn run(_ctx: &Context, _args: &ListArgs) -> CmdResult {
    crate::commands::not_yet("list")
}
