//! Table-driven assessments on variants of the sandbox lab.

mod endpoint_policy;
mod endpoint_policy_scoped;
mod paths;
mod resource_policy;

use crate::cloud::sandbox::SandboxCloud;
use crate::model::{AuthorizationType, EndpointType, PolicyText, Posture};
use crate::steps::{Control, Finding, assess};

pub const ACCOUNT: &str = "111122223333";
pub const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
pub const ORDERS: &str = "a1b2c3d4e5";
pub const ORDERS_ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*";
pub const INVENTORY: &str = "f6g7h8i9j0";
pub const INVENTORY_ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
/// The one method of inventory behind a Lambda authorizer (CUSTOM), on every stage.
pub const INVENTORY_PUT: &str =
    "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*/PUT/items/*";
pub const SERVICE_A_ROLE: &str = "arn:aws:iam::111122223333:role/service-a-role";
pub const SERVICE_C_ROLE: &str = "arn:aws:iam::111122223333:role/service-c-role";
pub const BOTH_ROLES: [&str; 2] = [SERVICE_A_ROLE, SERVICE_C_ROLE];

/// The lab with changes applied by `edit`.
pub fn lab(edit: impl FnOnce(&mut Posture)) -> Posture {
    let mut p = SandboxCloud::lab_posture();
    edit(&mut p);
    p
}

/// The orders API of a posture, mutably.
pub fn orders(p: &mut Posture) -> &mut crate::model::RestApi {
    p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap()
}

/// Sign every method of the orders API (except CORS preflight).
pub fn sign_orders(p: &mut Posture) {
    for r in orders(p).resources.as_mut().unwrap() {
        for m in &mut r.methods {
            if m.http_method != "OPTIONS" {
                m.authorization_type = AuthorizationType::AwsIam;
            }
        }
    }
}

pub fn set_orders_policy(p: &mut Posture, policy: &serde_json::Value) {
    orders(p).policy = Some(PolicyText::new(policy.to_string()));
}

pub fn make_orders_regional(p: &mut Posture) {
    let api = orders(p);
    api.endpoint_types = vec![EndpointType::Regional];
    api.vpc_endpoint_ids.clear();
}

pub fn set_endpoint_policy(p: &mut Posture, policy: &serde_json::Value) {
    p.endpoints[0].policy = Some(PolicyText::new(policy.to_string()));
}

/// An endpoint policy: `roles` may invoke both private APIs of the lab, and anyone may invoke
/// `anonymous`.
pub fn roles_and_anyone_on(roles: &[&str], anonymous: &[&str]) -> serde_json::Value {
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": roles}, "Action": "execute-api:Invoke",
         "Resource": [ORDERS_ARN, INVENTORY_ARN]},
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": anonymous}]})
}

/// The guide's three statements with the lab's ids filled in.
pub fn guide_resource_policy() -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
            {"Sid": "DenyOtherAccounts", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
             "Resource": ORDERS_ARN, "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}},
            {"Sid": "DenyOtherEndpoints", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
             "Resource": ORDERS_ARN, "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}
        ]
    })
}

/// The one finding of a control on a resource picked by `pick`.
pub fn finding(p: &Posture, control: Control, pick: impl Fn(&Finding) -> bool) -> Finding {
    let all: Vec<Finding> = assess(p)
        .into_iter()
        .filter(|f| f.control == control && pick(f))
        .collect();
    assert_eq!(all.len(), 1, "expected one {control} finding, got {all:#?}");
    all.into_iter().next().unwrap()
}

/// The endpoint's own finding (not one scoped to an API behind it).
pub fn endpoint_finding(p: &Posture) -> Finding {
    finding(p, Control::EndpointPolicy, |f| {
        f.vpc_endpoint_id.as_deref() == Some(VPCE) && f.api_id.is_none()
    })
}

/// Every endpoint-policy finding scoped to an API.
pub fn api_findings(p: &Posture) -> Vec<Finding> {
    assess(p)
        .into_iter()
        .filter(|f| f.control == Control::EndpointPolicy && f.api_id.is_some())
        .collect()
}
