//! Drawing a page of questions: the heading, closed questions as one line each, the open
//! question's text, rating and answer box, and the KSB statements overlay.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::super::Model;
use crate::core::standard::{Question, QuestionId, QuestionKind};
use crate::core::{Rating, validate};
use crate::tui::text;

fn summary(m: &Model, q: &Question) -> (String, bool) {
    match m.scan.answer(&q.id).and_then(|a| a.rating.map(|r| (r, a))) {
        Some((r, a)) => {
            let problem = validate::answer(q, Some(a)).is_some();
            let first = text::first_line(&a.text, 40);
            let tail = if problem {
                "⚠ needs writing".to_string()
            } else {
                first
            };
            let sep = if tail.is_empty() { "" } else { " · " };
            (format!("{} {}{sep}{tail}", r.symbol(), r.label()), problem)
        }
        None => ("— Not answered yet".into(), false),
    }
}

/// Draws the page.
#[allow(clippy::many_single_char_names)]
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    let p = &m.page;
    let a = p.areas(body);
    let heading: Vec<Line> = p
        .heading_lines()
        .iter()
        .map(|l| Line::styled(l.as_str(), t.title))
        .collect();
    f.render_widget(Paragraph::new(heading), a.heading);
    closed_rows(m, f, &a.rows);
    let i = p.open();
    let q = &p.questions[i];
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focus)
        .title(Span::styled(
            format!(" ▾ {} · {} ", q.kind.label(), q.ksbs.join(" ")),
            t.title,
        ))
        .title(Line::styled(" k: KSB statements ", t.muted).right_aligned());
    f.render_widget(block, a.panel);
    let lines = p.texts[i].cached();
    let visible: Vec<Line> = lines
        .iter()
        .skip(p.text_scroll)
        .take(a.text.height as usize)
        .map(|l| Line::raw(l.as_str()))
        .collect();
    f.render_widget(Paragraph::new(visible), a.text);
    if p.text_scroll + (a.text.height as usize) < lines.len() {
        let more = Rect::new(
            a.panel.x + a.panel.width.saturating_sub(22),
            a.text.y + a.text.height,
            20,
            1,
        );
        f.render_widget(
            Paragraph::new(Span::styled("↓ more (↓/wheel)", t.muted)),
            more,
        );
    }
    let rating = m.scan.rating(&q.id);
    let on_rating = !p.in_box();
    f.render_widget(
        Paragraph::new(Span::styled(
            " Your answer:",
            if on_rating { t.selected } else { t.muted },
        )),
        Rect::new(a.panel.x + 1, a.choices[0].y, 14, 1),
    );
    for (c, r) in Rating::ALL.iter().enumerate() {
        let chosen = rating == Some(*r);
        let label = format!(
            "{} {} {}",
            if chosen { "(●)" } else { "( )" },
            r.label(),
            if chosen { r.symbol() } else { " " }
        );
        let style = match (chosen, on_rating) {
            (true, true) => t.focus,
            (true, false) => t.selected,
            _ => ratatui::style::Style::default(),
        };
        f.render_widget(Paragraph::new(Span::styled(label, style)), a.choices[c]);
    }
    if let Some(earlier) = &m.earlier {
        earlier_rating(m, f, earlier, &q.id, [a.choices[2], a.panel]);
    }
    let answer = super::super::guard::view(m, f, a.answer);
    f.render_widget(p.boxes[i].widget(), answer);
}

/// One line per closed question: its label and its answer (or what it still needs).
#[allow(clippy::many_single_char_names)]
fn closed_rows(m: &Model, f: &mut Frame, rows: &[(usize, Rect)]) {
    let t = &m.theme;
    for (i, row) in rows {
        let q = &m.page.questions[*i];
        let (s, problem) = summary(m, q);
        // A behaviour's row names it ("B2 Acknowledges diversity…"), not just "Behaviour (B2)".
        let label = if q.kind == QuestionKind::Behaviour {
            format!(
                "▸ {} {} ",
                q.ksbs.join(" "),
                text::first_line(&q.text, (row.width as usize / 2).max(20))
            )
        } else {
            format!("▸ {} ({}) ", q.kind.label(), q.ksbs.join(" "))
        };
        let line = Line::from(vec![
            Span::styled(label, t.muted),
            Span::styled(s, if problem { t.error } else { t.ok }),
        ]);
        f.render_widget(Paragraph::new(text_line(line, row.width)), *row);
    }
}

/// A later scan: the earlier rating (and as much of the earlier words as fits) right of the
/// last choice; the learner rates afresh.
fn earlier_rating(
    m: &Model,
    f: &mut Frame,
    earlier: &crate::core::Scan,
    id: &QuestionId,
    [choice, panel]: [Rect; 2],
) {
    let t = &m.theme;
    // A later scan: the earlier rating (and as much of the earlier words as fits) beside
    // the choices; the learner rates afresh.
    let x = choice.x + choice.width + 1;
    let room = Rect::new(
        x,
        choice.y,
        (panel.x + panel.width).saturating_sub(x + 1),
        1,
    );
    let before = crate::core::progress::EarlierAnswer::of(earlier, id, room.width as usize);
    let words = crate::core::summary::rating_words(before.rating);
    let line = Line::from(vec![
        Span::styled("Earlier: ", t.muted),
        Span::styled(words, t.muted),
        Span::styled(
            if before.words.is_empty() {
                String::new()
            } else {
                format!(" – {}", crate::tui::text::sanitize_line(&before.words))
            },
            t.muted,
        ),
    ]);
    f.render_widget(Paragraph::new(text_line(line, room.width)), room);
}

fn text_line(line: Line<'_>, width: u16) -> Line<'_> {
    let s: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    if text::width(&s) <= width as usize {
        line
    } else {
        Line::from(Span::styled(
            text::truncate(&s, width as usize),
            line.spans.first().map(|s| s.style).unwrap_or_default(),
        ))
    }
}

/// The KSB statements of the open question, over the screen.
pub fn ksbs(m: &Model, f: &mut Frame) {
    let q = &m.page.questions[m.page.open()];
    let std = m.scan.standard();
    let width = 76.min(f.area().width.saturating_sub(2));
    let mut lines = Vec::new();
    for code in &q.ksbs {
        let statement = std
            .ksb(code)
            .map_or("(not in this standard)", |k| k.text.as_str());
        for (n, part) in text::wrap(
            &text::sanitize_line(statement),
            width.saturating_sub(7) as usize,
        )
        .into_iter()
        .enumerate()
        {
            let label = if n == 0 { code.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<4} "), m.theme.selected),
                Span::raw(part),
            ]));
        }
    }
    let height = lines.len() as u16 + 2;
    let (rect, block) = super::super::chrome::popup(m, f, width, height, " KSB statements ");
    f.render_widget(Paragraph::new(lines).block(block), rect);
}
