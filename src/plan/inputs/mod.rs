//! What a plan is made for: the target APIs and endpoints, and the callers whose access must
//! survive. Inferred from the posture, overridable by the operator.

mod callers;
mod validate;

pub use callers::{CallerSuggestion, suggest_callers};
pub use validate::InputError;

use serde::{Deserialize, Serialize};

use super::MethodKey;
use crate::model::{AuthorizationType, Posture};

/// How the notes about inferred callers begin (replaced when the operator gives callers).
const ROLES_NOTE: &str = "caller roles";
const GROUPS_NOTE: &str = "caller groups";

/// The inputs of a plan. Every id is filled in; none is a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Inputs {
    /// The APIs in scope.
    pub api_ids: Vec<String>,
    /// The VPC endpoints the callers come through.
    pub endpoint_ids: Vec<String>,
    /// The callers' role ARNs (`arn:aws:iam::ACCOUNT:role/NAME`).
    pub caller_roles: Vec<String>,
    /// The callers' security groups.
    pub caller_groups: Vec<String>,
    /// `iam-auth`: the methods to sign; `None` means every `NONE` method except CORS preflight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<MethodKey>>,
    /// `endpoint-policy`: APIs behind the endpoints that the operator takes out of scope.
    #[serde(default)]
    pub excluded_apis: Vec<String>,
    /// What was inferred rather than given, in plain words (shown with the plan).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Inputs {
    /// The inputs for a target, everything the operator did not give inferred from the posture.
    ///
    /// The target is the APIs in `api_ids`; else every API behind the endpoints in
    /// `endpoint_ids`; else (both empty) every API of the account. Endpoints not given come
    /// from the APIs' `vpcEndpointIds` (only those this account has). Callers are the likely
    /// ones among [`suggest_callers`]: running, with a role, in a group of their own.
    pub fn infer(posture: &Posture, api_ids: &[String], endpoint_ids: &[String]) -> Inputs {
        let mut notes = Vec::new();
        let api_ids = if !api_ids.is_empty() {
            unique(api_ids.iter().cloned())
        } else if !endpoint_ids.is_empty() {
            let ids = unique(
                posture
                    .apis
                    .iter()
                    .filter(|a| a.vpc_endpoint_ids.iter().any(|e| endpoint_ids.contains(e)))
                    .map(|a| a.id.clone()),
            );
            notes.push(format!(
                "APIs behind {}: {}",
                endpoint_ids.join(", "),
                or_none(&api_names(posture, &ids))
            ));
            ids
        } else {
            let ids: Vec<String> = posture.apis.iter().map(|a| a.id.clone()).collect();
            notes.push(format!(
                "every API of account {} in {}: {}",
                posture.account,
                posture.region,
                or_none(&api_names(posture, &ids))
            ));
            ids
        };
        let endpoint_ids = if !endpoint_ids.is_empty() {
            unique(endpoint_ids.iter().cloned())
        } else {
            infer_endpoints(posture, &api_ids, &mut notes)
        };
        let mut inputs = Inputs {
            api_ids,
            endpoint_ids,
            notes,
            ..Inputs::default()
        };
        inputs.infer_callers(posture);
        inputs
    }

    /// Replaces the inferred caller roles (when `roles` is not empty) and groups (when
    /// `groups` is not empty) by the operator's, and says so in the notes.
    pub fn override_callers(&mut self, roles: &[String], groups: &[String]) {
        if !roles.is_empty() {
            self.caller_roles = unique(roles.iter().cloned());
            self.notes.retain(|n| !n.starts_with(ROLES_NOTE));
            self.notes.push(format!(
                "{ROLES_NOTE} given: {}",
                self.caller_roles.join(", ")
            ));
        }
        if !groups.is_empty() {
            self.caller_groups = unique(groups.iter().cloned());
            self.notes.retain(|n| !n.starts_with(GROUPS_NOTE));
            self.notes.push(format!(
                "{GROUPS_NOTE} given: {}",
                self.caller_groups.join(", ")
            ));
        }
    }

    /// The methods `iam-auth` signs: the operator's selection (`methods`) within the APIs in
    /// scope, or by default every `NONE` method of those APIs except `OPTIONS` (CORS
    /// preflight, which browsers cannot sign). Posture order; unknown methods left out.
    pub fn selected_methods(&self, posture: &Posture) -> Vec<MethodKey> {
        let mut out = Vec::new();
        for api in posture.apis.iter().filter(|a| self.api_ids.contains(&a.id)) {
            for (resource, method) in api.methods() {
                let key = MethodKey {
                    api_id: api.id.clone(),
                    resource_id: resource.id.clone(),
                    path: resource.path.clone(),
                    http_method: method.http_method.clone(),
                };
                let selected = match &self.methods {
                    Some(chosen) => chosen.iter().any(|k| same_method(k, &key)),
                    None => {
                        method.authorization_type == AuthorizationType::None
                            && method.http_method != "OPTIONS"
                    }
                };
                if selected {
                    out.push(key);
                }
            }
        }
        out
    }

    fn infer_callers(&mut self, posture: &Posture) {
        let suggestions = suggest_callers(posture, &self.endpoint_ids);
        let likely: Vec<&CallerSuggestion> = suggestions.iter().filter(|s| s.likely).collect();
        self.caller_roles = unique(likely.iter().filter_map(|s| s.role_arn.clone()));
        self.caller_groups = unique(likely.iter().flat_map(|s| s.group_ids.iter().cloned()));
        let vpcs = unique(
            self.endpoint_ids
                .iter()
                .filter_map(|id| posture.endpoint(id))
                .map(|e| e.vpc_id.clone()),
        );
        if vpcs.is_empty() {
            return;
        }
        let place = format!("instances in {}", vpcs.join(", "));
        if likely.is_empty() {
            self.notes.push(format!(
                "no likely caller among the {place} (running, with an instance role, in a group \
                 of its own): pass --caller-role and --caller-sg"
            ));
            return;
        }
        let roles: Vec<String> = likely
            .iter()
            .filter_map(|s| s.role_arn.as_ref().map(|r| format!("{} ({r})", s.label())))
            .collect();
        let groups: Vec<String> = likely
            .iter()
            .map(|s| format!("{} ({})", s.label(), s.group_ids.join(", ")))
            .collect();
        self.notes.push(format!(
            "{ROLES_NOTE} inferred from {place}: {}",
            roles.join(", ")
        ));
        self.notes.push(format!(
            "{GROUPS_NOTE} inferred from {place}: {}",
            groups.join(", ")
        ));
    }
}

/// The endpoints of this account attached to the APIs; endpoints of other accounts are noted.
fn infer_endpoints(posture: &Posture, api_ids: &[String], notes: &mut Vec<String>) -> Vec<String> {
    let apis: Vec<_> = api_ids.iter().filter_map(|id| posture.api(id)).collect();
    let mut ids: Vec<String> = apis
        .iter()
        .flat_map(|a| posture.endpoints_of(a))
        .map(|e| e.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    for api in &apis {
        let foreign: Vec<&str> = api
            .vpc_endpoint_ids
            .iter()
            .filter(|e| posture.endpoint(e).is_none())
            .map(String::as_str)
            .collect();
        if !foreign.is_empty() {
            notes.push(format!(
                "{} also lists {}, not an endpoint of this account and region: left out",
                api.name,
                foreign.join(", ")
            ));
        }
    }
    if !ids.is_empty() {
        notes.push(format!(
            "endpoints from the APIs' vpcEndpointIds: {}",
            ids.join(", ")
        ));
    }
    ids
}

/// Same method: by resource id and verb (the path is for people).
fn same_method(a: &MethodKey, b: &MethodKey) -> bool {
    a.api_id == b.api_id && a.resource_id == b.resource_id && a.http_method == b.http_method
}

fn api_names(posture: &Posture, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| match posture.api(id) {
            Some(api) => format!("{} ({id})", api.name),
            None => id.clone(),
        })
        .collect()
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// The values in first-seen order, without repeats.
fn unique(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests;
