//! Distance travelled: a later scan of a learner compared with an earlier one, per duty, question
//! and KSB — the movement (No → Some → Yes, and any step back), how many KSBs improved, stayed or
//! went lower, the share of the standard met at each date, the KSBs still not met and the days
//! between. The coach's agreed ratings are used wherever they are set.
//!
//! Pure: takes two scans, returns a [`Comparison`] (every text already cleaned) or the reason
//! they cannot be compared ([`Refusal`]). Rendered as text, Markdown and HTML in [`render`].

pub mod cohort;
pub mod render;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fingerprint::answers_fingerprint;
use super::scan::{Rating, Scan, ScanKind};
use super::score::percent;
use super::standard::{KsbCode, Part, QuestionId, Standard};
use super::summary::sanitize::clean_line;

/// How far a rating is along No → Some → Yes.
fn level(rating: Rating) -> u8 {
    match rating {
        Rating::No => 0,
        Rating::Some => 1,
        Rating::Yes => 2,
    }
}

/// The movement of one rating from the earlier scan to the later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    /// Further along No → Some → Yes.
    Improved,
    /// The same rating at both dates.
    Unchanged,
    /// A step back (Yes → Some, Some → No, Yes → No).
    Lower,
    /// Not rated at one date (or both): nothing to compare.
    Unrated,
}

impl Movement {
    /// The movement between two ratings.
    pub fn between(earlier: Option<Rating>, later: Option<Rating>) -> Self {
        match (earlier, later) {
            (Some(a), Some(b)) => match level(b).cmp(&level(a)) {
                std::cmp::Ordering::Greater => Self::Improved,
                std::cmp::Ordering::Equal => Self::Unchanged,
                std::cmp::Ordering::Less => Self::Lower,
            },
            _ => Self::Unrated,
        }
    }

    /// "improved", "unchanged", "lower", "not rated".
    pub fn words(self) -> &'static str {
        match self {
            Self::Improved => "improved",
            Self::Unchanged => "unchanged",
            Self::Lower => "lower",
            Self::Unrated => "not rated",
        }
    }

    /// An arrow that tells movements apart without colour: ↑ = ↓ ·.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Improved => "↑",
            Self::Unchanged => "=",
            Self::Lower => "↓",
            Self::Unrated => "·",
        }
    }
}

/// The rating of one KSB in a scan, as every figure rates it ([`super::ksb::rating_of`] on the
/// agreed basis): the coach's agreed rating of that KSB, else the lowest effective rating of the
/// questions covering it — unrated while one of them is unanswered, so an unfinished scan's
/// comparison shows such a KSB as not comparable rather than judged on half its questions, and
/// agrees with its summary and record.
pub fn ksb_rating(scan: &Scan, code: &KsbCode) -> Option<Rating> {
    super::ksb::rating_of(scan, code, super::ksb::Basis::Agreed)
}

/// Whether a KSB's rating in a scan comes from the coach (agreed on the KSB or on a question
/// covering it).
fn ksb_agreed(scan: &Scan, code: &KsbCode) -> bool {
    let Some(review) = &scan.review else {
        return false;
    };
    review.ksbs.get(code).is_some_and(|a| a.rating.is_some())
        || scan
            .standard()
            .questions()
            .filter(|l| l.question.ksbs.iter().any(|c| c == code))
            .any(|l| {
                scan.agreed(&l.question.id)
                    .is_some_and(|a| a.rating.is_some())
            })
}

/// One rating at each date and the movement between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    /// At the earlier date.
    pub earlier: Option<Rating>,
    /// At the later date.
    pub later: Option<Rating>,
    /// Which way it moved.
    pub movement: Movement,
    /// Whether the earlier rating is the coach's agreed one.
    pub earlier_agreed: bool,
    /// Whether the later rating is the coach's agreed one.
    pub later_agreed: bool,
}

impl Change {
    fn new(earlier: Option<Rating>, later: Option<Rating>, ea: bool, la: bool) -> Self {
        Self {
            earlier,
            later,
            movement: Movement::between(earlier, later),
            earlier_agreed: ea,
            later_agreed: la,
        }
    }
}

/// One question's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionChange {
    /// Its id, e.g. `d3-skills`.
    pub id: String,
    /// "Skills", "Knowledge" or "Behaviour".
    pub kind: String,
    /// The KSB codes it covers.
    pub ksbs: Vec<String>,
    /// The ratings (effective: agreed, else the learner's).
    pub change: Change,
}

/// One KSB's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KsbChange {
    /// `K1`, `S3`, `B2`.
    pub code: String,
    /// The statement, cleaned.
    pub text: String,
    /// The ratings (see [`ksb_rating`]).
    pub change: Change,
}

/// How many KSBs improved, stayed and went lower (and could not be compared).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Further along No → Some → Yes.
    pub improved: usize,
    /// The same.
    pub unchanged: usize,
    /// A step back.
    pub lower: usize,
    /// Not rated at one date or both.
    pub unrated: usize,
}

impl Tally {
    fn add(&mut self, m: Movement) {
        match m {
            Movement::Improved => self.improved += 1,
            Movement::Unchanged => self.unchanged += 1,
            Movement::Lower => self.lower += 1,
            Movement::Unrated => self.unrated += 1,
        }
    }
}

/// How much of a part (or the standard) was met: KSBs rated Yes of those in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Met {
    /// KSBs rated Yes.
    pub met: usize,
    /// KSBs in it.
    pub of: usize,
    /// `met / of` as a whole percentage.
    pub percent: u32,
}

impl Met {
    fn new(met: usize, of: usize) -> Self {
        let share = if of == 0 { 0.0 } else { met as f64 / of as f64 };
        Self {
            met,
            of,
            percent: percent(share),
        }
    }

    /// "40% (45 of 113)".
    pub fn words(&self) -> String {
        format!("{}% ({} of {})", self.percent, self.met, self.of)
    }
}

/// One duty (or the behaviours): its questions and KSBs, and the share met at each date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartChange {
    /// The duty or the behaviours ("Duty 3" or "Behaviours" in JSON).
    pub part: Part,
    /// The duty's title (cleaned), or "Behaviours".
    pub title: String,
    /// The KSBs its questions cover, met at the earlier date.
    pub earlier: Met,
    /// The same at the later date.
    pub later: Met,
    /// Its questions, in walk order.
    pub questions: Vec<QuestionChange>,
    /// The KSBs its questions cover, each once, in the standard's order.
    pub ksbs: Vec<KsbChange>,
}

/// One of the two scans compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// The scan's id.
    pub id: String,
    /// Initial, progress review or end of programme.
    pub kind: ScanKind,
    /// When it was submitted, or last changed if it is still in progress.
    pub at: DateTime<Utc>,
    /// Whether it is submitted.
    pub submitted: bool,
}

impl Point {
    fn of(scan: &Scan) -> Self {
        Self {
            id: scan.id.clone(),
            kind: scan.kind,
            at: date_of(scan),
            submitted: scan.is_submitted(),
        }
    }

    /// "23 November 2026".
    pub fn date_words(&self) -> String {
        self.at.format("%-d %B %Y").to_string()
    }
}

/// "initial scan", "progress review", "end-of-programme scan".
pub fn kind_words(kind: ScanKind) -> &'static str {
    match kind {
        ScanKind::Initial => "initial scan",
        ScanKind::ProgressReview => "progress review",
        ScanKind::EndOfProgramme => "end-of-programme scan",
    }
}

/// The date a scan stands for: when it was submitted, else when it was last changed.
pub fn date_of(scan: &Scan) -> DateTime<Utc> {
    scan.submitted_at().unwrap_or(scan.updated)
}

/// How a later scan's link to its earlier scan stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Link {
    /// The later scan was not started from an earlier one.
    NotLinked,
    /// It follows the earlier scan, whose answers are as they were when it started.
    Matches,
    /// It follows the earlier scan, but the earlier scan's answers have changed since.
    Changed,
    /// It follows another scan than the one it is compared with.
    OtherScan {
        /// The id it follows.
        linked_id: String,
    },
    /// The scan it follows was not found.
    Missing {
        /// The id it follows.
        linked_id: String,
        /// The linked scan's date.
        at: DateTime<Utc>,
    },
}

impl Link {
    /// How `later` links to `earlier` (`None`: the earlier scan it names was not found).
    pub fn of(later: &Scan, earlier: Option<&Scan>) -> Self {
        let Some(follows) = &later.follows else {
            return Self::NotLinked;
        };
        match earlier {
            None => Self::Missing {
                linked_id: clean_line(&follows.id),
                at: follows.at,
            },
            Some(e) if e.id != follows.id => Self::OtherScan {
                linked_id: clean_line(&follows.id),
            },
            Some(e) if answers_fingerprint(&e.answers) != follows.fingerprint => Self::Changed,
            Some(_) => Self::Matches,
        }
    }

    /// A sentence for the reader when the link is not as expected; `None` when it matches.
    pub fn note(&self) -> Option<String> {
        match self {
            Self::Matches => None,
            Self::NotLinked => Some(
                "The later scan was not started from the earlier one (skills-scan new --after); they are compared as given."
                    .into(),
            ),
            Self::Changed => Some(
                "The earlier scan's answers have changed since the later scan was started from it: the comparison uses them as they are now."
                    .into(),
            ),
            Self::OtherScan { linked_id } => Some(format!(
                "The later scan was started from another scan (id {linked_id}), not the one it is compared with here."
            )),
            Self::Missing { linked_id, at } => Some(format!(
                "The earlier scan this one follows (id {linked_id}, {}) was not found, so no comparison can be shown.",
                at.format("%-d %B %Y")
            )),
        }
    }
}

/// Why two scans cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// They are of different learners (emails differ, ignoring case).
    DifferentLearner {
        /// The earlier scan's learner email.
        earlier: String,
        /// The later scan's.
        later: String,
    },
    /// They are on different standards (reference or version differ).
    DifferentStandard {
        /// "ST0896 v1.0".
        earlier: String,
        /// The later one's.
        later: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DifferentLearner { earlier, later } => write!(
                f,
                "the scans are of different learners ({} and {}); a comparison shows one learner's progress",
                clean_line(earlier),
                clean_line(later)
            ),
            Self::DifferentStandard { earlier, later } => write!(
                f,
                "the scans are on different standards ({} and {}); only scans on the same standard and version can be compared",
                clean_line(earlier),
                clean_line(later)
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Whether two scans may be compared: the same learner (email, ignoring case and surrounding
/// spaces) on the same standard (reference and version).
pub fn comparable(earlier: &Scan, later: &Scan) -> Result<(), Refusal> {
    let email = |s: &Scan| s.learner.email.trim().to_lowercase();
    if email(earlier) != email(later) {
        return Err(Refusal::DifferentLearner {
            earlier: earlier.learner.email.clone(),
            later: later.learner.email.clone(),
        });
    }
    let std = |s: &Scan| format!("{} v{}", s.standard.reference, s.standard.version);
    if earlier.standard.reference != later.standard.reference
        || earlier.standard.version != later.standard.version
    {
        return Err(Refusal::DifferentStandard {
            earlier: std(earlier),
            later: std(later),
        });
    }
    Ok(())
}

/// The share of a standard met in a scan: KSBs rated Yes (see [`ksb_rating`]) of all the
/// standard's KSBs, each counted once.
pub fn share_met(scan: &Scan) -> Met {
    let standard = scan.standard();
    let met = standard
        .ksbs
        .iter()
        .filter(|k| ksb_rating(scan, &k.code) == Some(Rating::Yes))
        .count();
    Met::new(met, standard.ksbs.len())
}

/// A later scan compared with an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The learner's name (the later scan's), cleaned.
    pub learner_name: String,
    /// The learner's email (the later scan's), cleaned.
    pub learner_email: String,
    /// "Peer worker (level 3)".
    pub standard_name: String,
    /// "ST0896".
    pub standard_reference: String,
    /// "1.0".
    pub standard_version: String,
    /// The earlier scan.
    pub earlier: Point,
    /// The later scan.
    pub later: Point,
    /// Whole days from the earlier date to the later one (negative if given the wrong way round).
    pub days: i64,
    /// The share of the standard met at the earlier date.
    pub met_earlier: Met,
    /// The same at the later date.
    pub met_later: Met,
    /// KSBs improved, unchanged, lower.
    pub tally: Tally,
    /// Whether any coach's agreed rating was used (at either date).
    pub uses_agreed: bool,
    /// Per duty, then the behaviours.
    pub parts: Vec<PartChange>,
    /// KSBs not rated Yes at the later date, in the standard's order.
    pub still_not_met: Vec<KsbChange>,
    /// How the later scan links to the earlier one.
    pub link: Link,
    /// Things the reader should know (the link, dates given the wrong way round, a scan still in
    /// progress).
    pub notes: Vec<String>,
}

/// One KSB's ratings at both dates.
fn ksb_change(standard: &Standard, earlier: &Scan, later: &Scan, code: &KsbCode) -> KsbChange {
    KsbChange {
        code: clean_line(code.as_str()),
        text: standard
            .ksb(code)
            .map(|k| clean_line(&k.text))
            .unwrap_or_default(),
        change: Change::new(
            ksb_rating(earlier, code),
            ksb_rating(later, code),
            ksb_agreed(earlier, code),
            ksb_agreed(later, code),
        ),
    }
}

/// One question's effective ratings at both dates.
fn question_change(q: &super::standard::Question, earlier: &Scan, later: &Scan) -> QuestionChange {
    let agreed = |s: &Scan| s.agreed(&q.id).is_some_and(|a| a.rating.is_some());
    QuestionChange {
        id: clean_line(q.id.as_str()),
        kind: q.kind.label().to_string(),
        ksbs: q.ksbs.iter().map(|c| clean_line(c.as_str())).collect(),
        change: Change::new(
            earlier.effective_rating(&q.id),
            later.effective_rating(&q.id),
            agreed(earlier),
            agreed(later),
        ),
    }
}

/// One duty's (or the behaviours') change: its questions, its KSBs in the standard's order, and
/// the share of them met at each date.
fn part_change(
    standard: &Standard,
    (part, title, questions): (Part, &str, Vec<&super::standard::Question>),
    earlier: &Scan,
    later: &Scan,
) -> PartChange {
    let ksbs: Vec<KsbChange> = standard
        .ksbs
        .iter()
        .filter(|k| questions.iter().any(|q| q.ksbs.contains(&k.code)))
        .map(|k| ksb_change(standard, earlier, later, &k.code))
        .collect();
    let met = |rating: fn(&Change) -> Option<Rating>| {
        let n = ksbs
            .iter()
            .filter(|k| rating(&k.change) == Some(Rating::Yes))
            .count();
        Met::new(n, ksbs.len())
    };
    PartChange {
        part,
        title: clean_line(title),
        earlier: met(|c| c.earlier),
        later: met(|c| c.later),
        questions: questions
            .iter()
            .map(|q| question_change(q, earlier, later))
            .collect(),
        ksbs,
    }
}

/// What the reader should know: the link, dates given the wrong way round, a scan in progress.
fn notes(link: &Link, days: i64, e: &Point, l: &Point) -> Vec<String> {
    let mut notes: Vec<String> = link.note().into_iter().collect();
    if days < 0 {
        notes.push(
            "The scan given as the earlier one is dated after the later one: check the order of the files."
                .into(),
        );
    }
    for (which, p) in [("earlier", e), ("later", l)] {
        if !p.submitted {
            notes.push(format!(
                "The {which} scan is not submitted yet: its ratings may still change."
            ));
        }
    }
    notes
}

impl Comparison {
    /// Compares `later` with `earlier`, or says why they cannot be compared. The later scan's
    /// standard snapshot gives the duties, questions and KSBs.
    pub fn of(earlier: &Scan, later: &Scan) -> Result<Self, Refusal> {
        comparable(earlier, later)?;
        let standard: &Standard = later.standard();
        let walk = standard
            .duties
            .iter()
            .map(|d| {
                (
                    Part::Duty(d.number),
                    d.title.as_str(),
                    d.questions.iter().collect(),
                )
            })
            .chain(std::iter::once((
                Part::Behaviours,
                "Behaviours",
                standard.behaviours.iter().collect(),
            )));
        let parts = walk
            .map(|p| part_change(standard, p, earlier, later))
            .collect();
        let mut tally = Tally::default();
        let mut uses_agreed = false;
        let mut still_not_met = Vec::new();
        for k in &standard.ksbs {
            let c = ksb_change(standard, earlier, later, &k.code);
            tally.add(c.change.movement);
            uses_agreed |= c.change.earlier_agreed || c.change.later_agreed;
            if c.change.later != Some(Rating::Yes) {
                still_not_met.push(c);
            }
        }
        let (e, l) = (Point::of(earlier), Point::of(later));
        let days = (l.at.date_naive() - e.at.date_naive()).num_days();
        let link = Link::of(later, Some(earlier));
        let notes = notes(&link, days, &e, &l);
        Ok(Self {
            learner_name: clean_line(&later.learner.name),
            learner_email: clean_line(&later.learner.email),
            standard_name: clean_line(&standard.display_name()),
            standard_reference: clean_line(&later.standard.reference),
            standard_version: clean_line(&later.standard.version),
            met_earlier: share_met(earlier),
            met_later: share_met(later),
            earlier: e,
            later: l,
            days,
            tally,
            uses_agreed,
            parts,
            still_not_met,
            link,
            notes,
        })
    }

    /// The change in the share met, in percentage points (later minus earlier).
    pub fn change_points(&self) -> i64 {
        i64::from(self.met_later.percent) - i64::from(self.met_earlier.percent)
    }

    /// "Skills scan progress – Sam Taylor – Peer worker (level 3)".
    pub fn title(&self) -> String {
        let name = if self.learner_name.is_empty() {
            "(no name)"
        } else {
            &self.learner_name
        };
        format!("Skills scan progress – {name} – {}", self.standard_name)
    }

    /// "+12 points", "−3 points", "no change".
    pub fn change_words(&self) -> String {
        signed_points(self.change_points())
    }

    /// Plain text.
    pub fn to_text(&self) -> String {
        render::text(self)
    }

    /// Markdown.
    pub fn to_markdown(&self) -> String {
        render::markdown(self)
    }

    /// A self-contained HTML document, opening with a chart of the share met per duty.
    pub fn to_html(&self) -> String {
        render::html(self)
    }
}

/// The earlier scan's answer to one question, to show beside it in a later scan: briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlierAnswer {
    /// "2 March 2026".
    pub date: String,
    /// The learner's rating then.
    pub rating: Option<Rating>,
    /// The coach's agreed rating then, if set.
    pub agreed: Option<Rating>,
    /// The learner's words then, on one line, shortened to the length asked for (with "…").
    pub words: String,
}

impl EarlierAnswer {
    /// The earlier answer to `question_id`, its words shortened to `max_chars` characters.
    pub fn of(earlier: &Scan, question_id: &QuestionId, max_chars: usize) -> Self {
        let text = earlier
            .answer(question_id)
            .map(|a| clean_line(&a.text))
            .unwrap_or_default();
        let words = if text.chars().count() > max_chars {
            let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
            format!("{}…", cut.trim_end())
        } else {
            text
        };
        Self {
            date: date_of(earlier).format("%-d %B %Y").to_string(),
            rating: earlier.rating(question_id),
            agreed: earlier
                .agreed(question_id)
                .and_then(|a| a.rating)
                .filter(|r| Some(*r) != earlier.rating(question_id)),
            words,
        }
    }

    /// "Earlier (2 March 2026): Some, agreed with your coach as No" — words, no symbols, so a
    /// screen reader reads it plainly.
    pub fn rating_line(&self) -> String {
        let rating = self.rating.map_or("not answered", Rating::label);
        let agreed = self
            .agreed
            .map(|a| format!(", agreed with your coach as {}", a.label()))
            .unwrap_or_default();
        format!("Earlier ({}): {rating}{agreed}", self.date)
    }

    /// The rating line and, if any, the earlier words in quotes.
    pub fn line(&self) -> String {
        if self.words.is_empty() {
            self.rating_line()
        } else {
            format!("{} – “{}”", self.rating_line(), self.words)
        }
    }
}

/// A later scan of the same learner on the same standard, following `earlier`: the learner's
/// and manager's details and the chosen option are copied, the kind and the link (the earlier
/// scan's id, a fingerprint of its answers and its date) recorded; no answer is carried over —
/// the learner rates afresh.
pub fn later_scan(
    earlier: &Scan,
    kind: ScanKind,
    id: impl Into<String>,
    now: DateTime<Utc>,
) -> Scan {
    let mut scan = Scan::new(earlier.standard(), id, now);
    scan.learner = earlier.learner.clone();
    scan.manager = earlier.manager.clone();
    scan.option.clone_from(&earlier.option);
    scan.kind = kind;
    scan.follows = Some(super::scan::Follows {
        id: earlier.id.clone(),
        fingerprint: answers_fingerprint(&earlier.answers),
        at: date_of(earlier),
    });
    scan
}

/// "+12 points", "−3 points", "no change".
pub fn signed_points(points: i64) -> String {
    match points {
        0 => "no change".to_string(),
        1 => "+1 point".to_string(),
        -1 => "−1 point".to_string(),
        p if p > 0 => format!("+{p} points"),
        p => format!("−{} points", p.unsigned_abs()),
    }
}

/// "1 day", "84 days".
pub fn days_words(days: i64) -> String {
    if days.abs() == 1 {
        format!("{days} day")
    } else {
        format!("{days} days")
    }
}

#[cfg(test)]
mod tests;
