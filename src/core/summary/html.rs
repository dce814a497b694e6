//! The summary as a self-contained HTML document for email clients (Outlook, Gmail, phones) and
//! printing on A4: table layout, inline CSS on every element, no external resources. Every text
//! from the scan goes through `escape_html`.

use std::fmt::Write;

use super::sanitize::{escape_html as esc, escape_html_lines as esc_lines};
use super::{RatingCell, Summary, rating_words};
use crate::core::Rating;

const FONT: &str = "font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;";
const H2: &str = "font-family:Arial,Helvetica,sans-serif;font-size:18px;color:#1a1a1a;margin:24px 0 8px 0;padding-bottom:4px;border-bottom:2px solid #1d4f91;";
const TH: &str = "font-family:Arial,Helvetica,sans-serif;font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;background:#e8eef7;border:1px solid #b8c4d6;";
const TD: &str = "font-family:Arial,Helvetica,sans-serif;font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;border:1px solid #b8c4d6;word-break:break-word;overflow-wrap:anywhere;";
const P: &str =
    "font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;margin:0 0 10px 0;";
const SMALL: &str =
    "font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#444444;margin:4px 0 0 0;";

/// Renders the whole summary.
pub(super) fn render(s: &Summary) -> String {
    let mut out = String::new();
    let title = esc(&s.title());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <style>@page {{ size: A4; margin: 15mm; }} @media print {{ .page {{ width: 100% !important; }} tr {{ page-break-inside: avoid; }} }}</style>\n\
         </head>\n<body style=\"margin:0;padding:0;background:#ffffff;{FONT}\">\n\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;\"><tr><td align=\"center\" style=\"padding:12px;\">\n\
         <table role=\"presentation\" class=\"page\" width=\"680\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:680px;border-collapse:collapse;\"><tr><td style=\"{FONT}text-align:left;\">\n"
    );
    header(&mut out, s);
    for n in &s.notices {
        let _ = writeln!(
            out,
            "<p style=\"{P}color:#a31515;font-weight:bold;\">{}</p>",
            esc(n)
        );
    }
    ratings(&mut out, s);
    prior_learning(&mut out, s);
    progress(&mut out, s);
    rpl(&mut out, s);
    validation(&mut out, s);
    development(&mut out, s);
    justifications(&mut out, s);
    next_steps(&mut out, s);
    out.push_str("</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n");
    out
}

fn data_table_open(out: &mut String) {
    out.push_str("<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;border-collapse:collapse;\">\n");
}

fn rating_span(rating: Option<Rating>) -> String {
    let colour = match rating {
        Some(Rating::Yes) => "#1b6e20",
        Some(Rating::Some) => "#8a5a00",
        Some(Rating::No) => "#a31515",
        None => "#444444",
    };
    format!(
        "<span style=\"color:{colour};font-weight:bold;white-space:nowrap;\">{}</span>",
        esc(&rating_words(rating))
    )
}

fn cell_html(cell: Option<&RatingCell>) -> String {
    let Some(c) = cell else {
        return "–".into();
    };
    let mut h = rating_span(c.learner);
    if let Some(agreed) = c.agreed {
        let _ = write!(
            h,
            "<br><span style=\"font-size:13px;\">Agreed: </span>{}",
            rating_span(Some(agreed))
        );
    }
    if !c.note.is_empty() {
        let _ = write!(
            h,
            "<p style=\"{SMALL}\"><em>Coach:</em> {}</p>",
            esc_lines(&c.note)
        );
    }
    h
}

fn header(out: &mut String, s: &Summary) {
    let _ = writeln!(
        out,
        "<h1 style=\"font-family:Arial,Helvetica,sans-serif;font-size:22px;color:#1d4f91;margin:0 0 12px 0;\">{}</h1>",
        esc(&s.title())
    );
    data_table_open(out);
    let confidentiality = s
        .confidentiality_words()
        .map(|words| ("Confidentiality", words));
    for (label, value) in [
        ("Learner", s.learner.display()),
        ("Line manager", s.manager.display()),
        (
            "Standard",
            format!("{}, {}", s.standard_name, s.standard_words()),
        ),
        ("Submitted", s.submitted_words()),
    ]
    .into_iter()
    .chain(confidentiality)
    {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" width=\"30%\" style=\"{TH}width:30%;\">{label}</th><td style=\"{TD}\">{}</td></tr>",
            esc(&value)
        );
    }
    out.push_str("</table>\n");
}

fn ratings(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "<h2 style=\"{H2}\">Ratings</h2>");
    let _ = writeln!(
        out,
        "<p style=\"{P}\">✔ Yes = already know or do this; ◐ Some = some of this; ✘ No = not yet.</p>"
    );
    data_table_open(out);
    let _ = writeln!(
        out,
        "<tr><th style=\"{TH}\">Duty</th><th width=\"22%\" style=\"{TH}width:22%;\">Skills</th><th width=\"22%\" style=\"{TH}width:22%;\">Knowledge</th></tr>"
    );
    for d in &s.duties {
        let _ = writeln!(
            out,
            "<tr><td style=\"{TD}\"><strong>{}.</strong> {}</td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td></tr>",
            d.number,
            esc(&d.title),
            cell_html(d.skills.as_ref()),
            cell_html(d.knowledge.as_ref())
        );
    }
    out.push_str("</table>\n");
    out.push_str("<p style=\"font-size:1px;line-height:12px;margin:0;\">&nbsp;</p>\n");
    data_table_open(out);
    let _ = writeln!(
        out,
        "<tr><th style=\"{TH}\">Behaviour</th><th width=\"22%\" style=\"{TH}width:22%;\">Rating</th></tr>"
    );
    for b in &s.behaviours {
        let _ = writeln!(
            out,
            "<tr><td style=\"{TD}\"><strong>{}</strong> {}</td><td style=\"{TD}\">{}</td></tr>",
            esc(&b.codes),
            esc(&b.statement),
            cell_html(Some(&b.rating))
        );
    }
    out.push_str("</table>\n");
}

fn prior_learning(out: &mut String, s: &Summary) {
    let p = &s.prior_learning;
    let _ = writeln!(
        out,
        "<h2 style=\"{H2}\">Indicative prior learning</h2>\n\
         <p style=\"{P}\">{}</p>\n<p style=\"{SMALL}\">{}</p>",
        esc(&p.statement),
        esc(&p.method)
    );
}

fn development(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "<h2 style=\"{H2}\">Areas for development</h2>");
    if s.development.is_empty() {
        let _ = writeln!(
            out,
            "<p style=\"{P}\">None: every question was rated Yes.</p>"
        );
        return;
    }
    for g in &s.development {
        let heading = g.heading();
        let _ = writeln!(
            out,
            "<h3 style=\"font-family:Arial,Helvetica,sans-serif;font-size:15px;margin:16px 0 6px 0;\">{}</h3>",
            esc(&heading)
        );
        data_table_open(out);
        for a in &g.areas {
            let _ = writeln!(
                out,
                "<tr><th colspan=\"2\" style=\"{TH}\">{} – {}</th></tr>",
                esc(&a.kind),
                rating_span(a.rating)
            );
            for k in &a.ksbs {
                let _ = writeln!(
                    out,
                    "<tr><td width=\"12%\" style=\"{TD}width:12%;font-weight:bold;\">{}</td><td style=\"{TD}\">{}</td></tr>",
                    esc(&k.code),
                    esc(&format!(
                        "{} – {}{}",
                        k.rating_words(),
                        k.text,
                        if k.note.is_empty() {
                            String::new()
                        } else {
                            format!(" (coach's note: {})", k.note)
                        }
                    ))
                );
            }
        }
        out.push_str("</table>\n");
    }
}

fn justifications(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "<h2 style=\"{H2}\">In your own words</h2>");
    data_table_open(out);
    for j in &s.justifications {
        let text = if j.text.is_empty() {
            "<em>(nothing written)</em>".to_string()
        } else {
            esc_lines(&j.text)
        };
        let mut note = String::new();
        if !j.rating.note.is_empty() {
            let _ = write!(
                note,
                "<p style=\"{SMALL}\"><em>Coach's note:</em> {}</p>",
                esc_lines(&j.rating.note)
            );
        }
        let mut rating = rating_span(j.rating.learner);
        if let Some(agreed) = j.rating.agreed {
            let _ = write!(rating, " · Agreed: {}", rating_span(Some(agreed)));
        }
        let _ = writeln!(
            out,
            "<tr><th style=\"{TH}\">{} <span style=\"font-weight:normal;\">({})</span> · {rating}</th></tr>\n\
             <tr><td style=\"{TD}\"><p style=\"{P}\">{text}</p>{note}</td></tr>",
            esc(&j.heading),
            esc(&j.codes),
        );
    }
    out.push_str("</table>\n");
}

fn next_steps(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "<h2 style=\"{H2}\">Next steps</h2>");
    for para in s.next_steps.split("\n\n") {
        let _ = writeln!(out, "<p style=\"{P}\">{}</p>", esc_lines(para));
    }
}

/// The indicative RPL estimate, when the summary has one (the coach's).
fn rpl(out: &mut String, s: &Summary) {
    let Some(r) = &s.rpl else {
        return;
    };
    let _ = writeln!(
        out,
        "<h2 style=\"{H2}\">Indicative prior-learning estimate (RPL)</h2>\n<p style=\"{P}\"><em>{}</em></p>",
        esc(&r.label)
    );
    data_table_open(out);
    for (k, v) in &r.lines {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" style=\"{TH}\">{}</th><td style=\"{TD}\">{}</td></tr>",
            esc(k),
            esc(v)
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(out, "<p style=\"{SMALL}\">{}</p>", esc(&r.method));
}

/// The planning meeting's validation record, when the summary has one (the coach's).
/// "Progress since DATE", for a later scan: the figures, then the share met per duty with a
/// bar drawn as a table cell (email clients drop SVG).
fn progress(out: &mut String, s: &Summary) {
    let Some(p) = &s.progress else {
        return;
    };
    let _ = writeln!(out, "<h2 style=\"{H2}\">{}</h2>", esc(&p.heading));
    if !p.lines.is_empty() {
        data_table_open(out);
        for (k, v) in &p.lines {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\" style=\"{TH}\">{}</th><td style=\"{TD}\">{}</td></tr>",
                esc(k),
                esc(v)
            );
        }
        out.push_str("</table>\n");
    }
    if !p.parts.is_empty() {
        data_table_open(out);
        let _ = writeln!(
            out,
            "<tr><th style=\"{TH}\">Part</th><th style=\"{TH}\">Earlier</th><th style=\"{TH}\">Now</th></tr>"
        );
        for part in &p.parts {
            let bar = |pct: u32, colour: &str| {
                format!(
                    "<div style=\"background:{colour};height:10px;width:{}%;\"></div>{pct}%",
                    pct.min(100)
                )
            };
            let _ = writeln!(
                out,
                "<tr><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td></tr>",
                esc(&part.part),
                bar(part.earlier, "#9db3d6"),
                bar(part.later, "#1d4f91")
            );
        }
        out.push_str("</table>\n");
    }
    for n in &p.notes {
        let _ = writeln!(out, "<p style=\"{P}\"><em>Note:</em> {}</p>", esc(n));
    }
}

fn validation(out: &mut String, s: &Summary) {
    let Some(v) = &s.validation else {
        return;
    };
    let _ = writeln!(out, "<h2 style=\"{H2}\">Planning meeting</h2>");
    data_table_open(out);
    for (k, value) in v.lines() {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\" style=\"{TH}\">{k}</th><td style=\"{TD}\">{}</td></tr>",
            esc(&value)
        );
    }
    out.push_str("</table>\n");
}
