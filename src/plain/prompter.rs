//! The plain walk itself: prints each step once, reads the reply, applies it to the scan (a draft
//! it owns), saves through the session after every answer, and handles the commands, the review
//! and submit.

use std::io::{self, Write};
use std::path::PathBuf;

use chrono::Utc;

use super::flow::{self, Step};
use super::input::{Command, Lines, Reply, TextReply};
use super::text::{self, clean};

mod guard;
mod review;
mod show;
use crate::config::Config;
use crate::core::draft::{Answering, Draft};
use crate::core::scan::Rating;
use crate::core::standard::fill_eportfolio;
use crate::core::validate::{self, Target};
use crate::exit::{Exit, Failure};
use crate::paths::Paths;
use crate::session::Session;
use crate::storage;

/// Prints text made safe for any terminal, with a final new line.
pub fn say(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out, "{}", clean(text))
}

/// How the walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Submitted (and emailed or queued).
    Submitted,
    /// The learner typed `quit`.
    Quit,
    /// The input ended.
    Ended,
}

/// What to do after a reply.
enum Flow {
    /// Go to this step (and print it).
    Go(Step),
    /// Ask the same prompt again, without reprinting the question.
    Again,
    /// Stop.
    End(End),
}

/// The learner's scan being walked through as plain prompts.
pub struct Prompter<'a> {
    /// The scan's file (and lock).
    pub session: Session,
    /// The scan being answered.
    pub scan: Draft<Answering>,
    /// The learner's input.
    pub lines: Lines<'a>,
    /// Where prompts go.
    pub out: &'a mut dyn Write,
    /// A person is typing (re-ask on a bad line) rather than a pipe (stop with the line number).
    pub interactive: bool,
    /// The effective config (for the e-portfolio name and email).
    pub config: Config,
    /// Where things live.
    pub paths: &'a Paths,
    /// The current step.
    pub step: Step,
    /// For a later scan: the earlier scan, whose ratings are shown beside each question.
    pub earlier: Option<crate::core::Scan>,
    /// After the item being changed from the review, go back to the review.
    return_to_review: bool,
    /// Where the learner was when they typed `review`.
    before_review: Option<Step>,
    /// The learner was asked to confirm submitting (asked again after changing something).
    pub(super) confirmed_submit: bool,
}

impl<'a> Prompter<'a> {
    /// A walk starting at `step`.
    pub fn new(
        (session, scan): (Session, Draft<Answering>),
        lines: Lines<'a>,
        out: &'a mut dyn Write,
        interactive: bool,
        config: Config,
        paths: &'a Paths,
        step: Step,
    ) -> Self {
        Self {
            session,
            scan,
            lines,
            out,
            interactive,
            config,
            paths,
            step,
            earlier: None,
            return_to_review: false,
            before_review: None,
            confirmed_submit: false,
        }
    }

    fn say(&mut self, text: &str) -> io::Result<()> {
        say(self.out, text)
    }

    /// A form text with `{eportfolio}` filled in from the config.
    pub fn form_text(&self, text: &str) -> String {
        fill_eportfolio(text.trim(), &self.config.provider.eportfolio)
    }

    /// Walks from the current step until the scan is submitted, the learner quits or the input
    /// ends. A bad line in a pipe ends the walk with an error naming the line (exit 65).
    pub fn walk(&mut self) -> Result<End, Failure> {
        let mut announce = true;
        let mut first = true;
        loop {
            let step = self.step;
            match step {
                // Resuming at a written answer: name the question first, not only "You chose Yes".
                Step::Text(i) if first => self.announce_question(i)?,
                _ if announce => self.announce(step)?,
                _ => {}
            }
            first = false;
            // What the background outbox drain did, in one line, before the next prompt.
            if let Some(words) = crate::mail::take_drain_notice() {
                self.say(&words)?;
            }
            self.ask(step)?;
            let flow = match step {
                Step::Text(i) => self.text_step(i)?,
                Step::Review => self.review_step()?,
                _ => self.line_step(step)?,
            };
            match flow {
                Flow::Go(next) => {
                    self.step = next;
                    announce = true;
                }
                Flow::Again => announce = false,
                Flow::End(end) => return Ok(end),
            }
        }
    }

    /// A one-line step: details and ratings.
    fn line_step(&mut self, step: Step) -> Result<Flow, Failure> {
        let line = match self.lines.reply()? {
            Reply::End => return Ok(Flow::End(End::Ended)),
            Reply::Command(c) => return self.command(c, step),
            Reply::Line(line) => line,
        };
        let now = Utc::now();
        let scan = &self.scan;
        let current = match step {
            Step::Name => scan.learner.name.clone(),
            Step::Email => scan.learner.email.clone(),
            Step::ManagerEmail => scan.manager.email.clone(),
            Step::ManagerName => scan.manager.name.clone(),
            Step::Rating(i) => {
                let id = flow::questions(scan)[i].question.id.clone();
                let rating = if line.is_empty() {
                    scan.rating(&id)
                } else {
                    Rating::parse(&line)
                };
                let Some(rating) = rating else {
                    return self.bad(&line, "Type yes, some or no (or y, s or n).");
                };
                self.scan.set_rating(&id, Some(rating), now);
                return self.answered(step);
            }
            Step::Text(_) | Step::Review => return Ok(Flow::Again),
        };
        let value = if line.is_empty() {
            current
        } else {
            line.clone()
        };
        let problem = match step {
            Step::Name => validate::name_problem(&value),
            Step::Email => validate::email_problem(&value),
            Step::ManagerEmail => {
                let mut candidate = scan.scan().clone();
                candidate.manager.email.clone_from(&value);
                validate::details(&candidate)
                    .into_iter()
                    .find(|i| i.target == Target::ManagerEmail)
                    .map(|i| i.message)
            }
            _ if value.is_empty() => None,
            _ => validate::name_problem(&value),
        };
        if let Some(problem) = problem {
            return self.bad(&line, &problem);
        }
        if let Some(detail) = step.detail() {
            self.scan.set_detail(detail, &value, now);
        }
        self.answered(step)
    }

    /// A written answer.
    fn text_step(&mut self, i: usize) -> Result<Flow, Failure> {
        let step = Step::Text(i);
        let typed = match self.lines.text()? {
            // A person pressing Ctrl-D at once finishes an empty answer; a second end in a
            // row (or any end of a pipe) ends the walk.
            TextReply::End if self.interactive && self.lines.ends_in_a_row() == 1 => String::new(),
            TextReply::End => return Ok(Flow::End(End::Ended)),
            TextReply::Command(c) => return self.command(c, step),
            TextReply::Text(t) => t,
        };
        let scan = &self.scan;
        let id = flow::questions(scan)[i].question.id.clone();
        let current = scan.answer(&id).map_or("", |a| a.text.as_str());
        if typed.is_empty() && !current.trim().is_empty() {
            return Ok(self.next(step));
        }
        if let Some(r) = scan.rating(&id).filter(|r| r.needs_justification())
            && typed.trim().is_empty()
        {
            return self.bad(
                ".",
                &format!(
                    "You chose {}: write what you already know and/or do, then a line with only a full stop. Or type skip to come back to it later.",
                    r.label()
                ),
            );
        }
        self.scan.set_text(&id, &typed, Utc::now());
        self.warn_if_identifying(&typed)?;
        self.answered(step)
    }

    /// An answer was taken: save, then go on.
    fn answered(&mut self, step: Step) -> Result<Flow, Failure> {
        if let Err(e) = self.session.save(&mut self.scan) {
            self.say(&format!(
                "Could not save your answers: {e}. They are kept here; type save to try again."
            ))?;
        }
        Ok(self.next(step))
    }

    /// The step after `step`, or the review when the learner came from it.
    fn next(&mut self, step: Step) -> Flow {
        self.after(step, step.next(&self.scan))
    }

    fn after(&mut self, step: Step, next: Step) -> Flow {
        let same_question = step.question().is_some() && next.question() == step.question();
        if self.return_to_review && !same_question {
            self.return_to_review = false;
            Flow::Go(Step::Review)
        } else {
            Flow::Go(next)
        }
    }

    fn command(&mut self, command: Command, step: Step) -> Result<Flow, Failure> {
        match command {
            Command::Back => {
                if let Some(back) = step.back(&self.scan) {
                    self.return_to_review = false;
                    return Ok(Flow::Go(back));
                }
                self.say("This is the first question: there is nothing before it.")?;
            }
            Command::Skip => {
                if step == Step::Review {
                    self.say("There is nothing to skip here.")?;
                } else {
                    let next = step.skip(&self.scan);
                    return Ok(self.after(step, next));
                }
            }
            Command::Review => {
                if step != Step::Review {
                    self.before_review = Some(step);
                }
                self.return_to_review = false;
                return Ok(Flow::Go(Step::Review));
            }
            Command::Save => {
                let message = match self.final_save() {
                    Ok(Some(path)) => format!("Saved at {}.", path.display()),
                    Ok(None) => "Nothing to save yet: nothing has been answered.".into(),
                    Err(e) => format!(
                        "Could not save your answers: {e}. They are kept here; type save to try again."
                    ),
                };
                self.say(&message)?;
            }
            Command::Quit => return Ok(Flow::End(End::Quit)),
            Command::Help => {
                let now = flow::describe(&self.scan, step);
                self.say(&format!("{}\nThis prompt expects {now}.", text::HELP))?;
            }
            Command::Ksb => self.show_ksbs(step)?,
        }
        Ok(Flow::Again)
    }

    /// A line that is not what the prompt expects: re-ask a person; stop a pipe with the line
    /// number, after saving everything answered so far.
    fn bad(&mut self, line: &str, problem: &str) -> Result<Flow, Failure> {
        if self.interactive {
            self.say(problem)?;
            return Ok(Flow::Again);
        }
        let expected = flow::describe(&self.scan, self.step);
        let saved = self.saved_phrase();
        let next = flow::describe(&self.scan, flow::resume_step(&self.scan));
        Err(Failure {
            code: Exit::DataErr,
            error: anyhow::anyhow!(
                "line {} (expected {expected}): {problem} The line was: \"{}\". {saved} To carry on, correct it and pipe the answers from there into `{}` (the next answer it expects is {next}).",
                self.lines.line_no(),
                text::first_line(line, 60),
                self.carry_on_command()
            ),
        })
    }

    /// Saves if anything is to be saved; the file, or `None` when nothing was ever answered.
    pub fn final_save(&mut self) -> Result<Option<PathBuf>, storage::SaveError> {
        self.session
            .save(&mut self.scan)
            .map(|p| p.map(std::path::Path::to_path_buf))
    }

    /// The command that carries on with this scan from a pipe: `skills-scan resume FILE
    /// --plain` once it has a file (so the rest of the answers cannot reach another learner's
    /// scan), else `skills-scan --plain`.
    pub fn carry_on_command(&self) -> String {
        self.session.path().map_or_else(
            || "skills-scan --plain".to_string(),
            |p| format!("skills-scan resume {} --plain", p.display()),
        )
    }

    /// Saves and says what is on disk: "12 of 25 answered, saved at PATH."
    pub fn saved_phrase(&mut self) -> String {
        match self.final_save() {
            Ok(Some(path)) => format!(
                "{} of {} questions answered, saved at {}.",
                crate::core::validate::complete_count(&self.scan),
                self.scan.question_count(),
                path.display()
            ),
            Ok(None) => "Nothing was saved: nothing had been answered yet.".into(),
            Err(e) => format!("Your answers could not be saved: {e}."),
        }
    }
}
