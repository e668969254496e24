//! The `endpoint-sg` planner: admit tcp 443 from each caller group, then revoke the broad
//! rules by id. Every revoke comes with a rule for every chosen caller group (planned or
//! already there); authorizes come first, so no window opens with no access.

use super::HTTPS;
use crate::model::{IngressRule, Posture, RuleSource, SecurityGroup};
use crate::plan::{Change, Inputs, StepPlan, StepState};
use crate::steps::Control;

/// The plan for the security groups of the endpoints in `inputs.endpoint_ids`, admitting
/// `inputs.caller_groups`.
pub(crate) fn plan(posture: &Posture, inputs: &Inputs) -> StepPlan {
    let mut acc = Acc::default();
    let callers = unique(&inputs.caller_groups);
    let groups = endpoint_groups(posture, inputs, &mut acc);
    if groups.is_empty() && acc.blocked.is_empty() {
        return StepPlan::nothing_to_do(
            Control::EndpointSg,
            "no VPC endpoint in scope: no endpoint security group to harden",
        );
    }
    for (group_id, endpoints) in &groups {
        match posture.security_group(group_id) {
            Some(group) => plan_group(posture, group, endpoints, &callers, &mut acc),
            None => acc.blocked.push(format!(
                "security group {group_id} of {} could not be read: ztharden cannot tell which \
                 rules to revoke",
                endpoints.join(", ")
            )),
        }
    }
    acc.into_step()
}

#[derive(Default)]
struct Acc {
    authorizes: Vec<Change>,
    revokes: Vec<Change>,
    warnings: Vec<String>,
    blocked: Vec<String>,
    /// Per group, why nothing changes there.
    unchanged: Vec<String>,
}

impl Acc {
    fn into_step(mut self) -> StepPlan {
        let state = if !self.blocked.is_empty() {
            StepState::Blocked(self.blocked.join("; "))
        } else if self.authorizes.is_empty() && self.revokes.is_empty() {
            StepState::NothingToDo(self.unchanged.join("; "))
        } else {
            StepState::Ready
        };
        let changes = if state == StepState::Ready {
            self.authorizes.append(&mut self.revokes);
            self.authorizes
        } else {
            Vec::new()
        };
        StepPlan {
            control: Control::EndpointSg,
            changes,
            state,
            warnings: self.warnings,
            guidance: Vec::new(),
            verdicts: Vec::new(),
        }
    }
}

/// Each security group of the endpoints in scope, once, with the endpoints in scope using it.
fn endpoint_groups(
    posture: &Posture,
    inputs: &Inputs,
    acc: &mut Acc,
) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for id in unique(&inputs.endpoint_ids) {
        let Some(endpoint) = posture.endpoint(id) else {
            acc.blocked.push(format!(
                "VPC endpoint {id} is not in account {} in {}",
                posture.account, posture.region
            ));
            continue;
        };
        for group_id in &endpoint.security_group_ids {
            match groups.iter_mut().find(|(g, _)| g == group_id) {
                Some((_, users)) => users.push(endpoint.id.clone()),
                None => groups.push((group_id.clone(), vec![endpoint.id.clone()])),
            }
        }
    }
    groups
}

fn plan_group(
    posture: &Posture,
    group: &SecurityGroup,
    endpoints: &[String],
    callers: &[&String],
    acc: &mut Acc,
) {
    let gid = &group.id;
    let Some(rules) = &group.ingress else {
        let why = posture
            .gaps_for(gid)
            .map(|g| g.message.clone())
            .next()
            .unwrap_or_else(|| "not read".to_string());
        acc.blocked.push(format!(
            "the rules of {gid} could not be read ({why}): ztharden cannot tell which to revoke"
        ));
        return;
    };
    let https: Vec<&IngressRule> = rules.iter().filter(|r| r.admits_tcp(HTTPS)).collect();
    let broad: Vec<&IngressRule> = https
        .iter()
        .copied()
        .filter(|r| !matches!(r.source, RuleSource::Group { .. }))
        .collect();
    let referenced: Vec<&String> = https
        .iter()
        .filter_map(|r| match &r.source {
            RuleSource::Group { group_id, .. } => Some(group_id),
            _ => None,
        })
        .collect();
    if callers.is_empty() {
        if !broad.is_empty() {
            acc.blocked.push(format!(
                "no caller security group: revoking {} of {gid} would cut every caller off; pass \
                 --caller-sg",
                rule_ids(&broad)
            ));
        } else if referenced.is_empty() {
            acc.blocked.push(format!(
                "{gid} admits no HTTPS at all and no caller security group is given: pass \
                 --caller-sg"
            ));
        } else {
            acc.unchanged.push(only_groups(gid, &referenced));
        }
        return;
    }
    let adds: Vec<&String> = callers
        .iter()
        .copied()
        .filter(|c| !referenced.contains(c))
        .collect();
    for caller in &adds {
        acc.authorizes.push(Change::AuthorizeIngress {
            group_id: gid.clone(),
            source_group_id: caller.to_string(),
            port: HTTPS,
            description: description(posture, caller),
        });
    }
    for rule in &broad {
        acc.revokes.push(Change::RevokeIngress {
            group_id: gid.clone(),
            expected: (*rule).clone(),
        });
    }
    warn(posture, group, endpoints, callers, &broad, &referenced, acc);
    if adds.is_empty() && broad.is_empty() {
        acc.unchanged.push(only_groups(gid, &referenced));
    }
}

/// What the operator should know: wider rules closed, other sources kept, shared groups, and
/// the instances that lose access.
fn warn(
    posture: &Posture,
    group: &SecurityGroup,
    endpoints: &[String],
    callers: &[&String],
    broad: &[&IngressRule],
    referenced: &[&String],
    acc: &mut Acc,
) {
    let gid = &group.id;
    for rule in broad {
        if rule.is_all_traffic() || rule.from_port != Some(HTTPS) || rule.to_port != Some(HTTPS) {
            acc.warnings.push(format!(
                "revoking {} ({} from {}) also closes its other ports on {gid}; the endpoint \
                 serves only HTTPS",
                rule.rule_id,
                rule.describe_ports(),
                rule.source.describe()
            ));
        }
    }
    let others: Vec<&str> = referenced
        .iter()
        .filter(|g| !callers.contains(g))
        .map(|g| g.as_str())
        .collect();
    if !others.is_empty() {
        acc.warnings.push(format!(
            "{gid} also admits HTTPS from {} (not a chosen caller): kept",
            others.join(", ")
        ));
    }
    let other_endpoints: Vec<&str> = posture
        .endpoints
        .iter()
        .filter(|e| e.security_group_ids.contains(gid) && !endpoints.contains(&e.id))
        .map(|e| e.id.as_str())
        .collect();
    if !other_endpoints.is_empty() {
        acc.warnings.push(format!(
            "{gid} is also the group of {}: its rules change for them too",
            other_endpoints.join(", ")
        ));
    }
    let members: Vec<String> = posture
        .instances
        .iter()
        .filter(|i| i.security_group_ids.contains(gid))
        .map(|i| i.name.clone().unwrap_or_else(|| i.id.clone()))
        .collect();
    if !members.is_empty() {
        acc.warnings.push(format!(
            "{gid} is also used by instances {}: their inbound rules change too",
            members.join(", ")
        ));
    }
    if !broad.is_empty() {
        cut_off(posture, gid, endpoints, callers, broad, referenced, acc);
    }
}

/// The instances in the endpoints' VPCs that no admitted group covers once the broad rules go.
fn cut_off(
    posture: &Posture,
    gid: &str,
    endpoints: &[String],
    callers: &[&String],
    broad: &[&IngressRule],
    referenced: &[&String],
    acc: &mut Acc,
) {
    let admitted = |g: &String| callers.contains(&g) || referenced.contains(&g);
    let mut vpcs: Vec<&str> = endpoints
        .iter()
        .filter_map(|e| posture.endpoint(e))
        .map(|e| e.vpc_id.as_str())
        .collect();
    vpcs.sort();
    vpcs.dedup();
    let lost: Vec<String> = vpcs
        .iter()
        .flat_map(|v| posture.instances_in(v))
        .filter(|i| !matches!(i.state.as_deref(), Some("terminated" | "shutting-down")))
        .filter(|i| !i.security_group_ids.iter().any(admitted))
        .map(|i| {
            let name = i.name.as_deref().unwrap_or(&i.id);
            format!("{name} ({}, {})", i.id, i.security_group_ids.join(", "))
        })
        .collect();
    let ids = rule_ids(broad);
    let is = if broad.len() == 1 { "is" } else { "are" };
    if !lost.is_empty() {
        acc.warnings.push(format!(
            "once {ids} of {gid} {is} revoked, these instances can no longer reach {}: {}; add \
             their groups with --caller-sg if they call the APIs",
            endpoints.join(", "),
            lost.join(", ")
        ));
    }
    acc.warnings.push(format!(
        "anything else that reaches {} by address (Lambda functions, containers, peered \
         networks, VPN) loses HTTPS access once {ids} {is} revoked, unless its group is admitted",
        endpoints.join(", ")
    ));
}

/// `HTTPS from NAME (ztharden)`, in the characters AWS accepts in a rule description.
fn description(posture: &Posture, caller: &str) -> String {
    let name = posture
        .security_group(caller)
        .map(|g| g.name.as_str())
        .filter(|n| !n.is_empty())
        .unwrap_or(caller);
    let text = format!("HTTPS from {name} (ztharden)");
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(*c))
        .take(255)
        .collect()
}

fn only_groups(gid: &str, referenced: &[&String]) -> String {
    let names: Vec<&str> = referenced.iter().map(|g| g.as_str()).collect();
    format!(
        "{gid} admits HTTPS only from security groups {}",
        names.join(", ")
    )
}

fn rule_ids(rules: &[&IngressRule]) -> String {
    let ids: Vec<&str> = rules.iter().map(|r| r.rule_id.as_str()).collect();
    ids.join(", ")
}

fn unique(values: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}
