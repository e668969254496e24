//! Applying from the wizard: `A` applies the current step, `Ctrl-A` every ready step. Either
//! makes the plan of just those controls on the posture as it was read, so that it carries
//! its own redeploys, and opens the confirm dialog: nothing is sent before the operator says
//! yes.

use crate::plan::{self, Plan, StepState};
use crate::steps::Control;
use crate::tui::confirm;
use crate::tui::msg::Effect;
use crate::tui::run::Action;
use crate::tui::state::{Message, READ_ONLY, State};

/// `A`: the current step, if it is ready.
pub fn step(state: &mut State) -> Vec<Effect> {
    let Some(w) = state.wizard.as_ref() else {
        return Vec::new();
    };
    let control = w.step;
    let n = w.step_index() + 1;
    let refusal = match w.current().map(|s| &s.state) {
        Some(StepState::Ready) => None,
        Some(StepState::NothingToDo(why)) => Some(format!(
            "step {n} {} has nothing to apply: {why}",
            control.id()
        )),
        Some(StepState::Blocked(why)) => Some(format!(
            "step {n} {} is blocked, nothing to apply: {why}",
            control.id()
        )),
        None => Some(format!("step {n} {} is not planned", control.id())),
    };
    if let Some(refusal) = refusal {
        state.message = Some(Message::warn(refusal));
        return Vec::new();
    }
    let title = format!("Apply step {n} {}", control.id());
    ask(state, &[control], title)
}

/// `Ctrl-A`: every ready step, together.
pub fn all(state: &mut State) -> Vec<Effect> {
    let Some(w) = state.wizard.as_ref() else {
        return Vec::new();
    };
    let ready: Vec<Control> = w
        .plan
        .steps
        .iter()
        .filter(|s| s.is_ready())
        .map(|s| s.control)
        .collect();
    if ready.is_empty() {
        state.message = Some(Message::warn(
            "no step is ready to apply: each has nothing to do or is blocked (see the steps)",
        ));
        return Vec::new();
    }
    let names: Vec<&str> = ready.iter().map(|c| c.id()).collect();
    let title = match ready.len() {
        1 => format!("Apply the ready step {}", names[0]),
        n => format!("Apply the {n} ready steps {}", names.join(", ")),
    };
    ask(state, &ready, title)
}

/// Plan `controls` alone and ask to confirm, unless the plan cannot be applied as it is.
fn ask(state: &mut State, controls: &[Control], title: String) -> Vec<Effect> {
    if state.read_only {
        state.message = Some(Message::warn(READ_ONLY));
        return Vec::new();
    }
    if state.applying() {
        state.message = Some(Message::warn("an apply is running: wait for its result"));
        return Vec::new();
    }
    let (Some(data), Some(w)) = (state.data.as_ref(), state.wizard.as_ref()) else {
        return Vec::new();
    };
    if let Err(e) = &w.check {
        state.message = Some(Message::error(format!(
            "nothing to apply: these inputs cannot be planned with: {e}"
        )));
        return Vec::new();
    }
    let plan = plan::build(&data.posture, &w.inputs, controls, w.created_at());
    if let Some(why) = unfit(&plan, controls.len()) {
        state.message = Some(Message::warn(why));
        return Vec::new();
    }
    let name = data
        .posture
        .api(&w.api_id)
        .map_or(w.api_id.as_str(), |a| a.name.as_str());
    let title = format!("{title} to {name} ({})", w.api_id);
    confirm::open(state, Action::Apply, title, plan);
    Vec::new()
}

/// Why a plan made for fewer steps than the wizard's cannot be applied, if it cannot.
fn unfit(plan: &Plan, steps: usize) -> Option<String> {
    let alone = if steps == 1 { "alone" } else { "together" };
    if let Some(s) = plan.steps.iter().find(|s| s.is_blocked()) {
        let why = match &s.state {
            StepState::Blocked(why) => why.as_str(),
            _ => "",
        };
        let instead = if steps == 1 {
            "apply every ready step together with Ctrl-A, or change the inputs"
        } else {
            "change the inputs"
        };
        return Some(format!(
            "{} cannot be applied {alone} ({instead}): {why}",
            s.control.id()
        ));
    }
    if plan.changes().next().is_none() {
        return Some(format!(
            "nothing to apply {alone}: the plan has no change; read the account again with r"
        ));
    }
    None
}
