//! How the AWS adapter fails: a denied or throttled call becomes a gap and the rest is still
//! read; only the account read (credentials, reachability) fails the whole read.

mod support;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_sdk_apigateway::operation::get_resources::GetResourcesOutput;
use aws_smithy_mocks::mock;
use support::mocks::{MOCK_ATTEMPTS, Rules, ec2_error, json_error};
use support::moto::clients_for;
use support::world::{
    self, CALLER_SG, ENDPOINT_SG, INVENTORY, ORDERS, PROFILE_ARN, ROLE_ARN, world,
};
use support::{ACCOUNT, Moto};
use ztharden::cloud::aws::{Pacer, read_posture};
use ztharden::cloud::{Cloud, CloudErrorKind, NoProgress};
use ztharden::model::{AuthorizationType, Posture};

async fn read(rules: Rules) -> Posture {
    read_posture(&rules.clients(), &Pacer::get_resources(), &NoProgress)
        .await
        .expect("a read with gaps still succeeds")
}

#[tokio::test]
async fn the_mocked_world_reads_without_gaps() {
    let p = read(world(Rules::new())).await;
    assert!(p.gaps.is_empty(), "{:#?}", p.gaps);
    assert_eq!(p.account.as_str(), ACCOUNT);
    assert_eq!(p.apis.len(), 2);
    assert!(
        p.apis
            .iter()
            .all(|a| a.resources.is_some() && a.stages.is_some())
    );
    assert_eq!(p.endpoints.len(), 1);
    assert_eq!(p.security_groups.len(), 2);
    assert_eq!(p.instances[0].role_arn.as_deref(), Some(ROLE_ARN));
}

#[tokio::test]
async fn a_denied_get_resources_is_a_gap_on_that_api_only() {
    let denied = mock!(aws_sdk_apigateway::Client::get_resources)
        .match_requests(|r| r.rest_api_id() == Some(ORDERS))
        .then_http_response(|| json_error(403, "AccessDeniedException", "User is not authorized"));
    let p = read(world(Rules::new().apigateway(denied.clone()))).await;
    let orders = p.api(ORDERS).unwrap();
    assert_eq!(orders.resources, None, "resources stay unread");
    assert!(orders.stages.is_some(), "stages are still read");
    assert!(
        p.api(INVENTORY).unwrap().resources.is_some(),
        "the other API is still read"
    );
    assert_eq!(p.gaps.len(), 1, "{:#?}", p.gaps);
    let gap = &p.gaps[0];
    assert_eq!(
        (gap.resource.as_str(), gap.operation.as_str()),
        (ORDERS, "GetResources")
    );
    assert!(
        gap.message.contains("AccessDeniedException"),
        "{}",
        gap.message
    );
    assert_eq!(denied.num_calls(), 1, "access denied is not retried");
    assert_eq!(p.endpoints.len(), 1, "the network side is still read");
}

#[tokio::test]
async fn throttling_is_retried_by_the_sdk_and_then_a_gap() {
    let throttled = mock!(aws_sdk_apigateway::Client::get_stages)
        .match_requests(|r| r.rest_api_id() == Some(INVENTORY))
        .then_http_response(|| json_error(429, "TooManyRequestsException", "Too Many Requests"));
    let p = read(world(Rules::new().apigateway(throttled.clone()))).await;
    assert_eq!(
        throttled.num_calls() as u32,
        MOCK_ATTEMPTS,
        "every attempt was used"
    );
    let inventory = p.api(INVENTORY).unwrap();
    assert_eq!(inventory.stages, None);
    assert!(inventory.resources.is_some());
    let gap = p.gaps_for(INVENTORY).next().expect("a gap on the API");
    assert_eq!(gap.operation, "GetStages");
    assert!(
        gap.message.contains("TooManyRequestsException"),
        "{}",
        gap.message
    );
}

#[tokio::test]
async fn a_throttle_that_clears_leaves_no_gap() {
    let flaky = mock!(aws_sdk_apigateway::Client::get_resources)
        .match_requests(|r| r.rest_api_id() == Some(ORDERS))
        .sequence()
        .http_response(|| json_error(429, "TooManyRequestsException", "slow down"))
        .output(|| {
            GetResourcesOutput::builder()
                .items(world::resource("r1", "/orders"))
                .build()
        })
        .build();
    let p = read(world(Rules::new().apigateway(flaky.clone()))).await;
    assert_eq!(flaky.num_calls(), 2);
    assert!(p.gaps.is_empty(), "{:#?}", p.gaps);
    assert_eq!(p.api(ORDERS).unwrap().resources.as_ref().unwrap().len(), 1);
}

#[tokio::test]
async fn a_denied_api_listing_still_reads_the_network() {
    let denied = mock!(aws_sdk_apigateway::Client::get_rest_apis)
        .then_http_response(|| json_error(403, "AccessDeniedException", "no apigateway:GET"));
    let p = read(world(Rules::new().apigateway(denied))).await;
    assert!(p.apis.is_empty());
    let gap = p.gaps_for(ACCOUNT).next().expect("a gap on the account");
    assert_eq!(gap.operation, "GetRestApis");
    assert_eq!(p.endpoints.len(), 1);
    assert_eq!(p.instances.len(), 1);
}

#[tokio::test]
async fn denied_network_calls_are_gaps_on_their_resources() {
    let rules_denied = mock!(aws_sdk_ec2::Client::describe_security_group_rules)
        .then_http_response(|| ec2_error(403, "UnauthorizedOperation", "not authorized"));
    let profile_denied =
        mock!(aws_sdk_iam::Client::get_instance_profile).then_http_response(|| {
            let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                    <Message>not authorized</Message></Error></ErrorResponse>";
            let mut r = aws_smithy_runtime_api::http::Response::new(
                403.try_into().unwrap(),
                aws_smithy_types::body::SdkBody::from(body),
            );
            r.headers_mut().insert("content-type", "text/xml");
            r
        });
    let p = read(world(Rules::new().ec2(rules_denied).iam(profile_denied))).await;
    for id in [ENDPOINT_SG, CALLER_SG] {
        let group = p.security_group(id).expect("the group itself is read");
        assert_eq!(group.ingress, None);
        let gap = p.gaps_for(id).next().expect("a gap on the group");
        assert_eq!(gap.operation, "DescribeSecurityGroupRules");
        assert!(
            gap.message.contains("UnauthorizedOperation"),
            "{}",
            gap.message
        );
    }
    assert_eq!(p.instances[0].role_arn, None);
    let gap = p
        .gaps_for(PROFILE_ARN)
        .next()
        .expect("a gap on the profile");
    assert_eq!(gap.operation, "GetInstanceProfile");
    assert!(gap.message.contains("AccessDenied"), "{}", gap.message);
}

#[tokio::test]
async fn a_denied_endpoint_listing_is_a_gap() {
    let denied = mock!(aws_sdk_ec2::Client::describe_vpc_endpoints)
        .then_http_response(|| ec2_error(403, "UnauthorizedOperation", "not authorized"));
    let p = read(world(Rules::new().ec2(denied))).await;
    assert!(p.endpoints.is_empty() && p.instances.is_empty() && p.security_groups.is_empty());
    assert_eq!(
        p.gaps_for(ACCOUNT).next().unwrap().operation,
        "DescribeVpcEndpoints"
    );
    assert_eq!(p.apis.len(), 2, "the APIs are still read");
}

#[tokio::test]
async fn methods_without_an_authorization_type_are_reported_not_fetched_one_by_one() {
    let bare = mock!(aws_sdk_apigateway::Client::get_resources)
        .match_requests(|r| r.rest_api_id() == Some(ORDERS))
        .then_output(|| {
            let resource = aws_sdk_apigateway::types::Resource::builder()
                .id("r1")
                .path("/orders")
                .resource_methods("GET", world::method("GET", None))
                .resource_methods("POST", world::method("POST", None))
                .build();
            GetResourcesOutput::builder().items(resource).build()
        });
    let p = read(world(Rules::new().apigateway(bare))).await;
    let orders = p.api(ORDERS).unwrap();
    assert!(
        orders
            .methods()
            .all(|(_, m)| m.authorization_type == AuthorizationType::Other("UNKNOWN".into()))
    );
    let gap = p.gaps_for(ORDERS).next().expect("a gap says so");
    assert!(gap.message.starts_with("2 method(s)"), "{}", gap.message);
}

#[tokio::test]
async fn rejected_credentials_fail_the_read() {
    let rejected = mock!(aws_sdk_sts::Client::get_caller_identity).then_http_response(|| {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
                    <Message>The security token included in the request is invalid.</Message>\
                    </Error></ErrorResponse>";
        let mut r = aws_smithy_runtime_api::http::Response::new(
            403.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::from(body),
        );
        r.headers_mut().insert("content-type", "text/xml");
        r
    });
    let clients = world(Rules::new().sts(rejected)).clients();
    let err = read_posture(&clients, &Pacer::get_resources(), &NoProgress)
        .await
        .expect_err("no account, no read");
    assert_eq!(err.kind, CloudErrorKind::Credentials);
    assert_eq!(err.operation, "GetCallerIdentity");
    assert!(err.to_string().contains("InvalidClientTokenId"), "{err}");
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn an_endpoint_nobody_listens_on_is_unreachable() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let clients = clients_for(&url, RetryConfig::standard().with_max_attempts(2)).await;
    let err = read_posture(&clients, &Pacer::get_resources(), &NoProgress)
        .await
        .expect_err("nothing to read from");
    assert_eq!(err.kind, CloudErrorKind::Unreachable, "{err}");
    assert_eq!(err.operation, "GetCallerIdentity");
}

#[tokio::test]
async fn a_moto_server_that_went_away_is_unreachable() {
    let Some(moto) = Moto::start() else { return };
    let cloud = moto.cloud().await;
    drop(moto);
    let err = tokio::time::timeout(Duration::from_secs(60), cloud.read_posture(&NoProgress))
        .await
        .expect("the read gives up")
        .expect_err("the server is gone");
    assert_eq!(err.kind, CloudErrorKind::Unreachable, "{err}");
}

#[tokio::test]
async fn denied_group_and_vpc_reads_are_gaps_on_each_id() {
    let groups_denied = mock!(aws_sdk_ec2::Client::describe_security_groups)
        .then_http_response(|| ec2_error(403, "UnauthorizedOperation", "not authorized"));
    let vpcs_denied = mock!(aws_sdk_ec2::Client::describe_vpcs)
        .then_http_response(|| ec2_error(403, "UnauthorizedOperation", "not authorized"));
    let p = read(world(Rules::new().ec2(groups_denied).ec2(vpcs_denied))).await;
    assert!(p.security_groups.is_empty() && p.vpcs.is_empty());
    for (id, operation) in [
        (ENDPOINT_SG, "DescribeSecurityGroups"),
        (CALLER_SG, "DescribeSecurityGroups"),
        (world::VPC, "DescribeVpcs"),
    ] {
        let gap = p
            .gaps_for(id)
            .next()
            .unwrap_or_else(|| panic!("a gap on {id}: {:#?}", p.gaps));
        assert_eq!(gap.operation, operation);
    }
    assert_eq!(p.instances.len(), 1, "instances are still read");
}
