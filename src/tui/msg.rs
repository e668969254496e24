//! What happens to the TUI (messages) and what it asks the runtime to do (effects).

use crossterm::event::KeyEvent;
use time::OffsetDateTime;

use super::state::Scanned;
use crate::cloud::ReadEvent;

/// An input to [`update`](super::update::update).
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal was resized.
    Resize { width: u16, height: u16 },
    /// Start a scan (at startup; `r` does the same through [`Msg::Key`]).
    Refresh,
    /// A scan reported progress.
    ScanProgress { generation: u64, event: ReadEvent },
    /// A scan finished. `result` carries the error's text (what failed and what to do).
    ScanDone {
        generation: u64,
        result: Result<Box<Scanned>, String>,
        finished_at: OffsetDateTime,
    },
}

/// Work for the runtime; `update` never does I/O itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read the posture in the background and report back tagged with `generation`
    /// (a scan of an older generation still running may be cancelled).
    StartScan { generation: u64 },
    /// Leave the TUI.
    Quit,
}
