//! Diffs for review: what each step changes, as lines that both the `plan` command and the
//! TUI draw. The same lines are what `plan` prints, so what is reviewed is what is applied.
//!
//! A step's diff has, in order: a header; one section per policy it replaces (a unified diff
//! of the normalised pretty JSON, or "no change" when the two say the same thing); a table of
//! the methods whose authorization changes; the security-group rules added and removed; the
//! stages redeployed; then warnings, guidance, the safety verdicts and the step's state.

mod policy;
mod sections;

#[cfg(test)]
mod tests;

use std::fmt::Write;

use super::{Plan, StepPlan, StepState};
use crate::model::Posture;
use crate::steps::Control;

/// One line of a diff. The text never holds a line break; [`DiffLine::text`] adds the marker
/// that makes the line readable without colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// A step or section title.
    Header(String),
    /// A unified-diff hunk header (`@@ -1,5 +1,7 @@`).
    Hunk(String),
    /// Unchanged (context) text.
    Context(String),
    /// Text the plan adds.
    Added(String),
    /// Text the plan removes.
    Removed(String),
    /// A value the plan changes in place (`from -> to`).
    Changed(String),
    /// An explanation, guidance or an input.
    Note(String),
    /// Something the operator should weigh before applying.
    Warning(String),
    /// A safety check and whether it passed; a failing one that a later step of the plan
    /// fixes names that step (`step 2: resource-policy`).
    Check {
        passed: bool,
        text: String,
        pending: Option<String>,
    },
    /// The step's state: ready, nothing to do, or blocked.
    State(StepState),
    /// An empty line between steps.
    Blank,
}

impl DiffLine {
    /// The line as printed without colour: a marker, then the text.
    pub fn text(&self) -> String {
        match self {
            Self::Header(s) | Self::Hunk(s) => s.clone(),
            Self::Context(s) => format!("  {s}"),
            Self::Added(s) => format!("+ {s}"),
            Self::Removed(s) => format!("- {s}"),
            Self::Changed(s) => format!("~ {s}"),
            Self::Note(s) => format!("  {s}"),
            Self::Warning(s) => format!("! warning: {s}"),
            Self::Check {
                passed: true, text, ..
            } => format!("✓ PASS {text}"),
            Self::Check {
                passed: false,
                text,
                pending: Some(step),
            } => format!("… PENDING {text} (fixed by {step})"),
            Self::Check {
                passed: false,
                text,
                pending: None,
            } => format!("✗ FAIL {text}"),
            Self::State(state) => format!("State: {}", state_words(state)),
            Self::Blank => String::new(),
        }
    }

    /// The ANSI style of the line (SGR parameters), if any.
    fn style(&self) -> Option<&'static str> {
        match self {
            Self::Header(_) => Some("1"),
            Self::Hunk(_) => Some("36"),
            Self::Added(_) | Self::Check { passed: true, .. } => Some("32"),
            Self::Check {
                pending: Some(_), ..
            } => Some("33"),
            Self::Removed(_) | Self::Check { passed: false, .. } => Some("31"),
            Self::Changed(_) | Self::Warning(_) => Some("33"),
            Self::State(StepState::Ready) => Some("1;32"),
            Self::State(StepState::Blocked(_)) => Some("1;31"),
            Self::State(StepState::NothingToDo(_)) => Some("1"),
            Self::Context(_) | Self::Note(_) | Self::Blank => None,
        }
    }
}

/// A step's state in plain words.
pub fn state_words(state: &StepState) -> String {
    match state {
        StepState::Ready => "ready".to_string(),
        StepState::NothingToDo(why) => format!("nothing to do: {why}"),
        StepState::Blocked(why) => format!("blocked: {why}"),
    }
}

/// The lines of one step: header, changes, warnings, guidance, verdicts, state.
pub fn step_diff(posture: &Posture, step: &StepPlan) -> Vec<DiffLine> {
    let number = step_number(step.control);
    let mut lines = vec![DiffLine::Header(format!(
        "Step {number} of {}: {} ({}): {}",
        Control::ALL.len(),
        step.control.id(),
        step.control.title(),
        state_words(&step.state)
    ))];
    if step.changes.is_empty() {
        lines.push(DiffLine::Note("No changes.".into()));
    }
    lines.extend(sections::changes(posture, &step.changes));
    if !step.warnings.is_empty() {
        lines.push(DiffLine::Header("Warnings".into()));
        for w in &step.warnings {
            lines.extend(split(w).map(DiffLine::Warning));
        }
    }
    if !step.guidance.is_empty() {
        lines.push(DiffLine::Header("Guidance".into()));
        for g in &step.guidance {
            lines.extend(split(g).map(DiffLine::Note));
        }
    }
    if !step.verdicts.is_empty() {
        lines.push(DiffLine::Header("Safety checks".into()));
        for v in &step.verdicts {
            lines.push(DiffLine::Check {
                passed: v.passed,
                text: v.check.replace('\n', " "),
                pending: v
                    .pending_step
                    .filter(|_| !v.passed)
                    .map(|c| format!("step {}: {}", step_number(c), c.id())),
            });
            lines.extend(split(&v.detail).map(|d| DiffLine::Note(format!("  {d}"))));
        }
    }
    lines.push(DiffLine::State(step.state.clone()));
    lines
}

/// The place of a control among the four steps (1 to 4).
fn step_number(control: Control) -> usize {
    Control::ALL
        .iter()
        .position(|c| *c == control)
        .map_or(0, |i| i + 1)
}

/// The lines of a whole plan: where it was made, its inputs, then every step.
pub fn plan_lines(plan: &Plan, posture: &Posture) -> Vec<DiffLine> {
    let mut lines = vec![DiffLine::Header(format!(
        "Plan for account {}, region {} (created {})",
        plan.account, plan.region, plan.created_at
    ))];
    let inputs = &plan.inputs;
    let apis: Vec<String> = inputs
        .api_ids
        .iter()
        .map(|id| sections::api_label(posture, id))
        .collect();
    let groups: Vec<String> = inputs
        .caller_groups
        .iter()
        .map(|id| sections::group_label(posture, id))
        .collect();
    lines.push(input_line("APIs", &apis));
    lines.push(input_line("VPC endpoints", &inputs.endpoint_ids));
    lines.push(input_line("caller roles", &inputs.caller_roles));
    lines.push(input_line("caller security groups", &groups));
    if !inputs.excluded_apis.is_empty() {
        let excluded: Vec<String> = inputs
            .excluded_apis
            .iter()
            .map(|id| sections::api_label(posture, id))
            .collect();
        lines.push(input_line(
            "APIs taken out of the endpoint policy",
            &excluded,
        ));
    }
    if let Some(methods) = &inputs.methods {
        let chosen: Vec<String> = methods
            .iter()
            .map(|m| format!("{} {} of {}", m.http_method, m.path, m.api_id))
            .collect();
        lines.push(input_line("methods to sign", &chosen));
    }
    for note in &inputs.notes {
        lines.extend(split(note).map(DiffLine::Note));
    }
    for step in &plan.steps {
        lines.push(DiffLine::Blank);
        lines.extend(step_diff(posture, step));
    }
    lines
}

fn input_line(label: &str, values: &[String]) -> DiffLine {
    let shown = if values.is_empty() {
        "(none)".to_string()
    } else {
        values.join(", ")
    };
    DiffLine::Note(format!("{label}: {shown}"))
}

/// What `plan` prints: the plan's inputs, then each step's diff and verdicts.
pub fn plan_text(plan: &Plan, posture: &Posture, color: bool) -> String {
    render_text(&plan_lines(plan, posture), color)
}

/// The lines as text, one per line; ANSI colours only when `color`.
pub fn render_text(lines: &[DiffLine], color: bool) -> String {
    let mut out = String::new();
    for line in lines {
        let text = line.text();
        match line.style() {
            Some(style) if color && !text.is_empty() => {
                let _ = writeln!(out, "\x1b[{style}m{text}\x1b[0m");
            }
            _ => {
                let _ = writeln!(out, "{text}");
            }
        }
    }
    out
}

/// The lines of a text that may hold line breaks.
fn split(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(str::to_string)
}
