//! The start of the learner's personal learning plan, from the per-KSB ratings: every KSB rated
//! Some or No (or not yet rated), each once, under the first question that covers it, grouped by
//! duty, with the coach's notes.

use super::ksb::{self, KsbRating};
use super::scan::{Rating, Scan};
use super::score::Basis;
use super::standard::{Part, Question};

/// One question's part of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Area<'a> {
    /// The question.
    pub question: &'a Question,
    /// The question's rating (agreed where set), if any.
    pub rating: Option<Rating>,
    /// The coach's note on the question (empty when none).
    pub note: &'a str,
    /// Its KSBs still to develop: rated Some or No, or not rated yet.
    pub ksbs: Vec<KsbRating<'a>>,
}

/// The areas for development of one part (a duty or the behaviours).
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// Which part.
    pub part: Part,
    /// The duty's title, or empty for the behaviours (the part says "Behaviours").
    pub title: &'a str,
    /// Its areas, in question order.
    pub areas: Vec<Area<'a>>,
}

/// Every KSB to develop, each once, under the first question covering it, grouped by duty in
/// walk order.
pub fn development_areas(scan: &Scan, basis: Basis) -> Vec<Group<'_>> {
    let standard = scan.standard();
    let all = ksb::evaluate(scan, basis);
    let mut placed = std::collections::BTreeSet::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for located in standard.questions() {
        let id = &located.question.id;
        let ksbs: Vec<KsbRating<'_>> = all
            .iter()
            .filter(|k| k.questions.contains(&id))
            .filter(|k| k.rating.is_none_or(Rating::is_development_area))
            .filter(|k| placed.insert(&k.ksb.code))
            .cloned()
            .collect();
        if ksbs.is_empty() {
            continue;
        }
        if groups.last().is_none_or(|g| g.part != located.part) {
            let title = match located.part {
                Part::Duty(n) => standard.duty(n).map_or("", |d| d.title.as_str()),
                Part::Behaviours => "",
            };
            groups.push(Group {
                part: located.part,
                title,
                areas: Vec::new(),
            });
        }
        let rating = match basis {
            Basis::Learner => scan.rating(id),
            Basis::Agreed => scan.effective_rating(id),
        };
        let note = match basis {
            Basis::Learner => "",
            Basis::Agreed => scan.agreed(id).map_or("", |a| a.note.as_str()),
        };
        if let Some(g) = groups.last_mut() {
            g.areas.push(Area {
                question: located.question,
                rating,
                note,
                ksbs,
            });
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ksb::Source;
    use crate::core::scan::tests::{complete, t};

    #[test]
    fn areas_are_ksbs_to_develop_grouped_by_duty() {
        let mut s = complete(&["d2-skills", "d2-knowledge", "b4"]);
        s.set_rating(&"d1-knowledge".into(), Some(Rating::Some), t(2));
        let groups = development_areas(&s, Basis::Learner);
        let parts: Vec<String> = groups.iter().map(|g| g.part.to_string()).collect();
        assert_eq!(parts, ["Duty 1", "Duty 2", "Behaviours"]);
        assert_eq!(groups[0].areas[0].ksbs.len(), 11);
        assert_eq!(groups[0].areas[0].ksbs[0].ksb.code, "K1");
        assert_eq!(groups[2].areas[0].rating, Some(Rating::No));
        assert_eq!(groups[2].title, "");
    }

    #[test]
    fn per_ksb_agreement_narrows_the_plan_and_notes_show() {
        let mut s = complete(&[]);
        assert!(development_areas(&s, Basis::Agreed).is_empty());
        s.set_agreed_rating(&"d1-knowledge".into(), Some(Rating::Some), t(3));
        s.set_agreed_note(&"d1-knowledge".into(), "Knows most of it.", t(3));
        for code in ["K1", "K2", "K4", "K5", "K6", "K7", "K8", "K9", "K10", "K11"] {
            s.set_agreed_ksb_rating(&code.into(), Some(Rating::Yes), t(4));
        }
        s.set_agreed_ksb_note(&"K3".into(), "New to this.", t(4));
        let groups = development_areas(&s, Basis::Agreed);
        assert_eq!(groups.len(), 1);
        let area = &groups[0].areas[0];
        assert_eq!(area.note, "Knows most of it.");
        let codes: Vec<&str> = area.ksbs.iter().map(|k| k.ksb.code.as_str()).collect();
        assert_eq!(codes, ["K3"]);
        assert_eq!(area.ksbs[0].source, Source::Derived);
        assert_eq!(area.ksbs[0].note, "New to this.");
    }

    #[test]
    fn each_ksb_appears_once_in_the_plan() {
        let s = complete(&[
            "d1-skills",
            "d1-knowledge",
            "d2-skills",
            "d2-knowledge",
            "d3-skills",
            "d3-knowledge",
            "d4-skills",
            "d4-knowledge",
            "d5-skills",
            "d5-knowledge",
        ]);
        let groups = development_areas(&s, Basis::Agreed);
        let mut codes: Vec<&str> = groups
            .iter()
            .flat_map(|g| {
                g.areas
                    .iter()
                    .flat_map(|a| a.ksbs.iter().map(|k| k.ksb.code.as_str()))
            })
            .collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }
}
