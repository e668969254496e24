//! The header, the view tabs with the scan status (or where the operator is), and the lines
//! above the footer: a failed refresh, what the last key did.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::run::Phase;
use crate::tui::state::{Level, State, View};
use crate::tui::theme::Theme;
use crate::tui::wizard::Wizard;

pub fn tabs(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    if let Some(crumb) = run_or_journal_crumb(state) {
        let status = status(state, t);
        let [left, right] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(status.width() as u16 + 1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(crumb), left);
        frame.render_widget(Paragraph::new(status), right);
        return;
    }
    if let Some(wizard) = &state.wizard {
        return wizard_crumb(frame, area, state, wizard);
    }
    let mut spans = vec![Span::raw(" ")];
    for (n, view) in View::ALL.into_iter().enumerate() {
        let count = state.data.as_ref().map(|d| match view {
            View::Apis => d.paths.len(),
            View::Endpoints => d.posture.endpoints.len(),
            View::Groups => d.posture.security_groups.len(),
        });
        let label = match count {
            Some(c) => format!(" {} {} ({c}) ", n + 1, view.title()),
            None => format!(" {} {} ", n + 1, view.title()),
        };
        spans.push(Span::styled(label, t.tab(view == state.view)));
        spans.push(Span::raw(" "));
    }
    let status = status(state, t);
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(status.width() as u16 + 1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(status), right);
}

/// Over the body: an apply or rollback (running or done), or the journal view.
fn run_or_journal_crumb(state: &State) -> Option<Line<'static>> {
    let t = state.theme;
    let (name, what) = if let Some(run) = &state.run {
        let count = match run.changes.len() {
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        };
        let what = match (run.phase, &run.result) {
            (_, Some(Ok(report))) => format!("{count}: {}", report.outcome.label()),
            (_, Some(Err(_))) => format!("{count}: did not complete"),
            (Phase::Starting | Phase::Reading, None) => format!("{count}: checking the account"),
            (Phase::Applying, None) => format!("{count}: sending"),
            (Phase::Verifying | Phase::Done, None) => format!("{count}: verifying"),
        };
        let name = match (&run.action, run.is_running()) {
            (crate::tui::run::Action::Apply, true) => "Applying",
            (crate::tui::run::Action::Apply, false) => "Apply",
            (_, true) => "Rolling back",
            (_, false) => "Rollback",
        };
        (name, what)
    } else if let Some(view) = &state.journal {
        let what = match view.list.as_ref() {
            Some(Ok(list)) => match list.entries.len() {
                1 => "1 apply or rollback".to_string(),
                n => format!("{n} applies and rollbacks"),
            },
            Some(Err(_)) => "could not be read".to_string(),
            None => "reading…".to_string(),
        };
        ("Journal", what)
    } else {
        return None;
    };
    Some(Line::from(vec![
        Span::raw(" "),
        Span::styled(format!(" {name} "), t.tab(true)),
        Span::styled(format!("  {what}"), t.value()),
    ]))
}

/// In the wizard: where the operator is, and in read-only mode that nothing is applied.
fn wizard_crumb(frame: &mut Frame, area: Rect, state: &State, wizard: &Wizard) {
    let t = state.theme;
    let api = state
        .data
        .as_ref()
        .and_then(|d| d.posture.api(&wizard.api_id));
    let name = api.map_or(wizard.api_id.as_str(), |a| a.name.as_str());
    let left = Line::from(vec![
        Span::styled(" API paths ", t.tab(false)),
        Span::styled("› ", t.dim()),
        Span::styled(format!(" Harden {name} ({}) ", wizard.api_id), t.tab(true)),
        Span::styled(
            format!(
                "  step {} of 4: {}",
                wizard.step_index() + 1,
                wizard.step.id()
            ),
            t.value(),
        ),
    ]);
    let mut right = status(state, t);
    if state.read_only {
        if right.width() > 0 {
            right.spans.push(Span::raw("  "));
        }
        // The whole sentence when there is room for it beside the crumb, else the gist.
        let room = usize::from(area.width).saturating_sub(left.width() + right.width() + 1);
        let read_only = "READ-ONLY: nothing can be changed";
        right.spans.push(Span::styled(
            if read_only.len() <= room {
                read_only
            } else {
                "READ-ONLY"
            },
            t.warn(),
        ));
    }
    let [l, r] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(right.width() as u16 + 1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);
}

/// What the scan is doing, or what is wrong, in a few words.
fn status(state: &State, t: Theme) -> Line<'static> {
    if let Some(progress) = &state.scanning {
        let what = if state.data.is_some() {
            "refreshing"
        } else {
            "scanning"
        };
        return match progress.current() {
            Some(phase) => Line::styled(format!("{what}: {phase}…"), t.warn()),
            None => Line::styled(format!("{what}…"), t.warn()),
        };
    }
    if state.data.is_some() && state.error.is_some() {
        return Line::styled("refresh failed (below)", t.error());
    }
    match state.data.as_ref().map(|d| d.posture.gaps.len()) {
        Some(0) | None => Line::raw(""),
        Some(1) => Line::styled("1 thing could not be read", t.warn()),
        Some(n) => Line::styled(format!("{n} things could not be read"), t.warn()),
    }
}

/// The lines above the footer: a failed refresh, in the wizard what the value typed in did
/// (refused and why, or added and its warnings), and what the last key did.
pub fn messages(state: &State, width: u16) -> Vec<Line<'static>> {
    let mut lines = refresh_error(state, width);
    if let Some(w) = &state.wizard
        && state.run.is_none()
        && state.journal.is_none()
    {
        lines.extend(typed_messages(w, width, state.theme));
    }
    if let Some(message) = &state.message {
        let t = state.theme;
        let (mark, style) = match message.level {
            Level::Info => ("·", t.value()),
            Level::Warn => ("!", t.warn()),
            Level::Error => ("✗", t.error()),
        };
        let line = Line::styled(format!(" {mark} {}", message.text), style);
        let mut wrapped = super::wrap::wrap(vec![line], width);
        wrapped.truncate(MESSAGE_LINES);
        lines.extend(wrapped);
    }
    lines
}

/// At most this many lines say what the last key did.
const MESSAGE_LINES: usize = 3;

/// At most this many lines say what a typed value did.
const TYPED_LINES: usize = 4;

fn typed_messages(w: &Wizard, width: u16, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(error) = w.typing.as_ref().and_then(|typing| typing.error.as_ref()) {
        lines.push(Line::styled(format!(" ✗ {error}"), t.error()));
    } else if let Some(notice) = &w.notice {
        lines.push(Line::styled(format!(" ✓ {}", notice.text), t.ready()));
        for warning in &notice.warnings {
            lines.push(Line::styled(format!(" ! {warning}"), t.warn()));
        }
    }
    let mut lines = super::wrap::wrap(lines, width);
    lines.truncate(TYPED_LINES);
    lines
}

/// The lines of a failed refresh (shown above the footer while the old data stays).
fn refresh_error(state: &State, width: u16) -> Vec<Line<'static>> {
    match (&state.data, &state.error) {
        (Some(_), Some(error)) => {
            let line = Line::styled(
                format!(
                    " Refresh failed: {error}. Press r to retry; the data shown is from the last good scan."
                ),
                state.theme.error(),
            );
            let mut lines = super::wrap::wrap(vec![line], width);
            lines.truncate(3);
            lines
        }
        _ => Vec::new(),
    }
}
