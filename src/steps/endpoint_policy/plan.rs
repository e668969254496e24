//! The `endpoint-policy` planner: each chosen endpoint admits only the chosen caller roles, to
//! `execute-api:Invoke` the APIs in scope and, unless the operator takes them out, the other
//! APIs reached through the same endpoint (so that they keep working for those callers).

use std::collections::BTreeMap;

use super::super::statements::{self, Live, role_name};
use crate::model::{Posture, RestApi, VpcEndpoint};
use crate::plan::{Change, Inputs, StepPlan, StepState};
use crate::policy::{Effect, Policy, PrincipalSpec, Statement};
use crate::steps::Control;

pub const ALLOW_SID: &str = "AllowChosenCallers";
pub const AUTHORIZER_SID: &str = "AllowAuthorizerMethods";

/// The plan for the endpoints in `inputs.endpoint_ids`.
pub fn plan(posture: &Posture, inputs: &Inputs) -> StepPlan {
    let mut step = StepPlan::nothing_to_do(Control::EndpointPolicy, "");
    let mut blocked = Vec::new();
    let mut done = Vec::new();
    if inputs.endpoint_ids.is_empty() {
        let private: Vec<&str> = targets(posture, inputs)
            .filter(|a| a.is_private())
            .map(|a| a.name.as_str())
            .collect();
        step.state = if private.is_empty() {
            StepState::NothingToDo(
                "no VPC endpoint is chosen and no API in scope is private: there is no endpoint policy to set".into(),
            )
        } else {
            StepState::Blocked(format!(
                "no VPC endpoint is chosen for the private API(s) {}",
                private.join(", ")
            ))
        };
        return step;
    }
    if inputs.caller_roles.is_empty() {
        step.state = StepState::Blocked(
            "no caller role is chosen: an endpoint policy that names no principal would deny every call through the endpoint".into(),
        );
        return step;
    }
    let mut seen = Vec::new();
    for id in &inputs.endpoint_ids {
        if seen.contains(id) {
            continue;
        }
        seen.push(id.clone());
        let Some(endpoint) = posture.endpoint(id) else {
            blocked.push(format!(
                "VPC endpoint {id} is not in account {} in {}",
                posture.account, posture.region
            ));
            continue;
        };
        plan_endpoint(
            posture,
            endpoint,
            inputs,
            &mut step,
            &mut blocked,
            &mut done,
        );
    }
    step.state = if !blocked.is_empty() {
        StepState::Blocked(blocked.join("; "))
    } else if step.changes.is_empty() {
        StepState::NothingToDo(done.join("; "))
    } else {
        StepState::Ready
    };
    step
}

/// The APIs in scope, in posture order.
fn targets<'a>(posture: &'a Posture, inputs: &'a Inputs) -> impl Iterator<Item = &'a RestApi> {
    posture
        .apis
        .iter()
        .filter(|a| inputs.api_ids.contains(&a.id))
}

/// The APIs whose ARNs the policy of `endpoint` names: the private APIs in scope, then the
/// others behind the endpoint that are not excluded. Also returns the excluded ones.
pub fn apis_in_scope<'a>(
    posture: &'a Posture,
    endpoint: &'a VpcEndpoint,
    inputs: &'a Inputs,
) -> (Vec<&'a RestApi>, Vec<&'a RestApi>) {
    let mut kept: Vec<&RestApi> = targets(posture, inputs)
        .filter(|a| a.is_private())
        .collect();
    let mut excluded = Vec::new();
    for api in posture.apis_behind(&endpoint.id) {
        if inputs.api_ids.contains(&api.id) {
            continue;
        }
        if inputs.excluded_apis.contains(&api.id) {
            excluded.push(api);
        } else {
            kept.push(api);
        }
    }
    (kept, excluded)
}

/// The policy proposed for an endpoint: the chosen roles may invoke these APIs; and, when some
/// of their methods stay behind a Lambda or Cognito authorizer, anyone may invoke exactly those
/// methods (their callers send a token, which the endpoint sees as anonymous; the authorizer
/// is their gate).
pub fn proposed(posture: &Posture, roles: &[String], apis: &[&RestApi]) -> Policy {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    let resources = apis
        .iter()
        .map(|a| a.execute_arn(&posture.region, &posture.account))
        .collect();
    let principal = PrincipalSpec::Map(BTreeMap::from([("AWS".to_string(), roles)]));
    let mut all = vec![statements::invoke_statement(
        ALLOW_SID,
        Effect::Allow,
        principal,
        resources,
    )];
    let tokens: Vec<String> = apis
        .iter()
        .flat_map(|a| statements::authorizer_methods(posture, a))
        .map(|m| m.pattern)
        .collect();
    if !tokens.is_empty() {
        all.push(statements::invoke_statement(
            AUTHORIZER_SID,
            Effect::Allow,
            PrincipalSpec::Any,
            tokens,
        ));
    }
    statements::policy(all)
}

fn plan_endpoint(
    posture: &Posture,
    endpoint: &VpcEndpoint,
    inputs: &Inputs,
    step: &mut StepPlan,
    blocked: &mut Vec<String>,
    done: &mut Vec<String>,
) {
    let id = &endpoint.id;
    let (kept, excluded) = apis_in_scope(posture, endpoint, inputs);
    let callers: Vec<&str> = inputs.caller_roles.iter().map(|r| role_name(r)).collect();
    let callers = callers.join(", ");
    for api in &excluded {
        step.warnings.push(format!(
            "{} ({}) is reached through {id} and is taken out of scope: every caller through {id} loses access to it, {callers} included",
            api.name, api.id
        ));
    }
    for target in inputs
        .excluded_apis
        .iter()
        .filter(|a| inputs.api_ids.contains(a))
    {
        step.warnings.push(format!(
            "{target} is an API this plan is for, so it stays in the policy of {id} although it is listed as excluded"
        ));
    }
    if kept.is_empty() {
        blocked.push(format!(
            "no API would be reachable through {id}: every API behind it is out of scope"
        ));
        return;
    }
    for api in kept.iter().filter(|a| !inputs.api_ids.contains(&a.id)) {
        step.guidance.push(format!(
            "{} ({}) is also reached through {id}: it stays in the policy so that {callers} keep reaching it; take it out of scope to cut it off",
            api.name, api.id
        ));
    }
    let others: Vec<String> = posture
        .instances_in(&endpoint.vpc_id)
        .filter_map(|i| {
            let role = i.role_arn.as_ref()?;
            (!inputs.caller_roles.contains(role)).then(|| {
                format!(
                    "{} ({})",
                    role_name(role),
                    i.name.as_deref().unwrap_or(&i.id)
                )
            })
        })
        .collect();
    if !others.is_empty() {
        step.warnings.push(format!(
            "instances in {} whose roles are not chosen lose access to every API through {id}: {}",
            endpoint.vpc_id,
            others.join(", ")
        ));
    }
    for api in &kept {
        let methods = statements::authorizer_methods(posture, api);
        if !methods.is_empty() {
            step.warnings.push(format!(
                "{} of {} stay behind their Lambda or Cognito authorizer: their callers send a token, not a SigV4 signature, so {id} sees them as anonymous; statement {AUTHORIZER_SID} admits anyone through {id} to exactly these methods, and their authorizer is their gate",
                statements::labels(&methods),
                api.name
            ));
        }
    }
    let new = proposed(posture, &inputs.caller_roles, &kept);
    match Live::of(endpoint.policy.as_ref()) {
        Live::Parsed(live) if statements::same_meaning(live, &new, None) => {
            done.push(format!(
                "the policy of {id} already admits only {callers} to the APIs in scope"
            ));
            return;
        }
        Live::Parsed(live) => {
            for d in statements::dropped(live, &new, None, is_full_access) {
                step.warnings.push(format!(
                    "the new policy of {id} drops {d}: it may grant access someone relies on"
                ));
            }
        }
        Live::Malformed(why) => step.warnings.push(format!(
            "the policy of {id} cannot be parsed ({why}): the plan replaces it whole"
        )),
        Live::Absent => {}
    }
    step.changes.push(Change::SetEndpointPolicy {
        endpoint_id: id.clone(),
        expected: endpoint.policy.as_ref().map(|p| p.raw().to_string()),
        new: new.to_json_string(),
    });
}

/// The default full-access statement: replacing it is the point of the step, not a loss.
fn is_full_access(s: &Statement) -> bool {
    let default = Policy::full_access();
    statements::same_meaning(
        &Policy {
            version: None,
            id: None,
            statements: vec![s.clone()],
        },
        &default,
        None,
    )
}
