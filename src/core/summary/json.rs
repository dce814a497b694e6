//! The summary as JSON, for scripts (`summary --format json`). Stable: fields are only ever
//! added within a version. Filled section by section from the same [`Summary`] as every other
//! format (the scan as typed, uncleaned, from [`Summary::record`]), then written in one fixed
//! key order.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{Person, ProgressSection, Render, Summary};
use crate::core::ksb::Source;
use crate::core::rpl::{self, Estimate};
use crate::core::scan::Rating;
use crate::core::score::{self, Counts, Score};
use crate::core::standard::{KsbCode, QuestionId, QuestionKind};

/// The format name at the top of the JSON summary.
pub const JSON_FORMAT: &str = "skills-scan-summary";
/// Its version; fields are only ever added within a version. Version 2: one headline figure
/// from per-KSB ratings (`ksb_percent` gone), per-KSB ratings, per-duty counts, the seal, the
/// eligibility of the estimate and the modified-standard check.
pub const JSON_FORMAT_VERSION: u32 = 2;

/// `summary --format json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    pub status: Status,
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
    pub progress: Option<ProgressSection>,
    /// When the scan's copy of its standard differs from the approved one: what differs.
    pub modified_standard: Option<Vec<String>>,
}

/// One KSB's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonKsbRating {
    /// `K1`, `S3`…
    pub code: KsbCode,
    /// Its rating (agreed basis); null while a question covering it is unanswered.
    pub rating: Option<Rating>,
    /// `agreed` (set by the coach for this KSB) or `derived` (lowest of its questions).
    pub source: Source,
    /// The coach's note on this KSB.
    pub note: String,
    /// The questions covering it.
    pub questions: Vec<String>,
}

/// The standard, briefly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CountsBy {
    /// The learner's own ratings.
    pub learner: JsonCounts,
    /// Agreed ratings, the learner's where none was agreed.
    pub agreed: JsonCounts,
}

/// One scoring of the scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    pub id: QuestionId,
    /// `Duty 3` or `Behaviours`.
    pub part: String,
    /// `skills`, `knowledge` or `behaviour`.
    pub kind: QuestionKind,
    /// KSB codes the question covers.
    pub ksbs: Vec<KsbCode>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    pub question_id: QuestionId,
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
    pub code: KsbCode,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    pub state: SealState,
    /// The seal (SHA-256 of what was validated), if any.
    pub fingerprint: Option<String>,
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(super) fn json_score(s: &Score) -> JsonScore {
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

pub(super) fn json_estimate(e: &Estimate) -> JsonEstimate {
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

/// `in_progress` or `submitted` (in that order when sorted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not submitted yet.
    #[default]
    InProgress,
    /// Submitted by the learner.
    Submitted,
}

/// The validation record's state (see [`crate::core::record::Seal`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SealState {
    /// No validation recorded.
    #[default]
    NotValidated,
    /// Validated and unchanged since.
    Validated,
    /// Changed since it was validated.
    ChangedSinceValidation,
    /// Validated before validations were sealed.
    ValidatedUnsealed,
}

/// Renders the summary as its JSON value (the caller writes it out).
pub(super) fn render(s: &Summary) -> JsonSummary {
    let mut json = Json(JsonSummary {
        format: JSON_FORMAT,
        format_version: JSON_FORMAT_VERSION,
        ..JsonSummary::default()
    });
    super::render_sections(&mut json, s, &super::ORDER);
    json.0
}

/// The JSON summary, filled in section by section: each section fills its own keys; the
/// struct's field order is the output's key order.
struct Json(JsonSummary);

impl Render for Json {
    fn header(&mut self, s: &Summary) {
        let r = &s.record;
        let out = &mut self.0;
        out.scan_id.clone_from(&r.scan_id);
        out.learner = r.learner.clone();
        out.manager = r.manager.clone();
        out.standard = r.standard.clone();
        out.status = r.status;
        out.submitted_at = s.submitted;
        out.updated = r.updated;
        out.answered = r.answered;
        out.questions = r.questions;
        out.answers_with_warnings = s.answers_with_warnings.unwrap_or(0);
    }

    fn notices(&mut self, s: &Summary) {
        self.0
            .modified_standard
            .clone_from(&s.record.modified_standard);
    }

    fn ratings(&mut self, s: &Summary) {
        let r = &s.record;
        self.0.counts = CountsBy {
            learner: r.learner_score.counts.into(),
            agreed: r.agreed_score.counts.into(),
        };
        self.0.ksbs.clone_from(&r.ksbs);
    }

    fn prior_learning(&mut self, s: &Summary) {
        let r = &s.record;
        let p = &mut self.0.prior_learning;
        p.some_factor = r.some_factor;
        p.learner = json_score(&r.learner_score);
        p.agreed = json_score(&r.agreed_score);
        p.method = score::method(r.some_factor);
    }

    fn progress(&mut self, s: &Summary) {
        self.0.progress.clone_from(&s.progress);
    }

    fn rpl(&mut self, s: &Summary) {
        let r = &s.record;
        // Without the provider's programme (see `Summary::with_rpl`), the default one's.
        let estimate = r.estimate.clone().unwrap_or_else(|| Estimate {
            unanswered: r.questions.saturating_sub(r.answered),
            questions: r.questions,
            ..Estimate::from_share(
                r.agreed_score.overall,
                rpl::Programme {
                    some_factor: r.some_factor,
                    ..rpl::Programme::default()
                },
            )
        });
        self.0.prior_learning.estimate = json_estimate(&estimate);
    }

    fn validation(&mut self, s: &Summary) {
        self.0.validation.clone_from(&s.record.validation);
    }

    fn development(&mut self, s: &Summary) {
        self.0.development_areas.clone_from(&s.record.development);
    }

    fn justifications(&mut self, s: &Summary) {
        self.0.answers.clone_from(&s.record.answers);
    }

    fn next_steps(&mut self, _: &Summary) {
        // Scripts get the figures, not the closing text written for the learner.
    }
}
