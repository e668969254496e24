//! Pieces shared by the detail of APIs, endpoints and groups.

use ratatui::text::{Line, Span};

use crate::model::{Instance, PolicyText, ReadGap, SecurityGroup, VpcEndpoint};
use crate::steps::Finding;
use crate::tui::state::Scanned;
use crate::tui::theme::Theme;

/// Lines of raw policy text shown under a parse error.
const RAW_LINES: usize = 12;

/// A blank line and a section heading.
pub fn section(lines: &mut Vec<Line<'static>>, title: impl Into<String>, t: Theme) {
    lines.push(Line::raw(""));
    lines.push(Line::styled(title.into(), t.heading()));
}

/// `  label       value`
pub fn field(label: &str, value: impl Into<String>, t: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label:<14}"), t.label()),
        Span::raw(value.into()),
    ])
}

/// A dim note, indented.
pub fn note(text: impl Into<String>, indent: usize, t: Theme) -> Line<'static> {
    Line::styled(format!("{}{}", " ".repeat(indent), text.into()), t.dim())
}

/// Every finding with its status badge, control, subject and reason.
pub fn findings<'a>(
    lines: &mut Vec<Line<'static>>,
    findings: impl IntoIterator<Item = &'a Finding>,
    t: Theme,
) {
    let before = lines.len();
    for f in findings {
        let badge = t.badge(Some(f.status));
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(format!("{:<4}", badge.content), badge.style),
            Span::raw("  "),
            Span::styled(format!("{:<15}", f.control.id()), t.label()),
            Span::raw("  "),
        ];
        // Name the subject unless the reason already does.
        let subject = subject(f);
        if !f.reason.contains(&subject) {
            spans.push(Span::styled(subject, t.value()));
            spans.push(Span::raw(": "));
        }
        spans.push(Span::raw(f.reason.clone()));
        lines.push(Line::from(spans));
    }
    if lines.len() == before {
        lines.push(note("no findings", 2, t));
    }
}

/// What a finding is about, in a few words.
fn subject(f: &Finding) -> String {
    match (&f.http_method, &f.path) {
        (Some(m), Some(p)) => format!("{m} {p}"),
        _ => f
            .security_group_id
            .clone()
            .or_else(|| f.vpc_endpoint_id.clone())
            .or_else(|| f.api_name.clone())
            .unwrap_or_else(|| f.resource_arn.clone()),
    }
}

/// A policy, pretty-printed, or why it cannot be shown.
pub fn policy(
    lines: &mut Vec<Line<'static>>,
    text: Option<&PolicyText>,
    missing: &str,
    indent: usize,
    t: Theme,
) {
    let pad = " ".repeat(indent);
    let Some(text) = text else {
        lines.push(note(missing, indent, t));
        return;
    };
    match text.parsed() {
        Ok(policy) => {
            for l in policy.to_pretty_json().lines() {
                lines.push(Line::raw(format!("{pad}{l}")));
            }
        }
        Err(e) => {
            lines.push(Line::styled(
                format!("{pad}malformed policy: {e}"),
                t.error(),
            ));
            lines.push(note("as read:", indent, t));
            let raw: Vec<&str> = text.raw().lines().collect();
            for l in raw.iter().take(RAW_LINES) {
                lines.push(Line::raw(format!("{pad}  {l}")));
            }
            if raw.len() > RAW_LINES {
                lines.push(note(
                    format!("… {} more lines", raw.len() - RAW_LINES),
                    indent + 2,
                    t,
                ));
            }
        }
    }
}

/// The ingress rules of a group, one per line.
pub fn rules(lines: &mut Vec<Line<'static>>, data: &Scanned, group: &SecurityGroup, t: Theme) {
    let Some(rules) = &group.ingress else {
        lines.push(Line::styled(
            "  ingress rules could not be read (see read gaps)",
            t.warn(),
        ));
        return;
    };
    if rules.is_empty() {
        lines.push(note("no ingress rules", 2, t));
        return;
    }
    let rows: Vec<[String; 4]> = rules
        .iter()
        .map(|r| {
            let source = match &r.source {
                crate::model::RuleSource::Group { group_id, .. } => {
                    match data.posture.security_group(group_id) {
                        Some(g) => format!("{group_id} ({})", g.name),
                        None => group_id.clone(),
                    }
                }
                other => other.describe(),
            };
            [
                r.rule_id.clone(),
                r.describe_ports(),
                source,
                r.description.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    // Columns as wide as their longest value, so that the table fits narrow panes.
    let header = ["RULE ID", "PROTOCOL/PORTS", "SOURCE", "DESCRIPTION"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    lines.push(Line::styled(
        format!(
            "  {:<w0$}  {:<w1$}  {:<w2$}  {}",
            header[0], header[1], header[2], header[3]
        ),
        t.label(),
    ));
    for [id, ports, source, description] in rows {
        lines.push(Line::raw(format!(
            "  {id:<w0$}  {ports:<w1$}  {source:<w2$}  {description}"
        )));
    }
}

/// An endpoint's settings (without its policy and groups).
pub fn endpoint_settings(
    lines: &mut Vec<Line<'static>>,
    data: &Scanned,
    e: &VpcEndpoint,
    t: Theme,
) {
    let vpc = match data.posture.vpc(&e.vpc_id) {
        Some(v) if !v.cidr_blocks.is_empty() || !v.ipv6_cidr_blocks.is_empty() => {
            let cidrs: Vec<&str> = v
                .cidr_blocks
                .iter()
                .chain(&v.ipv6_cidr_blocks)
                .map(String::as_str)
                .collect();
            format!("{} ({})", e.vpc_id, cidrs.join(", "))
        }
        _ => e.vpc_id.clone(),
    };
    lines.push(field("VPC", vpc, t));
    lines.push(field("subnets", list_or_none(&e.subnet_ids), t));
    lines.push(field(
        "private DNS",
        if e.private_dns_enabled {
            "enabled"
        } else {
            "disabled"
        },
        t,
    ));
    lines.push(field("state", e.state.as_deref().unwrap_or("unknown"), t));
    lines.push(field("service", e.service_name.clone(), t));
    lines.push(field("owner", e.owner_id.to_string(), t));
    let apis: Vec<String> = data
        .posture
        .apis_behind(&e.id)
        .map(|a| format!("{} ({})", a.name, a.id))
        .collect();
    lines.push(field("APIs via it", list_or_none(&apis), t));
}

/// One section per security group of an endpoint, with its rules.
pub fn endpoint_groups(lines: &mut Vec<Line<'static>>, data: &Scanned, e: &VpcEndpoint, t: Theme) {
    if e.security_group_ids.is_empty() {
        section(lines, format!("SECURITY GROUPS of {}", e.id), t);
        lines.push(note("none", 2, t));
    }
    for id in &e.security_group_ids {
        match data.posture.security_group(id) {
            Some(g) => {
                section(
                    lines,
                    format!("SECURITY GROUP {} ({}) of {}", g.id, g.name, e.id),
                    t,
                );
                rules(lines, data, g, t);
            }
            None => {
                section(lines, format!("SECURITY GROUP {id} of {}", e.id), t);
                lines.push(Line::styled("  not read (see read gaps)", t.warn()));
            }
        }
    }
}

/// The instances in some VPCs, with their groups and roles: who is likely to call.
pub fn callers(lines: &mut Vec<Line<'static>>, data: &Scanned, vpc_ids: &[&str], t: Theme) {
    let mut vpcs: Vec<&str> = vpc_ids.to_vec();
    vpcs.sort_unstable();
    vpcs.dedup();
    section(
        lines,
        format!("LIKELY CALLERS (instances in {})", vpcs.join(", ")),
        t,
    );
    let instances: Vec<&Instance> = vpcs
        .iter()
        .flat_map(|v| data.posture.instances_in(v))
        .collect();
    if instances.is_empty() {
        lines.push(note("no instances found", 2, t));
    }
    for i in instances {
        let mut head = vec![Span::raw("  "), Span::styled(i.id.clone(), t.value())];
        if let Some(name) = &i.name {
            head.push(Span::raw(format!("  {name}")));
        }
        let mut facts = Vec::new();
        facts.extend(i.state.clone());
        facts.extend(i.subnet_id.clone());
        if !facts.is_empty() {
            head.push(Span::styled(format!("  {}", facts.join(" · ")), t.dim()));
        }
        lines.push(Line::from(head));
        let groups: Vec<String> = i
            .security_group_ids
            .iter()
            .map(|g| match data.posture.security_group(g) {
                Some(sg) => format!("{g} ({})", sg.name),
                None => g.clone(),
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled("      groups ", t.label()),
            Span::raw(list_or_none(&groups)),
        ]));
        let role = match (&i.role_arn, &i.instance_profile_arn) {
            (Some(role), _) => role.clone(),
            (None, Some(profile)) => format!("unknown (instance profile {profile})"),
            (None, None) => "none (no instance profile)".to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled("      role   ", t.label()),
            Span::raw(role),
        ]));
    }
}

/// Read gaps, each with the operation that failed and what to do.
pub fn gaps<'a>(
    lines: &mut Vec<Line<'static>>,
    title: &str,
    gaps: impl IntoIterator<Item = &'a ReadGap>,
    t: Theme,
) {
    let gaps: Vec<&ReadGap> = gaps.into_iter().collect();
    if gaps.is_empty() {
        return;
    }
    section(lines, title, t);
    for g in gaps {
        lines.push(Line::styled(
            format!("  ! {}: {} failed: {}", g.resource, g.operation, g.message),
            t.warn(),
        ));
    }
}

pub fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}
