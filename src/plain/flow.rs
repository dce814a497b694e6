//! The walk through a scan as plain prompts: the steps (details, then each question's rating and
//! written answer, then the review), moving forward and back, where a resumed scan carries on,
//! and the review's numbered items. Pure: reads the scan, never changes it.

use crate::core::standard::{Located, Part};
use crate::core::validate::{self, Target};
use crate::core::{Scan, scan::Rating};

/// One prompt of the walk. Questions are numbered by their place in the standard's walk order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The learner's name.
    Name,
    /// The learner's email.
    Email,
    /// The line manager's email.
    ManagerEmail,
    /// The line manager's name (optional).
    ManagerName,
    /// A question's Yes / Some / No.
    Rating(usize),
    /// A question's written answer.
    Text(usize),
    /// The numbered list of answers, and submit.
    Review,
}

/// The scan's questions in walk order.
pub fn questions(scan: &Scan) -> Vec<Located<'_>> {
    scan.standard().questions().collect()
}

impl Step {
    /// The step after this one once it is answered: a rated question goes on to its written
    /// answer; an unrated one (skipped) to the next question.
    pub fn next(self, scan: &Scan) -> Step {
        let count = scan.question_count();
        let question = |i: usize| {
            if i < count {
                Step::Rating(i)
            } else {
                Step::Review
            }
        };
        match self {
            Step::Name => Step::Email,
            Step::Email => Step::ManagerEmail,
            Step::ManagerEmail => Step::ManagerName,
            Step::ManagerName => question(0),
            Step::Rating(i) => match questions(scan).get(i) {
                Some(l) if scan.rating(&l.question.id).is_some() => Step::Text(i),
                _ => question(i + 1),
            },
            Step::Text(i) => question(i + 1),
            Step::Review => Step::Review,
        }
    }

    /// The step `skip` goes to: the next question, leaving this one as it is.
    pub fn skip(self, scan: &Scan) -> Step {
        match self {
            Step::Rating(i) | Step::Text(i) => Step::Text(i).next(scan),
            other => other.next(scan),
        }
    }

    /// The step `back` goes to; `None` at the first.
    pub fn back(self, scan: &Scan) -> Option<Step> {
        Some(match self {
            Step::Name => return None,
            Step::Email => Step::Name,
            Step::ManagerEmail => Step::Email,
            Step::ManagerName => Step::ManagerEmail,
            Step::Rating(0) => Step::ManagerName,
            Step::Rating(i) => Step::Rating(i - 1),
            Step::Text(i) => Step::Rating(i),
            Step::Review => Step::Rating(scan.question_count().saturating_sub(1)),
        })
    }

    /// The question this step is about, if any.
    pub fn question(self) -> Option<usize> {
        match self {
            Step::Rating(i) | Step::Text(i) => Some(i),
            _ => None,
        }
    }
}

/// Where a resumed scan carries on: the first required answer that is missing or has a problem
/// (optional answers, the manager's name and the text after No, count as done), else the review.
pub fn resume_step(scan: &Scan) -> Step {
    if let Some(issue) = validate::details(scan).first() {
        return match issue.target {
            Target::LearnerName => Step::Name,
            Target::LearnerEmail => Step::Email,
            _ => Step::ManagerEmail,
        };
    }
    for (i, l) in questions(scan).iter().enumerate() {
        match scan.rating(&l.question.id) {
            None => return Step::Rating(i),
            Some(r) if needs_text(scan, &l.question.id, r) => return Step::Text(i),
            Some(_) => {}
        }
    }
    Step::Review
}

fn needs_text(scan: &Scan, id: &str, rating: Rating) -> bool {
    rating.needs_justification() && scan.answer(id).is_none_or(|a| a.text.trim().is_empty())
}

/// A question's name for people: "Duty 3 Skills", "Behaviour B2".
pub fn question_name(l: &Located<'_>) -> String {
    match l.part {
        Part::Duty(n) => format!("Duty {n} {}", l.question.kind.label()),
        Part::Behaviours => format!("Behaviour {}", l.question.ksbs.join(", ")),
    }
}

/// What a step expects, for messages: "your name", "Duty 4 Knowledge: yes, some or no".
pub fn describe(scan: &Scan, step: Step) -> String {
    let qs = questions(scan);
    let name = |i: usize| qs.get(i).map(question_name).unwrap_or_default();
    match step {
        Step::Name => "your name".into(),
        Step::Email => "your email address".into(),
        Step::ManagerEmail => "your line manager's email address".into(),
        Step::ManagerName => "your line manager's name (optional)".into(),
        Step::Rating(i) => format!("{}: yes, some or no", name(i)),
        Step::Text(i) => format!(
            "{}: the written answer, ending with a line holding only a full stop",
            name(i)
        ),
        Step::Review => "submit (or a number to change an item), at the review".into(),
    }
}

/// The value of a question not yet rated.
pub const NOT_ANSWERED: &str = "(not answered)";

/// One numbered line of the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Where typing its number goes.
    pub step: Step,
    /// The heading it sits under ("Your details", "Duty 1: …", "Behaviours").
    pub group: String,
    /// What it is ("Your name", "Skills").
    pub label: String,
    /// The answer, or "(none)".
    pub value: String,
    /// What is missing or wrong, if anything.
    pub problem: Option<String>,
}

/// The review's items: the details, then every question, numbered from 1 in this order.
pub fn review_items(scan: &Scan) -> Vec<Item> {
    let details = validate::details(scan);
    let problem = |t: Target| {
        details
            .iter()
            .find(|i| i.target == t)
            .map(|i| i.message.clone())
    };
    let group = "Your details".to_string();
    let value = |v: &str| {
        if v.trim().is_empty() {
            "(none)".to_string()
        } else {
            v.to_string()
        }
    };
    let mut out = vec![
        Item {
            step: Step::Name,
            group: group.clone(),
            label: "Your name".into(),
            value: value(&scan.learner.name),
            problem: problem(Target::LearnerName),
        },
        Item {
            step: Step::Email,
            group: group.clone(),
            label: "Your email".into(),
            value: value(&scan.learner.email),
            problem: problem(Target::LearnerEmail),
        },
        Item {
            step: Step::ManagerEmail,
            group: group.clone(),
            label: "Your line manager's email".into(),
            value: value(&scan.manager.email),
            problem: problem(Target::ManagerEmail),
        },
        Item {
            step: Step::ManagerName,
            group,
            label: "Your line manager's name (optional)".into(),
            value: value(&scan.manager.name),
            problem: None,
        },
    ];
    for (i, l) in questions(scan).iter().enumerate() {
        let answer = scan.answer(&l.question.id);
        let value = match answer.and_then(|a| a.rating) {
            None => NOT_ANSWERED.to_string(),
            Some(r) => {
                let text = answer.map_or("", |a| a.text.as_str());
                if text.trim().is_empty() {
                    r.label().to_string()
                } else {
                    format!("{}: {}", r.label(), super::text::first_line(text, 60))
                }
            }
        };
        let group = match l.part {
            Part::Duty(n) => scan
                .standard()
                .duty(n)
                .map_or_else(|| format!("Duty {n}"), |d| format!("Duty {n}: {}", d.title)),
            Part::Behaviours => "Behaviours".into(),
        };
        let label = match l.part {
            Part::Duty(_) => l.question.kind.label().to_string(),
            Part::Behaviours => l.question.ksbs.join(", "),
        };
        out.push(Item {
            step: Step::Rating(i),
            group,
            label,
            value,
            problem: validate::answer(l.question, answer).map(|i| i.message),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Standard;
    use chrono::TimeZone;

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc
            .timestamp_opt(1_790_000_000, 0)
            .single()
            .expect("time")
    }

    fn blank() -> Scan {
        Scan::new(&Standard::embedded().expect("standard"), "id", now())
    }

    fn with_details() -> Scan {
        let mut s = blank();
        s.learner.name = "Sam Taylor".into();
        s.learner.email = "sam.taylor@example.org".into();
        s.manager.email = "alex.morgan@example.org".into();
        s
    }

    #[test]
    fn walk_goes_details_then_rating_then_text_then_review() {
        let mut s = with_details();
        assert_eq!(Step::Name.next(&s), Step::Email);
        assert_eq!(Step::ManagerName.next(&s), Step::Rating(0));
        assert_eq!(
            Step::Rating(0).next(&s),
            Step::Rating(1),
            "unrated: no text step"
        );
        s.set_rating("d1-skills", Some(Rating::No), now());
        assert_eq!(Step::Rating(0).next(&s), Step::Text(0));
        assert_eq!(Step::Text(0).next(&s), Step::Rating(1));
        assert_eq!(Step::Text(24).next(&s), Step::Review);
        assert_eq!(Step::Rating(0).skip(&s), Step::Rating(1));
    }

    #[test]
    fn back_goes_to_the_previous_prompt() {
        let s = blank();
        assert_eq!(Step::Name.back(&s), None);
        assert_eq!(Step::Rating(0).back(&s), Some(Step::ManagerName));
        assert_eq!(Step::Text(3).back(&s), Some(Step::Rating(3)));
        assert_eq!(Step::Rating(3).back(&s), Some(Step::Rating(2)));
        assert_eq!(Step::Review.back(&s), Some(Step::Rating(24)));
    }

    #[test]
    fn resume_carries_on_at_the_first_required_gap() {
        let mut s = blank();
        assert_eq!(resume_step(&s), Step::Name);
        s = with_details();
        assert_eq!(resume_step(&s), Step::Rating(0));
        s.set_rating("d1-skills", Some(Rating::Yes), now());
        assert_eq!(resume_step(&s), Step::Text(0));
        s.set_text("d1-skills", "I do.", now());
        assert_eq!(resume_step(&s), Step::Rating(1));
        s.set_rating("d1-knowledge", Some(Rating::No), now());
        assert_eq!(
            resume_step(&s),
            Step::Rating(2),
            "text after No is optional"
        );
        s.manager.email = s.learner.email.clone();
        assert_eq!(resume_step(&s), Step::ManagerEmail);
    }

    #[test]
    fn review_lists_details_and_questions_with_problems() {
        let mut s = with_details();
        s.set_rating("d1-skills", Some(Rating::Some), now());
        let items = review_items(&s);
        assert_eq!(items.len(), 4 + 25);
        assert_eq!(items[0].value, "Sam Taylor");
        assert_eq!(items[3].value, "(none)");
        assert_eq!(items[3].problem, None);
        assert_eq!(items[4].value, "Some");
        assert!(
            items[4]
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("Some"))
        );
        assert_eq!(items[5].value, NOT_ANSWERED);
        assert_eq!(items[5].step, Step::Rating(1));
        assert_eq!(items[28].group, "Behaviours");
        assert_eq!(items[28].label, "B5");
    }

    #[test]
    fn describe_names_the_question() {
        let s = blank();
        assert_eq!(
            describe(&s, Step::Rating(7)),
            "Duty 4 Knowledge: yes, some or no"
        );
        assert_eq!(
            describe(&s, Step::Rating(20)),
            "Behaviour B1: yes, some or no"
        );
    }
}
