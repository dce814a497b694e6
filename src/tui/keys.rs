//! Keys as meanings: each app has one table of [`Binding`]s from key presses to its own action
//! enum. The key handling looks an action up here, and the help screen is made from the same
//! table, so a key cannot work without being in the help, or be in the help without working.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key press: a key, with or without Ctrl (Shift is part of the key: `?`, `Y`, Shift-Tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    /// The key.
    pub code: KeyCode,
    /// Whether Ctrl is held.
    pub ctrl: bool,
}

impl Chord {
    /// The key alone.
    pub const fn key(code: KeyCode) -> Self {
        Self { code, ctrl: false }
    }

    /// A character key alone.
    pub const fn char(c: char) -> Self {
        Self::key(KeyCode::Char(c))
    }

    /// Ctrl and a character key.
    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    /// The key press this chord is.
    pub fn event(self) -> KeyEvent {
        let modifiers = if self.ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        KeyEvent::new(self.code, modifiers)
    }

    /// Whether `key` is this chord.
    pub fn matches(self, key: &KeyEvent) -> bool {
        key.code == self.code && key.modifiers.contains(KeyModifiers::CONTROL) == self.ctrl
    }
}

/// One row of an app's key table, and of its help screen.
#[derive(Debug)]
pub struct Binding<A: 'static> {
    /// The keys as the help screen names them ("y  s  n", "Ctrl-S").
    pub keys: &'static str,
    /// What they do, as the help screen says it.
    pub what: &'static str,
    /// The key presses and the action each one asks for (empty for a row that only explains,
    /// such as the mouse).
    pub chords: &'static [(Chord, A)],
}

/// The action `key` asks for in `table` (none for a key release or a key not in the table).
pub fn action<A: Copy>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    table
        .iter()
        .flat_map(|b| b.chords.iter())
        .find(|(chord, _)| chord.matches(key))
        .map(|(_, a)| *a)
}

/// Whether `key` is a character that a text box would type (no Ctrl): while a box has the
/// focus, such keys are text, never commands.
pub fn is_text(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_)) && !key.modifiers.contains(KeyModifiers::CONTROL)
}

/// The help screen's rows: (keys, what they do), one per binding, in table order.
pub fn help_rows<A>(table: &[Binding<A>]) -> impl Iterator<Item = (&'static str, &'static str)> {
    table.iter().map(|b| (b.keys, b.what))
}
