//! `endpoint-sg`: the endpoint's security groups admit HTTPS only from the callers' groups.

mod plan;

pub(crate) use plan::plan;

use super::{Control, Finding, Status};
use crate::model::{IngressRule, Posture, RuleSource, SecurityGroup};

const HTTPS: i32 = 443;

pub fn assess(posture: &Posture) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for endpoint in &posture.endpoints {
        for group_id in &endpoint.security_group_ids {
            if seen.contains(&group_id.as_str()) {
                continue;
            }
            seen.push(group_id);
            let finding = match posture.security_group(group_id) {
                Some(group) => judge(posture, group),
                None => Finding::new(
                    Control::EndpointSg,
                    Status::Warn,
                    format!(
                        "arn:{}:ec2:{}:{}:security-group/{}",
                        posture.region.partition(),
                        posture.region,
                        endpoint.owner_id,
                        group_id
                    ),
                    format!("{group_id} could not be read: not judged"),
                ),
            };
            findings.push(finding.endpoint(&endpoint.id).security_group(group_id));
        }
    }
    findings
}

fn judge(posture: &Posture, group: &SecurityGroup) -> Finding {
    let arn = group.arn(&posture.region);
    let Some(rules) = &group.ingress else {
        let why = posture
            .gaps_for(&group.id)
            .map(|g| g.message.clone())
            .next()
            .unwrap_or_else(|| "not read".to_string());
        return Finding::new(
            Control::EndpointSg,
            Status::Warn,
            arn,
            format!(
                "rules of {} could not be read ({why}): not judged",
                group.id
            ),
        );
    };
    let https: Vec<&IngressRule> = rules.iter().filter(|r| r.admits_tcp(HTTPS)).collect();
    let vpc_cidrs: Vec<&String> = posture
        .vpc(&group.vpc_id)
        .map(|v| v.cidr_blocks.iter().chain(&v.ipv6_cidr_blocks).collect())
        .unwrap_or_default();
    let describe = |r: &IngressRule| {
        let whole_vpc = match &r.source {
            RuleSource::Ipv4(c) | RuleSource::Ipv6(c) if vpc_cidrs.contains(&c) => {
                " (the whole VPC)"
            }
            _ => "",
        };
        format!(
            "{} from {}{} ({})",
            r.describe_ports(),
            r.source.describe(),
            whole_vpc,
            r.rule_id
        )
    };
    let open: Vec<String> = https
        .iter()
        .filter(|r| r.source.is_anywhere())
        .map(|r| describe(r))
        .collect();
    if !open.is_empty() {
        return Finding::new(
            Control::EndpointSg,
            Status::Fail,
            arn,
            format!(
                "{} is open to the internet: {}; allow tcp 443 only from the callers' security groups",
                group.id,
                open.join(", ")
            ),
        );
    }
    let broad: Vec<String> = https
        .iter()
        .filter(|r| !matches!(r.source, RuleSource::Group { .. }))
        .map(|r| describe(r))
        .collect();
    if !broad.is_empty() {
        return Finding::new(
            Control::EndpointSg,
            Status::Warn,
            arn,
            format!(
                "{} admits HTTPS by address: {}; prefer the callers' security groups",
                group.id,
                broad.join(", ")
            ),
        );
    }
    if https.is_empty() {
        return Finding::new(
            Control::EndpointSg,
            Status::Warn,
            arn,
            format!(
                "{} admits no HTTPS at all: no caller can reach the endpoint",
                group.id
            ),
        );
    }
    let sources: Vec<String> = https.iter().map(|r| r.source.describe()).collect();
    Finding::new(
        Control::EndpointSg,
        Status::Pass,
        arn,
        format!(
            "{} admits HTTPS only from security groups {}",
            group.id,
            sources.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sandbox::SandboxCloud;

    fn rule(
        id: &str,
        protocol: &str,
        ports: Option<(i32, i32)>,
        source: RuleSource,
    ) -> IngressRule {
        IngressRule {
            rule_id: id.into(),
            protocol: protocol.into(),
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
            source,
            description: None,
        }
    }

    fn with_rules(rules: Vec<IngressRule>) -> Vec<Finding> {
        let mut posture = SandboxCloud::lab_posture();
        let sg = posture.endpoints[0].security_group_ids[0].clone();
        posture
            .security_groups
            .iter_mut()
            .find(|g| g.id == sg)
            .unwrap()
            .ingress = Some(rules);
        assess(&posture)
    }

    #[test]
    fn the_lab_endpoint_group_is_open_to_the_internet() {
        let findings = assess(&SandboxCloud::lab_posture());
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.security_group_id.as_deref(), Some("sg-0e9e9e9e9e9e9e9e9"));
        assert_eq!(f.vpc_endpoint_id.as_deref(), Some("vpce-0e9e9e9e9e9e9e9e9"));
        assert!(f.reason.contains("0.0.0.0/0"), "{}", f.reason);
        assert!(f.reason.contains("sgr-0e9e9e9e9e9e90443"), "{}", f.reason);
        assert_eq!(
            f.resource_arn,
            "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0e9e9e9e9e9e9e9e9"
        );
    }

    #[test]
    fn table_of_rule_shapes() {
        let group = |id: &str| RuleSource::Group {
            group_id: id.into(),
            owner_id: None,
        };
        let cases: Vec<(&str, Vec<IngressRule>, Status)> = vec![
            (
                "ipv6 anywhere",
                vec![rule(
                    "r1",
                    "tcp",
                    Some((443, 443)),
                    RuleSource::Ipv6("::/0".into()),
                )],
                Status::Fail,
            ),
            (
                "all traffic anywhere",
                vec![rule("r1", "-1", None, RuleSource::Ipv4("0.0.0.0/0".into()))],
                Status::Fail,
            ),
            (
                "wide tcp range anywhere",
                vec![rule(
                    "r1",
                    "tcp",
                    Some((0, 65535)),
                    RuleSource::Ipv4("0.0.0.0/0".into()),
                )],
                Status::Fail,
            ),
            (
                "port 80 anywhere only",
                vec![rule(
                    "r1",
                    "tcp",
                    Some((80, 80)),
                    RuleSource::Ipv4("0.0.0.0/0".into()),
                )],
                Status::Warn,
            ),
            (
                "whole vpc",
                vec![rule(
                    "r1",
                    "tcp",
                    Some((443, 443)),
                    RuleSource::Ipv4("10.0.0.0/16".into()),
                )],
                Status::Warn,
            ),
            (
                "prefix list",
                vec![rule(
                    "r1",
                    "tcp",
                    Some((443, 443)),
                    RuleSource::PrefixList("pl-1234".into()),
                )],
                Status::Warn,
            ),
            (
                "callers' groups",
                vec![rule(
                    "r1",
                    "tcp",
                    Some((443, 443)),
                    group("sg-0a1a1a1a1a1a1a1a1"),
                )],
                Status::Pass,
            ),
            (
                "group plus cidr",
                vec![
                    rule("r1", "tcp", Some((443, 443)), group("sg-0a1a1a1a1a1a1a1a1")),
                    rule(
                        "r2",
                        "tcp",
                        Some((443, 443)),
                        RuleSource::Ipv4("10.0.1.0/24".into()),
                    ),
                ],
                Status::Warn,
            ),
            ("nothing", vec![], Status::Warn),
        ];
        for (name, rules, want) in cases {
            let findings = with_rules(rules);
            assert_eq!(findings[0].status, want, "{name}: {}", findings[0].reason);
        }
    }

    #[test]
    fn the_whole_vpc_is_named() {
        let findings = with_rules(vec![rule(
            "r9",
            "tcp",
            Some((443, 443)),
            RuleSource::Ipv4("10.0.0.0/16".into()),
        )]);
        assert!(
            findings[0].reason.contains("the whole VPC"),
            "{}",
            findings[0].reason
        );
    }

    #[test]
    fn unreadable_groups_warn() {
        let mut posture = SandboxCloud::lab_posture();
        posture
            .security_groups
            .retain(|g| g.id != "sg-0e9e9e9e9e9e9e9e9");
        let findings = assess(&posture);
        assert_eq!(findings[0].status, Status::Warn);
        assert!(findings[0].reason.contains("could not be read"));
    }
}

#[cfg(test)]
mod plan_tests;
