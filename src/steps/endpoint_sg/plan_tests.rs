//! The `endpoint-sg` planner on variants of the sandbox lab.

use super::{assess, plan};
use crate::cloud::sandbox::SandboxCloud;
use crate::model::{IngressRule, Posture, ReadGap, RuleSource, VpcEndpoint};
use crate::plan::{Change, Inputs, StepState, project};
use crate::steps::Status;

const ORDERS: &str = "a1b2c3d4e5";
const STATUS: &str = "k1l2m3n4o5";
const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
const SG_ENDPOINT: &str = "sg-0e9e9e9e9e9e9e9e9";
const SG_A: &str = "sg-0a1a1a1a1a1a1a1a1";
const SG_C: &str = "sg-0c3c3c3c3c3c3c3c3";
const OPEN_RULE: &str = "sgr-0e9e9e9e9e9e90443";

fn lab(edit: impl FnOnce(&mut Posture)) -> Posture {
    let mut p = SandboxCloud::lab_posture();
    edit(&mut p);
    p
}

fn inputs(p: &Posture) -> Inputs {
    Inputs::infer(p, &[ORDERS.to_string()], &[])
}

fn rule(id: &str, protocol: &str, ports: Option<(i32, i32)>, source: RuleSource) -> IngressRule {
    IngressRule {
        rule_id: id.into(),
        protocol: protocol.into(),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
        source,
        description: None,
    }
}

fn from_group(id: &str) -> RuleSource {
    RuleSource::Group {
        group_id: id.into(),
        owner_id: None,
    }
}

fn anywhere() -> RuleSource {
    RuleSource::Ipv4("0.0.0.0/0".into())
}

fn set_rules(p: &mut Posture, rules: Vec<IngressRule>) {
    p.security_groups
        .iter_mut()
        .find(|g| g.id == SG_ENDPOINT)
        .unwrap()
        .ingress = Some(rules);
}

/// `+ GROUP from SOURCE` for authorizes, `- GROUP RULE_ID` for revokes.
fn lines(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| match c {
            Change::AuthorizeIngress {
                group_id,
                source_group_id,
                port,
                ..
            } => format!("+ {group_id} tcp {port} from {source_group_id}"),
            Change::RevokeIngress { group_id, expected } => {
                format!("- {group_id} {}", expected.rule_id)
            }
            other => panic!("endpoint-sg planned {other:?}"),
        })
        .collect()
}

/// The endpoint group passes once the changes are applied, and every revoke leaves a rule for
/// every chosen caller group.
fn assert_hardened_after(p: &Posture, changes: &[Change], callers: &[String]) {
    let after = project(p, changes);
    let finding = assess(&after)
        .into_iter()
        .find(|f| f.security_group_id.as_deref() == Some(SG_ENDPOINT))
        .unwrap();
    assert_eq!(finding.status, Status::Pass, "{}", finding.reason);
    let rules = after
        .security_group(SG_ENDPOINT)
        .unwrap()
        .ingress
        .clone()
        .unwrap();
    for caller in callers {
        assert!(
            rules.iter().any(|r| r.admits_tcp(443)
                && matches!(&r.source, RuleSource::Group { group_id, .. } if group_id == caller)),
            "{caller} is not admitted after {changes:?}"
        );
    }
}

#[test]
fn lab_admits_both_callers_then_revokes_the_open_rule() {
    let p = SandboxCloud::lab_posture();
    let inputs = inputs(&p);
    let step = plan(&p, &inputs);
    assert_eq!(step.state, StepState::Ready);
    assert_eq!(
        lines(&step.changes),
        [
            format!("+ {SG_ENDPOINT} tcp 443 from {SG_A}"),
            format!("+ {SG_ENDPOINT} tcp 443 from {SG_C}"),
            format!("- {SG_ENDPOINT} {OPEN_RULE}"),
        ]
    );
    let Change::AuthorizeIngress { description, .. } = &step.changes[0] else {
        unreachable!()
    };
    assert_eq!(description, "HTTPS from service-a (ztharden)");
    let Change::RevokeIngress { expected, .. } = &step.changes[2] else {
        unreachable!()
    };
    let as_read = &p
        .security_group(SG_ENDPOINT)
        .unwrap()
        .ingress
        .as_ref()
        .unwrap()[0];
    assert_eq!(expected, as_read);
    assert!(
        step.warnings
            .iter()
            .any(|w| w.starts_with(&format!("anything else that reaches {VPCE} by address"))),
        "{:?}",
        step.warnings
    );
    assert_hardened_after(&p, &step.changes, &inputs.caller_groups);
}

#[test]
fn no_caller_group_blocks_the_revoke() {
    let p = SandboxCloud::lab_posture();
    let mut inputs = inputs(&p);
    inputs.caller_groups.clear();
    let step = plan(&p, &inputs);
    assert!(step.changes.is_empty());
    assert_eq!(
        step.state,
        StepState::Blocked(format!(
            "no caller security group: revoking {OPEN_RULE} of {SG_ENDPOINT} would cut every \
             caller off; pass --caller-sg"
        ))
    );
    let empty = lab(|p| set_rules(p, vec![]));
    let step = plan(&empty, &inputs);
    assert!(
        matches!(&step.state, StepState::Blocked(why) if why.contains("admits no HTTPS at all")),
        "{:?}",
        step.state
    );
}

#[test]
fn an_already_hardened_group_has_nothing_to_do() {
    let p = lab(|p| {
        set_rules(
            p,
            vec![
                rule("sgr-1", "tcp", Some((443, 443)), from_group(SG_A)),
                rule("sgr-2", "tcp", Some((443, 443)), from_group(SG_C)),
            ],
        )
    });
    let step = plan(&p, &inputs(&p));
    assert!(step.changes.is_empty());
    assert_eq!(
        step.state,
        StepState::NothingToDo(format!(
            "{SG_ENDPOINT} admits HTTPS only from security groups {SG_A}, {SG_C}"
        ))
    );
    let mut no_callers = inputs(&p);
    no_callers.caller_groups.clear();
    assert!(matches!(
        plan(&p, &no_callers).state,
        StepState::NothingToDo(_)
    ));
}

#[test]
fn table_of_rule_shapes() {
    // (case, rules of the endpoint group, expected changes, a warning that must be present)
    type Case = (&'static str, Vec<IngressRule>, Vec<String>, &'static str);
    let add_a = format!("+ {SG_ENDPOINT} tcp 443 from {SG_A}");
    let add_c = format!("+ {SG_ENDPOINT} tcp 443 from {SG_C}");
    let revoke = |id: &str| format!("- {SG_ENDPOINT} {id}");
    let cases: Vec<Case> = vec![
        (
            "all traffic from anywhere is revoked",
            vec![rule("sgr-all", "-1", None, anywhere())],
            vec![add_a.clone(), add_c.clone(), revoke("sgr-all")],
            "revoking sgr-all (all traffic from 0.0.0.0/0) also closes its other ports",
        ),
        (
            "a wide tcp range is revoked",
            vec![rule("sgr-wide", "tcp", Some((0, 65535)), anywhere())],
            vec![add_a.clone(), add_c.clone(), revoke("sgr-wide")],
            "also closes its other ports",
        ),
        (
            "ipv6, the whole VPC and a prefix list are revoked",
            vec![
                rule(
                    "sgr-v6",
                    "tcp",
                    Some((443, 443)),
                    RuleSource::Ipv6("::/0".into()),
                ),
                rule(
                    "sgr-vpc",
                    "tcp",
                    Some((443, 443)),
                    RuleSource::Ipv4("10.0.0.0/16".into()),
                ),
                rule(
                    "sgr-pl",
                    "tcp",
                    Some((443, 443)),
                    RuleSource::PrefixList("pl-0123abcd".into()),
                ),
            ],
            vec![
                add_a.clone(),
                add_c.clone(),
                revoke("sgr-v6"),
                revoke("sgr-vpc"),
                revoke("sgr-pl"),
            ],
            "sgr-v6, sgr-vpc, sgr-pl are revoked",
        ),
        (
            "tcp 22 from a group and tcp 80 from anywhere are kept",
            vec![
                rule(
                    "sgr-ssh",
                    "tcp",
                    Some((22, 22)),
                    from_group("sg-0b2b2b2b2b2b2b2b2"),
                ),
                rule("sgr-http", "tcp", Some((80, 80)), anywhere()),
                rule("sgr-open", "tcp", Some((443, 443)), anywhere()),
            ],
            vec![add_a.clone(), add_c.clone(), revoke("sgr-open")],
            "sgr-open is revoked",
        ),
        (
            "a caller already admitted is not added again",
            vec![
                rule("sgr-a", "tcp", Some((443, 443)), from_group(SG_A)),
                rule("sgr-open", "tcp", Some((443, 443)), anywhere()),
            ],
            vec![add_c.clone(), revoke("sgr-open")],
            "sgr-open is revoked",
        ),
        (
            "another group's HTTPS is kept and named",
            vec![
                rule(
                    "sgr-b",
                    "tcp",
                    Some((443, 443)),
                    from_group("sg-0b2b2b2b2b2b2b2b2"),
                ),
                rule("sgr-open", "tcp", Some((443, 443)), anywhere()),
            ],
            vec![add_a.clone(), add_c.clone(), revoke("sgr-open")],
            "sg-0e9e9e9e9e9e9e9e9 also admits HTTPS from sg-0b2b2b2b2b2b2b2b2 (not a chosen caller): kept",
        ),
        (
            "no rule at all: only authorizes",
            vec![],
            vec![add_a.clone(), add_c.clone()],
            "",
        ),
    ];
    for (name, rules, want, warning) in cases {
        let p = lab(|p| set_rules(p, rules));
        let inputs = inputs(&p);
        let step = plan(&p, &inputs);
        assert_eq!(step.state, StepState::Ready, "{name}");
        assert_eq!(lines(&step.changes), want, "{name}");
        assert!(
            warning.is_empty() || step.warnings.iter().any(|w| w.contains(warning)),
            "{name}: {:?}",
            step.warnings
        );
        assert_hardened_after(&p, &step.changes, &inputs.caller_groups);
    }
}

#[test]
fn callers_left_out_are_named() {
    let p = SandboxCloud::lab_posture();
    let mut inputs = inputs(&p);
    inputs.caller_groups = vec![SG_A.into()];
    let step = plan(&p, &inputs);
    assert_eq!(
        lines(&step.changes),
        [
            format!("+ {SG_ENDPOINT} tcp 443 from {SG_A}"),
            format!("- {SG_ENDPOINT} {OPEN_RULE}")
        ]
    );
    assert!(
        step.warnings.iter().any(|w| w
            == "once sgr-0e9e9e9e9e9e90443 of sg-0e9e9e9e9e9e9e9e9 is revoked, these instances \
                can no longer reach vpce-0e9e9e9e9e9e9e9e9: service-c (i-0c3c3c3c3c3c3c3c3, \
                sg-0c3c3c3c3c3c3c3c3); add their groups with --caller-sg if they call the APIs"),
        "{:?}",
        step.warnings
    );
    assert_hardened_after(&p, &step.changes, &inputs.caller_groups);
}

#[test]
fn shared_groups_are_warned_about_and_planned_once() {
    let p = lab(|p| {
        let mut second: VpcEndpoint = p.endpoints[0].clone();
        second.id = "vpce-0d4d4d4d4d4d4d4d4".into();
        p.endpoints.push(second);
        p.instances[0].security_group_ids.push(SG_ENDPOINT.into());
    });
    let step = plan(&p, &inputs(&p));
    let warnings = step.warnings.join("\n");
    assert!(
        warnings.contains(
            "sg-0e9e9e9e9e9e9e9e9 is also the group of vpce-0d4d4d4d4d4d4d4d4: its rules change for them too"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("sg-0e9e9e9e9e9e9e9e9 is also used by instances service-a"),
        "{warnings}"
    );
    let mut both = inputs(&p);
    both.endpoint_ids.push("vpce-0d4d4d4d4d4d4d4d4".into());
    let step = plan(&p, &both);
    assert_eq!(step.changes.len(), 3, "one group, planned once");
    assert!(
        !step
            .warnings
            .iter()
            .any(|w| w.contains("is also the group of"))
    );
}

#[test]
fn authorizes_come_before_every_revoke() {
    let p = lab(|p| {
        let mut second = p.security_groups[0].clone();
        second.id = "sg-0f5f5f5f5f5f5f5f5".into();
        second.ingress = Some(vec![rule("sgr-open2", "tcp", Some((443, 443)), anywhere())]);
        p.security_groups.push(second);
        p.endpoints[0]
            .security_group_ids
            .push("sg-0f5f5f5f5f5f5f5f5".into());
    });
    let step = plan(&p, &inputs(&p));
    let got = lines(&step.changes);
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got[..4].iter().all(|l| l.starts_with('+')), "{got:?}");
    assert_eq!(got[4], format!("- {SG_ENDPOINT} {OPEN_RULE}"));
    assert_eq!(got[5], "- sg-0f5f5f5f5f5f5f5f5 sgr-open2");
}

#[test]
fn unreadable_groups_and_unknown_endpoints_block() {
    let p = lab(|p| {
        p.security_groups
            .iter_mut()
            .find(|g| g.id == SG_ENDPOINT)
            .unwrap()
            .ingress = None;
        p.gaps.push(ReadGap {
            resource: SG_ENDPOINT.into(),
            operation: "DescribeSecurityGroupRules".into(),
            message: "UnauthorizedOperation".into(),
        });
    });
    let step = plan(&p, &inputs(&p));
    assert!(step.changes.is_empty());
    assert_eq!(
        step.state,
        StepState::Blocked(format!(
            "the rules of {SG_ENDPOINT} could not be read (UnauthorizedOperation): ztharden \
             cannot tell which to revoke"
        ))
    );
    let missing = lab(|p| p.security_groups.retain(|g| g.id != SG_ENDPOINT));
    let step = plan(&missing, &inputs(&missing));
    assert!(
        matches!(&step.state, StepState::Blocked(why) if why.starts_with("security group sg-0e9e9e9e9e9e9e9e9 of vpce-0e9e9e9e9e9e9e9e9 could not be read")),
        "{:?}",
        step.state
    );
    let p = SandboxCloud::lab_posture();
    let mut unknown = inputs(&p);
    unknown.endpoint_ids = vec!["vpce-0123456789abcdef0".into()];
    assert_eq!(
        plan(&p, &unknown).state,
        StepState::Blocked(
            "VPC endpoint vpce-0123456789abcdef0 is not in account 111122223333 in us-east-1"
                .into()
        )
    );
}

#[test]
fn a_path_without_endpoint_has_nothing_to_do() {
    let p = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&p, &[STATUS.to_string()], &[]);
    let step = plan(&p, &inputs);
    assert!(step.changes.is_empty());
    assert!(
        matches!(&step.state, StepState::NothingToDo(why) if why.starts_with("no VPC endpoint in scope")),
        "{:?}",
        step.state
    );
}

#[test]
fn descriptions_keep_to_the_characters_aws_accepts() {
    let p = lab(|p| {
        let a = p.security_groups.iter_mut().find(|g| g.id == SG_A).unwrap();
        a.name = "team's <api> caller".into();
    });
    let step = plan(&p, &inputs(&p));
    let Change::AuthorizeIngress { description, .. } = &step.changes[0] else {
        unreachable!()
    };
    assert_eq!(description, "HTTPS from teams api caller (ztharden)");
}
