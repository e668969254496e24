//! Order warnings: a new policy that only signed requests can satisfy, while methods it
//! covers do not use `AWS_IAM` (their callers send no SigV4 signature). Each method is judged
//! on its own ARN: a policy that admits anonymous callers to some methods only (those behind
//! an authorizer) still denies the others.

use std::collections::BTreeMap;

use crate::model::{AuthorizationType, Posture, RestApi};
use crate::plan::{Change, Inputs};
use crate::policy::{ApiContext, Outcome, Policy, RequestContext, Statement, evaluate, parse};
use crate::steps::probes;

const STEP_ONE: &str = "step 1 (iam-auth)";
const INVOKE: &str = "execute-api:Invoke";

/// The warnings for the changes of one step, judged on the posture after them (so that an
/// earlier step of the same plan that signs the methods counts).
pub fn warnings(after: &Posture, inputs: &Inputs, changes: &[Change]) -> Vec<String> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::SetEndpointPolicy {
                endpoint_id, new, ..
            } => {
                let Ok(policy) = parse(new) else { continue };
                for api in after.apis.iter().filter(|a| {
                    let target = inputs.api_ids.contains(&a.id) && a.is_private();
                    let behind = a.vpc_endpoint_ids.contains(endpoint_id)
                        && !inputs.excluded_apis.contains(&a.id);
                    target || behind
                }) {
                    endpoint_warnings(after, api, endpoint_id, &policy, &mut out);
                }
            }
            Change::SetResourcePolicy { api_id, new, .. } => {
                let (Some(api), Ok(policy)) = (after.api(api_id), parse(new)) else {
                    continue;
                };
                if let Some((statement, name, key)) = principal_deny(&policy) {
                    let ctx = probes::api_context(after, api);
                    let covers = |arn: &str| denies_anonymous(statement, &ctx, arn);
                    resource_warnings(after, api, &name, &key, covers, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// The first Deny that tests a key only signed requests carry: the statement, its name and
/// the key.
fn principal_deny(policy: &Policy) -> Option<(&Statement, String, String)> {
    policy
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect == crate::policy::Effect::Deny)
        .find_map(|(i, s)| {
            let c = s.conditions.iter().find(|c| {
                let key = c.key.to_ascii_lowercase();
                key.starts_with("aws:principal") || key == "aws:userid" || key == "aws:username"
            })?;
            let name = match &s.sid {
                Some(sid) => format!("statement {} ({sid})", i + 1),
                None => format!("statement {}", i + 1),
            };
            Some((s, name, c.key.clone()))
        })
}

/// Whether `statement` alone denies an unsigned request to `arn` (it covers that method).
fn denies_anonymous(statement: &Statement, ctx: &ApiContext, arn: &str) -> bool {
    let alone = Policy {
        version: None,
        id: None,
        statements: vec![statement.clone()],
    };
    let req = RequestContext::new(INVOKE, arn);
    evaluate(&alone, Some(ctx), &req).outcome == Outcome::ExplicitDeny
}

/// The methods of `api` callers reach without SigV4, by authorization type, each with a method
/// ARN of its first stage (CORS preflight excluded: browsers cannot sign it, and no caller of
/// ours sends it).
fn unsigned_methods(after: &Posture, api: &RestApi) -> BTreeMap<String, Vec<(String, String)>> {
    let stage = api
        .stages
        .as_ref()
        .and_then(|s| s.first())
        .map_or("stage", |s| s.name.as_str());
    let mut by_type: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (r, m) in api.methods() {
        let preflight =
            m.http_method == "OPTIONS" && m.authorization_type == AuthorizationType::None;
        if preflight || m.authorization_type == AuthorizationType::AwsIam {
            continue;
        }
        let arn = api.invoke_arn(
            &after.region,
            &after.account,
            stage,
            &m.http_method,
            &r.path,
        );
        by_type
            .entry(m.authorization_type.as_str().to_string())
            .or_default()
            .push((format!("{} {}", m.http_method, r.path), arn));
    }
    by_type
}

/// The labels of the methods `keep` accepts, or `None` when there is none.
fn kept(methods: Vec<(String, String)>, keep: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    let out: Vec<String> = methods
        .into_iter()
        .filter(|(_, arn)| keep(arn))
        .map(|(label, _)| label)
        .collect();
    (!out.is_empty()).then_some(out)
}

fn endpoint_warnings(
    after: &Posture,
    api: &RestApi,
    endpoint_id: &str,
    policy: &Policy,
    out: &mut Vec<String>,
) {
    let vpc = after.endpoint(endpoint_id).map(|e| e.vpc_id.clone());
    let denied = |arn: &str| {
        let mut req = RequestContext::new(INVOKE, arn);
        req.source_vpce = Some(endpoint_id.to_string());
        req.source_vpc.clone_from(&vpc);
        evaluate(policy, None, &req).outcome != Outcome::Allow
    };
    for (kind, methods) in unsigned_methods(after, api) {
        let Some(methods) = kept(methods, denied) else {
            continue;
        };
        let list = methods.join(", ");
        out.push(if kind == "NONE" {
            format!(
                "the new policy of {endpoint_id} admits only named principals, so it denies unsigned requests: {} still has {} method(s) with NONE authorization ({list}), whose callers send unsigned requests today and would be denied. Apply {STEP_ONE} first, or in the same plan, and have the callers sign with SigV4 (service execute-api)",
                api.name,
                methods.len()
            )
        } else {
            format!(
                "{list} of {} (with {kind} authorization): their callers send a token, not a SigV4 signature, so {endpoint_id} sees them as anonymous and its new policy denies them. Set AWS_IAM on them in {STEP_ONE} (select them), or leave this endpoint policy as it is",
                api.name
            )
        });
    }
}

fn resource_warnings(
    after: &Posture,
    api: &RestApi,
    statement: &str,
    key: &str,
    covers: impl Fn(&str) -> bool,
    out: &mut Vec<String>,
) {
    for (kind, methods) in unsigned_methods(after, api) {
        let Some(methods) = kept(methods, &covers) else {
            continue;
        };
        let list = methods.join(", ");
        out.push(if kind == "NONE" {
            format!(
                "{statement} of the new resource policy of {} tests {key}, which only signed requests to AWS_IAM methods carry: its {} method(s) with NONE authorization ({list}) would be denied to every caller. Apply {STEP_ONE} first, or in the same plan",
                api.name,
                methods.len()
            )
        } else {
            format!(
                "{statement} of the new resource policy of {} tests {key}, and API Gateway sees no IAM identity on {list} ({kind} authorization): the statement denies them to every caller. Set AWS_IAM on them in {STEP_ONE} (select them)",
                api.name
            )
        });
    }
}
