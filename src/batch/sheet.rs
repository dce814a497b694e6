//! The cohort spreadsheet: one CSV row per scan, streamed to a temporary file beside the target
//! and renamed into place at the end (0600), so a half-written spreadsheet never replaces a good one.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::core::Scan;
use crate::core::record::{Seal, modified_standard, modified_words};
use crate::core::rpl::{Estimate, Programme};
use crate::core::scan::Status;
use crate::core::score::{Basis, Score};
use crate::core::standard::{KsbCode, Part, QuestionId, QuestionKind, Standard};

/// The UTF-8 byte-order mark that makes Excel read the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why the spreadsheet could not be written. The previous file, if any, is untouched.
#[derive(Debug, thiserror::Error)]
#[error("could not write the spreadsheet {path}: {source}")]
pub struct SheetError {
    /// The spreadsheet.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: io::Error,
}

/// A spreadsheet being written.
pub struct Sheet {
    path: PathBuf,
    writer: csv::Writer<BufWriter<tempfile::NamedTempFile>>,
    /// Question ids of the columns (from the first scan's standard).
    questions: Vec<QuestionId>,
    programme: Programme,
    known: Vec<Standard>,
    rows: usize,
}

impl std::fmt::Debug for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sheet")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

/// The header row for a standard's questions.
pub fn header(standard: &Standard) -> Vec<String> {
    let mut h: Vec<String> = [
        "Learner",
        "Learner email",
        "Manager",
        "Manager email",
        "Status",
        "Submitted",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    for l in standard.questions() {
        let name = question_heading(l.part, l.question.kind, &l.question.ksbs);
        h.push(name.clone());
        h.push(format!("{name} (agreed)"));
    }
    h.extend(
        [
            "Unanswered",
            "KSBs met % (learner)",
            "KSBs met % (agreed)",
            "KSBs derived",
            "Off-the-job hours left",
            "Months left",
            "Price reduction %",
            "Price reduction £",
            "Eligibility",
            "Validated",
            "Standard check",
            "File",
        ]
        .iter()
        .map(ToString::to_string),
    );
    h
}

fn question_heading(part: Part, kind: QuestionKind, ksbs: &[KsbCode]) -> String {
    match part {
        Part::Duty(n) => format!("Duty {n} {}", kind.label()),
        Part::Behaviours => format!("Behaviour {}", ksbs.first().map_or("", KsbCode::as_str)),
    }
}

/// A cell holding text a person typed: one that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return at the start) gets a leading apostrophe.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

impl Sheet {
    /// Starts a spreadsheet at `path`; the header comes from `standard` (normally the first
    /// scan's). Nothing appears at `path` until [`Sheet::finish`].
    pub fn create(
        path: &Path,
        standard: &Standard,
        bom: bool,
        programme: Programme,
        known: Vec<Standard>,
    ) -> Result<Self, SheetError> {
        let err = |source| SheetError {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".skills-scan-csv-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(err)?;
        let mut out = BufWriter::new(tmp);
        if bom {
            out.write_all(BOM).map_err(err)?;
        }
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer
            .write_record(header(standard))
            .map_err(|e| err(e.into()))?;
        Ok(Self {
            path: path.to_path_buf(),
            writer,
            questions: standard
                .questions()
                .map(|l| l.question.id.clone())
                .collect(),
            programme,
            known,
            rows: 0,
        })
    }

    /// Whether a scan's questions are the spreadsheet's columns.
    pub fn fits(&self, scan: &Scan) -> bool {
        scan.standard()
            .questions()
            .map(|l| &l.question.id)
            .eq(self.questions.iter())
    }

    /// Appends a scan's row. `file` is shown in the File column.
    pub fn add(&mut self, scan: &Scan, file: &str) -> Result<(), SheetError> {
        let mut row: Vec<String> = Vec::with_capacity(self.questions.len() * 2 + 10);
        row.push(text_cell(&scan.learner.name));
        row.push(text_cell(&scan.learner.email));
        row.push(text_cell(&scan.manager.name));
        row.push(text_cell(&scan.manager.email));
        row.push(
            match scan.status {
                Status::InProgress => "in progress",
                Status::Submitted { .. } => "submitted",
            }
            .to_string(),
        );
        row.push(
            scan.submitted_at()
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        );
        for id in &self.questions {
            row.push(
                scan.rating(id)
                    .map(|r| r.label().to_string())
                    .unwrap_or_default(),
            );
            row.push(
                scan.agreed(id)
                    .and_then(|a| a.rating)
                    .map(|r| r.label().to_string())
                    .unwrap_or_default(),
            );
        }
        let factor = self.programme.some_factor;
        let agreed = Score::of(scan, Basis::Agreed, factor);
        let estimate = Estimate::of(scan, self.programme);
        row.push(scan.unanswered_count().to_string());
        row.push(
            Score::of(scan, Basis::Learner, factor)
                .percent()
                .to_string(),
        );
        row.push(agreed.percent().to_string());
        row.push(agreed.derived.to_string());
        row.push(format!("{:.1}", estimate.hours));
        row.push(format!("{:.1}", estimate.duration_months));
        row.push(format!("{:.1}", estimate.price_reduction_percent));
        row.push(format!("{:.2}", estimate.price_reduction_gbp));
        row.push(estimate.eligibility.words());
        row.push(Seal::of(scan).short());
        row.push(
            modified_standard(scan, &self.known)
                .map_or_else(|| "ok".to_string(), |d| text_cell(&modified_words(&d))),
        );
        row.push(text_cell(file));
        self.writer.write_record(&row).map_err(|e| SheetError {
            path: self.path.clone(),
            source: e.into(),
        })?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Flushes, syncs and renames the spreadsheet into place (0600). Returns the row count.
    pub fn finish(self) -> Result<usize, SheetError> {
        let path = self.path;
        let err = |source| SheetError {
            path: path.clone(),
            source,
        };
        let out = self.writer.into_inner().map_err(|e| err(e.into_error()))?;
        let tmp = out.into_inner().map_err(|e| err(e.into_error()))?;
        tmp.as_file().sync_all().map_err(err)?;
        crate::platform::replace(tmp, &path).map_err(err)?;
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::platform::sync_dir(dir).map_err(err)?;
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_kept() {
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("-1"), "'-1");
        assert_eq!(text_cell("Siân Ŵyn"), "Siân Ŵyn");
        assert_eq!(text_cell(""), "");
    }

    #[test]
    fn header_has_two_columns_per_question() {
        let s = Standard::embedded().expect("valid");
        let h = header(&s);
        assert_eq!(h.len(), 6 + 2 * s.question_count() + 12);
        assert_eq!(h[6], "Duty 1 Skills");
        assert_eq!(h[7], "Duty 1 Skills (agreed)");
        assert!(h.iter().any(|c| c == "Behaviour B1"), "{h:?}");
    }
}
