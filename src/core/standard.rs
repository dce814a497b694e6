//! The apprenticeship standard as a value: its KSB statements, duties and the scan's questions,
//! parsed from TOML text and checked so that every KSB is asked about exactly where it should be.
//!
//! Pure: takes text, returns a [`Standard`] or every [`Problem`] found with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod id;
pub use id::{IdError, KsbCode, QuestionId};

/// The standard embedded in the binary: Peer worker, level 3 (ST0896 v1.0).
pub const EMBEDDED_PEER_WORKER: &str = include_str!("../../data/standards/st0896-peer-worker.toml");

/// The same standard as JSON, converted from the TOML at build time (build.rs): read several
/// times quicker, and the learner's first frame waits for it. Empty if the TOML did not convert.
const EMBEDDED_PEER_WORKER_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/st0896-peer-worker.json"));

/// The format name a standard file declares.
pub const STANDARD_FORMAT: &str = "skills-scan-standard";
/// The newest standard file format this build reads.
pub const STANDARD_FORMAT_VERSION: u32 = 1;

/// An occupational standard and the skills-scan questionnaire built on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// Institute reference, e.g. `ST0896`.
    pub reference: String,
    /// Version of the standard, e.g. `1.0`.
    pub version: String,
    /// Occupation title, e.g. `Peer worker`.
    pub title: String,
    /// Apprenticeship level.
    pub level: u8,
    /// Route, e.g. `Health and science`.
    #[serde(default)]
    pub route: String,
    /// Typical duration to gateway in months.
    #[serde(default)]
    pub typical_duration_months: Option<u32>,
    /// Maximum funding band in pounds.
    #[serde(default)]
    pub max_funding_gbp: Option<u32>,
    /// Typical job titles.
    #[serde(default)]
    pub job_titles: Vec<String>,
    /// Texts of the questionnaire around the questions.
    pub form: Form,
    /// For a core-and-options standard: the options a learner chooses between (none otherwise).
    /// A scan's snapshot keeps only the learner's option (see [`Standard::for_option`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<StandardOption>,
    /// Every knowledge, skill and behaviour statement.
    pub ksbs: Vec<Ksb>,
    /// The duties, each with its KSBs and its questions.
    pub duties: Vec<Duty>,
    /// One question per behaviour, asked after the duties.
    pub behaviours: Vec<Question>,
}

/// The questionnaire's texts. `{eportfolio}` in them stands for the provider's e-portfolio name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Occupation summary paragraphs shown on the welcome screen.
    pub intro: String,
    /// Why the scan is done (a baseline; no research needed).
    pub baseline: String,
    /// How to answer.
    pub instructions: String,
    /// Confidentiality reminder.
    pub confidentiality: String,
    /// Shown on the last page before submitting.
    pub check_emails: String,
    /// Shown after submitting and in the summary.
    pub closing: String,
}

/// One option of a core-and-options standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardOption {
    /// A short stable id, e.g. `community`; recorded in the scan as the learner's option.
    pub id: String,
    /// The option's title, as the standard names it.
    pub title: String,
}

/// One knowledge, skill or behaviour statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ksb {
    /// `K1`, `S12`, `B3`…
    pub code: KsbCode,
    /// The statement, verbatim from the standard.
    pub text: String,
}

/// One duty of the occupation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    /// 1-based duty number.
    pub number: u32,
    /// The duty's title.
    pub title: String,
    /// The KSB codes the standard maps to this duty.
    pub ksbs: Vec<KsbCode>,
    /// For a core-and-options standard: the ids of the options this duty belongs to. Empty for a
    /// core duty, which every learner is asked about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// The scan's questions for this duty (Skills, then Knowledge).
    // Defaults to none so that a duty without questions is reported as such by `problems()`,
    // not as a missing field.
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// What a question asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// The duty's skills (S codes).
    Skills,
    /// The duty's knowledge (K codes).
    Knowledge,
    /// One behaviour (B code).
    Behaviour,
}

impl QuestionKind {
    /// The heading shown to people: "Skills", "Knowledge", "Behaviour".
    pub fn label(self) -> &'static str {
        match self {
            Self::Skills => "Skills",
            Self::Knowledge => "Knowledge",
            Self::Behaviour => "Behaviour",
        }
    }
}

/// One question of the scan: rated Yes / Some / No by the learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id used as the answer's key in scan files, e.g. `d3-skills`, `b2`.
    pub id: QuestionId,
    /// Skills, knowledge or behaviour.
    pub kind: QuestionKind,
    /// The question's paragraph.
    pub text: String,
    /// The KSB codes this question covers.
    pub ksbs: Vec<KsbCode>,
}

/// Where a question sits in the walk through the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Duty number (1-based).
    Duty(u32),
    /// The behaviours, after the duties.
    Behaviours,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duty(n) => write!(f, "Duty {n}"),
            Self::Behaviours => f.write_str("Behaviours"),
        }
    }
}

/// As its words ("Duty 3", "Behaviours"), in the JSON outputs.
impl Serialize for Part {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A question with its place, as met when walking the standard in order.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    /// Duty or the behaviours part.
    pub part: Part,
    /// The question.
    pub question: &'a Question,
}

/// A problem found in a standard file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `line 3, column 7`, `duties[2] (Duty 3)`, `ksbs[4] (K5)`…
    pub place: String,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every problem found in a standard; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} problem{}", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The file layout: the format header and the standard's fields, spelled out rather than
/// `#[serde(flatten)]`-ed so that toml keeps the place (line, column) of every error inside.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardFile {
    format: String,
    format_version: u32,
    reference: String,
    version: String,
    title: String,
    level: u8,
    #[serde(default)]
    route: String,
    #[serde(default)]
    typical_duration_months: Option<u32>,
    #[serde(default)]
    max_funding_gbp: Option<u32>,
    #[serde(default)]
    job_titles: Vec<String>,
    form: Form,
    #[serde(default)]
    options: Vec<StandardOption>,
    ksbs: Vec<Ksb>,
    duties: Vec<Duty>,
    behaviours: Vec<Question>,
}

const TOP_KEYS: &[&str] = &[
    "format",
    "format_version",
    "reference",
    "version",
    "title",
    "level",
    "route",
    "typical_duration_months",
    "max_funding_gbp",
    "job_titles",
    "form",
    "options",
    "ksbs",
    "duties",
    "behaviours",
];

impl Standard {
    /// The embedded Peer worker standard. It is checked by the test suite, so this cannot fail
    /// in a released build; should it ever, the problem is reported, not panicked on.
    ///
    /// A release build only reads it: its content checks ([`Standard::problems`]) ran on this
    /// very text in the test suite and in every debug build's start, and the text cannot change
    /// after the build. That keeps them off the learner's first frame (about 0.05 ms).
    pub fn embedded() -> Result<Self, Problems> {
        match serde_json::from_str::<StandardFile>(EMBEDDED_PEER_WORKER_JSON) {
            Ok(file) if cfg!(debug_assertions) => Self::from_file(file),
            Ok(file) => Self::from_file_unchecked(file),
            // The TOML's own problems, with their lines.
            Err(_) => Self::from_toml(EMBEDDED_PEER_WORKER),
        }
    }

    /// Parses and checks a standard file's text. Reports every problem found, with its place.
    pub fn from_toml(text: &str) -> Result<Self, Problems> {
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
        let unknown: Vec<Problem> = table
            .keys()
            .filter(|k| !TOP_KEYS.contains(&k.as_str()))
            .map(|k| Problem {
                place: top_level_key_line(text, k)
                    .map_or_else(|| "top level".into(), |l| format!("line {l}, top level")),
                message: format!("unknown key `{k}` (known keys: {})", TOP_KEYS.join(", ")),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(Problems(unknown));
        }
        // The table already parsed becomes the file's fields (the text is not parsed twice: at
        // start-up this is most of the time before the first frame); only when that fails is the
        // text parsed again, for the error with its line and column.
        let file: StandardFile = match toml::Value::Table(table).try_into() {
            Ok(file) => file,
            Err(_) => toml::from_str(text).map_err(|e| toml_problem(text, &e))?,
        };
        Self::from_file(file)
    }

    /// Checks a parsed file's format and content; the standard it holds.
    fn from_file(file: StandardFile) -> Result<Self, Problems> {
        let standard = Self::from_file_unchecked(file)?;
        let problems = standard.problems();
        if problems.is_empty() {
            Ok(standard)
        } else {
            Err(Problems(problems))
        }
    }

    /// Checks a parsed file's format and version only; the standard it holds, its content
    /// unchecked.
    fn from_file_unchecked(file: StandardFile) -> Result<Self, Problems> {
        if file.format != STANDARD_FORMAT {
            return Err(Problems(vec![Problem {
                place: "format".into(),
                message: format!(
                    "this is not a skills-scan standard file (format is `{}`, expected `{STANDARD_FORMAT}`)",
                    file.format
                ),
            }]));
        }
        if file.format_version > STANDARD_FORMAT_VERSION {
            return Err(Problems(vec![Problem {
                place: "format_version".into(),
                message: format!(
                    "made for a newer skills-scan (standard format version {}; this build reads up to {STANDARD_FORMAT_VERSION})",
                    file.format_version
                ),
            }]));
        }
        let s = file;
        let standard = Standard {
            reference: s.reference,
            version: s.version,
            title: s.title,
            level: s.level,
            route: s.route,
            typical_duration_months: s.typical_duration_months,
            max_funding_gbp: s.max_funding_gbp,
            job_titles: s.job_titles,
            form: s.form,
            options: s.options,
            ksbs: s.ksbs,
            duties: s.duties,
            behaviours: s.behaviours,
        };
        Ok(standard)
    }

    /// Checks the standard's consistency: unique codes and ids, known KSBs, every KSB asked about,
    /// no empty texts, no duty without questions. Used for files and for the snapshot in a scan.
    pub fn problems(&self) -> Vec<Problem> {
        let mut check = Check::default();
        check.texts(self);
        check.ksbs(&self.ksbs);
        if self.duties.is_empty() {
            check.push("duties", "no duties");
        }
        check.options(&self.options);
        for (i, d) in self.duties.iter().enumerate() {
            check.duty(i, d);
        }
        for (i, q) in self.behaviours.iter().enumerate() {
            check.question(&format!("behaviours[{i}]"), q);
        }
        for k in &self.ksbs {
            if !check.covered.contains(&k.code) {
                check.push(
                    format!("ksbs ({})", k.code),
                    format!("KSB `{}` is covered by no question", k.code),
                );
            }
        }
        check.out
    }

    /// The questions in the order the scan walks them: each duty's, then the behaviours.
    pub fn questions(&self) -> impl Iterator<Item = Located<'_>> {
        self.duties
            .iter()
            .flat_map(|d| {
                d.questions.iter().map(move |q| Located {
                    part: Part::Duty(d.number),
                    question: q,
                })
            })
            .chain(self.behaviours.iter().map(|q| Located {
                part: Part::Behaviours,
                question: q,
            }))
    }

    /// How many questions the scan has.
    pub fn question_count(&self) -> usize {
        self.duties.iter().map(|d| d.questions.len()).sum::<usize>() + self.behaviours.len()
    }

    /// A question by id.
    pub fn question(&self, id: &QuestionId) -> Option<Located<'_>> {
        self.questions().find(|l| l.question.id == *id)
    }

    /// A KSB statement by code.
    pub fn ksb(&self, code: &KsbCode) -> Option<&Ksb> {
        self.ksbs.iter().find(|k| k.code == *code)
    }

    /// A duty by number.
    pub fn duty(&self, number: u32) -> Option<&Duty> {
        self.duties.iter().find(|d| d.number == number)
    }

    /// The option with this id, if the standard has it.
    pub fn option(&self, id: &str) -> Option<&StandardOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// The standard as a learner on option `id` is asked it: the core duties and that option's
    /// (numbered from 1 in their order), the KSBs their questions and the behaviours cover, and only that option in `options`.
    /// `None` when the standard has no such option.
    pub fn for_option(&self, id: &str) -> Option<Standard> {
        let option = self.option(id)?.clone();
        let duties: Vec<Duty> = self
            .duties
            .iter()
            .filter(|d| d.options.is_empty() || d.options.iter().any(|o| o == id))
            .cloned()
            .collect();
        let asked: BTreeSet<&KsbCode> = duties
            .iter()
            .flat_map(|d| &d.questions)
            .chain(&self.behaviours)
            .flat_map(|q| &q.ksbs)
            .collect();
        // Numbered again 1, 2, 3… so the learner sees "Duty 2 of 3", not "Duty 4 of 3"; the
        // question ids (the answers' keys) stay the standard's.
        let duties = duties
            .iter()
            .zip(1..)
            .map(|(d, number)| Duty {
                number,
                ksbs: d
                    .ksbs
                    .iter()
                    .filter(|c| asked.contains(c))
                    .cloned()
                    .collect(),
                options: if d.options.is_empty() {
                    Vec::new()
                } else {
                    vec![option.id.clone()]
                },
                ..d.clone()
            })
            .collect();
        Some(Standard {
            options: vec![option],
            ksbs: self
                .ksbs
                .iter()
                .filter(|k| asked.contains(&k.code))
                .cloned()
                .collect(),
            duties,
            ..self.clone()
        })
    }

    /// "Peer worker (level 3)"; for a standard scoped to the learner's option (see
    /// [`Standard::for_option`]), "Community activity helper (level 2, option: Indoor activities)",
    /// so the screens, the summary and the email say which option the scan covers.
    pub fn display_name(&self) -> String {
        match self.options.as_slice() {
            [only] => format!(
                "{} (level {}, option: {})",
                self.title, self.level, only.title
            ),
            _ => format!("{} (level {})", self.title, self.level),
        }
    }

    /// Map from question id to its position in walk order.
    pub fn question_positions(&self) -> BTreeMap<&QuestionId, usize> {
        self.questions()
            .enumerate()
            .map(|(i, l)| (&l.question.id, i))
            .collect()
    }
}

/// Replaces `{eportfolio}` in a form text with the provider's e-portfolio name.
pub fn fill_eportfolio(text: &str, eportfolio: &str) -> String {
    text.replace("{eportfolio}", eportfolio)
}

/// The line of a top-level `key = …` (before the first `[table]`), if it can be found.
fn top_level_key_line(text: &str, key: &str) -> Option<usize> {
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with('[') {
            return None;
        }
        let bare = line.strip_prefix(key);
        let quoted = line
            .strip_prefix('"')
            .and_then(|l| l.strip_prefix(key))
            .and_then(|l| l.strip_prefix('"'));
        if let Some(rest) = bare.or(quoted)
            && rest.trim_start().starts_with(['=', '.'])
        {
            return Some(i + 1);
        }
    }
    None
}

fn toml_problem(text: &str, e: &toml::de::Error) -> Problems {
    let place = match e.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("line {line}, column {column}")
        }
        None => "file".to_string(),
    };
    Problems(vec![Problem {
        place,
        message: e.message().to_string(),
    }])
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The consistency checks of [`Standard::problems`], with what they have seen so far.
#[derive(Default)]
struct Check<'a> {
    /// The problems found, in the order checked.
    out: Vec<Problem>,
    /// KSB codes seen.
    codes: BTreeSet<&'a KsbCode>,
    /// KSB codes some question covers.
    covered: BTreeSet<&'a KsbCode>,
    /// Question ids seen.
    ids: BTreeSet<&'a QuestionId>,
    /// Option ids seen.
    option_ids: BTreeSet<&'a str>,
    /// Duty numbers seen.
    numbers: BTreeSet<u32>,
}

impl<'a> Check<'a> {
    fn push(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.out.push(Problem {
            place: place.into(),
            message: message.into(),
        });
    }

    /// No empty header or form text.
    fn texts(&mut self, s: &Standard) {
        for (field, value) in [
            ("reference", &s.reference),
            ("version", &s.version),
            ("title", &s.title),
            ("form.intro", &s.form.intro),
            ("form.baseline", &s.form.baseline),
            ("form.instructions", &s.form.instructions),
            ("form.confidentiality", &s.form.confidentiality),
            ("form.check_emails", &s.form.check_emails),
            ("form.closing", &s.form.closing),
        ] {
            if value.trim().is_empty() {
                self.push(field, "is empty");
            }
        }
    }

    /// Well-formed, unique KSB codes with statements.
    fn ksbs(&mut self, ksbs: &'a [Ksb]) {
        for (i, k) in ksbs.iter().enumerate() {
            let place = format!("ksbs[{i}] ({})", k.code);
            if let Err(e) = KsbCode::parse(k.code.as_str()) {
                self.push(place.clone(), e.to_string());
            }
            if !self.codes.insert(&k.code) {
                self.push(place.clone(), format!("duplicate KSB code `{}`", k.code));
            }
            if k.text.trim().is_empty() {
                self.push(place, "statement text is empty");
            }
        }
        if ksbs.is_empty() {
            self.push("ksbs", "no KSB statements");
        }
    }

    /// Unique option ids with titles.
    fn options(&mut self, options: &'a [StandardOption]) {
        for (i, o) in options.iter().enumerate() {
            let place = format!("options[{i}] ({})", o.id);
            if o.id.trim().is_empty() {
                self.push(place.clone(), "option id is empty");
            } else if !self.option_ids.insert(o.id.as_str()) {
                self.push(place.clone(), format!("duplicate option id `{}`", o.id));
            }
            if o.title.trim().is_empty() {
                self.push(place, "option title is empty");
            }
        }
    }

    /// One duty: known options and KSBs, a unique number, a title, and its questions.
    fn duty(&mut self, i: usize, d: &'a Duty) {
        let place = format!("duties[{i}] (Duty {})", d.number);
        for id in &d.options {
            if !self.option_ids.contains(id.as_str()) {
                self.push(place.clone(), format!("names unknown option `{id}`"));
            }
        }
        if !self.numbers.insert(d.number) {
            self.push(place.clone(), format!("duplicate duty number {}", d.number));
        }
        if d.title.trim().is_empty() {
            self.push(place.clone(), "duty title is empty");
        }
        for code in &d.ksbs {
            if !self.codes.contains(code) {
                self.push(place.clone(), format!("names unknown KSB `{code}`"));
            }
        }
        if d.questions.is_empty() {
            self.push(place.clone(), "duty has no questions");
        }
        for q in &d.questions {
            self.question(&place, q);
            let at = format!("{place} question `{}`", q.id);
            if q.kind == QuestionKind::Behaviour {
                self.push(at.clone(), "behaviour questions belong in [[behaviours]]");
            }
            for code in &q.ksbs {
                if self.codes.contains(code) && !d.ksbs.contains(code) {
                    self.push(
                        at.clone(),
                        format!("covers `{code}`, which the duty does not list"),
                    );
                }
            }
        }
    }

    /// One question: a unique id, a text, known KSBs (now covered).
    fn question(&mut self, place: &str, q: &'a Question) {
        let place = format!("{place} question `{}`", q.id);
        if let Err(e) = QuestionId::parse(q.id.as_str()) {
            self.push(place.clone(), e.to_string());
        } else if !self.ids.insert(&q.id) {
            self.push(place.clone(), format!("duplicate question id `{}`", q.id));
        }
        if q.text.trim().is_empty() {
            self.push(place.clone(), "question text is empty");
        }
        if q.ksbs.is_empty() {
            self.push(place.clone(), "question covers no KSB");
        }
        for code in &q.ksbs {
            if self.codes.contains(code) {
                self.covered.insert(code);
            } else {
                self.push(place.clone(), format!("names unknown KSB `{code}`"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Standard {
        Standard::embedded().expect("embedded standard is valid")
    }

    #[test]
    fn embedded_standard_read_from_its_build_time_json_equals_its_toml() {
        assert!(
            !EMBEDDED_PEER_WORKER_JSON.is_empty(),
            "build.rs converted the TOML"
        );
        let from_json: StandardFile =
            serde_json::from_str(EMBEDDED_PEER_WORKER_JSON).expect("the JSON reads");
        let from_json = Standard::from_file(from_json).expect("valid");
        assert_eq!(
            from_json,
            Standard::from_toml(EMBEDDED_PEER_WORKER).expect("valid")
        );
        assert_eq!(embedded(), from_json);
        // What a release build reads without the content checks is the standard they passed.
        let unchecked = Standard::from_file_unchecked(
            serde_json::from_str(EMBEDDED_PEER_WORKER_JSON).expect("the JSON reads"),
        )
        .expect("format and version");
        assert!(unchecked.problems().is_empty());
        assert_eq!(unchecked, from_json);
    }

    #[test]
    fn embedded_standard_has_113_ksbs_10_duties_25_questions() {
        let s = embedded();
        assert_eq!(s.ksbs.len(), 113);
        assert_eq!(s.duties.len(), 10);
        assert_eq!(s.behaviours.len(), 5);
        assert_eq!(s.question_count(), 25);
        assert_eq!(s.questions().count(), 25);
        assert_eq!(s.reference, "ST0896");
        assert_eq!(s.version, "1.0");
    }

    #[test]
    fn skills_questions_cover_s_codes_and_knowledge_k_codes() {
        let s = embedded();
        for d in &s.duties {
            for q in &d.questions {
                let prefix = match q.kind {
                    QuestionKind::Skills => 'S',
                    QuestionKind::Knowledge => 'K',
                    QuestionKind::Behaviour => panic!("no behaviour in duties"),
                };
                assert!(
                    q.ksbs.iter().all(|c| c.as_str().starts_with(prefix)),
                    "{}",
                    q.id
                );
            }
        }
    }

    #[test]
    fn walk_order_is_duties_then_behaviours() {
        let s = embedded();
        let ids: Vec<&str> = s.questions().map(|l| l.question.id.as_str()).collect();
        assert_eq!(ids[0], "d1-skills");
        assert_eq!(ids[1], "d1-knowledge");
        assert_eq!(ids[19], "d10-knowledge");
        assert_eq!(ids[20], "b1");
        assert_eq!(ids[24], "b5");
    }

    #[test]
    fn toml_syntax_error_has_line_and_column() {
        let err = Standard::from_toml("format = \"x\"\nreference = \n").unwrap_err();
        assert!(err.0[0].place.starts_with("line 2, column"), "{err}");
    }

    #[test]
    fn unknown_ksb_duplicate_and_uncovered_are_all_reported() {
        let text = EMBEDDED_PEER_WORKER
            .replacen("code = \"K2\"", "code = \"K1\"", 1)
            .replacen("ksbs = [\"B3\"]", "ksbs = [\"B9\"]", 1);
        let err = Standard::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("duplicate KSB code `K1`"), "{err}");
        assert!(err.contains("names unknown KSB `B9`"), "{err}");
        assert!(err.contains("KSB `B3` is covered by no question"), "{err}");
    }

    #[test]
    fn unknown_top_level_key_is_named() {
        let text = format!("colour = \"blue\"\n{EMBEDDED_PEER_WORKER}");
        let err = Standard::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("unknown key `colour`"), "{err}");
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncŵd", 6), (2, 3));
        assert_eq!(line_column("", 0), (1, 1));
    }

    #[test]
    fn fill_eportfolio_replaces_placeholder() {
        assert_eq!(
            fill_eportfolio("on {eportfolio}.", "OneFile"),
            "on OneFile."
        );
    }
}
