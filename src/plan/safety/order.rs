//! Order warnings: a new policy that only signed requests can satisfy, while methods it
//! covers do not use `AWS_IAM` (their callers send no SigV4 signature).

use std::collections::BTreeMap;

use crate::model::{AuthorizationType, Posture, RestApi};
use crate::plan::{Change, Inputs};
use crate::policy::{Effect, Policy, parse};

const STEP_ONE: &str = "step 1 (iam-auth)";

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
                if admits_anonymous(&policy) {
                    continue;
                }
                for api in after.apis.iter().filter(|a| {
                    let target = inputs.api_ids.contains(&a.id) && a.is_private();
                    let behind = a.vpc_endpoint_ids.contains(endpoint_id)
                        && !inputs.excluded_apis.contains(&a.id);
                    target || behind
                }) {
                    endpoint_warnings(api, endpoint_id, &mut out);
                }
            }
            Change::SetResourcePolicy { api_id, new, .. } => {
                let (Some(api), Ok(policy)) = (after.api(api_id), parse(new)) else {
                    continue;
                };
                if let Some((statement, key)) = principal_deny(&policy) {
                    resource_warnings(api, &statement, &key, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether some Allow statement admits everyone, anonymous callers included.
fn admits_anonymous(policy: &Policy) -> bool {
    policy
        .statements
        .iter()
        .any(|s| s.effect == Effect::Allow && (s.allows_any_principal() || s.principal.is_none()))
}

/// The first Deny that tests a key only signed requests carry: its name and the key.
fn principal_deny(policy: &Policy) -> Option<(String, String)> {
    policy
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect == Effect::Deny)
        .find_map(|(i, s)| {
            let c = s.conditions.iter().find(|c| {
                let key = c.key.to_ascii_lowercase();
                key.starts_with("aws:principal") || key == "aws:userid" || key == "aws:username"
            })?;
            let name = match &s.sid {
                Some(sid) => format!("statement {} ({sid})", i + 1),
                None => format!("statement {}", i + 1),
            };
            Some((name, c.key.clone()))
        })
}

/// The methods of `api` callers reach without SigV4, by authorization type (CORS preflight
/// excluded: browsers cannot sign it, and no caller of ours sends it).
fn unsigned_methods(api: &RestApi) -> BTreeMap<String, Vec<String>> {
    let mut by_type: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (r, m) in api.methods() {
        let preflight =
            m.http_method == "OPTIONS" && m.authorization_type == AuthorizationType::None;
        if preflight || m.authorization_type == AuthorizationType::AwsIam {
            continue;
        }
        by_type
            .entry(m.authorization_type.as_str().to_string())
            .or_default()
            .push(format!("{} {}", m.http_method, r.path));
    }
    by_type
}

fn endpoint_warnings(api: &RestApi, endpoint_id: &str, out: &mut Vec<String>) {
    for (kind, methods) in unsigned_methods(api) {
        let list = methods.join(", ");
        out.push(if kind == "NONE" {
            format!(
                "the new policy of {endpoint_id} admits only named principals, so it denies unsigned requests: {} still has {} method(s) with NONE authorization ({list}), whose callers send unsigned requests today and would be denied. Apply {STEP_ONE} first, or in the same plan, and have the callers sign with SigV4 (service execute-api)",
                api.name,
                methods.len()
            )
        } else {
            format!(
                "{list} of {} use {kind} authorization: their callers send a token, not a SigV4 signature, so {endpoint_id} sees them as anonymous and its new policy denies them. Set AWS_IAM on them in {STEP_ONE} (select them), or leave this endpoint policy as it is",
                api.name
            )
        });
    }
}

fn resource_warnings(api: &RestApi, statement: &str, key: &str, out: &mut Vec<String>) {
    for (kind, methods) in unsigned_methods(api) {
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
