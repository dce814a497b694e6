//! The ids a standard gives its parts, as types: a question's id ([`QuestionId`]) and a KSB's
//! code ([`KsbCode`]), so neither can be confused with the other, a scan id, a duty number or
//! free text.

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
/// Neither text nor a KSB code is a question id: a lookup says where its id comes from (these
/// do not compile):
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
///     let code = &scan.standard().ksbs[0].code;
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

/// What both ids share: written as their text (serde-transparent) and a plain string in the
/// scan schema, as before they were types (`data/scan.schema.json` is unchanged); shown as
/// their text; maps keyed by them can be looked up with text (`Borrow<str>`); compared with
/// text in tests and checks.
macro_rules! text_id {
    ($id:ident) => {
        impl JsonSchema for $id {
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

        impl $id {
            /// As written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// An id the program itself wrote (a generated question, a test), taken as it is; text
        /// from a person or a file goes through `parse`.
        impl From<&str> for $id {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        /// As `From<&str>`.
        impl From<String> for $id {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        /// As its text, padded as text is (`{code:<4}` lines up a table).
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl Borrow<str> for $id {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $id {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $id {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $id {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

text_id!(QuestionId);
text_id!(KsbCode);

/// Why a text is not a question id or KSB code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Empty or only spaces.
    #[error("question id is empty")]
    EmptyQuestionId,
    /// Not K, S or B and a number.
    #[error("`{0}` is not a KSB code (K, S or B and a number)")]
    NotKsbCode(String),
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
}

/// A KSB code: `K` (knowledge), `S` (skill) or `B` (behaviour) and a number, `K1`, `S12`, `B3`.
///
/// Written in files as the plain string. Its rule is [`KsbCode::parse`]; as for
/// [`QuestionId`], serde takes codes as written and the standard's check applies the rule with
/// the place of the statement, so an odd code in a file is reported, not refused.
///
/// A question id or free text is not a KSB code (this does not compile):
///
/// ```compile_fail,E0308
/// # use skills_scan::core::Standard;
/// fn statement(standard: &Standard) {
///     let id = &standard.behaviours[0].id;
///     standard.ksb(id);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KsbCode(String);

impl KsbCode {
    /// A KSB code from text given by a person or a file: K, S or B and a number, nothing else.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let mut chars = text.chars();
        let well_formed = matches!(chars.next(), Some('K' | 'S' | 'B'))
            && !chars.as_str().is_empty()
            && chars.as_str().bytes().all(|b| b.is_ascii_digit());
        if well_formed {
            Ok(Self(text.to_owned()))
        } else {
            Err(IdError::NotKsbCode(text.to_owned()))
        }
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
    fn a_ksb_code_is_k_s_or_b_and_a_number() {
        for good in ["K1", "S12", "B3"] {
            assert_eq!(KsbCode::parse(good).map(|c| c.to_string()), Ok(good.into()));
        }
        for bad in ["", "K", "k1", "X1", "K1a", " K1", "K-1"] {
            assert_eq!(
                KsbCode::parse(bad),
                Err(IdError::NotKsbCode(bad.into())),
                "{bad:?}"
            );
        }
        assert_eq!(
            KsbCode::parse("X1").map_err(|e| e.to_string()),
            Err("`X1` is not a KSB code (K, S or B and a number)".into())
        );
    }

    #[test]
    fn an_id_is_shown_padded_as_its_text_is() {
        assert_eq!(format!("[{:<4}]", KsbCode::from("K1")), "[K1  ]");
        assert_eq!(format!("[{:>4}]", QuestionId::from("b2")), "[  b2]");
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
