//! The embedded standard must reproduce the approved standard exactly: all 113 KSB statements
//! and the duty → KSB mapping, read here from a copy of the approved standard's page
//! (tests/fixtures/seed-st0896-approved-standard.txt), and the questions must be the web form's.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support;

const APPROVED: &str = include_str!("../fixtures/seed-st0896-approved-standard.txt");
const FORM: &str = include_str!("../fixtures/seed-skills-scan-web-form.txt");

fn standard_json() -> Value {
    let home = tempfile::tempdir().expect("temp dir");
    let out = support::run(home.path(), &["standard", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// `K1: statement Back to Duty` lines of the approved standard.
fn approved_statements() -> BTreeMap<String, String> {
    APPROVED
        .lines()
        .filter_map(|l| {
            let l = l.trim_end();
            let rest = l.strip_suffix("Back to Duty")?.trim_end();
            let (code, text) = rest.split_once(": ")?;
            let ok = code.len() >= 2
                && matches!(code.as_bytes()[0], b'K' | b'S' | b'B')
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            ok.then(|| (code.to_string(), text.to_string()))
        })
        .collect()
}

/// Duty number → (title, KSB codes) from the "Duty KSBs" table of the approved standard.
fn approved_duties() -> BTreeMap<u64, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    let mut current: Option<u64> = None;
    let table = APPROVED.split("Duty KSBs").nth(1).expect("duty table");
    for line in table.lines() {
        let line = line.trim();
        if line.starts_with("K1:") {
            break;
        }
        if let Some(rest) = line.strip_prefix("Duty ") {
            let (n, title) = rest.split_once(' ').expect("duty line");
            let n: u64 = n.parse().expect("duty number");
            out.insert(n, (title.to_string(), Vec::new()));
            current = Some(n);
        } else if !line.is_empty()
            && line
                .split_whitespace()
                .all(|w| w.len() >= 2 && "KSB".contains(&w[..1]))
        {
            let n = current.expect("codes after a duty");
            out.get_mut(&n)
                .expect("duty")
                .1
                .extend(line.split_whitespace().map(String::from));
        }
    }
    out
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn every_ksb_statement_is_verbatim() {
    let json = standard_json();
    let ours: BTreeMap<String, String> = json["ksbs"]
        .as_array()
        .expect("ksbs")
        .iter()
        .map(|k| {
            (
                k["code"].as_str().expect("code").into(),
                k["text"].as_str().expect("text").into(),
            )
        })
        .collect();
    let approved = approved_statements();
    assert_eq!(approved.len(), 113, "the seed parser found every statement");
    assert_eq!(ours, approved);
    assert_eq!(json["reference"], "ST0896");
    assert_eq!(json["version"], "1.0");
    assert_eq!(json["title"], "Peer worker");
    assert_eq!(json["level"], 3);
}

#[test]
fn duty_titles_and_ksb_mapping_are_the_approved_ones() {
    let json = standard_json();
    let approved = approved_duties();
    assert_eq!(approved.len(), 10);
    let duties = json["duties"].as_array().expect("duties");
    assert_eq!(duties.len(), 10);
    for d in duties {
        let n = d["number"].as_u64().expect("number");
        let (title, codes) = &approved[&n];
        assert_eq!(d["title"].as_str().expect("title"), title, "duty {n}");
        assert_eq!(&strs(&d["ksbs"]), codes, "duty {n}");
        let qs = d["questions"].as_array().expect("questions");
        assert_eq!(qs.len(), 2, "duty {n}");
        assert_eq!(qs[0]["kind"], "skills");
        assert_eq!(qs[1]["kind"], "knowledge");
        let s: Vec<String> = codes
            .iter()
            .filter(|c| c.starts_with('S'))
            .cloned()
            .collect();
        let k: Vec<String> = codes
            .iter()
            .filter(|c| c.starts_with('K'))
            .cloned()
            .collect();
        assert_eq!(strs(&qs[0]["ksbs"]), s, "duty {n} skills");
        assert_eq!(strs(&qs[1]["ksbs"]), k, "duty {n} knowledge");
    }
}

#[test]
fn behaviours_each_have_a_question() {
    let json = standard_json();
    let b = json["behaviours"].as_array().expect("behaviours");
    assert_eq!(b.len(), 5);
    let approved = approved_statements();
    for (i, q) in b.iter().enumerate() {
        let code = format!("B{}", i + 1);
        assert_eq!(q["kind"], "behaviour");
        assert_eq!(strs(&q["ksbs"]), vec![code.clone()]);
        // The statement word for word, then the question the learner answers.
        let text = q["text"].as_str().expect("text");
        let (statement, question) = text.split_once("\n\n").expect("statement, then question");
        assert_eq!(statement, approved[&code], "{code}");
        assert!(question.trim_end().ends_with('.') || question.trim_end().ends_with('?'));
        assert!(question.contains('?'), "{code} asks a question: {question}");
    }
}

/// The form's paragraphs: "Skills - …" / "Knowledge - …" items per duty, in order.
fn form_paragraphs() -> Vec<(String, String)> {
    let mut items: Vec<(String, Vec<String>)> = Vec::new();
    for raw in FORM.lines() {
        let line = raw.trim().replace('\u{a0}', " ");
        if line.is_empty() {
            continue;
        }
        if let Some(item) = line.strip_prefix('•') {
            let item = item.trim();
            if let Some(rest) = item.strip_prefix("Skills - ") {
                items.push(("skills".into(), vec![rest.to_string()]));
            } else if let Some(rest) = item.strip_prefix("Knowledge - ") {
                items.push(("knowledge".into(), vec![rest.to_string()]));
            } else {
                items.push((String::new(), vec![]));
            }
        } else if let Some(last) = items.last_mut().filter(|l| !l.0.is_empty()) {
            last.1.push(line);
        }
    }
    items
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, paras)| (k, paras.join("\n\n")))
        .collect()
}

#[test]
fn question_texts_are_the_forms_with_duty_4_put_right() {
    let json = standard_json();
    let form = form_paragraphs();
    assert_eq!(form.len(), 20);
    for (i, d) in json["duties"]
        .as_array()
        .expect("duties")
        .iter()
        .enumerate()
    {
        let n = i + 1;
        let (skills, knowledge) = (&form[2 * i], &form[2 * i + 1]);
        assert_eq!(skills.0, "skills");
        assert_eq!(knowledge.0, "knowledge");
        let qs = d["questions"].as_array().expect("questions");
        let (ours_s, ours_k) = (
            qs[0]["text"].as_str().expect("t"),
            qs[1]["text"].as_str().expect("t"),
        );
        if n == 4 {
            // The form swapped them: its "Skills" paragraph describes K25–K27.
            assert_eq!(ours_s, knowledge.1, "duty 4 skills");
            assert_eq!(ours_k, skills.1, "duty 4 knowledge");
        } else {
            assert_eq!(ours_s, skills.1, "duty {n} skills");
            assert_eq!(ours_k, knowledge.1, "duty {n} knowledge");
        }
    }
}
