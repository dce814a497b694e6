//! The question screen: the question's text, its KSB statements, the learner's rating and full
//! justification (read-only, sanitised), and the coach's review of it (agreed rating and note).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::model::Model;
use super::overview::label;
use super::view::{bordered, rating_style, rating_text};
use crate::core::progress::EarlierAnswer;
use crate::core::standard::Part;
use crate::tui::text::{sanitize, wrap};

/// Draws the question screen for the selected question.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(id) = model.selected_id() else {
        return;
    };
    let Some(located) = model.scan.standard().question(&id) else {
        return;
    };
    let editing = model.note.is_some();
    let note_lines = model.scan.agreed(&id).map_or(1, |a| {
        wrap(
            &sanitize(a.note.trim()),
            area.width.saturating_sub(2).max(1) as usize,
        )
        .len()
    });
    let review_height = if editing {
        10
    } else {
        4 + note_lines.clamp(1, 3) as u16
    }
    .min(area.height / 2);
    let [top, bottom] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(review_height)]).areas(area);

    let q = located.question;
    let standard = model.scan.standard();
    let title = format!(
        " {} ({}/{}) ",
        label(located.part, q.kind, &q.ksbs),
        model.selected + 1,
        model.question_ids().len()
    );
    let mut block = bordered(model, &title, !editing);
    let inner = block.inner(top);
    let w = inner.width.max(1) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let heading = match located.part {
        Part::Duty(n) => standard
            .duty(n)
            .map(|d| format!("Duty {n}: {}", d.title))
            .unwrap_or_default(),
        Part::Behaviours => "Behaviours".to_string(),
    };
    for l in wrap(&sanitize(&heading), w) {
        lines.push(Line::styled(l, model.theme.title));
    }
    let answer = model.scan.answer(&id);
    let rating = answer.and_then(|a| a.rating);
    let lock = if model.scan.is_submitted() {
        "read-only: submitted"
    } else {
        "read-only: the learner's own answer"
    };
    lines.push(Line::from(vec![
        Span::styled("Learner's rating: ", model.theme.title),
        Span::styled(rating_text(rating), rating_style(model, rating)),
        Span::styled(format!("  ({lock})"), model.theme.muted),
    ]));
    if let Some(earlier) = &model.earlier {
        let before = EarlierAnswer::of(earlier, &id, w.saturating_sub(40).max(10));
        lines.push(Line::from(vec![
            Span::styled(format!("Earlier ({}): ", before.date), model.theme.title),
            Span::styled(
                rating_text(before.rating),
                rating_style(model, before.rating),
            ),
            Span::styled(
                before
                    .agreed
                    .map(|a| format!(" (agreed {})", a.label()))
                    .unwrap_or_default(),
                model.theme.muted,
            ),
            Span::styled(
                if before.words.is_empty() {
                    String::new()
                } else {
                    format!("  “{}”", sanitize(&before.words))
                },
                model.theme.muted,
            ),
        ]));
    }
    let text = answer.map_or("", |a| a.text.trim());
    if text.is_empty() {
        lines.push(Line::styled(
            "(no justification written)",
            model.theme.muted,
        ));
    } else {
        for l in wrap(&sanitize(text), w) {
            lines.push(Line::from(l));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Question", model.theme.title));
    for l in wrap(&sanitize(q.text.trim()), w) {
        lines.push(Line::from(l));
    }
    lines.push(Line::from(""));
    for code in &q.ksbs {
        let text = standard
            .ksb(code)
            .map_or("(unknown KSB)", |k| k.text.as_str());
        // A later scan: the KSB's earlier rating (the same rule as the comparison) beside it.
        let prefix = match &model.earlier {
            Some(earlier) => format!(
                "{code} (was {}): ",
                crate::core::progress::ksb_rating(earlier, code).map_or("·", |r| r.symbol())
            ),
            None => format!("{code}: "),
        };
        let indent = prefix.chars().count();
        for (i, l) in wrap(&sanitize(text), w.saturating_sub(indent).max(1))
            .into_iter()
            .enumerate()
        {
            if i == 0 {
                lines.push(Line::from(vec![
                    Span::styled(prefix.clone(), model.theme.selected),
                    Span::raw(l),
                ]));
            } else {
                lines.push(Line::from(format!("{}{l}", " ".repeat(indent))));
            }
        }
    }
    lines.push(Line::from(""));
    let visible = inner.height as usize;
    let max = lines.len().saturating_sub(visible);
    model.max_scroll.set(u16::try_from(max).unwrap_or(u16::MAX));
    let scroll = model.scroll.min(model.max_scroll.get());
    if scroll < model.max_scroll.get() {
        block = block.title_bottom(" ↓ more (↑↓ to scroll) ");
    }
    frame.render_widget(block, top);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    draw_review(model, frame, bottom, &id);
}

fn draw_review(model: &Model, frame: &mut Frame, area: Rect, id: &str) {
    let editing = model.note.is_some();
    let block = bordered(model, " Coach's review ", editing);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let agreed = model.scan.agreed(id);
    let rating = agreed.and_then(|a| a.rating);
    let rating_line = match rating {
        Some(r) => Line::from(vec![
            Span::styled("Agreed rating: ", model.theme.title),
            Span::styled(rating_text(Some(r)), rating_style(model, Some(r))),
        ]),
        None => Line::from(vec![
            Span::styled("Agreed rating: ", model.theme.title),
            Span::raw("none set (the learner's rating counts)"),
        ]),
    };
    let [first, rest] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(vec![
            rating_line,
            Line::styled("Coach's note:", model.theme.title),
        ]),
        first,
    );
    if let Some(area_widget) = &model.note {
        frame.render_widget(area_widget, rest);
        return;
    }
    let note = agreed.map_or("", |a| a.note.trim());
    let lines: Vec<Line> = if note.is_empty() {
        vec![Line::styled(
            "(none — press e to write one)",
            model.theme.muted,
        )]
    } else {
        wrap(&sanitize(note), rest.width.max(1) as usize)
            .into_iter()
            .map(Line::from)
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), rest);
}
