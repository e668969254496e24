use serde_json::json;

use super::*;
use crate::steps::Status;

fn orders_finding(p: &Posture) -> Finding {
    finding(p, Control::ResourcePolicy, |f| {
        f.api_id.as_deref() == Some(ORDERS)
    })
}

#[test]
fn table_of_resource_policies() {
    let allow_all = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN}]});
    let only_endpoint = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN,
         "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}]});
    let only_account = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN,
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}}]});
    let deny_all = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Nobody", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN}]});
    let shorthand = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}]});
    let account_principal = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN,
         "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}]});

    type Edit = Box<dyn Fn(&mut Posture)>;
    let with = |policy: serde_json::Value, signed: bool| -> Edit {
        Box::new(move |p: &mut Posture| {
            set_orders_policy(p, &policy);
            if signed {
                sign_orders(p);
            }
        })
    };
    let cases: Vec<(&str, Edit, Status, &str)> = vec![
        (
            "lab: allows everyone",
            Box::new(|_: &mut Posture| {}),
            Status::Fail,
            "other accounts",
        ),
        (
            "the guide's policy, signed methods",
            with(guide_resource_policy(), true),
            Status::Pass,
            "only principals of 111122223333 through vpce-0e9e9e9e9e9e9e9e9",
        ),
        (
            "the guide's policy on unsigned methods",
            with(guide_resource_policy(), false),
            Status::Warn,
            "lockout",
        ),
        (
            "allow all, signed",
            with(allow_all, true),
            Status::Fail,
            "other accounts",
        ),
        (
            "denies other endpoints only",
            with(only_endpoint, true),
            Status::Fail,
            "principals of other accounts can invoke",
        ),
        (
            "denies other accounts only",
            with(only_account, true),
            Status::Fail,
            "VPC endpoints not attached",
        ),
        (
            "denies everyone",
            with(deny_all, true),
            Status::Warn,
            "statement 1 (Nobody)",
        ),
        (
            "shorthand resources",
            with(shorthand, true),
            Status::Pass,
            "only principals",
        ),
        (
            "own account as principal",
            with(account_principal, true),
            Status::Pass,
            "only principals",
        ),
        (
            "no policy",
            Box::new(|p: &mut Posture| orders(p).policy = None),
            Status::Fail,
            "no resource policy",
        ),
        (
            "malformed policy",
            Box::new(|p: &mut Posture| {
                orders(p).policy = Some(PolicyText::new("{\"Statement\": ["))
            }),
            Status::Fail,
            "cannot be parsed",
        ),
    ];
    for (name, edit, want, says) in cases {
        let p = lab(|p| edit(p));
        let f = orders_finding(&p);
        assert_eq!(f.status, want, "{name}: {}", f.reason);
        assert!(
            f.reason.contains(says),
            "{name}: expected {says:?} in {:?}",
            f.reason
        );
        assert_eq!(
            f.resource_arn,
            "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"
        );
    }
}

#[test]
fn the_lab_inventory_policy_lets_other_accounts_in() {
    let p = lab(|_| {});
    let f = finding(&p, Control::ResourcePolicy, |f| {
        f.api_name.as_deref() == Some("inventory")
    });
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.reason.contains("principals of other accounts"),
        "{}",
        f.reason
    );
    assert!(
        !f.reason.contains("not attached"),
        "other endpoints are denied: {}",
        f.reason
    );
}

#[test]
fn regional_apis_say_endpoint_conditions_cannot_apply() {
    // No policy and an unsigned method: anyone can call.
    let p = lab(|_| {});
    let f = finding(&p, Control::ResourcePolicy, |f| {
        f.api_name.as_deref() == Some("status")
    });
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.reason
            .contains("aws:SourceVpce exists only for private APIs"),
        "{}",
        f.reason
    );

    // The guide's policy on a REGIONAL API: the SourceVpce deny matches every request.
    let p = lab(|p| {
        sign_orders(p);
        make_orders_regional(p);
        set_orders_policy(p, &guide_resource_policy());
    });
    let f = orders_finding(&p);
    assert_eq!(f.status, Status::Warn, "{}", f.reason);
    assert!(f.reason.contains("DenyOtherEndpoints"), "{}", f.reason);

    // Own account only, signed: other accounts are denied.
    let p = lab(|p| {
        sign_orders(p);
        make_orders_regional(p);
        set_orders_policy(
            p,
            &json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
            {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN,
             "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}}]}),
        );
    });
    let f = orders_finding(&p);
    assert_eq!(f.status, Status::Pass, "{}", f.reason);
    assert!(f.reason.contains("REGIONAL"), "{}", f.reason);
}

#[test]
fn a_custom_authorizer_method_is_locked_out_by_the_principal_account_deny() {
    // inventory has a CUSTOM method: with the guide's policy its callers carry no principal keys.
    let p = lab(|p| {
        let inv = p.apis.iter_mut().find(|a| a.name == "inventory").unwrap();
        let arn = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
        let mut policy = guide_resource_policy();
        for st in policy["Statement"].as_array_mut().unwrap() {
            st["Resource"] = json!(arn);
        }
        inv.policy = Some(PolicyText::new(policy.to_string()));
    });
    let f = finding(&p, Control::ResourcePolicy, |f| {
        f.api_name.as_deref() == Some("inventory")
    });
    assert_eq!(f.status, Status::Warn, "{}", f.reason);
    assert!(f.reason.contains("PUT /items/{sku}"), "{}", f.reason);
}

/// A resource policy for inventory: the guide's three statements, with the account statement
/// on `account_resource` (`Resource` or `NotResource`).
fn inventory_policy(account_resource: serde_json::Value) -> serde_json::Value {
    let arn = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
    let mut account = serde_json::json!({"Sid": "DenyOtherAccounts", "Effect": "Deny",
        "Principal": "*", "Action": "execute-api:Invoke",
        "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}});
    for (k, v) in account_resource.as_object().unwrap() {
        account[k] = v.clone();
    }
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn},
        account,
        {"Sid": "DenyOtherEndpoints", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": arn, "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}]})
}

#[test]
fn authorizer_methods_are_judged_on_the_endpoint_only() {
    let arn = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
    let put = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*";
    let get = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/GET/items";
    // (case, where the account statement applies, status, text of the reason)
    let cases: Vec<(&str, serde_json::Value, Status, &str)> = vec![
        (
            "the account statement leaves the Lambda-authorized method out",
            serde_json::json!({"NotResource": put}),
            Status::Pass,
            "PUT /items/{sku} (behind a Lambda or Cognito authorizer): their callers carry no IAM identity, so the account check is judged on the other methods, and these only need to be limited to the attached endpoints",
        ),
        (
            "the guide's account statement denies the token callers",
            serde_json::json!({"Resource": arn}),
            Status::Warn,
            "denies service-a-role on PUT /items/{sku}",
        ),
        (
            "leaving out more than the authorizer method opens GET /items",
            serde_json::json!({"NotResource": [put, get]}),
            Status::Fail,
            "principals of other accounts can invoke GET /items",
        ),
    ];
    for (name, account, status, text) in cases {
        let p = lab(|p| {
            let api = p.apis.iter_mut().find(|a| a.id == "f6g7h8i9j0").unwrap();
            api.policy = Some(PolicyText::new(inventory_policy(account).to_string()));
        });
        let f = finding(&p, Control::ResourcePolicy, |f| {
            f.api_id.as_deref() == Some("f6g7h8i9j0")
        });
        assert_eq!(f.status, status, "{name}: {}", f.reason);
        assert!(f.reason.contains(text), "{name}: {}", f.reason);
    }
    // Without the endpoint statement the authorizer method is open through any endpoint.
    let p = lab(|p| {
        let api = p.apis.iter_mut().find(|a| a.id == "f6g7h8i9j0").unwrap();
        let mut policy = inventory_policy(serde_json::json!({"NotResource": put}));
        policy["Statement"].as_array_mut().unwrap().pop();
        api.policy = Some(PolicyText::new(policy.to_string()));
    });
    let f = finding(&p, Control::ResourcePolicy, |f| {
        f.api_id.as_deref() == Some("f6g7h8i9j0")
    });
    assert_eq!(f.status, Status::Fail, "{}", f.reason);
    assert!(
        f.reason
            .contains("requests through VPC endpoints not attached to the API can invoke"),
        "{}",
        f.reason
    );
}
