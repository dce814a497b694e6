//! The summary as plain text (the email's text part, the terminal): one section per function.

use std::fmt::Write;

use super::{RatingCell, Summary, rating_words};

/// Columns: 72, so the email's text part reads without wrapping in any mail reader.
const WIDTH: usize = 72;

/// Renders the whole summary.
pub(super) fn render(s: &Summary) -> String {
    let mut out = String::new();
    header(&mut out, s);
    ratings(&mut out, s);
    prior_learning(&mut out, s);
    progress(&mut out, s);
    rpl(&mut out, s);
    validation(&mut out, s);
    development(&mut out, s);
    justifications(&mut out, s);
    next_steps(&mut out, s);
    out
}

pub(super) fn heading(out: &mut String, title: &str) {
    let _ = write!(out, "\n{title}\n{}\n", "=".repeat(title.chars().count()));
}

/// Wraps `text` at word boundaries to `WIDTH`, each line starting with `indent`.
pub(super) fn wrap(out: &mut String, text: &str, indent: &str) {
    // Written straight into `out`, counting characters as it goes (no per-word recount).
    let indent_width = indent.chars().count();
    for para in text.split('\n') {
        let mut start = out.len();
        out.push_str(indent);
        let mut width = indent_width;
        let mut empty = true;
        for word in para.split(' ') {
            let word_width = word.chars().count();
            if !empty && width + 1 + word_width > WIDTH {
                trim_end_from(out, start);
                out.push('\n');
                start = out.len();
                out.push_str(indent);
                width = indent_width;
                empty = true;
            }
            if !empty {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += word_width;
            empty = false;
        }
        trim_end_from(out, start);
        out.push('\n');
    }
}

/// Trims trailing whitespace from the part of `out` after `start` (the line being written).
fn trim_end_from(out: &mut String, start: usize) {
    let kept = out[start..].trim_end().len();
    out.truncate(start + kept);
}

/// "✔ Yes (agreed: ◐ Some)".
fn cell_words(cell: &RatingCell) -> String {
    let mut w = rating_words(cell.learner);
    if let Some(agreed) = cell.agreed {
        let _ = write!(w, " (agreed: {})", rating_words(Some(agreed)));
    }
    w
}

fn note(out: &mut String, cell: &RatingCell, indent: &str) {
    if !cell.note.is_empty() {
        wrap(out, &format!("Coach's note: {}", cell.note), indent);
    }
}

pub(super) fn header(out: &mut String, s: &Summary) {
    let title = s.title();
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
    let _ = writeln!(out, "Learner:        {}", s.learner.display());
    let _ = writeln!(out, "Line manager:   {}", s.manager.display());
    let _ = writeln!(
        out,
        "Standard:       {}, {}",
        s.standard_name,
        s.standard_words()
    );
    let _ = writeln!(out, "Submitted:      {}", s.submitted_words());
    if let Some(words) = s.confidentiality_words() {
        let _ = writeln!(out, "Confidentiality: {words}");
    }
    for n in &s.notices {
        out.push('\n');
        wrap(out, &format!("! {n}"), "");
    }
}

pub(super) fn ratings(out: &mut String, s: &Summary) {
    heading(out, "Ratings");
    out.push_str("✔ Yes = already know or do this; ◐ Some = some of this; ✘ No = not yet.\n");
    if s.reviewed {
        out.push_str("Where the coach agreed a different rating, it is shown beside yours.\n");
    }
    for d in &s.duties {
        out.push('\n');
        wrap(out, &format!("Duty {}. {}", d.number, d.title), "");
        for (label, cell) in [("Skills", &d.skills), ("Knowledge", &d.knowledge)] {
            if let Some(cell) = cell {
                let _ = writeln!(out, "   {label:<10} {}", cell_words(cell));
                note(out, cell, "              ");
            }
        }
    }
    out.push_str("\nBehaviours\n");
    for b in &s.behaviours {
        let _ = writeln!(out, "   {:<10} {}", b.codes, cell_words(&b.rating));
        wrap(out, &b.statement, "              ");
        note(out, &b.rating, "              ");
    }
}

pub(super) fn prior_learning(out: &mut String, s: &Summary) {
    heading(out, "Indicative prior learning");
    let p = &s.prior_learning;
    wrap(out, &p.statement, "");
    wrap(out, &p.method, "");
}

pub(super) fn development(out: &mut String, s: &Summary) {
    heading(out, "Areas for development");
    let mut stated = std::collections::BTreeSet::new();
    if s.development.is_empty() {
        out.push_str("None: every KSB is rated Yes.\n");
        return;
    }
    for g in &s.development {
        out.push('\n');
        wrap(out, &g.heading(), "");
        for a in &g.areas {
            let _ = writeln!(out, "   {} – {}", a.kind, rating_words(a.rating));
            if !a.note.is_empty() {
                wrap(out, &format!("Coach's note: {}", a.note), "     ");
            }
            // Each statement once: codes already stated higher up are named on one line.
            let (new, seen) = super::html::split_stated(&a.ksbs, &mut stated);
            for k in new {
                wrap(
                    out,
                    &if k.derived {
                        // The question's own rating, stated above: a symbol is enough.
                        format!(
                            "{} {} {}",
                            k.code,
                            k.rating.map_or("–", crate::core::Rating::symbol),
                            k.text
                        )
                    } else {
                        format!("{} {} – {}", k.code, k.rating_words(), k.text)
                    },
                    "     ",
                );
                if !k.note.is_empty() {
                    wrap(out, &format!("Coach's note: {}", k.note), "        ");
                }
            }
            if !seen.is_empty() {
                wrap(out, &format!("Also {seen} (stated above)"), "     ");
            }
        }
    }
}

pub(super) fn justifications(out: &mut String, s: &Summary) {
    heading(out, "In the learner's own words");
    for j in &s.justifications {
        let _ = write!(
            out,
            "\n{} ({}): {}\n",
            j.heading,
            j.codes,
            cell_words(&j.rating)
        );
        if j.text.is_empty() {
            out.push_str("   (nothing written)\n");
        } else {
            wrap(out, &j.text, "   ");
        }
        note(out, &j.rating, "   ");
    }
}

pub(super) fn next_steps(out: &mut String, s: &Summary) {
    heading(out, "Next steps");
    wrap(out, &s.next_steps, "");
}

/// The indicative RPL estimate, when the summary has one (the coach's).
pub(super) fn rpl(out: &mut String, s: &Summary) {
    let Some(r) = &s.rpl else {
        return;
    };
    heading(out, "Indicative prior-learning estimate (RPL)");
    let mut label = r.label.chars();
    let first: String = label
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let _ = writeln!(out, "{first}{}.", label.as_str());
    let width = r
        .lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    for (k, v) in &r.lines {
        // The figures wrap under themselves, beside the names.
        let mut figures = String::new();
        wrap(&mut figures, v, &" ".repeat(width));
        let head = format!("{k}:");
        let _ = write!(
            out,
            "{head:<width$}{}",
            figures.get(width..).unwrap_or("\n")
        );
    }
    out.push('\n');
    wrap(out, &format!("Method: {}", r.method), "");
}

/// "Progress since DATE", for a later scan.
pub(super) fn progress(out: &mut String, s: &Summary) {
    let Some(p) = &s.progress else {
        return;
    };
    heading(out, &p.heading);
    for (k, v) in &p.lines {
        wrap(out, &format!("{k}: {v}"), "");
    }
    if !p.parts.is_empty() {
        out.push_str(
            "Share met by duty:
",
        );
        for part in &p.parts {
            let _ = writeln!(out, "  {}", part.words());
        }
    }
    for n in &p.notes {
        wrap(out, &format!("Note: {n}"), "");
    }
}

/// The planning meeting's validation record, when the summary has one (the coach's).
pub(super) fn validation(out: &mut String, s: &Summary) {
    let Some(v) = &s.validation else {
        return;
    };
    heading(out, "Planning meeting");
    for (k, value) in v.lines() {
        let mut wrapped = String::new();
        wrap(&mut wrapped, &value, &" ".repeat(16));
        let _ = write!(
            out,
            "{:<16}{}",
            format!("{k}:"),
            wrapped.get(16..).unwrap_or("\n")
        );
    }
}
