//! Likely callers of an endpoint: the instances in its VPC, with their roles and groups.

use serde::{Deserialize, Serialize};

use crate::model::{Instance, Posture};

/// An instance that may call the APIs through the endpoints, as offered to the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerSuggestion {
    pub instance_id: String,
    pub name: Option<String>,
    /// The role of its instance profile, when it has one and it could be read.
    pub role_arn: Option<String>,
    /// Its security groups, the endpoints' own groups left out.
    pub group_ids: Vec<String>,
    /// Why it is suggested (or ranked low), in plain words.
    pub why: String,
    /// Running, with a role, in a group of its own: chosen by default.
    pub likely: bool,
}

impl CallerSuggestion {
    /// The name, or the instance id when it has none.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.instance_id)
    }
}

/// The instances in the VPCs of these endpoints, most likely callers first.
///
/// Order: running before pending or unknown, before stopped; then with a role before
/// without; then with a group of its own before only the endpoint's group; then by name
/// (or id when unnamed), then id. Terminated and shutting-down instances are left out.
pub fn suggest_callers(posture: &Posture, endpoint_ids: &[String]) -> Vec<CallerSuggestion> {
    let endpoints: Vec<_> = endpoint_ids
        .iter()
        .filter_map(|id| posture.endpoint(id))
        .collect();
    let endpoint_groups: Vec<&String> = endpoints
        .iter()
        .flat_map(|e| e.security_group_ids.iter())
        .collect();
    let mut vpcs: Vec<&str> = endpoints.iter().map(|e| e.vpc_id.as_str()).collect();
    vpcs.sort();
    vpcs.dedup();
    let mut ranked: Vec<((u8, bool, bool), CallerSuggestion)> = vpcs
        .iter()
        .flat_map(|vpc| posture.instances_in(vpc))
        .filter(|i| !matches!(i.state.as_deref(), Some("terminated" | "shutting-down")))
        .map(|i| {
            let group_ids: Vec<String> = i
                .security_group_ids
                .iter()
                .filter(|g| !endpoint_groups.contains(g))
                .cloned()
                .collect();
            let state = state_rank(i.state.as_deref());
            let rank = (state, i.role_arn.is_none(), group_ids.is_empty());
            let suggestion = CallerSuggestion {
                instance_id: i.id.clone(),
                name: i.name.clone(),
                role_arn: i.role_arn.clone(),
                why: why(posture, i, &group_ids),
                likely: rank == (0, false, false),
                group_ids,
            };
            (rank, suggestion)
        })
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        (ra, a.label(), &a.instance_id).cmp(&(rb, b.label(), &b.instance_id))
    });
    ranked.into_iter().map(|(_, s)| s).collect()
}

fn state_rank(state: Option<&str>) -> u8 {
    match state {
        Some("running") => 0,
        Some("pending") | None => 1,
        _ => 2,
    }
}

fn why(posture: &Posture, instance: &Instance, group_ids: &[String]) -> String {
    let state = match instance.state.as_deref() {
        Some("running") => "running".to_string(),
        Some(other) => format!("{other} (not calling now)"),
        None => "state unknown".to_string(),
    };
    let role = match (&instance.role_arn, &instance.instance_profile_arn) {
        (Some(role), _) => format!("role {}", role.rsplit('/').next().unwrap_or(role)),
        (None, Some(profile)) => {
            format!("the role of {profile} could not be read: give it with --caller-role")
        }
        (None, None) => "no instance role: it cannot sign requests".to_string(),
    };
    let groups = if group_ids.is_empty() {
        "only in the endpoint's own group: give its group with --caller-sg".to_string()
    } else {
        let named: Vec<String> = group_ids
            .iter()
            .map(|g| match posture.security_group(g) {
                Some(sg) if !sg.name.is_empty() => format!("{g} ({})", sg.name),
                _ => g.clone(),
            })
            .collect();
        format!("group {}", named.join(", "))
    };
    format!("{state} in {}; {role}; {groups}", instance.vpc_id)
}
