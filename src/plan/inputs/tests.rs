//! Inference, suggestions and validation on variants of the sandbox lab.

use super::*;
use crate::cloud::sandbox::SandboxCloud;
use crate::model::{Instance, ReadGap, SecurityGroup, Vpc};

const ORDERS: &str = "a1b2c3d4e5";
const INVENTORY: &str = "f6g7h8i9j0";
const STATUS: &str = "k1l2m3n4o5";
const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
const VPC: &str = "vpc-0ab12cd34ef567890";
const ROLE_A: &str = "arn:aws:iam::111122223333:role/service-a-role";
const ROLE_C: &str = "arn:aws:iam::111122223333:role/service-c-role";
const SG_A: &str = "sg-0a1a1a1a1a1a1a1a1";
const SG_C: &str = "sg-0c3c3c3c3c3c3c3c3";
const SG_ENDPOINT: &str = "sg-0e9e9e9e9e9e9e9e9";

fn lab(edit: impl FnOnce(&mut Posture)) -> Posture {
    let mut p = SandboxCloud::lab_posture();
    edit(&mut p);
    p
}

fn ids(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

fn instance<'a>(p: &'a mut Posture, name: &str) -> &'a mut Instance {
    p.instances
        .iter_mut()
        .find(|i| i.name.as_deref() == Some(name))
        .unwrap()
}

fn orders_inputs(p: &Posture) -> Inputs {
    Inputs::infer(p, &ids(&[ORDERS]), &[])
}

#[test]
fn orders_target_infers_the_endpoint_and_both_callers() {
    let p = SandboxCloud::lab_posture();
    let inputs = orders_inputs(&p);
    assert_eq!(inputs.api_ids, ids(&[ORDERS]));
    assert_eq!(inputs.endpoint_ids, ids(&[VPCE]));
    assert_eq!(inputs.caller_roles, ids(&[ROLE_A, ROLE_C]));
    assert_eq!(inputs.caller_groups, ids(&[SG_A, SG_C]));
    assert_eq!(inputs.methods, None);
    let notes = inputs.notes.join("\n");
    assert!(
        notes.contains(&format!(
            "caller roles inferred from instances in {VPC}: service-a ({ROLE_A}), service-c ({ROLE_C})"
        )),
        "{notes}"
    );
    assert!(
        notes.contains(&format!(
            "caller groups inferred from instances in {VPC}: service-a ({SG_A}), service-c ({SG_C})"
        )),
        "{notes}"
    );
    assert!(
        notes.contains(&format!("vpcEndpointIds: {VPCE}")),
        "{notes}"
    );
}

#[test]
fn targets_by_endpoint_or_whole_account() {
    let p = SandboxCloud::lab_posture();
    let by_endpoint = Inputs::infer(&p, &[], &ids(&[VPCE]));
    assert_eq!(by_endpoint.api_ids, ids(&[INVENTORY, ORDERS]));
    assert_eq!(by_endpoint.endpoint_ids, ids(&[VPCE]));
    assert!(
        by_endpoint.notes[0].contains("inventory (f6g7h8i9j0), orders (a1b2c3d4e5)"),
        "{:?}",
        by_endpoint.notes
    );
    let all = Inputs::infer(&p, &[], &[]);
    assert_eq!(all.api_ids, ids(&[INVENTORY, ORDERS, STATUS]));
    assert_eq!(all.endpoint_ids, ids(&[VPCE]));
    assert!(all.notes[0].starts_with("every API of account 111122223333 in us-east-1"));
    assert_eq!(all.caller_roles, ids(&[ROLE_A, ROLE_C]));
}

#[test]
fn a_regional_api_has_no_endpoint_and_no_inferred_caller() {
    let p = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&p, &ids(&[STATUS]), &[]);
    assert!(inputs.endpoint_ids.is_empty());
    assert!(inputs.caller_roles.is_empty());
    assert!(inputs.caller_groups.is_empty());
    assert!(inputs.notes.is_empty(), "{:?}", inputs.notes);
}

#[test]
fn endpoints_of_other_accounts_are_left_out_and_noted() {
    let p = lab(|p| {
        let orders = p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap();
        orders
            .vpc_endpoint_ids
            .push("vpce-0f00000000000000f".into());
    });
    let inputs = orders_inputs(&p);
    assert_eq!(inputs.endpoint_ids, ids(&[VPCE]));
    assert!(
        inputs.notes.iter().any(|n| n
            == "orders also lists vpce-0f00000000000000f, not an endpoint of this account and region: left out"),
        "{:?}",
        inputs.notes
    );
}

#[test]
fn suggestions_rank_the_likely_callers_first() {
    let p = SandboxCloud::lab_posture();
    let s = suggest_callers(&p, &ids(&[VPCE]));
    let order: Vec<&str> = s.iter().map(|s| s.label()).collect();
    assert_eq!(order, ["service-a", "service-c"]);
    assert!(s.iter().all(|s| s.likely));
    assert_eq!(s[0].role_arn.as_deref(), Some(ROLE_A));
    assert_eq!(s[0].group_ids, ids(&[SG_A]));
    assert_eq!(
        s[0].why,
        format!("running in {VPC}; role service-a-role; group {SG_A} (service-a)")
    );
    assert!(suggest_callers(&p, &[]).is_empty());
}

#[test]
fn table_of_suggestion_ranks() {
    // (case, edit of the lab, labels in order, which are likely, what the last one's `why` says)
    type Case = (
        &'static str,
        fn(&mut Posture),
        Vec<&'static str>,
        Vec<bool>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "stopped instance ranks last and is not chosen",
            |p| instance(p, "service-a").state = Some("stopped".into()),
            vec!["service-c", "service-a"],
            vec![true, false],
            "stopped (not calling now)",
        ),
        (
            "no role ranks after a role",
            |p| {
                let a = instance(p, "service-a");
                a.role_arn = None;
                a.instance_profile_arn = None;
            },
            vec!["service-c", "service-a"],
            vec![true, false],
            "no instance role: it cannot sign requests",
        ),
        (
            "unreadable role says what to pass",
            |p| instance(p, "service-a").role_arn = None,
            vec!["service-c", "service-a"],
            vec![true, false],
            "could not be read: give it with --caller-role",
        ),
        (
            "only in the endpoint's group",
            |p| instance(p, "service-a").security_group_ids = vec![SG_ENDPOINT.into()],
            vec!["service-c", "service-a"],
            vec![true, false],
            "only in the endpoint's own group",
        ),
        (
            "terminated instances are left out",
            |p| instance(p, "service-a").state = Some("terminated".into()),
            vec!["service-c"],
            vec![true],
            "",
        ),
        (
            "instances of other VPCs are left out",
            |p| instance(p, "service-a").vpc_id = "vpc-0ffffffffffffffff".into(),
            vec!["service-c"],
            vec![true],
            "",
        ),
        (
            "unnamed instances sort by id",
            |p| {
                instance(p, "service-c").name = None;
            },
            vec!["i-0c3c3c3c3c3c3c3c3", "service-a"],
            vec![true, true],
            "",
        ),
    ];
    for (name, edit, want, likely, why) in cases {
        let p = lab(edit);
        let s = suggest_callers(&p, &ids(&[VPCE]));
        let got: Vec<&str> = s.iter().map(|s| s.label()).collect();
        assert_eq!(got, want, "{name}");
        let got_likely: Vec<bool> = s.iter().map(|s| s.likely).collect();
        assert_eq!(got_likely, likely, "{name}");
        assert!(s.last().unwrap().why.contains(why), "{name}: {:?}", s);
    }
}

#[test]
fn only_likely_callers_are_inferred() {
    let p = lab(|p| instance(p, "service-c").state = Some("stopped".into()));
    let inputs = orders_inputs(&p);
    assert_eq!(inputs.caller_roles, ids(&[ROLE_A]));
    assert_eq!(inputs.caller_groups, ids(&[SG_A]));
    let p = lab(|p| {
        for i in &mut p.instances {
            i.state = Some("stopped".into());
        }
    });
    let inputs = orders_inputs(&p);
    assert!(inputs.caller_roles.is_empty());
    assert!(
        inputs.notes.iter().any(|n| n
            .starts_with(&format!("no likely caller among the instances in {VPC}"))
            && n.ends_with("pass --caller-role and --caller-sg")),
        "{:?}",
        inputs.notes
    );
}

#[test]
fn given_callers_replace_the_inferred_ones() {
    let p = SandboxCloud::lab_posture();
    let mut inputs = orders_inputs(&p);
    inputs.override_callers(&ids(&[ROLE_C, ROLE_C]), &[]);
    assert_eq!(inputs.caller_roles, ids(&[ROLE_C]));
    assert_eq!(
        inputs.caller_groups,
        ids(&[SG_A, SG_C]),
        "groups stay inferred"
    );
    assert!(
        !inputs
            .notes
            .iter()
            .any(|n| n.starts_with("caller roles inferred"))
    );
    assert!(
        inputs
            .notes
            .contains(&format!("caller roles given: {ROLE_C}"))
    );
    assert!(
        inputs
            .notes
            .iter()
            .any(|n| n.starts_with("caller groups inferred"))
    );
    inputs.override_callers(&[], &ids(&[SG_C]));
    assert_eq!(inputs.caller_groups, ids(&[SG_C]));
    assert!(
        !inputs
            .notes
            .iter()
            .any(|n| n.starts_with("caller groups inferred"))
    );
}

#[test]
fn default_methods_skip_options_and_signed_ones() {
    let p = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&p, &ids(&[ORDERS, INVENTORY]), &[]);
    let got: Vec<String> = inputs
        .selected_methods(&p)
        .iter()
        .map(|k| format!("{} {}", k.http_method, k.path))
        .collect();
    assert_eq!(
        got,
        [
            "GET /orders",
            "POST /orders",
            "DELETE /orders/{id}",
            "GET /orders/{id}",
            "PUT /orders/{id}"
        ]
    );
    let mut chosen = inputs.clone();
    let put = MethodKey {
        api_id: INVENTORY.into(),
        resource_id: "itmsk5e6f7".into(),
        path: "/items/{sku}".into(),
        http_method: "PUT".into(),
    };
    let elsewhere = MethodKey {
        api_id: STATUS.into(),
        resource_id: "hlth1a2b3c".into(),
        path: "/health".into(),
        http_method: "GET".into(),
    };
    chosen.methods = Some(vec![put.clone(), elsewhere]);
    assert_eq!(
        chosen.selected_methods(&p),
        vec![put],
        "out of scope left out"
    );
}

#[test]
fn the_inferred_lab_inputs_are_valid() {
    let p = SandboxCloud::lab_posture();
    for inputs in [
        orders_inputs(&p),
        Inputs::infer(&p, &[], &[]),
        Inputs::infer(&p, &[], &ids(&[VPCE])),
    ] {
        assert_eq!(inputs.validate(&p), Ok(vec![]), "{inputs:?}");
    }
    let status = Inputs::infer(&p, &ids(&[STATUS]), &[]);
    assert_eq!(
        status.validate(&p),
        Ok(vec![]),
        "no caller needed off a private path"
    );
}

#[test]
fn table_of_input_errors() {
    let p = SandboxCloud::lab_posture();
    type Edit = fn(&mut Inputs);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "role name alone",
            |i| i.caller_roles = ids(&["service-a-role"]),
            "'service-a-role' is not a role ARN: it must be arn:PARTITION:iam::ACCOUNT:role/NAME, here arn:aws:iam::111122223333:role/NAME",
        ),
        (
            "user, not role",
            |i| i.caller_roles = ids(&["arn:aws:iam::111122223333:user/bob"]),
            "is not a role ARN",
        ),
        (
            "other partition",
            |i| i.caller_roles = ids(&["arn:aws-cn:iam::111122223333:role/service-a-role"]),
            "is not a role ARN",
        ),
        (
            "short account",
            |i| i.caller_roles = ids(&["arn:aws:iam::11112222333:role/x"]),
            "is not a role ARN",
        ),
        (
            "bad characters in the name",
            |i| i.caller_roles = ids(&["arn:aws:iam::111122223333:role/a b"]),
            "is not a role ARN",
        ),
        (
            "role session",
            |i| {
                i.caller_roles =
                    ids(&["arn:aws:sts::111122223333:assumed-role/service-a-role/i-0a1a"])
            },
            "(that is a role session: give its role, arn:aws:iam::111122223333:role/service-a-role)",
        ),
        (
            "role of another account",
            |i| i.caller_roles = ids(&["arn:aws:iam::444455556666:role/service-a-role"]),
            "role arn:aws:iam::444455556666:role/service-a-role belongs to account 444455556666, not 111122223333: give a role of account 111122223333",
        ),
        (
            "malformed group",
            |i| i.caller_groups = ids(&["sg-12345"]),
            "'sg-12345' is not a security group id: it must be sg- followed by 8 or 17 hex digits",
        ),
        (
            "uppercase group",
            |i| i.caller_groups = ids(&["sg-0A1A1A1A1A1A1A1A1"]),
            "is not a security group id",
        ),
        (
            "unknown group",
            |i| i.caller_groups = ids(&["sg-0123456789abcdef0"]),
            "security group sg-0123456789abcdef0 was not read in account 111122223333 (us-east-1)",
        ),
        (
            "malformed endpoint",
            |i| i.endpoint_ids = ids(&["vpce-xyz"]),
            "'vpce-xyz' is not a VPC endpoint id: it must be vpce- followed by 8 or 17 hex digits",
        ),
        (
            "unknown endpoint",
            |i| i.endpoint_ids = ids(&["vpce-0123456789abcdef0"]),
            "VPC endpoint vpce-0123456789abcdef0 is not an execute-api endpoint of account 111122223333 in us-east-1: pick one of vpce-0e9e9e9e9e9e9e9e9",
        ),
        (
            "unknown API",
            |i| i.api_ids = ids(&["zz9zz9zz9z"]),
            "API zz9zz9zz9z is not in account 111122223333 in us-east-1: pick one of f6g7h8i9j0 (inventory), a1b2c3d4e5 (orders), k1l2m3n4o5 (status)",
        ),
        (
            "unknown excluded API",
            |i| i.excluded_apis = ids(&["zz9zz9zz9z"]),
            "API zz9zz9zz9z is not in account",
        ),
        (
            "unknown method",
            |i| {
                i.methods = Some(vec![MethodKey {
                    api_id: ORDERS.into(),
                    resource_id: "ord1a2b3c4".into(),
                    path: "/orders".into(),
                    http_method: "PATCH".into(),
                }])
            },
            "PATCH /orders (resource ord1a2b3c4) is not a method of API a1b2c3d4e5",
        ),
        (
            "method out of scope",
            |i| {
                i.methods = Some(vec![MethodKey {
                    api_id: STATUS.into(),
                    resource_id: "hlth1a2b3c".into(),
                    path: "/health".into(),
                    http_method: "GET".into(),
                }])
            },
            "GET /health belongs to API k1l2m3n4o5, which is not in scope: add --api k1l2m3n4o5",
        ),
        (
            "no caller role",
            |i| i.caller_roles.clear(),
            "no caller role for the private API path of orders (a1b2c3d4e5): pass --caller-role ARN",
        ),
    ];
    for (name, edit, want) in cases {
        let mut inputs = orders_inputs(&p);
        edit(&mut inputs);
        let err = inputs.validate(&p).expect_err(name).to_string();
        assert!(err.contains(want), "{name}: {err}");
    }
}

#[test]
fn table_of_input_warnings() {
    type Edit = fn(&mut Posture, &mut Inputs);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "caller group in another VPC",
            |p, i| {
                p.vpcs.push(Vpc {
                    id: "vpc-0ffffffffffffffff".into(),
                    cidr_blocks: vec!["10.9.0.0/16".into()],
                    ipv6_cidr_blocks: vec![],
                });
                p.security_groups.push(SecurityGroup {
                    id: "sg-0fffffffffffffff1".into(),
                    name: "far".into(),
                    vpc_id: "vpc-0ffffffffffffffff".into(),
                    owner_id: p.account.clone(),
                    description: String::new(),
                    ingress: Some(vec![]),
                });
                i.caller_groups = ids(&["sg-0fffffffffffffff1"]);
            },
            "caller group sg-0fffffffffffffff1 is in vpc-0ffffffffffffffff, but vpce-0e9e9e9e9e9e9e9e9 is in vpc-0ab12cd34ef567890",
        ),
        (
            "caller group is the endpoint's own",
            |_, i| i.caller_groups = ids(&[SG_ENDPOINT]),
            "caller group sg-0e9e9e9e9e9e9e9e9 is the own group of vpce-0e9e9e9e9e9e9e9e9",
        ),
        (
            "caller group not read",
            |p, i| {
                p.gaps.push(ReadGap {
                    resource: "sg-0123456789abcdef0".into(),
                    operation: "DescribeSecurityGroups".into(),
                    message: "AccessDenied".into(),
                });
                i.caller_groups = ids(&["sg-0123456789abcdef0"]);
            },
            "caller group sg-0123456789abcdef0 could not be read (AccessDenied): not checked",
        ),
        (
            "no caller group",
            |_, i| i.caller_groups.clear(),
            "no caller security group: the endpoint-sg step will be blocked; pass --caller-sg",
        ),
        (
            "endpoint not serving the target",
            |p, _| {
                let orders = p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap();
                orders.vpc_endpoint_ids.clear();
            },
            "no API in scope lists vpce-0e9e9e9e9e9e9e9e9 in its vpcEndpointIds",
        ),
    ];
    for (name, edit, want) in cases {
        let mut p = SandboxCloud::lab_posture();
        let mut inputs = orders_inputs(&p);
        edit(&mut p, &mut inputs);
        let warnings = inputs
            .validate(&p)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(warnings.len(), 1, "{name}: {warnings:?}");
        assert!(warnings[0].contains(want), "{name}: {warnings:?}");
    }
}
