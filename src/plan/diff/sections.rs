//! A step's changes as review sections: policies, methods, security-group rules, redeploys.

use super::DiffLine;
use super::policy::policy_lines;
use crate::model::{IngressRule, Posture};
use crate::plan::Change;
use crate::policy::ApiContext;

/// `orders (a1b2c3d4e5)`, or the bare id when the API is not in the posture.
pub fn api_label(posture: &Posture, api_id: &str) -> String {
    match posture.api(api_id) {
        Some(api) => format!("{} ({api_id})", api.name),
        None => api_id.to_string(),
    }
}

/// `sg-0a1a1a1a1a1a1a1a1 (service-a)`, or the bare id.
pub fn group_label(posture: &Posture, group_id: &str) -> String {
    match posture.security_group(group_id) {
        Some(g) if !g.name.is_empty() => format!("{group_id} ({})", g.name),
        _ => group_id.to_string(),
    }
}

/// The sections of a list of changes, each kind together, in the order of the changes.
pub fn changes(posture: &Posture, changes: &[Change]) -> Vec<DiffLine> {
    let mut lines = Vec::new();
    for change in changes {
        match change {
            Change::SetResourcePolicy {
                api_id,
                expected,
                new,
            } => {
                lines.push(DiffLine::Header(format!(
                    "Resource policy of {}",
                    api_label(posture, api_id)
                )));
                let api =
                    ApiContext::new(posture.region.as_str(), posture.account.as_str(), api_id);
                lines.extend(policy_lines(expected.as_deref(), new, Some(&api)));
            }
            Change::SetEndpointPolicy {
                endpoint_id,
                expected,
                new,
            } => {
                lines.push(DiffLine::Header(format!(
                    "Endpoint policy of {endpoint_id}"
                )));
                lines.extend(policy_lines(expected.as_deref(), new, None));
            }
            _ => {}
        }
    }
    lines.extend(methods(posture, changes));
    lines.extend(rules(posture, changes));
    lines.extend(redeploys(posture, changes));
    lines
}

/// The table of methods whose authorization changes: API, path, method, from -> to.
fn methods(posture: &Posture, changes: &[Change]) -> Vec<DiffLine> {
    let rows: Vec<[String; 4]> = changes
        .iter()
        .filter_map(|c| match c {
            Change::SetMethodAuthorization {
                method,
                expected,
                new,
                ..
            } => Some([
                api_label(posture, &method.api_id),
                method.path.clone(),
                method.http_method.clone(),
                format!("{} -> {}", expected.as_str(), new.as_str()),
            ]),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let header = [
        "API".to_string(),
        "path".to_string(),
        "method".to_string(),
        "authorization".to_string(),
    ];
    let mut widths = [0usize; 3];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: &[String; 4]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    let mut lines = vec![
        DiffLine::Header("Methods".into()),
        DiffLine::Context(line(&header)),
    ];
    lines.extend(rows.iter().map(|r| DiffLine::Changed(line(r))));
    lines
}

/// Per security group: the rules added, the rules removed, and the rules kept.
fn rules(posture: &Posture, changes: &[Change]) -> Vec<DiffLine> {
    let mut groups: Vec<&str> = Vec::new();
    for c in changes {
        if let Change::AuthorizeIngress { group_id, .. }
        | Change::RevokeIngress { group_id, .. }
        | Change::RestoreIngress { group_id, .. } = c
            && !groups.contains(&group_id.as_str())
        {
            groups.push(group_id);
        }
    }
    let mut lines = Vec::new();
    for group in groups {
        lines.push(DiffLine::Header(format!(
            "Ingress rules of {}",
            group_label(posture, group)
        )));
        let mut revoked: Vec<&str> = Vec::new();
        for c in changes {
            match c {
                Change::AuthorizeIngress {
                    group_id,
                    source_group_id,
                    port,
                    description,
                } if group_id == group => lines.push(DiffLine::Added(format!(
                    "tcp {port} from {source_group_id} ({description})"
                ))),
                Change::RestoreIngress { group_id, rule } if group_id == group => {
                    lines.push(DiffLine::Added(rule_row(rule)));
                }
                Change::RevokeIngress { group_id, expected } if group_id == group => {
                    revoked.push(&expected.rule_id);
                    lines.push(DiffLine::Removed(rule_row(expected)));
                }
                _ => {}
            }
        }
        let kept = posture
            .security_group(group)
            .and_then(|g| g.ingress.as_ref())
            .into_iter()
            .flatten()
            .filter(|r| !revoked.contains(&r.rule_id.as_str()));
        lines.extend(kept.map(|r| DiffLine::Context(rule_row(r))));
    }
    lines
}

/// `tcp 443 from 0.0.0.0/0 (sgr-...)`, with the rule's description when it has one.
fn rule_row(rule: &IngressRule) -> String {
    let mut row = format!(
        "{} from {} ({}",
        rule.describe_ports(),
        rule.source.describe(),
        rule.rule_id
    );
    if let Some(d) = rule.description.as_deref().filter(|d| !d.is_empty()) {
        row.push_str(", ");
        row.push_str(d);
    }
    row.push(')');
    row
}

/// One line per stage redeployed.
fn redeploys(posture: &Posture, changes: &[Change]) -> Vec<DiffLine> {
    let rows: Vec<DiffLine> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Redeploy {
                api_id,
                stage,
                expected_deployment_id,
                ..
            } => {
                let now = expected_deployment_id
                    .as_deref()
                    .map_or_else(|| "no deployment yet".to_string(), |d| format!("now {d}"));
                Some(DiffLine::Added(format!(
                    "new deployment of stage {stage} of {} ({now})",
                    api_label(posture, api_id)
                )))
            }
            Change::RestoreStage {
                api_id,
                stage,
                expected_deployment_id,
                deployment_id,
            } => Some(DiffLine::Changed(format!(
                "stage {stage} of {}: deployment {expected_deployment_id} -> {deployment_id}",
                api_label(posture, api_id)
            ))),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return rows;
    }
    let mut lines = vec![DiffLine::Header("Redeploys".into())];
    lines.extend(rows);
    lines
}
