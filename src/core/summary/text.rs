//! The summary as plain text (the email's text part, the terminal): one section per function.

use std::fmt::Write;

use super::words::{self, cell_words};
use super::{RatingCell, Render, Summary, rating_words};

/// Columns: 72, so the email's text part reads without wrapping in any mail reader.
const WIDTH: usize = 72;

/// Renders the whole summary.
pub(super) fn render(s: &Summary) -> String {
    let mut text = Text::default();
    super::render_sections(&mut text, s, &super::ORDER);
    text.out
}

/// The text format: each section appended to `out`.
#[derive(Default)]
pub(super) struct Text {
    /// What is written so far.
    pub out: String,
}

impl Render for Text {
    fn header(&mut self, s: &Summary) {
        header(&mut self.out, s);
    }
    fn notices(&mut self, s: &Summary) {
        for n in &s.notices {
            self.out.push('\n');
            wrap(&mut self.out, &format!("! {n}"), "");
        }
    }
    fn ratings(&mut self, s: &Summary) {
        ratings(&mut self.out, s);
    }
    fn prior_learning(&mut self, s: &Summary) {
        prior_learning(&mut self.out, s);
    }
    fn progress(&mut self, s: &Summary) {
        progress(&mut self.out, s);
    }
    fn rpl(&mut self, s: &Summary) {
        rpl(&mut self.out, s);
    }
    fn validation(&mut self, s: &Summary) {
        validation(&mut self.out, s);
    }
    fn development(&mut self, s: &Summary) {
        development(&mut self.out, s);
    }
    fn justifications(&mut self, s: &Summary) {
        justifications(&mut self.out, s);
    }
    fn next_steps(&mut self, s: &Summary) {
        heading(&mut self.out, words::NEXT_STEPS);
        wrap(&mut self.out, &s.next_steps, "");
    }
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

fn note(out: &mut String, cell: &RatingCell, indent: &str) {
    if !cell.note.is_empty() {
        wrap(out, &format!("{}{}", words::COACHS_NOTE, cell.note), indent);
    }
}

fn header(out: &mut String, s: &Summary) {
    let title = s.title();
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
    for (label, value) in s.header_rows() {
        let _ = writeln!(out, "{:<15} {value}", format!("{label}:"));
    }
}

fn ratings(out: &mut String, s: &Summary) {
    heading(out, words::RATINGS);
    let _ = writeln!(out, "{}", words::LEGEND);
    if s.reviewed {
        let _ = writeln!(out, "{}", words::AGREED_BESIDE);
    }
    for d in &s.duties {
        out.push('\n');
        wrap(out, &format!("Duty {}. {}", d.number, d.title), "");
        for (kind, cell) in d.cells() {
            if let Some(cell) = cell {
                let _ = writeln!(out, "   {:<10} {}", kind.label(), cell_words(cell));
                note(out, cell, "              ");
            }
        }
    }
    let _ = writeln!(out, "\n{}", crate::core::standard::Part::Behaviours);
    for b in &s.behaviours {
        let _ = writeln!(out, "   {:<10} {}", b.codes, cell_words(&b.rating));
        wrap(out, &b.statement, "              ");
        note(out, &b.rating, "              ");
    }
}

fn prior_learning(out: &mut String, s: &Summary) {
    heading(out, words::PRIOR_LEARNING);
    let p = &s.prior_learning;
    wrap(out, &p.statement, "");
    wrap(out, &p.method, "");
}

fn development(out: &mut String, s: &Summary) {
    heading(out, words::DEVELOPMENT);
    let mut stated = std::collections::BTreeSet::new();
    if s.development.is_empty() {
        let _ = writeln!(out, "{}", words::NO_DEVELOPMENT);
        return;
    }
    for g in &s.development {
        out.push('\n');
        wrap(out, &g.heading(), "");
        for a in &g.areas {
            let _ = writeln!(out, "   {} – {}", a.kind.label(), rating_words(a.rating));
            if !a.note.is_empty() {
                wrap(out, &format!("{}{}", words::COACHS_NOTE, a.note), "     ");
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
                    wrap(
                        out,
                        &format!("{}{}", words::COACHS_NOTE, k.note),
                        "        ",
                    );
                }
            }
            if !seen.is_empty() {
                wrap(out, &words::also_stated(&seen), "     ");
            }
        }
    }
}

fn justifications(out: &mut String, s: &Summary) {
    heading(out, words::OWN_WORDS);
    for j in &s.justifications {
        let _ = write!(
            out,
            "\n{} ({}): {}\n",
            j.heading,
            j.codes,
            cell_words(&j.rating)
        );
        if j.text.is_empty() {
            let _ = writeln!(out, "   {}", words::NOTHING_WRITTEN);
        } else {
            wrap(out, &j.text, "   ");
        }
        note(out, &j.rating, "   ");
    }
}

/// The indicative RPL estimate, when the summary has one (the coach's).
fn rpl(out: &mut String, s: &Summary) {
    let Some(r) = &s.rpl else {
        return;
    };
    heading(out, words::RPL);
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
fn progress(out: &mut String, s: &Summary) {
    let Some(p) = &s.progress else {
        return;
    };
    heading(out, &p.heading);
    for (k, v) in &p.lines {
        wrap(out, &format!("{k}: {v}"), "");
    }
    if !p.parts.is_empty() {
        let _ = writeln!(out, "{}", words::SHARE_BY_DUTY);
        for part in &p.parts {
            let _ = writeln!(out, "  {}", part.words());
        }
    }
    for n in &p.notes {
        wrap(out, &format!("{}{n}", words::NOTE), "");
    }
}

/// The planning meeting's validation record, when the summary has one (the coach's).
fn validation(out: &mut String, s: &Summary) {
    let Some(v) = &s.validation else {
        return;
    };
    heading(out, words::PLANNING_MEETING);
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
