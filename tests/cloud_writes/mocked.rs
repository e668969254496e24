//! What moto cannot show about the adapter's writes: the exact requests, answers without the
//! ids, and throttling, answered by `aws-smithy-mocks` rules.

use super::*;

use aws_sdk_apigateway::operation::create_deployment::CreateDeploymentOutput;
use aws_sdk_ec2::operation::authorize_security_group_ingress::AuthorizeSecurityGroupIngressOutput;
use aws_sdk_ec2::types::SecurityGroupRule;
use aws_smithy_mocks::mock;
use support::mocks::{MOCK_ATTEMPTS, Rules, json_error};
use ztharden::cloud::aws::AwsCloud;

fn mocked(rules: Rules) -> AwsCloud {
    AwsCloud::from_clients(
        rules.clients(),
        CloudLabel::Aws {
            profile: None,
            endpoint_url: None,
        },
    )
}

#[tokio::test]
async fn the_adapter_sends_the_group_pair_with_its_description_and_returns_the_rule_id() {
    let authorize = mock!(aws_sdk_ec2::Client::authorize_security_group_ingress)
        .match_requests(|r| {
            let p = &r.ip_permissions()[0];
            let pair = &p.user_id_group_pairs()[0];
            r.group_id() == Some(ENDPOINT_SG)
                && p.ip_protocol() == Some("tcp")
                && (p.from_port(), p.to_port()) == (Some(443), Some(443))
                && pair.group_id() == Some(SERVICE_A_SG)
                && pair.description() == Some("HTTPS from service-a")
        })
        .then_output(|| {
            AuthorizeSecurityGroupIngressOutput::builder()
                .r#return(true)
                .security_group_rules(
                    SecurityGroupRule::builder()
                        .security_group_rule_id("sgr-0f00f00f00f00f00f")
                        .build(),
                )
                .build()
        });
    let cloud = mocked(Rules::new().ec2(authorize.clone()));
    let t = Account::sandbox();
    let applied = cloud
        .apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG))
        .await
        .unwrap();
    assert_eq!(
        applied,
        Applied::RuleAdded {
            rule_id: "sgr-0f00f00f00f00f00f".into()
        }
    );
    assert_eq!(authorize.num_calls(), 1);
}

#[tokio::test]
async fn an_answer_without_the_new_id_is_an_error_naming_the_resource() {
    let authorize = mock!(aws_sdk_ec2::Client::authorize_security_group_ingress)
        .then_output(|| AuthorizeSecurityGroupIngressOutput::builder().build());
    let deploy = mock!(aws_sdk_apigateway::Client::create_deployment)
        .match_requests(|r| {
            r.stage_name() == Some("prod") && r.description() == Some("ztharden: iam-auth")
        })
        .then_output(|| CreateDeploymentOutput::builder().build());
    let cloud = mocked(Rules::new().ec2(authorize).apigateway(deploy));
    let t = Account::sandbox();
    let err = cloud
        .apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG))
        .await
        .unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Service, "{err}");
    assert!(err.to_string().contains(ENDPOINT_SG), "{err}");
    assert!(err.message.contains("no rule id"), "{err}");
    let err = cloud.apply(&t.redeploy(ORDERS, "prod")).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Service, "{err}");
    assert_eq!(err.resource.as_deref(), Some("a1b2c3d4e5 stage prod"));
}

#[tokio::test]
async fn a_throttled_write_is_retried_by_the_sdk_then_fails_as_throttled() {
    let throttled = mock!(aws_sdk_apigateway::Client::update_method)
        .match_requests(|r| {
            let op = &r.patch_operations()[0];
            op.path() == Some("/authorizationType") && op.value() == Some("AWS_IAM")
        })
        .then_http_response(|| json_error(429, "TooManyRequestsException", "Too Many Requests"));
    let cloud = mocked(Rules::new().apigateway(throttled.clone()));
    let t = Account::sandbox();
    let change = t.set_auth(
        t.method(ORDERS_LIST, "/orders", "GET"),
        AuthorizationType::AwsIam,
    );
    let err = cloud.apply(&change).await.unwrap_err();
    assert_eq!(throttled.num_calls() as u32, MOCK_ATTEMPTS);
    assert_eq!(err.kind, CloudErrorKind::Throttled, "{err}");
    assert_eq!(err.operation, "UpdateMethod");
    assert!(err.to_string().contains("a1b2c3d4e5 GET /orders"), "{err}");
}
