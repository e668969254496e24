use serde_json::json;

use super::*;
use crate::steps::Status;

fn allow(principal: serde_json::Value, resource: serde_json::Value) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "execute-api:Invoke", "Resource": resource}]})
}

#[test]
fn table_of_endpoint_policies() {
    let both_apis = json!([
        ORDERS_ARN,
        "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*"
    ]);
    let cases: Vec<(&str, Option<serde_json::Value>, Status, &str)> = vec![
        ("lab default", None, Status::Fail, "full-access default"),
        (
            "default written differently",
            Some(
                json!({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["*"], "Resource": "*"}}),
            ),
            Status::Fail,
            "",
        ),
        (
            "the callers' roles on the account's APIs",
            Some(allow(
                json!({"AWS": [SERVICE_A_ROLE, SERVICE_C_ROLE]}),
                both_apis.clone(),
            )),
            Status::Pass,
            "service-a-role, service-c-role",
        ),
        (
            "one caller on orders",
            Some(allow(json!({"AWS": SERVICE_A_ROLE}), json!(ORDERS_ARN))),
            Status::Pass,
            "service-a-role",
        ),
        (
            "anyone on the account's APIs",
            Some(allow(json!("*"), both_apis.clone())),
            Status::Fail,
            "unsigned",
        ),
        (
            "a caller on any API anywhere",
            Some(allow(json!({"AWS": SERVICE_A_ROLE}), json!("*"))),
            Status::Fail,
            "APIs of other accounts",
        ),
        (
            "a role of another account",
            Some(allow(
                json!({"AWS": [SERVICE_A_ROLE, "arn:aws:iam::444455556666:role/partner"]}),
                both_apis.clone(),
            )),
            Status::Fail,
            "arn:aws:iam::444455556666:role/partner",
        ),
        (
            "another account as principal",
            Some(allow(json!({"AWS": "444455556666"}), both_apis.clone())),
            Status::Fail,
            "444455556666",
        ),
        (
            "the whole own account",
            Some(allow(json!({"AWS": ACCOUNT}), both_apis.clone())),
            Status::Warn,
            "every principal of 111122223333",
        ),
        (
            "anyone, conditioned on the own account",
            Some(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:*",
                 "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}}]})),
            Status::Warn,
            "every principal",
        ),
        (
            "nobody the account has",
            Some(allow(
                json!({"AWS": "arn:aws:iam::111122223333:role/retired"}),
                json!("arn:aws:execute-api:us-east-1:111122223333:zzzzzzzzzz/*"),
            )),
            Status::Warn,
            "lockout",
        ),
        (
            "malformed",
            Some(json!("{not json")),
            Status::Fail,
            "cannot be parsed",
        ),
    ];
    for (name, policy, want, says) in cases {
        let p = lab(|p| match &policy {
            Some(serde_json::Value::String(raw)) => {
                p.endpoints[0].policy = Some(PolicyText::new(raw.clone()))
            }
            Some(v) => set_endpoint_policy(p, v),
            None => {}
        });
        let f = endpoint_finding(&p);
        assert_eq!(f.status, want, "{name}: {}", f.reason);
        assert!(
            f.reason.contains(says),
            "{name}: expected {says:?} in {:?}",
            f.reason
        );
        assert_eq!(
            f.resource_arn,
            "arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-0e9e9e9e9e9e9e9e9"
        );
    }
}

#[test]
fn no_policy_document_means_the_default() {
    let p = lab(|p| p.endpoints[0].policy = None);
    assert_eq!(endpoint_finding(&p).status, Status::Fail);
}

#[test]
fn anonymous_access_is_probed_on_every_method() {
    let inventory_put = INVENTORY_PUT;
    let orders_get = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*/GET/orders";
    let orders_delete =
        "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/DELETE/orders/*";
    // (case, methods anyone may invoke, status, text of the reason)
    let cases: Vec<(&str, Vec<&str>, Status, &str)> = vec![
        (
            "a Lambda-authorized method: the endpoint passes, the API is warned",
            vec![inventory_put],
            Status::Pass,
            "apart from the methods behind a Lambda or Cognito authorizer of inventory, which anyone may invoke (warned per API)",
        ),
        (
            "a NONE method: a failure",
            vec![orders_get],
            Status::Fail,
            "unsigned (anonymous) callers can invoke GET /orders of orders through it",
        ),
        (
            "one method deep in the API, not the API's root",
            vec![orders_delete],
            Status::Fail,
            "unsigned (anonymous) callers can invoke DELETE /orders/{id} of orders through it",
        ),
        (
            "both: the NONE one fails",
            vec![inventory_put, orders_get],
            Status::Fail,
            "GET /orders of orders",
        ),
    ];
    for (name, anonymous, status, text) in cases {
        let p = lab(|p| set_endpoint_policy(p, &roles_and_anyone_on(&BOTH_ROLES, &anonymous)));
        let f = endpoint_finding(&p);
        assert_eq!(f.status, status, "{name}: {}", f.reason);
        assert!(f.reason.contains(text), "{name}: {}", f.reason);
    }
    // Other accounts are probed on every method too.
    let p = lab(|p| {
        set_endpoint_policy(
            p,
            &json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": [SERVICE_A_ROLE, SERVICE_C_ROLE]},
                 "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                 "Action": "execute-api:Invoke", "Resource": orders_delete}]}),
        )
    });
    let f = endpoint_finding(&p);
    assert_eq!(f.status, Status::Fail, "{}", f.reason);
    assert!(
        f.reason
            .contains("principals of other accounts (e.g. 999999999999) can invoke DELETE /orders/{id} of orders"),
        "{}",
        f.reason
    );
}
