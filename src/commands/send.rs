//! `skills-scan send FILE`: email one scan's summary.

use std::path::Path;

use crate::commands::Context;
use crate::exit::CmdResult;

/// Runs `send`.
pub fn run(_ctx: &Context, _file: &Path) -> CmdResult {
    crate::commands::not_yet("send")
}
