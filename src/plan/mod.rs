//! Plans: for each control, the ordered changes that harden it, each carrying the value it
//! expects to find (for the drift check at apply time) and the value it will set, with the
//! verdicts of the safety checks. Pure: no I/O.
//!
//! Data flow: `Posture` + [`Inputs`] -> `steps::*::plan` -> [`StepPlan`]s -> [`safety`] ->
//! [`Plan`] -> diffs (review) -> apply (later work).

mod build;
mod change;
mod diff;
mod inputs;
mod project;
pub mod safety;

pub use build::build;
pub use change::{Change, MethodKey};
pub use diff::{DiffLine, plan_lines, plan_text, render_text, state_words, step_diff};
pub use inputs::{CallerSuggestion, InputError, Inputs, suggest_callers};
pub use project::project;

use serde::{Deserialize, Serialize};

use crate::steps::Control;

/// The plan file format version written by `plan --out`.
pub const PLAN_VERSION: u32 = 1;

/// Whether a step can be applied as planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "reason", rename_all = "kebab-case")]
pub enum StepState {
    /// The changes are ready for review and apply.
    Ready,
    /// The control already passes for this target: nothing to change (and why).
    NothingToDo(String),
    /// The plan would break something (e.g. lock out a chosen caller): why, in plain words.
    Blocked(String),
}

/// One safety check and its outcome, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What was checked, e.g. "service-a-role can invoke GET /orders through vpce-...".
    pub check: String,
    pub passed: bool,
    /// Why (the deciding statement and policy).
    pub detail: String,
    /// A failing check that a later step of the same plan makes pass: that step's control.
    /// `None` when the check passes, or when no step of the plan fixes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_step: Option<Control>,
}

impl Verdict {
    /// A verdict with no pending step.
    pub fn new(check: impl Into<String>, passed: bool, detail: impl Into<String>) -> Self {
        Self {
            check: check.into(),
            passed,
            detail: detail.into(),
            pending_step: None,
        }
    }

    /// Failing now, and made to pass by a later step of the same plan.
    pub fn is_pending(&self) -> bool {
        !self.passed && self.pending_step.is_some()
    }
}

/// The plan of one control for one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepPlan {
    pub control: Control,
    pub changes: Vec<Change>,
    pub state: StepState,
    /// Things the operator should know before applying (dropped statements, callers that
    /// change, APIs that lose access, order of steps).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Guidance that is not a change: identity policies the callers need, how to sign.
    #[serde(default)]
    pub guidance: Vec<String>,
    #[serde(default)]
    pub verdicts: Vec<Verdict>,
}

impl StepPlan {
    /// A plan with nothing to change.
    pub fn nothing_to_do(control: Control, why: impl Into<String>) -> Self {
        Self {
            control,
            changes: Vec::new(),
            state: StepState::NothingToDo(why.into()),
            warnings: Vec::new(),
            guidance: Vec::new(),
            verdicts: Vec::new(),
        }
    }

    pub fn is_ready(&self) -> bool {
        self.state == StepState::Ready
    }

    pub fn is_blocked(&self) -> bool {
        matches!(self.state, StepState::Blocked(_))
    }
}

/// A whole plan, as reviewed and as written by `plan --out`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub account: String,
    pub region: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub inputs: Inputs,
    pub steps: Vec<StepPlan>,
}

impl Plan {
    pub fn is_blocked(&self) -> bool {
        self.steps.iter().any(StepPlan::is_blocked)
    }

    /// Every change of every step, in apply order.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.steps.iter().flat_map(|s| s.changes.iter())
    }
}
