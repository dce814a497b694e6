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
//! `skills-scan --plain` with piped input carries on with the unfinished scan (without asking),
//! at the first required answer still missing: pipe the rest of the answers into it. With several
//! unfinished scans it does not guess: it lists them and exits 64; `skills-scan resume FILE
//! --plain` names the one to continue. `skills-scan new --plain` always starts a new scan. When a person is typing, a bad
//! line is explained and asked again, and an unfinished scan is offered: resume or new.

mod flow;
mod input;
pub mod interrupt;
mod prompter;
mod text;

use std::fmt::Write as _;
use std::io::{BufRead, Write};

use chrono::Utc;

use self::flow::Step;
use self::input::{Command, Lines, Reply};
use self::prompter::{End, Prompter, say};
use crate::config::Config;
use crate::core::draft::{Answering, Draft};
use crate::core::validate::complete_count;
use crate::core::{Scan, Standard};
use crate::exit::{CmdResult, Exit, Failure};
use crate::launch::{Context, Start, Unfinished, whose};
use crate::session::{OpenError, Session};

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
    let new_scan = |standard: &Standard| Session::new_scan(standard, &scans_dir, now);
    let mut earlier: Option<Scan> = None;
    let (opened, resumed) = match start {
        Start::New(standard) => (new_scan(&standard), false),
        Start::Later {
            scan,
            earlier: before,
        } => {
            earlier = Some(*before);
            ((Session::create(&scans_dir), Draft::from(*scan)), false)
        }
        Start::Resume(scan) => (open(&scan.path)?, true),
        Start::Offer { scans, standard } => {
            let choice = if interactive {
                offer(&mut lines, output, &scans)?
            } else if let [only] = scans.as_slice() {
                Choice::Resume(only)
            } else {
                return Err(ambiguous(&scans, &scans_dir));
            };
            match choice {
                Choice::Resume(scan) => (open(&scan.path)?, true),
                Choice::New => (new_scan(&standard), false),
                Choice::Stop => return Ok(()),
            }
        }
    };
    // A later scan whose earlier scan was not handed over (resumed): look for it beside the
    // scan and in the data folder. Not found, the scan still carries on, without it.
    let (session, scan) = &opened;
    if earlier.is_none() && scan.follows.is_some() {
        earlier = crate::storage::earlier::find_earlier(scan, &ctx.earlier_folders(session.path()));
    }
    // A later scan starts with the learner's details already filled in: it goes straight to the
    // first question (or to a detail that needs correcting).
    let step = if resumed || scan.follows.is_some() {
        flow::resume_step(scan)
    } else {
        Step::Name
    };
    let mut p = Prompter::new(opened, lines, output, interactive, config, &ctx.paths, step);
    p.earlier = earlier;
    welcome(&mut p, resumed)?;
    let end = p.walk()?;
    finish(&mut p, end)
}

/// Opens the unfinished scan for editing.
fn open(path: &std::path::Path) -> Result<(Session, Draft<Answering>), Failure> {
    Session::open(path).map_err(|e| Failure {
        code: match e {
            OpenError::Locked(_) => Exit::TempFail,
            OpenError::Load(_) => Exit::DataErr,
        },
        error: e.into(),
    })
}

/// A piped run with several unfinished scans will not guess whose to continue (exit 64): it
/// names them and the commands that choose.
fn ambiguous(scans: &[Unfinished], dir: &std::path::Path) -> Failure {
    let now = Utc::now();
    let list: Vec<String> = scans
        .iter()
        .map(|u| {
            format!(
                "  {}\n    skills-scan resume {}",
                u.describe(now),
                u.path.display()
            )
        })
        .collect();
    Failure {
        code: Exit::NeedsChoice,
        error: anyhow::anyhow!(
            "there are {} unfinished scans in {}, and piped answers will not be added to one by guessing. Choose one:\n{}\nthen pipe the answers into that command with --plain, or start a new scan with skills-scan new --plain",
            scans.len(),
            dir.display(),
            list.join("\n")
        ),
    }
}

/// What the learner chose at the offer.
enum Choice<'s> {
    /// Carry on with this scan.
    Resume(&'s Unfinished),
    /// Start a new scan.
    New,
    /// Stop (quit or end of input).
    Stop,
}

/// Offers the unfinished scans: resume one, start a new one, or stop.
fn offer<'s>(
    lines: &mut Lines<'_>,
    out: &mut dyn Write,
    scans: &'s [Unfinished],
) -> Result<Choice<'s>, Failure> {
    let now = Utc::now();
    let ask = if let [only] = scans {
        let scan = &only.scan;
        say(
            out,
            &format!(
                "You have an unfinished skills scan: {}, {} of {} questions answered, last saved {}.\nIt is saved at {}.",
                whose(scan),
                complete_count(scan),
                scan.question_count(),
                text::ago(scan.updated, now),
                only.path.display()
            ),
        )?;
        "Type resume to carry on with it, or new to start a new scan."
    } else {
        let mut text = format!(
            "There are {} unfinished skills scans on this computer:",
            scans.len()
        );
        for (n, u) in scans.iter().enumerate() {
            let _ = write!(text, "\n  {}. {}", n + 1, u.describe(now));
        }
        say(out, &text)?;
        "Type the number of your scan to carry on with it, or new to start a new scan."
    };
    loop {
        say(out, ask)?;
        write!(out, "> ")?;
        out.flush()?;
        match lines.reply()? {
            Reply::End | Reply::Command(Command::Quit) => return Ok(Choice::Stop),
            Reply::Line(l)
                if scans.len() == 1
                    && matches!(l.to_ascii_lowercase().as_str(), "resume" | "r") =>
            {
                return Ok(scans.first().map_or(Choice::New, Choice::Resume));
            }
            Reply::Line(l) if matches!(l.to_ascii_lowercase().as_str(), "new" | "n") => {
                return Ok(Choice::New);
            }
            Reply::Line(l)
                if l.trim()
                    .parse::<usize>()
                    .is_ok_and(|n| (1..=scans.len()).contains(&n)) =>
            {
                let n: usize = l.trim().parse().unwrap_or(1);
                return Ok(scans.get(n - 1).map_or(Choice::New, Choice::Resume));
            }
            Reply::Command(Command::Help) if scans.len() == 1 => say(
                out,
                "Type resume to carry on with the scan above, new to start a new one, or quit to stop.",
            )?,
            Reply::Command(Command::Help) => say(
                out,
                "Type the number of your scan in the list above, new to start a new one, or quit to stop.",
            )?,
            _ if scans.len() == 1 => say(out, "Please type resume or new.")?,
            _ => say(
                out,
                &format!("Please type a number from 1 to {}, or new.", scans.len()),
            )?,
        }
    }
}

/// The opening texts: the whole welcome for a new scan, a short one when resuming.
fn welcome(p: &mut Prompter<'_>, resumed: bool) -> Result<(), Failure> {
    let scan = &p.scan;
    let standard = scan.standard();
    let form = &standard.form;
    let title = format!(
        "Skills scan: {}, standard {} version {}.",
        standard.display_name(),
        standard.reference,
        standard.version
    );
    let later = later_scan_words(scan, p.earlier.as_ref());
    let title = if later.is_empty() {
        title
    } else {
        format!("{title}\n{later}")
    };
    let commands = "Type help at any prompt for the commands (back, skip, review, save, quit). Your answers are saved after each one.";
    let text = if resumed {
        let or_new = if p.interactive {
            ""
        } else {
            " To start a new scan instead, use skills-scan new --plain."
        };
        format!(
            "{title}\nCarrying on with your scan: {} of {} questions answered. It is saved at {}.{or_new}\n\n{}\n\n{commands}",
            complete_count(scan),
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
            // The form was written for a web page: in plain prompts no box appears.
            p.form_text(&form.instructions).replace(
                "a box will appear and you will need to write",
                "you will need to write",
            ),
            form.confidentiality.trim(),
        )
    };
    say(p.out, &text)?;
    Ok(())
}

/// For a later scan: what it is and what it follows; empty for an initial scan.
fn later_scan_words(scan: &Scan, earlier: Option<&Scan>) -> String {
    let Some(follows) = &scan.follows else {
        return String::new();
    };
    let kind = crate::core::progress::kind_words(scan.kind);
    let when = follows.at.format("%-d %B %Y");
    let beside = if earlier.is_some() {
        "Beside each question you will see how you rated it then. Rate each one afresh, as things are now: nothing is filled in for you."
    } else {
        "(That scan was not found here, so the earlier ratings cannot be shown.) Rate each question as things are now."
    };
    format!("This is your {kind}, following your scan of {when}. {beside}")
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
                    complete_count(&p.scan),
                    p.scan.question_count()
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
    let next = flow::describe(&p.scan, flow::resume_step(&p.scan));
    Err(Failure {
        code: Exit::TempFail,
        error: anyhow::anyhow!(
            "{line}. {saved} To carry on, pipe the rest of the answers into `{}` (the next answer it expects is {next}).",
            p.carry_on_command()
        ),
    })
}
