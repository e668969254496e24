//! A small, consistent account answered by mock rules: two private APIs behind one
//! `execute-api` endpoint, the endpoint's VPC and group, and one caller instance with a role.
//!
//! Tests put their own rules first ([`world`] takes them): the first matching rule answers.

use aws_sdk_apigateway::operation::get_resources::GetResourcesOutput;
use aws_sdk_apigateway::operation::get_rest_apis::GetRestApisOutput;
use aws_sdk_apigateway::operation::get_stages::GetStagesOutput;
use aws_sdk_apigateway::types as apigw;
use aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput;
use aws_sdk_ec2::operation::describe_security_group_rules::DescribeSecurityGroupRulesOutput;
use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
use aws_sdk_ec2::operation::describe_vpc_endpoints::DescribeVpcEndpointsOutput;
use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types as ec2;
use aws_sdk_iam::operation::get_instance_profile::GetInstanceProfileOutput;
use aws_smithy_mocks::{Rule, mock};

use super::ACCOUNT;
use super::mocks::Rules;

pub const ORDERS: &str = "orders0001";
pub const INVENTORY: &str = "invent0002";
pub const ENDPOINT: &str = "vpce-0000000000000001";
pub const VPC: &str = "vpc-0000000000000001";
pub const ENDPOINT_SG: &str = "sg-0000000000000000e";
pub const CALLER_SG: &str = "sg-0000000000000000a";
pub const INSTANCE: &str = "i-0000000000000000a";
pub const PROFILE_ARN: &str = "arn:aws:iam::111122223333:instance-profile/caller-profile";
pub const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/caller-role";

/// `overrides` first, then the world's own answers.
pub fn world(overrides: Rules) -> Rules {
    let mut rules = overrides;
    rules.apigateway.extend([
        rest_apis(),
        resources(ORDERS, "/orders"),
        resources(INVENTORY, "/items"),
        root_only(),
        stages(),
    ]);
    rules
        .ec2
        .extend([endpoints(), vpcs(), instances(), groups(), group_rules()]);
    rules.iam.push(profile());
    rules
}

pub fn rest_api(id: &str, name: &str) -> apigw::RestApi {
    apigw::RestApi::builder()
        .id(id)
        .name(name)
        .endpoint_configuration(
            apigw::EndpointConfiguration::builder()
                .types(apigw::EndpointType::Private)
                .vpc_endpoint_ids(ENDPOINT)
                .build(),
        )
        .build()
}

pub fn method(verb: &str, auth: Option<&str>) -> apigw::Method {
    apigw::Method::builder()
        .http_method(verb)
        .set_authorization_type(auth.map(str::to_string))
        .api_key_required(false)
        .build()
}

/// A resource with `GET` (authorization `NONE`).
pub fn resource(id: &str, path: &str) -> apigw::Resource {
    apigw::Resource::builder()
        .id(id)
        .path(path)
        .resource_methods("GET", method("GET", Some("NONE")))
        .build()
}

fn rest_apis() -> Rule {
    mock!(aws_sdk_apigateway::Client::get_rest_apis).then_output(|| {
        GetRestApisOutput::builder()
            .items(rest_api(ORDERS, "orders"))
            .items(rest_api(INVENTORY, "inventory"))
            .build()
    })
}

fn resources(api: &'static str, path: &'static str) -> Rule {
    mock!(aws_sdk_apigateway::Client::get_resources)
        .match_requests(move |r| r.rest_api_id() == Some(api))
        .then_output(move || {
            GetResourcesOutput::builder()
                .items(
                    apigw::Resource::builder()
                        .id(format!("{api}-root"))
                        .path("/")
                        .build(),
                )
                .items(resource(&format!("{api}-r1"), path))
                .build()
        })
}

/// Any other API: just its root resource.
fn root_only() -> Rule {
    mock!(aws_sdk_apigateway::Client::get_resources).then_output(|| {
        GetResourcesOutput::builder()
            .items(apigw::Resource::builder().id("root").path("/").build())
            .build()
    })
}

fn stages() -> Rule {
    mock!(aws_sdk_apigateway::Client::get_stages).then_output(|| {
        GetStagesOutput::builder()
            .item(
                apigw::Stage::builder()
                    .stage_name("prod")
                    .deployment_id("dep1")
                    .build(),
            )
            .build()
    })
}

pub fn endpoint(id: &str) -> ec2::VpcEndpoint {
    ec2::VpcEndpoint::builder()
        .vpc_endpoint_id(id)
        .vpc_endpoint_type(ec2::VpcEndpointType::Interface)
        .vpc_id(VPC)
        .service_name("com.amazonaws.us-east-1.execute-api")
        .groups(
            ec2::SecurityGroupIdentifier::builder()
                .group_id(ENDPOINT_SG)
                .build(),
        )
        .owner_id(ACCOUNT)
        .policy_document(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
        )
        .build()
}

fn endpoints() -> Rule {
    mock!(aws_sdk_ec2::Client::describe_vpc_endpoints).then_output(|| {
        DescribeVpcEndpointsOutput::builder()
            .vpc_endpoints(endpoint(ENDPOINT))
            .build()
    })
}

fn vpcs() -> Rule {
    mock!(aws_sdk_ec2::Client::describe_vpcs).then_output(|| {
        DescribeVpcsOutput::builder()
            .vpcs(
                ec2::Vpc::builder()
                    .vpc_id(VPC)
                    .cidr_block("10.0.0.0/16")
                    .build(),
            )
            .build()
    })
}

fn instances() -> Rule {
    mock!(aws_sdk_ec2::Client::describe_instances).then_output(|| {
        let instance = ec2::Instance::builder()
            .instance_id(INSTANCE)
            .vpc_id(VPC)
            .security_groups(ec2::GroupIdentifier::builder().group_id(CALLER_SG).build())
            .iam_instance_profile(ec2::IamInstanceProfile::builder().arn(PROFILE_ARN).build())
            .build();
        DescribeInstancesOutput::builder()
            .reservations(ec2::Reservation::builder().instances(instance).build())
            .build()
    })
}

fn groups() -> Rule {
    mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(|| {
        let group = |id: &str, name: &str| {
            ec2::SecurityGroup::builder()
                .group_id(id)
                .group_name(name)
                .vpc_id(VPC)
                .owner_id(ACCOUNT)
                .build()
        };
        DescribeSecurityGroupsOutput::builder()
            .security_groups(group(ENDPOINT_SG, "endpoint"))
            .security_groups(group(CALLER_SG, "caller"))
            .build()
    })
}

fn group_rules() -> Rule {
    mock!(aws_sdk_ec2::Client::describe_security_group_rules).then_output(|| {
        DescribeSecurityGroupRulesOutput::builder()
            .security_group_rules(
                ec2::SecurityGroupRule::builder()
                    .security_group_rule_id("sgr-0000000000000443")
                    .group_id(ENDPOINT_SG)
                    .is_egress(false)
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .cidr_ipv4("10.0.0.0/16")
                    .build(),
            )
            .build()
    })
}

fn profile() -> Rule {
    mock!(aws_sdk_iam::Client::get_instance_profile).then_output(|| {
        let role = aws_sdk_iam::types::Role::builder()
            .path("/")
            .role_name("caller-role")
            .role_id("AROAEXAMPLE")
            .arn(ROLE_ARN)
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .build()
            .expect("a role");
        let profile = aws_sdk_iam::types::InstanceProfile::builder()
            .path("/")
            .instance_profile_name("caller-profile")
            .instance_profile_id("AIPAEXAMPLE")
            .arn(PROFILE_ARN)
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .roles(role)
            .build()
            .expect("a profile");
        GetInstanceProfileOutput::builder()
            .instance_profile(profile)
            .build()
    })
}
