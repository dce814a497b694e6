//! The plain front end: the same scan as line-by-line prompts, for screen readers, basic
//! terminals and piped answers. Text is printed once, never redrawn; no escape sequences.

use std::io::{BufRead, Write};

use crate::commands::Context;
use crate::exit::CmdResult;
use crate::tui::Start;

/// Runs the learner's scan as plain prompts on `input`/`output`. `interactive` is true when a
/// person is typing (re-ask on a bad line) and false for a pipe (stop with the line number).
pub fn run(
    _ctx: &Context,
    _start: Start,
    _input: &mut dyn BufRead,
    _output: &mut dyn Write,
    _interactive: bool,
) -> CmdResult {
    crate::commands::not_yet("the plain scan")
}
