//! The question screen: the question's text, its KSB statements, the learner's rating and full
//! justification (read-only, sanitised), its KSB list with each KSB's rating (agreed or derived),
//! and the coach's review of the question or of the chosen KSB (agreed rating and note).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::model::Model;
use super::overview::label;
use super::view::{bordered, rating_style, rating_text};
use crate::core::ksb::{self, Basis};
use crate::core::progress::EarlierAnswer;
use crate::core::standard::{KsbCode, Part, QuestionId};
use crate::tui::text::{sanitize, sanitize_line, truncate, width, wrap};

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
    learner_lines(model, &id, w, &mut lines);
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "KSBs (↓ to choose one; y/s/n agree its rating, e notes it)",
        model.theme.title,
    ));
    let selected_line = ksb_lines(model, &q.ksbs, w, &mut lines);
    lines.push(Line::from(""));
    lines.push(Line::styled("Question", model.theme.title));
    for l in wrap(&sanitize(q.text.trim()), w) {
        lines.push(Line::from(l));
    }
    lines.push(Line::from(""));
    let visible = inner.height as usize;
    let max = lines.len().saturating_sub(visible);
    model.max_scroll.set(u16::try_from(max).unwrap_or(u16::MAX));
    let mut scroll = model.scroll.min(model.max_scroll.get());
    // Keep the chosen KSB in sight (with a line under it for its statement).
    if let Some(at) = selected_line.and_then(|l| u16::try_from(l).ok()) {
        let seen = u16::try_from(visible).unwrap_or(u16::MAX).max(1);
        if at.saturating_add(2) > scroll.saturating_add(seen) {
            scroll = at.saturating_add(2).saturating_sub(seen);
        }
        if at < scroll {
            scroll = at;
        }
        scroll = scroll.min(model.max_scroll.get());
    }
    if scroll < model.max_scroll.get() {
        block = block.title_bottom(" ↓ more (PgDn to scroll) ");
    }
    frame.render_widget(block, top);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    draw_review(model, frame, bottom, &id);
}

/// The learner's rating, the earlier scan's (for a later scan) and the justification.
fn learner_lines(model: &Model, id: &QuestionId, w: usize, lines: &mut Vec<Line<'_>>) {
    let answer = model.scan.answer(id);
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
        let before = EarlierAnswer::of(earlier, id, w.saturating_sub(40).max(10));
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
}

/// One row per KSB of the question with its rating (the chosen one whole, with its note).
/// Returns the chosen KSB's line.
fn ksb_lines(
    model: &Model,
    codes: &[KsbCode],
    w: usize,
    lines: &mut Vec<Line<'_>>,
) -> Option<usize> {
    let standard = model.scan.standard();
    let all = ksb::evaluate(&model.scan, Basis::Agreed);
    let mut selected_line = None;
    for (i, code) in codes.iter().enumerate() {
        let rated = all.iter().find(|k| k.ksb.code == *code);
        let rating = rated.and_then(|k| k.rating);
        let source = rated.map_or("derived", |k| k.source.label());
        let chosen = model.ksb_cursor == Some(i);
        if chosen {
            selected_line = Some(lines.len());
        }
        let marker = if chosen { "▶ " } else { "  " };
        let has_note = rated.is_some_and(|k| !k.note.trim().is_empty());
        // A later scan: the KSB's earlier rating (the same rule as the comparison) beside it.
        let was = model.earlier.as_ref().map_or(String::new(), |earlier| {
            format!(
                "(was {}) ",
                crate::core::progress::ksb_rating(earlier, code).map_or("·", |r| r.symbol())
            )
        });
        let head = format!(
            "{marker}{code:<4} {:<8} {:<8}{} {was}",
            rating_text(rating),
            source,
            if has_note { "✎" } else { " " }
        );
        let text = standard
            .ksb(code)
            .map_or("(unknown KSB)", |k| k.text.as_str());
        let indent = width(&head);
        let code_style = if chosen {
            model.theme.focus
        } else {
            model.theme.selected
        };
        let wrapped = if chosen {
            wrap(&sanitize(text), w.saturating_sub(indent).max(1))
        } else {
            vec![truncate(
                &sanitize_line(text),
                w.saturating_sub(indent).max(1),
            )]
        };
        for (j, l) in wrapped.into_iter().enumerate() {
            if j == 0 {
                lines.push(Line::from(vec![
                    Span::styled(head.clone(), code_style.patch(rating_style(model, rating))),
                    Span::raw(l),
                ]));
            } else {
                lines.push(Line::from(format!("{}{l}", " ".repeat(indent))));
            }
        }
        if chosen && has_note {
            let note = rated.map_or("", |k| k.note.trim());
            for l in wrap(
                &sanitize(&format!("Note: {note}")),
                w.saturating_sub(indent).max(1),
            ) {
                lines.push(Line::styled(
                    format!("{}{l}", " ".repeat(indent)),
                    model.theme.muted,
                ));
            }
        }
    }
    selected_line
}

fn draw_review(model: &Model, frame: &mut Frame, area: Rect, id: &QuestionId) {
    let editing = model.note.is_some();
    let ksb = model.selected_ksb();
    let title = ksb.as_ref().map_or_else(
        || " Coach's review ".to_string(),
        |c| format!(" Coach's review of {c} "),
    );
    let block = bordered(model, &title, editing);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (rating, note, unset) = if let Some(code) = &ksb {
        let agreed = model.scan.agreed_ksb(code);
        let derived = ksb::evaluate(&model.scan, Basis::Agreed)
            .into_iter()
            .find(|k| k.ksb.code == *code)
            .filter(|k| k.source == ksb::Source::Derived)
            .map(|k| k.rating);
        (
            agreed.and_then(|a| a.rating),
            agreed.map_or("", |a| a.note.trim()),
            format!(
                "none set: derived {} (the lowest of its questions)",
                rating_text(derived.flatten())
            ),
        )
    } else {
        let agreed = model.scan.agreed(id);
        (
            agreed.and_then(|a| a.rating),
            agreed.map_or("", |a| a.note.trim()),
            "none set (the learner's rating counts)".to_string(),
        )
    };
    let rating_line = match rating {
        Some(r) => Line::from(vec![
            Span::styled("Agreed rating: ", model.theme.title),
            Span::styled(rating_text(Some(r)), rating_style(model, Some(r))),
        ]),
        None => Line::from(vec![
            Span::styled("Agreed rating: ", model.theme.title),
            Span::raw(unset),
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
    if let Some(field) = &model.note {
        frame.render_widget(field.widget(), rest);
        return;
    }
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
