//! Safety checks: the evaluator on the posture a plan leads to, resource policy and endpoint
//! policy together.
//!
//! For each step, on the posture after it and every earlier step of the same plan:
//! - every chosen caller, through each chosen endpoint, can invoke every in-scope method
//!   (CORS preflight excluded). A caller signs (SigV4) the methods that use `AWS_IAM`, and
//!   calls the others as it does today, with no signature the endpoint can read;
//! - a principal of another account is denied, and so is a request through an endpoint that is
//!   not chosen.
//!
//! A step is blocked when it locks out a chosen caller for good: a call it turns from allowed
//! to denied that no later step of the plan gives back, or a denial left at the end of the
//! plan that a policy this step writes decides. A denial a later step repairs is a warning (it
//! lasts until that step is applied). A denial that was there before the plan and that no step
//! touches blocks the plan's last step that changes anything: the chosen callers would not
//! work after it, so the plan does not reach its aim (take the caller out, or add the step that
//! fixes it).

mod judge;
mod order;

use judge::{Denial, Judged, Key, judge};

use super::{Change, Inputs, Plan, StepPlan, StepState, Verdict, project};
use crate::model::Posture;
use crate::policy::DecidedBy;
use crate::steps::Control;

/// The verdicts on a posture (usually a projection) for these inputs.
pub fn verdicts(after: &Posture, inputs: &Inputs) -> Vec<Verdict> {
    judge(after, inputs).verdicts
}

/// Checks the steps of a plan in order, each on the projection of `posture` after it and every
/// earlier step: fills in the verdicts, adds order warnings, and blocks a step that locks out a
/// chosen caller (naming the statement that does it). Checking the same steps again changes
/// nothing more.
pub fn check_steps(posture: &Posture, inputs: &Inputs, steps: &mut [StepPlan]) {
    let mut states = vec![posture.clone()];
    for step in steps.iter() {
        let next = project(states.last().expect("starts non-empty"), &step.changes);
        states.push(next);
    }
    let judged: Vec<Judged> = states.iter().map(|p| judge(p, inputs)).collect();
    let last = judged.last().expect("starts non-empty");
    let controls: Vec<_> = steps.iter().map(|s| s.control).collect();
    let mut attributed: Vec<&Key> = Vec::new();
    for (i, step) in steps.iter_mut().enumerate() {
        let (before, after) = (&judged[i], &judged[i + 1]);
        step.verdicts = after.verdicts.clone();
        for v in step.verdicts.iter_mut().filter(|v| !v.passed) {
            v.pending_step = fixed_by(&judged, &controls, i, &v.check);
        }
        for w in order::warnings(&states[i + 1], inputs, &step.changes) {
            push_new(&mut step.warnings, w);
        }
        if step.changes.is_empty() {
            continue;
        }
        let mut lockouts: Vec<(&Key, &Denial)> = Vec::new();
        let mut passing: Vec<(&Key, &Denial, String)> = Vec::new();
        for (key, denial) in &after.denied {
            let caused = !before.denied.contains_key(key);
            match last.denied.get(key) {
                Some(_) if caused => lockouts.push((key, denial)),
                Some(at_end) if writes(&step.changes, key, at_end) => {
                    lockouts.push((key, at_end));
                }
                Some(_) => {}
                None if caused => {
                    let repaired = (i + 1..controls.len())
                        .find(|j| !judged[j + 1].denied.contains_key(key))
                        .map_or("a later", |j| controls[j].id());
                    passing.push((key, denial, repaired.to_string()));
                }
                None => {}
            }
        }
        for (role, (key, denial, repaired), n) in first_per_role(&passing, |p| &p.0.role) {
            push_new(
                &mut step.warnings,
                format!(
                    "until the {repaired} step is applied, {role} is denied {}{}",
                    denial.describe(key),
                    more(n)
                ),
            );
        }
        attributed.extend(lockouts.iter().map(|(k, _)| *k));
        block(step, &lockouts, "this step would lock out");
    }
    // Denials found before the plan that it leaves in place: the plan does not reach its aim
    // (the chosen callers working), so its last step that changes anything says so.
    let left: Vec<(&Key, &Denial)> = last
        .denied
        .iter()
        .filter(|(k, _)| !attributed.contains(k))
        .collect();
    if let Some(step) = steps.iter_mut().rev().find(|s| !s.changes.is_empty()) {
        block(
            step,
            &left,
            "no step of this plan changes what already denies",
        );
    }
}

/// The later step that makes the check `check`, failing after step `i`, pass for good: the
/// step after which it passes in every state to the end of the plan. `None` when it still
/// fails at the end.
fn fixed_by(judged: &[Judged], controls: &[Control], i: usize, check: &str) -> Option<Control> {
    let passes = |k: usize| {
        judged[k]
            .verdicts
            .iter()
            .any(|v| v.check == check && v.passed)
    };
    let n = controls.len();
    if !passes(n) {
        return None;
    }
    let mut k = n;
    while k - 1 > i + 1 && passes(k - 1) {
        k -= 1;
    }
    Some(controls[k - 1])
}

/// Blocks `step` for these denials of chosen callers (nothing when there are none).
fn block(step: &mut StepPlan, denials: &[(&Key, &Denial)], what: &str) {
    if denials.is_empty() {
        return;
    }
    let reasons: Vec<String> = first_per_role(denials, |l| &l.0.role)
        .into_iter()
        .map(|(role, (key, denial), n)| {
            format!("{what} {role}: {}{}", denial.describe(key), more(n))
        })
        .collect();
    let reason = reasons.join("; ");
    step.state = match &step.state {
        StepState::Blocked(earlier) if earlier.contains(&reason) => return,
        StepState::Blocked(earlier) => StepState::Blocked(format!("{earlier}; {reason}")),
        _ => StepState::Blocked(reason),
    };
}

/// [`check_steps`] on every step of a plan, with the plan's inputs.
pub fn check_plan(posture: &Posture, plan: &mut Plan) {
    let inputs = plan.inputs.clone();
    check_steps(posture, &inputs, &mut plan.steps);
}

/// Whether `changes` write the policy (or method setting) that decides `denial`.
fn writes(changes: &[Change], key: &Key, denial: &Denial) -> bool {
    changes
        .iter()
        .any(|c| match (denial.decision.decided_by, c) {
            (
                DecidedBy::ResourcePolicy | DecidedBy::NoResourcePolicy,
                Change::SetResourcePolicy { api_id, .. },
            ) => *api_id == key.api_id,
            (
                DecidedBy::EndpointPolicy | DecidedBy::DefaultEndpointPolicy,
                Change::SetEndpointPolicy { endpoint_id, .. },
            ) => key.via.as_ref() == Some(endpoint_id),
            (DecidedBy::IamAuthorization, Change::SetMethodAuthorization { method, .. }) => {
                method.api_id == key.api_id
            }
            _ => false,
        })
}

/// The first item for each role (role name, item, how many that role has), in key order.
fn first_per_role<T>(items: &[T], role: impl Fn(&T) -> &String) -> Vec<(&str, &T, usize)> {
    let mut out: Vec<(&str, &T, usize)> = Vec::new();
    for item in items {
        let name = role(item).rsplit('/').next().unwrap_or_default();
        match out.iter_mut().find(|(r, _, _)| *r == name) {
            Some(entry) => entry.2 += 1,
            None => out.push((name, item, 1)),
        }
    }
    out
}

fn more(n: usize) -> String {
    if n > 1 {
        format!(" (and {} more call(s))", n - 1)
    } else {
        String::new()
    }
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests;
