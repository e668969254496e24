//! The requests the assessments send through the evaluator: the account's own callers, a
//! principal of another account, and a request through an endpoint not attached to the API.

use crate::model::{AccountId, ApiResource, Method, Posture, RestApi};
use crate::policy::{ApiContext, Caller};

/// An endpoint id that no posture contains: "a request through another VPC endpoint".
pub const FOREIGN_ENDPOINT: &str = "vpce-0f0f0f0f0f0f0f0f0";

/// The role used when the posture names no caller of the account.
pub const PROBE_ROLE: &str = "ztharden-probe";

/// An account id that is not the posture's own.
pub fn other_account(own: &AccountId) -> AccountId {
    let candidate = if own.as_str() == "999999999999" {
        "888888888888"
    } else {
        "999999999999"
    };
    AccountId::new(candidate).expect("a valid account id")
}

/// A role of the account that no policy names: "any other principal of the account".
pub fn unnamed_role(posture: &Posture) -> String {
    format!(
        "arn:{}:iam::{}:role/{PROBE_ROLE}-unnamed",
        posture.region.partition(),
        posture.account
    )
}

/// A signed role session of `role_arn` (`arn:PARTITION:iam::ACCOUNT:role/NAME`).
pub fn session_of(role_arn: &str, account: &AccountId) -> Caller {
    let name = role_arn.rsplit('/').next().unwrap_or(PROBE_ROLE);
    let partition = role_arn.split(':').nth(1).unwrap_or("aws");
    Caller::Signed {
        arn: format!("arn:{partition}:sts::{account}:assumed-role/{name}/ztharden"),
        account: account.as_str().to_string(),
        role_arn: Some(role_arn.to_string()),
    }
}

/// A signed session of a role in another account.
pub fn outsider(posture: &Posture) -> Caller {
    let account = other_account(&posture.account);
    let role = format!(
        "arn:{}:iam::{account}:role/outsider",
        posture.region.partition()
    );
    session_of(&role, &account)
}

/// The roles of the instances in the VPCs of these endpoints, or a probe role of the account
/// when there is none: the callers whose access must survive.
pub fn own_callers(posture: &Posture, endpoint_ids: &[String]) -> Vec<(String, Caller)> {
    let mut roles: Vec<String> = endpoint_ids
        .iter()
        .filter_map(|id| posture.endpoint(id))
        .flat_map(|e| posture.instances_in(&e.vpc_id))
        .filter_map(|i| i.role_arn.clone())
        .filter(|arn| arn.split(':').nth(4) == Some(posture.account.as_str()))
        .collect();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        roles.push(format!(
            "arn:{}:iam::{}:role/{PROBE_ROLE}",
            posture.region.partition(),
            posture.account
        ));
    }
    roles
        .into_iter()
        .map(|arn| {
            let caller = session_of(&arn, &posture.account);
            (arn, caller)
        })
        .collect()
}

/// The evaluation context of an API (for the `execute-api:/` shorthand).
pub fn api_context(posture: &Posture, api: &RestApi) -> ApiContext {
    ApiContext {
        partition: posture.region.partition().to_string(),
        region: posture.region.to_string(),
        account: posture.account.to_string(),
        api_id: api.id.clone(),
    }
}

/// One invocation to try: a stage, a method, and its method ARN.
pub struct Invocation<'a> {
    pub label: String,
    pub method: &'a Method,
    pub arn: String,
}

/// Every method that callers are expected to reach (CORS preflight excluded), on every stage.
/// With no stage deployed, a stage named `stage` stands in.
pub fn invocations<'a>(posture: &Posture, api: &'a RestApi) -> Vec<Invocation<'a>> {
    let stages: Vec<&str> = match &api.stages {
        Some(s) if !s.is_empty() => s.iter().map(|s| s.name.as_str()).collect(),
        _ => vec!["stage"],
    };
    let methods: Vec<(&ApiResource, &Method)> = api
        .methods()
        .filter(|(_, m)| !super::iam_auth::is_cors_preflight(m))
        .collect();
    let mut out = Vec::new();
    for stage in &stages {
        for (resource, method) in &methods {
            out.push(Invocation {
                label: if stages.len() > 1 {
                    format!("{} {} on {stage}", method.http_method, resource.path)
                } else {
                    format!("{} {}", method.http_method, resource.path)
                },
                method,
                arn: api.invoke_arn(
                    &posture.region,
                    &posture.account,
                    stage,
                    &method.http_method,
                    &resource.path,
                ),
            });
        }
    }
    out
}
