//! The indicative prior-learning (RPL) estimate: from the share of KSBs the learner already meets
//! and the programme's figures, the off-the-job hours and months that prior learning would remove,
//! what is left, the minimum price reduction — and whether what is left still meets the funding
//! minimums. Below a minimum the figures are not clamped: the estimate says plainly that the plan
//! is not fundable as it stands, and the provider decides.
//!
//! Pure arithmetic on plain numbers: the programme figures are passed in (the config adapter
//! converts them), the share comes from [`Score`](super::score::Score). Indicative only — the
//! provider decides.

use std::fmt;

use super::scan::Scan;
use super::score::{Basis, Score};

/// The label shown wherever the estimate appears.
pub const LABEL: &str = "indicative — the provider decides";

/// The programme figures the estimate starts from (the config file's `[programme]` section).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
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
    /// The defaults: 15 months and £5,000 (the embedded standard's typical duration and funding
    /// band), 400 off-the-job hours (a placeholder of this program's: the standard gives no
    /// figure), Some = ½, and the funding minimums of 8 months and 187 hours.
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

/// The sane range of each `[programme]` figure: (key, lowest, highest).
pub const RANGES: [(&str, f64, f64); 6] = [
    ("duration_months", 1.0, 120.0),
    ("off_the_job_hours", 1.0, 20_000.0),
    ("price_gbp", 0.0, 1_000_000.0),
    ("some_factor", 0.0, 1.0),
    ("min_duration_months", 0.0, 120.0),
    ("min_off_the_job_hours", 0.0, 20_000.0),
];

impl Programme {
    fn figures(&self) -> [f64; 6] {
        [
            self.duration_months,
            self.off_the_job_hours,
            self.price_gbp,
            self.some_factor,
            self.min_duration_months,
            self.min_off_the_job_hours,
        ]
    }

    /// The first figure outside its sane range: (key, what is wrong).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        RANGES
            .iter()
            .zip(self.figures())
            .find(|((_, lo, hi), v)| !(v.is_finite() && *v >= *lo && *v <= *hi))
            .map(|((key, lo, hi), v)| {
                (
                    *key,
                    format!(
                        "must be a number from {} to {}, not {v}",
                        number(*lo),
                        number(*hi)
                    ),
                )
            })
    }
}

/// A funding minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minimum {
    /// The fewest off-the-job hours.
    OffTheJobHours,
    /// The shortest duration, in months.
    DurationMonths,
}

impl fmt::Display for Minimum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OffTheJobHours => "remaining off-the-job hours",
            Self::DurationMonths => "remaining duration (months)",
        })
    }
}

/// One funding minimum that what is left falls below.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shortfall {
    /// Which minimum.
    pub what: Minimum,
    /// What is left.
    pub left: f64,
    /// The minimum.
    pub minimum: f64,
}

impl Shortfall {
    /// "remaining off-the-job hours 142 < 187".
    pub fn words(&self) -> String {
        let (left, min) = match self.what {
            Minimum::OffTheJobHours => (hours_below(self.left, self.minimum), hours(self.minimum)),
            Minimum::DurationMonths => (
                one_decimal_below(self.left, self.minimum),
                one_decimal(self.minimum),
            ),
        };
        format!("{} {left} < {min}", self.what)
    }
}

/// Hours, with a decimal when rounding would hide that they are below the minimum.
fn hours_below(x: f64, minimum: f64) -> String {
    if x.round() >= minimum {
        two_decimals(x)
    } else {
        hours(x)
    }
}

/// Months, with more decimals when one would hide that they are below the minimum.
fn one_decimal_below(x: f64, minimum: f64) -> String {
    if (x * 10.0).round() / 10.0 >= minimum {
        two_decimals(x)
    } else {
        one_decimal(x)
    }
}

fn two_decimals(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Whether what is left can be funded.
#[derive(Debug, Clone, PartialEq)]
pub enum Eligibility {
    /// At or above both minimums.
    Fundable,
    /// Below one or both minimums.
    NotFundable(Vec<Shortfall>),
}

impl Eligibility {
    /// "fundable as planned" or "not fundable as planned: remaining off-the-job hours 142 < 187
    /// — the provider decides".
    pub fn words(&self) -> String {
        match self {
            Self::Fundable => "fundable as planned (at or above the funding minimums)".into(),
            Self::NotFundable(s) => format!(
                "not fundable as planned: {} — the provider decides",
                s.iter()
                    .map(Shortfall::words)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Whether it is fundable.
    pub fn is_fundable(&self) -> bool {
        matches!(self, Self::Fundable)
    }
}

/// The estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The figures it started from.
    pub programme: Programme,
    /// Share of KSBs already met, 0.0–1.0 (each KSB once; agreed ratings where set).
    pub share_met: f64,
    /// Off-the-job hours prior learning removes.
    pub hours_removed: f64,
    /// Months prior learning removes.
    pub months_removed: f64,
    /// Off-the-job hours left.
    pub hours: f64,
    /// Duration left, in months.
    pub duration_months: f64,
    /// Whether what is left meets the funding minimums.
    pub eligibility: Eligibility,
    /// The smallest price reduction, as a percentage of the price (half the percentage of hours
    /// removed).
    pub price_reduction_percent: f64,
    /// The smallest price reduction in pounds.
    pub price_reduction_gbp: f64,
    /// Questions not yet answered (counted as not met).
    pub unanswered: usize,
    /// Questions in the scan.
    pub questions: usize,
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
        let hours = hours_planned * (1.0 - share);
        let duration_months = months_planned * (1.0 - share);
        let hours_removed = hours_planned - hours;
        let months_removed = months_planned - duration_months;
        let mut shortfalls = Vec::new();
        let min_hours = clean(programme.min_off_the_job_hours);
        let min_months = clean(programme.min_duration_months);
        if hours < min_hours {
            shortfalls.push(Shortfall {
                what: Minimum::OffTheJobHours,
                left: hours,
                minimum: min_hours,
            });
        }
        if duration_months < min_months {
            shortfalls.push(Shortfall {
                what: Minimum::DurationMonths,
                left: duration_months,
                minimum: min_months,
            });
        }
        let eligibility = if shortfalls.is_empty() {
            Eligibility::Fundable
        } else {
            Eligibility::NotFundable(shortfalls)
        };
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
            eligibility,
            price_reduction_percent,
            price_reduction_gbp: clean(programme.price_gbp) * price_reduction_percent / 100.0,
            unanswered: 0,
            questions: 0,
        }
    }

    /// The estimate for a scan: the share of its distinct KSBs met, by the agreed ratings where
    /// set (the learner's elsewhere), with Some counted by the programme's factor.
    pub fn of(scan: &Scan, programme: Programme) -> Self {
        let score = Score::of(scan, Basis::Agreed, programme.some_factor);
        Self {
            unanswered: scan.unanswered_count(),
            questions: scan.question_count(),
            ..Self::from_share(score.overall, programme)
        }
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

    /// "9 of 25 questions unanswered (counted as not met)", when the scan is unfinished.
    pub fn unfinished_words(&self) -> Option<String> {
        (self.unanswered > 0).then(|| {
            format!(
                "{} of {} questions unanswered (counted as not met): the scan is unfinished",
                self.unanswered, self.questions
            )
        })
    }

    /// The headline in one line, for tables: "62% met" or "62% met; not fundable as planned: …".
    pub fn headline(&self) -> String {
        let mut s = format!("{}%", self.share_percent());
        if let Eligibility::NotFundable(_) = self.eligibility {
            s.push_str("; ");
            s.push_str(&self.eligibility.words());
        }
        s
    }

    /// How it was worked out, in a few sentences.
    pub fn method(&self) -> String {
        let p = &self.programme;
        format!(
            "Share of KSBs already met: each KSB of the standard counted once, Yes as 1, Some as {}, No or not yet rated as 0, \
             using the coach's agreed rating for the KSB, else the lowest rating of the questions covering it. \
             That share of the planned {} off-the-job hours and {} months is removed. \
             An apprenticeship needs at least {} off-the-job hours and {} months: below either, the plan is not fundable as it stands. \
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
        let mut out = vec![("KSBs already met", format!("{}%", self.share_percent()))];
        if let Some(u) = self.unfinished_words() {
            out.push(("Unfinished", u));
        }
        out.extend([
            (
                "Off-the-job hours",
                format!(
                    "{} planned, {} removed ({}%), {} left",
                    hours(p.off_the_job_hours),
                    hours(self.hours_removed),
                    one_decimal(self.hours_removed_percent()),
                    hours(self.hours),
                ),
            ),
            (
                "Duration",
                format!(
                    "{} months planned, {} removed, {} left",
                    one_decimal(p.duration_months),
                    one_decimal(self.months_removed),
                    one_decimal(self.duration_months),
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
            ("Funding", self.eligibility.words()),
        ]);
        out
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

    /// (share, hours left, hours removed, months left, price %, £, fundable)
    type Case = (f64, f64, f64, f64, f64, f64, bool);

    #[test]
    fn case_table_with_default_programme() {
        // 400 h, 15 months, £5,000, minimums 187 h and 8 months.
        let cases: &[Case] = &[
            (0.0, 400.0, 0.0, 15.0, 0.0, 0.0, true),
            (0.1, 360.0, 40.0, 13.5, 5.0, 250.0, true),
            (0.2, 320.0, 80.0, 12.0, 10.0, 500.0, true),
            (0.4, 240.0, 160.0, 9.0, 20.0, 1000.0, true),
            // 15 × 0.5 = 7.5 < 8 months: not fundable, though 200 hours are above 187.
            (0.5, 200.0, 200.0, 7.5, 25.0, 1250.0, false),
            (0.55, 180.0, 220.0, 6.75, 27.5, 1375.0, false),
            (1.0, 0.0, 400.0, 0.0, 50.0, 2500.0, false),
        ];
        for &(share, h, hr, m, pct, gbp, fundable) in cases {
            let e = Estimate::from_share(share, Programme::default());
            assert!(close(e.hours, h), "share {share}: hours {}", e.hours);
            assert!(close(e.hours_removed, hr), "share {share}: removed");
            assert!(
                close(e.duration_months, m),
                "share {share}: months {}",
                e.duration_months
            );
            assert!(
                close(e.months_removed, 15.0 - m),
                "share {share}: months removed"
            );
            assert!(
                close(e.price_reduction_percent, pct),
                "share {share}: price %"
            );
            assert!(close(e.price_reduction_gbp, gbp), "share {share}: £");
            assert_eq!(e.eligibility.is_fundable(), fundable, "share {share}");
        }
    }

    /// The eligibility edges: exactly at a minimum is fundable, a hair below is not, and the
    /// words name each minimum missed.
    #[test]
    fn eligibility_edges() {
        let p = Programme {
            duration_months: 24.0,
            ..Programme::default()
        };
        // (share, fundable, words)
        let cases: &[(f64, bool, &str)] = &[
            // 400 × (1 − 0.5325) = 187 exactly.
            (
                0.5325,
                true,
                "fundable as planned (at or above the funding minimums)",
            ),
            (
                0.5326,
                false,
                "not fundable as planned: remaining off-the-job hours 186.96 < 187 — the provider decides",
            ),
            (
                0.645,
                false,
                "not fundable as planned: remaining off-the-job hours 142 < 187 — the provider decides",
            ),
            // 24 × (1 − 2/3) = 8 months exactly, hours 133.3 below.
            (
                0.7,
                false,
                "not fundable as planned: remaining off-the-job hours 120 < 187, remaining duration (months) 7.2 < 8 — the provider decides",
            ),
        ];
        for &(share, fundable, words) in cases {
            let e = Estimate::from_share(share, p);
            assert_eq!(e.eligibility.is_fundable(), fundable, "share {share}");
            assert_eq!(e.eligibility.words(), words, "share {share}");
        }
        // Exactly 8 months left is fundable on duration.
        let q = Programme {
            duration_months: 16.0,
            off_the_job_hours: 1000.0,
            ..Programme::default()
        };
        assert!(Estimate::from_share(0.5, q).eligibility.is_fundable());
        assert!(!Estimate::from_share(0.5001, q).eligibility.is_fundable());
        // A plan already below a minimum is not fundable even with nothing met.
        let low = Programme {
            duration_months: 6.0,
            ..Programme::default()
        };
        let e = Estimate::from_share(0.0, low);
        assert_eq!(
            e.eligibility.words(),
            "not fundable as planned: remaining duration (months) 6 < 8 — the provider decides"
        );
    }

    #[test]
    fn programme_ranges() {
        assert_eq!(Programme::default().problem(), None);
        let cases: &[(Programme, &str)] = &[
            (
                Programme {
                    duration_months: 1e308,
                    ..Programme::default()
                },
                "duration_months",
            ),
            (
                Programme {
                    off_the_job_hours: f64::NAN,
                    ..Programme::default()
                },
                "off_the_job_hours",
            ),
            (
                Programme {
                    off_the_job_hours: 0.0,
                    ..Programme::default()
                },
                "off_the_job_hours",
            ),
            (
                Programme {
                    price_gbp: -1.0,
                    ..Programme::default()
                },
                "price_gbp",
            ),
            (
                Programme {
                    some_factor: 1.5,
                    ..Programme::default()
                },
                "some_factor",
            ),
            (
                Programme {
                    min_duration_months: f64::INFINITY,
                    ..Programme::default()
                },
                "min_duration_months",
            ),
            (
                Programme {
                    min_off_the_job_hours: 1e9,
                    ..Programme::default()
                },
                "min_off_the_job_hours",
            ),
        ];
        for (p, key) in cases {
            let (k, msg) = p.problem().expect("refused");
            assert_eq!(k, *key);
            assert!(msg.starts_with("must be a number from"), "{msg}");
        }
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
    fn scan_uses_agreed_per_ksb_share_and_counts_unanswered() {
        let e = Estimate::of(&blank(), Programme::default());
        assert!(close(e.share_met, 0.0));
        assert_eq!(e.unanswered, 25);
        assert!(
            e.lines()
                .iter()
                .any(|(k, v)| *k == "Unfinished" && v.starts_with("25 of 25 questions unanswered"))
        );
        let mut s = complete(&[]);
        let full = Estimate::of(&s, Programme::default());
        assert!(close(full.share_met, 1.0));
        assert!(full.unfinished_words().is_none());
        let n = Score::of(&s, Basis::Agreed, 0.5).ksbs.total() as f64;
        s.set_agreed_rating(&"d1-knowledge".into(), Some(Rating::No), t(5));
        let e = Estimate::of(&s, Programme::default());
        assert!(close(e.share_met, (n - 11.0) / n));
        s.set_agreed_ksb_rating(&"K1".into(), Some(Rating::Yes), t(6));
        assert!(close(
            Estimate::of(&s, Programme::default()).share_met,
            (n - 10.0) / n
        ));
    }

    #[test]
    fn lines_and_method_say_what_limited_it() {
        let e = Estimate::from_share(
            0.645,
            Programme {
                duration_months: 24.0,
                ..Programme::default()
            },
        );
        let lines = e.lines();
        assert_eq!(lines[0], ("KSBs already met", "65%".to_string()));
        assert_eq!(lines[1].1, "400 planned, 258 removed (64.5%), 142 left");
        assert_eq!(lines[2].1, "24 months planned, 15.5 removed, 8.5 left");
        assert_eq!(lines[3].1, "at least £1,612.50 (32.3% of £5,000)");
        assert_eq!(lines[4], ("Funding", "not fundable as planned: remaining off-the-job hours 142 < 187 — the provider decides".to_string()));
        assert!(e.headline().starts_with("65%; not fundable as planned"));
        let m = e.method();
        assert!(
            m.contains("Some as ½")
                && m.contains("187 off-the-job hours")
                && m.contains("8 months")
        );
        let zero = Estimate::from_share(0.0, Programme::default()).lines();
        assert_eq!(zero[3].1, "at least £0 (0% of £5,000)");
        assert!(zero[4].1.starts_with("fundable"));
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(pounds(1_234_567.5), "£1,234,567.50");
        assert_eq!(pounds(999.0), "£999");
        assert_eq!(one_decimal(13.25), "13.3");
        assert_eq!(one_decimal(8.0), "8");
        assert_eq!(hours(186.6), "187");
        assert_eq!(hours_below(186.6, 187.0), "186.6");
    }
}
