//! Drawing the coach's view: the frame around every screen (title, tabs, status, key hints) and
//! the pieces screens share (ratings as symbol + word, coloured only as an extra).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::model::{Model, Screen};
use super::{overview, plan, question, validation};
use crate::core::Rating;
use crate::core::record::Seal;
use crate::tui::text::{sanitize_line, truncate, width};

/// Draws the whole view.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let [header, tabs, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(model, frame, header);
    draw_tabs(model, frame, tabs);
    match model.screen {
        Screen::Overview => overview::draw(model, frame, body),
        Screen::Question => question::draw(model, frame, body),
        Screen::Plan => plan::draw_plan(model, frame, body),
        Screen::Rpl => plan::draw_rpl(model, frame, body),
        Screen::Validation => validation::draw(model, frame, body),
    }
    draw_status(model, frame, status);
    frame.render_widget(
        Paragraph::new(truncate(hints_for(model), area.width as usize)).style(model.theme.hint),
        hints,
    );
    if model.help {
        draw_help(model, frame, body);
    }
}

fn draw_header(model: &Model, frame: &mut Frame, area: Rect) {
    let scan = &model.scan;
    let learner = if scan.learner.name.trim().is_empty() {
        "(no name yet)".to_string()
    } else {
        sanitize_line(&scan.learner.name)
    };
    let state = scan.submitted_at().map_or_else(
        || "in progress".to_string(),
        |at| format!("submitted {}", at.format("%-d %b %Y")),
    );
    let saved = if model.is_dirty() {
        "● unsaved"
    } else {
        "saved"
    };
    let seal = match Seal::of(scan) {
        Seal::NotValidated => "not validated".to_string(),
        Seal::ChangedSince { .. } => "CHANGED since validation".to_string(),
        Seal::Validated { .. } | Seal::Unsealed { .. } => "validated".to_string(),
    };
    let modified = if model.modified.is_some() {
        " · MODIFIED STANDARD"
    } else {
        ""
    };
    let left = format!(" Review: {learner} · {seal}{modified} · {state}");
    let right = format!("{} · {saved} ", sanitize_line(&model.file_name));
    let w = area.width as usize;
    let right = truncate(&right, w / 2);
    let left = truncate(&left, w.saturating_sub(width(&right) + 1));
    let gap = w.saturating_sub(width(&left) + width(&right));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, model.theme.title),
            Span::raw(" ".repeat(gap)),
            Span::raw(right),
        ])),
        area,
    );
}

fn draw_tabs(model: &Model, frame: &mut Frame, area: Rect) {
    let current = match model.screen {
        Screen::Question => Screen::Overview,
        s => s,
    };
    let mut spans = vec![Span::raw(" ")];
    for (i, (screen, name)) in Screen::TABS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", model.theme.muted));
        }
        if *screen == current {
            spans.push(Span::styled(format!("[{name}]"), model.theme.focus));
        } else {
            spans.push(Span::raw(format!(" {name} ")));
        }
    }
    let standard = model.scan.standard();
    let right = sanitize_line(&format!(
        "{} {} v{} ",
        standard.display_name(),
        standard.reference,
        standard.version
    ));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let w = area.width as usize;
    if used + width(&right) < w {
        spans.push(Span::raw(" ".repeat(w - used - width(&right))));
        spans.push(Span::styled(right, model.theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(status) = &model.status else {
        return;
    };
    let style = if status.problem {
        model.theme.error
    } else {
        model.theme.ok
    };
    let prefix = if status.problem { "! " } else { "" };
    frame.render_widget(
        Paragraph::new(truncate(
            &format!(" {prefix}{}", status.text),
            area.width as usize,
        ))
        .style(style),
        area,
    );
}

fn hints_for(model: &Model) -> &'static str {
    if model.help {
        return " any key: close help";
    }
    if model.note.is_some() {
        return " Type the coach's note · Esc: done · Ctrl-S: save · Ctrl-C: save and quit";
    }
    match model.screen {
        Screen::Overview => {
            " ↑↓ choose · Enter: review · Tab: screens · Ctrl-S: save · q: quit · ?: help"
        }
        Screen::Question if model.ksb_cursor.is_some() => {
            " ↑↓: KSB · y/s/n: agreed KSB rating · x: derive · e: KSB note · Esc: question"
        }
        Screen::Question => {
            " y/s/n: agreed · x: clear · e: note · ↓: KSBs · ←→: prev/next · Esc: back"
        }
        Screen::Plan | Screen::Rpl => {
            " ↑↓ PgUp PgDn: scroll · Tab: next screen · Esc: overview · q: quit"
        }
        Screen::Validation => {
            " ↑↓: field · type to edit · Space: tick · Enter on empty date: today · Esc: back"
        }
    }
}

fn draw_help(model: &Model, frame: &mut Frame, body: Rect) {
    // Made from the key table, so it lists exactly the keys that work.
    let mut text: Vec<Line> = crate::tui::keys::help_rows(super::keys::TABLE)
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<19}"), model.theme.selected),
                Span::raw(what),
            ])
        })
        .collect();
    text.push(Line::from(""));
    text.push(Line::from(
        " Saved as you go. The learner's own answers are never changed.",
    ));
    let w = 72.min(body.width);
    let h = (text.len() as u16 + 2).min(body.height);
    let area = Rect {
        x: body.x + (body.width - w) / 2,
        y: body.y + (body.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(bordered(model, " Help ", true)),
        area,
    );
}

/// A bordered box with a title.
pub fn bordered<'a>(model: &Model, title: &'a str, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, model.theme.title))
        .border_style(if focused {
            model.theme.border_focus
        } else {
            model.theme.border
        })
}

/// The style of a rating: colour when the theme has colour, plain otherwise (the symbol and the
/// word always carry the meaning).
pub fn rating_style(model: &Model, rating: Option<Rating>) -> Style {
    if !model.theme.colour {
        return Style::new();
    }
    match rating {
        Some(Rating::Yes) => Style::new().fg(Color::Green),
        Some(Rating::Some) => Style::new().fg(Color::Yellow),
        Some(Rating::No) => Style::new().fg(Color::LightRed),
        None => Style::new().fg(Color::Gray).add_modifier(Modifier::DIM),
    }
}

/// `✔ Yes`, `◐ Some`, `✘ No`, or `· not answered`.
pub fn rating_text(rating: Option<Rating>) -> String {
    rating.map_or_else(
        || "· not answered".to_string(),
        |r| format!("{} {}", r.symbol(), r.label()),
    )
}

/// `✔ Yes` etc. padded for columns; `·` for none.
pub fn rating_short(rating: Option<Rating>) -> String {
    rating.map_or_else(
        || "· —".to_string(),
        |r| format!("{} {}", r.symbol(), r.label()),
    )
}
