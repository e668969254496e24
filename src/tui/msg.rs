//! What happens to the TUI (messages) and what it asks the runtime to do (effects).

use crossterm::event::KeyEvent;
use time::OffsetDateTime;

use super::journal::JournalList;
use super::state::Scanned;
use crate::apply::{ApplyEvent, ApplyReport};
use crate::cloud::ReadEvent;
use crate::plan::Plan;

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
    /// The running apply or rollback reported progress.
    ApplyProgress(ApplyEvent),
    /// The running apply or rollback ended: its report, or why it did not start or could not
    /// go on (the engine's error, which says whether anything was changed and what to do).
    ApplyDone {
        result: Result<Box<ApplyReport>, String>,
        /// The account as the engine read it to verify, assessed off the UI loop (`None` when
        /// it could not be read, or nothing was written).
        scanned: Option<Box<Scanned>>,
        finished_at: OffsetDateTime,
    },
    /// The journals were read (or why they could not be).
    JournalsLoaded(Result<JournalList, String>),
    /// The plan that undoes a journal, to confirm (or why there is none).
    RollbackPlanned {
        journal_id: String,
        result: Result<Box<Plan>, String>,
    },
}

/// Work for the runtime; `update` never does I/O itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the posture in the background and report back tagged with `generation`
    /// (a scan of an older generation still running may be cancelled).
    StartScan { generation: u64 },
    /// Apply a confirmed plan through the engine, reporting each event and then the result.
    Apply { plan: Box<Plan> },
    /// Roll back a journal through the engine, with the rollback plan the operator confirmed,
    /// reporting like an apply.
    Rollback { journal_id: String, plan: Box<Plan> },
    /// Ask the running apply or rollback to stop after the change being sent.
    StopRun,
    /// Read the journals of the engine's state directory.
    LoadJournals,
    /// Make the plan that undoes a journal, to show in the confirm dialog.
    PlanRollback { journal_id: String },
    /// Leave the TUI.
    Quit,
}
