//! The start of the learner's personal learning plan: every question rated Some or No (the
//! coach's agreed rating where there is one), with its KSB codes and statements, grouped by duty.

use super::scan::{Rating, Scan};
use super::score::Basis;
use super::standard::{Ksb, Part, Question};

/// One area for development.
#[derive(Debug, Clone, PartialEq)]
pub struct Area<'a> {
    /// The question.
    pub question: &'a Question,
    /// Some or No.
    pub rating: Rating,
    /// The KSB statements the question covers.
    pub ksbs: Vec<&'a Ksb>,
}

/// The areas for development of one part (a duty or the behaviours).
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// Which part.
    pub part: Part,
    /// The duty's title, or "Behaviours".
    pub title: &'a str,
    /// Its areas, in question order.
    pub areas: Vec<Area<'a>>,
}

/// Every question rated Some or No, grouped by duty in walk order. Unanswered questions are not
/// areas (they are shown as missing elsewhere).
pub fn development_areas(scan: &Scan, basis: Basis) -> Vec<Group<'_>> {
    let standard = scan.standard();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for located in standard.questions() {
        let id = &located.question.id;
        let rating = match basis {
            Basis::Learner => scan.rating(id),
            Basis::Agreed => scan.effective_rating(id),
        };
        let Some(rating) = rating.filter(|r| r.is_development_area()) else {
            continue;
        };
        if groups.last().is_none_or(|g| g.part != located.part) {
            let title = match located.part {
                Part::Duty(n) => standard.duty(n).map_or("", |d| d.title.as_str()),
                Part::Behaviours => "Behaviours",
            };
            groups.push(Group {
                part: located.part,
                title,
                areas: Vec::new(),
            });
        }
        let ksbs = located
            .question
            .ksbs
            .iter()
            .filter_map(|c| standard.ksb(c))
            .collect();
        if let Some(g) = groups.last_mut() {
            g.areas.push(Area {
                question: located.question,
                rating,
                ksbs,
            });
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::tests::{complete, t};

    #[test]
    fn areas_are_some_and_no_grouped_by_duty() {
        let mut s = complete(&["d2-skills", "d2-knowledge", "b4"]);
        s.set_rating("d1-knowledge", Some(Rating::Some), t(2));
        let groups = development_areas(&s, Basis::Learner);
        let parts: Vec<String> = groups.iter().map(|g| g.part.to_string()).collect();
        assert_eq!(parts, ["Duty 1", "Duty 2", "Behaviours"]);
        assert_eq!(groups[1].areas.len(), 2);
        assert_eq!(groups[0].areas[0].ksbs.len(), 11);
        assert_eq!(groups[0].areas[0].ksbs[0].code, "K1");
        assert_eq!(groups[2].areas[0].rating, Rating::No);
    }

    #[test]
    fn agreed_rating_overrides_learner() {
        let mut s = complete(&[]);
        assert!(development_areas(&s, Basis::Agreed).is_empty());
        s.set_agreed_rating("d5-skills", Some(Rating::Some), t(3));
        assert!(development_areas(&s, Basis::Learner).is_empty());
        assert_eq!(development_areas(&s, Basis::Agreed)[0].part, Part::Duty(5));
    }
}
