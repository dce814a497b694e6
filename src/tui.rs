//! The full-screen terminal front end (ratatui + crossterm): the learner's scan and the coach's
//! review, each a state → message → update → view loop.

pub mod coach;
pub mod field;
pub mod keys;
pub mod learner;
pub mod runtime;
pub mod text;
pub mod theme;

use crate::exit::CmdResult;
use crate::launch::Context;
use crate::session::Session;

pub use crate::launch::Start;

/// Runs the learner's scan.
pub fn run_learner(ctx: &Context, start: Start) -> CmdResult {
    learner::run::run(ctx, start)
}

/// Runs the coach's review of an open scan.
pub fn run_coach(
    ctx: &Context,
    session: Session,
    scan: crate::core::draft::Draft<crate::core::draft::Reviewing>,
) -> CmdResult {
    coach::run(ctx, session, scan)
}
