//! The review of the current step: the diff and checks exactly as `plan` prints them, then
//! the live settings the step changes, then where the inputs came from.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::detail::{api, blocks};
use super::super::wrap::wrap;
use crate::plan::{DiffLine, StepState};
use crate::steps::Control;
use crate::tui::state::Scanned;
use crate::tui::theme::Theme;
use crate::tui::wizard::Wizard;

/// The review, wrapped to `width`.
pub fn lines(data: &Scanned, w: &Wizard, width: u16, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Err(e) = &w.check {
        lines.push(Line::styled(
            format!("✗ These inputs cannot be planned with: {e}"),
            t.error(),
        ));
        lines.push(Line::raw(""));
    }
    let mut out = wrap(lines, width);
    let blocked = w.current().is_some_and(|s| s.is_blocked());
    for (i, d) in w.current_diff().iter().enumerate() {
        match d {
            // The step's title says why it is blocked: in the colour of a refusal.
            DiffLine::Header(text) if i == 0 && blocked => {
                out.extend(wrap(vec![Line::styled(text.clone(), t.error())], width));
            }
            _ => out.extend(wrap_diff_line(d, width, t)),
        }
    }
    let mut rest = Vec::new();
    live(&mut rest, data, w, t);
    inputs(&mut rest, w, t);
    out.extend(wrap(rest, width));
    out
}

/// A diff line wrapped to `width`: the rows it continues on repeat its `+`/`-`/`~` marker,
/// so that without colour every row still says what it is.
fn wrap_diff_line(d: &DiffLine, width: u16, t: Theme) -> Vec<Line<'static>> {
    let line = diff_line(d, t);
    let marked = matches!(
        d,
        DiffLine::Added(_) | DiffLine::Removed(_) | DiffLine::Changed(_) | DiffLine::Context(_)
    );
    let text = line.to_string();
    if !marked || text.chars().count() <= usize::from(width) || width < 8 {
        return wrap(vec![line], width);
    }
    let style = line.style;
    let marker: String = text.chars().take(2).collect();
    let body: String = text.chars().skip(2).collect();
    wrap(vec![Line::styled(body, style)], width - 2)
        .into_iter()
        .map(|row| {
            let mut spans = vec![Span::styled(marker.clone(), style)];
            spans.extend(row.spans);
            Line::from(spans).style(style)
        })
        .collect()
}

/// One diff line: its text carries the marker (`+`, `-`, `~`, `✓`, `✗`, `!`), the colour
/// repeats it.
pub fn diff_line(line: &DiffLine, t: Theme) -> Line<'static> {
    let style = match line {
        DiffLine::Header(_) => t.heading(),
        DiffLine::Hunk(_) | DiffLine::Changed(_) => t.changed(),
        DiffLine::Context(_) => t.dim(),
        DiffLine::Added(_) | DiffLine::Check { passed: true, .. } => t.added(),
        // Failing now, fixed by a later step of the plan: a caution, as `plan` prints it.
        DiffLine::Check {
            passed: false,
            pending: Some(_),
            ..
        } => t.warn(),
        DiffLine::Removed(_) | DiffLine::Check { passed: false, .. } => t.removed(),
        DiffLine::Warning(_) => t.warn(),
        DiffLine::State(StepState::Ready) => t.ready(),
        DiffLine::State(StepState::Blocked(_)) => t.error(),
        DiffLine::State(StepState::NothingToDo(_)) => t.value(),
        DiffLine::Note(_) | DiffLine::Blank => Style::new(),
    };
    Line::styled(line.text(), style)
}

/// What the step changes, as it is now.
fn live(lines: &mut Vec<Line<'static>>, data: &Scanned, w: &Wizard, t: Theme) {
    let p = &data.posture;
    let Some(target) = p.api(&w.api_id) else {
        return;
    };
    blocks::section(lines, "NOW: THE LIVE SETTINGS", t);
    match w.step {
        Control::IamAuth => api::methods(lines, data, target, t),
        Control::ResourcePolicy => {
            blocks::section(lines, format!("RESOURCE POLICY of {}", target.name), t);
            blocks::policy(
                lines,
                target.policy.as_ref(),
                "none: the API has no resource policy",
                2,
                t,
            );
        }
        Control::EndpointPolicy | Control::EndpointSg => {
            let endpoints: Vec<_> = p.endpoints_of(target).collect();
            if endpoints.is_empty() {
                lines.push(blocks::note(
                    "no endpoint of this account is attached",
                    2,
                    t,
                ));
            }
            for e in endpoints {
                if w.step == Control::EndpointPolicy {
                    blocks::section(lines, format!("ENDPOINT {}", e.id), t);
                    blocks::endpoint_settings(lines, data, e, t);
                    blocks::section(lines, format!("ENDPOINT POLICY of {}", e.id), t);
                    blocks::policy(
                        lines,
                        e.policy.as_ref(),
                        "no policy document returned",
                        2,
                        t,
                    );
                } else {
                    blocks::endpoint_groups(lines, data, e, t);
                }
            }
        }
    }
}

/// Where the inputs came from: the notes of the inference, the checks on the inputs, and the
/// instances found.
fn inputs(lines: &mut Vec<Line<'static>>, w: &Wizard, t: Theme) {
    blocks::section(lines, "INPUTS (shared by the four steps)", t);
    for note in &w.inputs.notes {
        lines.push(Line::raw(format!("  {note}")));
    }
    if let Ok(warnings) = &w.check {
        for warning in warnings {
            lines.push(Line::styled(format!("  ! {warning}"), t.warn()));
        }
    }
    if w.suggestions.is_empty() {
        lines.push(blocks::note(
            "no instance found in the endpoints' VPCs",
            2,
            t,
        ));
    }
    for s in &w.suggestions {
        let mark = if s.likely { "likely " } else { "" };
        lines.push(Line::raw(format!(
            "  {mark}caller {} ({}): {}",
            s.label(),
            s.instance_id,
            s.why
        )));
    }
}
