//! The validation screen: the planning meeting's record — date, coach's name, manager's name and
//! "validated by the manager" — with when it was recorded and the seal's state.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::model::{Field, Model};
use super::view::bordered;
use crate::core::record::{Seal, modified_words, not_submitted_words};
use crate::tui::field::TextField;
use crate::tui::text::{sanitize_line, truncate, width};

const LABEL_WIDTH: usize = 28;

/// Draws the validation form.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let block = bordered(model, " Validation record: planning meeting ", true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let form = &model.form;
    let field_w = (inner.width as usize)
        .saturating_sub(LABEL_WIDTH + 3)
        .max(4);
    let mut lines: Vec<Line> = vec![
        Line::styled(
            "The line manager confirms the scan is accurate at the planning meeting.",
            model.theme.muted,
        ),
        Line::from(""),
    ];
    let mut cursor = None;
    for (field, name, input) in [
        (Field::Date, "Meeting date (YYYY-MM-DD)", &form.date),
        (Field::Coach, "Coach's name", &form.coach),
        (Field::Manager, "Manager's name", &form.manager),
    ] {
        let focused = form.focus == field;
        if focused {
            let before: String = input.text().chars().take(input.cursor_column()).collect();
            let x = inner.x as usize + LABEL_WIDTH + 1 + width(&before).min(field_w);
            cursor = Some(Position::new(
                u16::try_from(x).unwrap_or(inner.x),
                inner.y + u16::try_from(lines.len()).unwrap_or(0),
            ));
        }
        lines.push(input_line(model, name, input, focused, field_w));
    }
    let v = model.scan.review.as_ref().map(|r| &r.validation);
    let ticked = v.is_some_and(|v| v.validated_by_manager);
    let focused = form.focus == Field::Validated;
    let text = if let Seal::ChangedSince { .. } = Seal::of(&model.scan) {
        "[!] Validated by the manager, but changed since (Space: validate again)".to_string()
    } else {
        format!(
            "[{}] Validated by the manager",
            if ticked { "x" } else { " " }
        )
    };
    lines.push(Line::from(vec![
        Span::raw(if focused { "▶ " } else { "  " }),
        Span::styled(
            text,
            if focused {
                model.theme.focus
            } else {
                model.theme.selected
            },
        ),
    ]));
    lines.push(Line::from(""));
    let recorded = v.and_then(|v| v.recorded_at).map_or_else(
        || "not recorded yet".to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    lines.push(Line::from(vec![
        Span::styled("Last recorded: ", model.theme.title),
        Span::raw(recorded),
    ]));
    let seal = Seal::of(&model.scan);
    let style = match seal {
        Seal::ChangedSince { .. } => model.theme.error,
        Seal::Validated { .. } => model.theme.ok,
        _ => model.theme.muted,
    };
    lines.push(Line::styled(seal.sentence(), style));
    if !model.scan.is_submitted() {
        let mut words =
            not_submitted_words(model.scan.unanswered_count(), model.scan.question_count());
        if let Some(first) = words.get(..1) {
            words = format!("{}{}.", first.to_uppercase(), &words[1..]);
        }
        lines.push(Line::styled(words, model.theme.warning));
    }
    if let Some(diffs) = &model.modified {
        lines.push(Line::styled(
            format!(
                "Cannot be validated: {}",
                sanitize_line(&modified_words(diffs))
            ),
            model.theme.error,
        ));
    }
    if let Some(problem) = &form.problem {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("! {problem}"), model.theme.error));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(p) = cursor
        && p.y < inner.y + inner.height
    {
        frame.set_cursor_position(p);
    }
}

fn input_line<'a>(
    model: &Model,
    name: &str,
    input: &TextField,
    focused: bool,
    field_w: usize,
) -> Line<'a> {
    let shown = truncate(&input.text(), field_w);
    let pad = field_w.saturating_sub(width(&shown));
    Line::from(vec![
        Span::raw(format!(
            "{}{:<w$}",
            if focused { "▶ " } else { "  " },
            format!("{name}:"),
            w = LABEL_WIDTH - 1
        )),
        Span::styled(
            format!("{shown}{}", "_".repeat(pad)),
            if focused {
                model.theme.focus
            } else {
                model.theme.selected
            },
        ),
    ])
}
