//! What a change's target holds now, compared with what the change expects (the drift check
//! before an apply) and with what it set (the verification after).
//!
//! Policies compare normalised ([`equivalent`]): the escaped string AWS returns equals the
//! document that was sent. Rules compare by protocol, ports, peer and description, never by
//! rule id alone.

use serde_json::{Value, json};

use crate::cloud::{Applied, write_resource};
use crate::model::{IngressRule, Method, PolicyText, Posture};
use crate::plan::{Change, MethodKey};
use crate::policy::equivalent;

/// The key of a method's authorizer in the value the drift check records for it (a rollback
/// reads it back to restore a CUSTOM or COGNITO_USER_POOLS method).
pub const AUTHORIZER_ID: &str = "authorizer_id";

/// What the drift check found for one change: the value read (in the shape of the change's
/// `expected` value) and, when it is not what the plan expects, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub resource: String,
    pub value: Value,
    pub drift: Option<String>,
}

/// Reads the target of `change` in `posture` and compares it with what the change expects.
pub fn drift(posture: &Posture, change: &Change) -> Found {
    let resource = write_resource(change);
    let (value, drift) = match read(posture, change) {
        Err(missing) => (Value::Null, Some(missing)),
        Ok(now) => {
            let drift = differs(posture, change, &now);
            (now.value(), drift)
        }
    };
    Found {
        resource,
        value,
        drift,
    }
}

/// Whether `change` (which AWS accepted with `applied`) holds in `posture`, read after it.
pub fn took_effect(posture: &Posture, change: &Change, applied: &Applied) -> Result<(), String> {
    let now = read(posture, change)?;
    let ok = match (change, &now) {
        (Change::SetMethodAuthorization { new, .. }, Now::Method(m)) => {
            &m.authorization_type == new
        }
        (Change::SetResourcePolicy { new, .. }, Now::Policy(p))
        | (Change::SetEndpointPolicy { new, .. }, Now::Policy(p)) => {
            let new = (!new.is_empty()).then_some(new.as_str());
            same_policy(p.map(PolicyText::raw), new)
        }
        (Change::AuthorizeIngress { .. } | Change::RestoreIngress { .. }, Now::Rules(rules)) => {
            match applied {
                Applied::RuleAdded { rule_id } => rules.iter().any(|r| &r.rule_id == rule_id),
                _ => change
                    .added_rule()
                    .is_some_and(|w| rules.iter().any(|r| r.same_traffic(&w))),
            }
        }
        (Change::RevokeIngress { expected, .. }, Now::Rules(rules)) => {
            !rules.iter().any(|r| r.rule_id == expected.rule_id)
        }
        (Change::RestoreStage { deployment_id, .. }, Now::Deployment(id)) => {
            id.as_ref() == Some(deployment_id)
        }
        (Change::Redeploy { .. }, Now::Deployment(id)) => match applied {
            Applied::Deployed { deployment_id } => id.as_deref() == Some(deployment_id.as_str()),
            _ => id.is_some(),
        },
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} does not show the change: {}",
            write_resource(change),
            now.describe()
        ))
    }
}

/// What `change` did, judged from `posture` read after a write whose reply was an error:
/// `Some` when the target holds the change's new value (so the write reached AWS), with
/// what AWS would have answered (the new rule's id, the stage's new deployment).
///
/// The drift check before the write found the target without that value, so finding it now
/// means the write was made.
pub fn effect(posture: &Posture, change: &Change) -> Option<Applied> {
    let now = read(posture, change).ok()?;
    match (change, &now) {
        (Change::AuthorizeIngress { .. } | Change::RestoreIngress { .. }, Now::Rules(rules)) => {
            let wanted = change.added_rule()?;
            rules
                .iter()
                .find(|r| r.same_traffic(&wanted) && r.description == wanted.description)
                .map(|r| Applied::RuleAdded {
                    rule_id: r.rule_id.clone(),
                })
        }
        (
            Change::Redeploy {
                expected_deployment_id,
                ..
            },
            Now::Deployment(Some(id)),
        ) => (Some(id) != expected_deployment_id.as_ref()).then(|| Applied::Deployed {
            deployment_id: id.clone(),
        }),
        (Change::Redeploy { .. }, _) => None,
        _ => took_effect(posture, change, &Applied::Done)
            .is_ok()
            .then_some(Applied::Done),
    }
}

/// The live value of a change's target.
enum Now<'a> {
    Method(&'a Method),
    Policy(Option<&'a PolicyText>),
    Rules(&'a [IngressRule]),
    Deployment(Option<String>),
}

impl Now<'_> {
    fn value(&self) -> Value {
        match self {
            Self::Method(m) => json!({
                "authorization_type": m.authorization_type.as_str(),
                (AUTHORIZER_ID): m.authorizer_id,
            }),
            Self::Policy(p) => p.map_or(Value::Null, |p| Value::String(p.raw().to_string())),
            Self::Rules(rules) => serde_json::to_value(rules).unwrap_or(Value::Null),
            Self::Deployment(id) => id.clone().map_or(Value::Null, Value::String),
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Method(m) => format!("authorization {}", m.authorization_type.as_str()),
            Self::Policy(None) => "no policy".into(),
            Self::Policy(Some(p)) => format!("policy {}", one_line(p.raw())),
            Self::Rules(rules) => format!("{} ingress rule(s)", rules.len()),
            Self::Deployment(None) => "no deployment".into(),
            Self::Deployment(Some(id)) => format!("deployment {id}"),
        }
    }
}

/// The target of `change` as `posture` has it, or why it is not there.
fn read<'a>(posture: &'a Posture, change: &Change) -> Result<Now<'a>, String> {
    match change {
        Change::SetMethodAuthorization { method, .. } => {
            find_method(posture, method).map(Now::Method)
        }
        Change::SetResourcePolicy { api_id, .. } => posture
            .api(api_id)
            .map(|a| Now::Policy(a.policy.as_ref()))
            .ok_or_else(|| gone(posture, api_id, "the API")),
        Change::SetEndpointPolicy { endpoint_id, .. } => posture
            .endpoint(endpoint_id)
            .map(|e| Now::Policy(e.policy.as_ref()))
            .ok_or_else(|| gone(posture, endpoint_id, "the VPC endpoint")),
        Change::AuthorizeIngress { group_id, .. }
        | Change::RestoreIngress { group_id, .. }
        | Change::RevokeIngress { group_id, .. } => {
            let group = posture
                .security_group(group_id)
                .ok_or_else(|| gone(posture, group_id, "the security group"))?;
            group
                .ingress
                .as_deref()
                .map(Now::Rules)
                .ok_or_else(|| unread(posture, group_id, "its ingress rules"))
        }
        Change::Redeploy { api_id, stage, .. } | Change::RestoreStage { api_id, stage, .. } => {
            let api = posture
                .api(api_id)
                .ok_or_else(|| gone(posture, api_id, "the API"))?;
            let stages = api
                .stages
                .as_ref()
                .ok_or_else(|| unread(posture, api_id, "its stages"))?;
            let stage = stages.iter().find(|s| &s.name == stage).ok_or_else(|| {
                format!(
                    "stage {stage} of {api_id} does not exist (a deployment to it would create it)"
                )
            })?;
            Ok(Now::Deployment(stage.deployment_id.clone()))
        }
    }
}

/// Why the live value is not the one the change expects, if it is not.
fn differs(posture: &Posture, change: &Change, now: &Now) -> Option<String> {
    let at = write_resource(change);
    match (change, now) {
        (Change::SetMethodAuthorization { expected, .. }, Now::Method(m)) => {
            (&m.authorization_type != expected).then(|| {
                format!(
                    "authorization is {} now, the plan expects {}",
                    m.authorization_type.as_str(),
                    expected.as_str()
                )
            })
        }
        (Change::SetResourcePolicy { expected, .. }, Now::Policy(p))
        | (Change::SetEndpointPolicy { expected, .. }, Now::Policy(p)) => {
            (!same_policy(p.map(PolicyText::raw), expected.as_deref())).then(|| {
                match (p, expected) {
                    (None, _) => "the policy was removed since the plan".to_string(),
                    (Some(_), None) => "a policy was set since the plan".to_string(),
                    (Some(_), Some(_)) => "the policy changed since the plan".to_string(),
                }
            })
        }
        (Change::AuthorizeIngress { .. } | Change::RestoreIngress { .. }, Now::Rules(rules)) => {
            let wanted = change.added_rule()?;
            rules.iter().find(|r| r.same_traffic(&wanted)).map(|r| {
                format!(
                    "a rule allowing {} from {} exists already ({})",
                    r.describe_ports(),
                    r.source.describe(),
                    r.rule_id
                )
            })
        }
        (Change::RevokeIngress { expected, .. }, Now::Rules(rules)) => {
            match rules.iter().find(|r| r.rule_id == expected.rule_id) {
                None => Some(format!("rule {} no longer exists", expected.rule_id)),
                Some(r) if !r.same_traffic(expected) || r.description != expected.description => {
                    Some(format!(
                        "rule {} changed since the plan: it allows {} from {}",
                        r.rule_id,
                        r.describe_ports(),
                        r.source.describe()
                    ))
                }
                Some(_) => None,
            }
        }
        (
            Change::Redeploy {
                expected_deployment_id,
                ..
            },
            Now::Deployment(id),
        ) => (id != expected_deployment_id).then(|| {
            format!(
                "the stage points at {} now, the plan expects {} (someone deployed since)",
                id.as_deref().unwrap_or("no deployment"),
                expected_deployment_id.as_deref().unwrap_or("no deployment")
            )
        }),
        (
            Change::RestoreStage {
                expected_deployment_id,
                ..
            },
            Now::Deployment(id),
        ) => (id.as_ref() != Some(expected_deployment_id)).then(|| {
            format!(
                "the stage points at {} now, the rollback expects {expected_deployment_id} (someone \
                 deployed since)",
                id.as_deref().unwrap_or("no deployment")
            )
        }),
        _ => Some(format!("{at}: {} in {}", now.describe(), posture.account)),
    }
}

/// Two policy texts (or their absence) say the same thing, normalised; texts that do not
/// parse compare as text.
pub fn same_policy(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let (pa, pb) = (PolicyText::new(a), PolicyText::new(b));
            match (pa.parsed(), pb.parsed()) {
                (Ok(x), Ok(y)) => equivalent(x, y, None),
                _ => a.trim() == b.trim(),
            }
        }
        _ => false,
    }
}

fn find_method<'a>(posture: &'a Posture, key: &MethodKey) -> Result<&'a Method, String> {
    let api = posture
        .api(&key.api_id)
        .ok_or_else(|| gone(posture, &key.api_id, "the API"))?;
    let resources = api
        .resources
        .as_ref()
        .ok_or_else(|| unread(posture, &key.api_id, "its resources"))?;
    resources
        .iter()
        .find(|r| r.id == key.resource_id)
        .and_then(|r| r.methods.iter().find(|m| m.http_method == key.http_method))
        .ok_or_else(|| {
            format!(
                "method {} {} (resource {}) of {} no longer exists",
                key.http_method, key.path, key.resource_id, key.api_id
            )
        })
}

/// A resource missing from the posture: gone, or not readable (then the gap says why).
fn gone(posture: &Posture, id: &str, what: &str) -> String {
    match posture.gaps_for(id).next() {
        Some(gap) => format!("{what} {id} could not be read: {}", gap.message),
        None => format!("{what} {id} no longer exists"),
    }
}

fn unread(posture: &Posture, id: &str, what: &str) -> String {
    match posture.gaps_for(id).next() {
        Some(gap) => format!("{what} of {id} could not be read: {}", gap.message),
        None => format!("{what} of {id} could not be read"),
    }
}

fn one_line(text: &str) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(79).collect::<String>())
    } else {
        text
    }
}
