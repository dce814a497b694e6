//! `skills-scan outbox`: list or send the messages waiting to be sent.

use crate::cli::OutboxAction;
use crate::commands::Context;
use crate::exit::CmdResult;

/// Runs `outbox`.
pub fn run(_ctx: &Context, _action: Option<OutboxAction>) -> CmdResult {
    crate::commands::not_yet("outbox")
}
