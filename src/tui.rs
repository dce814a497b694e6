//! The full-screen terminal front end (ratatui + crossterm): the learner's scan and the coach's
//! review, each a state → message → update → view loop.

pub mod coach;
pub mod learner;
pub mod runtime;
pub mod text;
pub mod theme;

use std::path::PathBuf;

use crate::commands::Context;
use crate::core::{Scan, Standard};
use crate::exit::CmdResult;
use crate::session::Session;

/// How the learner's scan starts.
#[derive(Debug)]
pub enum Start {
    /// A new scan on this standard.
    New(Standard),
    /// A later scan (progress review, end of programme) prepared from an earlier one, not yet
    /// saved; the earlier scan is shown beside each question.
    Later {
        /// The new later scan (details copied, no answers).
        scan: Box<Scan>,
        /// The earlier scan it follows.
        earlier: Box<Scan>,
    },
    /// An unfinished scan was found: offer to resume it or start a new one on this standard.
    Offer {
        /// The unfinished scan's file.
        path: PathBuf,
        /// The unfinished scan (already loaded, for the offer's wording).
        scan: Box<Scan>,
        /// The standard for a new scan.
        standard: Standard,
    },
}

/// Runs the learner's scan.
pub fn run_learner(ctx: &Context, start: Start) -> CmdResult {
    learner::run::run(ctx, start)
}

/// Runs the coach's review of an open scan.
pub fn run_coach(ctx: &Context, session: Session) -> CmdResult {
    coach::run(ctx, session)
}
