//! The confirm dialog, over the body: what is about to be sent, where, and the warnings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use super::changes;
use super::wrap::wrap;
use crate::apply::display_order;
use crate::plan::Change;
use crate::tui::confirm::{Button, Confirm};
use crate::tui::run::Action;
use crate::tui::state::State;
use crate::tui::theme::Theme;

/// The dialog's widest.
const MAX_WIDTH: u16 = 140;
/// The columns left on each side of the dialog.
const MARGIN: u16 = 2;
/// The rows under the text: a blank one and the buttons.
const BUTTON_ROWS: u16 = 2;

fn block<'a>() -> Block<'a> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// Where the dialog goes on a screen of `screen`, for text of `content` lines.
fn area(screen: Rect, content: usize) -> Rect {
    let width = MAX_WIDTH.min(screen.width.saturating_sub(2 * MARGIN));
    let chrome = 2 + BUTTON_ROWS;
    let height = (content.min(usize::from(u16::MAX)) as u16)
        .saturating_add(chrome)
        .min(screen.height.saturating_sub(2));
    screen.centered(Constraint::Length(width), Constraint::Length(height))
}

/// The width of the text at a screen width.
fn text_width(screen_width: u16) -> u16 {
    let outer = Rect::new(
        0,
        0,
        MAX_WIDTH.min(screen_width.saturating_sub(2 * MARGIN)),
        3,
    );
    block().inner(outer).width
}

/// The text area of the dialog (width, height) at the state's terminal size.
pub fn viewport(state: &State) -> (u16, u16) {
    let (width, height) = state.size;
    let text = text_width(width);
    let content = lines(state, text).len();
    let outer = area(Rect::new(0, 0, width, height), content);
    let inner = block().inner(outer);
    (inner.width, inner.height.saturating_sub(BUTTON_ROWS))
}

/// The dialog's text, wrapped to `width`.
pub fn lines(state: &State, width: u16) -> Vec<Line<'static>> {
    let Some(c) = &state.confirm else {
        return Vec::new();
    };
    let t = state.theme;
    let plan = &c.plan;
    let mut lines = vec![
        Line::styled(format!("{}?", c.title), t.heading()),
        Line::from(vec![
            Span::styled("account ", t.label()),
            Span::styled(plan.account.clone(), t.value()),
            Span::styled("  region ", t.label()),
            Span::styled(plan.region.clone(), t.value()),
            Span::styled("  source ", t.label()),
            Span::styled(state.label.clone(), t.value()),
        ]),
        Line::raw(""),
    ];
    let changes: Vec<Change> = plan.changes().cloned().collect();
    let order = display_order(&changes);
    lines.push(Line::raw(match changes.len() {
        1 => "This change is sent:".to_string(),
        n => format!(
            "These {n} changes are sent in this order, each after the one before succeeded:"
        ),
    }));
    let mut out = wrap(lines, width);
    let call_width = changes::call_width(&changes);
    for (n, &i) in order.iter().enumerate() {
        if let Some(change) = changes.get(i) {
            let number = Span::raw(format!("  {:>2}. ", n + 1));
            out.extend(changes::row(vec![number], change, call_width, width, t));
        }
    }
    let mut lines = Vec::new();
    let warnings: Vec<String> = plan
        .steps
        .iter()
        .flat_map(|s| {
            s.warnings
                .iter()
                .map(move |w| format!("{}: {w}", s.control.id()))
        })
        .collect();
    if !warnings.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Warnings", t.warn()));
        for w in warnings {
            lines.push(Line::styled(format!("  ! {w}"), t.warn()));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        match &c.action {
            Action::Apply => {
                "The account is read again first: if anything changed since the plan, nothing is \
                 sent. A journal is written before the first change (J lists it, u undoes it)."
                    .to_string()
            }
            Action::Rollback { journal_id } => format!(
                "This puts back what journal {journal_id} changed. The account is read again \
                 first: if anything changed since, nothing is sent. It is journaled like an apply."
            ),
        },
        t.dim(),
    ));
    out.extend(wrap(lines, width));
    out
}

pub fn render(frame: &mut Frame, state: &State) {
    let Some(c) = &state.confirm else {
        return;
    };
    let t = state.theme;
    let screen = frame.area();
    let text = lines(state, text_width(screen.width));
    let outer = area(screen, text.len());
    let inner = block().inner(outer);
    let [body, _, buttons] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let total = text.len();
    let height = usize::from(body.height);
    let scroll = usize::from(c.scroll).min(total.saturating_sub(height));
    let position = crate::tui::view::scroll_position(scroll, height, total, "j/k scroll");
    let title = match c.action {
        Action::Apply => " Confirm the apply ",
        Action::Rollback { .. } => " Confirm the rollback ",
    };
    let frame_block = block()
        .border_style(t.warn())
        .title(Line::styled(title, t.value()))
        .title_bottom(Line::styled(position, t.dim()).right_aligned());
    frame.render_widget(Clear, outer);
    frame.render_widget(frame_block, outer);
    frame.render_widget(
        Paragraph::new(text).scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        body,
    );
    frame.render_widget(Paragraph::new(button_line(c, t)), buttons);
}

fn button_line(c: &Confirm, t: Theme) -> Line<'static> {
    let style = |b: Button| {
        if c.focus == b {
            t.selected(true)
        } else {
            t.value()
        }
    };
    let go = c.action.verb();
    Line::from(vec![
        Span::styled(format!("[ {go} ]"), style(Button::Go)),
        Span::raw("  "),
        Span::styled("[ Cancel ]", style(Button::Cancel)),
        Span::styled("     y ", t.key()),
        Span::styled(go.to_lowercase(), t.dim()),
        Span::styled(" · n/Esc ", t.key()),
        Span::styled("cancel", t.dim()),
        Span::styled(" · ←/→ Enter ", t.key()),
        Span::styled("choose", t.dim()),
    ])
}
