//! Keys while an apply or rollback runs or shows its result: scrolling; while it runs, `q`
//! and leaving are refused (Ctrl-C twice stops it after the change being sent, then quits);
//! once done, back, journal, refresh.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::what;
use crate::tui::msg::Effect;
use crate::tui::state::{Message, State};
use crate::tui::{journal, update, view};

/// Ctrl-C quits, except while an apply or rollback runs: the first one says what quitting
/// would leave behind; a second one stops the run after the change being sent (journaled)
/// and quits when it has stopped; a third one quits at once.
pub fn quit_or_ask(state: &mut State) -> Vec<Effect> {
    let Some(run) = state.run.as_mut().filter(|r| r.is_running()) else {
        return vec![Effect::Quit];
    };
    let what = what(&run.action);
    if run.stopping {
        tracing::warn!("quitting while an apply runs");
        return vec![Effect::Quit];
    }
    if run.quit_asked {
        tracing::warn!("stopping the run to quit");
        run.stopping = true;
        state.message = Some(Message::error(format!(
            "stopping {what}: the change being sent finishes and is journaled, the rest is not \
             sent; ztharden quits then. Ctrl-C once more quits at once (the change being sent \
             may then be left out of the journal)"
        )));
        return vec![Effect::StopRun];
    }
    run.quit_asked = true;
    state.message = Some(Message::error(format!(
        "{what} is running: press Ctrl-C again to stop it after the change being sent and quit \
         (the journal keeps what was done: J lists it and u undoes it after a restart), or wait"
    )));
    Vec::new()
}

/// Keys while the progress or the result is shown (Ctrl-C and help are handled before).
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(run) = state.run.as_mut() else {
        return Vec::new();
    };
    run.quit_asked = false;
    let running = run.is_running();
    match key.code {
        KeyCode::Char('?') => state.help = true,
        KeyCode::Char('j') | KeyCode::Down => scroll_by(state, 1),
        KeyCode::Char('k') | KeyCode::Up => scroll_by(state, -1),
        KeyCode::Char('d') if ctrl => scroll_page(state, 1),
        KeyCode::Char('u') if ctrl => scroll_page(state, -1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll_page(state, 1),
        KeyCode::PageUp => scroll_page(state, -1),
        KeyCode::Char('g') | KeyCode::Home => scroll_by(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => scroll_by(state, isize::MAX / 2),
        KeyCode::Char('q') if running => {
            let what = what(&run.action);
            state.message = Some(Message::warn(format!(
                "{what} is running: q waits for its result, so that it is not left half-way \
                 (the journal records each change); Ctrl-C twice stops it after the change being \
                 sent, then quits"
            )));
        }
        KeyCode::Char('r') | KeyCode::Esc | KeyCode::Enter | KeyCode::Char('J') if running => {
            let what = what(&run.action);
            state.message = Some(Message::warn(format!(
                "{what} is running: wait for its result"
            )));
        }
        KeyCode::Char('q') => return vec![Effect::Quit],
        KeyCode::Esc | KeyCode::Enter => close(state),
        KeyCode::Char('r') => {
            close(state);
            return update::start_scan(state);
        }
        KeyCode::Char('J') => {
            close(state);
            if state.journal.is_none() {
                return journal::open(state);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Leave the result: back to the wizard or the journal view it was started from.
fn close(state: &mut State) {
    state.run = None;
}

fn scroll_page(state: &mut State, direction: isize) {
    let page = view::run::viewport(state).1.saturating_sub(1).max(1);
    scroll_by(state, direction * page as isize);
}

fn scroll_by(state: &mut State, delta: isize) {
    let (width, height) = view::run::viewport(state);
    let total = view::run::lines(state, width).len();
    if let Some(run) = state.run.as_mut() {
        run.scroll = update::scrolled(run.scroll, delta, total, height);
    }
}
