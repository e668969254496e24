//! The lab's ids and names (see `assets/sandbox/lab.json`): the one place the tests spell
//! them. Moto seeded with the lab gives the same things other ids
//! ([`super::account::Account::id`], [`super::IdMap::moto`]).
//!
//! Plain constants with no imports, so a test helper outside `support` can include this file
//! alone with `#[path]`.
#![allow(dead_code)]

/// The lab's account and region (moto is started with the same account).
pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";

/// The API the scenarios harden, its `/orders` resource, and the ARN of its methods.
pub const ORDERS: &str = "a1b2c3d4e5";
pub const ORDERS_LIST: &str = "ord1a2b3c4";
pub const ORDERS_ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*";
/// The inventory API, its `/items/{sku}` resource and the authorizer of `PUT` on it.
pub const INVENTORY: &str = "f6g7h8i9j0";
pub const SKU: &str = "itmsk5e6f7";
pub const SKU_AUTHORIZER: &str = "auth0sku01";
/// The status API (regional, no VPC endpoint).
pub const STATUS: &str = "k1l2m3n4o5";

/// The `execute-api` VPC endpoint, its security group, and that group's rule open to
/// 0.0.0.0/0 on 443.
pub const ENDPOINT: &str = "vpce-0e9e9e9e9e9e9e9e9";
pub const ENDPOINT_SG: &str = "sg-0e9e9e9e9e9e9e9e9";
pub const OPEN_RULE: &str = "sgr-0e9e9e9e9e9e90443";
/// The callers: service-a's and service-c's instance groups and roles.
pub const SERVICE_A_SG: &str = "sg-0a1a1a1a1a1a1a1a1";
pub const SERVICE_C_SG: &str = "sg-0c3c3c3c3c3c3c3c3";
pub const SERVICE_A_ROLE: &str = "arn:aws:iam::111122223333:role/service-a-role";
pub const SERVICE_C_ROLE: &str = "arn:aws:iam::111122223333:role/service-c-role";

/// The four controls, as the CLI and the scan name them, in the guide's order.
pub const CONTROLS: [&str; 4] = [
    "iam-auth",
    "resource-policy",
    "endpoint-policy",
    "endpoint-sg",
];
