//! The plain front end: the same scan as line-by-line prompts, for screen readers, basic
//! terminals and piped answers. Text is printed once, never redrawn; no escape sequences.
//!
//! # The walk
//! For a new scan: the welcome texts, then your name, your email, your line manager's email and
//! (optional) name, then for each of the 25 questions a rating and a written answer, then the
//! review, where `submit` sends the scan. Every prompt says what it expects. Commands at any
//! prompt: `back`, `skip`, `review`, `save`, `quit`, `help` (and `ksb` at a question). After every
//! answer the scan is saved.
//!
//! # The answer file (piped input)
//! Piped input is exactly the lines a person would type, one line per prompt, in the order of
//! the prompts (the notes on the right below are not part of the file):
//!
//! ```text
//! Sam Taylor                  your name
//! sam.taylor@example.org      your email
//! alex.morgan@example.org     your line manager's email
//! Alex Morgan                 your line manager's name (an empty line for none)
//! yes                         Duty 1 Skills: yes, some or no (or y, s, n)
//! I run a weekly peer group   the written answer: one or more lines...
//! at the drop-in centre.
//! .                           ...ended by a line holding only a full stop
//! no                          Duty 1 Knowledge
//! .                           after No the text is optional: a lone full stop leaves it blank
//! ...                         the same for every question: 10 duties x Skills, Knowledge, then B1-B5
//! submit                      at the review: submit the scan (or `quit` to stop there)
//! ```
//!
//! Lines may end in `\n` or `\r\n`; control characters and escape sequences are removed. The
//! commands work in a file too (`skip`, `quit`...), but a command word counts only as the first
//! line of a written answer.
//!
//! A line that is not what its prompt expects stops the run with exit code 65 and a message naming
//! the line number and what was expected; everything answered before it is saved. Input that ends
//! before `submit` saves everything and exits with code 75, saying which answer comes next.
//! `skills-scan --plain` with piped input carries on with the most recently saved unfinished scan
//! (without asking), at the first required answer still missing: pipe the rest of the answers
//! into it. `skills-scan new --plain` always starts a new scan. When a person is typing, a bad
//! line is explained and asked again, and an unfinished scan is offered: resume or new.

mod flow;
mod input;
pub mod interrupt;
mod prompter;
mod text;

use std::io::{BufRead, Write};

use chrono::Utc;

use self::flow::Step;
use self::input::{Command, Lines, Reply};
use self::prompter::{End, Prompter, say};
use crate::commands::Context;
use crate::commands::scan::new_scan_id;
use crate::config::Config;
use crate::core::{Scan, Standard};
use crate::exit::{CmdResult, Exit, Failure};
use crate::session::{OpenError, Session};
use crate::tui::Start;

/// Runs the learner's scan as plain prompts on `input`/`output`. `interactive` is true when a
/// person is typing (re-ask on a bad line) and false for a pipe (stop with the line number).
pub fn run(
    ctx: &Context,
    start: Start,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    interactive: bool,
) -> CmdResult {
    let config = match ctx.config() {
        Ok(config) => config,
        Err(failure) => {
            say(
                output,
                &format!(
                    "Warning: {:#}. Carrying on with the default settings: your scan is saved as usual, and emailed once the settings are fixed.",
                    failure.error
                ),
            )?;
            Config::default()
        }
    };
    let mut lines = Lines::new(input);
    let scans_dir = ctx.paths.scans_dir();
    let now = Utc::now();
    let new_session =
        |standard: &Standard| Session::create(Scan::new(standard, new_scan_id(), now), &scans_dir);
    let (session, resumed) = match start {
        Start::New(standard) => (new_session(&standard), false),
        Start::Offer {
            path,
            scan,
            standard,
        } => {
            let resume = if interactive {
                match offer(&mut lines, output, &path, &scan)? {
                    Some(resume) => resume,
                    None => return Ok(()),
                }
            } else {
                true
            };
            if resume {
                (open(&path)?, true)
            } else {
                (new_session(&standard), false)
            }
        }
    };
    let step = if resumed {
        flow::resume_step(session.scan())
    } else {
        Step::Name
    };
    let mut p = Prompter::new(
        session,
        lines,
        output,
        interactive,
        config,
        &ctx.paths,
        step,
    );
    welcome(&mut p, resumed)?;
    let end = p.walk()?;
    finish(&mut p, end)
}

/// Opens the unfinished scan for editing.
fn open(path: &std::path::Path) -> Result<Session, Failure> {
    Session::open(path).map_err(|e| Failure {
        code: match e {
            OpenError::Locked(_) => Exit::TempFail,
            OpenError::Load(_) => Exit::DataErr,
        },
        error: e.into(),
    })
}

/// Offers to resume the unfinished scan: `Some(true)` resume, `Some(false)` new, `None` stop.
fn offer(
    lines: &mut Lines<'_>,
    out: &mut dyn Write,
    path: &std::path::Path,
    scan: &Scan,
) -> Result<Option<bool>, Failure> {
    let whose = if scan.learner.name.trim().is_empty() {
        "an unnamed scan".to_string()
    } else {
        format!("{}'s scan", scan.learner.name.trim())
    };
    say(
        out,
        &format!(
            "You have an unfinished skills scan: {whose}, {} of {} questions answered, last saved {}.\nIt is saved at {}.",
            scan.answered_count(),
            scan.question_count(),
            text::ago(scan.updated, Utc::now()),
            path.display()
        ),
    )?;
    loop {
        say(
            out,
            "Type resume to carry on with it, or new to start a new scan.",
        )?;
        write!(out, "> ")?;
        out.flush()?;
        match lines.reply()? {
            Reply::End | Reply::Command(Command::Quit) => return Ok(None),
            Reply::Line(l) if matches!(l.to_ascii_lowercase().as_str(), "resume" | "r") => {
                return Ok(Some(true));
            }
            Reply::Line(l) if matches!(l.to_ascii_lowercase().as_str(), "new" | "n") => {
                return Ok(Some(false));
            }
            Reply::Command(Command::Help) => say(
                out,
                "Type resume to carry on with the scan above, new to start a new one, or quit to stop.",
            )?,
            _ => say(out, "Please type resume or new.")?,
        }
    }
}

/// The opening texts: the whole welcome for a new scan, a short one when resuming.
fn welcome(p: &mut Prompter<'_>, resumed: bool) -> Result<(), Failure> {
    let scan = p.session.scan();
    let standard = scan.standard();
    let form = &standard.form;
    let title = format!(
        "Skills scan: {}, standard {} version {}.",
        standard.display_name(),
        standard.reference,
        standard.version
    );
    let commands = "Type help at any prompt for the commands (back, skip, review, save, quit). Your answers are saved after each one.";
    let text = if resumed {
        let or_new = if p.interactive {
            ""
        } else {
            " To start a new scan instead, use skills-scan new --plain."
        };
        format!(
            "{title}\nCarrying on with your scan: {} of {} questions answered. It is saved at {}.{or_new}\n\n{}\n\n{commands}",
            scan.answered_count(),
            scan.question_count(),
            p.session
                .path()
                .map_or_else(String::new, |p| p.display().to_string()),
            form.confidentiality.trim(),
        )
    } else {
        format!(
            "{title}\n\n{}\n\n{}\n\n{}\n\n{}\n\nYou will be asked one thing at a time. {commands}",
            form.intro.trim(),
            form.baseline.trim(),
            p.form_text(&form.instructions),
            form.confidentiality.trim(),
        )
    };
    say(p.out, &text)?;
    Ok(())
}

/// After the walk: where the scan is and how to carry on.
fn finish(p: &mut Prompter<'_>, end: End) -> CmdResult {
    let ended_in_pipe = end == End::Ended && !p.interactive;
    match end {
        End::Submitted => return Ok(()),
        End::Quit | End::Ended if !ended_in_pipe => {
            let saved = p.final_save();
            let text = match &saved {
                Ok(Some(path)) => format!(
                    "\nYour answers are saved at {} ({} of {} questions answered).\nTo carry on, run skills-scan again (or skills-scan --plain).",
                    path.display(),
                    p.session.scan().answered_count(),
                    p.session.scan().question_count()
                ),
                Ok(None) => "\nNothing was saved: nothing had been answered yet.".into(),
                Err(e) => format!("\nYour answers could not be saved: {e}."),
            };
            say(p.out, &text)?;
            return saved.map(|_| ()).map_err(Failure::from);
        }
        _ => {}
    }
    let line = match p.lines.line_no() {
        0 => "no answers came in (the input was empty)".to_string(),
        n => format!("the answers ended after line {n}, before the scan was submitted"),
    };
    let saved = p.saved_phrase();
    let next = flow::describe(p.session.scan(), flow::resume_step(p.session.scan()));
    Err(Failure {
        code: Exit::TempFail,
        error: anyhow::anyhow!(
            "{line}. {saved} To carry on, pipe the rest of the answers into `skills-scan --plain` (the next answer it expects is {next})."
        ),
    })
}
