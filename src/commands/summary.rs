//! `skills-scan summary FILE`: a scan's summary as text, Markdown, HTML or JSON.
//!
//! The JSON form ([`JsonSummary`]) is for scripts and is stable: fields are only ever added.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::cli::SummaryFormat;
use crate::commands::Context;
use crate::core::ksb::{self, Source};
use crate::core::plan::development_areas;
use crate::core::record::{self, Seal};
use crate::core::rpl::{self, Estimate};
use crate::core::scan::{Rating, Validation};
use crate::core::score::{self, Basis, Counts, Score};
use crate::core::standard::QuestionKind;
use crate::core::summary;
use crate::core::{Scan, Standard};
use crate::exit::CmdResult;

/// The format name at the top of the JSON summary.
pub const JSON_FORMAT: &str = "skills-scan-summary";
/// Its version; fields are only ever added within a version. Version 2: one headline figure
/// from per-KSB ratings (`ksb_percent` gone), per-KSB ratings, per-duty counts, the seal, the
/// eligibility of the estimate and the modified-standard check.
pub const JSON_FORMAT_VERSION: u32 = 2;

/// `summary --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonSummary {
    /// Always `skills-scan-summary`.
    pub format: &'static str,
    /// The summary format version.
    pub format_version: u32,
    /// The scan's id.
    pub scan_id: String,
    /// The learner.
    pub learner: Person,
    /// The line manager.
    pub manager: Person,
    /// The standard the scan was made against.
    pub standard: StandardInfo,
    /// `in_progress` or `submitted`.
    pub status: &'static str,
    /// When the learner submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When the scan was last changed.
    pub updated: DateTime<Utc>,
    /// Questions answered.
    pub answered: usize,
    /// Questions in the scan.
    pub questions: usize,
    /// How many questions were rated each way: the learner's ratings, and the agreed ones (the
    /// learner's where none was agreed).
    pub counts: CountsBy,
    /// The prior-learning figures.
    pub prior_learning: PriorLearning,
    /// Every question in order, with the learner's answer and the coach's review.
    pub answers: Vec<JsonAnswer>,
    /// Every distinct KSB once, with its rating (agreed for the KSB, or derived).
    pub ksbs: Vec<JsonKsbRating>,
    /// KSBs to develop (Some, No or not rated), each once, under the first question covering
    /// it, grouped by duty.
    pub development_areas: Vec<JsonGroup>,
    /// The planning meeting's validation record.
    pub validation: JsonValidation,
    /// How many answers hold something that may identify a person (a count, never the details).
    pub answers_with_warnings: usize,
    /// For a later scan: "Progress since DATE" against the earlier scan it follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<summary::ProgressSection>,
    /// When the scan's copy of its standard differs from the approved one: what differs.
    pub modified_standard: Option<Vec<String>>,
}

/// One KSB's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonKsbRating {
    /// `K1`, `S3`…
    pub code: String,
    /// Its rating (agreed basis); null while a question covering it is unanswered.
    pub rating: Option<Rating>,
    /// `agreed` (set by the coach for this KSB) or `derived` (lowest of its questions).
    pub source: Source,
    /// The coach's note on this KSB.
    pub note: String,
    /// The questions covering it.
    pub questions: Vec<String>,
}

/// A person's name and email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Name (may be empty for a manager).
    pub name: String,
    /// Email address.
    pub email: String,
}

/// The standard, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandardInfo {
    /// e.g. `ST0896`.
    pub reference: String,
    /// e.g. `1.0`.
    pub version: String,
    /// e.g. `Peer worker`.
    pub title: String,
    /// Level.
    pub level: u8,
}

/// Counts by rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JsonCounts {
    /// Yes.
    pub yes: usize,
    /// Some.
    pub some: usize,
    /// No.
    pub no: usize,
    /// Not rated.
    pub unanswered: usize,
}

impl From<Counts> for JsonCounts {
    fn from(c: Counts) -> Self {
        Self {
            yes: c.yes,
            some: c.some,
            no: c.no,
            unanswered: c.unanswered,
        }
    }
}

/// Counts by the learner's ratings and by the agreed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CountsBy {
    /// The learner's own ratings.
    pub learner: JsonCounts,
    /// Agreed ratings, the learner's where none was agreed.
    pub agreed: JsonCounts,
}

/// One scoring of the scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonScore {
    /// Share of the standard's distinct KSBs met (each counted once), whole percent.
    pub percent: u32,
    /// Distinct KSBs by rating.
    pub ksb_counts: JsonCounts,
    /// How many KSB ratings are derived from the questions.
    pub derived: usize,
    /// Per duty, then the behaviours.
    pub parts: Vec<JsonPart>,
}

/// One part's figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonPart {
    /// `Duty 1` … or `Behaviours`.
    pub part: String,
    /// Share of the part's KSBs met, whole percent.
    pub percent: u32,
    /// The part's questions by rating.
    pub counts: JsonCounts,
    /// The part's distinct KSBs by rating.
    pub ksb_counts: JsonCounts,
}

/// The prior-learning figures: the scores and the RPL estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorLearning {
    /// What Some counts for.
    pub some_factor: f64,
    /// By the learner's own ratings.
    pub learner: JsonScore,
    /// By the agreed ratings (the learner's where none agreed).
    pub agreed: JsonScore,
    /// How the scores are worked out.
    pub method: String,
    /// The indicative RPL estimate.
    pub estimate: JsonEstimate,
}

/// The indicative RPL estimate (hours and pounds to 2 decimals).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonEstimate {
    /// "indicative — the provider decides".
    pub label: &'static str,
    /// Share of KSBs already met, whole percent.
    pub ksbs_met_percent: u32,
    /// Planned off-the-job hours.
    pub planned_hours: f64,
    /// Hours removed.
    pub hours_removed: f64,
    /// Hours left.
    pub hours_left: f64,
    /// The minimum hours.
    pub min_hours: f64,
    /// Planned duration in months.
    pub planned_months: f64,
    /// Months removed.
    pub months_removed: f64,
    /// Months left.
    pub months_left: f64,
    /// The minimum duration in months.
    pub min_months: f64,
    /// The agreed price.
    pub price_gbp: f64,
    /// The smallest price reduction, percent.
    pub price_reduction_percent: f64,
    /// The smallest price reduction, pounds.
    pub price_reduction_gbp: f64,
    /// Whether what is left meets the funding minimums.
    pub fundable: bool,
    /// "fundable as planned …" or "not fundable as planned: … — the provider decides".
    pub eligibility: String,
    /// Questions unanswered (counted as not met).
    pub unanswered: usize,
    /// How it was worked out.
    pub method: String,
}

/// One question with its answer and review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonAnswer {
    /// Question id, e.g. `d3-skills`.
    pub id: String,
    /// `Duty 3` or `Behaviours`.
    pub part: String,
    /// `skills`, `knowledge` or `behaviour`.
    pub kind: QuestionKind,
    /// KSB codes the question covers.
    pub ksbs: Vec<String>,
    /// The learner's rating.
    pub rating: Option<Rating>,
    /// The learner's text, in full.
    pub text: String,
    /// The coach's agreed rating.
    pub agreed_rating: Option<Rating>,
    /// The coach's note.
    pub note: String,
    /// The rating that counts: agreed, else the learner's.
    pub effective_rating: Option<Rating>,
}

/// A duty's areas for development.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonGroup {
    /// `Duty 2` or `Behaviours`.
    pub part: String,
    /// The duty's title.
    pub title: String,
    /// Its areas.
    pub areas: Vec<JsonArea>,
}

/// One area for development.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonArea {
    /// The question id.
    pub question_id: String,
    /// The question's rating (agreed where set).
    pub rating: Option<Rating>,
    /// The coach's note on the question.
    pub note: String,
    /// KSB codes with their statements and ratings.
    pub ksbs: Vec<JsonKsb>,
}

/// A KSB statement in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonKsb {
    /// `K1`, `S3`…
    pub code: String,
    /// The statement.
    pub text: String,
    /// Its rating.
    pub rating: Option<Rating>,
    /// `agreed` or `derived`.
    pub source: Source,
    /// The coach's note on it.
    pub note: String,
}

/// The validation record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonValidation {
    /// Date of the planning meeting.
    pub meeting_date: Option<NaiveDate>,
    /// The coach's name.
    pub coach_name: String,
    /// The manager's name.
    pub manager_name: String,
    /// Whether the manager validated the scan as accurate.
    pub validated_by_manager: bool,
    /// When the record was last changed.
    pub recorded_at: Option<DateTime<Utc>>,
    /// When the validation was recorded and sealed.
    pub validated_at: Option<DateTime<Utc>>,
    /// `not_validated`, `validated`, `changed_since_validation` or `validated_unsealed`.
    pub state: &'static str,
    /// The seal (SHA-256 of what was validated), if any.
    pub fingerprint: Option<String>,
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn json_score(s: &Score) -> JsonScore {
    JsonScore {
        percent: s.percent(),
        ksb_counts: s.ksbs.into(),
        derived: s.derived,
        parts: s
            .parts
            .iter()
            .map(|p| JsonPart {
                part: p.part.to_string(),
                percent: score::percent(p.share),
                counts: p.counts.into(),
                ksb_counts: p.ksbs.into(),
            })
            .collect(),
    }
}

fn json_estimate(e: &Estimate) -> JsonEstimate {
    let p = &e.programme;
    JsonEstimate {
        label: rpl::LABEL,
        ksbs_met_percent: e.share_percent(),
        planned_hours: two_decimals(p.off_the_job_hours),
        hours_removed: two_decimals(e.hours_removed),
        hours_left: two_decimals(e.hours),
        min_hours: two_decimals(p.min_off_the_job_hours),
        planned_months: two_decimals(p.duration_months),
        months_removed: two_decimals(e.months_removed),
        months_left: two_decimals(e.duration_months),
        min_months: two_decimals(p.min_duration_months),
        price_gbp: two_decimals(p.price_gbp),
        price_reduction_percent: two_decimals(e.price_reduction_percent),
        price_reduction_gbp: two_decimals(e.price_reduction_gbp),
        fundable: e.eligibility.is_fundable(),
        eligibility: e.eligibility.words(),
        unanswered: e.unanswered,
        method: e.method(),
    }
}

impl JsonSummary {
    /// The summary of a scan, with the programme figures for the RPL estimate and the approved
    /// standards to check its copy against.
    pub fn of(scan: &Scan, programme: rpl::Programme, known: &[Standard]) -> Self {
        let factor = programme.some_factor;
        let learner = Score::of(scan, Basis::Learner, factor);
        let agreed = Score::of(scan, Basis::Agreed, factor);
        let standard = scan.standard();
        let answers = standard
            .questions()
            .map(|l| {
                let id = &l.question.id;
                let answer = scan.answer(id);
                let review = scan.agreed(id);
                JsonAnswer {
                    id: id.clone(),
                    part: l.part.to_string(),
                    kind: l.question.kind,
                    ksbs: l.question.ksbs.clone(),
                    rating: answer.and_then(|a| a.rating),
                    text: answer.map(|a| a.text.clone()).unwrap_or_default(),
                    agreed_rating: review.and_then(|r| r.rating),
                    note: review.map(|r| r.note.clone()).unwrap_or_default(),
                    effective_rating: scan.effective_rating(id),
                }
            })
            .collect();
        let development_areas = development_areas(scan, Basis::Agreed)
            .into_iter()
            .map(|g| JsonGroup {
                part: g.part.to_string(),
                title: g.title.to_string(),
                areas: g
                    .areas
                    .into_iter()
                    .map(|a| JsonArea {
                        question_id: a.question.id.clone(),
                        rating: a.rating,
                        note: a.note.to_string(),
                        ksbs: a
                            .ksbs
                            .into_iter()
                            .map(|k| JsonKsb {
                                code: k.ksb.code.clone(),
                                text: k.ksb.text.clone(),
                                rating: k.rating,
                                source: k.source,
                                note: k.note.to_string(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let ksbs = ksb::evaluate(scan, Basis::Agreed)
            .into_iter()
            .map(|k| JsonKsbRating {
                code: k.ksb.code.clone(),
                rating: k.rating,
                source: k.source,
                note: k.note.to_string(),
                questions: k.questions.iter().map(ToString::to_string).collect(),
            })
            .collect();
        let state = match Seal::of(scan) {
            Seal::NotValidated => "not_validated",
            Seal::Validated { .. } => "validated",
            Seal::ChangedSince { .. } => "changed_since_validation",
            Seal::Unsealed { .. } => "validated_unsealed",
        };
        let v: Validation = scan
            .review
            .as_ref()
            .map(|r| r.validation.clone())
            .unwrap_or_default();
        Self {
            format: JSON_FORMAT,
            format_version: JSON_FORMAT_VERSION,
            scan_id: scan.id.clone(),
            learner: Person {
                name: scan.learner.name.clone(),
                email: scan.learner.email.clone(),
            },
            manager: Person {
                name: scan.manager.name.clone(),
                email: scan.manager.email.clone(),
            },
            standard: StandardInfo {
                reference: scan.standard.reference.clone(),
                version: scan.standard.version.clone(),
                title: standard.title.clone(),
                level: standard.level,
            },
            status: if scan.is_submitted() {
                "submitted"
            } else {
                "in_progress"
            },
            submitted_at: scan.submitted_at(),
            updated: scan.updated,
            answered: scan.answered_count(),
            questions: scan.question_count(),
            counts: CountsBy {
                learner: learner.counts.into(),
                agreed: agreed.counts.into(),
            },
            prior_learning: PriorLearning {
                some_factor: factor,
                learner: json_score(&learner),
                agreed: json_score(&agreed),
                method: score::method(factor),
                estimate: json_estimate(&Estimate::of(scan, programme)),
            },
            answers,
            ksbs,
            development_areas,
            validation: JsonValidation {
                meeting_date: v.meeting_date,
                coach_name: v.coach_name,
                manager_name: v.manager_name,
                validated_by_manager: v.validated_by_manager,
                recorded_at: v.recorded_at,
                validated_at: v.validated_at,
                state,
                fingerprint: v.fingerprint,
            },
            answers_with_warnings: crate::core::guard::flagged_answers(scan).len(),
            progress: None,
            modified_standard: record::modified_standard(scan, known),
        }
    }
}

/// Runs `summary`.
pub fn run(ctx: &Context, file: &Path, format: SummaryFormat) -> CmdResult {
    let scan = crate::commands::load_scan(file)?;
    let config = ctx.config()?;
    let earlier = scan.follows.as_ref().and_then(|_| {
        let folders = ctx.earlier_folders(Some(file));
        crate::storage::earlier::find_earlier(&scan, &folders)
    });
    let programme = config.programme;
    let known = ctx.known_standards();
    let mut out = crate::out::stdout();
    match format {
        SummaryFormat::Json => {
            let mut json = JsonSummary::of(&scan, programme, &known);
            json.progress = summary::Summary::build(&scan, &summary::Options::default())
                .with_progress(&scan, earlier.as_ref())
                .progress;
            crate::out::json(&mut out, &json)?;
        }
        SummaryFormat::Text | SummaryFormat::Markdown | SummaryFormat::Html => {
            let options = summary::Options {
                eportfolio: config.eportfolio().to_string(),
                some_factor: programme.some_factor,
            };
            let s = summary::Summary::build(&scan, &options)
                .with_rpl(&Estimate::of(&scan, programme))
                .with_guard(&scan)
                .with_validation(&scan)
                .with_known_standards(&scan, &known)
                .with_progress(&scan, earlier.as_ref());
            let text = match format {
                SummaryFormat::Markdown => s.to_markdown(),
                SummaryFormat::Html => s.to_html(),
                _ => s.to_text(),
            };
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}
