//! Importing a standard as the Institute for Apprenticeships publishes it (JSON: one standard
//! object or an array of them) into a [`Standard`] with generated questions, and writing that
//! standard as a commented TOML standard file a provider can read and edit.
//!
//! Pure: takes text, returns standards, warnings and problems naming the item concerned.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::standard::{
    Duty, Form, Ksb, KsbCode, Problem, Problems, Question, QuestionKind, STANDARD_FORMAT,
    STANDARD_FORMAT_VERSION, Standard, StandardOption,
};

/// One standard of the published file, imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The standard, checked by [`Standard::problems`].
    pub standard: Standard,
    /// Things the provider should know (an unknown id left out, KSBs mapped to no duty…).
    pub warnings: Vec<Problem>,
}

/// One record of the published file: where it is and what came of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `standard 2 (ST0896 v1.0)` or `the standard`.
    pub label: String,
    /// `referenceNumber`, as published (empty when missing).
    pub reference: String,
    /// `version`, as published (empty when missing).
    pub version: String,
    /// The standard, or every problem that stops it.
    pub result: Result<Imported, Problems>,
}

/// Parses a published standards file: one object or an array of objects. A file that is not JSON,
/// or JSON that is not standards, is one error; each standard in it succeeds or fails on its own.
pub fn parse(text: &str) -> Result<Vec<Record>, Problems> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        one(
            format!("line {}, column {}", e.line(), e.column()),
            format!("this is not valid JSON ({e})"),
        )
    })?;
    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![&value],
        _ => {
            return Err(one(
                "file".into(),
                "this is not a published standard: expected one standard object or an array of them"
                    .into(),
            ));
        }
    };
    if items.is_empty() {
        return Err(one("file".into(), "the array holds no standards".into()));
    }
    let many = matches!(value, Value::Array(_));
    let mut records = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(obj) = item else {
            return Err(one(
                format!("[{i}]"),
                "this is not a published standard: the array holds something other than standard objects"
                    .into(),
            ));
        };
        if get(obj, "referenceNumber").is_none()
            && get(obj, "knowledges").is_none()
            && get(obj, "duties").is_none()
        {
            return Err(one(
                if many { format!("[{i}]") } else { "file".into() },
                "this is not a published standard: it has no referenceNumber, knowledges or duties (is it the Institute's standard JSON?)"
                    .into(),
            ));
        }
        let reference = text_of(get(obj, "referenceNumber")).unwrap_or_default();
        let version = text_of(get(obj, "version")).unwrap_or_default();
        let label = if many {
            format!(
                "standard {} ({} v{})",
                i + 1,
                or_unknown(&reference),
                or_unknown(&version)
            )
        } else {
            format!(
                "the standard ({} v{})",
                or_unknown(&reference),
                or_unknown(&version)
            )
        };
        let result = import_one(obj).map_err(Problems);
        records.push(Record {
            label,
            reference,
            version,
            result,
        });
    }
    Ok(records)
}

/// Whether a record is the one named by `--reference`: `ST0896` (any version) or `ST0896:1.0`.
pub fn matches(record: &Record, wanted: &str) -> bool {
    let (reference, version) = match wanted.split_once(':') {
        Some((r, v)) => (r.trim(), Some(v.trim())),
        None => (wanted.trim(), None),
    };
    record.reference.eq_ignore_ascii_case(reference) && version.is_none_or(|v| v == record.version)
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() { "?" } else { s }
}

fn one(place: String, message: String) -> Problems {
    Problems(vec![Problem { place, message }])
}

/// A field by name, in any letter case (`dutyId`, `dutyID`); JSON `null` counts as absent.
fn get<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name)
        .or_else(|| {
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_null())
}

/// The first of several names present.
fn get_any<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| get(obj, n))
}

/// A string or number as trimmed text.
fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An id as compared: GUIDs in any case, with or without braces.
fn id_key(v: &Value) -> Option<String> {
    let t = text_of(Some(v))?;
    let t = t.trim_start_matches('{').trim_end_matches('}').trim();
    (!t.is_empty()).then(|| t.to_ascii_lowercase())
}

fn truthy(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_f64().is_some_and(|x| x != 0.0)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Collects errors and warnings for one standard.
struct Report {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Report {
    fn error(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Problem {
            place: place.into(),
            message: message.into(),
        });
    }
    fn warn(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem {
            place: place.into(),
            message: message.into(),
        });
    }
}

/// A KSB list of the published standard, with codes and the id → code map.
struct KsbList {
    ksbs: Vec<Ksb>,
    by_id: BTreeMap<String, KsbCode>,
}

/// `"K1: text"` → (`K1`, `text`) when the detail starts with a code of its own kind.
fn own_code(detail: &str, letter: char) -> Option<(KsbCode, &str)> {
    let rest = detail.strip_prefix(letter)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let (number, after) = rest.split_at(digits);
    let after = after.trim_start();
    let text = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix('.'))
        .or_else(|| after.strip_prefix('-'))
        .or_else(|| after.strip_prefix('–'))
        .or_else(|| after.strip_prefix('—'))?;
    let number: u32 = number.parse().ok()?;
    Some((format!("{letter}{number}").into(), text.trim()))
}

fn ksb_list(
    obj: &Map<String, Value>,
    list: &str,
    id_field: &str,
    letter: char,
    report: &mut Report,
) -> KsbList {
    let mut out = KsbList {
        ksbs: Vec::new(),
        by_id: BTreeMap::new(),
    };
    let items = match get(obj, list) {
        None => return out,
        Some(Value::Array(items)) => items,
        Some(_) => {
            report.error(list, "is not a list");
            return out;
        }
    };
    let mut first_place: BTreeMap<String, String> = BTreeMap::new();
    let mut code_place: BTreeMap<KsbCode, String> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let place = format!("{list}[{i}]");
        let Value::Object(item) = item else {
            report.error(place, "is not an object with an id and a detail");
            continue;
        };
        let detail = text_of(get(item, "detail")).unwrap_or_default();
        let (code, text) = match own_code(&detail, letter) {
            Some((code, text)) => (code, text.to_string()),
            None => (format!("{letter}{}", i + 1).into(), detail.clone()),
        };
        let place = format!("{place} ({code})");
        if text.is_empty() {
            report.error(&place, "detail is empty: the statement has no text");
        }
        if let Some(other) = code_place.get(&code) {
            report.error(
                &place,
                format!("KSB code `{code}` is also the code of {other}"),
            );
        } else {
            code_place.insert(code.clone(), place.clone());
        }
        match get(item, id_field).and_then(id_key) {
            None => report.error(&place, format!("has no {id_field}")),
            Some(id) => {
                if let Some(other) = first_place.get(&id) {
                    report.error(
                        &place,
                        format!("duplicate {id_field} `{id}` (also {other})"),
                    );
                } else {
                    first_place.insert(id.clone(), place.clone());
                    out.by_id.insert(id, code.clone());
                }
            }
        }
        out.ksbs.push(Ksb { code, text });
    }
    out
}

fn code_number(code: &str) -> u32 {
    code.get(1..)
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

fn kind_rank(code: &str) -> u8 {
    match code.as_bytes().first() {
        Some(b'K') => 0,
        Some(b'S') => 1,
        _ => 2,
    }
}

/// Sorts codes K…, S…, B…, each by number, without repeats.
fn sort_codes(codes: &mut Vec<KsbCode>) {
    codes.sort_by_key(|c| (kind_rank(c.as_str()), code_number(c.as_str())));
    codes.dedup();
}

/// A short id from a title: lower case words joined by `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
        if out.len() > 40 {
            break;
        }
    }
    out
}

fn import_options(
    obj: &Map<String, Value>,
    report: &mut Report,
) -> (Vec<StandardOption>, BTreeMap<String, String>) {
    let mut options = Vec::new();
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    let core_and_options = truthy(get(obj, "coreAndOptions")).unwrap_or(false);
    let items = match get(obj, "options") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => {
            report.error("options", "is not a list");
            &[]
        }
        None => &[],
    };
    if !core_and_options {
        if !items.is_empty() {
            report.warn(
                "options",
                "coreAndOptions is not true, so the options listed are ignored: every duty is asked",
            );
        }
        return (options, by_key);
    }
    if items.is_empty() {
        report.warn(
            "coreAndOptions",
            "is true but no options are listed: every duty is asked",
        );
    }
    let mut ids = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let place = format!("options[{i}]");
        let Value::Object(item) = item else {
            report.error(place, "is not an object with an optionId and a title");
            continue;
        };
        let title = text_of(get(item, "title")).unwrap_or_default();
        let place = format!("{place} ({title})");
        if title.is_empty() {
            report.error(&place, "title is empty");
        }
        let mut id = slug(&title);
        if id.is_empty() {
            id = format!("option-{}", i + 1);
        }
        let base = id.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        match get(item, "optionId").and_then(id_key) {
            None => report.error(&place, "has no optionId"),
            Some(key) => {
                if by_key.insert(key.clone(), id.clone()).is_some() {
                    report.error(&place, format!("duplicate optionId `{key}`"));
                }
            }
        }
        // Some files map duties to options by title rather than by id.
        by_key
            .entry(title.to_ascii_lowercase())
            .or_insert_with(|| id.clone());
        options.push(StandardOption { id, title });
    }
    (options, by_key)
}

/// `S1: text; S2: text` — a duty's statements of one kind, for a question's paragraph.
fn statements(codes: &[KsbCode], all: &BTreeMap<&str, &str>) -> String {
    codes
        .iter()
        .map(|c| {
            let text = all.get(c.as_str()).copied().unwrap_or_default();
            let text = text.trim_end_matches(['.', ';', ' ']);
            format!("{c} {text}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A duty's questions: one on its skills (`S` codes), then one on its knowledge (`K` codes),
/// each only where the duty has such codes.
fn duty_questions(
    number: u32,
    detail: &str,
    codes: &[KsbCode],
    all: &BTreeMap<&str, &str>,
) -> Vec<Question> {
    [(QuestionKind::Skills, 'S'), (QuestionKind::Knowledge, 'K')]
        .into_iter()
        .filter_map(|(kind, letter)| {
            let codes: Vec<KsbCode> = codes
                .iter()
                .filter(|c| c.as_str().starts_with(letter))
                .cloned()
                .collect();
            (!codes.is_empty()).then(|| duty_question(kind, number, detail, codes, all))
        })
        .collect()
}

/// A Skills or Knowledge question on a duty: the duty as a sentence, its statements, the ask.
fn duty_question(
    kind: QuestionKind,
    number: u32,
    detail: &str,
    codes: Vec<KsbCode>,
    all: &BTreeMap<&str, &str>,
) -> Question {
    let (id, lead, ask) = match kind {
        QuestionKind::Knowledge => (
            "knowledge",
            "To do this duty you need to know",
            "How much of this do you already know? Say what you know and how you learnt it:",
        ),
        _ => (
            "skills",
            "This duty asks you to be able to",
            "How much of this do you already do in your work? Say what you do and how often:",
        ),
    };
    Question {
        id: format!("d{number}-{id}").into(),
        kind,
        text: format!(
            "{}\n\n{lead}: {}.\n\n{ask}",
            sentence(detail),
            statements(&codes, all)
        ),
        ksbs: codes,
    }
}

/// The duty as a sentence: "Duty: establish safe relationships." with a full stop.
fn sentence(detail: &str) -> String {
    let d = detail.trim().trim_end_matches(['.', ';', ':']);
    format!("This duty: {d}.")
}

/// The standard's reference, version, title and level, each reported when missing; a status
/// other than approved is a warning.
fn identity(obj: &Map<String, Value>, report: &mut Report) -> (String, String, String, u8) {
    let mut required = |field: &str| {
        let value = text_of(get(obj, field)).unwrap_or_default();
        if value.is_empty() {
            report.error(field, "is missing or empty");
        }
        value
    };
    let (reference, version, title) = (
        required("referenceNumber"),
        required("version"),
        required("title"),
    );
    let level = match get(obj, "level") {
        None => {
            report.error("level", "is missing");
            0
        }
        Some(v) => text_of(Some(v))
            .and_then(|t| t.parse::<u8>().ok())
            .unwrap_or_else(|| {
                report.error("level", format!("`{v}` is not a level (a whole number)"));
                0
            }),
    };
    if let Some(status) = text_of(get(obj, "status"))
        && !status.is_empty()
        && !status.to_ascii_lowercase().contains("approved")
    {
        report.warn("status", format!("the standard's status is \"{status}\""));
    }
    (reference, version, title, level)
}

/// The standard's three KSB lists, by the field that maps a duty to each.
struct Lists {
    knowledge: KsbList,
    skills: KsbList,
    behaviours: KsbList,
}

/// The KSB codes a duty maps (`mappedKnowledge`, `mappedSkills`, `mappedBehaviour`), in the
/// standard's order; ids not in the standard's lists are left out with a warning.
fn mapped_codes(
    item: &Map<String, Value>,
    place: &str,
    lists: &Lists,
    report: &mut Report,
) -> Vec<KsbCode> {
    let mut codes = Vec::new();
    for (field, others, list) in [
        ("mappedKnowledge", &[][..], &lists.knowledge),
        ("mappedSkills", &["mappedSkill"][..], &lists.skills),
        (
            "mappedBehaviour",
            &["mappedBehaviours"][..],
            &lists.behaviours,
        ),
    ] {
        let names: Vec<&str> = std::iter::once(field)
            .chain(others.iter().copied())
            .collect();
        let ids: &[Value] = match get_any(item, &names) {
            Some(Value::Array(ids)) => ids,
            Some(_) => {
                report.error(place, format!("{field} is not a list of ids"));
                &[]
            }
            None => &[],
        };
        for id in ids {
            let Some(key) = id_key(id) else {
                report.warn(place, format!("{field} holds an empty id"));
                continue;
            };
            match list.by_id.get(&key) {
                Some(code) => codes.push(code.clone()),
                None => report.warn(
                    place,
                    format!("{field} names `{key}`, which is not in the standard's list: left out"),
                ),
            }
        }
    }
    sort_codes(&mut codes);
    codes
}

/// The options a duty that is not core belongs to (none: asked of every learner, as is a duty
/// in every option).
fn duty_options(
    item: &Map<String, Value>,
    place: &str,
    options: &[StandardOption],
    option_keys: &BTreeMap<String, String>,
    report: &mut Report,
) -> Vec<String> {
    let mut out = Vec::new();
    if options.is_empty() || truthy(get(item, "isThisACoreDuty")) == Some(true) {
        return out;
    }
    let ids: &[Value] = match get(item, "mappedOptions") {
        Some(Value::Array(ids)) => ids,
        _ => &[],
    };
    for id in ids {
        let key = id_key(id).unwrap_or_default();
        match option_keys.get(&key) {
            Some(o) if !out.contains(o) => out.push(o.clone()),
            Some(_) => {}
            None => report.warn(
                place,
                format!("mappedOptions names `{key}`, which is not one of the options"),
            ),
        }
    }
    if out.is_empty() {
        report.warn(
            place,
            "is not a core duty but belongs to no known option: asked of every learner",
        );
    } else if out.len() == options.len() {
        out.clear();
    }
    out
}

/// What the duties are read against: the KSB lists, their texts, the options.
struct DutyContext<'a> {
    lists: &'a Lists,
    texts: &'a BTreeMap<&'a str, &'a str>,
    options: &'a [StandardOption],
    option_keys: &'a BTreeMap<String, String>,
}

/// The published duties as the scan's duties, numbered in order; a duty with nothing to ask is
/// left out (with a warning) and takes no number, so the scan counts "Duty 3 of 9".
fn import_duties(obj: &Map<String, Value>, cx: &DutyContext<'_>, report: &mut Report) -> Vec<Duty> {
    let duty_items = match get(obj, "duties") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => {
            report.error("duties", "is not a list");
            &[]
        }
        None => {
            report.error("duties", "is missing");
            &[]
        }
    };
    let mut duties = Vec::new();
    let mut duty_ids: BTreeMap<String, String> = BTreeMap::new();
    for (i, item) in duty_items.iter().enumerate() {
        let place = format!("duties[{i}] (Duty {})", i + 1);
        let number = u32::try_from(duties.len() + 1).unwrap_or(u32::MAX);
        let Value::Object(item) = item else {
            report.error(place, "is not a duty object");
            continue;
        };
        match get(item, "dutyId").and_then(id_key) {
            None => report.warn(&place, "has no dutyId"),
            Some(id) => {
                if let Some(other) = duty_ids.get(&id) {
                    report.warn(&place, format!("duplicate dutyId `{id}` (also {other})"));
                } else {
                    duty_ids.insert(id, place.clone());
                }
            }
        }
        let detail = text_of(get(item, "dutyDetail")).unwrap_or_default();
        if detail.is_empty() {
            report.error(&place, "dutyDetail is empty: the duty has no text");
        }
        let codes = mapped_codes(item, &place, cx.lists, report);
        let options = duty_options(item, &place, cx.options, cx.option_keys, report);
        let questions = duty_questions(number, &detail, &codes, cx.texts);
        if questions.is_empty() {
            report.warn(
                &place,
                if codes.is_empty() {
                    "maps no knowledge or skill: left out (it has nothing to ask)"
                } else {
                    "maps only behaviours, which are asked after the duties: left out"
                },
            );
            continue;
        }
        duties.push(Duty {
            number,
            title: detail,
            ksbs: codes,
            options,
            questions,
        });
    }
    duties
}

/// Every knowledge and skill is evaluated: those no duty maps become a duty of their own, after
/// the others (only when the rest imported without errors).
fn unmapped_duty(
    duties: &[Duty],
    lists: &Lists,
    texts: &BTreeMap<&str, &str>,
    report: &mut Report,
) -> Option<Duty> {
    let mapped: BTreeSet<&KsbCode> = duties.iter().flat_map(|d| &d.ksbs).collect();
    let unmapped: Vec<KsbCode> = lists
        .knowledge
        .ksbs
        .iter()
        .chain(&lists.skills.ksbs)
        .map(|k| k.code.clone())
        .filter(|c| !mapped.contains(c))
        .collect();
    if unmapped.is_empty() || !report.errors.is_empty() {
        return None;
    }
    let number = duties.iter().map(|d| d.number).max().unwrap_or(0) + 1;
    report.warn(
        "duties",
        format!(
            "{} mapped to no duty: asked in a group of their own, \"Duty {number}\"",
            unmapped.join(", ")
        ),
    );
    let detail = "Other knowledge and skills of the standard, not mapped to a duty";
    Some(Duty {
        number,
        title: detail.into(),
        questions: duty_questions(number, detail, &unmapped, texts),
        ksbs: unmapped,
        options: Vec::new(),
    })
}

/// A figure of the published standard (`typicalDuration`, `maxFunding`), when it is a
/// plausible positive number below `limit`, rounded.
fn whole_number(v: Option<&Value>, limit: f64) -> Option<u32> {
    text_of(v)
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|m| *m > 0.0 && *m < limit)
        .map(|m| m.round() as u32)
}

fn import_one(obj: &Map<String, Value>) -> Result<Imported, Vec<Problem>> {
    let mut report = Report {
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let (reference, version, title, level) = identity(obj, &mut report);
    let lists = Lists {
        knowledge: ksb_list(obj, "knowledges", "knowledgeId", 'K', &mut report),
        skills: ksb_list(obj, "skills", "skillId", 'S', &mut report),
        behaviours: ksb_list(obj, "behaviours", "behaviourId", 'B', &mut report),
    };
    let (options, option_keys) = import_options(obj, &mut report);
    let all: Vec<Ksb> = lists
        .knowledge
        .ksbs
        .iter()
        .chain(&lists.skills.ksbs)
        .chain(&lists.behaviours.ksbs)
        .cloned()
        .collect();
    if all.is_empty() {
        report.error(
            "knowledges, skills, behaviours",
            "the standard has no KSB statements",
        );
    }
    let texts: BTreeMap<&str, &str> = all
        .iter()
        .map(|k| (k.code.as_str(), k.text.as_str()))
        .collect();
    let cx = DutyContext {
        lists: &lists,
        texts: &texts,
        options: &options,
        option_keys: &option_keys,
    };
    let mut duties = import_duties(obj, &cx, &mut report);
    duties.extend(unmapped_duty(&duties, &lists, &texts, &mut report));
    let behaviour_questions = lists
        .behaviours
        .ksbs
        .iter()
        .map(|b| Question {
            id: b.code.as_str().to_ascii_lowercase().into(),
            kind: QuestionKind::Behaviour,
            text: b.text.clone(),
            ksbs: vec![b.code.clone()],
        })
        .collect();
    let intro = text_of(get(obj, "overviewOfRole")).unwrap_or_default();
    let intro = if intro.is_empty() {
        report.warn(
            "overviewOfRole",
            "is empty: the welcome screen names the occupation only",
        );
        format!("{title}, level {level}.")
    } else {
        intro
    };
    if !report.errors.is_empty() {
        return Err(report.errors);
    }
    let standard = Standard {
        reference,
        version,
        title,
        level,
        route: text_of(get(obj, "route")).unwrap_or_default(),
        typical_duration_months: whole_number(get(obj, "typicalDuration"), 1000.0),
        max_funding_gbp: whole_number(get(obj, "maxFunding"), 1e9),
        job_titles: job_titles(get(obj, "typicalJobTitles")),
        form: form(intro),
        options,
        ksbs: all,
        duties,
        behaviours: behaviour_questions,
    };
    let problems = standard.problems();
    if problems.is_empty() {
        Ok(Imported {
            standard,
            warnings: report.warnings,
        })
    } else {
        Err(problems)
    }
}

/// `typicalJobTitles`: a list, or one text with titles separated by `|`.
fn job_titles(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| text_of(Some(i))).collect(),
        Some(Value::String(s)) => s.split('|').map(str::trim).map(String::from).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|t| !t.is_empty())
    .collect()
}

/// The questionnaire's texts: the intro from the standard, the rest the Peer worker form's,
/// worded for any occupation.
fn form(intro: String) -> Form {
    Form {
        intro,
        baseline: "We need to ensure you require substantial learning and development to access a funded apprenticeship. You do not need to research topics to answer. This is about what you may already know or do, so we can get a baseline and create a personal learning programme. You may also wish to state areas you would like to develop further.".into(),
        instructions: "Please rate each question with Yes, Some or No\n\nPlease note if you answer Yes or Some to any of the questions, a box will appear and you will need to write about what you already know and/or do. If you have any qualifications, competency evidence or certification applicable to the question, it is very important you attach these to your {eportfolio} learning assessment record.".into(),
        confidentiality: "Please ensure you always maintain confidentiality and avoid putting any names of colleagues, customers, clients or patients.".into(),
        check_emails: "Check the emails you have entered are correct before you submit: your summary goes to both.".into(),
        closing: "Reminder: your completed skills scan will be emailed to you immediately, please upload to the skills scan learning assessment record on {eportfolio}, with any other evidence. This is very important as your allocated coach will review before the planning meeting.\n\nPlease inform your manager they will receive your skills scan.\n\nAt the planning meeting with your coach, your line manager will be asked to confirm it is correct and /or identify further areas of development.".into(),
    }
}

/// The installed file's name: `st0896-1.0-peer-worker.toml`.
pub fn file_name(s: &Standard) -> String {
    let clean = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let mut name = format!("{}-{}", clean(&s.reference), clean(&s.version));
    let title = slug(&s.title);
    if !title.is_empty() {
        name.push('-');
        name.push_str(&title);
    }
    name.push_str(".toml");
    name
}

/// A TOML string: a basic string, or a multi-line one (starting on its own line) for text that
/// has line breaks.
fn toml_str(s: &str) -> String {
    let multi = s.contains('\n');
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(if multi { "\"\"\"\n" } else { "\"" });
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' if multi => out.push('\n'),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push_str(if multi { "\"\"\"" } else { "\"" });
    out
}

fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|i| toml_str(i.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// The standard as a standard file (the layout of `data/README.md`), with comments telling the
/// provider what came from the published standard and what they may edit. `source` names the
/// file it was imported from.
pub fn to_toml(s: &Standard, source: &str) -> String {
    let mut o = String::new();
    toml_header(&mut o, s, source);
    toml_form(&mut o, &s.form);
    toml_options_and_ksbs(&mut o, s);
    toml_duties(&mut o, s);
    o
}

/// The comment at the top and the standard's own fields.
fn toml_header(o: &mut String, s: &Standard, source: &str) {
    let _ = writeln!(
        o,
        "# {} (level {}, {} v{}), as a skills scan.",
        one_line(&s.title),
        s.level,
        one_line(&s.reference),
        one_line(&s.version)
    );
    let _ = writeln!(
        o,
        "#\n# Imported by `skills-scan standard import` from the Institute for Apprenticeships' published\n# standard ({}). The KSB codes, statements and the duty -> KSB mapping are the standard's:\n# keep them as they are. The question paragraphs were generated from each duty: read them, and\n# edit them freely to suit your learners. Question ids are the keys of learners' answers: once\n# scans exist, never rename an id. The layout of this file is described in the skills-scan\n# data/README.md. Check your edits with `skills-scan standard --check FILE`.\n",
        one_line(source)
    );
    let _ = writeln!(o, "format = {}", toml_str(STANDARD_FORMAT));
    let _ = writeln!(o, "format_version = {STANDARD_FORMAT_VERSION}");
    let _ = writeln!(o, "reference = {}", toml_str(&s.reference));
    let _ = writeln!(o, "version = {}", toml_str(&s.version));
    let _ = writeln!(o, "title = {}", toml_str(&s.title));
    let _ = writeln!(o, "level = {}", s.level);
    if !s.route.is_empty() {
        let _ = writeln!(o, "route = {}", toml_str(&s.route));
    }
    if let Some(m) = s.typical_duration_months {
        let _ = writeln!(o, "typical_duration_months = {m}");
    }
    if let Some(m) = s.max_funding_gbp {
        let _ = writeln!(o, "max_funding_gbp = {m}");
    }
    if !s.job_titles.is_empty() {
        let _ = writeln!(o, "job_titles = {}", toml_list(&s.job_titles));
    }
}

/// The texts around the questions.
fn toml_form(o: &mut String, f: &Form) {
    let _ = writeln!(
        o,
        "\n[form]\n# The texts around the questions; edit them freely. {{eportfolio}} is replaced by the\n# e-portfolio named in the config. The intro is the standard's overview of the role."
    );
    for (key, value) in [
        ("intro", &f.intro),
        ("baseline", &f.baseline),
        ("instructions", &f.instructions),
        ("confidentiality", &f.confidentiality),
        ("check_emails", &f.check_emails),
        ("closing", &f.closing),
    ] {
        let _ = writeln!(o, "{key} = {}", toml_str(value));
    }
}

/// The options, then every KSB statement.
fn toml_options_and_ksbs(o: &mut String, s: &Standard) {
    if !s.options.is_empty() {
        let _ = writeln!(
            o,
            "\n# The options of this core-and-options standard: a learner picks one at the start and is\n# asked the core duties and that option's duties."
        );
        for opt in &s.options {
            let _ = writeln!(
                o,
                "[[options]]\nid = {}\ntitle = {}\n",
                toml_str(&opt.id),
                toml_str(&opt.title)
            );
        }
    }
    let _ = writeln!(
        o,
        "\n# Every knowledge (K), skill (S) and behaviour (B) statement of the standard, verbatim."
    );
    for k in &s.ksbs {
        let _ = writeln!(
            o,
            "[[ksbs]]\ncode = {}\ntext = {}\n",
            toml_str(k.code.as_str()),
            toml_str(&k.text)
        );
    }
}

/// The duties with their questions, then the behaviours.
fn toml_duties(o: &mut String, s: &Standard) {
    let _ = writeln!(
        o,
        "# The duties with the KSBs the standard maps to each, and the scan's questions on each duty\n# (generated: a Skills question on the duty's skills, a Knowledge question on its knowledge)."
    );
    for d in &s.duties {
        let _ = writeln!(
            o,
            "[[duties]]\nnumber = {}\ntitle = {}\nksbs = {}",
            d.number,
            toml_str(&d.title),
            toml_list(&d.ksbs)
        );
        if !d.options.is_empty() {
            let _ = writeln!(o, "options = {}", toml_list(&d.options));
        }
        o.push('\n');
        for q in &d.questions {
            write_question(o, "duties.questions", q);
        }
    }
    let _ = writeln!(
        o,
        "# The behaviours, asked after the duties: one question each (the statement itself)."
    );
    for q in &s.behaviours {
        write_question(o, "behaviours", q);
    }
}

fn write_question(o: &mut String, table: &str, q: &Question) {
    let kind = match q.kind {
        QuestionKind::Skills => "skills",
        QuestionKind::Knowledge => "knowledge",
        QuestionKind::Behaviour => "behaviour",
    };
    let _ = writeln!(
        o,
        "[[{table}]]\nid = {}\nkind = \"{kind}\"\ntext = {}\nksbs = {}\n",
        toml_str(q.id.as_str()),
        toml_str(&q.text),
        toml_list(&q.ksbs)
    );
}

/// A text for a comment line: no line breaks.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "referenceNumber": "ST9001",
            "version": "1.1",
            "title": "Example maker",
            "level": 2,
            "status": "Approved for delivery",
            "overviewOfRole": "Makes examples.",
            "knowledges": [
                {"knowledgeId": "aaaaaaaa-0000-4000-8000-000000000001", "detail": "What an example is"},
                {"knowledgeId": "AAAAAAAA-0000-4000-8000-000000000002", "detail": "Where examples go"}
            ],
            "skills": [
                {"skillId": "s-one", "detail": "S1: Make an example"},
                {"skillId": "s-two", "detail": "S2: Check an example"}
            ],
            "behaviours": [
                {"behaviourId": 7, "detail": "Takes care"}
            ],
            "duties": [
                {"dutyId": "d-1", "dutyDetail": "Make examples",
                 "mappedKnowledge": ["{aaaaaaaa-0000-4000-8000-000000000001}"],
                 "mappedSkills": ["s-one"], "mappedBehaviour": [7]},
                {"dutyID": "d-2", "dutyDetail": "Check examples",
                 "mappedKnowledge": ["aaaaaaaa-0000-4000-8000-000000000002"],
                 "mappedSkills": ["s-two"], "mappedBehaviour": []}
            ]
        })
    }

    fn import(v: &Value) -> Result<Imported, Problems> {
        let mut records = parse(&v.to_string()).expect("a standard");
        assert_eq!(records.len(), 1);
        records.remove(0).result
    }

    fn err_text(v: &Value) -> String {
        import(v).expect_err("refused").to_string()
    }

    #[test]
    fn minimal_standard_imports_with_questions_per_duty_and_behaviour() {
        let s = import(&minimal()).expect("imports").standard;
        assert!(s.problems().is_empty());
        let codes: Vec<&str> = s.ksbs.iter().map(|k| k.code.as_str()).collect();
        assert_eq!(codes, ["K1", "K2", "S1", "S2", "B1"]);
        assert_eq!(
            s.ksb(&"S1".into()).map(|k| k.text.as_str()),
            Some("Make an example")
        );
        assert_eq!(s.duties[0].ksbs, ["K1", "S1", "B1"]);
        assert_eq!(s.duties[1].ksbs, ["K2", "S2"]);
        let ids: Vec<&str> = s.questions().map(|l| l.question.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "d1-skills",
                "d1-knowledge",
                "d2-skills",
                "d2-knowledge",
                "b1"
            ]
        );
        let q = &s.duties[0].questions[0];
        assert!(q.text.contains("Make examples"), "{}", q.text);
        assert!(q.text.contains("S1 Make an example"), "{}", q.text);
        assert_eq!(s.form.intro, "Makes examples.");
        assert_eq!(s.behaviours[0].text, "Takes care");
    }

    #[test]
    fn a_duty_with_one_kind_gets_one_question() {
        let mut v = minimal();
        v["duties"][1]["mappedKnowledge"] = json!([]);
        let s = import(&v).expect("imports").standard;
        assert_eq!(s.duties[1].questions.len(), 1);
        assert_eq!(s.duties[1].questions[0].kind, QuestionKind::Skills);
    }

    #[test]
    fn array_imports_each_and_reference_selects() {
        let mut second = minimal();
        second["version"] = json!("1.2");
        let text = Value::Array(vec![minimal(), second]).to_string();
        let records = parse(&text).expect("parses");
        assert_eq!(records.len(), 2);
        assert!(records.iter().all(|r| r.result.is_ok()));
        assert!(records[0].label.contains("standard 1 (ST9001 v1.1)"));
        assert!(matches(&records[1], "st9001:1.2"));
        assert!(!matches(&records[0], "ST9001:1.2"));
        assert!(matches(&records[0], "ST9001"));
    }

    #[test]
    fn unmapped_ksbs_become_their_own_group_with_a_warning() {
        let mut v = minimal();
        v["duties"][1]["mappedKnowledge"] = json!([]);
        let imported = import(&v).expect("imports");
        let last = imported.standard.duties.last().expect("a group");
        assert_eq!(last.number, 3);
        assert_eq!(last.ksbs, ["K2"]);
        assert_eq!(last.questions[0].id, "d3-knowledge");
        assert!(
            imported
                .warnings
                .iter()
                .any(|w| w.message.contains("K2 mapped to no duty")),
            "{:?}",
            imported.warnings
        );
    }

    #[test]
    fn duplicate_and_missing_ids_are_errors_naming_the_item() {
        let mut v = minimal();
        v["skills"][1]["skillId"] = json!("S-ONE");
        v["knowledges"][1]
            .as_object_mut()
            .expect("obj")
            .remove("knowledgeId");
        let err = err_text(&v);
        assert!(
            err.contains("skills[1] (S2): duplicate skillId `s-one` (also skills[0] (S1))"),
            "{err}"
        );
        assert!(
            err.contains("knowledges[1] (K2): has no knowledgeId"),
            "{err}"
        );
    }

    #[test]
    fn empty_details_are_errors_naming_the_item() {
        let mut v = minimal();
        v["knowledges"][0]["detail"] = json!("  ");
        v["duties"][1]["dutyDetail"] = json!("");
        let err = err_text(&v);
        assert!(err.contains("knowledges[0] (K1): detail is empty"), "{err}");
        assert!(
            err.contains("duties[1] (Duty 2): dutyDetail is empty"),
            "{err}"
        );
    }

    #[test]
    fn unknown_ids_in_a_duty_are_warnings_naming_the_duty() {
        let mut v = minimal();
        v["duties"][0]["mappedSkills"] = json!(["s-one", "no-such-skill"]);
        let imported = import(&v).expect("imports");
        let w: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
        assert!(
            w.iter()
                .any(|w| w.contains("duties[0] (Duty 1): mappedSkills names `no-such-skill`")),
            "{w:?}"
        );
    }

    #[test]
    fn duplicate_codes_from_details_are_errors() {
        let mut v = minimal();
        v["skills"][1]["detail"] = json!("S1: Again");
        let err = err_text(&v);
        assert!(
            err.contains("skills[1] (S1): KSB code `S1` is also the code of skills[0] (S1)"),
            "{err}"
        );
    }

    #[test]
    fn non_standard_json_is_refused_with_what_it_is() {
        let err = parse("{\"format\": \"skills-scan\"}")
            .expect_err("refused")
            .to_string();
        assert!(err.contains("not a published standard"), "{err}");
        let err = parse("[1, 2]").expect_err("refused").to_string();
        assert!(
            err.contains("[0]: this is not a published standard"),
            "{err}"
        );
        let err = parse("{ not json").expect_err("refused").to_string();
        assert!(
            err.contains("line 1, column") && err.contains("not valid JSON"),
            "{err}"
        );
        let err = parse("[]").expect_err("refused").to_string();
        assert!(err.contains("holds no standards"), "{err}");
        let err = parse("\"ST0896\"").expect_err("refused").to_string();
        assert!(err.contains("expected one standard object"), "{err}");
    }

    #[test]
    fn missing_header_fields_are_errors() {
        let mut v = minimal();
        v.as_object_mut().expect("obj").remove("version");
        v["level"] = json!("three");
        let err = err_text(&v);
        assert!(err.contains("version: is missing"), "{err}");
        assert!(err.contains("level: `\"three\"` is not a level"), "{err}");
    }

    #[test]
    fn own_code_is_read_and_stripped() {
        assert_eq!(own_code("K12: Text", 'K'), Some(("K12".into(), "Text")));
        assert_eq!(own_code("K3 - Text", 'K'), Some(("K3".into(), "Text")));
        assert_eq!(own_code("K3 Text", 'K'), None);
        assert_eq!(own_code("S3: Text", 'K'), None);
        assert_eq!(own_code("Knowledge: x", 'K'), None);
    }

    #[test]
    fn core_and_options_mark_option_duties() {
        let mut v = minimal();
        v["coreAndOptions"] = json!(true);
        v["options"] = json!([
            {"optionId": "o-1", "title": "Indoor examples"},
            {"optionId": "o-2", "title": "Outdoor examples"}
        ]);
        v["duties"][0]["isThisACoreDuty"] = json!(1);
        v["duties"][1]["isThisACoreDuty"] = json!(false);
        v["duties"][1]["mappedOptions"] = json!(["O-2"]);
        let s = import(&v).expect("imports").standard;
        assert_eq!(s.options.len(), 2);
        assert_eq!(s.options[1].id, "outdoor-examples");
        assert!(s.duties[0].options.is_empty());
        assert_eq!(s.duties[1].options, ["outdoor-examples"]);
        let indoor = s.for_option("indoor-examples").expect("option");
        assert_eq!(indoor.duties.len(), 1);
        assert!(indoor.problems().is_empty(), "{:?}", indoor.problems());
        assert!(indoor.ksb(&"S2".into()).is_none());
        assert_eq!(
            indoor.display_name(),
            "Example maker (level 2, option: Indoor examples)"
        );
        assert_eq!(s.display_name(), "Example maker (level 2)");
        let outdoor = s.for_option("outdoor-examples").expect("option");
        assert_eq!(outdoor.duties.len(), 2);
        assert_eq!(outdoor.duties[1].number, 2);
        assert!(outdoor.problems().is_empty());
        assert!(s.for_option("sailing").is_none());
        // A scan on the scoped standard records the option; on the whole standard, none yet.
        let now = chrono::DateTime::UNIX_EPOCH;
        let mut scan = crate::core::Scan::new(&indoor, "id", now);
        assert_eq!(scan.option.as_deref(), Some("indoor-examples"));
        assert!(scan.integrity_problems().is_empty());
        assert_eq!(crate::core::Scan::new(&s, "id", now).option, None);
        scan.option = Some("outdoor-examples".into());
        assert!(
            scan.integrity_problems()
                .iter()
                .any(|p| p
                    .contains("option `outdoor-examples` is not one of the standard's options"))
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_survives_the_toml_writer(
            intro in "\\PC*[a-z]\\PC*",
            any in proptest::prelude::any::<String>(),
            lines in "([a-z\"\\\\ ]{0,5}\n?\r?){1,6}x",
        ) {
            let mut s = import(&minimal()).expect("imports").standard;
            s.form.intro = intro;
            s.ksbs[0].text = format!("{any}x");
            s.duties[0].title = lines.clone();
            s.form.closing = format!("{lines}\n\"\"\"");
            let back = Standard::from_toml(&to_toml(&s, &any)).expect("loads");
            proptest::prop_assert_eq!(back, s);
        }
    }

    #[test]
    fn toml_round_trips_through_the_loader() {
        let mut v = minimal();
        v["overviewOfRole"] = json!("Line one \"quoted\" \\ back\n\nLine two\u{7}");
        let s = import(&v).expect("imports").standard;
        let text = to_toml(&s, "example.json");
        let back = Standard::from_toml(&text).expect("loads");
        assert_eq!(back, s);
        let embedded = Standard::embedded().expect("embedded");
        let back = Standard::from_toml(&to_toml(&embedded, "x")).expect("loads");
        assert_eq!(back, embedded);
    }
}
