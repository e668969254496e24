//! The identity policy for applying (`assets/iam/ztharden-apply.json`): everything the read
//! policy grants, plus exactly the six write actions, which cover every call a plan makes.

use std::collections::BTreeSet;

use serde_json::Value;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::plan::{Inputs, build};
use ztharden::steps::Control;

fn policy(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/iam")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn actions(statement: &Value) -> Vec<String> {
    match &statement["Action"] {
        Value::String(a) => vec![a.clone()],
        Value::Array(a) => a.iter().map(|a| a.as_str().unwrap().to_string()).collect(),
        other => panic!("no Action: {other}"),
    }
}

/// The IAM action that allows an AWS call: API Gateway authorises its management calls by
/// HTTP verb, EC2 by the call's own name.
fn iam_action(call: &str) -> &str {
    match call {
        "apigateway:UpdateMethod" | "apigateway:UpdateRestApi" => "apigateway:PATCH",
        "apigateway:CreateDeployment" => "apigateway:POST",
        other => other,
    }
}

#[test]
fn the_apply_policy_is_the_read_policy_plus_the_six_writes() {
    let read = policy("ztharden-read.json");
    let apply = policy("ztharden-apply.json");
    let read_statements = read["Statement"].as_array().unwrap();
    let apply_statements = apply["Statement"].as_array().unwrap();
    for s in read_statements {
        assert!(apply_statements.contains(s), "read statement missing: {s}");
    }
    let writes: BTreeSet<String> = apply_statements
        .iter()
        .filter(|s| !read_statements.contains(s))
        .inspect(|s| assert_eq!(s["Effect"], "Allow", "{s}"))
        .flat_map(actions)
        .collect();
    let expected: BTreeSet<String> = [
        "apigateway:PATCH",
        "apigateway:UpdateRestApiPolicy",
        "apigateway:POST",
        "ec2:ModifyVpcEndpoint",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(writes, expected);

    // Every call of a whole plan is allowed.
    let lab = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&lab, &[], &[]);
    let plan = build(&lab, &inputs, &Control::ALL, "2026-01-01T00:00:00Z");
    let calls: BTreeSet<&str> = plan.changes().map(|c| c.aws_call()).collect();
    assert!(calls.len() >= 6, "{calls:?}");
    for call in calls {
        assert!(writes.contains(iam_action(call)), "{call} is not allowed");
    }
}
