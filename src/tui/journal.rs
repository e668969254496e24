//! The journal view: past applies and rollbacks, newest first, read from the engine's state
//! directory by the runtime (never while drawing). `u` on one shows the plan that undoes it
//! in the confirm dialog.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};

use super::confirm;
use super::msg::Effect;
use super::run::Action;
use super::state::{Message, READ_ONLY, State};
use crate::apply::{JournalEntry, JournalKind};
use crate::plan::Plan;

/// The journals of the state directory, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalList {
    pub state_dir: PathBuf,
    /// Newest first.
    pub entries: Vec<JournalEntry>,
    /// Files that could not be read, and why.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// The view's state.
#[derive(Debug, Clone, Default)]
pub struct JournalView {
    /// `None` while being read; `Err`: why the directory could not be read.
    pub list: Option<Result<JournalList, String>>,
    /// The position of the selection in the entries.
    pub selected: usize,
    /// The journal whose rollback plan is being made (`u` was pressed).
    pub undoing: Option<String>,
}

impl JournalView {
    pub fn entries(&self) -> &[JournalEntry] {
        match &self.list {
            Some(Ok(list)) => &list.entries,
            _ => &[],
        }
    }

    pub fn selection(&self) -> Option<&JournalEntry> {
        self.entries().get(self.selected)
    }
}

/// Open the view (`J`) and read the journals.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.journal = Some(JournalView::default());
    vec![Effect::LoadJournals]
}

/// The journals were read: keep the selection on the same journal when it is still there.
pub fn loaded(state: &mut State, result: Result<JournalList, String>) {
    let Some(view) = state.journal.as_mut() else {
        return;
    };
    let before = view.selection().map(|e| e.id.clone());
    view.list = Some(result);
    let entries = view.entries();
    view.selected = before
        .and_then(|id| entries.iter().position(|e| e.id == id))
        .unwrap_or(view.selected)
        .min(entries.len().saturating_sub(1));
}

/// The plan that undoes a journal is ready (or could not be made): ask to confirm it.
pub fn rollback_planned(state: &mut State, journal_id: String, result: Result<Box<Plan>, String>) {
    let asked = state
        .journal
        .as_mut()
        .filter(|v| v.undoing.as_deref() == Some(journal_id.as_str()))
        .map(|v| v.undoing = None);
    if asked.is_none() || state.run.is_some() {
        tracing::debug!(%journal_id, "a rollback plan no longer asked for; dropped");
        return;
    }
    match result {
        Ok(plan) => {
            state.message = None;
            let title = format!("Undo journal {journal_id}");
            let action = Action::Rollback { journal_id };
            confirm::open(state, action, title, *plan);
        }
        Err(why) => {
            state.message = Some(Message::error(format!(
                "journal {journal_id} cannot be undone: {why}"
            )));
        }
    }
}

/// Keys in the journal view (Ctrl-C, help and the dialog are handled before).
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(view) = state.journal.as_mut() else {
        return Vec::new();
    };
    let last = view.entries().len().saturating_sub(1);
    let selected = view.selected;
    let to = |by: isize| selected.saturating_add_signed(by).min(last);
    match key.code {
        KeyCode::Char('q') => return vec![Effect::Quit],
        KeyCode::Char('?') => state.help = true,
        KeyCode::Esc => state.journal = None,
        KeyCode::Char('r') => return vec![Effect::LoadJournals],
        KeyCode::Char('j') | KeyCode::Down => view.selected = to(1),
        KeyCode::Char('k') | KeyCode::Up => view.selected = to(-1),
        KeyCode::PageDown => view.selected = to(5),
        KeyCode::PageUp => view.selected = to(-5),
        KeyCode::Char('g') | KeyCode::Home => view.selected = 0,
        KeyCode::Char('G') | KeyCode::End => view.selected = last,
        KeyCode::Char('u') => return undo(state),
        _ => {}
    }
    Vec::new()
}

/// `u`: make the plan that undoes the selected journal, to show before anything is sent.
fn undo(state: &mut State) -> Vec<Effect> {
    if state.read_only {
        state.message = Some(Message::warn(READ_ONLY));
        return Vec::new();
    }
    let Some(view) = state.journal.as_mut() else {
        return Vec::new();
    };
    let Some(entry) = view.selection() else {
        state.message = Some(Message::warn(
            "no journal to undo: nothing has been applied",
        ));
        return Vec::new();
    };
    let id = entry.id.clone();
    let note = match (entry.kind, entry.applied) {
        (_, 0) => None,
        (JournalKind::Apply, n) => Some(format!("undoing {n} change(s) of journal {id}")),
        (JournalKind::Rollback, n) => Some(format!(
            "undoing rollback {id}: its {n} change(s) are made again"
        )),
    };
    view.undoing = Some(id.clone());
    state.message = Some(Message::info(format!(
        "{}: making the plan to confirm…",
        note.unwrap_or_else(|| format!("journal {id}"))
    )));
    vec![Effect::PlanRollback { journal_id: id }]
}
