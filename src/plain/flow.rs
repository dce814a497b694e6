//! The walk through a scan as plain prompts: a prompt per field of the walk (`core::walk`:
//! details, then each question's rating and written answer), then the review; moving forward and
//! back, and the review's numbered items. Where a resumed scan carries on, the fields' names and
//! the questions' order come from `core::walk`, as in the full-screen app. Pure: reads the scan,
//! never changes it.

use crate::core::Scan;
use crate::core::standard::Part;
use crate::core::validate;
use crate::core::walk::{self, Detail, Field};

pub use crate::core::walk::{question_name, questions};

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

    /// The detail this step asks for, if any.
    pub fn detail(self) -> Option<Detail> {
        match self {
            Step::Name => Some(Detail::LearnerName),
            Step::Email => Some(Detail::LearnerEmail),
            Step::ManagerEmail => Some(Detail::ManagerEmail),
            Step::ManagerName => Some(Detail::ManagerName),
            _ => None,
        }
    }

    /// The question this step is about, if any.
    pub fn question(self) -> Option<usize> {
        match self {
            Step::Rating(i) | Step::Text(i) => Some(i),
            _ => None,
        }
    }
}

/// The prompt for a field of the walk.
pub fn step_of(field: Field) -> Step {
    match field {
        Field::Detail(Detail::LearnerName) => Step::Name,
        Field::Detail(Detail::LearnerEmail) => Step::Email,
        Field::Detail(Detail::ManagerEmail) => Step::ManagerEmail,
        Field::Detail(Detail::ManagerName) => Step::ManagerName,
        Field::Rating(i) => Step::Rating(i),
        Field::Text(i) => Step::Text(i),
    }
}

/// Where a resumed scan carries on ([`walk::resume_point`]: the first required field still to
/// do), else the review.
pub fn resume_step(scan: &Scan) -> Step {
    walk::resume_point(scan).map_or(Step::Review, step_of)
}

/// What a step expects, for messages: "your name", "Duty 4 Knowledge: yes, some or no".
pub fn describe(scan: &Scan, step: Step) -> String {
    let qs = questions(scan);
    let name = |i: usize| qs.get(i).map(question_name).unwrap_or_default();
    match step {
        Step::Name | Step::Email | Step::ManagerEmail | Step::ManagerName => step
            .detail()
            .map_or_else(String::new, |d| d.expected().into()),
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
    let value = |v: &str| {
        if v.trim().is_empty() {
            "(none)".to_string()
        } else {
            v.to_string()
        }
    };
    let mut out: Vec<Item> = Detail::ALL
        .into_iter()
        .map(|d| Item {
            step: step_of(Field::Detail(d)),
            group: "Your details".into(),
            label: d.label().into(),
            value: value(d.value(scan)),
            problem: d.target().and_then(|t| {
                details
                    .iter()
                    .find(|i| i.target == t)
                    .map(|i| i.message.clone())
            }),
        })
        .collect();
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
    use crate::core::Rating;
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
        s.set_rating(&"d1-skills".into(), Some(Rating::No), now());
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
        s.set_rating(&"d1-skills".into(), Some(Rating::Yes), now());
        assert_eq!(resume_step(&s), Step::Text(0));
        s.set_text(&"d1-skills".into(), "I do.", now());
        assert_eq!(resume_step(&s), Step::Rating(1));
        s.set_rating(&"d1-knowledge".into(), Some(Rating::No), now());
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
        s.set_rating(&"d1-skills".into(), Some(Rating::Some), now());
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
