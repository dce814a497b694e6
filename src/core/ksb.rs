//! Every KSB evaluated: the learner answers per question, but the funding rules ask how far the
//! learner meets *each* knowledge, skill and behaviour. Each distinct KSB the questions cover gets
//! one rating: the coach's agreed KSB rating where one is set, otherwise derived from the
//! questions that cover it — the lowest of their ratings (prior learning is shown, not assumed;
//! an unanswered question leaves the KSB unrated) — and marked "derived".

use super::scan::{Rating, Scan};
use super::standard::{Ksb, KsbCode, Part, QuestionId};

/// Which ratings to evaluate from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The learner's own ratings only.
    Learner,
    /// The coach's agreed ratings (per KSB, then per question), the learner's where none was
    /// agreed.
    Agreed,
}

/// Where a KSB's rating came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The coach set it for this KSB.
    Agreed,
    /// The lowest rating of the questions covering it.
    Derived,
}

impl Source {
    /// "agreed" or "derived".
    pub fn label(self) -> &'static str {
        match self {
            Self::Agreed => "agreed",
            Self::Derived => "derived",
        }
    }
}

/// One KSB with its rating.
#[derive(Debug, Clone, PartialEq)]
pub struct KsbRating<'a> {
    /// The statement.
    pub ksb: &'a Ksb,
    /// Its rating; `None` while a question covering it is unanswered.
    pub rating: Option<Rating>,
    /// Agreed by the coach or derived from the questions.
    pub source: Source,
    /// The coach's note on this KSB (empty when none).
    pub note: &'a str,
    /// The ids of the questions covering it, in walk order.
    pub questions: Vec<&'a QuestionId>,
    /// The parts (duties, behaviours) those questions belong to, in walk order, each once.
    pub parts: Vec<Part>,
}

/// The lowest of some ratings: No below Some below Yes; any unanswered makes it unanswered.
pub fn lowest(ratings: impl IntoIterator<Item = Option<Rating>>) -> Option<Rating> {
    let mut worst: Option<Rating> = None;
    let mut any = false;
    for r in ratings {
        let r = r?;
        any = true;
        // `Rating` orders Yes < Some < No, so the lowest rating is the greatest value.
        worst = Some(worst.map_or(r, |w| w.max(r)));
    }
    if any { worst } else { None }
}

/// The rating a KSB takes from the questions alone (no per-KSB agreement).
fn question_rating(scan: &Scan, id: &QuestionId, basis: Basis) -> Option<Rating> {
    match basis {
        Basis::Learner => scan.rating(id),
        Basis::Agreed => scan.effective_rating(id),
    }
}

/// Every distinct KSB covered by the scan's questions, in the order the questions first cover
/// them, each once, with its rating.
pub fn evaluate(scan: &Scan, basis: Basis) -> Vec<KsbRating<'_>> {
    let standard = scan.standard();
    let mut out: Vec<KsbRating<'_>> = Vec::new();
    let mut index: std::collections::BTreeMap<&KsbCode, usize> = std::collections::BTreeMap::new();
    for located in standard.questions() {
        for code in &located.question.ksbs {
            let Some(ksb) = standard.ksb(code) else {
                continue;
            };
            let i = *index.entry(code).or_insert_with(|| {
                out.push(KsbRating {
                    ksb,
                    rating: None,
                    source: Source::Derived,
                    note: "",
                    questions: Vec::new(),
                    parts: Vec::new(),
                });
                out.len() - 1
            });
            let entry = &mut out[i];
            entry.questions.push(&located.question.id);
            if entry.parts.last() != Some(&located.part) && !entry.parts.contains(&located.part) {
                entry.parts.push(located.part);
            }
        }
    }
    for entry in &mut out {
        entry.note = scan
            .agreed_ksb(&entry.ksb.code)
            .map_or("", |a| a.note.as_str());
        (entry.rating, entry.source) = rate(scan, &entry.ksb.code, &entry.questions, basis);
    }
    out
}

/// The one rule for a KSB's rating: the coach's agreed rating for the KSB (on the agreed basis),
/// else the lowest rating of the questions covering it (`questions`), unrated while any of them
/// is unanswered.
fn rate(
    scan: &Scan,
    code: &KsbCode,
    questions: &[&QuestionId],
    basis: Basis,
) -> (Option<Rating>, Source) {
    let agreed = scan
        .agreed_ksb(code)
        .and_then(|a| a.rating)
        .filter(|_| basis == Basis::Agreed);
    match agreed {
        Some(r) => (Some(r), Source::Agreed),
        None => (
            lowest(questions.iter().map(|id| question_rating(scan, id, basis))),
            Source::Derived,
        ),
    }
}

/// One KSB's rating in a scan by the rule of [`evaluate`] (without evaluating the others);
/// `None` while unrated, and for a KSB no question covers.
pub fn rating_of(scan: &Scan, code: &KsbCode, basis: Basis) -> Option<Rating> {
    let questions: Vec<&QuestionId> = scan
        .standard()
        .questions()
        .filter(|l| l.question.ksbs.iter().any(|c| c == code))
        .map(|l| &l.question.id)
        .collect();
    if questions.is_empty() {
        return None;
    }
    rate(scan, code, &questions, basis).0
}

/// The KSBs of one question, in the question's order, with their ratings.
pub fn of_question<'a>(
    all: &'a [KsbRating<'a>],
    question_id: &QuestionId,
) -> Vec<&'a KsbRating<'a>> {
    all.iter()
        .filter(|k| k.questions.contains(&question_id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::tests::{blank, complete, t};

    const Y: Option<Rating> = Some(Rating::Yes);
    const S: Option<Rating> = Some(Rating::Some);
    const N: Option<Rating> = Some(Rating::No);

    #[test]
    fn lowest_table() {
        let cases: &[(&[Option<Rating>], Option<Rating>)] = &[
            (&[Y], Y),
            (&[Y, Y], Y),
            (&[Y, S], S),
            (&[S, Y], S),
            (&[Y, N, S], N),
            (&[N, N], N),
            (&[Y, None], None),
            (&[None, N], None),
            (&[], None),
        ];
        for (ratings, want) in cases {
            assert_eq!(lowest(ratings.iter().copied()), *want, "{ratings:?}");
        }
    }

    /// A standard's KSBs each appear once, whatever number of questions cover them.
    #[test]
    fn each_ksb_once_in_first_cover_order() {
        let s = complete(&[]);
        let all = evaluate(&s, Basis::Agreed);
        let mut codes: Vec<&str> = all.iter().map(|k| k.ksb.code.as_str()).collect();
        assert_eq!(all[0].ksb.code, "S1");
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a KSB listed twice");
        assert!(
            all.iter()
                .all(|k| k.rating == Y && k.source == Source::Derived)
        );
    }

    /// The derivation, question by question and with the coach's agreements.
    #[test]
    fn derivation_table() {
        type Case = (
            Option<Rating>,
            Option<Rating>,
            Option<Rating>,
            Option<Rating>,
            Source,
        );
        // (learner rating of d1-knowledge, its agreed rating, K1's agreed rating) → K1's
        // rating and where it came from
        let cases: &[Case] = &[
            (Y, None, None, Y, Source::Derived),
            (S, None, None, S, Source::Derived),
            (N, None, None, N, Source::Derived),
            (None, None, None, None, Source::Derived),
            // The question's agreed rating wins over the learner's.
            (Y, S, None, S, Source::Derived),
            (N, Y, None, Y, Source::Derived),
            // The KSB's agreed rating wins over both.
            (N, None, Y, Y, Source::Agreed),
            (Y, S, N, N, Source::Agreed),
            (None, None, S, S, Source::Agreed),
        ];
        for &(learner, q_agreed, k_agreed, want, source) in cases {
            let mut s = blank();
            s.set_rating(&"d1-knowledge".into(), learner, t(1));
            if q_agreed.is_some() {
                s.set_agreed_rating(&"d1-knowledge".into(), q_agreed, t(2));
            }
            if k_agreed.is_some() {
                s.set_agreed_ksb_rating(&"K1".into(), k_agreed, t(3));
            }
            let all = evaluate(&s, Basis::Agreed);
            let k1 = all.iter().find(|k| k.ksb.code == "K1").expect("K1");
            assert_eq!(
                (k1.rating, k1.source),
                (want, source),
                "{learner:?} {q_agreed:?} {k_agreed:?}"
            );
            // K2 has no agreement: it follows the question.
            let k2 = all.iter().find(|k| k.ksb.code == "K2").expect("K2");
            assert_eq!(k2.rating, q_agreed.or(learner));
            // The learner's basis never sees the coach's ratings.
            let mine = evaluate(&s, Basis::Learner);
            let k1 = mine.iter().find(|k| k.ksb.code == "K1").expect("K1");
            assert_eq!((k1.rating, k1.source), (learner, Source::Derived));
        }
    }

    /// A KSB covered by two questions takes the lower of their ratings, and is counted once.
    #[test]
    fn a_ksb_shared_by_two_questions_takes_the_lowest() {
        let mut s = complete(&[]);
        // The embedded standard maps each KSB to one question; map K1 to d2-knowledge as well.
        let d2 = s.standard.snapshot.duties[1]
            .questions
            .iter_mut()
            .find(|q| q.id == "d2-knowledge")
            .expect("d2-knowledge");
        d2.ksbs.push("K1".into());
        let one = evaluate(&s, Basis::Agreed);
        let k1 = one.iter().find(|k| k.ksb.code == "K1").expect("K1");
        assert_eq!(k1.questions, ["d1-knowledge", "d2-knowledge"]);
        assert_eq!(k1.parts, [Part::Duty(1), Part::Duty(2)]);
        assert_eq!(one.iter().filter(|k| k.ksb.code == "K1").count(), 1);
        for (d1, d2, want) in [
            (Y, Y, Y),
            (Y, S, S),
            (S, Y, S),
            (Y, N, N),
            (N, S, N),
            (Y, None, None),
        ] {
            s.set_agreed_rating(&"d1-knowledge".into(), d1, t(2));
            s.set_agreed_rating(&"d2-knowledge".into(), d2, t(2));
            if d2.is_none() {
                s.review_mut().agreed.remove("d2-knowledge");
                s.answers.remove("d2-knowledge");
            }
            let all = evaluate(&s, Basis::Agreed);
            let k1 = all.iter().find(|k| k.ksb.code == "K1").expect("K1");
            assert_eq!(k1.rating, want, "{d1:?} {d2:?}");
        }
    }

    #[test]
    fn notes_and_question_lists() {
        let mut s = complete(&[]);
        s.set_agreed_ksb_note(&"K3".into(), "New to safeguarding law.", t(2));
        let all = evaluate(&s, Basis::Agreed);
        let k3 = all.iter().find(|k| k.ksb.code == "K3").expect("K3");
        assert_eq!(k3.note, "New to safeguarding law.");
        assert_eq!(k3.questions, ["d1-knowledge"]);
        assert_eq!(k3.parts, [Part::Duty(1)]);
        let of = of_question(&all, &"d1-knowledge".into());
        assert_eq!(of.len(), 11);
        assert_eq!(of[0].ksb.code, "K1");
    }
}
