//! `skills-scan compare EARLIER LATER`: a later scan compared with an earlier one (distance
//! travelled) as text, Markdown, HTML or JSON; `skills-scan compare DIR`: one row per learner of a
//! cohort folder with the share met at the first and latest scan (`--csv` for a spreadsheet).
//! Also finds the earlier scan a later scan follows, for the summary and both front ends.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::batch::sheet::text_cell;
use crate::cli::{CompareArgs, SummaryFormat};
use crate::commands::Context;
use crate::core::progress::Comparison;
use crate::core::progress::cohort::{self, CohortRow};
use crate::core::summary::sanitize::{escape_html as esc, escape_markdown as md};
use crate::exit::{CmdResult, Exit, Failure};
use crate::storage;

/// The format name at the top of `compare --format json`.
pub const JSON_FORMAT: &str = "skills-scan-comparison";
/// The format name at the top of `compare DIR --format json`.
pub const COHORT_JSON_FORMAT: &str = "skills-scan-cohort-progress";
/// Their version; fields are only ever added within a version.
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonComparison<'a> {
    format: &'static str,
    format_version: u32,
    #[serde(flatten)]
    comparison: &'a Comparison,
}

#[derive(Serialize)]
struct JsonCohort<'a> {
    format: &'static str,
    format_version: u32,
    dir: String,
    learners: &'a [CohortRow],
    in_progress_not_counted: usize,
    unreadable: &'a [(String, String)],
}

/// Runs `compare`.
pub fn run(_ctx: &Context, args: &CompareArgs) -> CmdResult {
    match args.paths.as_slice() {
        [dir] => {
            if !dir.is_dir() {
                let code = if dir.exists() {
                    Exit::Usage
                } else {
                    Exit::NoInput
                };
                return Err(Failure {
                    code,
                    error: anyhow::anyhow!(
                        "{} is not a folder: give two scan files (EARLIER LATER) to compare them, or one folder of a cohort's scans",
                        dir.display()
                    ),
                });
            }
            cohort(dir, args.format, args.csv.as_deref())
        }
        [earlier, later] => {
            if args.csv.is_some() {
                return Err(Failure {
                    code: Exit::Usage,
                    error: anyhow::anyhow!(
                        "--csv writes the table of a cohort folder: use it with `compare DIR`"
                    ),
                });
            }
            pair(earlier, later, args.format)
        }
        _ => Err(Failure {
            code: Exit::Usage,
            error: anyhow::anyhow!(
                "give two scan files (EARLIER LATER) or one folder of a cohort's scans"
            ),
        }),
    }
}

fn pair(earlier: &Path, later: &Path, format: SummaryFormat) -> CmdResult {
    let e = crate::commands::load_scan(earlier)?;
    let l = crate::commands::load_scan(later)?;
    let comparison = Comparison::of(&e, &l).map_err(|r| Failure {
        code: Exit::Failure,
        error: anyhow::anyhow!(
            "cannot compare {} with {}: {r}",
            earlier.display(),
            later.display()
        ),
    })?;
    let mut out = crate::out::stdout();
    match format {
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &JsonComparison {
                    format: JSON_FORMAT,
                    format_version: JSON_FORMAT_VERSION,
                    comparison: &comparison,
                },
            )?;
            writeln!(out)?;
        }
        SummaryFormat::Text => out.write_all(comparison.to_text().as_bytes())?,
        SummaryFormat::Markdown => out.write_all(comparison.to_markdown().as_bytes())?,
        SummaryFormat::Html => out.write_all(comparison.to_html().as_bytes())?,
    }
    Ok(())
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

fn cohort(dir: &Path, format: SummaryFormat, csv: Option<&Path>) -> CmdResult {
    let files = storage::scan_files(dir).map_err(|e| Failure {
        code: Exit::NoInput,
        error: anyhow::anyhow!("cannot read the folder {}: {e}", dir.display()),
    })?;
    let mut scans = Vec::new();
    let mut unreadable = Vec::new();
    for path in &files {
        match storage::load(path) {
            Ok(scan) => scans.push((relative(dir, path), scan)),
            Err(e) => unreadable.push((relative(dir, path), e.to_string())),
        }
    }
    let (rows, in_progress) = cohort::rows(&scans);
    drop(scans);
    for (file, error) in &unreadable {
        let _ = writeln!(crate::out::stderr(), "Skipped {file}: {error}");
    }
    if let Some(csv) = csv {
        let bytes = cohort_csv(&rows)?;
        storage::write_atomically(csv, &bytes).map_err(|e| Failure {
            code: Exit::Failure,
            error: anyhow::anyhow!(e),
        })?;
    }
    let mut out = crate::out::stdout();
    match format {
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &JsonCohort {
                    format: COHORT_JSON_FORMAT,
                    format_version: JSON_FORMAT_VERSION,
                    dir: dir.display().to_string(),
                    learners: &rows,
                    in_progress_not_counted: in_progress,
                    unreadable: &unreadable,
                },
            )?;
            writeln!(out)?;
        }
        SummaryFormat::Text => out.write_all(cohort_text(&rows, in_progress).as_bytes())?,
        SummaryFormat::Markdown => out.write_all(cohort_markdown(&rows).as_bytes())?,
        SummaryFormat::Html => out.write_all(cohort_html(&rows).as_bytes())?,
    }
    if let Some(csv) = csv {
        let _ = writeln!(
            crate::out::stderr(),
            "Wrote {} rows to {}.",
            rows.len(),
            csv.display()
        );
    }
    Ok(())
}

/// The columns of the cohort table, each row as cells (text, already cleaned).
fn cohort_cells(rows: &[CohortRow]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "Learner",
        "Email",
        "Standard",
        "Scans",
        "First",
        "Met at first",
        "Latest",
        "Met at latest",
        "Change",
    ];
    let cells = rows
        .iter()
        .map(|r| {
            vec![
                r.learner.clone(),
                r.email.clone(),
                r.standard.clone(),
                r.scans.to_string(),
                r.first.at.format("%Y-%m-%d").to_string(),
                format!("{}%", r.first.met.percent),
                r.latest.at.format("%Y-%m-%d").to_string(),
                format!("{}%", r.latest.met.percent),
                r.change_words(),
            ]
        })
        .collect();
    (header, cells)
}

/// The cohort table for the terminal.
pub fn cohort_text(rows: &[CohortRow], in_progress: usize) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("No submitted scans in this folder.\n");
    } else {
        let (header, cells) = cohort_cells(rows);
        let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.width());
            }
        }
        let line = |cols: Vec<&str>| {
            let mut l = String::new();
            for (i, (c, w)) in cols.iter().zip(&widths).enumerate() {
                if i > 0 {
                    l.push_str("  ");
                }
                l.push_str(c);
                l.push_str(&" ".repeat(w.saturating_sub(c.width())));
            }
            l.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(header.clone()));
        for row in &cells {
            let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
        }
        out.push_str(
            "\nMet = KSBs rated Yes (the coach's agreed ratings where set), each once, of all the standard's KSBs.\n",
        );
    }
    if in_progress > 0 {
        let _ = writeln!(
            out,
            "{in_progress} scan{} still in progress not counted.",
            if in_progress == 1 { "" } else { "s" }
        );
    }
    out
}

fn cohort_markdown(rows: &[CohortRow]) -> String {
    let (header, cells) = cohort_cells(rows);
    let mut out = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for row in cells {
        let row: Vec<String> = row.iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out
}

fn cohort_html(rows: &[CohortRow]) -> String {
    let (header, cells) = cohort_cells(rows);
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>Skills scan progress – cohort</title>\n</head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;\">\n<table style=\"border-collapse:collapse;\">\n<tr>",
    );
    for h in header {
        let _ = write!(
            out,
            "<th style=\"text-align:left;padding:4px 8px;border:1px solid #b8c4d6;\">{}</th>",
            esc(h)
        );
    }
    out.push_str("</tr>\n");
    for row in cells {
        out.push_str("<tr>");
        for c in row {
            let _ = write!(
                out,
                "<td style=\"padding:4px 8px;border:1px solid #b8c4d6;\">{}</td>",
                esc(&c)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}

/// The cohort table as CSV: text a person typed is defused against formulas.
pub fn cohort_csv(rows: &[CohortRow]) -> Result<Vec<u8>, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Learner",
        "Learner email",
        "Standard",
        "Scans",
        "First scan",
        "First scan kind",
        "Met at first %",
        "Latest scan",
        "Latest scan kind",
        "Met at latest %",
        "Change (points)",
        "First file",
        "Latest file",
    ])?;
    for r in rows {
        w.write_record([
            text_cell(&r.learner),
            text_cell(&r.email),
            text_cell(&r.standard),
            r.scans.to_string(),
            r.first.at.format("%Y-%m-%d").to_string(),
            r.first.kind.clone(),
            r.first.met.percent.to_string(),
            r.latest.at.format("%Y-%m-%d").to_string(),
            r.latest.kind.clone(),
            r.latest.met.percent.to_string(),
            r.change_points.to_string(),
            text_cell(&r.first.file),
            text_cell(&r.latest.file),
        ])?;
    }
    w.into_inner().map_err(|e| Failure {
        code: Exit::Failure,
        error: anyhow::anyhow!("could not write the CSV: {e}"),
    })
}
