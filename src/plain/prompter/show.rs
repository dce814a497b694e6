//! What is printed at each step: the headings and question before a prompt, the prompt line
//! itself (always saying what to type), and the KSB statements for `ksb`.

use std::fmt::Write as _;
use std::io;

use super::Prompter;
use crate::core::progress::EarlierAnswer;
use crate::core::scan::Rating;
use crate::core::standard::Part;
use crate::plain::flow::{self, Step};
use crate::plain::text;

/// How much of the earlier words is shown beside a question (the rest is in the earlier scan).
const EARLIER_WORDS: usize = 80;

impl Prompter<'_> {
    /// Prints what comes before a step's prompt: headings, the question, the review list.
    pub(super) fn announce(&mut self, step: Step) -> io::Result<()> {
        match step {
            Step::Name => self.say(
                "\nYour details\nThese are used to send your scan to you and your line manager.",
            ),
            Step::Rating(i) => self.announce_question(i),
            Step::Review => self.announce_review(),
            _ => Ok(()),
        }
    }

    pub(super) fn announce_question(&mut self, i: usize) -> io::Result<()> {
        let scan = &self.scan;
        let qs = flow::questions(scan);
        let Some(l) = qs.get(i) else { return Ok(()) };
        let standard = scan.standard();
        let heading = match l.part {
            Part::Duty(n) => {
                let title = standard.duty(n).map_or("", |d| d.title.as_str());
                format!(
                    "Duty {n} of {}: {title}\n{}, question {} of {}.",
                    standard.duties.len(),
                    l.question.kind.label(),
                    i + 1,
                    qs.len()
                )
            }
            Part::Behaviours => {
                let k = standard
                    .behaviours
                    .iter()
                    .position(|b| b.id == l.question.id)
                    .unwrap_or(0);
                format!(
                    "Behaviour {} of {}, question {} of {}.",
                    k + 1,
                    standard.behaviours.len(),
                    i + 1,
                    qs.len()
                )
            }
        };
        let mut text = format!(
            "\n{heading}\n{}\nIt covers {} (type ksb to read these statements).",
            l.question.text.trim(),
            l.question.ksbs.join(", ")
        );
        if let Some(earlier) = &self.earlier {
            let before = EarlierAnswer::of(earlier, &l.question.id, EARLIER_WORDS);
            let _ = write!(text, "\n{}", before.line());
        }
        self.say(&text)
    }

    /// Prints the prompt: one line saying what to type.
    pub(super) fn ask(&mut self, step: Step) -> io::Result<()> {
        let scan = &self.scan;
        let keep = |now: &str| {
            if now.trim().is_empty() {
                String::new()
            } else {
                format!(" Now: {now}. Press Enter to keep it.")
            }
        };
        let prompt = match step {
            Step::Name => format!(
                "Your name: type your full name.{}",
                keep(&scan.learner.name)
            ),
            Step::Email => format!(
                "Your email address (like name@example.org).{}",
                keep(&scan.learner.email)
            ),
            Step::ManagerEmail => format!(
                "Your line manager's email address (like name@example.org).{}",
                keep(&scan.manager.email)
            ),
            Step::ManagerName => format!(
                "Your line manager's name (optional: press Enter to leave it blank).{}",
                keep(&scan.manager.name)
            ),
            Step::Rating(i) => {
                let id = &flow::questions(scan)[i].question.id;
                format!(
                    "{}{}",
                    text::RATE,
                    keep(scan.rating(id).map_or("", Rating::label))
                )
            }
            Step::Text(i) => self.text_prompt(i),
            Step::Review => format!(
                "Type submit to send your scan, a number from 1 to {} to change that item, back to go back, or quit to finish later.",
                flow::review_items(scan).len()
            ),
        };
        self.say(&prompt)?;
        if self.interactive {
            write!(self.out, "> ")?;
        }
        self.out.flush()
    }

    fn text_prompt(&self, i: usize) -> String {
        let scan = &self.scan;
        let id = &flow::questions(scan)[i].question.id;
        let rating = scan.rating(id);
        let current = scan.answer(id).map_or("", |a| a.text.trim());
        let what = match rating {
            Some(r) if r.needs_justification() => format!(
                "You chose {}: write what you already know and/or do (required).",
                r.label()
            ),
            _ => "You chose No: write anything you would like to develop (optional: a line with only a full stop leaves it blank).".into(),
        };
        if current.is_empty() {
            format!("{what}\n{}", text::TEXT_END)
        } else {
            format!(
                "{what}\nYour answer now:\n{current}\nType a new answer to replace it, or a line with only a full stop (.) to keep it. End a new answer with a line holding only a full stop, or press Ctrl-D."
            )
        }
    }

    /// Prints the KSB statements the current question covers.
    pub(super) fn show_ksbs(&mut self, step: Step) -> io::Result<()> {
        let scan = &self.scan;
        let Some(l) = step
            .question()
            .and_then(|i| flow::questions(scan).get(i).copied())
        else {
            return self.say(
                "ksb works at a question: it shows the statements from the standard that the question covers.",
            );
        };
        let mut text = String::from("The statements this question covers:");
        for code in &l.question.ksbs {
            let statement = scan.standard().ksb(code).map_or("", |k| k.text.as_str());
            let _ = write!(text, "\n  {code}: {statement}");
        }
        self.say(&text)
    }
}
