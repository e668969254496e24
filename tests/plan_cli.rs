//! `ztharden plan` as a user runs it on the sandbox: the diffs with every id filled in, the
//! JSON form, the plan file; input errors and blocked plans in [`inputs`].

mod support;

/// Callers given, input errors, blocked plans, nothing to do.
#[path = "plan_cli/inputs.rs"]
mod inputs;

use std::path::Path;

use support::cli::{stderr, stdout, ztharden_scratch};
use support::lab::{
    ACCOUNT, ENDPOINT, ENDPOINT_SG, ORDERS, ORDERS_ARN, SERVICE_A_ROLE, SERVICE_A_SG,
    SERVICE_C_ROLE, SERVICE_C_SG,
};
use ztharden::model::AuthorizationType;
use ztharden::plan::{Change, Plan, StepState};
use ztharden::policy::{self, PrincipalSpec};
use ztharden::steps::Control;

fn read_plan(path: &Path) -> Plan {
    let text = std::fs::read_to_string(path).expect("the plan file exists");
    serde_json::from_str(&text).expect("the plan file is a Plan")
}

#[test]
fn all_four_steps_with_every_id_filled_in() {
    let out = ztharden_scratch(&["--demo", "plan", "--control", "all", "--api", ORDERS]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    for step in [
        "Step 1 of 4: iam-auth (IAM authorization on methods): ready",
        "Step 2 of 4: resource-policy (API resource policy): ready",
        "Step 3 of 4: endpoint-policy (VPC endpoint policy): ready",
        "Step 4 of 4: endpoint-sg (Endpoint security group): ready",
    ] {
        assert!(text.contains(step), "{step} missing in:\n{text}");
    }
    for id in [
        ACCOUNT,
        ENDPOINT,
        SERVICE_A_ROLE,
        SERVICE_C_ROLE,
        SERVICE_A_SG,
        SERVICE_C_SG,
        ORDERS_ARN,
        "sgr-0e9e9e9e9e9e90443",
    ] {
        assert!(text.contains(id), "{id} missing in:\n{text}");
    }
    assert!(!text.contains("INSERT_"), "a placeholder is left:\n{text}");
    assert!(!text.contains('\x1b'), "no colour off a terminal");
    // The reviewed diff: methods, the new resource policy's statements, the rules.
    for line in [
        "~ orders (a1b2c3d4e5)  /orders       GET     NONE -> AWS_IAM",
        r#"+           "aws:SourceVpce": "vpce-0e9e9e9e9e9e9e9e9""#,
        r#"+           "aws:PrincipalAccount": "111122223333""#,
        "+ tcp 443 from sg-0a1a1a1a1a1a1a1a1 (",
        "- tcp 443 from 0.0.0.0/0 (sgr-0e9e9e9e9e9e90443",
        "+ new deployment of stage prod of orders (a1b2c3d4e5) (now dep0rders1)",
        "✓ PASS service-a-role can invoke",
    ] {
        assert!(text.contains(line), "{line} missing in:\n{text}");
    }
    // It says which callers it inferred.
    assert!(
        text.contains("caller roles inferred from instances in vpc-0ab12cd34ef567890"),
        "{text}"
    );
}

#[test]
fn json_is_the_plan() {
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "all",
        "--api",
        ORDERS,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: Plan = serde_json::from_slice(&out.stdout).expect("the JSON is a Plan");
    assert_eq!(plan.version, ztharden::plan::PLAN_VERSION);
    assert_eq!(plan.account, ACCOUNT);
    assert_eq!(plan.region, "us-east-1");
    let created = time::OffsetDateTime::parse(
        &plan.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .expect("created_at is RFC 3339");
    assert_eq!(created.offset(), time::UtcOffset::UTC);
    let controls: Vec<Control> = plan.steps.iter().map(|s| s.control).collect();
    assert_eq!(controls, Control::ALL.to_vec());
    // The field names of the contract.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "version",
        "account",
        "region",
        "created_at",
        "inputs",
        "steps",
    ] {
        assert!(doc.get(key).is_some(), "{key} missing");
    }
    let change = &doc["steps"][0]["changes"][0];
    assert_eq!(change["kind"], "set-method-authorization");
    assert_eq!(change["expected"], "NONE");
    assert_eq!(change["new"], "AWS_IAM");
    assert_eq!(doc["steps"][0]["state"]["state"], "ready");
}

#[test]
fn out_writes_the_plan_file_with_the_expected_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "an older plan").unwrap();
    let file = path.to_str().unwrap();
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "all",
        "--api",
        ORDERS,
        "--out",
        file,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("plan written to"), "{}", stderr(&out));
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");

    let plan = read_plan(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    // Lossless: the file is exactly the serde form of the Plan it holds.
    assert_eq!(
        serde_json::to_value(&plan).unwrap(),
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    );
    let again: Plan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(again, plan);

    assert_eq!(plan.inputs.api_ids, vec![ORDERS]);
    assert_eq!(plan.inputs.endpoint_ids, vec![ENDPOINT]);
    assert_eq!(
        plan.inputs.caller_roles,
        vec![SERVICE_A_ROLE, SERVICE_C_ROLE]
    );
    assert_eq!(plan.inputs.caller_groups, vec![SERVICE_A_SG, SERVICE_C_SG]);
    assert!(plan.steps.iter().all(|s| s.state == StepState::Ready));

    // iam-auth: the five NONE methods of orders, not the OPTIONS preflights.
    let mut methods: Vec<String> = plan
        .changes()
        .filter_map(|c| match c {
            Change::SetMethodAuthorization {
                method,
                expected,
                new,
                ..
            } => {
                assert_eq!(method.api_id, ORDERS);
                assert_eq!(*expected, AuthorizationType::None);
                assert_eq!(*new, AuthorizationType::AwsIam);
                Some(format!("{} {}", method.http_method, method.path))
            }
            _ => None,
        })
        .collect();
    methods.sort();
    assert_eq!(
        methods,
        [
            "DELETE /orders/{id}",
            "GET /orders",
            "GET /orders/{id}",
            "POST /orders",
            "PUT /orders/{id}"
        ]
    );

    // resource-policy: expects the live policy, sets the guide's three statements.
    let (expected, new) = plan
        .changes()
        .find_map(|c| match c {
            Change::SetResourcePolicy {
                api_id,
                expected,
                new,
            } if api_id == ORDERS => Some((expected.clone(), new.clone())),
            _ => None,
        })
        .expect("a resource policy for orders");
    assert!(expected.unwrap().contains(ORDERS), "the live policy text");
    let new = policy::parse(&new).expect("the new resource policy parses");
    assert_eq!(new.statements().len(), 3);
    let resource_text = new.to_json_string();
    for id in [ACCOUNT, ENDPOINT, ORDERS_ARN] {
        assert!(resource_text.contains(id), "{id} in {resource_text}");
    }

    // endpoint-policy: both caller roles, the orders ARN, a Version.
    let new = plan
        .changes()
        .find_map(|c| match c {
            Change::SetEndpointPolicy {
                endpoint_id,
                expected,
                new,
            } if endpoint_id == ENDPOINT => {
                assert!(
                    expected
                        .as_deref()
                        .unwrap()
                        .contains("\"Principal\": \"*\"")
                );
                Some(new.clone())
            }
            _ => None,
        })
        .expect("an endpoint policy");
    let new = policy::parse(&new).expect("the new endpoint policy parses");
    assert_eq!(new.version.as_deref(), Some("2012-10-17"));
    let allow = &new.statements()[0];
    let Some(PrincipalSpec::Map(principals)) = &allow.principal else {
        panic!("named principals: {allow:?}")
    };
    assert_eq!(principals["AWS"], vec![SERVICE_A_ROLE, SERVICE_C_ROLE]);
    assert!(new.to_json_string().contains(ORDERS_ARN));

    // endpoint-sg: both caller groups admitted, then the open rule revoked.
    let sg: Vec<&Change> = plan
        .changes()
        .filter(|c| c.control() == Some(Control::EndpointSg))
        .collect();
    assert!(
        matches!(sg[0], Change::AuthorizeIngress { group_id, source_group_id, port: 443, .. }
        if group_id == ENDPOINT_SG && source_group_id == SERVICE_A_SG)
    );
    assert!(
        matches!(sg[1], Change::AuthorizeIngress { source_group_id, .. } if source_group_id == SERVICE_C_SG)
    );
    assert!(matches!(sg[2], Change::RevokeIngress { group_id, expected }
        if group_id == ENDPOINT_SG && expected.rule_id == "sgr-0e9e9e9e9e9e90443"));
    assert_eq!(sg.len(), 3);

    // One redeploy of the one stage, expecting its deployment.
    let redeploys: Vec<&Change> = plan
        .changes()
        .filter(|c| matches!(c, Change::Redeploy { .. }))
        .collect();
    assert!(
        matches!(redeploys[..], [Change::Redeploy { api_id, stage, expected_deployment_id: Some(d), .. }]
        if api_id == ORDERS && stage == "prod" && d == "dep0rders1")
    );
}

#[test]
fn every_api_of_the_account_by_default() {
    // Without --api: all three APIs. Inventory's PUT /items/{sku} stays behind its Lambda
    // authorizer: the account statement leaves it out and the endpoint admits it anonymously,
    // so the four steps are ready and every verdict of the last one passes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "all",
        "--out",
        path.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    assert!(
        text.contains("APIs: inventory (f6g7h8i9j0), orders (a1b2c3d4e5), status (k1l2m3n4o5)"),
        "{text}"
    );
    for step in ["Step 1 of 4", "Step 2 of 4", "Step 3 of 4", "Step 4 of 4"] {
        assert!(text.contains(step), "{step} missing");
    }
    assert!(text.contains("status (k1l2m3n4o5) is REGIONAL"), "{text}");
    // Step 1 leaves the other-account and other-endpoint checks to step 2, and says so.
    assert!(
        text.contains("… PENDING a request to orders through an endpoint that is not chosen (vpce-0f0f0f0f0f0f0f0f0) is denied (fixed by step 2: resource-policy)"),
        "{text}"
    );
    assert!(!text.contains("✗ FAIL"), "{text}");
    assert!(!text.contains("INSERT_"));
    let plan = read_plan(&path);
    assert!(
        plan.steps.iter().all(|s| s.state == StepState::Ready),
        "{plan:#?}"
    );
    let last = plan.steps.last().unwrap();
    assert!(
        last.verdicts.iter().all(|v| v.passed),
        "{:#?}",
        last.verdicts
    );
    assert_eq!(
        expected_lab_changes(&plan),
        vec![
            "GET /orders of a1b2c3d4e5: authorization NONE -> AWS_IAM",
            "POST /orders of a1b2c3d4e5: authorization NONE -> AWS_IAM",
            "DELETE /orders/{id} of a1b2c3d4e5: authorization NONE -> AWS_IAM",
            "GET /orders/{id} of a1b2c3d4e5: authorization NONE -> AWS_IAM",
            "PUT /orders/{id} of a1b2c3d4e5: authorization NONE -> AWS_IAM",
            "GET /health of k1l2m3n4o5: authorization NONE -> AWS_IAM",
            "resource policy of f6g7h8i9j0: replace",
            "redeploy stage v1 of f6g7h8i9j0",
            "resource policy of a1b2c3d4e5: replace",
            "redeploy stage prod of a1b2c3d4e5",
            "resource policy of k1l2m3n4o5: set",
            "redeploy stage prod of k1l2m3n4o5",
            "endpoint policy of vpce-0e9e9e9e9e9e9e9e9: replace",
            "sg-0e9e9e9e9e9e9e9e9: allow tcp 443 from sg-0a1a1a1a1a1a1a1a1",
            "sg-0e9e9e9e9e9e9e9e9: allow tcp 443 from sg-0c3c3c3c3c3c3c3c3",
            "sg-0e9e9e9e9e9e9e9e9: revoke tcp 443 from 0.0.0.0/0 (sgr-0e9e9e9e9e9e90443)",
        ]
    );
    let inventory = plan
        .changes()
        .find_map(|c| match c {
            Change::SetResourcePolicy { api_id, new, .. } if api_id == "f6g7h8i9j0" => {
                Some(new.clone())
            }
            _ => None,
        })
        .unwrap();
    assert!(
        inventory.contains(r#""Sid":"DenyOtherAccounts","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","NotResource":"arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*""#),
        "{inventory}"
    );
    let endpoint = plan
        .changes()
        .find_map(|c| match c {
            Change::SetEndpointPolicy { new, .. } => Some(new.clone()),
            _ => None,
        })
        .unwrap();
    assert!(
        endpoint.contains(r#"{"Sid":"AllowAuthorizerMethods","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*"}"#),
        "{endpoint}"
    );
    let file = std::fs::read_to_string(&path).unwrap();
    for placeholder in ["INSERT_", "ACCOUNT_ID", "VPC_ENDPOINT_ID", "ROLE_ARN", "{{"] {
        assert!(
            !file.contains(placeholder),
            "{placeholder} in the plan file"
        );
    }
}

/// Every change of a plan in one line each, in apply order.
fn expected_lab_changes(plan: &Plan) -> Vec<String> {
    plan.changes().map(Change::summary).collect()
}
