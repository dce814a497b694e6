//! The indicative prior-learning figure: how much of the standard the learner already meets,
//! per question, per duty and overall, plain and weighted by KSBs.

use super::scan::{Rating, Scan};
use super::standard::Part;

/// Which ratings to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The learner's own ratings.
    Learner,
    /// The coach's agreed ratings, the learner's where none was agreed.
    Agreed,
}

/// What Some counts for, unless the provider configures otherwise.
pub const DEFAULT_SOME_FACTOR: f64 = 0.5;

/// The method, in one sentence, to print wherever the figure is shown.
pub fn method(some_factor: f64) -> String {
    format!(
        "Each question counts Yes as 1, Some as {}, No or unanswered as 0; the figure is the average over all questions, \
         and the KSB-weighted figure counts each question once per KSB it covers.",
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
    /// Share of the part met, 0.0–1.0.
    pub share: f64,
    /// Questions in the part.
    pub questions: usize,
    /// How many were rated Yes, Some, No, and unanswered.
    pub counts: Counts,
}

/// How many questions were rated each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
}

/// The scan's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Share of questions met, 0.0–1.0.
    pub overall: f64,
    /// Share of KSBs met (each question weighted by the KSBs it covers), 0.0–1.0.
    pub ksb_weighted: f64,
    /// Per duty, then the behaviours.
    pub parts: Vec<PartScore>,
    /// Totals over the whole scan.
    pub counts: Counts,
    /// The factor Some counted for.
    pub some_factor: f64,
}

impl Score {
    /// Scores a scan.
    pub fn of(scan: &Scan, basis: Basis, some_factor: f64) -> Self {
        let standard = scan.standard();
        let mut parts: Vec<PartScore> = Vec::new();
        let mut counts = Counts::default();
        let (mut sum, mut n) = (0.0, 0usize);
        let (mut ksb_sum, mut ksb_n) = (0.0, 0usize);
        let mut part_sums: Vec<f64> = Vec::new();
        for located in standard.questions() {
            let id = &located.question.id;
            let rating = match basis {
                Basis::Learner => scan.rating(id),
                Basis::Agreed => scan.effective_rating(id),
            };
            let v = value(rating, some_factor);
            counts.add(rating);
            sum += v;
            n += 1;
            let k = located.question.ksbs.len();
            ksb_sum += v * k as f64;
            ksb_n += k;
            if parts.last().is_none_or(|p| p.part != located.part) {
                parts.push(PartScore {
                    part: located.part,
                    share: 0.0,
                    questions: 0,
                    counts: Counts::default(),
                });
                part_sums.push(0.0);
            }
            if let (Some(p), Some(s)) = (parts.last_mut(), part_sums.last_mut()) {
                p.questions += 1;
                p.counts.add(rating);
                *s += v;
            }
        }
        for (p, s) in parts.iter_mut().zip(part_sums) {
            p.share = ratio(s, p.questions as f64);
        }
        Self {
            overall: ratio(sum, n as f64),
            ksb_weighted: ratio(ksb_sum, ksb_n as f64),
            parts,
            counts,
            some_factor,
        }
    }

    /// The overall figure as a whole percentage.
    pub fn percent(&self) -> u32 {
        percent(self.overall)
    }

    /// The KSB-weighted figure as a whole percentage.
    pub fn ksb_percent(&self) -> u32 {
        percent(self.ksb_weighted)
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
        assert_eq!(s.ksb_percent(), 100);
        assert_eq!(s.counts.yes, 25);
        let b = Score::of(&blank(), Basis::Learner, DEFAULT_SOME_FACTOR);
        assert_eq!(b.percent(), 0);
        assert_eq!(b.counts.unanswered, 25);
        assert_eq!(b.parts.len(), 11);
    }

    #[test]
    fn some_counts_half_and_weighting_follows_ksbs() {
        let mut s = blank();
        // d1-knowledge covers K1–K11 (11 KSBs) of 113; rate it Some, all else unanswered.
        s.set_rating("d1-knowledge", Some(Rating::Some), t(1));
        let score = Score::of(&s, Basis::Learner, 0.5);
        assert!((score.overall - 0.5 / 25.0).abs() < 1e-9);
        assert!((score.ksb_weighted - 0.5 * 11.0 / 113.0).abs() < 1e-9);
        assert!((score.parts[0].share - 0.25).abs() < 1e-9);
        assert_eq!(score.parts[0].counts.some, 1);
    }

    #[test]
    fn agreed_basis_uses_coach_rating() {
        let mut s = complete(&[]);
        s.set_agreed_rating("b1", Some(Rating::No), t(2));
        let learner = Score::of(&s, Basis::Learner, 0.5);
        let agreed = Score::of(&s, Basis::Agreed, 0.5);
        assert_eq!(learner.counts.no, 0);
        assert_eq!(agreed.counts.no, 1);
    }

    #[test]
    fn method_names_the_factor() {
        assert!(method(0.5).contains("Some as ½"));
        assert!(method(0.25).contains("Some as 0.25"));
    }
}
