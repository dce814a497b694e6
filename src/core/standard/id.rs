//! The ids a standard gives its parts, as types: a question's id ([`QuestionId`]), so it cannot
//! be confused with a KSB code, a scan id, a duty number or free text.

use std::borrow::{Borrow, Cow};
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

/// A question's id: the stable key of its answer in scan files (`d3-skills`, `b2`).
///
/// Written in files as the plain string (serde-transparent). Its one rule, that it is not blank,
/// is [`QuestionId::parse`]; a file read by serde takes its ids as written, and the standard's
/// check ([`super::Standard::problems`]) applies the rule with the place of the question, so a
/// scan file with an odd key still loads and is reported, not refused.
///
/// Text is not a question id: a lookup says where its id comes from (these do not compile):
///
/// ```compile_fail,E0308
/// # use skills_scan::core::Scan;
/// fn learner_rating(scan: &Scan) {
///     scan.rating("d1-skills");
/// }
/// ```
///
/// ```compile_fail,E0308
/// # use skills_scan::core::Scan;
/// fn by_ksb(scan: &Scan) {
///     let code: &String = &scan.standard().ksbs[0].code;
///     scan.answer(code);
/// }
/// ```
///
/// while an id from the standard, or one the program names, is one:
///
/// ```
/// # use skills_scan::core::{QuestionId, Scan};
/// fn ratings(scan: &Scan) {
///     for l in scan.standard().questions() {
///         let _ = scan.rating(&l.question.id);
///     }
///     let _ = scan.rating(&QuestionId::from("d1-skills"));
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(String);

/// A plain string in the scan schema, as before the type (`data/scan.schema.json` is unchanged).
impl JsonSchema for QuestionId {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

/// Why a text is not a question id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Empty or only spaces.
    #[error("question id is empty")]
    EmptyQuestionId,
}

impl QuestionId {
    /// A question id from text given by a person or a file: refused when blank. Any other text
    /// is an id (the Institute's and providers' standards use `d3-skills`, `b2`, `q-7`…).
    pub fn parse(text: &str) -> Result<Self, IdError> {
        if text.trim().is_empty() {
            Err(IdError::EmptyQuestionId)
        } else {
            Ok(Self(text.to_owned()))
        }
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An id the program itself wrote (a generated question, a test), taken as it is; text from a
/// person or a file goes through [`QuestionId::parse`].
impl From<&str> for QuestionId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

/// As [`From<&str>`](QuestionId#impl-From<%26str>-for-QuestionId).
impl From<String> for QuestionId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// So maps keyed by question id can be looked up with text (`answers.get("b2")`).
impl Borrow<str> for QuestionId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for QuestionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for QuestionId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for QuestionId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_id_is_any_text_but_blank() {
        assert_eq!(
            QuestionId::parse("d3-skills").map(|id| id.to_string()),
            Ok("d3-skills".into())
        );
        assert_eq!(QuestionId::parse(" "), Err(IdError::EmptyQuestionId));
        assert_eq!(QuestionId::parse(""), Err(IdError::EmptyQuestionId));
    }

    #[test]
    fn a_question_id_is_written_as_its_text() {
        let id = QuestionId::from("b2");
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("\"b2\""));
        let back: QuestionId = serde_json::from_str("\"b2\"").expect("a string is an id");
        assert_eq!(back, id);
        // Read as written: a blank key in a file is reported by the standard's check, not refused.
        let blank: QuestionId = serde_json::from_str("\"\"").expect("read as written");
        assert_eq!(blank.as_str(), "");
    }
}
