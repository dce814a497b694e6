//! `skills-scan summary FILE`: a scan's summary as text, Markdown, HTML or JSON.

use std::path::Path;

use crate::cli::SummaryFormat;
use crate::commands::Context;
use crate::config;
use crate::core::rpl;
use crate::exit::CmdResult;

/// The config's programme figures as the core's RPL inputs.
pub fn rpl_programme(p: &config::Programme) -> rpl::Programme {
    rpl::Programme {
        duration_months: p.duration_months,
        off_the_job_hours: p.off_the_job_hours,
        price_gbp: p.price_gbp,
        some_factor: p.some_factor,
        min_duration_months: p.min_duration_months,
        min_off_the_job_hours: p.min_off_the_job_hours,
    }
}

/// Runs `summary`.
pub fn run(_ctx: &Context, _file: &Path, _format: SummaryFormat) -> CmdResult {
    crate::commands::not_yet("summary")
}
