//! The walk through a scan, described once for both learner front ends: the fields in order
//! (the details, then each question's rating and written answer, in the standard's order), the
//! pages they sit on (details, one per duty, the behaviours, the review), where a resumed scan
//! carries on (the first field still to do), and the fields' names. The full-screen app shows a
//! page at a time and plain mode asks a field at a time; both follow this.
//!
//! Pure: reads the scan, never changes it.

use super::scan::Scan;
use super::standard::{Located, Part};
use super::validate::{self, Target};

/// One of the learner's and manager's details, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Detail {
    /// The learner's name.
    LearnerName,
    /// The learner's email.
    LearnerEmail,
    /// The line manager's email.
    ManagerEmail,
    /// The line manager's name (optional).
    ManagerName,
}

impl Detail {
    /// Every detail, in the order they are asked.
    pub const ALL: [Detail; 4] = [
        Detail::LearnerName,
        Detail::LearnerEmail,
        Detail::ManagerEmail,
        Detail::ManagerName,
    ];

    /// Its place in [`Detail::ALL`] (0 for the name).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name in a list of answers: "Your name", "Your line manager's email".
    pub fn label(self) -> &'static str {
        match self {
            Self::LearnerName => "Your name",
            Self::LearnerEmail => "Your email",
            Self::ManagerEmail => "Your line manager's email",
            Self::ManagerName => "Your line manager's name (optional)",
        }
    }

    /// Its name on the form where it is typed: "Your full name".
    pub const fn form_label(self) -> &'static str {
        match self {
            Self::LearnerName => "Your full name",
            Self::LearnerEmail => "Your email address",
            Self::ManagerEmail => "Your line manager's email address",
            Self::ManagerName => "Your line manager's name (optional)",
        }
    }

    /// What a prompt for it expects, in a sentence: "your email address".
    pub fn expected(self) -> &'static str {
        match self {
            Self::LearnerName => "your name",
            Self::LearnerEmail => "your email address",
            Self::ManagerEmail => "your line manager's email address",
            Self::ManagerName => "your line manager's name (optional)",
        }
    }

    /// Its value in the scan.
    pub fn value(self, scan: &Scan) -> &str {
        match self {
            Self::LearnerName => &scan.learner.name,
            Self::LearnerEmail => &scan.learner.email,
            Self::ManagerEmail => &scan.manager.email,
            Self::ManagerName => &scan.manager.name,
        }
    }

    /// The validation target of its problems (none for the optional manager's name).
    pub fn target(self) -> Option<Target> {
        match self {
            Self::LearnerName => Some(Target::LearnerName),
            Self::LearnerEmail => Some(Target::LearnerEmail),
            Self::ManagerEmail => Some(Target::ManagerEmail),
            Self::ManagerName => None,
        }
    }
}

/// One field of the walk. Questions are numbered by their place in the standard's walk order
/// (0 for Duty 1 Skills).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A detail.
    Detail(Detail),
    /// A question's Yes / Some / No.
    Rating(usize),
    /// A question's written answer.
    Text(usize),
}

/// A page of the full-screen walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The details.
    Details,
    /// A page of questions: duties 1..=n are pages 0..n, the behaviours page n.
    Questions(usize),
    /// Every answer, then submit.
    Review,
}

/// Where a field is shown: its page and, on a page of questions, the question's place on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The page.
    pub page: Page,
    /// The question's place on its page (0 for the first); for a detail, its index.
    pub on_page: usize,
}

/// The scan's questions in walk order.
pub fn questions(scan: &Scan) -> Vec<Located<'_>> {
    scan.standard().questions().collect()
}

/// A question's name for people: "Duty 3 Skills", "Behaviour B2".
pub fn question_name(l: &Located<'_>) -> String {
    match l.part {
        Part::Duty(n) => format!("Duty {n} {}", l.question.kind.label()),
        Part::Behaviours => format!("Behaviour {}", l.question.ksbs.join(", ")),
    }
}

/// Where a resumed scan carries on: the first required field that is missing or has a problem
/// (the optional ones, the manager's name and the text after No, count as done); `None` when
/// nothing is left, so the walk goes to the review.
pub fn resume_point(scan: &Scan) -> Option<Field> {
    let details = validate::details(scan);
    if let Some(detail) = Detail::ALL.into_iter().find(|d| {
        d.target()
            .is_some_and(|t| details.iter().any(|i| i.target == t))
    }) {
        return Some(Field::Detail(detail));
    }
    questions(scan).iter().enumerate().find_map(|(i, l)| {
        let answer = scan.answer(&l.question.id);
        validate::answer(l.question, answer).map(|_| {
            if answer.and_then(|a| a.rating).is_none() {
                Field::Rating(i)
            } else {
                Field::Text(i)
            }
        })
    })
}

/// Where a field is shown on the full-screen walk.
pub fn place(scan: &Scan, field: Field) -> Place {
    let i = match field {
        Field::Detail(d) => {
            return Place {
                page: Page::Details,
                on_page: d.index(),
            };
        }
        Field::Rating(i) | Field::Text(i) => i,
    };
    let standard = scan.standard();
    let mut first = 0;
    for (p, duty) in standard.duties.iter().enumerate() {
        if i < first + duty.questions.len() {
            return Place {
                page: Page::Questions(p),
                on_page: i - first,
            };
        }
        first += duty.questions.len();
    }
    if i < first + standard.behaviours.len() {
        return Place {
            page: Page::Questions(standard.duties.len()),
            on_page: i - first,
        };
    }
    Place {
        page: Page::Review,
        on_page: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::Rating;
    use crate::core::scan::tests::{blank, complete, t};

    #[test]
    fn resume_goes_to_the_first_field_still_to_do() {
        let mut s = blank();
        assert_eq!(resume_point(&s), Some(Field::Detail(Detail::LearnerName)));
        s.learner.name = "Sam Taylor".into();
        assert_eq!(resume_point(&s), Some(Field::Detail(Detail::LearnerEmail)));

        let mut s = complete(&[]);
        assert_eq!(resume_point(&s), None);
        s.set_text(&"d2-knowledge".into(), " ", t(2));
        assert_eq!(resume_point(&s), Some(Field::Text(3)));
        s.set_rating(&"d1-knowledge".into(), None, t(2));
        assert_eq!(resume_point(&s), Some(Field::Rating(1)));
        s.set_rating(&"d1-knowledge".into(), Some(Rating::No), t(2));
        s.set_text(&"d1-knowledge".into(), "", t(2));
        assert_eq!(
            resume_point(&s),
            Some(Field::Text(3)),
            "the text after No is optional"
        );
    }

    #[test]
    fn places_follow_the_pages() {
        let s = blank();
        let count = s.question_count();
        let duties = s.standard().duties.len();
        assert_eq!(
            place(&s, Field::Detail(Detail::ManagerEmail)),
            Place {
                page: Page::Details,
                on_page: 2
            }
        );
        assert_eq!(
            place(&s, Field::Rating(0)),
            Place {
                page: Page::Questions(0),
                on_page: 0
            }
        );
        assert_eq!(
            place(&s, Field::Text(3)),
            Place {
                page: Page::Questions(1),
                on_page: 1
            }
        );
        assert_eq!(
            place(&s, Field::Rating(count - 1)).page,
            Page::Questions(duties)
        );
        assert_eq!(place(&s, Field::Rating(count)).page, Page::Review);
    }
}
