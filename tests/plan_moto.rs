//! `ztharden plan` against moto seeded with the sandbox scenario: the real binary, the real
//! AWS adapter, and a plan file whose changes carry moto's ids.

mod support;

use std::path::Path;

use support::cli::{both, with_log, ztharden, ztharden_moto};
use support::lab::{
    ACCOUNT, ENDPOINT, ENDPOINT_SG, INVENTORY, OPEN_RULE, ORDERS, REGION, SERVICE_A_ROLE,
    SERVICE_A_SG, SERVICE_C_ROLE, SERVICE_C_SG, STATUS,
};
use support::{IdMap, Moto};
use ztharden::model::AuthorizationType;
use ztharden::plan::{Change, Plan, StepState};
use ztharden::policy;
use ztharden::steps::Control;

fn read_plan(path: &Path) -> Plan {
    let text = std::fs::read_to_string(path).expect("the plan file exists");
    serde_json::from_str(&text).expect("the plan file is a Plan")
}

#[test]
fn plan_all_on_moto_has_the_expected_changes_with_moto_ids() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.seed();
    let orders = ids.moto(ORDERS).to_string();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let out = ztharden_moto(
        &moto,
        dir.path(),
        &[
            "plan",
            "--control",
            "all",
            "--api",
            &orders,
            "--out",
            path.to_str().unwrap(),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", with_log(&out, &moto));
    assert!(!text.contains("INSERT_"), "{text}");
    let plan = read_plan(&path);
    assert_eq!(plan.account, ACCOUNT);
    assert_eq!(plan.region, REGION);
    assert!(plan.steps.iter().all(|s| s.state == StepState::Ready));
    let controls: Vec<Control> = plan.steps.iter().map(|s| s.control).collect();
    assert_eq!(controls, Control::ALL.to_vec());
    check_inputs(&plan, &ids);
    check_changes(&plan, &ids);
    same_plan_as_the_sandbox(&plan, &ids);

    // Every API of the account, as on the sandbox: inventory's Lambda-authorized method stays
    // behind its authorizer (left out of the account statement, admitted anonymously at the
    // endpoint), so the whole plan is ready and written, with moto's ids.
    let all = dir.path().join("all.json");
    let out = ztharden_moto(
        &moto,
        dir.path(),
        &["plan", "--control", "all", "--out", all.to_str().unwrap()],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", with_log(&out, &moto));
    assert!(!text.contains("✗ FAIL"), "{text}");
    let whole = read_plan(&all);
    assert!(whole.steps.iter().all(|s| s.state == StepState::Ready));
    let last = whole.steps.last().unwrap();
    assert!(
        last.verdicts.iter().all(|v| v.passed),
        "{:#?}",
        last.verdicts
    );
    let inventory = ids.moto(INVENTORY);
    let put = format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:{inventory}/*/PUT/items/*");
    let mut policies: Vec<&str> = Vec::new();
    for c in whole.changes() {
        match c {
            Change::SetResourcePolicy { api_id, new, .. } => {
                policies.push(api_id);
                if api_id == inventory {
                    assert!(new.contains(&format!(r#""NotResource":"{put}""#)), "{new}");
                }
            }
            Change::SetEndpointPolicy { new, .. } => assert!(
                new.contains(&format!(
                    r#""Sid":"AllowAuthorizerMethods","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"{put}""#
                )),
                "{new}"
            ),
            _ => {}
        }
    }
    policies.sort_unstable();
    let mut expected = vec![inventory, ids.moto(ORDERS), ids.moto(STATUS)];
    expected.sort_unstable();
    assert_eq!(policies, expected, "one resource policy per API");
    same_plan_as_the_sandbox_for(&whole, &ids, &[]);
}

fn check_inputs(plan: &Plan, ids: &IdMap) {
    assert_eq!(plan.inputs.api_ids, vec![ids.moto(ORDERS)]);
    assert_eq!(plan.inputs.endpoint_ids, vec![ids.moto(ENDPOINT)]);
    assert_eq!(
        plan.inputs.caller_roles,
        vec![SERVICE_A_ROLE, SERVICE_C_ROLE]
    );
    let mut groups = plan.inputs.caller_groups.clone();
    groups.sort();
    let mut expected = vec![
        ids.moto(SERVICE_A_SG).to_string(),
        ids.moto(SERVICE_C_SG).to_string(),
    ];
    expected.sort();
    assert_eq!(groups, expected);
}

fn check_changes(plan: &Plan, ids: &IdMap) {
    let orders = ids.moto(ORDERS);
    let endpoint = ids.moto(ENDPOINT);
    let orders_arn = format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:{orders}/*");

    let mut methods: Vec<(String, String)> = plan
        .changes()
        .filter_map(|c| match c {
            Change::SetMethodAuthorization {
                method,
                expected,
                new,
                ..
            } => {
                assert_eq!(method.api_id, orders);
                assert_eq!(
                    (expected, new),
                    (&AuthorizationType::None, &AuthorizationType::AwsIam)
                );
                let resource = ids
                    .fixture(&method.resource_id)
                    .unwrap_or_else(|| panic!("{} is a moto resource id", method.resource_id));
                Some((resource.to_string(), method.http_method.clone()))
            }
            _ => None,
        })
        .collect();
    methods.sort();
    let pair = |r: &str, m: &str| (r.to_string(), m.to_string());
    assert_eq!(
        methods,
        vec![
            pair("ord1a2b3c4", "GET"),
            pair("ord1a2b3c4", "POST"),
            pair("ordid5e6f7", "DELETE"),
            pair("ordid5e6f7", "GET"),
            pair("ordid5e6f7", "PUT"),
        ]
    );

    let resource_policy = plan
        .changes()
        .find_map(|c| match c {
            Change::SetResourcePolicy { api_id, new, .. } if api_id == orders => Some(new),
            _ => None,
        })
        .expect("a resource policy for orders");
    let resource_policy = policy::parse(resource_policy).unwrap().to_json_string();
    for id in [ACCOUNT, endpoint, orders_arn.as_str()] {
        assert!(resource_policy.contains(id), "{id} in {resource_policy}");
    }

    let endpoint_policy = plan
        .changes()
        .find_map(|c| match c {
            Change::SetEndpointPolicy {
                endpoint_id, new, ..
            } if endpoint_id == endpoint => Some(new),
            _ => None,
        })
        .expect("an endpoint policy for the endpoint");
    let endpoint_policy = policy::parse(endpoint_policy).unwrap().to_json_string();
    for id in [SERVICE_A_ROLE, SERVICE_C_ROLE, orders_arn.as_str()] {
        assert!(endpoint_policy.contains(id), "{id} in {endpoint_policy}");
    }

    let sg: Vec<&Change> = plan
        .changes()
        .filter(|c| c.control() == Some(Control::EndpointSg))
        .collect();
    let endpoint_sg = ids.moto(ENDPOINT_SG);
    let admitted: Vec<&str> = sg
        .iter()
        .filter_map(|c| match c {
            Change::AuthorizeIngress {
                group_id,
                source_group_id,
                port: 443,
                ..
            } if group_id == endpoint_sg => Some(source_group_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(admitted.len(), 2, "{sg:?}");
    assert!(
        admitted.contains(&ids.moto(SERVICE_A_SG)) && admitted.contains(&ids.moto(SERVICE_C_SG))
    );
    assert!(
        matches!(sg.last(), Some(Change::RevokeIngress { group_id, expected })
            if group_id == endpoint_sg && expected.rule_id == ids.moto(OPEN_RULE)),
        "the open rule is revoked last, by moto's rule id: {sg:?}"
    );
    assert_eq!(sg.len(), 3);

    let redeploys: Vec<&Change> = plan
        .changes()
        .filter(|c| matches!(c, Change::Redeploy { .. }))
        .collect();
    assert!(
        matches!(redeploys[..], [Change::Redeploy { api_id, stage, expected_deployment_id: Some(d), .. }]
            if api_id == orders && stage == "prod" && d == ids.moto("dep0rders1")),
        "{redeploys:?}"
    );
}

/// With moto's ids mapped back, the plan is the one the sandbox makes (the policy texts as
/// read may differ in form, so the changes are compared by what they do).
fn same_plan_as_the_sandbox(plan: &Plan, ids: &IdMap) {
    same_plan_as_the_sandbox_for(plan, ids, &["--api", ORDERS]);
}

/// [`same_plan_as_the_sandbox`] for a plan made with these extra arguments.
fn same_plan_as_the_sandbox_for(plan: &Plan, ids: &IdMap, args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let mut all = vec!["--demo", "plan", "--control", "all"];
    all.extend(args);
    all.extend(["--out", path.to_str().unwrap()]);
    let out = ztharden(dir.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let sandbox = read_plan(&path);
    let summaries = |p: &Plan, map: &dyn Fn(String) -> String| -> Vec<String> {
        let mut s: Vec<String> = p.changes().map(|c| map(c.summary())).collect();
        s.sort();
        s
    };
    let to_fixture = |mut text: String| {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for c in plan.changes() {
            for id in ids_in(c) {
                if let Some(f) = ids.fixture(&id) {
                    pairs.push((id, f.to_string()));
                }
            }
        }
        pairs.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
        for (m, f) in pairs {
            text = text.replace(&m, &f);
        }
        text
    };
    assert_eq!(
        summaries(plan, &to_fixture),
        summaries(&sandbox, &|s| s),
        "moto and the sandbox plan the same changes"
    );
}

/// The ids a change names (for mapping moto's back to the fixture's).
fn ids_in(change: &Change) -> Vec<String> {
    match change {
        Change::SetMethodAuthorization { method, .. } => {
            vec![method.api_id.clone(), method.resource_id.clone()]
        }
        Change::SetResourcePolicy { api_id, .. } => vec![api_id.clone()],
        Change::SetEndpointPolicy { endpoint_id, .. } => vec![endpoint_id.clone()],
        Change::AuthorizeIngress {
            group_id,
            source_group_id,
            ..
        } => vec![group_id.clone(), source_group_id.clone()],
        Change::RevokeIngress { group_id, expected } => {
            vec![group_id.clone(), expected.rule_id.clone()]
        }
        Change::RestoreIngress { group_id, rule } => vec![group_id.clone(), rule.rule_id.clone()],
        Change::Redeploy { api_id, .. } => vec![api_id.clone()],
        Change::RestoreStage { api_id, .. } => vec![api_id.clone()],
    }
}
