//! `skills-scan open FILE`: the coach's review of a scan.

use std::path::Path;

use crate::commands::Context;
use crate::exit::CmdResult;

/// Runs `open`.
pub fn run(_ctx: &Context, _file: &Path) -> CmdResult {
    crate::commands::not_yet("open")
}
