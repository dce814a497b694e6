//! The plain front end: piped scans, every prompt (snapshots), never-panics properties, and a
//! dumb terminal in a pseudo-terminal.

#[path = "../support/mod.rs"]
mod support;

mod plain_pipe;
mod plain_prompts;
mod plain_props;
#[cfg(unix)]
mod plain_terminal;
