//! The `resource-policy` planner: the guide's three statements with every id filled in and
//! `Resource` narrowed to the API's own ARN, then a redeploy of each stage.

use super::super::probes;
use super::super::statements::{self, Live};
use crate::model::{Posture, RestApi};
use crate::plan::{Change, Inputs, StepPlan, StepState};
use crate::policy::{Effect, Policy, PrincipalSpec, ResourceSpec};
use crate::steps::Control;

pub const ALLOW_SID: &str = "AllowInvoke";
pub const ACCOUNT_SID: &str = "DenyOtherAccounts";
pub const ENDPOINT_SID: &str = "DenyOtherEndpoints";

/// The plan for the APIs in `inputs.api_ids`.
pub fn plan(posture: &Posture, inputs: &Inputs) -> StepPlan {
    let mut acc = Acc::default();
    if inputs.api_ids.is_empty() {
        acc.blocked.push("no API is chosen: nothing to plan".into());
    }
    let mut seen = Vec::new();
    for id in &inputs.api_ids {
        if seen.contains(id) {
            continue;
        }
        seen.push(id.clone());
        match posture.api(id) {
            Some(api) => plan_api(posture, api, inputs, &mut acc),
            None => acc.blocked.push(format!(
                "API {id} is not in account {} in {}",
                posture.account, posture.region
            )),
        }
    }
    acc.into_step()
}

/// The policy proposed for `api`: Allow Invoke to everyone, Deny other accounts, and (for a
/// private API) Deny requests that do not come through one of `endpoint_ids`.
///
/// Methods that stay behind a Lambda or Cognito authorizer carry no IAM identity, so
/// `aws:PrincipalAccount` is absent for their callers and the account statement would deny
/// every one of them. That statement therefore names what it leaves out, with `NotResource`
/// and the authorizer methods' ARNs (every stage, path parameters as `*`), rather than listing
/// the other methods in `Resource`: a method added to the API later is then covered by the
/// account statement from the start (at worst a new authorizer method is denied until the
/// policy is planned again), where a `Resource` list would leave every new method open to
/// other accounts. The endpoint statement keeps the whole API.
pub fn proposed(posture: &Posture, api: &RestApi, endpoint_ids: &[String]) -> Policy {
    let arn = vec![api.execute_arn(&posture.region, &posture.account)];
    let allow =
        statements::invoke_statement(ALLOW_SID, Effect::Allow, PrincipalSpec::Any, arn.clone());
    let mut account =
        statements::invoke_statement(ACCOUNT_SID, Effect::Deny, PrincipalSpec::Any, arn.clone());
    let exempt = statements::authorizer_methods(posture, api);
    if !exempt.is_empty() {
        account.resource = Some(ResourceSpec::NotResource(
            exempt.into_iter().map(|m| m.pattern).collect(),
        ));
    }
    account.conditions.push(statements::string_not_equals(
        "aws:PrincipalAccount",
        vec![posture.account.to_string()],
    ));
    let mut all = vec![allow, account];
    if api.is_private() {
        let mut endpoints = endpoint_ids.to_vec();
        endpoints.sort();
        endpoints.dedup();
        let mut endpoint =
            statements::invoke_statement(ENDPOINT_SID, Effect::Deny, PrincipalSpec::Any, arn);
        endpoint
            .conditions
            .push(statements::string_not_equals("aws:SourceVpce", endpoints));
        all.push(endpoint);
    }
    statements::policy(all)
}

#[derive(Default)]
struct Acc {
    changes: Vec<Change>,
    warnings: Vec<String>,
    guidance: Vec<String>,
    blocked: Vec<String>,
    done: Vec<String>,
}

impl Acc {
    fn into_step(self) -> StepPlan {
        let state = if !self.blocked.is_empty() {
            StepState::Blocked(self.blocked.join("; "))
        } else if self.changes.is_empty() {
            StepState::NothingToDo(self.done.join("; "))
        } else {
            StepState::Ready
        };
        StepPlan {
            control: Control::ResourcePolicy,
            changes: self.changes,
            state,
            warnings: self.warnings,
            guidance: self.guidance,
            verdicts: Vec::new(),
        }
    }
}

fn plan_api(posture: &Posture, api: &RestApi, inputs: &Inputs, acc: &mut Acc) {
    let name = format!("{} ({})", api.name, api.id);
    if api.is_private() && inputs.endpoint_ids.is_empty() {
        let attached = if api.vpc_endpoint_ids.is_empty() {
            "it has none attached".to_string()
        } else {
            format!("attached: {}", api.vpc_endpoint_ids.join(", "))
        };
        acc.blocked.push(format!(
            "{name} is a private API and no VPC endpoint is chosen: the statement that denies other endpoints needs at least one ({attached})"
        ));
        return;
    }
    if !api.is_private() {
        let types: Vec<&str> = api.endpoint_types.iter().map(|t| t.as_str()).collect();
        acc.warnings.push(format!(
            "{name} is {}: the statement that denies other VPC endpoints is not proposed, because aws:SourceVpce exists only for private APIs and a Deny on it would match every request and lock everyone out. To admit only requests through VPC endpoints, change the API's endpoint type to PRIVATE and attach the endpoints first",
            types.join("/")
        ));
    }
    let exempt = statements::authorizer_methods(posture, api);
    if !exempt.is_empty() {
        let limit = if api.is_private() {
            "they stay limited to the chosen endpoints"
        } else {
            "on this API only their authorizer decides who calls them"
        };
        acc.warnings.push(format!(
            "{} of {name} stay behind their Lambda or Cognito authorizer: their callers are identified by their authorizer, not by IAM: the account condition cannot apply to them (statement {ACCOUNT_SID} leaves them out); {limit}",
            statements::labels(&exempt)
        ));
    }
    let ctx = probes::api_context(posture, api);
    let new = proposed(posture, api, &inputs.endpoint_ids);
    match Live::of(api.policy.as_ref()) {
        Live::Parsed(live) if statements::same_meaning(live, &new, Some(&ctx)) => {
            acc.done.push(format!(
                "the resource policy of {name} already admits only account {}{}",
                posture.account,
                if api.is_private() {
                    format!(" through {}", inputs.endpoint_ids.join(", "))
                } else {
                    String::new()
                }
            ));
            return;
        }
        Live::Parsed(live) => {
            for d in statements::dropped(live, &new, Some(&ctx), |_| false) {
                acc.warnings.push(format!(
                    "the new resource policy of {name} drops {d}: it may grant access someone relies on"
                ));
            }
        }
        Live::Malformed(why) => acc.warnings.push(format!(
            "the resource policy of {name} cannot be parsed ({why}): the plan replaces it whole"
        )),
        Live::Absent => {}
    }
    acc.changes.push(Change::SetResourcePolicy {
        api_id: api.id.clone(),
        expected: api.policy.as_ref().map(|p| p.raw().to_string()),
        new: new.to_json_string(),
    });
    redeploy(api, acc);
    acc.guidance.push(format!(
        "once this policy is deployed, only principals of account {}{} can invoke {name}",
        posture.account,
        if api.is_private() {
            format!(" calling through {}", inputs.endpoint_ids.join(" or "))
        } else {
            String::new()
        }
    ));
}

/// One `Redeploy` per stage of the API, so that the new policy reaches callers.
fn redeploy(api: &RestApi, acc: &mut Acc) {
    let name = format!("{} ({})", api.name, api.id);
    match &api.stages {
        None => acc.warnings.push(format!(
            "the stages of {name} could not be read: redeploy each stage by hand for the policy to take effect"
        )),
        Some(stages) if stages.is_empty() => acc.guidance.push(format!(
            "{name} has no stage deployed: the policy takes effect with its first deployment"
        )),
        Some(stages) => acc.changes.extend(stages.iter().map(|s| Change::Redeploy {
            api_id: api.id.clone(),
            stage: s.name.clone(),
            expected_deployment_id: s.deployment_id.clone(),
            description: format!(
                "ztharden {}: new resource policy of {}",
                Control::ResourcePolicy.id(),
                api.name
            ),
        })),
    }
}
