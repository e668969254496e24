//! A whole plan: the planners in control order, each on the posture the earlier steps lead
//! to, one redeploy per stage, then the safety checks on the cumulative projection.

use std::collections::BTreeMap;

use super::{Change, Inputs, PLAN_VERSION, Plan, StepPlan, project, safety};
use crate::model::Posture;
use crate::steps::{self, Control};

/// The plan of `controls` (taken in control order, each once) for the target in `inputs`.
///
/// Redeploys: several steps may redeploy the same stage (`iam-auth` after signing methods,
/// `resource-policy` after a new policy). A plan keeps one `Redeploy` per stage, where the
/// last step that redeploys it put it: at the end of the last step that changes that API, so
/// that one deployment carries every change, and nothing is deployed half-done. The steps that
/// lose theirs say where it went. `Change` order is the apply order.
pub fn build(posture: &Posture, inputs: &Inputs, controls: &[Control], created_at: &str) -> Plan {
    let mut wanted = controls.to_vec();
    wanted.sort();
    wanted.dedup();
    let mut current = posture.clone();
    let mut steps = Vec::with_capacity(wanted.len());
    for control in wanted {
        let step = steps::plan(control, &current, inputs);
        current = project(&current, &step.changes);
        steps.push(step);
    }
    one_redeploy_per_stage(&mut steps);
    safety::check_steps(posture, inputs, &mut steps);
    Plan {
        version: PLAN_VERSION,
        account: posture.account.to_string(),
        region: posture.region.to_string(),
        created_at: created_at.to_string(),
        inputs: inputs.clone(),
        steps,
    }
}

/// Keeps the last `Redeploy` of each stage (by step, then position) and drops the others,
/// merging their descriptions into the one kept.
fn one_redeploy_per_stage(steps: &mut [StepPlan]) {
    let mut last: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut descriptions: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (i, step) in steps.iter().enumerate() {
        for (j, change) in step.changes.iter().enumerate() {
            if let Change::Redeploy {
                api_id,
                stage,
                description,
                ..
            } = change
            {
                let key = (api_id.clone(), stage.clone());
                last.insert(key.clone(), (i, j));
                let all = descriptions.entry(key).or_default();
                if !all.contains(description) {
                    all.push(description.clone());
                }
            }
        }
    }
    let controls: Vec<Control> = steps.iter().map(|s| s.control).collect();
    for (i, step) in steps.iter_mut().enumerate() {
        let mut moved = Vec::new();
        let mut j = 0;
        step.changes.retain_mut(|change| {
            let at = j;
            j += 1;
            let Change::Redeploy {
                api_id,
                stage,
                description,
                ..
            } = change
            else {
                return true;
            };
            let key = (api_id.clone(), stage.clone());
            let (li, lj) = last[&key];
            if (li, lj) == (i, at) {
                *description = merged(&descriptions[&key]);
                true
            } else {
                if li != i {
                    moved.push(format!(
                        "stage {stage} of {api_id} is redeployed once, at the end of the {} step, with the changes of this one",
                        controls[li].id()
                    ));
                }
                false
            }
        });
        for m in moved {
            if !step.guidance.contains(&m) {
                step.guidance.push(m);
            }
        }
    }
}

/// `ztharden iam-auth: ...; resource-policy: ...`.
fn merged(descriptions: &[String]) -> String {
    descriptions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i == 0 {
                d.as_str()
            } else {
                d.strip_prefix("ztharden ").unwrap_or(d)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests;
