//! The overview screen: every duty's and behaviour's question with the learner's rating and the
//! agreed one, the prior-learning figures, and a bar chart of ratings per duty.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::model::Model;
use super::view::{bordered, rating_short, rating_style};
use crate::core::Rating;
use crate::core::record::{Seal, modified_words};
use crate::core::rpl::Estimate;
use crate::core::score::{Basis, Counts, Score, percent};
use crate::core::standard::{KsbCode, Part, QuestionKind};
use crate::tui::text::{sanitize, sanitize_line, truncate, wrap};

/// Width of each bar in the chart, in cells.
const BAR: usize = 16;

/// Draws the overview.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    if area.width >= 76 {
        let [list, side] =
            Layout::horizontal([Constraint::Min(36), Constraint::Length(38)]).areas(area);
        draw_list(model, frame, list);
        draw_side(model, frame, side);
    } else {
        draw_list(model, frame, area);
    }
}

/// A question's short label: `D3 Skills`, `D10 Knowledge`, `B2 Behaviour`.
pub fn label(part: Part, kind: QuestionKind, ksbs: &[KsbCode]) -> String {
    match part {
        Part::Duty(n) => format!("D{n} {}", kind.label()),
        Part::Behaviours => format!("{} Behaviour", ksbs.first().map_or("B", KsbCode::as_str)),
    }
}

fn draw_list(model: &Model, frame: &mut Frame, area: Rect) {
    let title = if model.earlier.is_some() {
        " Questions: was → learner → agreed "
    } else {
        " Questions: learner → agreed "
    };
    let block = bordered(model, title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let visible = inner.height as usize;
    let offset = (model.selected + 1).saturating_sub(visible);
    let mut lines = Vec::new();
    for (i, located) in model
        .scan
        .standard()
        .questions()
        .enumerate()
        .skip(offset)
        .take(visible)
    {
        let q = located.question;
        let learner = model.scan.rating(&q.id);
        let agreed = model.scan.agreed(&q.id);
        let agreed_rating = agreed.and_then(|a| a.rating);
        let has_note = agreed.is_some_and(|a| !a.note.trim().is_empty());
        let selected = i == model.selected;
        let marker = if selected { "▶" } else { " " };
        let mut spans = vec![Span::raw(format!(
            "{marker}{:<14} ",
            label(located.part, q.kind, &q.ksbs)
        ))];
        if let Some(earlier) = &model.earlier {
            // A later scan: the earlier rating's symbol, then an arrow to today's.
            let before = earlier.effective_rating(&q.id);
            spans.push(Span::styled(
                before.map_or("·", Rating::symbol),
                rating_style(model, before),
            ));
            spans.push(Span::raw(" → "));
        }
        spans.extend([Span::styled(
            format!("{:<7}", rating_short(learner)),
            rating_style(model, learner),
        )]);
        if let Some(r) = agreed_rating {
            spans.push(Span::raw(" → "));
            spans.push(Span::styled(
                format!("{:<6}", rating_short(Some(r))),
                rating_style(model, Some(r)),
            ));
        } else {
            spans.push(Span::raw(" ".repeat(9)));
        }
        if has_note {
            spans.push(Span::raw(" ✎ note"));
        }
        let ksbs_agreed = q
            .ksbs
            .iter()
            .filter(|c| {
                model
                    .scan
                    .agreed_ksb(c)
                    .is_some_and(|a| a.rating.is_some() || !a.note.trim().is_empty())
            })
            .count();
        if ksbs_agreed > 0 {
            spans.push(Span::raw(format!(" ✎{ksbs_agreed} KSB")));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(model.theme.focus);
        }
        lines.push(line);
    }
    let spare = visible.saturating_sub(lines.len());
    if spare >= 4 {
        preview(model, &mut lines, inner.width as usize, spare - 1);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Under the list, when there is room: the selected question's duty and the start of the
/// learner's justification.
fn preview(model: &Model, lines: &mut Vec<Line<'_>>, width: usize, room: usize) {
    let Some(id) = model.selected_id() else {
        return;
    };
    let Some(located) = model.scan.standard().question(&id) else {
        return;
    };
    let heading = match located.part {
        Part::Duty(n) => model
            .scan
            .standard()
            .duty(n)
            .map_or_else(String::new, |d| format!("Duty {n}: {}", d.title)),
        Part::Behaviours => located
            .question
            .ksbs
            .iter()
            .filter_map(|c| model.scan.standard().ksb(c))
            .map(|k| format!("{}: {}", k.code, k.text))
            .collect::<Vec<_>>()
            .join(" "),
    };
    lines.push(Line::from(""));
    lines.push(Line::styled(
        truncate(&sanitize_line(&heading), width),
        model.theme.title,
    ));
    let text = model.scan.answer(&id).map_or("", |a| a.text.trim());
    let text = if text.is_empty() {
        "(no justification written)"
    } else {
        text
    };
    for l in wrap(&sanitize(text), width)
        .into_iter()
        .take(room.saturating_sub(2))
    {
        lines.push(Line::styled(l, model.theme.muted));
    }
}

/// A stacked bar's segments: (cells, shading, rating) for Yes `█`, Some `▒`, No `░` and
/// unanswered `·`, scaled to `BAR` cells in all.
pub fn segments(counts: Counts, questions: usize) -> Vec<(usize, char, Option<Rating>)> {
    if questions == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut done, mut cumulative) = (0usize, 0usize);
    for (n, c, r) in [
        (counts.yes, '█', Some(Rating::Yes)),
        (counts.some, '▒', Some(Rating::Some)),
        (counts.no, '░', Some(Rating::No)),
        (counts.unanswered, '·', None),
    ] {
        cumulative += n;
        let end = ((cumulative * BAR + questions / 2) / questions).max(done);
        if end > done {
            out.push((end - done, c, r));
        }
        done = end;
    }
    out
}

/// The bar as plain text.
#[cfg(test)]
fn bar(counts: Counts, questions: usize) -> String {
    segments(counts, questions)
        .into_iter()
        .map(|(n, c, _)| c.to_string().repeat(n))
        .collect()
}

fn draw_side(model: &Model, frame: &mut Frame, area: Rect) {
    let factor = model.programme.some_factor;
    let learner = Score::of(&model.scan, Basis::Learner, factor);
    let agreed = Score::of(&model.scan, Basis::Agreed, factor);
    let estimate = Estimate::of(&model.scan, model.programme);
    let block = bordered(model, " Prior learning ", false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![
        Line::styled(
            format!("KSBs already met     {:>3}%", agreed.percent()),
            model.theme.title,
        ),
        Line::from(format!("  learner's own view {:>3}%", learner.percent())),
        Line::styled(
            truncate(
                &format!(
                    "  {} of {} KSBs derived",
                    agreed.derived,
                    agreed.ksbs.total()
                ),
                w,
            ),
            model.theme.muted,
        ),
        match model.answers_with_warnings {
            0 => Line::styled("Confidentiality check  no warning", model.theme.muted),
            n => Line::styled(
                format!(
                    "⚠ {n} answer{} may identify someone",
                    if n == 1 { "" } else { "s" }
                ),
                model.theme.warning,
            ),
        },
    ];
    let seal = Seal::of(&model.scan);
    let (text, style) = match seal {
        Seal::NotValidated => ("Validated: no".to_string(), model.theme.muted),
        Seal::ChangedSince { .. } => (
            format!(
                "CHANGED since validated {}",
                seal.date().unwrap_or_default()
            ),
            model.theme.error,
        ),
        _ => (format!("Validated: {}", seal.short()), model.theme.ok),
    };
    lines.push(Line::styled(truncate(&text, w), style));
    if let Some(diffs) = &model.modified {
        lines.push(Line::styled(
            truncate(&sanitize_line(&modified_words(diffs)), w),
            model.theme.error,
        ));
    }
    if !estimate.eligibility.is_fundable() {
        lines.push(Line::styled(
            truncate("Not fundable as planned (r: why)", w),
            model.theme.warning,
        ));
    }
    if model.scan.unanswered_count() > 0 {
        lines.push(Line::styled(
            truncate(
                &format!(
                    "{} unanswered (count as not met)",
                    model.scan.unanswered_count()
                ),
                w,
            ),
            model.theme.warning,
        ));
    }
    lines.push(Line::styled(
        "KSBs per duty (agreed where set)",
        model.theme.title,
    ));
    for p in &agreed.parts {
        let name = match p.part {
            Part::Duty(n) => format!("D{n}"),
            Part::Behaviours => "B".to_string(),
        };
        lines.push(Line::from(vec![Span::raw(format!("{name:<4}"))]));
        if let Some(line) = lines.last_mut() {
            for (n, c, r) in segments(p.ksbs, p.ksbs.total()) {
                line.push_span(Span::styled(
                    c.to_string().repeat(n),
                    rating_style(model, r),
                ));
            }
            line.push_span(Span::raw(format!(" {:>3}%", percent(p.share))));
        }
    }
    lines.push(Line::styled(
        "█ Yes  ▒ Some  ░ No  · none",
        model.theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_the_width_in_proportion() {
        let c = |yes, some, no, unanswered| Counts {
            yes,
            some,
            no,
            unanswered,
        };
        assert_eq!(
            bar(c(1, 1, 0, 0), 2),
            format!("{}{}", "█".repeat(8), "▒".repeat(8))
        );
        assert_eq!(bar(c(0, 0, 0, 2), 2), "·".repeat(16));
        let b = bar(c(2, 1, 1, 1), 5);
        assert_eq!(b.chars().count(), BAR);
        assert!(b.starts_with("██████") && b.ends_with('·'));
        assert_eq!(bar(c(0, 0, 0, 0), 0), "");
    }
}
