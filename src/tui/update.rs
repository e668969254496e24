//! `update(state, msg) -> effects`: the whole behaviour of the TUI, without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use time::OffsetDateTime;

use super::msg::{Effect, Msg};
use super::state::{Focus, ScanProgress, Scanned, State, View};
use super::wizard::{self, Wizard};
use super::{confirm, journal, run, view};

/// How far `PgUp`/`PgDn` move the list selection.
const LIST_PAGE: usize = 5;

/// Apply one message to the state; return what the runtime must do.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Resize { width, height } => {
            state.size = (width, height);
            clamp_scroll(state);
            wizard::keys::clamp_scroll(state);
            Vec::new()
        }
        Msg::Refresh => start_scan(state),
        Msg::ScanProgress { generation, event } => {
            if generation == state.generation
                && let Some(progress) = &mut state.scanning
            {
                progress.record(event);
            }
            Vec::new()
        }
        Msg::ScanDone {
            generation,
            result,
            finished_at,
        } => {
            if generation != state.generation {
                tracing::debug!(
                    generation,
                    current = state.generation,
                    "dropping a stale scan result"
                );
                return Vec::new();
            }
            state.scanning = None;
            match result {
                Ok(scanned) => install(state, *scanned, finished_at),
                Err(message) => {
                    tracing::warn!(%message, "scan failed");
                    state.error = Some(message);
                }
            }
            Vec::new()
        }
        Msg::ApplyProgress(event) => {
            match state.run.as_mut() {
                Some(run) if run.is_running() => run.record(event),
                _ => tracing::debug!(?event, "an apply event with no apply running"),
            }
            Vec::new()
        }
        Msg::ApplyDone {
            result,
            scanned,
            finished_at,
        } => run::done(state, result, scanned, finished_at),
        Msg::JournalsLoaded(result) => {
            journal::loaded(state, result);
            Vec::new()
        }
        Msg::RollbackPlanned { journal_id, result } => {
            journal::rollback_planned(state, journal_id, result);
            Vec::new()
        }
    }
}

/// Show a newly read posture (a scan's, or the one an apply verified with): the selection
/// stays on the same items, the open wizard plans again on it.
pub(crate) fn install(state: &mut State, scanned: Scanned, finished_at: OffsetDateTime) {
    let keep: Vec<Option<String>> = View::ALL
        .iter()
        .map(|&v| state.selected_index(v).and_then(|i| state.id_at(v, i)))
        .collect();
    state.data = Some(scanned);
    state.error = None;
    state.refreshed_at = Some(finished_at);
    for (view, id) in View::ALL.into_iter().zip(keep) {
        reselect(state, view, id.as_deref());
    }
    clamp_scroll(state);
    rebase_wizard(state);
}

/// Start a scan (`r`, and at startup).
pub(crate) fn start_scan(state: &mut State) -> Vec<Effect> {
    state.generation += 1;
    state.scanning = Some(ScanProgress::default());
    state.error = None;
    vec![Effect::StartScan {
        generation: state.generation,
    }]
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return run::quit_or_ask(state);
    }
    state.message = None;
    if state.editing_filter {
        edit_filter(state, key);
        return Vec::new();
    }
    if state.help {
        return match key.code {
            KeyCode::Char('q') if state.applying() => {
                state.help = false;
                run::on_key(state, key)
            }
            KeyCode::Char('q') => vec![Effect::Quit],
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => {
                state.help = false;
                Vec::new()
            }
            _ => Vec::new(),
        };
    }
    if state.confirm.is_some() {
        return confirm::on_key(state, key);
    }
    if state.run.is_some() {
        return run::on_key(state, key);
    }
    if state.journal.is_some() {
        return journal::on_key(state, key);
    }
    if state.wizard.is_some() {
        return wizard::keys::on_key(state, key);
    }
    match key.code {
        KeyCode::Char('J') => return journal::open(state),
        KeyCode::Char('q') => return vec![Effect::Quit],
        KeyCode::Char('r') => return start_scan(state),
        KeyCode::Char('?') => state.help = true,
        KeyCode::Tab => switch_view(state, state.view.next()),
        KeyCode::BackTab => switch_view(state, state.view.prev()),
        KeyCode::Char('1') => switch_view(state, View::Apis),
        KeyCode::Char('2') => switch_view(state, View::Endpoints),
        KeyCode::Char('3') => switch_view(state, View::Groups),
        KeyCode::Char('/') => {
            state.focus = Focus::List;
            state.editing_filter = true;
        }
        KeyCode::Enter if state.focus == Focus::List && state.selection().is_some() => {
            state.focus = Focus::Detail;
            state.detail_scroll = 0;
        }
        KeyCode::Enter if state.focus == Focus::Detail => open_wizard(state),
        KeyCode::Char('w') => open_wizard(state),
        KeyCode::Esc => match state.focus {
            Focus::Detail => state.focus = Focus::List,
            Focus::List => set_filter(state, String::new()),
        },
        KeyCode::Char('j') | KeyCode::Down => step(state, 1),
        KeyCode::Char('k') | KeyCode::Up => step(state, -1),
        KeyCode::Char('d') if ctrl => page(state, 1),
        KeyCode::Char('u') if ctrl => page(state, -1),
        KeyCode::PageDown | KeyCode::Char(' ') => page(state, 1),
        KeyCode::PageUp => page(state, -1),
        KeyCode::Char('g') | KeyCode::Home => step(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => step(state, isize::MAX / 2),
        _ => {}
    }
    Vec::new()
}

fn edit_filter(state: &mut State, key: KeyEvent) {
    let mut text = state.filter().to_string();
    match key.code {
        KeyCode::Enter => state.editing_filter = false,
        KeyCode::Esc => {
            state.editing_filter = false;
            text.clear();
        }
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => text.push(c),
        _ => {}
    }
    set_filter(state, text);
}

fn set_filter(state: &mut State, text: String) {
    let i = state.view.index();
    if state.filters[i] != text {
        state.filters[i] = text;
        state.selected[i] = 0;
        state.detail_scroll = 0;
    }
}

fn switch_view(state: &mut State, view: View) {
    state.view = view;
    state.focus = Focus::List;
    state.detail_scroll = 0;
}

/// Move the list selection or scroll the detail by `delta` lines.
fn step(state: &mut State, delta: isize) {
    match state.focus {
        Focus::List => {
            let len = state.visible(state.view).len();
            let i = state.view.index();
            let before = state.selected[i];
            state.selected[i] = offset(before, delta, len.saturating_sub(1));
            if state.selected[i] != before {
                state.detail_scroll = 0;
            }
        }
        Focus::Detail => {
            let max = max_scroll(state);
            state.detail_scroll = offset(state.detail_scroll as usize, delta, max as usize) as u16;
        }
    }
}

fn page(state: &mut State, direction: isize) {
    let amount = match state.focus {
        Focus::List => LIST_PAGE,
        Focus::Detail => view::detail_viewport(state).1.saturating_sub(1).max(1) as usize,
    };
    step(state, direction * amount as isize);
}

/// A pane's first line shown, moved by `delta`, kept so that the last page stays full.
pub(crate) fn scrolled(scroll: u16, delta: isize, total: usize, height: u16) -> u16 {
    let max = total.saturating_sub(usize::from(height));
    offset(usize::from(scroll), delta, max).min(usize::from(u16::MAX)) as u16
}

/// `value` moved by `delta`, kept within `0..=max`: for selections and scroll positions.
pub(crate) fn offset(value: usize, delta: isize, max: usize) -> usize {
    value.saturating_add_signed(delta).min(max)
}

fn max_scroll(state: &State) -> u16 {
    let (width, height) = view::detail_viewport(state);
    let lines = view::detail::lines(state, width).len();
    lines.saturating_sub(height as usize).min(u16::MAX as usize) as u16
}

fn clamp_scroll(state: &mut State) {
    state.detail_scroll = state.detail_scroll.min(max_scroll(state));
}

/// When the scan was finished, as the plan's creation time (RFC 3339).
fn scan_time(state: &State) -> String {
    state
        .refreshed_at
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Open the wizard on the selected API path (nothing happens on an endpoint or a group).
fn open_wizard(state: &mut State) {
    let Some(api_id) = state.selected_api_id() else {
        return;
    };
    let created_at = scan_time(state);
    if let Some(data) = &state.data {
        state.wizard = Wizard::open(&data.posture, &api_id, &created_at);
    }
}

/// After a refresh, plan the open wizard again on the new posture (closed if its API is gone).
fn rebase_wizard(state: &mut State) {
    let created_at = scan_time(state);
    if let (Some(data), Some(w)) = (&state.data, &state.wizard) {
        let rebased = w.rebase(&data.posture, &created_at);
        if rebased.is_none() {
            tracing::info!(api = %w.api_id, "the wizard's API is gone after a refresh");
        }
        state.wizard = rebased;
        wizard::keys::clamp_scroll(state);
    }
}

/// After a refresh, select the same item again (by id), or stay in range.
fn reselect(state: &mut State, view: View, id: Option<&str>) {
    let visible = state.visible(view);
    let i = view.index();
    let found = id.and_then(|id| {
        visible
            .iter()
            .position(|&index| state.id_at(view, index).as_deref() == Some(id))
    });
    state.selected[i] = found
        .unwrap_or(state.selected[i])
        .min(visible.len().saturating_sub(1));
}
