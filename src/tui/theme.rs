//! Colours and emphasis for every screen, with a monochrome theme (bold, reverse, underline) when
//! `NO_COLOR` is set: nothing on screen relies on colour alone.

use ratatui::style::{Color, Modifier, Style};

/// The styles screens draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are used at all.
    pub colour: bool,
    /// Screen titles and headings.
    pub title: Style,
    /// The focused field, button or choice.
    pub focus: Style,
    /// A chosen rating or an active item that is not focused.
    pub selected: Style,
    /// Problems the learner must fix.
    pub error: Style,
    /// Warnings that do not block (e.g. a broken config file, a queued email).
    pub warning: Style,
    /// Good news (saved, sent, complete).
    pub ok: Style,
    /// Less important text (hints, KSB codes).
    pub muted: Style,
    /// The hint line at the bottom.
    pub hint: Style,
    /// Borders of unfocused boxes.
    pub border: Style,
    /// Borders of the focused box.
    pub border_focus: Style,
}

impl Theme {
    /// The theme for this environment: monochrome when `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Self {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Self::mono()
        } else {
            Self::colour()
        }
    }

    /// The colour theme.
    pub fn colour() -> Self {
        Self {
            colour: true,
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            focus: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            selected: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Yellow),
            ok: Style::new().fg(Color::Green),
            muted: Style::new().fg(Color::Gray),
            hint: Style::new().fg(Color::Black).bg(Color::Gray),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::Cyan),
        }
    }

    /// The monochrome theme: emphasis by bold, reverse and underline only.
    pub fn mono() -> Self {
        Self {
            colour: false,
            title: Style::new().add_modifier(Modifier::BOLD),
            focus: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: Style::new().add_modifier(Modifier::BOLD),
            warning: Style::new().add_modifier(Modifier::BOLD),
            ok: Style::new(),
            muted: Style::new(),
            hint: Style::new().add_modifier(Modifier::REVERSED),
            border: Style::new(),
            border_focus: Style::new().add_modifier(Modifier::BOLD),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_uses_no_colour() {
        let t = Theme::mono();
        for s in [
            t.title, t.focus, t.selected, t.error, t.warning, t.ok, t.hint,
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        assert!(t.focus.add_modifier.contains(Modifier::REVERSED));
    }
}
