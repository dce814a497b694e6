//! The scan's summary: built once from a scan as one model, [`Summary`] — what people read as
//! plain cleaned values (all text cleaned of control characters, ANSI escapes and bidi
//! overrides), and the scan as typed for scripts ([`Record`]) — then rendered by one module per
//! format: `text`, `markdown`, `html`, `json`, and `letter` (the email, text and HTML).
//!
//! Pure: no clock, files or network. Used by the email, the `summary` command and the coach view.
//!
//! Every format renders the same [`Section`]s through the [`Render`] trait, one method per
//! section, in an order given once: [`ORDER`] for the summary, [`letter::ORDER`] for the email.
//! Titles and fixed sentences are in [`words`]. To add a section (e.g. an RPL estimate): add its
//! values to [`Summary`] and fill them in [`Summary::build`] (or a `with_…` step), add a
//! [`Section`] variant and put it in the orders, and add a method to [`Render`] — the compiler
//! then names each format that does not render it yet.

pub mod html;
pub mod json;
pub mod letter;
mod markdown;
pub mod sanitize;
mod text;
pub mod words;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ksb::{self, Source};
use super::plan::{self, development_areas};
use super::record::Seal;
use super::rpl::Estimate;
use super::scan::{Rating, Scan};
use super::score::{self, Basis, Score};
use super::standard::{Part, QuestionId, QuestionKind, fill_eportfolio};
pub use letter::{Glance, Letter};
use sanitize::{clean_line, clean_text};

/// The summary's sections, each rendered by every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The title and who and what the scan is about (and the confidentiality line).
    Header,
    /// Warnings the reader must see first.
    Notices,
    /// Every duty's and behaviour's ratings.
    Ratings,
    /// The indicative prior-learning figure.
    PriorLearning,
    /// "Progress since DATE", for a later scan.
    Progress,
    /// The indicative RPL estimate (the coach's summary).
    Rpl,
    /// The planning meeting's validation record (the coach's summary).
    Validation,
    /// The areas for development.
    Development,
    /// The learner's own words on every question.
    Justifications,
    /// The closing text.
    NextSteps,
}

/// The summary's order of sections (every format but the email).
pub const ORDER: [Section; 10] = [
    Section::Header,
    Section::Notices,
    Section::Ratings,
    Section::PriorLearning,
    Section::Progress,
    Section::Rpl,
    Section::Validation,
    Section::Development,
    Section::Justifications,
    Section::NextSteps,
];

/// A format: one method per section, each adding that section of `s` to the output (or nothing,
/// when the summary does not have it, such as the RPL estimate outside the coach's summary).
pub trait Render {
    /// [`Section::Header`].
    fn header(&mut self, s: &Summary);
    /// [`Section::Notices`].
    fn notices(&mut self, s: &Summary);
    /// [`Section::Ratings`].
    fn ratings(&mut self, s: &Summary);
    /// [`Section::PriorLearning`].
    fn prior_learning(&mut self, s: &Summary);
    /// [`Section::Progress`].
    fn progress(&mut self, s: &Summary);
    /// [`Section::Rpl`].
    fn rpl(&mut self, s: &Summary);
    /// [`Section::Validation`].
    fn validation(&mut self, s: &Summary);
    /// [`Section::Development`].
    fn development(&mut self, s: &Summary);
    /// [`Section::Justifications`].
    fn justifications(&mut self, s: &Summary);
    /// [`Section::NextSteps`].
    fn next_steps(&mut self, s: &Summary);
}

/// Renders `order`'s sections of `s` with `r`, in that order.
pub fn render_sections(r: &mut impl Render, s: &Summary, order: &[Section]) {
    for section in order {
        match section {
            Section::Header => r.header(s),
            Section::Notices => r.notices(s),
            Section::Ratings => r.ratings(s),
            Section::PriorLearning => r.prior_learning(s),
            Section::Progress => r.progress(s),
            Section::Rpl => r.rpl(s),
            Section::Validation => r.validation(s),
            Section::Development => r.development(s),
            Section::Justifications => r.justifications(s),
            Section::NextSteps => r.next_steps(s),
        }
    }
}

/// What the summary needs beyond the scan (from the provider's config).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The e-portfolio named in the next steps.
    pub eportfolio: String,
    /// What Some counts for in the prior-learning figure.
    pub some_factor: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            eportfolio: "e-portfolio".into(),
            some_factor: score::DEFAULT_SOME_FACTOR,
        }
    }
}

/// A person named in the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Name (may be empty for the manager).
    pub name: String,
    /// Email address.
    pub email: String,
}

impl Person {
    /// "Name <email>", or the email alone when there is no name.
    pub fn display(&self) -> String {
        if self.name.is_empty() {
            self.email.clone()
        } else {
            format!("{} <{}>", self.name, self.email)
        }
    }
}

/// A learner's rating of one question beside the coach's agreed rating and note, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingCell {
    /// The learner's rating.
    pub learner: Option<Rating>,
    /// The coach's agreed rating, when set.
    pub agreed: Option<Rating>,
    /// The coach's note, cleaned; empty when none.
    pub note: String,
}

impl RatingCell {
    fn of(scan: &Scan, id: &QuestionId) -> Self {
        let agreed = scan.agreed(id);
        Self {
            learner: scan.rating(id),
            agreed: agreed.and_then(|a| a.rating),
            note: agreed.map(|a| clean_text(&a.note)).unwrap_or_default(),
        }
    }

    /// Whether the coach changed or commented on this rating.
    pub fn has_review(&self) -> bool {
        self.agreed.is_some() || !self.note.is_empty()
    }
}

/// "✔ Yes", "◐ Some", "✘ No" or "– Not answered".
pub fn rating_words(rating: Option<Rating>) -> String {
    rating.map_or_else(
        || "– Not answered".to_string(),
        |r| format!("{} {}", r.symbol(), r.label()),
    )
}

/// One duty's row of the ratings table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyRow {
    /// Duty number.
    pub number: u32,
    /// Duty title.
    pub title: String,
    /// The Skills question's ratings, if the duty has one.
    pub skills: Option<RatingCell>,
    /// The Knowledge question's ratings, if the duty has one.
    pub knowledge: Option<RatingCell>,
}

impl DutyRow {
    /// The Skills and Knowledge cells, in that order.
    pub fn cells(&self) -> [(QuestionKind, Option<&RatingCell>); 2] {
        [
            (QuestionKind::Skills, self.skills.as_ref()),
            (QuestionKind::Knowledge, self.knowledge.as_ref()),
        ]
    }
}

/// One behaviour's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BehaviourRow {
    /// Its KSB codes, e.g. `B1`.
    pub codes: String,
    /// The first KSB statement it covers (the behaviour itself).
    pub statement: String,
    /// Ratings.
    pub rating: RatingCell,
}

/// The indicative prior-learning figure: one headline, the share of the standard's KSBs met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorLearning {
    /// Share of the standard's distinct KSBs met, whole percent (each KSB counted once).
    pub percent: u32,
    /// Distinct KSBs evaluated.
    pub ksbs: usize,
    /// How many of them take their rating from the questions (the rest the coach agreed).
    pub derived: usize,
    /// Questions still unanswered (their KSBs count as not met).
    pub unanswered: usize,
    /// Whether the coach's agreed ratings were used where set.
    pub uses_agreed: bool,
    /// The headline sentence, the same in every format.
    pub statement: String,
    /// The method in one sentence.
    pub method: String,
}

/// One KSB statement with its rating in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KsbLine {
    /// `K1`, `S3`, `B2`.
    pub code: String,
    /// The statement.
    pub text: String,
    /// Its rating (None: not rated yet).
    pub rating: Option<Rating>,
    /// Whether the rating is derived from the questions (not agreed for this KSB).
    pub derived: bool,
    /// The coach's note on this KSB, cleaned; empty when none.
    pub note: String,
}

impl KsbLine {
    /// "◐ Some (derived)" or "✘ No (agreed)".
    pub fn rating_words(&self) -> String {
        format!(
            "{} ({})",
            rating_words(self.rating),
            if self.derived { "derived" } else { "agreed" }
        )
    }
}

/// One question's part of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DevelopmentArea {
    /// Skills, Knowledge or Behaviour.
    pub kind: QuestionKind,
    /// The question's rating (the agreed rating where set).
    pub rating: Option<Rating>,
    /// The coach's note on the question, cleaned; empty when none.
    pub note: String,
    /// The KSBs to develop, each listed once in the whole plan.
    pub ksbs: Vec<KsbLine>,
}

/// Areas for development of one duty (or the behaviours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentGroup {
    /// The duty, or the behaviours.
    pub part: Part,
    /// The duty's title; empty for the behaviours.
    pub title: String,
    /// Its areas.
    pub areas: Vec<DevelopmentArea>,
}

impl DevelopmentGroup {
    /// "Duty 3: Title", or "Behaviours".
    pub fn heading(&self) -> String {
        if self.title.is_empty() {
            self.part.to_string()
        } else {
            format!("{}: {}", self.part, self.title)
        }
    }
}

/// The learner's words on one question (and the coach's note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Justification {
    /// "Duty 1 – Skills" or "Behaviour" (its code is in `codes`).
    pub heading: String,
    /// The KSB codes, comma separated.
    pub codes: String,
    /// Ratings.
    pub rating: RatingCell,
    /// The learner's text, cleaned, in full (may be empty for No).
    pub text: String,
}

/// Everything the summary shows, as plain cleaned values, and the scan as typed for scripts.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The learner.
    pub learner: Person,
    /// The line manager.
    pub manager: Person,
    /// "Peer worker (level 3)".
    pub standard_name: String,
    /// "ST0896".
    pub standard_reference: String,
    /// "1.0".
    pub standard_version: String,
    /// When the learner submitted (None while in progress).
    pub submitted: Option<DateTime<Utc>>,
    /// Whether the coach has reviewed anything.
    pub reviewed: bool,
    /// One row per duty.
    pub duties: Vec<DutyRow>,
    /// One row per behaviour.
    pub behaviours: Vec<BehaviourRow>,
    /// The prior-learning figure.
    pub prior_learning: PriorLearning,
    /// Areas for development, grouped by duty.
    pub development: Vec<DevelopmentGroup>,
    /// Every question's justification, in walk order.
    pub justifications: Vec<Justification>,
    /// The closing text with the e-portfolio filled in.
    pub next_steps: String,
    /// The indicative RPL estimate: only in the coach's summary (see [`Summary::with_rpl`]).
    pub rpl: Option<RplSection>,
    /// The planning meeting's validation record: only in the coach's summary
    /// (see [`Summary::with_validation`]).
    pub validation: Option<ValidationSection>,
    /// Warnings shown at the top in every format: an unfinished scan, a change since
    /// validation, a modified standard.
    pub notices: Vec<String>,
    /// How many answers hold something that may identify a person (the confidentiality guard):
    /// only in the coach's summary (see [`Summary::with_guard`]). A count, never the details.
    pub answers_with_warnings: Option<usize>,
    /// For a later scan: the progress since the earlier scan it follows
    /// (see [`Summary::with_progress`]).
    pub progress: Option<ProgressSection>,
    /// The scan as typed, uncleaned, for scripts (`--format json`).
    pub record: Record,
}

/// The scan as recorded, typed and uncleaned: what `summary --format json` gives scripts. Built
/// in the same pass as the cleaned values people read.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The scan's id.
    pub scan_id: String,
    /// The learner, as typed.
    pub learner: Person,
    /// The line manager, as typed.
    pub manager: Person,
    /// The standard, briefly.
    pub standard: json::StandardInfo,
    /// In progress or submitted.
    pub status: json::Status,
    /// When the scan was last changed.
    pub updated: DateTime<Utc>,
    /// Questions answered.
    pub answered: usize,
    /// Questions in the scan.
    pub questions: usize,
    /// What Some counts for.
    pub some_factor: f64,
    /// The scores by the learner's own ratings.
    pub learner_score: Score,
    /// The scores by the agreed ratings (the learner's where none agreed).
    pub agreed_score: Score,
    /// The RPL estimate with the provider's programme (see [`Summary::with_rpl`]).
    pub estimate: Option<Estimate>,
    /// Every question in order, with the learner's answer and the coach's review.
    pub answers: Vec<json::JsonAnswer>,
    /// Every distinct KSB once, with its rating.
    pub ksbs: Vec<json::JsonKsbRating>,
    /// KSBs to develop, grouped by duty.
    pub development: Vec<json::JsonGroup>,
    /// The validation record.
    pub validation: json::JsonValidation,
    /// What differs from the approved standard (see [`Summary::with_known_standards`]).
    pub modified_standard: Option<Vec<String>>,
}

/// "Progress since DATE": a later scan against the earlier scan it follows, briefly. The full
/// comparison is `skills-scan compare`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressSection {
    /// "Progress since 2 March 2026".
    pub heading: String,
    /// (label, value) lines, the same in every format; empty when there is nothing to compare.
    pub lines: Vec<(String, String)>,
    /// The share met per duty (and the behaviours) at each date.
    pub parts: Vec<PartProgress>,
    /// What the reader should know: the earlier scan changed, was not found, or cannot be
    /// compared.
    pub notes: Vec<String>,
}

/// One part's share met at each date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartProgress {
    /// The duty or the behaviours ("Duty 3" or "Behaviours" in JSON).
    pub part: Part,
    /// Share met at the earlier date, whole percent.
    pub earlier: u32,
    /// Share met at the later date, whole percent.
    pub later: u32,
}

impl PartProgress {
    /// "Duty 3: 20% → 45%".
    pub fn words(&self) -> String {
        format!("{}: {}% → {}%", self.part, self.earlier, self.later)
    }
}

/// The planning meeting's validation record, cleaned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationSection {
    /// "23 November 2026", or "not recorded".
    pub meeting_date: String,
    /// The coach's name (may be empty).
    pub coach_name: String,
    /// The manager's name (may be empty).
    pub manager_name: String,
    /// Whether the manager validated the scan as accurate.
    pub validated_by_manager: bool,
    /// When the record was last changed, e.g. "23 November 2026 10:00 UTC".
    pub recorded: String,
    /// The seal in a sentence: validated and unchanged, or changed since validation.
    pub seal: String,
}

impl ValidationSection {
    /// The record as (label, value) lines, the same in every format: an empty name shows as a
    /// dash, the validation in words with a symbol. Values are cleaned but not escaped.
    pub fn lines(&self) -> [(&'static str, String); 5] {
        let or_dash = |t: &str| {
            if t.is_empty() {
                "–".to_string()
            } else {
                t.to_string()
            }
        };
        [
            ("Meeting date", self.meeting_date.clone()),
            ("Coach", or_dash(&self.coach_name)),
            ("Line manager", or_dash(&self.manager_name)),
            ("Validated", self.seal.clone()),
            ("Recorded", self.recorded.clone()),
        ]
    }
}

/// The indicative prior-learning (RPL) estimate, as labelled lines (see [`super::rpl`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RplSection {
    /// "indicative — the provider decides".
    pub label: String,
    /// (what, figures): KSBs met, hours, duration, price reduction.
    pub lines: Vec<(String, String)>,
    /// How it was worked out.
    pub method: String,
}

/// The headline figure and its sentence.
fn prior_learning(scan: &Scan, score: &Score, reviewed: bool, some_factor: f64) -> PriorLearning {
    let ksbs = score.ksbs.total();
    let basis = if reviewed {
        ", using the coach's agreed ratings where set"
    } else {
        ""
    };
    let meeting = scan
        .review
        .as_ref()
        .and_then(|r| r.validation.meeting_date)
        .map_or_else(
            || "your coach confirms it at the planning meeting".to_string(),
            |d| {
                format!(
                    "as reviewed at the planning meeting on {}",
                    d.format("%-d %B %Y")
                )
            },
        );
    let statement = format!(
        "{}% of the standard's {ksbs} KSBs already met (each KSB counted once; {} of them derived from the questions that cover them{basis}). This is indicative only: {meeting}.",
        score.percent(),
        score.derived,
    );
    PriorLearning {
        percent: score.percent(),
        ksbs,
        derived: score.derived,
        unanswered: scan.unanswered_count(),
        uses_agreed: reviewed,
        statement,
        method: score::method(some_factor),
    }
}

/// One duty's ratings row per duty.
fn duty_rows(scan: &Scan) -> Vec<DutyRow> {
    scan.standard()
        .duties
        .iter()
        .map(|d| {
            let cell = |kind| {
                d.questions
                    .iter()
                    .find(|q| q.kind == kind)
                    .map(|q| RatingCell::of(scan, &q.id))
            };
            DutyRow {
                number: d.number,
                title: clean_line(&d.title),
                skills: cell(QuestionKind::Skills),
                knowledge: cell(QuestionKind::Knowledge),
            }
        })
        .collect()
}

/// One row per behaviour.
fn behaviour_rows(scan: &Scan) -> Vec<BehaviourRow> {
    let standard = scan.standard();
    standard
        .behaviours
        .iter()
        .map(|q| BehaviourRow {
            codes: clean_line(&q.ksbs.join(", ")),
            statement: q
                .ksbs
                .first()
                .and_then(|c| standard.ksb(c))
                .map(|k| clean_line(&k.text))
                .unwrap_or_default(),
            rating: RatingCell::of(scan, &q.id),
        })
        .collect()
}

/// The areas for development, cleaned for people and as typed for scripts.
fn development(groups: &[plan::Group<'_>]) -> (Vec<DevelopmentGroup>, Vec<json::JsonGroup>) {
    let cleaned = groups
        .iter()
        .map(|g| DevelopmentGroup {
            part: g.part,
            title: clean_line(g.title),
            areas: g
                .areas
                .iter()
                .map(|a| DevelopmentArea {
                    kind: a.question.kind,
                    rating: a.rating,
                    note: clean_text(a.note),
                    ksbs: a
                        .ksbs
                        .iter()
                        .map(|k| KsbLine {
                            code: clean_line(k.ksb.code.as_str()),
                            text: clean_line(&k.ksb.text),
                            rating: k.rating,
                            derived: k.source == Source::Derived,
                            note: clean_text(k.note),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let typed = groups
        .iter()
        .map(|g| json::JsonGroup {
            part: g.part.to_string(),
            title: g.title.to_string(),
            areas: g
                .areas
                .iter()
                .map(|a| json::JsonArea {
                    question_id: a.question.id.clone(),
                    rating: a.rating,
                    note: a.note.to_string(),
                    ksbs: a
                        .ksbs
                        .iter()
                        .map(|k| json::JsonKsb {
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
    (cleaned, typed)
}

/// Every question's justification, cleaned, in walk order.
fn justifications(scan: &Scan) -> Vec<Justification> {
    scan.standard()
        .questions()
        .map(|l| {
            let heading = match l.part {
                Part::Duty(_) => format!("{} – {}", l.part, l.question.kind.label()),
                Part::Behaviours => l.question.kind.label().to_string(),
            };
            Justification {
                heading: clean_line(&heading),
                codes: clean_line(&l.question.ksbs.join(", ")),
                rating: RatingCell::of(scan, &l.question.id),
                text: scan
                    .answer(&l.question.id)
                    .map(|a| clean_text(&a.text))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Every question with the learner's answer and the coach's review, as typed.
fn answers(scan: &Scan) -> Vec<json::JsonAnswer> {
    scan.standard()
        .questions()
        .map(|l| {
            let id = &l.question.id;
            let answer = scan.answer(id);
            let review = scan.agreed(id);
            json::JsonAnswer {
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
        .collect()
}

/// The planning meeting's record as typed, with the seal's state.
fn validation_record(scan: &Scan, seal: &Seal) -> json::JsonValidation {
    let state = match seal {
        Seal::NotValidated => json::SealState::NotValidated,
        Seal::Validated { .. } => json::SealState::Validated,
        Seal::ChangedSince { .. } => json::SealState::ChangedSinceValidation,
        Seal::Unsealed { .. } => json::SealState::ValidatedUnsealed,
    };
    let v = scan
        .review
        .as_ref()
        .map(|r| r.validation.clone())
        .unwrap_or_default();
    json::JsonValidation {
        meeting_date: v.meeting_date,
        coach_name: v.coach_name,
        manager_name: v.manager_name,
        validated_by_manager: v.validated_by_manager,
        recorded_at: v.recorded_at,
        validated_at: v.validated_at,
        state,
        fingerprint: v.fingerprint,
    }
}

/// Warnings at the top: an unfinished scan, a change since validation.
fn notices(scan: &Scan, seal: &Seal) -> Vec<String> {
    let mut notices = Vec::new();
    if scan.unanswered_count() > 0 {
        notices.push(format!(
            "Unfinished: {} of {} questions are unanswered; they count as not met.",
            scan.unanswered_count(),
            scan.question_count()
        ));
    }
    if let Seal::ChangedSince { .. } = seal {
        notices.push(seal.sentence());
    }
    notices
}

/// The scan as typed, for scripts.
fn record(scan: &Scan, some_factor: f64, agreed: &[ksb::KsbRating<'_>]) -> Record {
    let standard = scan.standard();
    let person = |name: &str, email: &str| Person {
        name: name.to_string(),
        email: email.to_string(),
    };
    Record {
        scan_id: scan.id.clone(),
        learner: person(&scan.learner.name, &scan.learner.email),
        manager: person(&scan.manager.name, &scan.manager.email),
        standard: json::StandardInfo {
            reference: scan.standard.reference.clone(),
            version: scan.standard.version.clone(),
            title: standard.title.clone(),
            level: standard.level,
        },
        status: if scan.is_submitted() {
            json::Status::Submitted
        } else {
            json::Status::InProgress
        },
        updated: scan.updated,
        answered: scan.answered_count(),
        questions: scan.question_count(),
        some_factor,
        learner_score: Score::of(scan, Basis::Learner, some_factor),
        agreed_score: Score::from_ksbs(scan, agreed, Basis::Agreed, some_factor),
        estimate: None,
        answers: answers(scan),
        ksbs: agreed
            .iter()
            .map(|k| json::JsonKsbRating {
                code: k.ksb.code.clone(),
                rating: k.rating,
                source: k.source,
                note: k.note.to_string(),
                questions: k.questions.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        development: Vec::new(),
        validation: validation_record(scan, &Seal::of(scan)),
        modified_standard: None,
    }
}

impl Summary {
    /// Builds the summary of a scan.
    pub fn build(scan: &Scan, options: &Options) -> Self {
        let standard = scan.standard();
        let reviewed = scan.review.as_ref().is_some_and(|r| {
            r.agreed.values().any(|a| a.rating.is_some())
                || r.ksbs.values().any(|a| a.rating.is_some())
        });
        let agreed = ksb::evaluate(scan, Basis::Agreed);
        let mut record = record(scan, options.some_factor, &agreed);
        let prior_learning =
            prior_learning(scan, &record.agreed_score, reviewed, options.some_factor);
        let (development, typed) = development(&development_areas(scan, Basis::Agreed));
        record.development = typed;
        let seal = Seal::of(scan);
        Self {
            learner: Person {
                name: clean_line(&scan.learner.name),
                email: clean_line(&scan.learner.email),
            },
            manager: Person {
                name: clean_line(&scan.manager.name),
                email: clean_line(&scan.manager.email),
            },
            standard_name: clean_line(&standard.display_name()),
            standard_reference: clean_line(&scan.standard.reference),
            standard_version: clean_line(&scan.standard.version),
            submitted: scan.submitted_at(),
            reviewed,
            duties: duty_rows(scan),
            behaviours: behaviour_rows(scan),
            prior_learning,
            development,
            justifications: justifications(scan),
            next_steps: clean_text(&fill_eportfolio(
                &standard.form.closing,
                &clean_line(&options.eportfolio),
            )),
            rpl: None,
            validation: None,
            answers_with_warnings: None,
            progress: None,
            notices: notices(scan, &seal),
            record,
        }
    }

    /// Adds the count of answers the confidentiality guard warns about (the coach's summary).
    #[must_use]
    pub fn with_guard(mut self, scan: &Scan) -> Self {
        self.answers_with_warnings = Some(super::guard::flagged_answers(scan).len());
        self
    }

    /// The confidentiality line of the coach's summary, the same in every format:
    /// "⚠ 2 answers may identify someone: check them before uploading".
    pub fn confidentiality_words(&self) -> Option<String> {
        self.answers_with_warnings.map(|n| match n {
            0 => "✔ No answer looks like it identifies someone".to_string(),
            1 => "⚠ 1 answer may identify someone: check it before uploading".to_string(),
            n => format!("⚠ {n} answers may identify someone: check them before uploading"),
        })
    }

    /// Flags a scan whose copy of its standard differs from the approved one the program knows
    /// (`known`: the embedded standard and any in the data folder).
    #[must_use]
    pub fn with_known_standards(
        mut self,
        scan: &Scan,
        known: &[super::standard::Standard],
    ) -> Self {
        if let Some(diffs) = super::record::modified_standard(scan, known) {
            self.notices.push(format!(
                "Modified standard: this scan's copy of {} differs from the approved one ({}); its figures cannot be trusted and it cannot be validated.",
                self.standard_words(),
                clean_line(&diffs.join("; "))
            ));
            self.record.modified_standard = Some(diffs);
        }
        self
    }

    /// Adds the planning meeting's validation record (the coach's summary).
    #[must_use]
    pub fn with_validation(mut self, scan: &Scan) -> Self {
        let Some(v) = scan.review.as_ref().map(|r| &r.validation) else {
            return self;
        };
        self.validation = Some(ValidationSection {
            meeting_date: v.meeting_date.map_or_else(
                || "not recorded".to_string(),
                |d| d.format("%-d %B %Y").to_string(),
            ),
            coach_name: clean_line(&v.coach_name),
            manager_name: clean_line(&v.manager_name),
            validated_by_manager: v.validated_by_manager,
            recorded: v.recorded_at.map_or_else(
                || "not recorded".to_string(),
                |t| t.format("%-d %B %Y %H:%M UTC").to_string(),
            ),
            seal: Seal::of(scan).sentence(),
        });
        self
    }

    /// Adds "Progress since DATE" for a later scan (`scan`, the one summarised), given the
    /// earlier scan it follows if it was found. Nothing for an initial scan.
    #[must_use]
    pub fn with_progress(mut self, scan: &Scan, earlier: Option<&Scan>) -> Self {
        use super::progress::{Comparison, Link, days_words, kind_words};
        let Some(follows) = &scan.follows else {
            return self;
        };
        let heading = format!("Progress since {}", follows.at.format("%-d %B %Y"));
        let mut section = ProgressSection {
            heading,
            lines: Vec::new(),
            parts: Vec::new(),
            notes: Vec::new(),
        };
        match earlier.map(|e| (e, Comparison::of(e, scan))) {
            None => section.notes.extend(Link::of(scan, None).note()),
            Some((_, Err(refusal))) => section
                .notes
                .push(format!("The earlier scan cannot be compared: {refusal}.")),
            Some((_, Ok(c))) => {
                section.lines = vec![
                    (
                        "This scan".into(),
                        format!("{}, {}", kind_words(c.later.kind), c.later.date_words()),
                    ),
                    (
                        "Earlier scan".into(),
                        format!("{}, {}", kind_words(c.earlier.kind), c.earlier.date_words()),
                    ),
                    ("Days between".into(), days_words(c.days)),
                    (
                        "Share of the standard met".into(),
                        format!(
                            "{} → {} ({})",
                            c.met_earlier.words(),
                            c.met_later.words(),
                            c.change_words()
                        ),
                    ),
                    (
                        "KSBs".into(),
                        format!(
                            "{} improved, {} unchanged, {} lower",
                            c.tally.improved, c.tally.unchanged, c.tally.lower
                        ),
                    ),
                    (
                        "Still not met".into(),
                        format!("{} KSBs", c.still_not_met.len()),
                    ),
                ];
                section.parts = c
                    .parts
                    .iter()
                    .map(|p| PartProgress {
                        part: p.part,
                        earlier: p.earlier.percent,
                        later: p.later.percent,
                    })
                    .collect();
                section.notes = c.notes;
            }
        }
        self.progress = Some(section);
        self
    }

    /// Adds the indicative RPL estimate (the coach's summary; the learner's email has none).
    #[must_use]
    pub fn with_rpl(mut self, estimate: &Estimate) -> Self {
        self.record.estimate = Some(estimate.clone());
        self.rpl = Some(RplSection {
            label: super::rpl::LABEL.to_string(),
            lines: estimate
                .lines()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            method: estimate.method(),
        });
        self
    }

    /// Who and what the scan is about, as (label, value) rows, the same in every format:
    /// learner, line manager, standard, submitted, and the confidentiality line where there is
    /// one. Values are cleaned but not escaped.
    pub fn header_rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("Learner", self.learner.display()),
            ("Line manager", self.manager.display()),
            (
                "Standard",
                format!("{}, {}", self.standard_name, self.standard_words()),
            ),
            ("Submitted", self.submitted_words()),
        ];
        rows.extend(
            self.confidentiality_words()
                .map(|words| ("Confidentiality", words)),
        );
        rows
    }

    /// "Skills scan – Sam Taylor – Peer worker (level 3)".
    pub fn title(&self) -> String {
        let name = if self.learner.name.is_empty() {
            "(no name)"
        } else {
            &self.learner.name
        };
        format!("Skills scan – {name} – {}", self.standard_name)
    }

    /// "23 November 2026", or "not submitted yet".
    pub fn submitted_words(&self) -> String {
        self.submitted.map_or_else(
            || "not submitted yet".to_string(),
            |t| t.format("%-d %B %Y").to_string(),
        )
    }

    /// "ST0896 version 1.0".
    pub fn standard_words(&self) -> String {
        format!(
            "{} version {}",
            self.standard_reference, self.standard_version
        )
    }

    /// Plain text, for the email's text part and the terminal.
    pub fn to_text(&self) -> String {
        text::render(self)
    }

    /// Markdown.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// A self-contained HTML document (one style block, no external resources).
    pub fn to_html(&self) -> String {
        html::render(self)
    }

    /// The JSON value for scripts (`summary --format json`). Whole for the coach's summary
    /// (`with_rpl`, `with_guard`, `with_known_standards`, `with_progress`); without them, the
    /// estimate uses the default programme and the counts they add are empty.
    pub fn to_json(&self) -> json::JsonSummary {
        json::render(self)
    }

    /// The email's text part: addressed to the learner and the manager (see [`Letter`]).
    pub fn to_email_text(&self, letter: &Letter) -> String {
        letter::text(self, letter)
    }

    /// The email's HTML part (a whole document; see [`Letter`]).
    pub fn to_email_html(&self, letter: &Letter) -> String {
        letter::html(self, letter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rpl::Programme;
    use crate::core::scan::tests::{complete, t};

    /// A reviewed scan's coach summary, with an unfinished question and every optional section.
    fn coach_summary() -> Summary {
        let mut scan = complete(&["d2-knowledge"]);
        scan.answers.remove("d3-skills");
        scan.set_agreed_rating(&"d1-skills".into(), Some(Rating::Some), t(5));
        Summary::build(&scan, &Options::default())
            .with_rpl(&Estimate::of(&scan, Programme::default()))
            .with_guard(&scan)
            .with_validation(&scan)
    }

    /// The formats cannot drift apart: every section's title, and the sentences shown once the
    /// coach has agreed ratings, are in text, Markdown and HTML (and the email's parts carry its
    /// own sections' titles).
    #[test]
    fn every_format_has_every_title_and_fixed_sentence() {
        let s = coach_summary();
        assert!(s.reviewed && !s.notices.is_empty() && s.rpl.is_some());
        let titles = [
            words::RATINGS,
            words::LEGEND,
            words::PRIOR_LEARNING,
            words::RPL,
            words::PLANNING_MEETING,
            words::DEVELOPMENT,
            words::OWN_WORDS,
            words::NEXT_STEPS,
        ];
        let (text, md, html) = (s.to_text(), s.to_markdown(), s.to_html());
        for title in titles {
            assert!(text.contains(title), "text lacks {title:?}");
            assert!(md.contains(title), "Markdown lacks {title:?}");
            assert!(html.contains(title), "HTML lacks {title:?}");
        }
        assert!(text.contains(words::AGREED_BESIDE) && md.contains(words::AGREED_BESIDE));
        assert!(html.contains(words::AGREED_BELOW));
        let notice = &s.notices[0];
        assert!(text.contains(notice.as_str()) && html.contains(notice.as_str()));
        let letter = Letter::default();
        for part in [s.to_email_text(&letter), s.to_email_html(&letter)] {
            for title in [words::RATINGS, words::OWN_WORDS, words::DEVELOPMENT] {
                assert!(part.contains(title), "the email lacks {title:?}");
            }
            assert!(
                !part.contains(words::RPL),
                "the email has the coach's estimate"
            );
        }
    }

    /// The JSON comes from the same model: its figures are the summary's.
    #[test]
    fn json_is_the_same_summary() {
        let s = coach_summary();
        let json = s.to_json();
        assert_eq!(json.prior_learning.agreed.percent, s.prior_learning.percent);
        assert_eq!(json.questions - json.answered, s.prior_learning.unanswered);
        assert_eq!(json.answers.len(), s.justifications.len());
        assert_eq!(
            json.answers_with_warnings,
            s.answers_with_warnings.unwrap_or(99)
        );
        let estimate = s.record.estimate.as_ref().expect("with_rpl");
        assert_eq!(
            json.prior_learning.estimate.ksbs_met_percent,
            estimate.share_percent()
        );
        let areas: usize = s.development.iter().map(|g| g.areas.len()).sum();
        let json_areas: usize = json.development_areas.iter().map(|g| g.areas.len()).sum();
        assert_eq!(areas, json_areas);
    }
}
