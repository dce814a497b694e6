//! `skills-scan list [DIR]`: a table of the scans in a folder (or JSON for scripts), sortable and
//! filterable by status. Files are loaded one at a time; a file that cannot be read is listed
//! with its error, never skipped.

use std::cmp::Ordering;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::{ListArgs, SortKey, StatusFilter};
use crate::commands::Context;
use crate::core::record::{Seal, modified_standard, modified_words};
use crate::core::rpl::{Estimate, Programme};
use crate::core::summary::json::Status;
use crate::core::{Scan, Standard};
use crate::exit::{CmdResult, Exit, Failure};
use crate::storage;

/// One readable scan, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    /// The file, relative to the listed folder.
    pub file: String,
    /// The learner's name.
    pub learner: String,
    /// The learner's email.
    pub learner_email: String,
    /// The manager's name (may be empty).
    pub manager: String,
    /// The manager's email.
    pub manager_email: String,
    /// `in_progress` or `submitted`.
    pub status: Status,
    /// When the learner submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Questions answered.
    pub answered: usize,
    /// Questions in the scan.
    pub questions: usize,
    /// Share of KSBs already met, as a whole percentage (agreed ratings where set).
    pub prior_learning_percent: u32,
    /// Whether the plan left after prior learning meets the funding minimums.
    pub fundable: bool,
    /// "fundable as planned …" or "not fundable as planned: … — the provider decides".
    pub eligibility: String,
    /// Whether the manager's validation stands (recorded and unchanged since).
    pub validated: bool,
    /// How many answers may identify a person (the confidentiality guard; a count only).
    pub answers_with_warnings: usize,
    /// The validation in words: "no", "yes, DATE", "changed since validation on DATE".
    pub validation: String,
    /// Whether the scan changed since its validation (then `validation` says so).
    #[serde(skip)]
    pub changed_since_validation: bool,
    /// When the scan's copy of its standard differs from the approved one: what differs.
    pub modified_standard: Option<Vec<String>>,
    /// When the scan was last changed.
    pub updated: DateTime<Utc>,
    /// The file is a symbolic link to the scan (followed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub link: bool,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unreadable {
    /// The file, relative to the listed folder.
    pub file: String,
    /// Why it could not be read.
    pub error: String,
}

/// One row of the listing.
// Rows live in one Vec for sorting; a scan row being larger than an error row costs nothing there.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Row {
    /// A scan.
    Scan(Listed),
    /// A file that could not be read.
    Unreadable(Unreadable),
}

impl Row {
    fn file(&self) -> &str {
        match self {
            Self::Scan(s) => &s.file,
            Self::Unreadable(u) => &u.file,
        }
    }
}

/// The JSON printed by `list --json`.
#[derive(Debug, Serialize)]
struct Listing<'a> {
    dir: String,
    scans: &'a [Row],
}

/// The row for one scan; `known` are the approved standards to check its copy against.
pub fn listed(file: String, scan: &Scan, programme: Programme, known: &[Standard]) -> Listed {
    let estimate = Estimate::of(scan, programme);
    let seal = Seal::of(scan);
    Listed {
        file,
        learner: scan.learner.name.clone(),
        learner_email: scan.learner.email.clone(),
        manager: scan.manager.name.clone(),
        manager_email: scan.manager.email.clone(),
        status: if scan.is_submitted() {
            Status::Submitted
        } else {
            Status::InProgress
        },
        submitted_at: scan.submitted_at(),
        answered: scan.answered_count(),
        questions: scan.question_count(),
        prior_learning_percent: estimate.share_percent(),
        fundable: estimate.eligibility.is_fundable(),
        eligibility: estimate.eligibility.words(),
        validated: scan.is_validated(),
        answers_with_warnings: crate::core::guard::flagged_answers(scan).len(),
        validation: seal.short(),
        changed_since_validation: matches!(seal, Seal::ChangedSince { .. }),
        modified_standard: modified_standard(scan, known),
        updated: scan.updated,
        link: false,
    }
}

/// Whether a row passes the status filter.
pub fn keep(row: &Row, filter: Option<StatusFilter>) -> bool {
    match (filter, row) {
        (None, _) => true,
        (Some(StatusFilter::Unreadable), r) => matches!(r, Row::Unreadable(_)),
        (Some(_), Row::Unreadable(_)) => false,
        (Some(StatusFilter::InProgress), Row::Scan(s)) => s.status == Status::InProgress,
        (Some(StatusFilter::Submitted), Row::Scan(s)) => s.status == Status::Submitted,
        (Some(StatusFilter::Validated), Row::Scan(s)) => s.validated,
    }
}

/// Sorts rows by a column; ties by file. Unreadable files come last (except by file).
/// Text sorts A→Z ignoring case, numbers low→high, validated first, last saved newest first.
pub fn sort(rows: &mut [Row], key: SortKey) {
    rows.sort_by(|a, b| {
        let by_key = match (a, b) {
            _ if key == SortKey::File => Ordering::Equal,
            (Row::Scan(x), Row::Scan(y)) => compare(x, y, key),
            (Row::Scan(_), Row::Unreadable(_)) => Ordering::Less,
            (Row::Unreadable(_), Row::Scan(_)) => Ordering::Greater,
            (Row::Unreadable(_), Row::Unreadable(_)) => Ordering::Equal,
        };
        by_key.then_with(|| a.file().cmp(b.file()))
    });
}

fn compare(x: &Listed, y: &Listed, key: SortKey) -> Ordering {
    let text = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase());
    match key {
        SortKey::Learner => text(&x.learner, &y.learner),
        SortKey::Manager => text(manager_shown(x), manager_shown(y)),
        SortKey::Status => x.status.cmp(&y.status),
        SortKey::Answered => x.answered.cmp(&y.answered),
        SortKey::PriorLearning => x.prior_learning_percent.cmp(&y.prior_learning_percent),
        SortKey::Validated => y.validated.cmp(&x.validated),
        SortKey::Saved => y.updated.cmp(&x.updated),
        SortKey::File => Ordering::Equal,
    }
}

/// The manager as the table shows them: the name, or the email when there is none.
fn manager_shown(s: &Listed) -> &str {
    if s.manager.trim().is_empty() {
        &s.manager_email
    } else {
        &s.manager
    }
}

/// Text from a scan made safe for a terminal: escape sequences, control characters and bidi
/// overrides removed, line breaks as spaces (before the widths are measured).
fn safe(text: &str) -> String {
    crate::core::text::sanitize_line(text)
}

/// The table people read: aligned columns, then what to look at, then every unreadable file
/// with its error.
pub fn table(rows: &[Row]) -> String {
    const HEAD: [&str; 9] = [
        "LEARNER",
        "MANAGER",
        "STATUS",
        "ANSWERED",
        "PRIOR LEARNING",
        "VALIDATED",
        "WARNINGS",
        "LAST SAVED (UTC)",
        "FILE",
    ];
    let mut cells: Vec<[String; 9]> = vec![HEAD.map(str::to_string)];
    cells.extend(rows.iter().map(|row| match row {
        Row::Scan(s) => scan_cells(s),
        Row::Unreadable(u) => {
            let mut line: [String; 9] = std::array::from_fn(|_| "—".to_string());
            line[2] = "unreadable".into();
            line[8] = safe(&u.file);
            line
        }
    }));
    let mut out = aligned(&cells);
    to_look_at(&mut out, rows);
    unreadable(&mut out, rows);
    out
}

/// One scan's cells, in the table's column order.
fn scan_cells(s: &Listed) -> [String; 9] {
    [
        safe(if s.learner.trim().is_empty() {
            "(no name yet)"
        } else {
            &s.learner
        }),
        safe(manager_shown(s)),
        match s.status {
            Status::Submitted => "submitted".into(),
            Status::InProgress => "in progress".into(),
        },
        format!("{} of {}", s.answered, s.questions),
        format!(
            "{}%{}{}",
            s.prior_learning_percent,
            if s.fundable { "" } else { " not fundable" },
            if s.modified_standard.is_some() {
                " MODIFIED STANDARD"
            } else {
                ""
            }
        ),
        s.validation.clone(),
        match s.answers_with_warnings {
            0 => "—".into(),
            n => format!("⚠ {n}"),
        },
        s.updated.format("%Y-%m-%d %H:%M").to_string(),
        if s.link {
            safe(&format!("{} (link)", s.file))
        } else {
            safe(&s.file)
        },
    ]
}

/// The cells in columns two spaces apart, each line's trailing spaces trimmed.
fn aligned(cells: &[[String; 9]]) -> String {
    let mut widths = [0usize; 9];
    for line in cells {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in cells {
        let mut text = String::new();
        for (i, (cell, w)) in line.iter().zip(widths).enumerate() {
            text.push_str(cell);
            if i + 1 < line.len() {
                let pad = w - cell.chars().count() + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// "To look at": scans not fundable as planned, with a modified standard, or changed since
/// their validation.
fn to_look_at(out: &mut String, rows: &[Row]) {
    use std::fmt::Write as _;
    let warnings: Vec<&Listed> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Scan(s)
                if !s.fundable || s.modified_standard.is_some() || s.changed_since_validation =>
            {
                Some(s)
            }
            _ => None,
        })
        .collect();
    if warnings.is_empty() {
        return;
    }
    out.push_str("\nTo look at:\n");
    for s in warnings {
        let mut what = Vec::new();
        if let Some(d) = &s.modified_standard {
            what.push(modified_words(d));
        }
        if s.changed_since_validation {
            what.push(s.validation.clone());
        }
        if !s.fundable {
            what.push(s.eligibility.clone());
        }
        let _ = writeln!(out, "  - {}: {}", safe(&s.file), safe(&what.join("; ")));
    }
}

/// The files that could not be read, each with its error.
fn unreadable(out: &mut String, rows: &[Row]) {
    use std::fmt::Write as _;
    let bad: Vec<&Unreadable> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Unreadable(u) => Some(u),
            Row::Scan(_) => None,
        })
        .collect();
    if bad.is_empty() {
        return;
    }
    let n = bad.len();
    let _ = writeln!(
        out,
        "\n{n} file{} could not be read (left as they are):",
        if n == 1 { "" } else { "s" }
    );
    for u in bad {
        // The error names the file (its full path) and what is wrong.
        let _ = writeln!(out, "  - {}", safe(&u.error));
    }
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

/// Whether a `.json` file is an outbox entry (a message waiting to be sent, `NAME.json` beside
/// its `NAME.eml`), not a scan.
fn is_outbox_entry(path: &Path) -> bool {
    path.with_extension("eml").is_file()
}

/// Loads every scan file under `dir`, one at a time, into rows (outbox entries are not scans
/// and are left out).
pub fn rows(dir: &Path, programme: Programme, known: &[Standard]) -> std::io::Result<Vec<Row>> {
    let walk = storage::walk_scans(dir)?;
    let mut rows: Vec<Row> = walk
        .files
        .iter()
        .filter(|path| !is_outbox_entry(path))
        .map(|path| {
            let file = relative(dir, path);
            match storage::load(path) {
                Ok(scan) => {
                    let mut listed = listed(file, &scan, programme, known);
                    listed.link = walk.links.contains(path);
                    Row::Scan(listed)
                }
                Err(e) => Row::Unreadable(Unreadable {
                    file,
                    error: e.to_string(),
                }),
            }
        })
        .collect();
    // What the walk could not look at is listed by its own path, not skipped.
    rows.extend(walk.unreadable.iter().map(|(path, why)| {
        Row::Unreadable(Unreadable {
            file: relative(dir, path),
            error: format!("{}: {why}", path.display()),
        })
    }));
    Ok(rows)
}

/// Runs `list`.
pub fn run(ctx: &Context, args: &ListArgs) -> CmdResult {
    let config = ctx.config()?;
    let programme = config.programme;
    let (dir, default): (PathBuf, bool) = match &args.dir {
        Some(d) => (d.clone(), false),
        None => (ctx.paths.scans_dir(), true),
    };
    let known = ctx.known_standards();
    let mut rows = match rows(&dir, programme, &known) {
        Ok(rows) => rows,
        Err(e) if default && e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                Exit::NoInput
            } else {
                Exit::Failure
            };
            return Err(Failure {
                code,
                error: anyhow::anyhow!("cannot list the folder {}: {e}", dir.display()),
            });
        }
    };
    rows.retain(|r| keep(r, args.status));
    sort(&mut rows, args.sort);
    let mut out = crate::out::stdout();
    if args.json {
        crate::out::json(
            &mut out,
            &Listing {
                dir: dir.display().to_string(),
                scans: &rows,
            },
        )?;
    } else if rows.is_empty() {
        let what = if args.status.is_some() {
            "No scan files match in"
        } else {
            "No scan files in"
        };
        writeln!(out, "{what} {}.", dir.display())?;
    } else {
        write!(out, "{}", table(&rows))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Standard;
    use crate::sample;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
            .single()
            .expect("time")
    }

    fn rows_of(scans: &[(&str, Scan)]) -> Vec<Row> {
        scans
            .iter()
            .map(|(f, s)| {
                Row::Scan(listed(
                    (*f).to_string(),
                    s,
                    Programme::default(),
                    &[Standard::embedded().expect("valid")],
                ))
            })
            .collect()
    }

    #[test]
    fn sorts_and_filters() {
        let st = Standard::embedded().expect("valid");
        let a = sample::complete_scan(&st, 1, now());
        let mut b = sample::submitted_scan(&st, 2, now());
        b.updated = now() + chrono::Duration::hours(1);
        b.review_mut().validation.validated_by_manager = true;
        let mut rows = rows_of(&[("a.json", a), ("b.json", b)]);
        rows.push(Row::Unreadable(Unreadable {
            file: "0-bad.json".into(),
            error: "broken".into(),
        }));
        sort(&mut rows, SortKey::Saved);
        let files: Vec<&str> = rows.iter().map(Row::file).collect();
        assert_eq!(files, ["b.json", "a.json", "0-bad.json"]);
        sort(&mut rows, SortKey::File);
        assert_eq!(rows[0].file(), "0-bad.json");
        sort(&mut rows, SortKey::Validated);
        assert_eq!(rows[0].file(), "b.json");
        let only = |f| {
            rows.iter()
                .filter(|r| keep(r, Some(f)))
                .map(Row::file)
                .collect::<Vec<_>>()
        };
        assert_eq!(only(StatusFilter::InProgress), ["a.json"]);
        assert_eq!(only(StatusFilter::Submitted), ["b.json"]);
        assert_eq!(only(StatusFilter::Validated), ["b.json"]);
        assert_eq!(only(StatusFilter::Unreadable), ["0-bad.json"]);
    }

    #[test]
    fn table_aligns_and_strips_control_characters() {
        let st = Standard::embedded().expect("valid");
        let mut s = sample::complete_scan(&st, 1, now());
        s.learner.name = "Evil\u{1b}[31m Name\nTwo".into();
        let mut rows = rows_of(&[("x.json", s)]);
        rows.push(Row::Unreadable(Unreadable {
            file: "y.json".into(),
            error: "y.json is empty".into(),
        }));
        let t = table(&rows);
        assert!(!t.contains('\u{1b}'), "{t}");
        assert!(t.contains("Evil Name Two"), "{t}");
        assert!(t.contains("1 file could not be read"), "{t}");
        assert!(t.contains("  - y.json is empty"), "{t}");
        let lines: Vec<&str> = t.lines().collect();
        let col = lines[0].find("STATUS").expect("header");
        assert_eq!(
            lines[1].chars().skip(col).take(11).collect::<String>(),
            "in progress"
        );
    }
}
