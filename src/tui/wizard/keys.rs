//! Keys in the wizard. `Tab`/`Shift-Tab` and `1`..`4` change the step from anywhere; `h`/`l`
//! (or arrows) move between the panes; `j`/`k` act in the focused pane; `Space` toggles the
//! choice under the cursor; `a` opens a field to type a caller role ARN, a caller group or an
//! endpoint id; `PgDn`/`PgUp` scroll the review; `A` applies the current step, `Ctrl-A` every
//! ready step (each after a confirm dialog); `J` opens the journal; `Esc` goes back to the
//! browser.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Pane, Typing};
use crate::steps::Control;
use crate::tui::msg::Effect;
use crate::tui::state::State;
use crate::tui::update::offset;
use crate::tui::view;

/// Handle a key while the wizard is open (help, filter and Ctrl-C are handled before).
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(w) = state.wizard.as_mut() else {
        return Vec::new();
    };
    if w.typing.is_some() {
        type_key(state, key);
        return Vec::new();
    }
    w.notice = None;
    match key.code {
        KeyCode::Char('q') => return vec![Effect::Quit],
        KeyCode::Char('r') => return crate::tui::update::start_scan(state),
        KeyCode::Char('?') => state.help = true,
        KeyCode::Esc => state.wizard = None,
        KeyCode::Char('a') if ctrl => return super::apply::all(state),
        KeyCode::Char('a') => w.typing = Some(Typing::default()),
        KeyCode::Char('A') => return super::apply::step(state),
        KeyCode::Char('J') => return crate::tui::journal::open(state),
        KeyCode::Tab => shift_step(state, 1),
        KeyCode::BackTab => shift_step(state, -1),
        KeyCode::Char(c @ '1'..='4') => {
            let index = c as usize - '1' as usize;
            if let Some(w) = state.wizard.as_mut() {
                w.go_to(Control::ALL[index]);
            }
        }
        KeyCode::Char('h') | KeyCode::Left => set_pane(state, |p| p.left()),
        KeyCode::Char('l') | KeyCode::Right => set_pane(state, |p| p.right()),
        KeyCode::Char('d') if ctrl => scroll_page(state, 1),
        KeyCode::Char('u') if ctrl => scroll_page(state, -1),
        KeyCode::PageDown => scroll_page(state, 1),
        KeyCode::PageUp => scroll_page(state, -1),
        KeyCode::Enter | KeyCode::Char(' ') => match pane(state) {
            Some(Pane::Steps) if key.code == KeyCode::Enter => set_pane(state, |_| Pane::Inputs),
            Some(Pane::Inputs) => toggle(state),
            Some(Pane::Review) if key.code == KeyCode::Char(' ') => scroll_page(state, 1),
            _ => {}
        },
        KeyCode::Char('j') | KeyCode::Down => move_in_pane(state, 1),
        KeyCode::Char('k') | KeyCode::Up => move_in_pane(state, -1),
        KeyCode::Char('g') | KeyCode::Home => move_in_pane(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => move_in_pane(state, isize::MAX / 2),
        _ => {}
    }
    Vec::new()
}

/// A key while a value is typed: keys are text (no `q` quitting); `Enter` adds the value,
/// `Esc` cancels, `Ctrl-U` clears the line.
fn type_key(state: &mut State, key: KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let (Some(data), Some(w)) = (state.data.as_ref(), state.wizard.as_mut()) else {
        return;
    };
    let Some(typing) = w.typing.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Esc => w.typing = None,
        KeyCode::Enter => {
            let text = typing.text.clone();
            match w.add_typed(&data.posture, &text) {
                Ok(notice) => {
                    w.typing = None;
                    w.notice = Some(notice);
                }
                Err(error) => {
                    if let Some(typing) = w.typing.as_mut() {
                        typing.error = Some(error);
                    }
                }
            }
        }
        KeyCode::Backspace => {
            typing.text.pop();
        }
        KeyCode::Char('u') if ctrl => typing.text.clear(),
        KeyCode::Char(c) if !ctrl => typing.text.push(c),
        _ => {}
    }
    clamp_scroll(state);
}

fn pane(state: &State) -> Option<Pane> {
    state.wizard.as_ref().map(|w| w.pane)
}

fn set_pane(state: &mut State, to: impl FnOnce(Pane) -> Pane) {
    if let Some(w) = state.wizard.as_mut() {
        w.pane = to(w.pane);
    }
}

/// Next or previous step, round the four.
fn shift_step(state: &mut State, delta: isize) {
    if let Some(w) = state.wizard.as_mut() {
        let n = Control::ALL.len() as isize;
        let index = (w.step_index() as isize + delta).rem_euclid(n) as usize;
        w.go_to(Control::ALL[index]);
    }
}

fn toggle(state: &mut State) {
    if let (Some(data), Some(w)) = (state.data.as_ref(), state.wizard.as_mut()) {
        w.toggle(&data.posture);
    }
    clamp_scroll(state);
}

/// `j`/`k` and friends: the step in the side list, the cursor in the inputs, or the scroll
/// of the review.
fn move_in_pane(state: &mut State, delta: isize) {
    let Some(p) = pane(state) else {
        return;
    };
    match p {
        Pane::Steps => {
            if let Some(w) = state.wizard.as_mut() {
                let index = offset(w.step_index(), delta, Control::ALL.len() - 1);
                w.go_to(Control::ALL[index]);
            }
        }
        Pane::Inputs => {
            if let Some(w) = state.wizard.as_mut() {
                let last = w.choice_count().saturating_sub(1);
                w.cursor = offset(w.cursor, delta, last);
            }
        }
        Pane::Review => scroll_by(state, delta),
    }
}

fn scroll_page(state: &mut State, direction: isize) {
    let page = view::wizard::review_viewport(state)
        .1
        .saturating_sub(1)
        .max(1);
    scroll_by(state, direction * page as isize);
}

fn scroll_by(state: &mut State, delta: isize) {
    let max = max_scroll(state);
    if let Some(w) = state.wizard.as_mut() {
        w.scroll = offset(usize::from(w.scroll), delta, usize::from(max)) as u16;
    }
}

fn max_scroll(state: &State) -> u16 {
    let (width, height) = view::wizard::review_viewport(state);
    let lines = view::wizard::review_lines(state, width).len();
    lines
        .saturating_sub(usize::from(height))
        .min(usize::from(u16::MAX)) as u16
}

/// Keep the review's scroll within its text (after a resize or a re-plan).
pub fn clamp_scroll(state: &mut State) {
    let max = max_scroll(state);
    if let Some(w) = state.wizard.as_mut() {
        w.scroll = w.scroll.min(max);
    }
}
