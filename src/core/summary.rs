//! The scan's summary: built once from a scan as plain values (all text already cleaned of
//! control characters, ANSI escapes and bidi overrides), then rendered as text, Markdown or HTML.
//!
//! Pure: no clock, files or network. Used by the email, the `summary` command and the coach view.
//!
//! To add a section (e.g. an RPL estimate): add a field to [`Summary`] (it derives `Serialize`,
//! so `--format json` picks it up), fill it in [`Summary::build`], and add one function to each
//! renderer in `summary/text.rs`, `summary/markdown.rs` and `summary/html.rs`, called from its
//! `render` in the order the sections should appear — and, if the line manager should see it in
//! the email, from `summary/letter.rs` (both its text and its HTML).

pub mod html;
mod letter;
mod markdown;
pub mod sanitize;
mod text;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ksb::Source;
use super::plan::development_areas;
use super::record::Seal;
use super::scan::{Rating, Scan};
use super::score::{self, Basis, Score};
use super::standard::{Part, QuestionKind, fill_eportfolio};
pub use letter::{Glance, Letter};
use sanitize::{clean_line, clean_text};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    fn of(scan: &Scan, id: &str) -> Self {
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
    /// "Skills", "Knowledge" or "Behaviour".
    pub kind: String,
    /// The question's rating (the agreed rating where set).
    pub rating: Option<Rating>,
    /// The coach's note on the question, cleaned; empty when none.
    pub note: String,
    /// The KSBs to develop, each listed once in the whole plan.
    pub ksbs: Vec<KsbLine>,
}

/// Areas for development of one duty (or the behaviours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DevelopmentGroup {
    /// "Duty 3" or "Behaviours".
    pub part: String,
    /// The duty's title; empty for the behaviours.
    pub title: String,
    /// Its areas.
    pub areas: Vec<DevelopmentArea>,
}

impl DevelopmentGroup {
    /// "Duty 3: Title", or "Behaviours".
    pub fn heading(&self) -> String {
        if self.title.is_empty() {
            self.part.clone()
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

/// Everything the summary shows, as plain cleaned values.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpl: Option<RplSection>,
    /// The planning meeting's validation record: only in the coach's summary
    /// (see [`Summary::with_validation`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationSection>,
    /// Warnings shown at the top in every format: an unfinished scan, a change since
    /// validation, a modified standard.
    pub notices: Vec<String>,
    /// How many answers hold something that may identify a person (the confidentiality guard):
    /// only in the coach's summary (see [`Summary::with_guard`]). A count, never the details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers_with_warnings: Option<usize>,
    /// For a later scan: the progress since the earlier scan it follows
    /// (see [`Summary::with_progress`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<ProgressSection>,
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
    /// "Duty 3" or "Behaviours".
    pub part: String,
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

impl Summary {
    /// Builds the summary of a scan.
    pub fn build(scan: &Scan, options: &Options) -> Self {
        let standard = scan.standard();
        let duties = standard
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
            .collect();
        let behaviours = standard
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
            .collect();
        let reviewed = scan.review.as_ref().is_some_and(|r| {
            r.agreed.values().any(|a| a.rating.is_some())
                || r.ksbs.values().any(|a| a.rating.is_some())
        });
        let score = Score::of(scan, Basis::Agreed, options.some_factor);
        let prior_learning = prior_learning(scan, &score, reviewed, options.some_factor);
        let development = development_areas(scan, Basis::Agreed)
            .into_iter()
            .map(|g| DevelopmentGroup {
                part: g.part.to_string(),
                title: clean_line(g.title),
                areas: g
                    .areas
                    .into_iter()
                    .map(|a| DevelopmentArea {
                        kind: a.question.kind.label().to_string(),
                        rating: a.rating,
                        note: clean_text(a.note),
                        ksbs: a
                            .ksbs
                            .iter()
                            .map(|k| KsbLine {
                                code: clean_line(&k.ksb.code),
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
        let mut notices = Vec::new();
        if scan.unanswered_count() > 0 {
            notices.push(format!(
                "Unfinished: {} of {} questions are unanswered; they count as not met.",
                scan.unanswered_count(),
                scan.question_count()
            ));
        }
        let seal = Seal::of(scan);
        if let Seal::ChangedSince { .. } = seal {
            notices.push(seal.sentence());
        }
        let justifications = standard
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
            .collect();
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
            duties,
            behaviours,
            prior_learning,
            development,
            justifications,
            next_steps: clean_text(&fill_eportfolio(
                &standard.form.closing,
                &clean_line(&options.eportfolio),
            )),
            rpl: None,
            validation: None,
            answers_with_warnings: None,
            progress: None,
            notices,
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
                        part: p.part.clone(),
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
    pub fn with_rpl(mut self, estimate: &super::rpl::Estimate) -> Self {
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

    /// The email's text part: addressed to the learner and the manager (see [`Letter`]).
    pub fn to_email_text(&self, letter: &Letter) -> String {
        letter::text(self, letter)
    }

    /// The email's HTML part (a whole document; see [`Letter`]).
    pub fn to_email_html(&self, letter: &Letter) -> String {
        letter::html(self, letter)
    }
}
