//! The learning plan screen (the KSBs to develop by their per-KSB ratings, grouped by duty, with
//! the coach's notes) and the indicative prior-learning (RPL) estimate screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::model::Model;
use super::overview::label;
use super::view::{bordered, rating_style, rating_text};
use crate::core::plan::development_areas;
use crate::core::rpl::{Estimate, LABEL};
use crate::core::score::Basis;
use crate::tui::text::{sanitize, width, wrap};

/// Draws lines in a bordered box, scrolled by the model (and tells the model how far it can go).
fn scrolled(model: &Model, frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'_>>) {
    let block = bordered(model, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let max = lines.len().saturating_sub(inner.height as usize);
    model.max_scroll.set(u16::try_from(max).unwrap_or(u16::MAX));
    let scroll = model.scroll.min(model.max_scroll.get());
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Draws the learning plan.
pub fn draw_plan(model: &Model, frame: &mut Frame, area: Rect) {
    let w = area.width.saturating_sub(2).max(1) as usize;
    let groups = development_areas(&model.scan, Basis::Agreed);
    let mut lines: Vec<Line> = Vec::new();
    for l in wrap(
        "Areas for development: every KSB rated Some or No (or not rated yet), each once, \
         under the first question covering it. A KSB's rating is the coach's agreed one, \
         or else derived: the lowest of its questions.",
        w,
    ) {
        lines.push(Line::styled(l, model.theme.muted));
    }
    if groups.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from("None: every KSB is rated Yes."));
    }
    let note_line = |lines: &mut Vec<Line>, indent: usize, note: &str| {
        if note.trim().is_empty() {
            return;
        }
        for l in wrap(
            &sanitize(&format!("Coach's note: {}", note.trim())),
            w.saturating_sub(indent).max(1),
        ) {
            lines.push(Line::styled(
                format!("{}{l}", " ".repeat(indent)),
                model.theme.muted,
            ));
        }
    };
    for g in &groups {
        lines.push(Line::from(""));
        let heading = if g.title.is_empty() {
            g.part.to_string()
        } else {
            format!("{}: {}", g.part, g.title)
        };
        for l in wrap(&sanitize(&heading), w) {
            lines.push(Line::styled(l, model.theme.title));
        }
        for a in &g.areas {
            let q = a.question;
            lines.push(Line::from(vec![
                Span::raw(format!("  {:<14} ", label(g.part, q.kind, &q.ksbs))),
                Span::styled(rating_text(a.rating), rating_style(model, a.rating)),
            ]));
            note_line(&mut lines, 4, a.note);
            for k in &a.ksbs {
                let head = format!(
                    "    {} {} ({}): ",
                    k.ksb.code,
                    rating_text(k.rating),
                    k.source.label()
                );
                let indent = 6;
                let first_w = w.saturating_sub(width(&head)).max(1);
                let words = wrap(&sanitize(&k.ksb.text), first_w);
                let mut rest = Vec::new();
                for (i, l) in words.into_iter().enumerate() {
                    if i == 0 {
                        lines.push(Line::from(vec![
                            Span::styled(head.clone(), rating_style(model, k.rating)),
                            Span::raw(l),
                        ]));
                    } else {
                        rest.push(l);
                    }
                }
                for l in wrap(&rest.join(" "), w.saturating_sub(indent).max(1)) {
                    if !l.is_empty() {
                        lines.push(Line::from(format!("{}{l}", " ".repeat(indent))));
                    }
                }
                note_line(&mut lines, indent, k.note);
            }
        }
    }
    scrolled(
        model,
        frame,
        area,
        " Learning plan: areas for development ",
        lines,
    );
}

/// Draws the RPL estimate.
pub fn draw_rpl(model: &Model, frame: &mut Frame, area: Rect) {
    let w = area.width.saturating_sub(2).max(1) as usize;
    let estimate = Estimate::of(&model.scan, model.programme);
    let mut lines: Vec<Line> = vec![
        Line::styled(
            format!("Indicative prior-learning estimate ({LABEL})"),
            model.theme.warning,
        ),
        Line::from(""),
    ];
    let label_width = estimate
        .lines()
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    for (name, value) in estimate.lines() {
        let wrapped = wrap(&value, w.saturating_sub(label_width).max(1));
        for (i, l) in wrapped.into_iter().enumerate() {
            let head = if i == 0 {
                format!("{name}:")
            } else {
                String::new()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{head:<label_width$}"), model.theme.title),
                Span::raw(l),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Method", model.theme.title));
    for l in wrap(&estimate.method(), w) {
        lines.push(Line::from(l));
    }
    lines.push(Line::from(""));
    for l in wrap(
        "The programme figures come from the [programme] section of the config file \
         (skills-scan config shows them).",
        w,
    ) {
        lines.push(Line::styled(l, model.theme.muted));
    }
    scrolled(model, frame, area, " Prior learning (RPL) ", lines);
}
