//! `plan::build` on the lab.

use super::build;
use crate::cloud::sandbox::SandboxCloud;
use crate::model::{AuthorizationType, Posture};
use crate::plan::{Change, Inputs, PLAN_VERSION, Plan, StepState};
use crate::steps::{Control, Status};

const ORDERS: &str = "a1b2c3d4e5";
const STATUS: &str = "k1l2m3n4o5";
const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
const SERVICE_A: &str = "arn:aws:iam::111122223333:role/service-a-role";
const SERVICE_C: &str = "arn:aws:iam::111122223333:role/service-c-role";
const WHEN: &str = "2024-05-01T12:00:00Z";

fn lab() -> Posture {
    SandboxCloud::lab_posture()
}

fn inferred(posture: &Posture, apis: &[&str]) -> Inputs {
    let apis: Vec<String> = apis.iter().map(|s| s.to_string()).collect();
    Inputs::infer(posture, &apis, &[])
}

/// Each step's changes as short tags, in apply order.
fn shape(plan: &Plan) -> Vec<(Control, Vec<String>)> {
    plan.steps
        .iter()
        .map(|s| {
            let tags = s
                .changes
                .iter()
                .map(|c| match c {
                    Change::SetMethodAuthorization { method, new, .. } => format!(
                        "auth {} {} {}",
                        method.http_method,
                        method.path,
                        new.as_str()
                    ),
                    Change::SetResourcePolicy { api_id, .. } => format!("policy {api_id}"),
                    Change::SetEndpointPolicy { endpoint_id, .. } => {
                        format!("endpoint {endpoint_id}")
                    }
                    Change::AuthorizeIngress {
                        source_group_id, ..
                    } => format!("authorize {source_group_id}"),
                    Change::RevokeIngress { expected, .. } => {
                        format!("revoke {}", expected.rule_id)
                    }
                    Change::RestoreIngress { group_id, .. } => format!("restore {group_id}"),
                    Change::Redeploy { api_id, stage, .. } => format!("redeploy {api_id} {stage}"),
                    Change::RestoreStage { api_id, stage, .. } => {
                        format!("restore stage {api_id} {stage}")
                    }
                })
                .collect();
            (s.control, tags)
        })
        .collect()
}

#[test]
fn all_four_steps_on_the_lab() {
    let lab = lab();
    let inputs = inferred(&lab, &[ORDERS]);
    assert_eq!(inputs.endpoint_ids, [VPCE]);
    assert_eq!(inputs.caller_roles, [SERVICE_A, SERVICE_C]);
    let plan = build(&lab, &inputs, &Control::ALL, WHEN);
    assert_eq!(
        (plan.version, plan.account.as_str(), plan.region.as_str()),
        (PLAN_VERSION, "111122223333", "us-east-1")
    );
    assert_eq!(plan.created_at, WHEN);
    assert_eq!(plan.inputs, inputs);
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        shape(&plan),
        vec![
            (
                Control::IamAuth,
                s(&[
                    "auth GET /orders AWS_IAM",
                    "auth POST /orders AWS_IAM",
                    "auth DELETE /orders/{id} AWS_IAM",
                    "auth GET /orders/{id} AWS_IAM",
                    "auth PUT /orders/{id} AWS_IAM",
                ])
            ),
            (
                Control::ResourcePolicy,
                s(&["policy a1b2c3d4e5", "redeploy a1b2c3d4e5 prod"])
            ),
            (
                Control::EndpointPolicy,
                s(&["endpoint vpce-0e9e9e9e9e9e9e9e9"])
            ),
            (
                Control::EndpointSg,
                s(&[
                    "authorize sg-0a1a1a1a1a1a1a1a1",
                    "authorize sg-0c3c3c3c3c3c3c3c3",
                    "revoke sgr-0e9e9e9e9e9e90443",
                ])
            ),
        ]
    );
    for step in &plan.steps {
        assert_eq!(step.state, StepState::Ready, "{step:#?}");
        assert!(!step.verdicts.is_empty());
    }
    assert!(plan.steps[3].verdicts.iter().all(|v| v.passed));
    // The one redeploy carries both steps' changes, and the first step says where it went.
    let redeploy = plan
        .changes()
        .find_map(|c| match c {
            Change::Redeploy { description, .. } => Some(description.clone()),
            _ => None,
        })
        .unwrap();
    assert!(redeploy.starts_with("ztharden iam-auth: AWS_IAM on 5 method(s) of orders; resource-policy: new resource policy of orders"), "{redeploy}");
    assert!(
        plan.steps[0].guidance.iter().any(|g| g
            == "stage prod of a1b2c3d4e5 is redeployed once, at the end of the resource-policy step, with the changes of this one"),
        "{:?}",
        plan.steps[0].guidance
    );
}

#[test]
fn no_placeholder_is_left_in_the_plan_file() {
    let lab = lab();
    for apis in [vec![ORDERS], vec![ORDERS, STATUS], vec![]] {
        let plan = build(&lab, &inferred(&lab, &apis), &Control::ALL, WHEN);
        let json = serde_json::to_string_pretty(&plan).unwrap();
        for placeholder in [
            "INSERT_",
            "ACCOUNT_ID",
            "API_ID",
            "ROLE_ARN",
            "VPC_ENDPOINT",
            "REGION:",
            "execute-api:*:*:*",
        ] {
            assert!(
                !json.contains(placeholder),
                "{placeholder} in the plan for {apis:?}:\n{json}"
            );
        }
        // Every id is there instead.
        for id in ["111122223333", VPCE, SERVICE_A, "sgr-0e9e9e9e9e9e90443"] {
            assert!(json.contains(id), "{id} missing for {apis:?}");
        }
        let back: Plan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, plan, "the plan file reads back as written");
    }
}

#[test]
fn controls_come_in_order_once_and_redeploys_stay_when_alone() {
    let lab = lab();
    let inputs = inferred(&lab, &[ORDERS]);
    let plan = build(
        &lab,
        &inputs,
        &[Control::EndpointSg, Control::IamAuth, Control::IamAuth],
        WHEN,
    );
    let controls: Vec<Control> = plan.steps.iter().map(|s| s.control).collect();
    assert_eq!(controls, [Control::IamAuth, Control::EndpointSg]);
    let tags = &shape(&plan)[0].1;
    assert_eq!(tags.last().unwrap(), "redeploy a1b2c3d4e5 prod", "{tags:?}");
    assert_eq!(tags.iter().filter(|t| t.starts_with("redeploy")).count(), 1);
}

#[test]
fn one_redeploy_per_stage_across_apis_and_steps() {
    let lab = lab();
    let inputs = inferred(&lab, &[ORDERS, STATUS]);
    let plan = build(
        &lab,
        &inputs,
        &[Control::IamAuth, Control::ResourcePolicy],
        WHEN,
    );
    let shape = shape(&plan);
    assert!(
        !shape[0].1.iter().any(|t| t.starts_with("redeploy")),
        "{shape:?}"
    );
    let redeploys: Vec<&String> = shape[1]
        .1
        .iter()
        .filter(|t| t.starts_with("redeploy"))
        .collect();
    assert_eq!(
        redeploys,
        ["redeploy a1b2c3d4e5 prod", "redeploy k1l2m3n4o5 prod"]
    );
    // Each redeploy comes after its API's policy change.
    let pos = |t: &str| shape[1].1.iter().position(|x| x == t).unwrap();
    assert!(pos("policy a1b2c3d4e5") < pos("redeploy a1b2c3d4e5 prod"));
    assert!(pos("policy k1l2m3n4o5") < pos("redeploy k1l2m3n4o5 prod"));
    assert!(plan.steps.iter().all(|s| s.is_ready()), "{plan:#?}");
}

#[test]
fn a_plan_on_an_already_hardened_lab_changes_nothing() {
    let lab = lab();
    let inputs = inferred(&lab, &[ORDERS]);
    let first = build(&lab, &inputs, &Control::ALL, WHEN);
    let changes: Vec<Change> = first.changes().cloned().collect();
    let hardened = crate::plan::project(&lab, &changes);
    let orders = hardened.api(ORDERS).unwrap();
    assert!(
        orders.methods().all(|(_, m)| m.http_method == "OPTIONS"
            || m.authorization_type == AuthorizationType::AwsIam)
    );
    let again = build(&hardened, &inputs, &Control::ALL, WHEN);
    for step in &again.steps {
        assert!(step.changes.is_empty(), "{step:#?}");
        assert!(matches!(step.state, StepState::NothingToDo(_)), "{step:#?}");
        assert!(step.verdicts.iter().all(|v| v.passed), "{step:#?}");
    }
}

#[test]
fn after_the_whole_plan_every_control_of_orders_passes() {
    let lab = lab();
    let inputs = inferred(&lab, &[ORDERS]);
    let plan = build(&lab, &inputs, &Control::ALL, WHEN);
    assert!(plan.steps.iter().all(|s| s.is_ready()), "{plan:#?}");
    let changes: Vec<Change> = plan.changes().cloned().collect();
    let hardened = crate::plan::project(&lab, &changes);
    let findings = crate::steps::assess(&hardened);
    let paths = crate::steps::api_paths(&hardened);
    let orders = paths.iter().find(|p| p.api_id == ORDERS).unwrap();
    for control in Control::ALL {
        assert_eq!(
            orders.status(&findings, control),
            Some(Status::Pass),
            "{control}: {:#?}",
            orders.findings(&findings, control).collect::<Vec<_>>()
        );
    }
    // Inventory's Lambda-authorized method stays open to token callers through the shared
    // endpoint, as the plan says: warned on inventory, not on orders.
    let inventory = paths.iter().find(|p| p.api_name == "inventory").unwrap();
    assert_eq!(
        inventory.status(&findings, Control::EndpointPolicy),
        Some(Status::Warn)
    );
}
