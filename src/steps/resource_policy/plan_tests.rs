//! The `resource-policy` planner on variants of the lab.

use serde_json::json;

use super::plan;
use super::plan::ACCOUNT_SID;
use crate::model::{PolicyText, Posture};
use crate::plan::{Change, Inputs, StepState};
use crate::policy::parse;
use crate::steps::tests::{
    ACCOUNT, ORDERS, ORDERS_ARN, SERVICE_A_ROLE, SERVICE_C_ROLE, VPCE, guide_resource_policy, lab,
    make_orders_regional, orders, set_orders_policy,
};

const INVENTORY: &str = "f6g7h8i9j0";
const STATUS: &str = "k1l2m3n4o5";
const OTHER_VPCE: &str = "vpce-0b0b0b0b0b0b0b0b0";

fn inputs(apis: &[&str], endpoints: &[&str]) -> Inputs {
    Inputs {
        api_ids: apis.iter().map(|s| s.to_string()).collect(),
        endpoint_ids: endpoints.iter().map(|s| s.to_string()).collect(),
        caller_roles: vec![SERVICE_A_ROLE.into(), SERVICE_C_ROLE.into()],
        ..Inputs::default()
    }
}

fn arn(api: &str) -> String {
    format!("arn:aws:execute-api:us-east-1:{ACCOUNT}:{api}/*")
}

/// The compact JSON the planner must send for a private API.
fn three_statements(api: &str, endpoints: &str) -> String {
    let arn = arn(api);
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AllowInvoke","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"{arn}"}},{{"Sid":"DenyOtherAccounts","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"{arn}","Condition":{{"StringNotEquals":{{"aws:PrincipalAccount":"{ACCOUNT}"}}}}}},{{"Sid":"DenyOtherEndpoints","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"{arn}","Condition":{{"StringNotEquals":{{"aws:SourceVpce":{endpoints}}}}}}}]}}"#
    )
}

fn policy_change(changes: &[Change], api: &str) -> (Option<String>, String) {
    changes
        .iter()
        .find_map(|c| match c {
            Change::SetResourcePolicy {
                api_id,
                expected,
                new,
            } if api_id == api => Some((expected.clone(), new.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no resource policy change for {api} in {changes:#?}"))
}

fn dropped(warnings: &[String]) -> Vec<&String> {
    warnings.iter().filter(|w| w.contains(" drops ")).collect()
}

#[test]
fn lab_orders_gets_the_three_statements_then_a_redeploy() {
    let lab = lab(|_| {});
    let step = plan(&lab, &inputs(&[ORDERS], &[VPCE]));
    assert_eq!(step.state, StepState::Ready);
    let (expected, new) = policy_change(&step.changes, ORDERS);
    assert_eq!(
        expected.as_deref(),
        Some(lab.api(ORDERS).unwrap().policy.as_ref().unwrap().raw())
    );
    assert_eq!(new, three_statements(ORDERS, &format!("\"{VPCE}\"")));
    assert!(parse(&new).is_ok());
    assert_eq!(
        step.changes[1],
        Change::Redeploy {
            api_id: ORDERS.into(),
            stage: "prod".into(),
            expected_deployment_id: Some("dep0rders1".into()),
            description: "ztharden resource-policy: new resource policy of orders".into(),
        }
    );
    assert_eq!(step.changes.len(), 2);
    // The lab's only statement (Allow Invoke to "*" on the API) is the new AllowInvoke:
    // replacing it drops nothing anyone relies on, so no warning.
    assert!(dropped(&step.warnings).is_empty(), "{:?}", step.warnings);
    assert_eq!(
        step.guidance,
        [format!(
            "once this policy is deployed, only principals of account {ACCOUNT} calling through {VPCE} can invoke orders ({ORDERS})"
        )]
    );
}

#[test]
fn table_of_dropped_statements() {
    let partner = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
         "Action": "execute-api:Invoke", "Resource": ORDERS_ARN}]});
    /// Name, API, chosen endpoints, orders' policy (if changed), the dropped statements.
    type Case<'a> = (
        &'a str,
        &'a str,
        Vec<&'a str>,
        Option<serde_json::Value>,
        Vec<&'a str>,
    );
    let cases: Vec<Case> = vec![
        // inventory's DenyOtherEndpoints says what the new statement says: not dropped.
        (
            "inventory, its own endpoint",
            INVENTORY,
            vec![VPCE],
            None,
            vec![],
        ),
        (
            "inventory, a second endpoint chosen",
            INVENTORY,
            vec![VPCE, OTHER_VPCE],
            None,
            vec!["statement 2 (DenyOtherEndpoints): Deny execute-api:Invoke to everyone (\"*\")"],
        ),
        (
            "orders with a partner account",
            ORDERS,
            vec![VPCE],
            Some(partner),
            vec![
                "statement 2 (Partner): Allow execute-api:Invoke to AWS arn:aws:iam::444455556666:root",
            ],
        ),
    ];
    for (name, api, endpoints, policy, expect) in cases {
        let posture = lab(|p| {
            if let Some(policy) = &policy {
                set_orders_policy(p, policy);
            }
        });
        let step = plan(&posture, &inputs(&[api], &endpoints));
        assert_eq!(step.state, StepState::Ready, "{name}");
        let got = dropped(&step.warnings);
        assert_eq!(got.len(), expect.len(), "{name}: {got:?}");
        for (w, e) in got.iter().zip(&expect) {
            assert!(w.contains(e), "{name}: {w}");
            assert!(
                w.contains("may grant access someone relies on"),
                "{name}: {w}"
            );
        }
    }
}

/// The guide's three statements for inventory, whose `PUT /items/{sku}` (Lambda authorizer)
/// the account statement leaves out by `NotResource`.
fn inventory_statements(endpoints: &str) -> String {
    three_statements(INVENTORY, endpoints).replacen(
        &format!(
            r#""Resource":"{}","Condition":{{"StringNotEquals":{{"aws:PrincipalAccount""#,
            arn(INVENTORY)
        ),
        &format!(
            r#""NotResource":"{}","Condition":{{"StringNotEquals":{{"aws:PrincipalAccount""#,
            INVENTORY_PUT
        ),
        1,
    )
}

const INVENTORY_PUT: &str = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*";

#[test]
fn several_endpoints_are_one_list() {
    let posture = lab(|_| {});
    let step = plan(&posture, &inputs(&[INVENTORY], &[VPCE, OTHER_VPCE]));
    let (_, new) = policy_change(&step.changes, INVENTORY);
    assert_eq!(
        new,
        inventory_statements(&format!("[\"{OTHER_VPCE}\",\"{VPCE}\"]"))
    );
}

#[test]
fn authorizer_methods_are_left_out_of_the_account_statement_only() {
    use crate::model::AuthorizationType;
    let put = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*";
    let get = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/GET/items/*";
    let any = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/*/items";
    // (case, authorization of GET /items/{sku}, of ANY /items (added), NotResource expected)
    let cases: Vec<(&str, Option<AuthorizationType>, bool, Vec<&str>)> = vec![
        (
            "the lab: the Lambda-authorized PUT only",
            None,
            false,
            vec![put],
        ),
        (
            "a Cognito method too",
            Some(AuthorizationType::CognitoUserPools),
            false,
            vec![get, put],
        ),
        (
            "an ANY method behind a Lambda authorizer",
            None,
            true,
            vec![any, put],
        ),
        (
            "GET signed: not left out",
            Some(AuthorizationType::AwsIam),
            false,
            vec![put],
        ),
    ];
    for (name, get_auth, add_any, expect) in cases {
        let posture = lab(|p| {
            let api = p.apis.iter_mut().find(|a| a.id == INVENTORY).unwrap();
            let resources = api.resources.as_mut().unwrap();
            for r in resources.iter_mut() {
                for m in &mut r.methods {
                    if let (true, Some(a)) = (
                        r.path == "/items/{sku}" && m.http_method == "GET",
                        &get_auth,
                    ) {
                        m.authorization_type = a.clone();
                    }
                }
                if add_any && r.path == "/items" {
                    let mut any = r.methods[0].clone();
                    any.http_method = "ANY".into();
                    any.authorization_type = AuthorizationType::Custom;
                    r.methods.push(any);
                }
            }
        });
        let step = plan(&posture, &inputs(&[INVENTORY], &[VPCE]));
        let (_, new) = policy_change(&step.changes, INVENTORY);
        let policy = parse(&new).unwrap();
        let account = &policy.statements[1];
        assert_eq!(account.sid.as_deref(), Some(ACCOUNT_SID), "{name}");
        let (resources, not) = account.resources().unwrap();
        assert!(not, "{name}: NotResource");
        assert_eq!(resources, expect.as_slice(), "{name}");
        // The endpoint statement keeps the whole API.
        let (endpoint, not) = policy.statements[2].resources().unwrap();
        assert!(!not, "{name}");
        assert_eq!(endpoint, [arn(INVENTORY)], "{name}");
        let w = step
            .warnings
            .iter()
            .find(|w| w.contains("stay behind their Lambda or Cognito authorizer"))
            .unwrap_or_else(|| panic!("{name}: {:?}", step.warnings));
        assert!(
            w.contains("their callers are identified by their authorizer, not by IAM: the account condition cannot apply to them"),
            "{name}: {w}"
        );
        assert!(
            w.contains("they stay limited to the chosen endpoints"),
            "{name}: {w}"
        );
        assert!(w.contains("PUT /items/{sku}"), "{name}: {w}");
    }
    // Orders has no authorizer method: the account statement covers the whole API.
    let step = plan(&lab(|_| {}), &inputs(&[ORDERS], &[VPCE]));
    let (_, new) = policy_change(&step.changes, ORDERS);
    assert_eq!(new, three_statements(ORDERS, &format!("\"{VPCE}\"")));
    assert!(!step.warnings.iter().any(|w| w.contains("authorizer")));
}

#[test]
fn regional_api_gets_no_endpoint_statement_and_says_why() {
    let posture = lab(|_| {});
    let step = plan(&posture, &inputs(&[STATUS], &[VPCE]));
    assert_eq!(step.state, StepState::Ready);
    let (expected, new) = policy_change(&step.changes, STATUS);
    assert_eq!(expected, None, "status has no policy");
    let policy = parse(&new).unwrap();
    let sids: Vec<_> = policy
        .statements
        .iter()
        .map(|s| s.sid.clone().unwrap())
        .collect();
    assert_eq!(sids, ["AllowInvoke", "DenyOtherAccounts"]);
    assert!(!new.contains("SourceVpce"), "{new}");
    let why = step
        .warnings
        .iter()
        .find(|w| w.contains("REGIONAL"))
        .expect("a warning about the endpoint type");
    assert!(
        why.contains("aws:SourceVpce exists only for private APIs"),
        "{why}"
    );
    assert!(why.contains("lock everyone out"), "{why}");
    assert!(why.contains("PRIVATE"), "{why}");
    // The same for an API made regional in the lab.
    let regional = lab(make_orders_regional);
    let step = plan(&regional, &inputs(&[ORDERS], &[]));
    assert_eq!(step.state, StepState::Ready);
    assert!(
        !policy_change(&step.changes, ORDERS)
            .1
            .contains("SourceVpce")
    );
}

#[test]
fn already_hardened_is_nothing_to_do() {
    let shorthand = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": [VPCE]}}},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}}]});
    for (name, policy) in [
        ("the guide's policy", guide_resource_policy()),
        ("shorthand, reordered, no Sids", shorthand),
    ] {
        let posture = lab(|p| set_orders_policy(p, &policy));
        let step = plan(&posture, &inputs(&[ORDERS], &[VPCE]));
        assert!(step.changes.is_empty(), "{name}: {:#?}", step.changes);
        match &step.state {
            StepState::NothingToDo(why) => {
                assert!(
                    why.contains("already admits only account 111122223333"),
                    "{why}"
                );
                assert!(why.contains(VPCE), "{why}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    // The planner's own output, read back, is also nothing to do.
    let first = plan(&lab(|_| {}), &inputs(&[ORDERS], &[VPCE]));
    let (_, new) = policy_change(&first.changes, ORDERS);
    let posture = lab(|p| orders(p).policy = Some(PolicyText::new(new.clone())));
    let again = plan(&posture, &inputs(&[ORDERS], &[VPCE]));
    assert!(
        matches!(again.state, StepState::NothingToDo(_)),
        "{again:?}"
    );
}

#[test]
fn blocked_and_malformed_cases() {
    let posture = lab(|_| {});
    let step = plan(&posture, &inputs(&[ORDERS], &[]));
    match &step.state {
        StepState::Blocked(why) => {
            assert!(
                why.contains("private API and no VPC endpoint is chosen"),
                "{why}"
            );
            assert!(why.contains(VPCE), "names the attached endpoint: {why}");
        }
        other => panic!("{other:?}"),
    }
    assert!(step.changes.is_empty());

    let step = plan(&posture, &inputs(&["nosuchapi0"], &[VPCE]));
    assert!(
        matches!(&step.state, StepState::Blocked(w) if w.contains("nosuchapi0")),
        "{step:?}"
    );
    let step = plan(&posture, &inputs(&[], &[VPCE]));
    assert!(step.is_blocked());

    let broken = lab(|p| orders(p).policy = Some(PolicyText::new("{\"Statement\": [")));
    let step = plan(&broken, &inputs(&[ORDERS], &[VPCE]));
    assert_eq!(step.state, StepState::Ready);
    let (expected, _) = policy_change(&step.changes, ORDERS);
    assert_eq!(expected.as_deref(), Some("{\"Statement\": ["));
    let warning = step
        .warnings
        .iter()
        .find(|w| w.contains("cannot be parsed"))
        .expect("a warning");
    assert!(
        warning.contains("not JSON"),
        "quotes the parse error: {warning}"
    );
    assert!(warning.contains("replaces it whole"), "{warning}");
}

#[test]
fn stages_decide_the_redeploys() {
    let unread: Posture = lab(|p| orders(p).stages = None);
    let step = plan(&unread, &inputs(&[ORDERS], &[VPCE]));
    assert_eq!(step.changes.len(), 1, "no redeploy without stages");
    assert!(
        step.warnings
            .iter()
            .any(|w| w.contains("could not be read") && w.contains("redeploy"))
    );
    let two = lab(|p| {
        let stages = orders(p).stages.as_mut().unwrap();
        stages.push(crate::model::Stage {
            name: "test".into(),
            deployment_id: None,
        });
    });
    let step = plan(&two, &inputs(&[ORDERS], &[VPCE]));
    let stages: Vec<_> = step
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Redeploy { stage, .. } => Some(stage.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(stages, ["prod", "test"]);
}
