//! Tests of the policy module, grouped by concern. AWS documentation examples are named after
//! the facts they check (A3, B4, C7, D7...).

mod conditions;
mod docs_examples;
mod guide_policy;
mod invoke;
mod normalising;
mod parsing;
mod principals;

use super::{ApiContext, Policy, PrincipalContext, RequestContext, parse};

pub const ACCOUNT: &str = "111122223333";
pub const OTHER_ACCOUNT: &str = "444455556666";
pub const API: &str = "abc123defg";
pub const REGION: &str = "us-east-1";
pub const VPCE: &str = "vpce-0a1b2c3d4e5f60718";
pub const INVOKE: &str = "execute-api:Invoke";

pub fn policy(json: &str) -> Policy {
    match parse(json) {
        Ok(p) => p,
        Err(e) => panic!("test policy does not parse: {e}\n{json}"),
    }
}

pub fn api() -> ApiContext {
    ApiContext::new(REGION, ACCOUNT, API)
}

/// The method ARN of this API: `method_arn("prod/GET/pets")`.
pub fn method_arn(rest: &str) -> String {
    format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{rest}")
}

pub fn session(account: &str, role: &str, name: &str) -> PrincipalContext {
    PrincipalContext::from_arn(&format!(
        "arn:aws:sts::{account}:assumed-role/{role}/{name}"
    ))
}

/// An invoke request on `prod/GET/pets` by `who`.
pub fn invoke_req(who: Option<PrincipalContext>) -> RequestContext {
    let mut r = RequestContext::new(INVOKE, &method_arn("prod/GET/pets"));
    r.principal = who;
    r
}
