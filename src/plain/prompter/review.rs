//! The review (a numbered list of every answer and anything missing) and submitting: saving the
//! submitted scan, emailing its summary and telling the learner what happened.

use std::fmt::Write as _;
use std::io;

use chrono::Utc;

use super::{End, Flow, Prompter};
use crate::exit::Failure;
use crate::mail;
use crate::plain::flow::{self, Step};
use crate::plain::input::{Command, Reply};

impl Prompter<'_> {
    pub(super) fn announce_review(&mut self) -> io::Result<()> {
        let scan = &self.scan;
        let items = flow::review_items(scan);
        let mut text = format!(
            "\nReview: {} of {} questions answered.",
            crate::core::validate::complete_count(scan),
            scan.question_count()
        );
        let mut group = String::new();
        for (n, item) in items.iter().enumerate() {
            if item.group != group {
                group.clone_from(&item.group);
                text.push('\n');
                text.push_str(&group);
            }
            let _ = match &item.problem {
                None => write!(text, "\n{:>3}. {}: {}", n + 1, item.label, item.value),
                Some(_) if item.value == flow::NOT_ANSWERED => {
                    write!(
                        text,
                        "\n{:>3}. {}: To do: not answered yet.",
                        n + 1,
                        item.label
                    )
                }
                Some(p) => write!(
                    text,
                    "\n{:>3}. {}: {}. To do: {p}",
                    n + 1,
                    item.label,
                    item.value
                ),
            };
        }
        let missing = missing(&items);
        let _ = write!(
            text,
            "\n\n{}\nYour email: {}. Your line manager's email: {}.\n",
            self.form_text(&scan.standard().form.check_emails),
            or_none(&scan.learner.email),
            or_none(&scan.manager.email)
        );
        if missing.is_empty() {
            text.push_str("Everything is answered: you can submit.");
        } else {
            let _ = write!(
                text,
                "{} still {} an answer: {}.",
                plural(missing.len(), "item"),
                if missing.len() == 1 { "needs" } else { "need" },
                missing.join(", ")
            );
        }
        self.review_warning(&mut text);
        self.say(&text)
    }

    /// The review prompt: submit, a number to change that item, or a command.
    pub(super) fn review_step(&mut self) -> Result<Flow, Failure> {
        let line = match self.lines.reply()? {
            Reply::End => return Ok(Flow::End(End::Ended)),
            Reply::Command(Command::Back) => {
                let back = self.before_review.take();
                return Ok(Flow::Go(back.unwrap_or_else(|| {
                    Step::Review.back(&self.scan).unwrap_or(Step::Name)
                })));
            }
            Reply::Command(c) => return self.command(c, Step::Review),
            Reply::Line(line) => line,
        };
        if line.eq_ignore_ascii_case("submit") {
            return self.submit();
        }
        // Going off to change something: submit asks again afterwards.
        self.confirmed_submit = false;
        let items = flow::review_items(&self.scan);
        match line.parse::<usize>() {
            Ok(n) if (1..=items.len()).contains(&n) => {
                self.return_to_review = true;
                Ok(Flow::Go(items[n - 1].step))
            }
            _ => self.bad(
                &line,
                &format!(
                    "Type submit, or a number from 1 to {} to change that item.",
                    items.len()
                ),
            ),
        }
    }

    /// Submits a complete scan, saves it, emails the summary and says what happened.
    fn submit(&mut self) -> Result<Flow, Failure> {
        if !self.confirm_submit()? {
            return Ok(Flow::Again);
        }
        let now = Utc::now();
        if self.scan.submit(now).is_err() {
            let missing = missing(&flow::review_items(&self.scan));
            let text = format!(
                "Your scan cannot be submitted yet: {} still {} an answer: {}. Type a number to answer one.",
                plural(missing.len(), "item"),
                if missing.len() == 1 { "needs" } else { "need" },
                missing.join(", ")
            );
            if self.interactive {
                self.say(&text)?;
                return Ok(Flow::Again);
            }
            return self.bad("submit", &text.replace('\n', " "));
        }
        let saved = self.session.save(&mut self.scan);
        let path = match saved.map(|p| p.map(std::path::Path::to_path_buf)) {
            Ok(Some(p)) => p,
            other => {
                let why = other
                    .err()
                    .map_or_else(|| "no file".into(), |e| e.to_string());
                let message = format!(
                    "Your scan is complete but could not be saved: {why}. Your answers are kept here; type submit to try again."
                );
                if self.interactive {
                    self.say(&message)?;
                    return Ok(Flow::Again);
                }
                return Err(Failure::from(anyhow::anyhow!(message)));
            }
        };
        self.say("\nSubmitting your scan and emailing it to you and your line manager...")?;
        let (outcome, recorded) =
            self.session
                .send_and_record(&mut self.scan, self.paths, &self.config, now);
        let entry = outcome.entry;
        let mut text = format!("Your scan is submitted and saved at {}.", path.display());
        if let Err(e) = recorded {
            let _ = write!(
                text,
                "\nThe email record could not be added to the file: {e}."
            );
        }
        // What happened to the email, in the words the full-screen front end uses too.
        let closing = mail::closing::paragraphs(&mail::closing::Closing {
            result: Some(&entry.result),
            to: &entry.to,
            at: entry.at,
            email_set_up: self.config.smtp.is_some(),
            file: Some(&path),
            eportfolio: self.config.eportfolio(),
        });
        self.say(&format!("{text}\n\n{}", closing.join("\n\n")))?;
        Ok(Flow::End(End::Submitted))
    }
}

/// The numbers of the review items that still need an answer.
fn missing(items: &[flow::Item]) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.problem.is_some())
        .map(|(n, _)| (n + 1).to_string())
        .collect()
}

fn or_none(s: &str) -> &str {
    if s.trim().is_empty() { "(none)" } else { s }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
