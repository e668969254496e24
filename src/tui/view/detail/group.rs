//! The detail of a security group: its rules and who uses it.

use ratatui::text::{Line, Span};

use super::blocks::{self, field, note, section};
use crate::model::{RuleSource, SecurityGroup};
use crate::tui::state::Scanned;
use crate::tui::theme::Theme;

pub fn lines(data: &Scanned, g: &SecurityGroup, t: Theme) -> Vec<Line<'static>> {
    let p = &data.posture;
    let mut lines = vec![Line::from(vec![
        Span::styled(g.id.clone(), t.heading()),
        Span::raw("  "),
        Span::styled(g.name.clone(), t.value()),
    ])];
    lines.push(field("VPC", g.vpc_id.clone(), t));
    lines.push(field("owner", g.owner_id.to_string(), t));
    if !g.description.is_empty() {
        lines.push(field("description", g.description.clone(), t));
    }
    let endpoints: Vec<_> = p
        .endpoints
        .iter()
        .filter(|e| e.security_group_ids.contains(&g.id))
        .collect();
    let instances: Vec<String> = p
        .instances
        .iter()
        .filter(|i| i.security_group_ids.contains(&g.id))
        .map(|i| match &i.name {
            Some(n) => format!("{} ({n})", i.id),
            None => i.id.clone(),
        })
        .collect();
    let endpoint_ids: Vec<String> = endpoints.iter().map(|e| e.id.clone()).collect();
    lines.push(field("endpoints", blocks::list_or_none(&endpoint_ids), t));
    lines.push(field("instances", blocks::list_or_none(&instances), t));
    // Where members of this group may connect: rules of other groups that name it as source.
    let allowed_into: Vec<String> = p
        .security_groups
        .iter()
        .flat_map(|other| {
            other
                .ingress
                .iter()
                .flatten()
                .filter(|r| matches!(&r.source, RuleSource::Group { group_id, .. } if *group_id == g.id))
                .map(move |r| format!("{} ({}): {} by {}", other.id, other.name, r.describe_ports(), r.rule_id))
        })
        .collect();
    lines.push(field(
        "allowed into",
        blocks::list_or_none(&allowed_into),
        t,
    ));

    blocks::gaps(&mut lines, "COULD NOT BE READ", data.gaps_for(&g.id), t);

    section(&mut lines, "FINDINGS", t);
    if endpoints.is_empty() && data.group_findings(&g.id).next().is_none() {
        lines.push(note(
            "none: endpoint-sg judges the groups of execute-api endpoints; no endpoint uses this one",
            2,
            t,
        ));
    } else {
        blocks::findings(&mut lines, data.group_findings(&g.id), t);
    }

    section(&mut lines, "INGRESS RULES", t);
    blocks::rules(&mut lines, data, g, t);

    if !endpoints.is_empty() {
        blocks::callers(&mut lines, data, &[g.vpc_id.as_str()], t);
    }
    blocks::gaps(
        &mut lines,
        "COULD NOT BE READ (account-wide)",
        data.unattributed_gaps(),
        t,
    );
    lines
}
