//! The terminal front ends: the learner's and coach's screens (TestBackend + insta), the coach's
//! update, the answer box's wrapping, and both apps end to end in a pseudo-terminal.

#[path = "../support/mod.rs"]
mod support;

mod tui_screens;
#[cfg(unix)]
mod tui_pty;
mod coach_screens;
mod coach_update;
#[cfg(unix)]
mod coach_pty;
mod text_widget_wrap;
