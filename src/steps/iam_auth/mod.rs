//! `iam-auth`: IAM (SigV4) authorization on every method.

mod plan;

pub(crate) use plan::plan;

use super::{Control, Finding, Status};
use crate::model::{AuthorizationType, Method, Posture};

pub fn assess(posture: &Posture) -> Vec<Finding> {
    let mut findings = Vec::new();
    for api in &posture.apis {
        let Some(resources) = &api.resources else {
            let why = posture
                .gaps_for(&api.id)
                .map(|g| g.message.clone())
                .next()
                .unwrap_or_else(|| "not read".to_string());
            findings.push(
                Finding::new(
                    Control::IamAuth,
                    Status::Warn,
                    api.arn(&posture.region),
                    format!(
                        "methods of {} could not be read ({why}): not judged",
                        api.name
                    ),
                )
                .api(&api.id, &api.name),
            );
            continue;
        };
        if resources.iter().all(|r| r.methods.is_empty()) {
            findings.push(
                Finding::new(
                    Control::IamAuth,
                    Status::Skip,
                    api.arn(&posture.region),
                    format!("{} has no methods: nothing to sign", api.name),
                )
                .api(&api.id, &api.name),
            );
            continue;
        }
        for resource in resources {
            for method in &resource.methods {
                let (status, reason) = judge(method, &resource.path);
                findings.push(
                    Finding::new(
                        Control::IamAuth,
                        status,
                        api.method_arn(&posture.region, &resource.id, &method.http_method),
                        reason,
                    )
                    .api(&api.id, &api.name)
                    .method(&method.http_method, &resource.path),
                );
            }
        }
    }
    findings
}

/// Whether a method is CORS preflight that browsers cannot sign (left as is by default).
pub fn is_cors_preflight(method: &Method) -> bool {
    method.http_method == "OPTIONS" && method.authorization_type == AuthorizationType::None
}

fn judge(method: &Method, path: &str) -> (Status, String) {
    let what = format!("{} {}", method.http_method, path);
    if is_cors_preflight(method) {
        return (
            Status::Skip,
            format!("{what} answers CORS preflight, which browsers cannot sign: left as NONE"),
        );
    }
    match &method.authorization_type {
        AuthorizationType::AwsIam => (Status::Pass, format!("{what} requires SigV4 (AWS_IAM)")),
        AuthorizationType::None => (
            Status::Fail,
            format!("{what} accepts unsigned calls (NONE): set AWS_IAM and redeploy the stage"),
        ),
        AuthorizationType::Custom => (
            Status::Warn,
            format!(
                "{what} uses a Lambda authorizer{}: authenticated, but not as an IAM identity the endpoint policy can see",
                authorizer(method)
            ),
        ),
        AuthorizationType::CognitoUserPools => (
            Status::Warn,
            format!(
                "{what} uses a Cognito authorizer{}: authenticated, but not as an IAM identity the endpoint policy can see",
                authorizer(method)
            ),
        ),
        AuthorizationType::Other(kind) => (
            Status::Warn,
            format!(
                "{what} uses authorization type {kind}, which ztharden does not know: check it by hand"
            ),
        ),
    }
}

fn authorizer(method: &Method) -> String {
    method
        .authorizer_id
        .as_deref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sandbox::SandboxCloud;

    fn statuses(findings: &[Finding], api: &str) -> Vec<(String, String, Status)> {
        findings
            .iter()
            .filter(|f| f.api_name.as_deref() == Some(api))
            .map(|f| {
                (
                    f.http_method.clone().unwrap_or_default(),
                    f.path.clone().unwrap_or_default(),
                    f.status,
                )
            })
            .collect()
    }

    #[test]
    fn lab_methods_are_judged_one_by_one() {
        let posture = SandboxCloud::lab_posture();
        let findings = assess(&posture);
        let orders = statuses(&findings, "orders");
        assert_eq!(orders.len(), 7);
        assert!(orders.contains(&("GET".into(), "/orders".into(), Status::Fail)));
        assert!(orders.contains(&("OPTIONS".into(), "/orders".into(), Status::Skip)));
        assert!(orders.contains(&("OPTIONS".into(), "/orders/{id}".into(), Status::Skip)));
        assert_eq!(orders.iter().filter(|o| o.2 == Status::Fail).count(), 5);
        let inventory = statuses(&findings, "inventory");
        assert!(inventory.contains(&("GET".into(), "/items".into(), Status::Pass)));
        assert!(inventory.contains(&("PUT".into(), "/items/{sku}".into(), Status::Warn)));
        let status = statuses(&findings, "status");
        assert_eq!(status, vec![("GET".into(), "/health".into(), Status::Fail)]);
    }

    #[test]
    fn reasons_say_what_to_do() {
        let posture = SandboxCloud::lab_posture();
        let findings = assess(&posture);
        let get = findings
            .iter()
            .find(|f| {
                f.api_name.as_deref() == Some("orders") && f.http_method.as_deref() == Some("GET")
            })
            .unwrap();
        assert!(get.reason.contains("set AWS_IAM"), "{}", get.reason);
        assert_eq!(
            get.resource_arn,
            "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/resources/ord1a2b3c4/methods/GET"
        );
        let custom = findings
            .iter()
            .find(|f| {
                f.http_method.as_deref() == Some("PUT")
                    && f.api_name.as_deref() == Some("inventory")
            })
            .unwrap();
        assert!(custom.reason.contains("auth0sku01"), "{}", custom.reason);
    }

    #[test]
    fn unreadable_methods_are_a_warning_not_a_pass() {
        let mut posture = SandboxCloud::lab_posture();
        let orders = posture
            .apis
            .iter_mut()
            .find(|a| a.name == "orders")
            .unwrap();
        orders.resources = None;
        let id = orders.id.clone();
        posture.gaps.push(crate::model::ReadGap {
            resource: id,
            operation: "GetResources".into(),
            message: "AccessDenied".into(),
        });
        let findings = assess(&posture);
        let orders: Vec<_> = findings
            .iter()
            .filter(|f| f.api_name.as_deref() == Some("orders"))
            .collect();
        assert_eq!(orders.len(), 1);
        assert_eq!(orders[0].status, Status::Warn);
        assert!(orders[0].reason.contains("AccessDenied"));
    }

    #[test]
    fn cognito_and_unknown_types_warn() {
        let mut m = Method {
            http_method: "GET".into(),
            authorization_type: AuthorizationType::CognitoUserPools,
            authorizer_id: None,
            api_key_required: false,
        };
        assert_eq!(judge(&m, "/x").0, Status::Warn);
        m.authorization_type = AuthorizationType::Other("NEW".into());
        assert_eq!(judge(&m, "/x").0, Status::Warn);
        m.http_method = "OPTIONS".into();
        m.authorization_type = AuthorizationType::AwsIam;
        assert_eq!(judge(&m, "/x").0, Status::Pass);
    }
}

#[cfg(test)]
mod plan_tests;
