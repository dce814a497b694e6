//! Fingerprints of scan content: SHA-256 (hex) over a canonical JSON serialisation (object keys
//! sorted, no whitespace), so the same content always gives the same fingerprint on any machine.
//!
//! Pure: takes values, returns a string.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::scan::Answer;
use super::standard::QuestionId;

/// The fingerprint of a scan's answers, as recorded in a later scan's `follows.fingerprint`: a
/// change to any rating, text or change time of the earlier scan changes it.
pub fn answers_fingerprint(answers: &BTreeMap<QuestionId, Answer>) -> String {
    sha256_hex(canonical_json(answers).as_bytes())
}

/// A value as canonical JSON: object keys sorted (whatever order the value's type or serde_json's
/// map keeps them in), no whitespace. A value that cannot be serialised gives `null`.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> String {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let mut out = String::new();
    write_canonical(&value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in &digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::Rating;

    #[test]
    fn sha256_of_abc_is_the_published_value() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn canonical_json_sorts_keys_and_has_no_whitespace() {
        let v = serde_json::json!({"b": [1, {"z": 1, "a": "x y"}], "a": null});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":null,"b":[1,{"a":"x y","z":1}]}"#
        );
    }

    #[test]
    fn answers_fingerprint_changes_with_any_answer_and_only_then() {
        let mut answers = BTreeMap::new();
        answers.insert(
            QuestionId::from("d1-skills"),
            Answer {
                rating: Some(Rating::Yes),
                text: "I run a group.".into(),
                changed: None,
            },
        );
        let a = answers_fingerprint(&answers);
        assert_eq!(a.len(), 64);
        assert_eq!(a, answers_fingerprint(&answers.clone()));
        answers.get_mut("d1-skills").expect("there").rating = Some(Rating::Some);
        assert_ne!(a, answers_fingerprint(&answers));
        assert_ne!(a, answers_fingerprint(&BTreeMap::new()));
    }
}
