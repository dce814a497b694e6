//! skills-scan: the initial skills scan of a new apprentice, in the terminal.
//!
//! Module map (the pure core first, then the adapters around it):
//!
//! | module | owns |
//! |---|---|
//! | [`core`] | PURE: the standard, the scan, validation rules, scoring (no terminal, files, SMTP, clock) |
//! | [`storage`] | scan files: atomic save, load with clear errors, lock, listing |
//! | [`session`] | a scan open for editing: file + lock + unsaved changes |
//! | [`standards`] | the embedded standard or a standard file |
//! | [`config`] | the config file |
//! | [`paths`] | where the data folder and config file are |
//! | [`platform`] | what differs on Unix and Windows: file access, atomic replace, locks, shutdown signals |
//! | [`cli`] | the command line (clap) |
//! | [`commands`] | one module per command |
//! | [`exit`] | exit codes |
//! | [`out`] | the one way out to the terminal: every line and JSON string cleaned of escape sequences |
//! | [`launch`] | what the commands hand both learner front ends: context, how the scan starts |
//! | [`batch`] | cohort export: spreadsheet, summaries by email or .eml, exactly once |
//! | [`mail`] | the summary email: SMTP, outbox |
//! | [`tui`] | the full-screen front end (learner's scan, coach's review) |
//! | [`plain`] | the plain line-by-line front end |
//! | [`sample`] | invented sample scans for tests and benchmarks |
//!
//! Data (the standard, the config template) lives in `data/` and is embedded in the binary.

pub mod batch;
pub mod cli;
pub mod commands;
pub mod config;
pub mod core;
pub mod exit;
pub mod launch;
pub mod mail;
pub mod out;
pub mod paths;
pub mod plain;
pub mod platform;
pub mod sample;
pub mod session;
pub mod standards;
pub mod storage;
pub mod tui;
