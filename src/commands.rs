//! One module per command: each turns parsed arguments into work on the core and the adapters,
//! prints for people (or JSON for scripts), and returns a [`CmdResult`].

pub mod compare;
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
    let ctx = Context::new(Paths::resolve(
        cli.data_dir.as_deref(),
        cli.config.as_deref(),
    ));
    // Who may read what we write is settled before anything is written. A broken config file
    // leaves the safe default (owner-only); the command itself reports the problem if it
    // needs the config.
    if let Ok(config) = ctx.config() {
        crate::platform::set_group_access(config.storage.group_access);
    }
    // Commands about the cohort or the settings mention messages still waiting, in one line.
    if matches!(
        cli.command,
        Some(Command::List(_) | Command::Export(_) | Command::Config { .. })
    ) {
        waiting_note(&ctx);
    }
    match cli.command {
        None => scan::start(&ctx, &cli.scan, scan::How::Offer),
        Some(Command::New(args)) => match &args.after {
            Some(after) => scan::start_after(&ctx, &args.scan, after, args.kind),
            None => scan::start(&ctx, &args.scan, scan::How::New),
        },
        Some(Command::Resume { file, plain }) => scan::resume(&ctx, &file, plain),
        Some(Command::Open { file }) => open::run(&ctx, &file),
        Some(Command::List(args)) => list::run(&ctx, &args),
        Some(Command::Summary { file, format }) => summary::run(&ctx, &file, format),
        Some(Command::Compare(args)) => compare::run(&ctx, &args),
        Some(Command::Send { file, resend }) => send::run(&ctx, &file, resend),
        Some(Command::Export(args)) => export::run(&ctx, &args),
        Some(Command::Outbox { action }) => outbox::run(&ctx, action),
        Some(Command::Standard(args)) => standard::run(&ctx, &args),
        Some(Command::Schema) => schema::run(),
        Some(Command::Config { action }) => match action.unwrap_or(ConfigAction::Show) {
            ConfigAction::Show => config::show(&ctx),
            ConfigAction::Init => config::init(&ctx),
            ConfigAction::TestSmtp => config::test_smtp(&ctx),
        },
    }
}

/// One line on stderr when messages wait in the outbox (nothing when it is empty or unreadable).
fn waiting_note(ctx: &Context) {
    let waiting = crate::mail::outbox::list(&ctx.paths.outbox_dir()).map_or(0, |(queued, _)| {
        queued.iter().filter(|q| q.entry.sent_at.is_none()).count()
    });
    if waiting > 0 {
        let _ = std::io::Write::write_fmt(
            &mut crate::out::stderr(),
            format_args!(
                "note: {waiting} message{} waiting in the outbox: `skills-scan outbox` lists {}, `skills-scan outbox send` sends {}\n",
                if waiting == 1 { " is" } else { "s are" },
                if waiting == 1 { "it" } else { "them" },
                if waiting == 1 { "it" } else { "them" },
            ),
        );
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
