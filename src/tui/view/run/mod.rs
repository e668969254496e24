//! An apply or rollback in the body: while it runs, each change in the order it is sent with
//! its state; once done, the result above the same list.

mod result;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph};

use super::changes;
use super::wrap::wrap;
use crate::tui::run::{ChangeState, Phase, Run};
use crate::tui::state::State;
use crate::tui::theme::Theme;

fn block<'a>() -> Block<'a> {
    Block::bordered().padding(Padding::new(1, 1, 0, 0))
}

/// The text area (width, height) at the state's terminal size.
pub fn viewport(state: &State) -> (u16, u16) {
    let (width, height) = state.size;
    let body = super::areas(Rect::new(0, 0, width, height), state).body;
    let inner = block().inner(body);
    (inner.width, inner.height)
}

/// The whole text, wrapped to `width`.
pub fn lines(state: &State, width: u16) -> Vec<Line<'static>> {
    let Some(run) = &state.run else {
        return Vec::new();
    };
    let t = state.theme;
    let mut lines = vec![
        Line::styled(run.title.clone(), t.heading()),
        Line::from(vec![
            Span::styled("account ", t.label()),
            Span::styled(run.account.clone(), t.value()),
            Span::styled("  region ", t.label()),
            Span::styled(run.region.clone(), t.value()),
            Span::styled("  source ", t.label()),
            Span::styled(state.label.clone(), t.value()),
        ]),
        Line::raw(""),
    ];
    match &run.result {
        None => lines.push(phase_line(run, t)),
        Some(result) => lines.extend(result::lines(run, result, t)),
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        if run.is_running() {
            "Changes, in the order they are sent"
        } else {
            "Changes, in the order they were sent"
        },
        t.heading(),
    ));
    let mut out = wrap(lines, width);
    out.extend(change_lines(run, width, t));
    out
}

/// What the engine is doing now.
fn phase_line(run: &Run, t: Theme) -> Line<'static> {
    let text = match run.phase {
        Phase::Starting => "… starting".to_string(),
        Phase::Reading => {
            "… reading the account to check that nothing changed since the plan".to_string()
        }
        Phase::Applying => format!(
            "… journal {} written; sending the changes",
            run.journal_id.as_deref().unwrap_or("?")
        ),
        Phase::Verifying => "… reading the account again to verify".to_string(),
        Phase::Done => "done".to_string(),
    };
    Line::styled(text, t.warn())
}

fn state_style(state: &ChangeState, t: Theme) -> Style {
    match state {
        ChangeState::Applied => t.ready(),
        ChangeState::Failed(_) | ChangeState::Unknown => t.error(),
        ChangeState::Sending | ChangeState::Retrying(_) | ChangeState::Checking => t.warn(),
        ChangeState::Waiting | ChangeState::NotRun => t.dim(),
    }
}

/// Each change with its state, the AWS call and what it changes; a failure with AWS's words.
fn change_lines(run: &Run, width: u16, t: Theme) -> Vec<Line<'static>> {
    let call_width = changes::call_width(&run.changes);
    let mut lines = Vec::new();
    for (n, (change, state)) in run.in_order().enumerate() {
        let prefix = vec![
            Span::styled(format!("  {:<16}", state.label()), state_style(state, t)),
            Span::raw(format!("{:>2}. ", n + 1)),
        ];
        lines.extend(changes::row(prefix, change, call_width, width, t));
        if let ChangeState::Failed(message) = state {
            let line = Line::styled(format!("{:22}AWS said: {message}", ""), t.error());
            lines.extend(wrap(vec![line], width));
        }
    }
    lines
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let Some(run) = &state.run else {
        return;
    };
    let t = state.theme;
    let title = if run.is_running() {
        format!(" {}: in progress ", run.action.noun())
    } else {
        format!(" {}: result ", run.action.noun())
    };
    let border = match &run.result {
        None => t.warn(),
        Some(Ok(report)) if report.succeeded() => t.border(true),
        Some(_) => t.error(),
    };
    let frame_block = block()
        .border_style(border)
        .title(Line::styled(title, t.value()));
    let inner = frame_block.inner(area);
    let text = lines(state, inner.width);
    let total = text.len();
    let height = usize::from(inner.height);
    let scroll = usize::from(run.scroll).min(total.saturating_sub(height));
    let position = crate::tui::view::scroll_position(scroll, height, total, "j/k scroll");
    let frame_block = frame_block.title_bottom(Line::styled(position, t.dim()).right_aligned());
    frame.render_widget(
        Paragraph::new(text)
            .block(frame_block)
            .scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        area,
    );
}
