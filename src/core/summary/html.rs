//! The summary as a self-contained HTML document for email clients (Outlook, Gmail, phones) and
//! printing on A4. Built with maud, which escapes every value by construction: no text from the
//! scan can reach the markup unescaped. Shared styles sit in one `<style>` block (honoured by
//! Gmail, Outlook desktop and Apple Mail); only what Outlook's Word engine needs is an attribute
//! (table widths). The email puts the same sections in its own order ([`sections`]).

use std::collections::BTreeSet;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::words;
use super::{RatingCell, Render, Summary, rating_words};
use crate::core::Rating;

/// The shared styles: short class names, because a cohort's messages carry them many times.
pub const STYLE: &str = "body{margin:0;padding:0;background:#fff;color:#1a1a1a;\
font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45}\
.page{width:100%;max-width:680px}\
.w{padding:12px;text-align:left}\
h1{font-size:22px;color:#1d4f91;margin:0 0 12px}\
h2{font-size:18px;margin:24px 0 8px;padding-bottom:4px;border-bottom:2px solid #1d4f91}\
h3{font-size:15px;margin:16px 0 6px}\
p{margin:0 0 10px}\
table.t{width:100%;border-collapse:collapse;margin:0 0 12px}\
.t th,.t td{font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;\
border:1px solid #b8c4d6;word-break:break-word;overflow-wrap:anywhere}\
.t th{background:#e8eef7}\
.t th.q{font-weight:normal}\
.r{font-weight:bold;white-space:nowrap}\
.ry{color:#1b6e20}.rs{color:#8a5a00}.rn{color:#a31515}.ru{color:#444}\
.c{font-weight:bold;white-space:nowrap;width:12%}\
.sm{font-size:13px;color:#444;margin:4px 0 0}\
.big{font-size:18px}\
@page{size:A4;margin:15mm}\
@media print{.page{max-width:none!important}tr{page-break-inside:avoid}}\
@media (max-width:480px){.w{padding:6px}.t th,.t td{padding:4px}}";

/// Renders the whole summary (the `summary --format html` output and the attached
/// `summary.html`).
pub(super) fn render(s: &Summary) -> String {
    document(&s.title(), &sections(s, &super::ORDER)).into_string()
}

/// `order`'s sections of the summary, one after the other.
pub(super) fn sections(s: &Summary, order: &[super::Section]) -> Markup {
    let mut body = Html::default();
    super::render_sections(&mut body, s, order);
    PreEscaped(body.0)
}

/// The HTML format: each section's markup appended.
#[derive(Default)]
struct Html(String);

impl Html {
    fn push(&mut self, markup: Markup) {
        self.0.push_str(&markup.into_string());
    }
}

impl Render for Html {
    fn header(&mut self, s: &Summary) {
        self.push(header(s));
    }
    fn notices(&mut self, s: &Summary) {
        self.push(notices(s));
    }
    fn ratings(&mut self, s: &Summary) {
        self.push(ratings(s));
    }
    fn prior_learning(&mut self, s: &Summary) {
        self.push(prior_learning(s));
    }
    fn progress(&mut self, s: &Summary) {
        self.push(progress(s));
    }
    fn rpl(&mut self, s: &Summary) {
        self.push(rpl(s));
    }
    fn validation(&mut self, s: &Summary) {
        self.push(validation(s));
    }
    fn development(&mut self, s: &Summary) {
        self.push(development(s));
    }
    fn justifications(&mut self, s: &Summary) {
        self.push(justifications(s));
    }
    fn next_steps(&mut self, s: &Summary) {
        self.push(next_steps(s));
    }
}

/// A whole HTML document around `body`: the shared styles and a centred column 680 pixels wide
/// at most (full width on a phone, the page width in print).
pub fn document(title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" {
                    tr { td align="center" {
                        table.page role="presentation" width="680" cellpadding="0" cellspacing="0" border="0" {
                            tr { td.w { (body) } }
                        }
                    } }
                }
            }
        }
    }
}

/// A data table's opening, with the width Outlook reads from the attribute.
fn table(rows: &Markup) -> Markup {
    html! { table.t width="100%" cellpadding="0" cellspacing="0" { (rows) } }
}

/// A rating in words with its symbol, coloured (the symbol tells them apart without colour).
pub fn rating(r: Option<Rating>) -> Markup {
    let class = match r {
        Some(Rating::Yes) => "r ry",
        Some(Rating::Some) => "r rs",
        Some(Rating::No) => "r rn",
        None => "r ru",
    };
    html! { span class=(class) { (rating_words(r)) } }
}

/// Cleaned text that may hold line breaks: each becomes `<br>`.
pub fn lines(text: &str) -> Markup {
    html! {
        @for (i, line) in text.split('\n').enumerate() {
            @if i > 0 { br; }
            (line)
        }
    }
}

fn cell(c: Option<&RatingCell>) -> Markup {
    html! {
        @if let Some(c) = c {
            (rating(c.learner))
            @if let Some(agreed) = c.agreed {
                br; span.sm { "Agreed: " } (rating(Some(agreed)))
            }
            @if !c.note.is_empty() {
                p.sm { em { "Coach: " } (lines(&c.note)) }
            }
        } @else {
            "–"
        }
    }
}

/// The title and who and what the scan is about.
fn header(s: &Summary) -> Markup {
    html! {
        h1 { (s.title()) }
        (table(&html! {
            @for (label, value) in s.header_rows() {
                tr { th scope="row" width="30%" { (label) } td { (value) } }
            }
        }))
    }
}

/// The ratings of every duty (Skills, Knowledge) and behaviour.
fn ratings(s: &Summary) -> Markup {
    html! {
        h2 { (words::RATINGS) }
        p { (words::LEGEND) }
        @if s.reviewed {
            p { (words::AGREED_BELOW) }
        }
        (table(&html! {
            tr { th { "Duty" } th width="22%" { "Skills" } th width="22%" { "Knowledge" } }
            @for d in &s.duties {
                tr {
                    td { strong { (d.number) "." } " " (d.title) }
                    td { (cell(d.skills.as_ref())) }
                    td { (cell(d.knowledge.as_ref())) }
                }
            }
        }))
        (table(&html! {
            tr { th { "Behaviour" } th width="22%" { "Rating" } }
            @for b in &s.behaviours {
                tr {
                    td { strong { (b.codes) } " " (b.statement) }
                    td { (cell(Some(&b.rating))) }
                }
            }
        }))
    }
}

/// The indicative prior-learning figure.
fn prior_learning(s: &Summary) -> Markup {
    let p = &s.prior_learning;
    html! {
        h2 { (words::PRIOR_LEARNING) }
        p { (p.statement) }
        p.sm { (p.method) }
    }
}

/// Warnings the reader must see first: an unfinished scan, a change since validation, a
/// modified standard.
fn notices(s: &Summary) -> Markup {
    html! {
        @for n in &s.notices {
            p.rn { strong { (n) } }
        }
    }
}

/// "Progress since DATE" for a later scan: the figures, and the share met per part as bars
/// (plain HTML tables: email clients drop SVG).
fn progress(s: &Summary) -> Markup {
    html! {
        @if let Some(p) = &s.progress {
            h2 { (p.heading) }
            @if !p.lines.is_empty() {
                (table(&html! {
                    @for (k, v) in &p.lines {
                        tr { th scope="row" { (k) } td { (v) } }
                    }
                }))
            }
            @if !p.parts.is_empty() {
                (table(&html! {
                    tr { th { "Part" } th { "Earlier" } th { "Now" } }
                    @for part in &p.parts {
                        tr {
                            td { (part.part) }
                            td { div style=(format!("background:#9db3d6;height:10px;width:{}%", part.earlier.min(100))) {} (part.earlier) "%" }
                            td { div style=(format!("background:#1d4f91;height:10px;width:{}%", part.later.min(100))) {} (part.later) "%" }
                        }
                    }
                }))
            }
            @for n in &p.notes {
                p { em { (words::NOTE) } (n) }
            }
        }
    }
}

/// The areas for development by duty: each question rated Some or No with its KSB codes, and
/// each KSB's statement once (codes already stated higher up are named on one line).
fn development(s: &Summary) -> Markup {
    let mut stated = BTreeSet::new();
    html! {
        h2 { (words::DEVELOPMENT) }
        @if s.development.is_empty() {
            p { (words::NO_DEVELOPMENT) }
        }
        @for g in &s.development {
            h3 { (g.heading()) }
            (table(&html! {
                @for a in &g.areas {
                    @let (new, seen) = split_stated(&a.ksbs, &mut stated);
                    tr { th colspan="2" { (a.kind.label()) " – " (rating(a.rating)) } }
                    @if !a.note.is_empty() {
                        tr { td colspan="2" { p.sm { em { (words::COACHS_NOTE) } (lines(&a.note)) } } }
                    }
                    @for k in new {
                        tr {
                            td.c { (k.code) }
                            td {
                                // A derived rating is the question's, shown above: a symbol is
                                // enough; a rating the coach agreed for this KSB is spelt out.
                                @if k.derived {
                                    (k.rating.map_or("–", Rating::symbol)) " "
                                } @else {
                                    strong { (k.rating_words()) } " – "
                                }
                                (k.text)
                                @if !k.note.is_empty() {
                                    p.sm { em { (words::COACHS_NOTE) } (lines(&k.note)) }
                                }
                            }
                        }
                    }
                    @if !seen.is_empty() {
                        tr { td.c { "Also" } td { (seen) " (stated above)" } }
                    }
                }
            }))
        }
    }
}

/// An area's KSBs split into those not stated yet (now marked stated) and the codes of those
/// already stated higher up, comma separated.
pub(super) fn split_stated<'a>(
    ksbs: &'a [super::KsbLine],
    stated: &mut BTreeSet<&'a str>,
) -> (Vec<&'a super::KsbLine>, String) {
    let mut new = Vec::new();
    let mut seen = Vec::new();
    for k in ksbs {
        if stated.insert(k.code.as_str()) {
            new.push(k);
        } else {
            seen.push(k.code.as_str());
        }
    }
    (new, seen.join(", "))
}

/// The learner's own words on every question, with its KSB codes and any coach's note.
fn justifications(s: &Summary) -> Markup {
    html! {
        h2 { (words::OWN_WORDS) }
        (table(&html! {
            @for j in &s.justifications {
                tr { th {
                    (j.heading) " " span.q { "(" (j.codes) ")" } " · " (rating(j.rating.learner))
                    @if let Some(agreed) = j.rating.agreed { " · Agreed: " (rating(Some(agreed))) }
                } }
                tr { td {
                    @if j.text.is_empty() { em { (words::NOTHING_WRITTEN) } } @else { (lines(&j.text)) }
                    @if !j.rating.note.is_empty() {
                        p.sm { em { (words::COACHS_NOTE) } (lines(&j.rating.note)) }
                    }
                } }
            }
        }))
    }
}

/// The standard's closing text (the summary; the email writes its own next steps).
fn next_steps(s: &Summary) -> Markup {
    html! {
        h2 { (words::NEXT_STEPS) }
        @for para in s.next_steps.split("\n\n") { p { (lines(para)) } }
    }
}

/// The indicative RPL estimate, when the summary has one (the coach's).
fn rpl(s: &Summary) -> Markup {
    html! {
        @if let Some(r) = &s.rpl {
            h2 { (words::RPL) }
            p { em { (r.label) } }
            (table(&html! {
                @for (k, v) in &r.lines { tr { th scope="row" { (k) } td { (v) } } }
            }))
            p.sm { (r.method) }
        }
    }
}

/// The planning meeting's validation record, when the summary has one (the coach's).
fn validation(s: &Summary) -> Markup {
    html! {
        @if let Some(v) = &s.validation {
            h2 { (words::PLANNING_MEETING) }
            (table(&html! {
                @for (k, value) in v.lines() { tr { th scope="row" { (k) } td { (value) } } }
            }))
        }
    }
}
