//! The indicative prior-learning (RPL) estimate: from the share of KSBs the learner already meets
//! and the programme's figures, the off-the-job hours and months that prior learning would remove,
//! the resulting duration and hours held at the minimums, and the minimum price reduction.
//!
//! Pure arithmetic on plain numbers: the programme figures are passed in (the config adapter
//! converts them), the share comes from [`Score`](super::score::Score). Indicative only — the
//! provider decides.

use super::scan::Scan;
use super::score::{Basis, Score};

/// The label shown wherever the estimate appears.
pub const LABEL: &str = "indicative — the provider decides";

/// The programme figures the estimate starts from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Programme {
    /// Planned duration in months.
    pub duration_months: f64,
    /// Planned off-the-job training hours.
    pub off_the_job_hours: f64,
    /// Agreed price in pounds.
    pub price_gbp: f64,
    /// What a Some counts for (0–1).
    pub some_factor: f64,
    /// The shortest duration an apprenticeship may have, in months.
    pub min_duration_months: f64,
    /// The fewest off-the-job hours an apprenticeship may have.
    pub min_off_the_job_hours: f64,
}

impl Default for Programme {
    /// The standard's figures: 15 months, 400 hours, £5,000; Some = ½; minimums 8 months, 187 hours.
    fn default() -> Self {
        Self {
            duration_months: 15.0,
            off_the_job_hours: 400.0,
            price_gbp: 5000.0,
            some_factor: super::score::DEFAULT_SOME_FACTOR,
            min_duration_months: 8.0,
            min_off_the_job_hours: 187.0,
        }
    }
}

/// The estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The figures it started from.
    pub programme: Programme,
    /// Share of KSBs already met, 0.0–1.0 (KSB-weighted; agreed ratings where set).
    pub share_met: f64,
    /// Off-the-job hours prior learning removes (after holding the minimum).
    pub hours_removed: f64,
    /// Months prior learning removes (after holding the minimum).
    pub months_removed: f64,
    /// Off-the-job hours left.
    pub hours: f64,
    /// Duration left, in months.
    pub duration_months: f64,
    /// Whether the minimum hours stopped a larger reduction.
    pub hours_at_minimum: bool,
    /// Whether the minimum duration stopped a larger reduction.
    pub duration_at_minimum: bool,
    /// The smallest price reduction, as a percentage of the price (half the percentage of hours
    /// removed).
    pub price_reduction_percent: f64,
    /// The smallest price reduction in pounds.
    pub price_reduction_gbp: f64,
}

/// One planned figure reduced by a share, never below its minimum (nor raised to it).
/// Returns (what is left, whether the minimum held it).
fn reduce(planned: f64, share: f64, minimum: f64) -> (f64, bool) {
    let wanted = planned * (1.0 - share);
    let floor = minimum.min(planned);
    if wanted < floor {
        (floor, share > 0.0)
    } else {
        (wanted, false)
    }
}

fn clean(x: f64) -> f64 {
    if x.is_finite() { x.max(0.0) } else { 0.0 }
}

impl Estimate {
    /// The estimate for a share of KSBs met (0.0–1.0; out-of-range values are clamped).
    pub fn from_share(share_met: f64, programme: Programme) -> Self {
        let share = if share_met.is_finite() {
            share_met.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let hours_planned = clean(programme.off_the_job_hours);
        let months_planned = clean(programme.duration_months);
        let (hours, hours_at_minimum) =
            reduce(hours_planned, share, clean(programme.min_off_the_job_hours));
        let (duration_months, duration_at_minimum) =
            reduce(months_planned, share, clean(programme.min_duration_months));
        let hours_removed = hours_planned - hours;
        let months_removed = months_planned - duration_months;
        let hours_removed_percent = if hours_planned > 0.0 {
            100.0 * hours_removed / hours_planned
        } else {
            0.0
        };
        let price_reduction_percent = hours_removed_percent / 2.0;
        Self {
            programme,
            share_met: share,
            hours_removed,
            months_removed,
            hours,
            duration_months,
            hours_at_minimum,
            duration_at_minimum,
            price_reduction_percent,
            price_reduction_gbp: clean(programme.price_gbp) * price_reduction_percent / 100.0,
        }
    }

    /// The estimate for a scan: the KSB-weighted share met, by the agreed ratings where set
    /// (the learner's elsewhere), with Some counted by the programme's factor.
    pub fn of(scan: &Scan, programme: Programme) -> Self {
        let score = Score::of(scan, Basis::Agreed, programme.some_factor);
        Self::from_share(score.ksb_weighted, programme)
    }

    /// The share met as a whole percentage.
    pub fn share_percent(&self) -> u32 {
        super::score::percent(self.share_met)
    }

    /// The percentage of off-the-job hours removed.
    pub fn hours_removed_percent(&self) -> f64 {
        if self.programme.off_the_job_hours > 0.0 {
            100.0 * self.hours_removed / self.programme.off_the_job_hours
        } else {
            0.0
        }
    }

    /// How it was worked out, in a few sentences.
    pub fn method(&self) -> String {
        let p = &self.programme;
        format!(
            "Share of KSBs already met: each question counts Yes as 1, Some as {}, No or unanswered as 0, \
             weighted by the KSBs it covers, using the agreed rating where one is set. \
             That share of the planned {} off-the-job hours and {} months is removed, \
             but never below the minimums of {} hours and {} months. \
             The price is reduced by at least half the percentage of hours removed.",
            number(p.some_factor),
            number(p.off_the_job_hours),
            number(p.duration_months),
            number(p.min_off_the_job_hours),
            number(p.min_duration_months),
        )
    }

    /// The estimate as labelled lines of text, the same wherever it is shown (screen, summary).
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let p = &self.programme;
        let held = |at_min: bool, planned: f64, minimum: f64, what: &str| {
            if !at_min {
                String::new()
            } else if planned < minimum {
                format!(" (the plan is already below the minimum of {what})")
            } else {
                format!(" (held at the minimum of {what})")
            }
        };
        vec![
            ("KSBs already met", format!("{}%", self.share_percent())),
            (
                "Off-the-job hours",
                format!(
                    "{} planned, {} removed ({}%), {} left{}",
                    hours(p.off_the_job_hours),
                    hours(self.hours_removed),
                    one_decimal(self.hours_removed_percent()),
                    hours(self.hours),
                    held(
                        self.hours_at_minimum,
                        p.off_the_job_hours,
                        p.min_off_the_job_hours,
                        &format!("{} hours", hours(p.min_off_the_job_hours))
                    ),
                ),
            ),
            (
                "Duration",
                format!(
                    "{} months planned, {} removed, {} left{}",
                    one_decimal(p.duration_months),
                    one_decimal(self.months_removed),
                    one_decimal(self.duration_months),
                    held(
                        self.duration_at_minimum,
                        p.duration_months,
                        p.min_duration_months,
                        &format!("{} months", one_decimal(p.min_duration_months))
                    ),
                ),
            ),
            (
                "Price reduction",
                format!(
                    "at least {} ({}% of {})",
                    pounds(self.price_reduction_gbp),
                    one_decimal(self.price_reduction_percent),
                    pounds(p.price_gbp),
                ),
            ),
        ]
    }
}

/// A number as people write it: `0.5` as `½`, whole numbers without decimals.
fn number(x: f64) -> String {
    if (x - 0.5).abs() < f64::EPSILON {
        "½".into()
    } else if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Hours rounded to the nearest whole hour.
pub fn hours(x: f64) -> String {
    format!("{:.0}", x.round())
}

/// One decimal place, without a trailing `.0`.
pub fn one_decimal(x: f64) -> String {
    let s = format!("{:.1}", (x * 10.0).round() / 10.0);
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Pounds with thousands separators; pence only when there are any (`£1,234.50`, `£5,000`).
pub fn pounds(x: f64) -> String {
    let pence = (x * 100.0).round() as u64;
    let (whole, rest) = (pence / 100, pence % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if rest == 0 {
        format!("£{grouped}")
    } else {
        format!("£{grouped}.{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Rating;
    use crate::core::scan::tests::{blank, complete, t};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// (share, hours left, hours removed, hours at min, months left, months at min, price %, £)
    type Case = (f64, f64, f64, bool, f64, bool, f64, f64);

    #[test]
    fn case_table_with_default_programme() {
        // 400 h, 15 months, £5,000, minimums 187 h and 8 months.
        let cases: &[Case] = &[
            (0.0, 400.0, 0.0, false, 15.0, false, 0.0, 0.0),
            (0.1, 360.0, 40.0, false, 13.5, false, 5.0, 250.0),
            (0.2, 320.0, 80.0, false, 12.0, false, 10.0, 500.0),
            (0.4, 240.0, 160.0, false, 9.0, false, 20.0, 1000.0),
            // 15 × 0.5 = 7.5 < 8: the duration minimum holds; 200 hours are still above 187.
            (0.5, 200.0, 200.0, false, 8.0, true, 25.0, 1250.0),
            // 400 × 0.45 = 180 < 187: both minimums hold.
            (0.55, 187.0, 213.0, true, 8.0, true, 26.625, 1331.25),
            (1.0, 187.0, 213.0, true, 8.0, true, 26.625, 1331.25),
        ];
        for &(share, h, hr, hmin, m, mmin, pct, gbp) in cases {
            let e = Estimate::from_share(share, Programme::default());
            assert!(close(e.hours, h), "share {share}: hours {}", e.hours);
            assert!(close(e.hours_removed, hr), "share {share}: removed");
            assert_eq!(e.hours_at_minimum, hmin, "share {share}: hours minimum");
            assert!(
                close(e.duration_months, m),
                "share {share}: months {}",
                e.duration_months
            );
            assert!(
                close(e.months_removed, 15.0 - m),
                "share {share}: months removed"
            );
            assert_eq!(
                e.duration_at_minimum, mmin,
                "share {share}: duration minimum"
            );
            assert!(
                close(e.price_reduction_percent, pct),
                "share {share}: price % {}",
                e.price_reduction_percent
            );
            assert!(close(e.price_reduction_gbp, gbp), "share {share}: £");
        }
    }

    #[test]
    fn minimum_hours_limit_alone() {
        // A long programme with few hours: only the hours minimum holds.
        let p = Programme {
            duration_months: 24.0,
            off_the_job_hours: 300.0,
            price_gbp: 9000.0,
            min_duration_months: 8.0,
            min_off_the_job_hours: 187.0,
            some_factor: 0.5,
        };
        let e = Estimate::from_share(0.5, p);
        assert!(close(e.hours, 187.0));
        assert!(e.hours_at_minimum);
        assert!(close(e.duration_months, 12.0));
        assert!(!e.duration_at_minimum);
        // 113 of 300 hours removed = 37.666…%; half of that = 18.833…% of £9,000.
        assert!(close(
            e.price_reduction_percent,
            100.0 * 113.0 / 300.0 / 2.0
        ));
        assert!(close(e.price_reduction_gbp, 9000.0 * 113.0 / 300.0 / 2.0));
    }

    #[test]
    fn a_plan_already_below_a_minimum_is_not_raised() {
        let p = Programme {
            duration_months: 6.0,
            off_the_job_hours: 150.0,
            ..Programme::default()
        };
        let e = Estimate::from_share(0.5, p);
        assert!(close(e.duration_months, 6.0));
        assert!(close(e.hours, 150.0));
        assert!(close(e.hours_removed, 0.0));
        assert!(e.hours_at_minimum && e.duration_at_minimum);
        assert!(close(e.price_reduction_gbp, 0.0));
        assert!(
            e.lines()[1]
                .1
                .contains("(the plan is already below the minimum of 187 hours)")
        );
        let none = Estimate::from_share(0.0, p);
        assert!(!none.hours_at_minimum && !none.duration_at_minimum);
    }

    #[test]
    fn bad_numbers_do_not_panic_or_go_negative() {
        let p = Programme {
            off_the_job_hours: 0.0,
            price_gbp: f64::NAN,
            ..Programme::default()
        };
        for share in [f64::NAN, -1.0, 2.0, f64::INFINITY] {
            let e = Estimate::from_share(share, p);
            assert!(e.hours_removed >= 0.0 && e.price_reduction_gbp >= 0.0);
            assert!(e.price_reduction_percent.is_finite());
        }
        assert!(close(
            Estimate::from_share(2.0, Programme::default()).share_met,
            1.0
        ));
    }

    #[test]
    fn scan_uses_agreed_ksb_weighted_share() {
        assert!(close(
            Estimate::of(&blank(), Programme::default()).share_met,
            0.0
        ));
        let mut s = complete(&[]);
        assert!(close(Estimate::of(&s, Programme::default()).share_met, 1.0));
        // d1-knowledge covers 11 of 113 KSBs; agreeing No removes exactly that weight.
        s.set_agreed_rating("d1-knowledge", Some(Rating::No), t(5));
        let e = Estimate::of(&s, Programme::default());
        assert!(close(e.share_met, 102.0 / 113.0));
        // Some with a factor of 0.25.
        s.set_agreed_rating("d1-knowledge", Some(Rating::Some), t(6));
        let p = Programme {
            some_factor: 0.25,
            ..Programme::default()
        };
        assert!(close(
            Estimate::of(&s, p).share_met,
            (102.0 + 0.25 * 11.0) / 113.0
        ));
    }

    #[test]
    fn lines_and_method_say_what_limited_it() {
        let e = Estimate::from_share(0.55, Programme::default());
        let lines = e.lines();
        assert_eq!(lines[0], ("KSBs already met", "55%".to_string()));
        assert_eq!(
            lines[1].1,
            "400 planned, 213 removed (53.3%), 187 left (held at the minimum of 187 hours)"
        );
        assert_eq!(
            lines[2].1,
            "15 months planned, 7 removed, 8 left (held at the minimum of 8 months)"
        );
        assert_eq!(lines[3].1, "at least £1,331.25 (26.6% of £5,000)");
        let m = e.method();
        assert!(m.contains("Some as ½") && m.contains("187 hours") && m.contains("8 months"));
        let zero = Estimate::from_share(0.0, Programme::default()).lines();
        assert_eq!(zero[3].1, "at least £0 (0% of £5,000)");
        assert!(!zero[1].1.contains("minimum"));
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(pounds(1_234_567.5), "£1,234,567.50");
        assert_eq!(pounds(999.0), "£999");
        assert_eq!(one_decimal(13.25), "13.3");
        assert_eq!(one_decimal(8.0), "8");
        assert_eq!(hours(186.6), "187");
    }
}
