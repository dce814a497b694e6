//! The summary as Markdown: every typed text escaped so it stays text.

use std::fmt::Write;

use super::sanitize::escape_markdown;
use super::{RatingCell, Summary, rating_words};

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

fn cell_words(cell: &RatingCell) -> String {
    let mut w = rating_words(cell.learner);
    if let Some(agreed) = cell.agreed {
        let _ = write!(w, " (agreed: {})", rating_words(Some(agreed)));
    }
    w
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
                    escape_markdown(&c.note.replace('\n', " "))
                )
            }
        },
    )
}

fn header(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "# {}\n", escape_markdown(&s.title()));
    let _ = writeln!(
        out,
        "- **Learner:** {}",
        escape_markdown(&s.learner.display())
    );
    let _ = writeln!(
        out,
        "- **Line manager:** {}",
        escape_markdown(&s.manager.display())
    );
    let _ = writeln!(
        out,
        "- **Standard:** {}, {}",
        escape_markdown(&s.standard_name),
        escape_markdown(&s.standard_words())
    );
    let _ = writeln!(out, "- **Submitted:** {}", s.submitted_words());
    if let Some(words) = s.confidentiality_words() {
        let _ = writeln!(out, "- **Confidentiality:** {}", escape_markdown(&words));
    }
    for n in &s.notices {
        let _ = writeln!(out, "\n> **{}**", escape_markdown(n));
    }
}

fn ratings(out: &mut String, s: &Summary) {
    out.push_str("\n## Ratings\n\n");
    out.push_str("✔ Yes = already know or do this; ◐ Some = some of this; ✘ No = not yet.\n\n");
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

fn prior_learning(out: &mut String, s: &Summary) {
    let p = &s.prior_learning;
    let _ = write!(
        out,
        "\n## Indicative prior learning\n\n{}\n\n{}\n",
        escape_markdown(&p.statement),
        escape_markdown(&p.method)
    );
}

fn development(out: &mut String, s: &Summary) {
    out.push_str("\n## Areas for development\n");
    if s.development.is_empty() {
        out.push_str("\nNone: every KSB is rated Yes.\n");
        return;
    }
    for g in &s.development {
        let _ = write!(out, "\n### {}\n\n", escape_markdown(&g.heading()));
        for a in &g.areas {
            let _ = writeln!(out, "- **{}** – {}", a.kind, rating_words(a.rating));
            if !a.note.is_empty() {
                let _ = writeln!(
                    out,
                    "  - *Coach's note:* {}",
                    escape_markdown(&a.note.replace('\n', " "))
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
                        "    - *Coach's note:* {}",
                        escape_markdown(&k.note.replace('\n', " "))
                    );
                }
            }
        }
    }
}

fn justifications(out: &mut String, s: &Summary) {
    out.push_str("\n## In your own words\n");
    for j in &s.justifications {
        let _ = write!(
            out,
            "\n### {} ({})\n\n**{}**\n\n",
            escape_markdown(&j.heading),
            escape_markdown(&j.codes),
            cell_words(&j.rating)
        );
        if j.text.is_empty() {
            out.push_str("*(nothing written)*\n");
        } else {
            let _ = writeln!(out, "{}", block(&j.text));
        }
        if !j.rating.note.is_empty() {
            let _ = writeln!(out, "\n*Coach's note:* {}", block(&j.rating.note));
        }
    }
}

fn next_steps(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "\n## Next steps\n\n{}", block(&s.next_steps));
}

/// The indicative RPL estimate, when the summary has one (the coach's).
fn rpl(out: &mut String, s: &Summary) {
    let Some(r) = &s.rpl else {
        return;
    };
    let _ = write!(
        out,
        "\n## Indicative prior-learning estimate (RPL)\n\n*{}*\n\n",
        escape_markdown(&r.label)
    );
    for (k, v) in &r.lines {
        let _ = writeln!(out, "- **{}:** {}", escape_markdown(k), escape_markdown(v));
    }
    let _ = writeln!(out, "\n{}", escape_markdown(&r.method));
}

/// The planning meeting's validation record, when the summary has one (the coach's).
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
                escape_markdown(&part.part),
                part.earlier,
                part.later
            );
        }
    }
    for n in &p.notes {
        let _ = writeln!(out, "\n*Note:* {}", escape_markdown(n));
    }
}

fn validation(out: &mut String, s: &Summary) {
    let Some(v) = &s.validation else {
        return;
    };
    out.push_str("\n## Planning meeting\n\n");
    for (k, value) in v.lines() {
        let _ = writeln!(out, "- **{k}:** {}", escape_markdown(&value));
    }
}
