//! One module per command: each turns parsed arguments into work on the core and the adapters,
//! prints for people (or JSON for scripts), and returns a [`CmdResult`].

pub mod config;
pub mod export;
pub mod list;
pub mod open;
pub mod outbox;
pub mod scan;
pub mod schema;
pub mod send;
pub mod standard;
pub mod summary;

use crate::cli::{Cli, Command, ConfigAction};
use crate::exit::{CmdResult, Exit, Failure};
use crate::paths::Paths;

pub use crate::launch::Context;

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> CmdResult {
    let ctx = Context {
        paths: Paths::resolve(cli.data_dir.as_deref(), cli.config.as_deref()),
    };
    match cli.command {
        None => scan::start(&ctx, &cli.scan, scan::How::Offer),
        Some(Command::New(args)) => scan::start(&ctx, &args, scan::How::New),
        Some(Command::Resume { file, plain }) => scan::resume(&ctx, &file, plain),
        Some(Command::Open { file }) => open::run(&ctx, &file),
        Some(Command::List(args)) => list::run(&ctx, &args),
        Some(Command::Summary { file, format }) => summary::run(&ctx, &file, format),
        Some(Command::Send { file }) => send::run(&ctx, &file),
        Some(Command::Export(args)) => export::run(&ctx, &args),
        Some(Command::Outbox { action }) => outbox::run(&ctx, action),
        Some(Command::Standard(args)) => standard::run(&args),
        Some(Command::Schema) => schema::run(),
        Some(Command::Config { action }) => match action.unwrap_or(ConfigAction::Show) {
            ConfigAction::Show => config::show(&ctx),
            ConfigAction::Init => config::init(&ctx),
            ConfigAction::TestSmtp => config::test_smtp(&ctx),
        },
    }
}

/// Loads a scan file for reading, mapping errors to exit codes (66 missing, 65 malformed).
pub fn load_scan(path: &std::path::Path) -> Result<crate::core::Scan, Failure> {
    use crate::storage::LoadError;
    crate::storage::load(path).map_err(|e| {
        let code = match &e {
            LoadError::Io { .. } => Exit::NoInput,
            _ => Exit::DataErr,
        };
        Failure {
            code,
            error: e.into(),
        }
    })
}
