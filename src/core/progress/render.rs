//! The comparison as plain text, Markdown and a self-contained HTML page (with an inline SVG bar
//! chart of the share met per duty at each date). Every text comes cleaned from the
//! [`Comparison`]; HTML escapes all of it, Markdown escapes it as markup.

use std::fmt::Write;

use super::{Change, Comparison, KsbChange, Met, Movement, days_words, kind_words};
use crate::core::scan::Rating;
use crate::core::standard::Part;
use crate::core::summary::rating_words;
use crate::core::summary::sanitize::{escape_html as esc, escape_markdown as md};

/// "✘ No → ✔ Yes (agreed)".
fn change_words(c: Change) -> String {
    let side = |r: Option<Rating>, agreed: bool| {
        let mut s = rating_words(r);
        if agreed {
            s.push_str(" (agreed)");
        }
        s
    };
    format!(
        "{} → {}",
        side(c.earlier, c.earlier_agreed),
        side(c.later, c.later_agreed)
    )
}

/// "↑ improved".
fn movement_words(m: Movement) -> String {
    format!("{} {}", m.symbol(), m.words())
}

fn met_change(e: &Met, l: &Met) -> String {
    format!(
        "{}% → {}% ({} → {} of {})",
        e.percent, l.percent, e.met, l.met, l.of
    )
}

/// The opening lines as (label, value), the same in every format.
fn header_lines(c: &Comparison) -> Vec<(&'static str, String)> {
    let learner = if c.learner_name.is_empty() {
        c.learner_email.clone()
    } else {
        format!("{} <{}>", c.learner_name, c.learner_email)
    };
    vec![
        ("Learner", learner),
        (
            "Standard",
            format!(
                "{} ({} version {})",
                c.standard_name, c.standard_reference, c.standard_version
            ),
        ),
        (
            "Earlier",
            format!("{}, {}", kind_words(c.earlier.kind), c.earlier.date_words()),
        ),
        (
            "Later",
            format!("{}, {}", kind_words(c.later.kind), c.later.date_words()),
        ),
        ("Days between", days_words(c.days)),
    ]
}

/// The share met and the KSB counts as (label, value).
fn figure_lines(c: &Comparison) -> Vec<(String, String)> {
    vec![
        (
            format!("Share met on {}", c.earlier.date_words()),
            c.met_earlier.words(),
        ),
        (
            format!("Share met on {}", c.later.date_words()),
            c.met_later.words(),
        ),
        ("Change".into(), c.change_words()),
        (
            "KSBs".into(),
            format!(
                "{} improved, {} unchanged, {} lower, {} not rated at both dates",
                c.tally.improved, c.tally.unchanged, c.tally.lower, c.tally.unrated
            ),
        ),
    ]
}

/// How the ratings were read, in one sentence.
fn basis_sentence(c: &Comparison) -> &'static str {
    if c.uses_agreed {
        "The share met counts the KSBs rated Yes, each once. Ratings are the coach's agreed ratings where set (marked \"agreed\"), else the learner's own."
    } else {
        "The share met counts the KSBs rated Yes, each once. Ratings are the learner's own (no agreed ratings were recorded)."
    }
}

/// The KSBs of a part that did not stay the same.
fn moved(ksbs: &[KsbChange]) -> impl Iterator<Item = &KsbChange> {
    ksbs.iter()
        .filter(|k| k.change.movement != Movement::Unchanged)
}

/// "Duty 3: Title", or "Behaviours" alone.
fn part_heading(p: &super::PartChange) -> String {
    if p.part == Part::Behaviours {
        p.part.to_string()
    } else {
        format!("{}: {}", p.part, p.title)
    }
}

/// Plain text.
pub fn text(c: &Comparison) -> String {
    let mut out = String::new();
    let title = c.title();
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
    for (k, v) in header_lines(c) {
        let _ = writeln!(out, "{k}: {v}");
    }
    out.push_str("\nShare of the standard met\n-------------------------\n");
    for (k, v) in figure_lines(c) {
        let _ = writeln!(out, "{k}: {v}");
    }
    let _ = writeln!(out, "{}", basis_sentence(c));
    if !c.notes.is_empty() {
        out.push_str("\nNotes\n-----\n");
        for n in &c.notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    out.push_str("\nBy duty\n-------\n");
    for p in &c.parts {
        let _ = writeln!(
            out,
            "\n{}\n  Share met: {}",
            part_heading(p),
            met_change(&p.earlier, &p.later)
        );
        for q in &p.questions {
            let _ = writeln!(
                out,
                "  {} ({}): {}  {}",
                q.kind,
                q.ksbs.join(", "),
                change_words(q.change),
                movement_words(q.change.movement)
            );
        }
        let mut same = 0;
        for k in &p.ksbs {
            if k.change.movement == Movement::Unchanged {
                same += 1;
            }
        }
        for k in moved(&p.ksbs) {
            let _ = writeln!(
                out,
                "    {}: {}  {}",
                k.code,
                change_words(k.change),
                movement_words(k.change.movement)
            );
        }
        let _ = writeln!(out, "    {same} of {} KSBs unchanged", p.ksbs.len());
    }
    let _ = writeln!(
        out,
        "\nKSBs still not met ({})\n-----------------------",
        c.still_not_met.len()
    );
    if c.still_not_met.is_empty() {
        out.push_str("None: every KSB is rated Yes.\n");
    }
    for k in &c.still_not_met {
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            k.code,
            rating_words(k.change.later),
            k.text
        );
    }
    out
}

/// Markdown.
pub fn markdown(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&c.title()));
    for (k, v) in header_lines(c) {
        let _ = writeln!(out, "- **{k}:** {}", md(&v));
    }
    out.push_str("\n## Share of the standard met\n\n| | |\n|---|---|\n");
    for (k, v) in figure_lines(c) {
        let _ = writeln!(out, "| {} | {} |", md(&k), md(&v));
    }
    let _ = writeln!(out, "\n{}", md(basis_sentence(c)));
    if !c.notes.is_empty() {
        out.push_str("\n## Notes\n\n");
        for n in &c.notes {
            let _ = writeln!(out, "- {}", md(n));
        }
    }
    let _ = writeln!(
        out,
        "\n## By duty\n\n| Part | {} | {} | Change |\n|---|---|---|---|",
        md(&c.earlier.date_words()),
        md(&c.later.date_words())
    );
    for p in &c.parts {
        let _ = writeln!(
            out,
            "| {} | {}% | {}% | {} |",
            md(&part_heading(p)),
            p.earlier.percent,
            p.later.percent,
            md(&super::signed_points(
                i64::from(p.later.percent) - i64::from(p.earlier.percent)
            ))
        );
    }
    for p in &c.parts {
        let _ = writeln!(
            out,
            "\n### {}\n\nShare met: {}\n\n| Question | Rating | Movement |\n|---|---|---|",
            md(&part_heading(p)),
            md(&met_change(&p.earlier, &p.later))
        );
        for q in &p.questions {
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} |",
                md(&q.kind),
                md(&q.ksbs.join(", ")),
                md(&change_words(q.change)),
                md(&movement_words(q.change.movement))
            );
        }
        let moved: Vec<&KsbChange> = moved(&p.ksbs).collect();
        if moved.is_empty() {
            let _ = writeln!(out, "\nAll {} KSBs unchanged.", p.ksbs.len());
        } else {
            out.push_str("\n| KSB | Rating | Movement |\n|---|---|---|\n");
            for k in &moved {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    md(&k.code),
                    md(&change_words(k.change)),
                    md(&movement_words(k.change.movement))
                );
            }
            let _ = writeln!(
                out,
                "\n{} of {} KSBs unchanged.",
                p.ksbs.len() - moved.len(),
                p.ksbs.len()
            );
        }
    }
    let _ = writeln!(out, "\n## KSBs still not met ({})\n", c.still_not_met.len());
    if c.still_not_met.is_empty() {
        out.push_str("None: every KSB is rated Yes.\n");
    }
    for k in &c.still_not_met {
        let _ = writeln!(
            out,
            "- **{}** ({}): {}",
            md(&k.code),
            md(&rating_words(k.change.later)),
            md(&k.text)
        );
    }
    out
}

const FONT: &str = "font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;";
const H2: &str = "font-family:Arial,Helvetica,sans-serif;font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;border-bottom:2px solid #1d4f91;";
const TH: &str = "font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;background:#e8eef7;border:1px solid #b8c4d6;";
const TD: &str =
    "font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;border:1px solid #b8c4d6;";
const EARLIER_FILL: &str = "#9db3d6";
const LATER_FILL: &str = "#1d4f91";

/// The chart: for each duty (and the behaviours) two bars, the share met at the earlier and the
/// later date, with the percentages written beside them (so it reads without colour).
pub fn svg_chart(c: &Comparison) -> String {
    const LABEL_W: usize = 110;
    const BAR_W: usize = 460;
    const ROW_H: usize = 34;
    const TOP: usize = 30;
    let height = TOP + ROW_H * c.parts.len() + 10;
    let width = LABEL_W + BAR_W + 60;
    let mut out = String::new();
    let label = format!(
        "Share of KSBs met per duty: {} and {}",
        c.earlier.date_words(),
        c.later.date_words()
    );
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" style=\"max-width:100%;height:auto;\">\n<title>{}</title>\n",
        esc(&label),
        esc(&label)
    );
    let _ = write!(
        out,
        "<rect x=\"{LABEL_W}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{EARLIER_FILL}\"/><text x=\"{}\" y=\"16\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"12\">{}</text>\n\
         <rect x=\"{}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{LATER_FILL}\"/><text x=\"{}\" y=\"16\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"12\">{}</text>\n",
        LABEL_W + 16,
        esc(&format!("Earlier ({})", c.earlier.date_words())),
        LABEL_W + 220,
        LABEL_W + 236,
        esc(&format!("Later ({})", c.later.date_words()))
    );
    for (i, p) in c.parts.iter().enumerate() {
        let y = TOP + i * ROW_H;
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{}\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"12\">{}</text>",
            y + 19,
            esc(&p.part.to_string())
        );
        for (j, (met, fill)) in [(&p.earlier, EARLIER_FILL), (&p.later, LATER_FILL)]
            .into_iter()
            .enumerate()
        {
            let w = BAR_W * met.percent as usize / 100;
            let by = y + 2 + j * 14;
            let _ = writeln!(
                out,
                "<rect x=\"{LABEL_W}\" y=\"{by}\" width=\"{w}\" height=\"12\" fill=\"{fill}\"/><text x=\"{}\" y=\"{}\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"11\">{}%</text>",
                LABEL_W + w + 4,
                by + 10,
                met.percent
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

fn rating_span(r: Option<Rating>, agreed: bool) -> String {
    let colour = match r {
        Some(Rating::Yes) => "#1b6e20",
        Some(Rating::Some) => "#8a5a00",
        Some(Rating::No) => "#a31515",
        None => "#444444",
    };
    let agreed = if agreed { " (agreed)" } else { "" };
    format!(
        "<span style=\"color:{colour};font-weight:bold;white-space:nowrap;\">{}{agreed}</span>",
        esc(&rating_words(r))
    )
}

fn change_html(c: Change) -> String {
    format!(
        "{} → {}",
        rating_span(c.earlier, c.earlier_agreed),
        rating_span(c.later, c.later_agreed)
    )
}

/// A self-contained HTML page.
pub fn html(c: &Comparison) -> String {
    let mut out = String::new();
    let title = esc(&c.title());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n</head>\n<body style=\"margin:0;padding:12px;{FONT}\">\n<div style=\"max-width:720px;margin:0 auto;\">\n<h1 style=\"font-size:22px;\">{title}</h1>\n"
    );
    out.push_str(&svg_chart(c));
    out.push_str("<table style=\"border-collapse:collapse;margin-top:12px;\">\n");
    for (k, v) in header_lines(c) {
        let _ = writeln!(
            out,
            "<tr><th style=\"{TH}\">{}</th><td style=\"{TD}\">{}</td></tr>",
            esc(k),
            esc(&v)
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<h2 style=\"{H2}\">Share of the standard met</h2>\n<table style=\"border-collapse:collapse;\">"
    );
    for (k, v) in figure_lines(c) {
        let _ = writeln!(
            out,
            "<tr><th style=\"{TH}\">{}</th><td style=\"{TD}\">{}</td></tr>",
            esc(&k),
            esc(&v)
        );
    }
    let _ = writeln!(out, "</table>\n<p>{}</p>", esc(basis_sentence(c)));
    if !c.notes.is_empty() {
        let _ = writeln!(out, "<h2 style=\"{H2}\">Notes</h2>\n<ul>");
        for n in &c.notes {
            let _ = writeln!(out, "<li>{}</li>", esc(n));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<h2 style=\"{H2}\">By duty</h2>");
    for p in &c.parts {
        let _ = writeln!(
            out,
            "<h3 style=\"font-size:16px;margin:16px 0 6px 0;\">{}</h3>\n<p>Share met: {}</p>\n<table style=\"border-collapse:collapse;width:100%;\">\n<tr><th style=\"{TH}\">Question or KSB</th><th style=\"{TH}\">Rating</th><th style=\"{TH}\">Movement</th></tr>",
            esc(&part_heading(p)),
            esc(&met_change(&p.earlier, &p.later))
        );
        for q in &p.questions {
            let _ = writeln!(
                out,
                "<tr><td style=\"{TD}\">{} ({})</td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td></tr>",
                esc(&q.kind),
                esc(&q.ksbs.join(", ")),
                change_html(q.change),
                esc(&movement_words(q.change.movement))
            );
        }
        let mut same = 0;
        for k in &p.ksbs {
            if k.change.movement == Movement::Unchanged {
                same += 1;
                continue;
            }
            let _ = writeln!(
                out,
                "<tr><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td></tr>",
                esc(&k.code),
                change_html(k.change),
                esc(&movement_words(k.change.movement))
            );
        }
        let _ = writeln!(
            out,
            "<tr><td style=\"{TD}\" colspan=\"3\">{same} of {} KSBs unchanged</td></tr>\n</table>",
            p.ksbs.len()
        );
    }
    let _ = writeln!(
        out,
        "<h2 style=\"{H2}\">KSBs still not met ({})</h2>",
        c.still_not_met.len()
    );
    if c.still_not_met.is_empty() {
        out.push_str("<p>None: every KSB is rated Yes.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for k in &c.still_not_met {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong> ({}): {}</li>",
                esc(&k.code),
                esc(&rating_words(k.change.later)),
                esc(&k.text)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}
