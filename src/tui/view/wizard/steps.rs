//! The side list of the four steps: each with the control's assessment now and the state of
//! its plan (ready, nothing to do, blocked).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::plan::{StepPlan, StepState};
use crate::steps::Control;
use crate::tui::state::Scanned;
use crate::tui::theme::Theme;
use crate::tui::wizard::{Pane, Wizard};

/// What a step's plan comes to, in a few words: its state, changes and warnings.
pub fn state_spans(step: Option<&StepPlan>, t: Theme) -> Vec<Span<'static>> {
    let Some(s) = step else {
        return vec![Span::styled("not planned", t.dim())];
    };
    let mut spans = vec![match &s.state {
        StepState::Ready => Span::styled(
            match s.changes.len() {
                1 => "ready, 1 change".to_string(),
                n => format!("ready, {n} changes"),
            },
            t.ready(),
        ),
        StepState::NothingToDo(_) => Span::styled("nothing to do", t.dim()),
        StepState::Blocked(_) => return vec![Span::styled("BLOCKED: see why →", t.error())],
    }];
    match s.warnings.len() {
        0 => {}
        1 => spans.push(Span::styled(", 1 warning", t.warn())),
        n => spans.push(Span::styled(format!(", {n} warnings"), t.warn())),
    }
    spans
}

pub fn render(frame: &mut Frame, area: Rect, data: &Scanned, wizard: &Wizard, t: Theme) {
    let focused = wizard.pane == Pane::Steps;
    let path = data.paths.iter().find(|p| p.api_id == wizard.api_id);
    let mut lines = Vec::new();
    for (i, control) in Control::ALL.into_iter().enumerate() {
        let current = control == wizard.step;
        let status = path.and_then(|p| p.status(&data.findings, control));
        let plan = wizard.step_plan(control);
        let name_style = if current {
            t.selected(focused)
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(if current { "▶ " } else { "  " }, t.key()),
            Span::styled(format!("{} {:<16}", i + 1, control.id()), name_style),
            Span::raw(" "),
            t.badge(status),
        ]));
        let mut state = vec![Span::raw("    ")];
        state.extend(state_spans(plan, t));
        lines.push(Line::from(state));
    }
    let block = Block::bordered()
        .border_style(t.border(focused))
        .title(Line::styled(" Steps ", t.value()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
