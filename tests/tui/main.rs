//! The terminal front ends: the learner's and coach's screens (TestBackend + insta), the coach's
//! update, the answer box's wrapping, and both apps end to end in a pseudo-terminal.

#[path = "../support/mod.rs"]
mod support;

#[cfg(unix)]
mod coach_pty;
mod coach_screens;
mod coach_update;
mod text_widget_wrap;
#[cfg(unix)]
mod tui_pty;
mod tui_screens;
