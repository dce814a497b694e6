//! The learner's keys: what each key means ([`Action`]) in one table: [`TABLE`], the keys every
//! screen shares, and the few rows of keys that mean something else on one screen ([`WELCOME`],
//! [`RESUME`]: there `k` scrolls and `n` starts a new scan, while on a question they show the
//! KSBs and rate No). The app looks each key up here once ([`action_on`]) and hands the action
//! to the screen, and the help screen lists every row ([`help_rows`]), so a key cannot work
//! without being in the help.

use crossterm::event::{KeyCode, KeyEvent};

use super::Screen;
use crate::core::Rating;
use crate::tui::keys::{self, Binding, Chord};

/// What a key asks the learner's app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The next screen (PgDn, the Next button).
    NextScreen,
    /// The previous screen (PgUp, the Back button).
    PreviousScreen,
    /// The next field (after the last, the page's Next button).
    NextField,
    /// The previous field.
    PreviousField,
    /// Rate the open question.
    Rate(Rating),
    /// Put back the rating the last change replaced.
    UndoRating,
    /// The rating to the left (Yes ← Some ← No); on the resume offer, the choice to the left.
    RatingLeft,
    /// The rating (or the offer's choice) to the right.
    RatingRight,
    /// Scroll up (the question text, the welcome, the last screen); the row above in a list.
    Up,
    /// Scroll down; the row below.
    Down,
    /// The top (of the welcome text, a list).
    First,
    /// The bottom.
    Last,
    /// Write in the box under the rating; confirm a choice or a button.
    Enter,
    /// Esc: out of the answer box (or the buttons) to the rating; close a window; on the last
    /// screen, finish.
    Back,
    /// Show the KSB statements of the open question.
    Ksbs,
    /// Edit the answer in `$VISUAL`/`$EDITOR`.
    OpenEditor,
    /// Undo typing in a text box (the box does it).
    UndoText,
    /// Redo typing in a text box (the box does it).
    RedoText,
    /// Save now.
    Save,
    /// Save and quit (`q`: outside a text box).
    Quit,
    /// Save and quit at once (Ctrl-C): works anywhere, even while typing, and answers the quit
    /// question.
    QuitNow,
    /// Show the help.
    Help,
    /// On the resume offer: resume the offered (or chosen) scan.
    ResumeScan,
    /// On the resume offer: start a new scan.
    StartNew,
    /// On the list of unfinished scans: the scan with this number (1 to 9).
    Pick(u8),
}

use Action as A;

/// The learner's keys, in the order the help screen lists them.
pub const TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "PgDn / PgUp",
        what: "next / previous screen (also the buttons)",
        chords: &[
            (Chord::key(KeyCode::PageDown), A::NextScreen),
            (Chord::key(KeyCode::PageUp), A::PreviousScreen),
        ],
    },
    Binding {
        keys: "Tab / Shift-Tab",
        what: "next / previous field; after the last, the Next button",
        chords: &[
            (Chord::key(KeyCode::Tab), A::NextField),
            (Chord::key(KeyCode::BackTab), A::PreviousField),
        ],
    },
    Binding {
        keys: "y  s  n",
        what: "rate Yes / Some / No (outside a text box)",
        chords: &[
            (Chord::char('y'), A::Rate(Rating::Yes)),
            (Chord::char('s'), A::Rate(Rating::Some)),
            (Chord::char('n'), A::Rate(Rating::No)),
            (Chord::char('Y'), A::Rate(Rating::Yes)),
            (Chord::char('S'), A::Rate(Rating::Some)),
            (Chord::char('N'), A::Rate(Rating::No)),
        ],
    },
    Binding {
        keys: "u",
        what: "undo the last change of a rating",
        chords: &[(Chord::char('u'), A::UndoRating)],
    },
    Binding {
        keys: "← →",
        what: "change the rating",
        chords: &[
            (Chord::key(KeyCode::Left), A::RatingLeft),
            (Chord::key(KeyCode::Right), A::RatingRight),
        ],
    },
    Binding {
        keys: "↑ ↓",
        what: "scroll the question text (on a rating)",
        chords: &[
            (Chord::key(KeyCode::Up), A::Up),
            (Chord::key(KeyCode::Down), A::Down),
        ],
    },
    Binding {
        keys: "Home / End",
        what: "the top / the bottom (a list, the welcome)",
        chords: &[
            (Chord::key(KeyCode::Home), A::First),
            (Chord::key(KeyCode::End), A::Last),
        ],
    },
    Binding {
        keys: "Enter",
        what: "write in the box under the rating (after No too)",
        chords: &[(Chord::key(KeyCode::Enter), A::Enter)],
    },
    Binding {
        keys: "Esc",
        what: "leave an answer box; close a window; finish at the end",
        chords: &[(Chord::key(KeyCode::Esc), A::Back)],
    },
    Binding {
        keys: "k or F2",
        what: "show the KSB statements of the question",
        chords: &[
            (Chord::char('k'), A::Ksbs),
            (Chord::key(KeyCode::F(2)), A::Ksbs),
        ],
    },
    Binding {
        keys: "Ctrl-O",
        what: "edit the answer in your own editor ($VISUAL/$EDITOR)",
        chords: &[(Chord::ctrl('o'), A::OpenEditor)],
    },
    Binding {
        keys: "Ctrl-U / Ctrl-R",
        what: "undo / redo in a text box",
        chords: &[
            (Chord::ctrl('u'), A::UndoText),
            (Chord::ctrl('r'), A::RedoText),
        ],
    },
    Binding {
        keys: "Ctrl-S",
        what: "save now (it also saves by itself)",
        chords: &[(Chord::ctrl('s'), A::Save)],
    },
    Binding {
        keys: "Ctrl-C",
        what: "save and quit (q too, outside a text box)",
        chords: &[(Chord::ctrl('c'), A::QuitNow), (Chord::char('q'), A::Quit)],
    },
    Binding {
        keys: "Mouse",
        what: "click a rating, box or button; wheel scrolls",
        chords: &[],
    },
    Binding {
        keys: "? or F1",
        what: "this help",
        chords: &[
            (Chord::char('?'), A::Help),
            (Chord::key(KeyCode::F(1)), A::Help),
        ],
    },
];

/// The welcome's own keys (`k` scrolls here; on a question it shows the KSBs).
pub const WELCOME: &[Binding<Action>] = &[Binding {
    keys: "j k  Space",
    what: "on the welcome: scroll down / up; Space: to the end",
    chords: &[
        (Chord::char('j'), A::Down),
        (Chord::char('k'), A::Up),
        (Chord::char(' '), A::Last),
    ],
}];

/// The resume offer's own keys (`n` starts a new scan here; on a question it rates No).
pub const RESUME: &[Binding<Action>] = &[Binding {
    keys: "r  n  1-9",
    what: "on the offer: resume / start new / pick by number",
    chords: &[
        (Chord::char('r'), A::ResumeScan),
        (Chord::char('n'), A::StartNew),
        (Chord::char('1'), A::Pick(1)),
        (Chord::char('2'), A::Pick(2)),
        (Chord::char('3'), A::Pick(3)),
        (Chord::char('4'), A::Pick(4)),
        (Chord::char('5'), A::Pick(5)),
        (Chord::char('6'), A::Pick(6)),
        (Chord::char('7'), A::Pick(7)),
        (Chord::char('8'), A::Pick(8)),
        (Chord::char('9'), A::Pick(9)),
    ],
}];

/// The rows of keys that belong to `screen` alone (there they come before [`TABLE`]'s).
pub fn own(screen: Screen) -> &'static [Binding<Action>] {
    match screen {
        Screen::Welcome => WELCOME,
        Screen::Resume => RESUME,
        _ => &[],
    }
}

/// Every row of the help, in order: the shared keys, then each screen's own.
pub fn help_rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    [TABLE, WELCOME, RESUME]
        .into_iter()
        .flat_map(keys::help_rows)
}

/// The action `key` asks for among the keys every screen shares ([`TABLE`]: what closes a
/// window over any screen). While `editing` (a text box has the focus) a typed character is
/// text, not a command: `q`, `?` and `y` go into the box.
pub fn action(key: &KeyEvent, editing: bool) -> Option<Action> {
    if editing && keys::is_text(key) {
        return None;
    }
    keys::action(TABLE, key)
}

/// The action `key` asks for on `screen`: its own keys first ([`own`]), then the shared ones.
pub fn action_on(screen: Screen, key: &KeyEvent, editing: bool) -> Option<Action> {
    if editing && keys::is_text(key) {
        return None;
    }
    keys::action(own(screen), key).or_else(|| keys::action(TABLE, key))
}
