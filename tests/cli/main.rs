//! The command line through the real binary: help and exit codes, `config`, `list`, `record`,
//! `summary`, `open` outside a terminal, distance travelled, the schema, and what a hostile admin
//! or file must not achieve. One test binary (each former file a module) so the crate links once.

#[path = "../support/mod.rs"]
mod support;

mod cli_basics;
mod coach_cli;
mod config_cli;
#[cfg(unix)]
mod hostile_admin;
mod list_cli;
#[cfg(unix)]
mod progress_cli;
mod record_cli;
mod schema_file;
mod summary_cli;
