//! `skills-scan`, `skills-scan new` and `skills-scan resume FILE`: start or resume the learner's
//! scan, full-screen or plain.

use std::io::{BufRead, IsTerminal, Write};

use std::path::Path;

use chrono::Utc;

use crate::cli::{LaterKind, ScanArgs};
use crate::commands::Context;
use crate::core::Standard;
use crate::core::progress::later_scan;
use crate::core::scan::ScanKind;
use crate::exit::{CmdResult, Exit, Failure};
use crate::launch::{Start, Unfinished, new_scan_id};
use crate::{plain, standards, storage, tui};

/// Whether to offer the unfinished scans or start a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `skills-scan`: offer the unfinished scans (if any), else start a new one.
    Offer,
    /// `skills-scan new`: always a new scan.
    New,
}

/// Starts a new scan (`new`), or offers to resume one of the learner's unfinished ones.
pub fn start(ctx: &Context, args: &ScanArgs, how: How) -> CmdResult {
    let scans: Vec<Unfinished> = if how == How::New {
        Vec::new()
    } else {
        storage::in_progress(&ctx.paths.scans_dir())
            .into_iter()
            .map(|(path, scan)| Unfinished {
                path,
                scan: Box::new(scan),
            })
            .collect()
    };
    // The standard (and its option) are asked for only when a new scan starts for sure: a
    // resumed scan carries its own.
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let standard = choose_standard(
        ctx,
        args,
        scans.is_empty(),
        &mut stdin.lock(),
        &mut stdout.lock(),
    )?;
    let start = if scans.is_empty() {
        Start::New(standard)
    } else {
        Start::Offer { scans, standard }
    };
    run_front_end(ctx, args.plain, start)
}

/// `skills-scan resume FILE`: carries on with that scan (66 missing, 65 malformed, 1 submitted).
pub fn resume(ctx: &Context, file: &Path, plain: bool) -> CmdResult {
    let scan = super::load_scan(file)?;
    if scan.is_submitted() {
        return Err(Failure {
            code: Exit::Failure,
            error: anyhow::anyhow!(
                "{} is already submitted, so its answers are final. To see it: skills-scan summary {}",
                file.display(),
                file.display()
            ),
        });
    }
    let start = Start::Resume(Unfinished {
        path: file.to_path_buf(),
        scan: Box::new(scan),
    });
    run_front_end(ctx, plain, start)
}

/// `skills-scan new --after FILE`: a later scan following the earlier scan in `after`.
pub fn start_after(ctx: &Context, args: &ScanArgs, after: &Path, kind: LaterKind) -> CmdResult {
    let earlier = crate::commands::load_scan(after)?;
    if !earlier.is_submitted() {
        return Err(Failure {
            code: Exit::DataErr,
            error: anyhow::anyhow!(
                "{} is not submitted yet: a later scan follows a finished scan. Finish and submit it first (skills-scan --plain carries on with it)",
                after.display()
            ),
        });
    }
    let kind = match kind {
        LaterKind::ProgressReview => ScanKind::ProgressReview,
        LaterKind::EndOfProgramme => ScanKind::EndOfProgramme,
    };
    let scan = later_scan(&earlier, kind, new_scan_id(), Utc::now());
    let start = Start::Later {
        scan: Box::new(scan),
        earlier: Box::new(earlier),
    };
    run_front_end(ctx, args.plain, start)
}

fn run_front_end(ctx: &Context, plain: bool, start: Start) -> CmdResult {
    // A folder the scan cannot be saved in (a file in its place, no write access) is said now,
    // before the learner types anything, not answer by answer.
    let folder = match &start {
        Start::Resume(u) => u
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf),
        _ => ctx.paths.scans_dir(),
    };
    crate::session::check_folder(&folder).map_err(|why| Failure {
        code: Exit::CantCreate,
        error: anyhow::anyhow!(why),
    })?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let interactive = stdin.is_terminal();
    let result = if plain || wants_plain(interactive && stdout.is_terminal()) {
        // Messages left in the outbox by an earlier temporary failure go out in the background
        // (the full-screen app starts this itself once its first frame is drawn).
        let drain = ctx
            .config()
            .ok()
            .and_then(|config| crate::mail::drain_outbox_in_background(&ctx.paths, &config));
        // SIGHUP, SIGTERM and SIGINT end the input as Ctrl-D does, so the walk saves (the lines
        // of an answer in progress too); then the process ends as the signal would have.
        let mut input = plain::interrupt::Input::stdin()?;
        let result = plain::run(
            ctx,
            start,
            &mut input,
            &mut crate::out::Clean::new(stdout.lock()),
            interactive,
        );
        if let Some(signal) = input.signal() {
            // On Windows the console handler waits for this before the system ends the process.
            crate::platform::shutdown::saved();
            std::process::exit(128 + signal);
        }
        // A quick exit does not cut a waiting message off mid-send (bounded: never a long wait).
        crate::mail::finish_drain(drain, crate::launch::DRAIN_GRACE);
        result
    } else {
        tui::run_learner(ctx, start)
    };
    // Not shown yet (the app ended first): one line on the way out.
    if let Some(words) = crate::mail::take_drain_notice() {
        let _ = writeln!(crate::out::stderr(), "{words}");
    }
    result
}

/// The standard a new scan is made on: the one `--standard` names, else the embedded one, or,
/// when standards are installed, the one the learner picks; then, for a standard with options,
/// scoped to the learner's option (`--option`, or asked). `ask` is false when an unfinished scan
/// will be offered first: then nothing is asked.
pub fn choose_standard(
    ctx: &Context,
    args: &ScanArgs,
    ask: bool,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> Result<Standard, Failure> {
    // A standard file that cannot be read exits 66, a malformed one 65; the embedded one, 1.
    let standard = if let Some(spec) = &args.standard {
        standards::resolve(spec, &ctx.paths.data_dir).map_err(|e| Failure {
            code: e.exit_code(),
            error: e.into(),
        })?
    } else {
        let mut all = standards::available(&ctx.paths.data_dir).map_err(|e| Failure {
            code: Exit::Failure,
            error: e.into(),
        })?;
        if all.len() > 1 && ask {
            let labels: Vec<String> = all
                .iter()
                .map(|a| {
                    format!(
                        "{} v{} {}",
                        a.standard.reference,
                        a.standard.version,
                        a.standard.display_name()
                    )
                })
                .collect();
            let i = pick(
                "Which apprenticeship standard is this skills scan for?",
                &labels,
                "--standard ST0xxx",
                input,
                output,
            )?;
            all.swap_remove(i).standard
        } else {
            all.swap_remove(0).standard
        }
    };
    if standard.options.len() < 2 {
        return Ok(standard);
    }
    let chosen = match &args.option {
        Some(id) => id.clone(),
        None if ask => {
            let labels: Vec<String> = standard.options.iter().map(|o| o.title.clone()).collect();
            let i = pick(
                &format!(
                    "{} has options. Which option is your apprenticeship?",
                    standard.display_name()
                ),
                &labels,
                "--option ID",
                input,
                output,
            )?;
            standard.options[i].id.clone()
        }
        None => return Ok(standard),
    };
    standard.for_option(&chosen).ok_or_else(|| Failure {
        code: Exit::Usage,
        error: anyhow::anyhow!(
            "{} has no option `{chosen}`; its options are: {}",
            standard.display_name(),
            standard
                .options
                .iter()
                .map(|o| format!("{} ({})", o.id, o.title))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Asks to pick one of `labels` by number; asks again on a wrong answer. End of input is an
/// error saying which flag names the choice instead.
fn pick(
    question: &str,
    labels: &[String],
    flag: &str,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> Result<usize, Failure> {
    writeln!(output, "{question}")?;
    for (i, l) in labels.iter().enumerate() {
        writeln!(
            output,
            "  {}. {}",
            i + 1,
            crate::core::text::sanitize_line(l)
        )?;
    }
    loop {
        write!(output, "Type its number (1-{}): ", labels.len())?;
        output.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Err(Failure {
                code: Exit::Usage,
                error: anyhow::anyhow!("no choice was made (input ended); name it with {flag}"),
            });
        }
        match line.trim().parse::<usize>() {
            Ok(n) if (1..=labels.len()).contains(&n) => {
                writeln!(output)?;
                return Ok(n - 1);
            }
            _ => writeln!(output, "\"{}\" is not one of the numbers.", line.trim())?,
        }
    }
}

/// The plain front end is used when asked for, on a dumb terminal, or without a terminal.
fn wants_plain(on_terminal: bool) -> bool {
    !on_terminal || std::env::var("TERM").is_ok_and(|t| t == "dumb")
}
