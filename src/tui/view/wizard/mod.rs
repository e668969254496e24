//! The wizard's screen: the four steps and the inputs on the left, the review of the current
//! step (diff, checks, live settings) on the right.

mod inputs;
mod review;
mod steps;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Padding, Paragraph};

use crate::tui::state::State;
use crate::tui::wizard::Pane;

/// The side list: two lines per step and its borders.
const STEPS_HEIGHT: u16 = 10;

/// Where the wizard's panes go inside the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WizardAreas {
    pub steps: Rect,
    pub inputs: Rect,
    pub review: Rect,
}

pub fn areas(body: Rect) -> WizardAreas {
    let left = (body.width / 3).clamp(34, 42).min(body.width / 2);
    let [left, review] =
        Layout::horizontal([Constraint::Length(left), Constraint::Fill(1)]).areas(body);
    let [steps, inputs] =
        Layout::vertical([Constraint::Length(STEPS_HEIGHT), Constraint::Fill(1)]).areas(left);
    WizardAreas {
        steps,
        inputs,
        review,
    }
}

/// The review pane's frame: a border and one column of padding on each side.
fn review_block<'a>() -> Block<'a> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// The text area of the review pane (width, height) at the state's terminal size.
pub fn review_viewport(state: &State) -> (u16, u16) {
    let (width, height) = state.size;
    let body = super::areas(Rect::new(0, 0, width, height), state).body;
    let inner = review_block().inner(areas(body).review);
    (inner.width, inner.height)
}

/// The review of the current step, wrapped to `width`.
pub fn review_lines(state: &State, width: u16) -> Vec<Line<'static>> {
    match (&state.data, &state.wizard) {
        (Some(data), Some(wizard)) => review::lines(data, wizard, width, state.theme),
        _ => Vec::new(),
    }
}

pub fn render(frame: &mut Frame, body: Rect, state: &State) {
    let (Some(data), Some(wizard)) = (&state.data, &state.wizard) else {
        return;
    };
    let t = state.theme;
    let a = areas(body);
    steps::render(frame, a.steps, data, wizard, t);
    inputs::render(frame, a.inputs, wizard, t);

    let focused = wizard.pane == Pane::Review;
    let n = wizard.step_index() + 1;
    let title = format!(" {n} {} · {} ", wizard.step.id(), wizard.step.title());
    let block = review_block()
        .border_style(t.border(focused))
        .title(Line::styled(title, t.value()));
    let inner = block.inner(a.review);
    let lines = review_lines(state, inner.width);
    let total = lines.len();
    let height = usize::from(inner.height);
    let scroll = usize::from(wizard.scroll).min(total.saturating_sub(height));
    let position = crate::tui::view::scroll_position(scroll, height, total, "PgDn/PgUp scroll");
    let block = block.title_bottom(Line::styled(position, t.dim()).right_aligned());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        a.review,
    );
}
