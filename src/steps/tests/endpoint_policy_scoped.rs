//! Methods behind a Lambda or Cognito authorizer open through the endpoint: warned on their own
//! API, not on the endpoint's finding (which every API behind it shares).

use serde_json::json;

use super::*;
use crate::steps::Status;

#[test]
fn open_authorizer_methods_are_warned_on_their_api_alone() {
    let p =
        lab(|p| set_endpoint_policy(p, &roles_and_anyone_on(&[SERVICE_A_ROLE], &[INVENTORY_PUT])));
    let main = endpoint_finding(&p);
    assert_eq!(main.status, Status::Pass, "{}", main.reason);
    assert!(main.reason.contains("(service-a-role)"), "{}", main.reason);
    let scoped = api_findings(&p);
    assert_eq!(scoped.len(), 1, "{scoped:#?}");
    let f = &scoped[0];
    assert_eq!(f.status, Status::Warn);
    assert_eq!(
        (f.api_id.as_deref(), f.api_name.as_deref()),
        (Some(INVENTORY), Some("inventory"))
    );
    assert_eq!(f.vpc_endpoint_id.as_deref(), Some(VPCE));
    assert_eq!(
        f.resource_arn, main.resource_arn,
        "the endpoint's policy is judged"
    );
    assert_eq!(
        f.reason,
        "vpce-0e9e9e9e9e9e9e9e9: anyone, unsigned or of another account, can invoke PUT /items/{sku} of inventory through it: these methods use a Lambda or Cognito authorizer, whose token callers the endpoint sees as anonymous, so their authorizer is their only gate"
    );
}

#[test]
fn authorizer_methods_of_several_apis_get_one_warning_each() {
    // Orders gets a Lambda-authorized method too: each API is warned of its own methods.
    let orders_put = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*/PUT/orders/*";
    let p = lab(|p| {
        for r in orders(p).resources.as_mut().unwrap() {
            for m in &mut r.methods {
                if (m.http_method.as_str(), r.path.as_str()) == ("PUT", "/orders/{id}") {
                    m.authorization_type = AuthorizationType::Custom;
                }
            }
        }
        set_endpoint_policy(
            p,
            &roles_and_anyone_on(&BOTH_ROLES, &[INVENTORY_PUT, orders_put]),
        )
    });
    assert_eq!(endpoint_finding(&p).status, Status::Pass);
    let scoped: Vec<(Option<String>, Status, bool)> = api_findings(&p)
        .into_iter()
        .map(|f| {
            let names_own = match f.api_id.as_deref() {
                Some(ORDERS) => {
                    f.reason.contains("PUT /orders/{id} of orders") && !f.reason.contains("items")
                }
                _ => {
                    f.reason.contains("PUT /items/{sku} of inventory")
                        && !f.reason.contains("/orders")
                }
            };
            (f.api_id, f.status, names_own)
        })
        .collect();
    assert_eq!(
        scoped,
        [
            (Some(INVENTORY.to_string()), Status::Warn, true),
            (Some(ORDERS.to_string()), Status::Warn, true)
        ]
    );
}

#[test]
fn other_reasons_stay_on_the_endpoint_finding() {
    let orders_get = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*/GET/orders";
    // A failure: the endpoint fails, and nothing is scoped to an API.
    let p = lab(|p| {
        set_endpoint_policy(
            p,
            &roles_and_anyone_on(&[SERVICE_A_ROLE], &[INVENTORY_PUT, orders_get]),
        )
    });
    assert_eq!(endpoint_finding(&p).status, Status::Fail);
    assert!(api_findings(&p).is_empty(), "{:#?}", api_findings(&p));
    // A lockout: the callers get through only where anyone does, to the authorizer method.
    let p = lab(|p| {
        set_endpoint_policy(
            p,
            &json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": SERVICE_A_ROLE}, "Action": "execute-api:Invoke",
                 "Resource": "arn:aws:execute-api:us-east-1:111122223333:zzzzzzzzzz/*"},
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": INVENTORY_PUT}]}),
        )
    });
    let main = endpoint_finding(&p);
    assert_eq!(main.status, Status::Warn, "{}", main.reason);
    assert!(main.reason.contains("(lockout)"), "{}", main.reason);
    let scoped = api_findings(&p);
    assert_eq!(scoped.len(), 1, "{scoped:#?}");
    assert_eq!(scoped[0].api_id.as_deref(), Some(INVENTORY));
    // A condition that cannot be evaluated: the endpoint warns of it, inventory of its method.
    let p = lab(|p| {
        let mut policy = roles_and_anyone_on(&[SERVICE_A_ROLE], &[INVENTORY_PUT]);
        policy["Statement"].as_array_mut().unwrap().push(json!(
            {"Effect": "Allow", "Principal": {"AWS": SERVICE_C_ROLE}, "Action": "execute-api:Invoke",
             "Resource": [ORDERS_ARN, INVENTORY_ARN],
             "Condition": {"DateLessThan": {"aws:CurrentTime": "2099-01-01T00:00:00Z"}}}));
        set_endpoint_policy(p, &policy)
    });
    let main = endpoint_finding(&p);
    assert_eq!(main.status, Status::Warn, "{}", main.reason);
    assert!(main.reason.contains("cannot evaluate"), "{}", main.reason);
    assert!(!main.reason.contains("only gate"), "{}", main.reason);
    let scoped = api_findings(&p);
    assert_eq!(scoped.len(), 1, "{scoped:#?}");
    assert_eq!(scoped[0].api_id.as_deref(), Some(INVENTORY));
}
