//! `skills-scan export DIR`: a cohort's summaries by email or .eml, and a spreadsheet.

use std::io::Write;

use anyhow::anyhow;

use crate::batch::{self, Batch, CsvTarget, Messages, Options};
use crate::cli::ExportArgs;
use crate::commands::Context;
use crate::exit::{CmdResult, Exit, Failure};
use crate::mail::pace::SystemClock;
use crate::mail::smtp::Connection;

/// Turns the command line into batch options; refuses contradictions with a usage error.
pub fn options(args: &ExportArgs) -> Result<Options, Failure> {
    let usage = |msg: &str| Failure {
        code: Exit::Usage,
        error: anyhow!("{msg}"),
    };
    let messages = match (args.email, &args.eml_dir) {
        (true, Some(_)) => {
            return Err(usage(
                "--email and --eml-dir do not go together: --eml-dir writes the messages instead of sending them",
            ));
        }
        (true, None) => Messages::Email {
            resend: args.resend,
        },
        (false, Some(out)) => Messages::Eml { out: out.clone() },
        (false, None) => Messages::None,
    };
    if messages == Messages::None && args.csv.is_none() && !args.dry_run {
        return Err(usage(
            "nothing to do: give --email, --eml-dir OUT or --csv FILE (and --dry-run to rehearse)",
        ));
    }
    let mut opts = Options::new(&args.dir);
    opts.messages = messages;
    opts.csv = args.csv.as_ref().map(|path| CsvTarget {
        path: path.clone(),
        bom: args.bom,
    });
    opts.dry_run = args.dry_run;
    opts.force = args.force;
    Ok(opts)
}

/// Runs `export`.
pub fn run(ctx: &Context, args: &ExportArgs) -> CmdResult {
    let mut opts = options(args)?;
    opts.data_dir = Some(ctx.paths.data_dir.clone());
    let config = ctx.config()?;
    let mut progress = batch::progress::for_stderr();
    // A later scan's message has "Progress since DATE": its earlier scan is found by id in the
    // cohort folder or the data folder, through an index of ids made once, when first needed.
    let folders = [args.dir.clone(), ctx.paths.scans_dir()];
    let mut ids: Option<std::collections::HashMap<String, std::path::PathBuf>> = None;
    let mut build = |scan: &crate::core::Scan,
                     bytes: &[u8],
                     config: &crate::config::Config,
                     now: chrono::DateTime<chrono::Utc>,
                     id: &str| {
        let built = match &scan.follows {
            None => crate::mail::message::build_with_id(scan, bytes, config, now, id),
            Some(follows) => {
                let index = ids.get_or_insert_with(|| scan_ids(&folders));
                let earlier = index
                    .get(&follows.id)
                    .and_then(|p| crate::storage::load(p).ok());
                crate::mail::message::build_with_progress(
                    scan,
                    earlier.as_ref(),
                    bytes,
                    config,
                    now,
                    id,
                )
            }
        };
        built.map(|built| built.message).map_err(|e| e.to_string())
    };
    // One transport for the whole batch (pooled: one connection, one login).
    let mut smtp = match (&opts.messages, opts.dry_run, &config.smtp) {
        (Messages::Email { .. }, false, Some(settings)) => {
            Some(Connection::open(settings).map_err(|e| Failure {
                code: if e.is_config() {
                    Exit::Config
                } else {
                    Exit::Failure
                },
                error: e.into(),
            })?)
        }
        _ => None,
    };
    // Ctrl-C or SIGTERM: finish the message in hand, then the report (exit 130 / 143).
    if let Err(e) = batch::stop_on_signals() {
        let _ = writeln!(
            crate::out::stderr(),
            "warning: Ctrl-C will stop the export without its report ({e})"
        );
    }
    let batch = Batch {
        opts: &opts,
        config: &config,
        outlet: smtp
            .as_mut()
            .map(|s| s as &mut dyn crate::mail::smtp::Outlet),
        build: &mut build,
        clock: &SystemClock,
        now: &chrono::Utc::now,
        progress: progress.as_mut(),
    };
    let report = batch.run().map_err(|e| {
        let code = match e {
            batch::BatchError::Folder { .. } => Exit::NoInput,
            batch::BatchError::Output(_) => Exit::Usage,
            batch::BatchError::NoEmail(_) => Exit::Config,
            _ => Exit::Failure,
        };
        Failure {
            code,
            error: e.into(),
        }
    })?;
    conclude(&report, args.json)
}

/// Prints the report (text or `--json`) and ends as it says: 128 + the signal after an
/// interruption, 78 when the settings stopped it, 0 only when every message went.
fn conclude(report: &batch::Report, json: bool) -> CmdResult {
    let mut out = crate::out::stdout();
    if json {
        crate::out::json(&mut out, report)?;
    } else {
        write!(out, "{}", report.to_text())?;
    }
    out.flush()?;
    if let Some(signal) = report.interrupted {
        let _ = writeln!(
            crate::out::stderr(),
            "skills-scan: the export was interrupted (signal {signal}); run it again to carry on"
        );
        crate::platform::shutdown::saved();
        std::process::exit(128 + signal);
    }
    if report.stopped_by_settings {
        return Err(Failure {
            code: Exit::Config,
            error: anyhow!(
                "the export stopped: the email settings must be fixed first (see the report above)"
            ),
        });
    }
    if report.succeeded() {
        Ok(())
    } else {
        Err(Failure {
            code: Exit::Failure,
            error: anyhow!(
                "{} of the cohort's messages failed (see the report above); run the export again to retry them",
                report.failed.len()
            ),
        })
    }
}

/// Every readable scan's id in `folders` (searched recursively) with its file; the first file
/// found for an id wins.
fn scan_ids(
    folders: &[std::path::PathBuf],
) -> std::collections::HashMap<String, std::path::PathBuf> {
    let mut out = std::collections::HashMap::new();
    for folder in folders {
        for path in crate::storage::scan_files(folder).unwrap_or_default() {
            if let Ok(scan) = crate::storage::load(&path) {
                out.entry(scan.id).or_insert(path);
            }
        }
    }
    out
}
