//! `skills-scan summary FILE`: a scan's summary as text, Markdown, HTML or JSON — all four
//! rendered from the same coach's [`Summary`] (see `core::summary`).

use std::io::Write;
use std::path::Path;

use crate::cli::SummaryFormat;
use crate::commands::Context;
use crate::core::rpl::Estimate;
pub use crate::core::summary::json::{JSON_FORMAT, JSON_FORMAT_VERSION, JsonSummary};
use crate::core::summary::{Options, Summary};
use crate::exit::CmdResult;

/// Runs `summary`.
pub fn run(ctx: &Context, file: &Path, format: SummaryFormat) -> CmdResult {
    let scan = crate::commands::load_scan(file)?;
    let config = ctx.config()?;
    let earlier = scan.follows.as_ref().and_then(|_| {
        let folders = ctx.earlier_folders(Some(file));
        crate::storage::earlier::find_earlier(&scan, &folders)
    });
    let programme = config.programme;
    let options = Options {
        eportfolio: config.eportfolio().to_string(),
        some_factor: programme.some_factor,
    };
    let summary = Summary::build(&scan, &options)
        .with_rpl(&Estimate::of(&scan, programme))
        .with_guard(&scan)
        .with_validation(&scan)
        .with_known_standards(&scan, &ctx.known_standards())
        .with_progress(&scan, earlier.as_ref());
    let mut out = crate::out::stdout();
    match format {
        SummaryFormat::Json => crate::out::json(&mut out, &summary.to_json())?,
        SummaryFormat::Text => out.write_all(summary.to_text().as_bytes())?,
        SummaryFormat::Markdown => out.write_all(summary.to_markdown().as_bytes())?,
        SummaryFormat::Html => out.write_all(summary.to_html().as_bytes())?,
    }
    Ok(())
}
