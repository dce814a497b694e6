//! The summary as Markdown: every typed text escaped so it stays text.

use std::fmt::Write;

use super::sanitize::escape_markdown;
use super::words::{self, cell_words};
use super::{RatingCell, Render, Summary, rating_words};

/// Renders the whole summary.
pub(super) fn render(s: &Summary) -> String {
    let mut md = Markdown::default();
    super::render_sections(&mut md, s, &super::ORDER);
    md.out
}

/// The Markdown format: each section appended to `out`.
#[derive(Default)]
struct Markdown {
    out: String,
}

impl Render for Markdown {
    fn header(&mut self, s: &Summary) {
        header(&mut self.out, s);
    }
    fn notices(&mut self, s: &Summary) {
        for n in &s.notices {
            let _ = writeln!(self.out, "\n> **{}**", escape_markdown(n));
        }
    }
    fn ratings(&mut self, s: &Summary) {
        ratings(&mut self.out, s);
    }
    fn prior_learning(&mut self, s: &Summary) {
        let p = &s.prior_learning;
        let _ = write!(
            self.out,
            "\n## {}\n\n{}\n\n{}\n",
            words::PRIOR_LEARNING,
            escape_markdown(&p.statement),
            escape_markdown(&p.method)
        );
    }
    fn progress(&mut self, s: &Summary) {
        progress(&mut self.out, s);
    }
    fn rpl(&mut self, s: &Summary) {
        rpl(&mut self.out, s);
    }
    fn validation(&mut self, s: &Summary) {
        let Some(v) = &s.validation else {
            return;
        };
        let _ = write!(self.out, "\n## {}\n\n", words::PLANNING_MEETING);
        for (k, value) in v.lines() {
            let _ = writeln!(self.out, "- **{k}:** {}", escape_markdown(&value));
        }
    }
    fn development(&mut self, s: &Summary) {
        development(&mut self.out, s);
    }
    fn justifications(&mut self, s: &Summary) {
        justifications(&mut self.out, s);
    }
    fn next_steps(&mut self, s: &Summary) {
        let _ = writeln!(
            self.out,
            "\n## {}\n\n{}",
            words::NEXT_STEPS,
            block(&s.next_steps)
        );
    }
}

/// Multi-line text on one line (a table cell or list item).
fn one_line(text: &str) -> String {
    text.split('\n').collect::<Vec<_>>().join(" ")
}

/// Escapes multi-line text, keeping paragraphs and line breaks.
fn block(text: &str) -> String {
    text.split('\n')
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{}  ", escape_markdown(l))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

fn cell_with_note(cell: Option<&RatingCell>) -> String {
    cell.map_or_else(
        || "–".to_string(),
        |c| {
            if c.note.is_empty() {
                cell_words(c)
            } else {
                format!(
                    "{}<br>*Coach:* {}",
                    cell_words(c),
                    escape_markdown(&one_line(&c.note))
                )
            }
        },
    )
}

fn header(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "# {}\n", escape_markdown(&s.title()));
    for (label, value) in s.header_rows() {
        let _ = writeln!(out, "- **{label}:** {}", escape_markdown(&value));
    }
}

fn ratings(out: &mut String, s: &Summary) {
    let _ = write!(out, "\n## {}\n\n{}\n\n", words::RATINGS, words::LEGEND);
    if s.reviewed {
        let _ = write!(out, "{}\n\n", words::AGREED_BESIDE);
    }
    out.push_str("| Duty | Skills | Knowledge |\n|---|---|---|\n");
    for d in &s.duties {
        let _ = writeln!(
            out,
            "| {}. {} | {} | {} |",
            d.number,
            escape_markdown(&d.title),
            cell_with_note(d.skills.as_ref()),
            cell_with_note(d.knowledge.as_ref())
        );
    }
    out.push_str("\n| Behaviour | Rating |\n|---|---|\n");
    for b in &s.behaviours {
        let _ = writeln!(
            out,
            "| {} {} | {} |",
            escape_markdown(&b.codes),
            escape_markdown(&b.statement),
            cell_with_note(Some(&b.rating))
        );
    }
}

fn development(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "\n## {}", words::DEVELOPMENT);
    if s.development.is_empty() {
        let _ = writeln!(out, "\n{}", words::NO_DEVELOPMENT);
        return;
    }
    for g in &s.development {
        let _ = write!(out, "\n### {}\n\n", escape_markdown(&g.heading()));
        for a in &g.areas {
            let _ = writeln!(out, "- **{}** – {}", a.kind.label(), rating_words(a.rating));
            if !a.note.is_empty() {
                let _ = writeln!(
                    out,
                    "  - *{}* {}",
                    words::COACHS_NOTE.trim_end(),
                    escape_markdown(&one_line(&a.note))
                );
            }
            for k in &a.ksbs {
                let _ = writeln!(
                    out,
                    "  - **{}** {} – {}",
                    escape_markdown(&k.code),
                    escape_markdown(&k.rating_words()),
                    escape_markdown(&k.text)
                );
                if !k.note.is_empty() {
                    let _ = writeln!(
                        out,
                        "    - *{}* {}",
                        words::COACHS_NOTE.trim_end(),
                        escape_markdown(&one_line(&k.note))
                    );
                }
            }
        }
    }
}

fn justifications(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "\n## {}", words::OWN_WORDS);
    for j in &s.justifications {
        let _ = write!(
            out,
            "\n### {} ({})\n\n**{}**\n\n",
            escape_markdown(&j.heading),
            escape_markdown(&j.codes),
            cell_words(&j.rating)
        );
        if j.text.is_empty() {
            let _ = writeln!(out, "*{}*", words::NOTHING_WRITTEN);
        } else {
            let _ = writeln!(out, "{}", block(&j.text));
        }
        if !j.rating.note.is_empty() {
            let _ = writeln!(
                out,
                "\n*{}* {}",
                words::COACHS_NOTE.trim_end(),
                block(&j.rating.note)
            );
        }
    }
}

/// The indicative RPL estimate, when the summary has one (the coach's).
fn rpl(out: &mut String, s: &Summary) {
    let Some(r) = &s.rpl else {
        return;
    };
    let _ = write!(
        out,
        "\n## {}\n\n*{}*\n\n",
        words::RPL,
        escape_markdown(&r.label)
    );
    for (k, v) in &r.lines {
        let _ = writeln!(out, "- **{}:** {}", escape_markdown(k), escape_markdown(v));
    }
    let _ = writeln!(out, "\n{}", escape_markdown(&r.method));
}

/// "Progress since DATE", for a later scan.
fn progress(out: &mut String, s: &Summary) {
    let Some(p) = &s.progress else {
        return;
    };
    let _ = writeln!(out, "\n## {}\n", escape_markdown(&p.heading));
    for (k, v) in &p.lines {
        let _ = writeln!(out, "- **{}:** {}", escape_markdown(k), escape_markdown(v));
    }
    if !p.parts.is_empty() {
        out.push_str("\n| Part | Earlier | Now |\n|---|---|---|\n");
        for part in &p.parts {
            let _ = writeln!(
                out,
                "| {} | {}% | {}% |",
                escape_markdown(&part.part.to_string()),
                part.earlier,
                part.later
            );
        }
    }
    for n in &p.notes {
        let _ = writeln!(out, "\n*{}* {}", words::NOTE.trim_end(), escape_markdown(n));
    }
}
