//! The `endpoint-policy` planner on variants of the lab.

use serde_json::json;

use super::plan;
use crate::model::{Instance, PolicyText, Posture};
use crate::plan::{Change, Inputs, StepState};
use crate::steps::tests::{
    ORDERS, ORDERS_ARN, SERVICE_A_ROLE, SERVICE_C_ROLE, VPCE, lab, set_endpoint_policy,
};

const INVENTORY: &str = "f6g7h8i9j0";
const INVENTORY_ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
const STATUS: &str = "k1l2m3n4o5";
const SERVICE_B_ROLE: &str = "arn:aws:iam::111122223333:role/service-b-role";

fn inputs(apis: &[&str], roles: &[&str]) -> Inputs {
    Inputs {
        api_ids: apis.iter().map(|s| s.to_string()).collect(),
        endpoint_ids: vec![VPCE.into()],
        caller_roles: roles.iter().map(|s| s.to_string()).collect(),
        ..Inputs::default()
    }
}

fn expected_json(roles: &str, resources: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AllowChosenCallers","Effect":"Allow","Principal":{{"AWS":{roles}}},"Action":"execute-api:Invoke","Resource":{resources}}}]}}"#
    )
}

const INVENTORY_PUT: &str = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*";

/// The policy with the statement that admits anyone to inventory's Lambda-authorized method.
fn with_tokens(policy: &str) -> String {
    let head = policy.strip_suffix("]}").expect("a policy");
    format!(
        r#"{head},{{"Sid":"AllowAuthorizerMethods","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"{INVENTORY_PUT}"}}]}}"#
    )
}

/// The warnings other than the one about inventory's Lambda-authorized method.
fn other_warnings(warnings: &[String]) -> Vec<&String> {
    warnings
        .iter()
        .filter(|w| !w.starts_with("PUT /items/{sku} of inventory stay behind"))
        .collect()
}

fn only_change(changes: &[Change]) -> (Option<String>, String) {
    match changes {
        [
            Change::SetEndpointPolicy {
                endpoint_id,
                expected,
                new,
            },
        ] if endpoint_id == VPCE => (expected.clone(), new.clone()),
        other => panic!("expected one endpoint policy change, got {other:#?}"),
    }
}

/// A third service in the endpoint's VPC.
fn with_service_b(p: &mut Posture) {
    p.instances.push(Instance {
        id: "i-0b2b2b2b2b2b2b2b2".into(),
        name: Some("service-b".into()),
        vpc_id: p.endpoints[0].vpc_id.clone(),
        subnet_id: None,
        state: Some("running".into()),
        security_group_ids: vec![],
        instance_profile_arn: None,
        role_arn: Some(SERVICE_B_ROLE.into()),
    });
}

#[test]
fn lab_both_roles_with_inventory_kept_in_scope() {
    let lab = lab(|_| {});
    let step = plan(&lab, &inputs(&[ORDERS], &[SERVICE_A_ROLE, SERVICE_C_ROLE]));
    assert_eq!(step.state, StepState::Ready);
    let (expected, new) = only_change(&step.changes);
    assert_eq!(
        expected.as_deref(),
        Some(lab.endpoints[0].policy.as_ref().unwrap().raw())
    );
    assert_eq!(
        new,
        with_tokens(&expected_json(
            &format!(r#"["{SERVICE_A_ROLE}","{SERVICE_C_ROLE}"]"#),
            &format!(r#"["{ORDERS_ARN}","{INVENTORY_ARN}"]"#)
        ))
    );
    assert!(
        step.guidance
            .iter()
            .any(|g| g.contains("inventory (f6g7h8i9j0) is also reached through")),
        "{:?}",
        step.guidance
    );
    // Replacing the full-access default is the point: no "dropped" warning, and no caller
    // of the VPC is left out. Inventory stays in scope, and with it the anonymous access its
    // Lambda-authorized method needs, said once.
    assert_eq!(step.warnings.len(), 1, "{:?}", step.warnings);
    assert!(
        step.warnings[0].contains(
            "PUT /items/{sku} of inventory stay behind their Lambda or Cognito authorizer: their callers send a token, not a SigV4 signature, so vpce-0e9e9e9e9e9e9e9e9 sees them as anonymous"
        ),
        "{}",
        step.warnings[0]
    );
}

#[test]
fn excluding_an_api_warns_who_loses_access() {
    let lab = lab(|_| {});
    let mut i = inputs(&[ORDERS], &[SERVICE_A_ROLE, SERVICE_C_ROLE]);
    i.excluded_apis = vec![INVENTORY.into()];
    let step = plan(&lab, &i);
    let (_, new) = only_change(&step.changes);
    assert_eq!(
        new,
        expected_json(
            &format!(r#"["{SERVICE_A_ROLE}","{SERVICE_C_ROLE}"]"#),
            &format!(r#""{ORDERS_ARN}""#)
        )
    );
    let w = step
        .warnings
        .iter()
        .find(|w| w.contains("taken out of scope"))
        .expect("a warning");
    assert!(w.contains("inventory (f6g7h8i9j0)"), "{w}");
    assert!(w.contains("service-a-role, service-c-role"), "{w}");
    assert!(!step.guidance.iter().any(|g| g.contains("inventory")));
}

#[test]
fn shared_endpoint_with_several_callers() {
    let posture = lab(with_service_b);
    // Two of the three callers chosen: the third loses access, by name.
    let step = plan(
        &posture,
        &inputs(&[ORDERS, INVENTORY], &[SERVICE_C_ROLE, SERVICE_A_ROLE]),
    );
    let (_, new) = only_change(&step.changes);
    assert_eq!(
        new,
        with_tokens(&expected_json(
            &format!(r#"["{SERVICE_A_ROLE}","{SERVICE_C_ROLE}"]"#),
            &format!(r#"["{INVENTORY_ARN}","{ORDERS_ARN}"]"#)
        )),
        "roles sorted, APIs in posture order"
    );
    let w = step
        .warnings
        .iter()
        .find(|w| w.contains("whose roles are not chosen"))
        .expect("a warning");
    assert!(w.contains("service-b-role (service-b)"), "{w}");
    assert!(step.guidance.is_empty(), "both APIs are targets");
    // All three chosen: one principal list, nobody left out.
    let step = plan(
        &posture,
        &inputs(&[ORDERS], &[SERVICE_A_ROLE, SERVICE_B_ROLE, SERVICE_C_ROLE]),
    );
    let (_, new) = only_change(&step.changes);
    assert!(new.contains(&format!(
        r#"["{SERVICE_A_ROLE}","{SERVICE_B_ROLE}","{SERVICE_C_ROLE}"]"#
    )));
    assert!(
        other_warnings(&step.warnings).is_empty(),
        "{:?}",
        step.warnings
    );
    // One role: a single principal.
    let step = plan(&lab(|_| {}), &inputs(&[ORDERS], &[SERVICE_A_ROLE]));
    let (_, new) = only_change(&step.changes);
    assert!(new.contains(&format!(r#""Principal":{{"AWS":"{SERVICE_A_ROLE}"}}"#)));
    assert!(
        step.warnings
            .iter()
            .any(|w| w.contains("service-c-role (service-c)"))
    );
}

#[test]
fn already_equivalent_is_nothing_to_do() {
    let same = json!({"Statement": [{"Effect": "Allow",
        "Principal": {"AWS": [SERVICE_C_ROLE, SERVICE_A_ROLE, SERVICE_A_ROLE]},
        "Action": ["execute-api:invoke"], "Resource": [INVENTORY_ARN, ORDERS_ARN]},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "execute-api:Invoke",
         "Resource": [INVENTORY_PUT]}],
        "Version": "2012-10-17"});
    let posture = lab(|p| set_endpoint_policy(p, &same));
    let step = plan(
        &posture,
        &inputs(&[ORDERS], &[SERVICE_A_ROLE, SERVICE_C_ROLE]),
    );
    assert!(step.changes.is_empty(), "{:#?}", step.changes);
    assert!(
        matches!(&step.state, StepState::NothingToDo(w) if w.contains("already admits only service-a-role, service-c-role")),
        "{:?}",
        step.state
    );
    // Excluding inventory makes the same policy too broad: a change.
    let mut i = inputs(&[ORDERS], &[SERVICE_A_ROLE, SERVICE_C_ROLE]);
    i.excluded_apis = vec![INVENTORY.into()];
    assert_eq!(plan(&posture, &i).state, StepState::Ready);
}

#[test]
fn dropped_and_malformed_live_policies() {
    let with_deny = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*/DELETE/*"}]});
    let posture = lab(|p| set_endpoint_policy(p, &with_deny));
    let step = plan(
        &posture,
        &inputs(&[ORDERS], &[SERVICE_A_ROLE, SERVICE_C_ROLE]),
    );
    let dropped: Vec<_> = step
        .warnings
        .iter()
        .filter(|w| w.contains(" drops "))
        .collect();
    assert_eq!(
        dropped.len(),
        1,
        "only the Deny, not the default: {dropped:?}"
    );
    assert!(
        dropped[0].contains("statement 2 (NoDeletes): Deny"),
        "{}",
        dropped[0]
    );

    let broken = lab(|p| p.endpoints[0].policy = Some(PolicyText::new("[]")));
    let step = plan(&broken, &inputs(&[ORDERS], &[SERVICE_A_ROLE]));
    let (expected, _) = only_change(&step.changes);
    assert_eq!(expected.as_deref(), Some("[]"));
    assert!(
        step.warnings
            .iter()
            .any(|w| w.contains("cannot be parsed (not a policy document")),
        "{:?}",
        step.warnings
    );
    let absent = lab(|p| p.endpoints[0].policy = None);
    let step = plan(&absent, &inputs(&[ORDERS], &[SERVICE_A_ROLE]));
    assert_eq!(only_change(&step.changes).0, None);
}

#[test]
fn blocked_and_empty_cases() {
    let lab = lab(|_| {});
    let step = plan(&lab, &inputs(&[ORDERS], &[]));
    assert!(
        matches!(&step.state, StepState::Blocked(w) if w.contains("no caller role is chosen")),
        "{step:?}"
    );
    let mut none = inputs(&[ORDERS], &[SERVICE_A_ROLE]);
    none.endpoint_ids.clear();
    assert!(
        matches!(&plan(&lab, &none).state, StepState::Blocked(w) if w.contains("orders")),
        "a private API needs an endpoint"
    );
    let mut regional = inputs(&[STATUS], &[SERVICE_A_ROLE]);
    regional.endpoint_ids.clear();
    let step = plan(&lab, &regional);
    assert!(matches!(step.state, StepState::NothingToDo(_)), "{step:?}");
    let mut unknown = inputs(&[ORDERS], &[SERVICE_A_ROLE]);
    unknown.endpoint_ids = vec!["vpce-0d0d0d0d0d0d0d0d0".into()];
    assert!(
        matches!(&plan(&lab, &unknown).state, StepState::Blocked(w) if w.contains("vpce-0d0d0d0d0d0d0d0d0"))
    );
    let mut cut = inputs(&[STATUS], &[SERVICE_A_ROLE]);
    cut.excluded_apis = vec![ORDERS.into(), INVENTORY.into()];
    let step = plan(&lab, &cut);
    assert!(
        matches!(&step.state, StepState::Blocked(w) if w.contains("no API would be reachable through")),
        "{step:?}"
    );
    assert!(step.changes.is_empty());
}
