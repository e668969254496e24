//! The dialog before anything is written: the exact changes with the AWS call each makes,
//! the account and region, and the warnings of the steps. `y` (or `Enter` on the Apply
//! button) starts the apply or rollback; `n` or `Esc` closes the dialog and nothing is sent.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::Effect;
use super::run::{Action, Run};
use super::state::{Message, State};
use super::view;
use crate::plan::Plan;

/// The two buttons of the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Apply (or roll back).
    Go,
    Cancel,
}

/// A plan waiting for the operator's word.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub action: Action,
    /// What is applied, in words: "Apply step 2 resource-policy to orders (a1b2c3d4e5)".
    pub title: String,
    pub plan: Plan,
    /// The focused button; `Cancel` at first, so that a stray `Enter` sends nothing.
    pub focus: Button,
    /// The first line of the dialog's text shown.
    pub scroll: u16,
}

/// Open the dialog for a plan (nothing is sent until it is confirmed).
pub fn open(state: &mut State, action: Action, title: String, plan: Plan) {
    tracing::info!(%title, changes = plan.changes().count(), "asking to confirm");
    state.confirm = Some(Confirm {
        action,
        title,
        plan,
        focus: Button::Cancel,
        scroll: 0,
    });
}

/// Keys while the dialog is open (Ctrl-C and help are handled before).
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(c) = state.confirm.as_mut() else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => return confirmed(state),
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => cancel(state),
        KeyCode::Enter => match c.focus {
            Button::Go => return confirmed(state),
            Button::Cancel => cancel(state),
        },
        KeyCode::Left | KeyCode::Char('h') => c.focus = Button::Go,
        KeyCode::Right | KeyCode::Char('l') => c.focus = Button::Cancel,
        KeyCode::Tab | KeyCode::BackTab => {
            c.focus = match c.focus {
                Button::Go => Button::Cancel,
                Button::Cancel => Button::Go,
            }
        }
        KeyCode::Char('?') => state.help = true,
        KeyCode::Char('j') | KeyCode::Down => scroll_by(state, 1),
        KeyCode::Char('k') | KeyCode::Up => scroll_by(state, -1),
        KeyCode::Char('d') if ctrl => scroll_page(state, 1),
        KeyCode::Char('u') if ctrl => scroll_page(state, -1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll_page(state, 1),
        KeyCode::PageUp => scroll_page(state, -1),
        KeyCode::Char('g') | KeyCode::Home => scroll_by(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => scroll_by(state, isize::MAX / 2),
        _ => {}
    }
    Vec::new()
}

fn cancel(state: &mut State) {
    if let Some(c) = state.confirm.take() {
        tracing::info!(title = %c.title, "cancelled: nothing sent");
        state.message = Some(Message::info(format!(
            "cancelled: nothing was sent ({})",
            c.title
        )));
    }
}

/// The operator said yes: start the run and show its progress.
fn confirmed(state: &mut State) -> Vec<Effect> {
    let Some(c) = state.confirm.take() else {
        return Vec::new();
    };
    if state.read_only {
        // Not offered in read-only mode; refused here too, to be sure.
        state.message = Some(Message::warn(super::state::READ_ONLY));
        return Vec::new();
    }
    tracing::info!(title = %c.title, "confirmed");
    state.run = Some(Run::new(c.action.clone(), c.title, &c.plan));
    // A scan still out would show the account as it was before these changes.
    state.generation += 1;
    state.scanning = None;
    match c.action {
        Action::Apply => vec![Effect::Apply {
            plan: Box::new(c.plan),
        }],
        Action::Rollback { journal_id } => vec![Effect::Rollback {
            journal_id,
            plan: Box::new(c.plan),
        }],
    }
}

fn scroll_page(state: &mut State, direction: isize) {
    let page = view::confirm::viewport(state).1.saturating_sub(1).max(1);
    scroll_by(state, direction * page as isize);
}

fn scroll_by(state: &mut State, delta: isize) {
    let (width, height) = view::confirm::viewport(state);
    let total = view::confirm::lines(state, width).len();
    if let Some(c) = state.confirm.as_mut() {
        c.scroll = super::update::scrolled(c.scroll, delta, total, height);
    }
}
