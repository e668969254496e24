//! Driving the TUI's state machine by messages, as the update-level tests do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::datetime;
use ztharden::tui::{Effect, Msg, Scanned, State, update};

/// A key press without modifiers.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Each character of `keys`, pressed in turn; the effects they asked for.
pub fn press(state: &mut State, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| update(state, key(KeyCode::Char(c))))
        .collect()
}

/// A finished scan of generation `generation`, at a fixed time.
pub fn done(generation: u64, scanned: Scanned) -> Msg {
    Msg::ScanDone {
        generation,
        result: Ok(Box::new(scanned)),
        finished_at: datetime!(2026-05-01 09:30:00 UTC),
    }
}
