//! The scan's rules as plain functions that return problems as values, for the screens to show
//! beside the field or question they concern.

use std::fmt;

use super::scan::{Answer, Scan};
use super::standard::{Question, QuestionId};

/// What a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// The learner's name.
    LearnerName,
    /// The learner's email.
    LearnerEmail,
    /// The manager's email.
    ManagerEmail,
    /// A question, by id.
    Question(QuestionId),
}

/// One thing that stops a scan being complete, in words a learner understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// What it concerns.
    pub target: Target,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The longest name or email we accept, in characters.
pub const MAX_FIELD_CHARS: usize = 200;

/// Checks an email address: syntax as the mail library parses it, a dot in the domain, no spaces.
/// Returns the problem in words, or `None` when it is fine.
pub fn email_problem(email: &str) -> Option<String> {
    email_problem_asking(email, "Enter an email address.")
}

/// [`email_problem`], with `ask` as the message when the address is empty (whose address).
fn email_problem_asking(email: &str, ask: &str) -> Option<String> {
    let email = email.trim();
    if email.is_empty() {
        return Some(ask.into());
    }
    if email.chars().count() > MAX_FIELD_CHARS {
        return Some(format!("This is longer than {MAX_FIELD_CHARS} characters."));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("An email address cannot contain spaces.".into());
    }
    let Ok(address) = email.parse::<lettre::Address>() else {
        return Some("This is not an email address (like name@example.org).".into());
    };
    if !address.domain().contains('.') || address.domain().ends_with('.') {
        return Some(format!(
            "Check the part after @: \"{}\" is not a full domain (like example.org).",
            address.domain()
        ));
    }
    None
}

/// Checks a person's name: present, not too long, no control characters.
pub fn name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return Some("Enter your name.".into());
    }
    if name.chars().count() > MAX_FIELD_CHARS {
        return Some(format!("This is longer than {MAX_FIELD_CHARS} characters."));
    }
    if name.chars().any(char::is_control) {
        return Some("A name cannot contain control characters.".into());
    }
    None
}

/// Checks the learner's and manager's details.
pub fn details(scan: &Scan) -> Vec<Issue> {
    let mut out = Vec::new();
    if let Some(message) = name_problem(&scan.learner.name) {
        out.push(Issue {
            target: Target::LearnerName,
            message,
        });
    }
    if let Some(message) = email_problem(&scan.learner.email) {
        out.push(Issue {
            target: Target::LearnerEmail,
            message,
        });
    }
    if let Some(message) = email_problem_asking(
        &scan.manager.email,
        "Enter your line manager's email address.",
    ) {
        out.push(Issue {
            target: Target::ManagerEmail,
            message,
        });
    } else if same_address(&scan.learner.email, &scan.manager.email) {
        out.push(Issue {
            target: Target::ManagerEmail,
            message: "Your manager's email must be different from yours.".into(),
        });
    }
    out
}

fn same_address(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Checks one answer against its question's rule: a rating is needed, and Yes or Some need a
/// written justification. No takes optional text.
pub fn answer(question: &Question, answer: Option<&Answer>) -> Option<Issue> {
    let target = Target::Question(question.id.clone());
    let Some(rating) = answer.and_then(|a| a.rating) else {
        return Some(Issue {
            target,
            message: "Not answered: choose Yes, Some or No.".into(),
        });
    };
    let text = answer.map_or("", |a| a.text.as_str());
    if rating.needs_justification() && text.trim().is_empty() {
        return Some(Issue {
            target,
            message: format!(
                "You chose {}: write what you already know and/or do.",
                rating.label()
            ),
        });
    }
    None
}

/// How many questions are answered completely (a rating, and the written answer Yes and Some
/// need): what the learner is told as "answered", so a rating still lacking its text is not
/// counted as done.
pub fn complete_count(scan: &Scan) -> usize {
    scan.standard()
        .questions()
        .filter(|l| answer(l.question, scan.answer(&l.question.id)).is_none())
        .count()
}

/// Every problem that stops the scan being submitted: details first, then questions in order.
pub fn scan(scan: &Scan) -> Vec<Issue> {
    let mut out = details(scan);
    out.extend(
        scan.standard()
            .questions()
            .filter_map(|l| answer(l.question, scan.answer(&l.question.id))),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::Rating;
    use crate::core::scan::tests::{blank, complete, t};

    #[test]
    fn only_complete_answers_count_as_answered() {
        let mut s = blank();
        let first = s.standard().duties[0].questions[0].id.clone();
        let second = s.standard().duties[0].questions[1].id.clone();
        s.set_rating(&first, Some(Rating::Yes), t(1));
        s.set_rating(&second, Some(Rating::No), t(1));
        assert_eq!(
            complete_count(&s),
            1,
            "a Yes without its text is not answered"
        );
        s.set_text(&first, "I run a group.", t(2));
        assert_eq!(complete_count(&s), 2);
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(email_problem("sam@example.org"), None);
        assert!(email_problem("").is_some());
        assert!(email_problem("sam").is_some());
        assert!(email_problem("sam@example").is_some());
        assert!(email_problem("sam @example.org").is_some());
        assert!(email_problem("sam@example.org\r\nBcc: x@example.org").is_some());
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(name_problem("Siân Ŵyn"), None);
        assert!(name_problem("  ").is_some());
        assert!(name_problem("Sam\u{1b}[31m").is_some());
    }

    #[test]
    fn manager_must_differ_from_learner() {
        let mut s = complete(&[]);
        s.manager.email = "SAM.TAYLOR@example.org".into();
        let issues = details(&s);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].target, Target::ManagerEmail);
    }

    #[test]
    fn yes_and_some_need_text_no_does_not() {
        let mut s = blank();
        let q = s
            .standard()
            .questions()
            .next()
            .expect("questions")
            .question
            .clone();
        assert!(answer(&q, s.answer(&q.id)).is_some());
        s.set_rating(&q.id, Some(Rating::Some), t(1));
        assert!(
            answer(&q, s.answer(&q.id))
                .expect("needs text")
                .message
                .contains("Some")
        );
        s.set_text(&q.id, "   \n ", t(2));
        assert!(answer(&q, s.answer(&q.id)).is_some());
        s.set_text(&q.id, "I run a weekly group.", t(3));
        assert_eq!(answer(&q, s.answer(&q.id)), None);
        s.set_rating(&q.id, Some(Rating::No), t(4));
        s.set_text(&q.id, "", t(5));
        assert_eq!(answer(&q, s.answer(&q.id)), None);
    }

    #[test]
    fn complete_scan_has_no_issues_and_blank_has_one_per_question_plus_details() {
        assert!(scan(&complete(&["b1"])).is_empty());
        let b = blank();
        assert_eq!(scan(&b).len(), 25 + 3);
    }
}
