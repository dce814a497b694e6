//! The prior-learning figure: how much of the standard the learner already meets, as the share
//! of its distinct KSBs met (each KSB counted once, rated as in [`super::ksb`]), overall and per
//! duty. One headline figure.

pub use super::ksb::Basis;
use super::ksb::{self, KsbRating};
use super::scan::{Rating, Scan};
use super::standard::Part;

/// What Some counts for, unless the provider configures otherwise.
pub const DEFAULT_SOME_FACTOR: f64 = 0.5;

/// The method, in one sentence, to print wherever the figure is shown.
pub fn method(some_factor: f64) -> String {
    format!(
        "Each KSB of the standard is counted once: Yes as 1, Some as {}, No or not yet rated as 0. \
         A KSB's rating is the coach's agreed rating for it, or else the lowest rating of the questions covering it (marked derived).",
        trim_number(some_factor)
    )
}

fn trim_number(x: f64) -> String {
    if (x - 0.5).abs() < f64::EPSILON {
        "½".into()
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The value of one rating.
pub fn value(rating: Option<Rating>, some_factor: f64) -> f64 {
    match rating {
        Some(Rating::Yes) => 1.0,
        Some(Rating::Some) => some_factor,
        Some(Rating::No) | None => 0.0,
    }
}

/// The figure for one part of the scan.
#[derive(Debug, Clone, PartialEq)]
pub struct PartScore {
    /// The duty or the behaviours.
    pub part: Part,
    /// Share of the part's distinct KSBs met, 0.0–1.0.
    pub share: f64,
    /// Questions in the part.
    pub questions: usize,
    /// How many of the part's questions were rated Yes, Some, No, and unanswered.
    pub counts: Counts,
    /// How many of the part's distinct KSBs are rated each way.
    pub ksbs: Counts,
}

/// How many questions (or KSBs) were rated each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Rated Yes.
    pub yes: usize,
    /// Rated Some.
    pub some: usize,
    /// Rated No.
    pub no: usize,
    /// Not rated yet.
    pub unanswered: usize,
}

impl Counts {
    fn add(&mut self, rating: Option<Rating>) {
        match rating {
            Some(Rating::Yes) => self.yes += 1,
            Some(Rating::Some) => self.some += 1,
            Some(Rating::No) => self.no += 1,
            None => self.unanswered += 1,
        }
    }

    /// All counted.
    pub fn total(&self) -> usize {
        self.yes + self.some + self.no + self.unanswered
    }
}

/// The scan's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Share of the standard's distinct KSBs met, 0.0–1.0: the one headline figure.
    pub overall: f64,
    /// Per duty, then the behaviours.
    pub parts: Vec<PartScore>,
    /// Questions rated each way (agreed question ratings where set, for the agreed basis).
    pub counts: Counts,
    /// Distinct KSBs rated each way.
    pub ksbs: Counts,
    /// How many KSB ratings are derived from the questions (the rest the coach agreed).
    pub derived: usize,
    /// The factor Some counted for.
    pub some_factor: f64,
}

impl Score {
    /// Scores a scan.
    pub fn of(scan: &Scan, basis: Basis, some_factor: f64) -> Self {
        Self::from_ksbs(scan, &ksb::evaluate(scan, basis), basis, some_factor)
    }

    /// Scores a scan whose KSBs are already evaluated (with the same basis).
    pub fn from_ksbs(scan: &Scan, all: &[KsbRating<'_>], basis: Basis, some_factor: f64) -> Self {
        let mut parts: Vec<PartScore> = Vec::new();
        let mut counts = Counts::default();
        for located in scan.standard().questions() {
            let id = &located.question.id;
            let rating = match basis {
                Basis::Learner => scan.rating(id),
                Basis::Agreed => scan.effective_rating(id),
            };
            counts.add(rating);
            if parts.last().is_none_or(|p| p.part != located.part) {
                parts.push(PartScore {
                    part: located.part,
                    share: 0.0,
                    questions: 0,
                    counts: Counts::default(),
                    ksbs: Counts::default(),
                });
            }
            if let Some(p) = parts.last_mut() {
                p.questions += 1;
                p.counts.add(rating);
            }
        }
        let mut ksbs = Counts::default();
        let mut sum = 0.0;
        let mut derived = 0;
        for k in all {
            ksbs.add(k.rating);
            sum += value(k.rating, some_factor);
            if k.source == ksb::Source::Derived {
                derived += 1;
            }
        }
        for p in &mut parts {
            let mut part_sum = 0.0;
            for k in all.iter().filter(|k| k.parts.contains(&p.part)) {
                p.ksbs.add(k.rating);
                part_sum += value(k.rating, some_factor);
            }
            p.share = ratio(part_sum, p.ksbs.total() as f64);
        }
        Self {
            overall: ratio(sum, all.len() as f64),
            parts,
            counts,
            ksbs,
            derived,
            some_factor,
        }
    }

    /// The headline figure as a whole percentage.
    pub fn percent(&self) -> u32 {
        percent(self.overall)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// A 0.0–1.0 share as a rounded whole percentage.
pub fn percent(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 100.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::tests::{blank, complete, t};

    #[test]
    fn all_yes_is_100_blank_is_0() {
        let s = Score::of(&complete(&[]), Basis::Learner, DEFAULT_SOME_FACTOR);
        assert_eq!(s.percent(), 100);
        assert_eq!(s.counts.yes, 25);
        assert_eq!(s.ksbs.yes, s.ksbs.total());
        let b = Score::of(&blank(), Basis::Learner, DEFAULT_SOME_FACTOR);
        assert_eq!(b.percent(), 0);
        assert_eq!(b.counts.unanswered, 25);
        assert_eq!(b.parts.len(), 11);
    }

    #[test]
    fn each_ksb_counts_once_and_some_counts_half() {
        let mut s = complete(&[]);
        let n = Score::of(&s, Basis::Learner, 0.5).ksbs.total() as f64;
        // d1-knowledge covers K1–K11 (11 distinct KSBs); rate it Some.
        s.set_agreed_rating(&"d1-knowledge".into(), Some(Rating::Some), t(1));
        let score = Score::of(&s, Basis::Agreed, 0.5);
        assert!((score.overall - (n - 11.0 + 5.5) / n).abs() < 1e-9);
        assert_eq!(score.ksbs.some, 11);
        assert_eq!(score.parts[0].counts.some, 1);
        // Duty 1's own KSBs: its skills' and its 11 knowledge KSBs, each once.
        let d1 = &score.parts[0];
        assert_eq!(d1.ksbs.some, 11);
        assert!((d1.share - (d1.ksbs.yes as f64 + 5.5) / d1.ksbs.total() as f64).abs() < 1e-9);
    }

    /// The same mix of question ratings gives the same figure wherever the Yes falls only if
    /// the KSBs are the same: the figure follows KSBs, not questions.
    #[test]
    fn figure_follows_ksbs_and_coach_per_ksb_ratings() {
        let mut s = complete(&[]);
        let n = Score::of(&s, Basis::Agreed, 0.5).ksbs.total() as f64;
        s.set_agreed_ksb_rating(&"K1".into(), Some(Rating::No), t(2));
        s.set_agreed_ksb_rating(&"K2".into(), Some(Rating::Some), t(2));
        let score = Score::of(&s, Basis::Agreed, 0.5);
        assert!((score.overall - (n - 1.5) / n).abs() < 1e-9);
        assert_eq!(score.derived + 2, score.ksbs.total());
        let learner = Score::of(&s, Basis::Learner, 0.5);
        assert_eq!(learner.percent(), 100);
    }

    #[test]
    fn agreed_basis_uses_coach_rating() {
        let mut s = complete(&[]);
        s.set_agreed_rating(&"b1".into(), Some(Rating::No), t(2));
        let learner = Score::of(&s, Basis::Learner, 0.5);
        let agreed = Score::of(&s, Basis::Agreed, 0.5);
        assert_eq!(learner.counts.no, 0);
        assert_eq!(agreed.counts.no, 1);
        assert_eq!(agreed.ksbs.no, 1);
    }

    #[test]
    fn method_names_the_factor() {
        assert!(method(0.5).contains("Some as ½"));
        assert!(method(0.25).contains("Some as 0.25"));
        assert!(method(0.5).contains("counted once"));
    }
}
