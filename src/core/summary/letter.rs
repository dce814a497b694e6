//! The summary as the email a learner and their line manager receive: it opens by addressing
//! both by name (who sends it, what it is, what each of them is asked to do), then gives the
//! summary's sections in the order people read top-down — ratings, the learner's own words,
//! areas for development, the indicative prior-learning figure — and ends with next steps
//! written for an email that has already been sent. Text (72 columns) and HTML say the same.
//!
//! The email's sections and their order are [`ORDER`]; a section added to the summary appears
//! in the email once it is put there.

use std::fmt::Write;

use maud::{Markup, html};

use super::{Section, Summary, html as h, text as t, words};

/// The summary's sections in the email, in reading order. The header and next steps are the
/// letter's own (addressed to the learner and manager); the coach's sections (RPL, validation)
/// and the notices are not sent.
pub const ORDER: [Section; 5] = [
    Section::Ratings,
    Section::Justifications,
    Section::Development,
    Section::PriorLearning,
    Section::Progress,
];

/// What the email says beyond the summary: who sends it and how to reach them. Every text is
/// shown as given (escaped in the HTML): pass cleaned values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letter {
    /// The training provider's name; empty when not configured.
    pub provider: String,
    /// Whom to contact about the scan (an address, or `Name <address>`); empty when none.
    pub contact: String,
    /// The e-portfolio the learner uploads the scan to.
    pub eportfolio: String,
    /// The attached scan file's name.
    pub scan_file: String,
    /// The attached summary's name.
    pub summary_file: String,
    /// The Content-ID of the ratings chart attached inline (`chart@…`), if there is one.
    pub chart_cid: Option<String>,
}

/// One bar of the chart: a duty or the behaviours, with how many questions are rated Yes,
/// Some, No, or not at all (the coach's agreed rating where set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glance {
    /// "Duty 3" or "Behaviours".
    pub label: String,
    /// Yes, Some, No, unanswered.
    pub counts: [usize; 4],
}

impl Summary {
    /// The ratings per duty and for the behaviours, for the chart and its alt text.
    pub fn glance(&self) -> Vec<Glance> {
        let count = |cells: &mut dyn Iterator<Item = &super::RatingCell>| {
            let mut counts = [0; 4];
            for c in cells {
                let i = match c.agreed.or(c.learner) {
                    Some(crate::core::Rating::Yes) => 0,
                    Some(crate::core::Rating::Some) => 1,
                    Some(crate::core::Rating::No) => 2,
                    None => 3,
                };
                counts[i] += 1;
            }
            counts
        };
        let mut out: Vec<Glance> = self
            .duties
            .iter()
            .map(|d| Glance {
                label: format!("Duty {}", d.number),
                counts: count(&mut d.skills.iter().chain(d.knowledge.iter())),
            })
            .collect();
        if !self.behaviours.is_empty() {
            out.push(Glance {
                label: "Behaviours".into(),
                counts: count(&mut self.behaviours.iter().map(|b| &b.rating)),
            });
        }
        out
    }

    /// The chart in words (its alt text): "Duty 1: 1 Yes, 1 Some. …".
    pub fn glance_words(&self) -> String {
        let mut words = vec!["Ratings at a glance.".to_string()];
        for g in self.glance() {
            let parts: Vec<String> = ["Yes", "Some", "No", "not answered"]
                .iter()
                .zip(g.counts)
                .filter(|(_, n)| *n > 0)
                .map(|(label, n)| format!("{n} {label}"))
                .collect();
            words.push(format!("{}: {}.", g.label, parts.join(", ")));
        }
        words.join(" ")
    }
}

/// The people and phrases the letter is made of, worked out once for both renderings.
struct Words {
    dear: String,
    about: String,
    manager_ask: String,
    learner_ask: String,
    steps: [String; 3],
    footer: String,
}

impl Words {
    fn of(s: &Summary, l: &Letter) -> Self {
        let learner = if s.learner.name.is_empty() {
            "Learner".to_string()
        } else {
            s.learner.name.clone()
        };
        let manager = if s.manager.name.is_empty() {
            format!("{learner}'s line manager")
        } else {
            s.manager.name.clone()
        };
        let provider = if l.provider.is_empty() {
            "the training provider".to_string()
        } else {
            l.provider.clone()
        };
        let contact = if l.contact.is_empty() {
            provider.clone()
        } else {
            l.contact.clone()
        };
        let submitted = s
            .submitted
            .map(|t| format!(", submitted on {}", t.format("%-d %B %Y")))
            .unwrap_or_default();
        let about = format!(
            "This is {learner}'s initial skills scan for the {} apprenticeship ({}){submitted}. \
             {} sends it to you both.",
            s.standard_name,
            s.standard_words(),
            capitalise(&provider),
        );
        let manager_role = if s.manager.name.is_empty() {
            manager.clone()
        } else {
            format!("{manager}, as {learner}'s line manager")
        };
        let manager_ask = format!(
            "{}: please read it before the planning meeting with {learner}'s coach. At the \
             meeting you will be asked to confirm that it is accurate, or to name further areas \
             for development. If anything in it looks wrong, contact {contact}.",
            capitalise(&manager_role)
        );
        let learner_ask = format!(
            "{learner}: please keep this email, and upload the attached summary ({}) and scan \
             file ({}) to your skills scan learning assessment record on {}, with any other \
             evidence, before the planning meeting. Your coach reviews it there.",
            l.summary_file, l.scan_file, l.eportfolio
        );
        let steps = [
            format!(
                "{learner} uploads the attached summary and scan file to {}, with any other evidence.",
                l.eportfolio
            ),
            format!(
                "{} reads this summary before the planning meeting.",
                capitalise(&manager)
            ),
            format!(
                "At the planning meeting {learner}, the coach and {manager} go through the \
                 ratings: {manager} confirms they are accurate or names further areas for \
                 development, and the coach confirms the prior-learning figure and starts the \
                 learning plan."
            ),
        ];
        let footer = format!(
            "Sent by {provider} with skills-scan, automatically, when {learner} submitted the \
             scan. Questions: {contact}."
        );
        Self {
            dear: format!("Dear {learner} and {manager},"),
            about,
            manager_ask,
            learner_ask,
            steps,
            footer,
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// The email's text part: the opening, the summary's sections, next steps, at 72 columns.
pub(super) fn text(s: &Summary, l: &Letter) -> String {
    let w = Words::of(s, l);
    let mut out = String::new();
    let title = s.title();
    let _ = writeln!(out, "{title}\n{}\n", "=".repeat(title.chars().count()));
    for para in [&w.dear, &w.about, &w.manager_ask, &w.learner_ask] {
        t::wrap(&mut out, para, "");
        out.push('\n');
    }
    let _ = writeln!(out, "Learner:        {}", s.learner.display());
    let _ = writeln!(out, "Line manager:   {}", s.manager.display());
    let mut text = t::Text { out };
    super::render_sections(&mut text, s, &ORDER);
    let mut out = text.out;
    t::heading(&mut out, words::NEXT_STEPS);
    for (i, step) in w.steps.iter().enumerate() {
        let mut item = String::new();
        t::wrap(&mut item, step, "   ");
        let _ = write!(out, "{}.{}", i + 1, &item[2..]);
    }
    out.push_str("\n-- \n");
    t::wrap(&mut out, &w.footer, "");
    out
}

/// The email's HTML part (a whole document).
pub(super) fn html(s: &Summary, l: &Letter) -> String {
    let w = Words::of(s, l);
    let body: Markup = html! {
        h1 { (s.title()) }
        p { (w.dear) }
        p { (w.about) }
        p { (w.manager_ask) }
        p { (w.learner_ask) }
        @if let Some(cid) = &l.chart_cid {
            p {
                img src=(format!("cid:{cid}")) alt=(s.glance_words()) width="600"
                    style="max-width:100%;height:auto;border:0";
            }
        }
        (h::sections(s, &ORDER))
        h2 { (words::NEXT_STEPS) }
        ol { @for step in &w.steps { li { (step) } } }
        p.sm { (w.footer) }
    };
    h::document(&s.title(), &body).into_string()
}
