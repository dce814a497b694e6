//! `skills-scan summary FILE`: a scan's summary as text, Markdown, HTML or JSON.

use std::path::Path;

use crate::cli::SummaryFormat;
use crate::commands::Context;
use crate::exit::CmdResult;

/// Runs `summary`.
pub fn run(_ctx: &Context, _file: &Path, _format: SummaryFormat) -> CmdResult {
    crate::commands::not_yet("summary")
}
