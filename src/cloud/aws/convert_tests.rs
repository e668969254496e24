use std::collections::HashMap;

use aws_sdk_apigateway::types as apigw;
use aws_sdk_ec2::types as ec2;

use super::*;

fn account() -> AccountId {
    AccountId::new("111122223333").unwrap()
}

fn method(verb: &str, auth: Option<&str>) -> apigw::Method {
    let mut m = apigw::Method::builder().http_method(verb);
    if let Some(auth) = auth {
        m = m.authorization_type(auth);
    }
    m.build()
}

#[test]
fn rest_apis_keep_types_endpoints_and_the_raw_policy() {
    let raw = r#"{\"Version\":\"2012-10-17\",\"Statement\":[]}"#;
    let api = apigw::RestApi::builder()
        .id("a1b2c3d4e5")
        .name("orders")
        .endpoint_configuration(
            apigw::EndpointConfiguration::builder()
                .types(apigw::EndpointType::Private)
                .vpc_endpoint_ids("vpce-2")
                .vpc_endpoint_ids("vpce-1")
                .build(),
        )
        .policy(raw)
        .build();
    let api = rest_api(&api).unwrap();
    assert_eq!(api.endpoint_types, [EndpointType::Private]);
    assert_eq!(api.vpc_endpoint_ids, ["vpce-1", "vpce-2"]);
    assert_eq!(api.policy.as_ref().unwrap().raw(), raw);
    assert!(api.resources.is_none() && api.stages.is_none());
}

#[test]
fn methods_are_sorted_and_missing_authorization_is_counted() {
    let methods = HashMap::from([
        ("POST".to_string(), method("POST", Some("AWS_IAM"))),
        ("GET".to_string(), method("GET", Some("NONE"))),
        ("PUT".to_string(), method("PUT", None)),
    ]);
    let r = apigw::Resource::builder()
        .id("r1")
        .path("/orders")
        .set_resource_methods(Some(methods))
        .build();
    let (resource, unknown) = resource(&r).unwrap();
    let verbs: Vec<&str> = resource
        .methods
        .iter()
        .map(|m| m.http_method.as_str())
        .collect();
    assert_eq!(verbs, ["GET", "POST", "PUT"]);
    assert_eq!(
        resource.methods[0].authorization_type,
        AuthorizationType::None
    );
    assert_eq!(
        resource.methods[1].authorization_type,
        AuthorizationType::AwsIam
    );
    assert_eq!(unknown, 1);
    assert_eq!(
        resource.methods[2].authorization_type.as_str(),
        UNKNOWN_AUTHORIZATION
    );
}

#[test]
fn rules_keep_one_source_and_skip_egress() {
    let base = || {
        ec2::SecurityGroupRule::builder()
            .security_group_rule_id("sgr-1")
            .group_id("sg-1")
            .is_egress(false)
            .ip_protocol("tcp")
            .from_port(443)
            .to_port(443)
    };
    let (group, rule) =
        ingress_rule(&base().cidr_ipv4("0.0.0.0/0").description("open").build()).unwrap();
    assert_eq!(group, "sg-1");
    assert_eq!(rule.source, RuleSource::Ipv4("0.0.0.0/0".into()));
    assert_eq!(rule.description.as_deref(), Some("open"));
    let referenced = ec2::ReferencedSecurityGroup::builder()
        .group_id("sg-caller")
        .user_id("111122223333")
        .build();
    let (_, rule) = ingress_rule(&base().referenced_group_info(referenced).build()).unwrap();
    assert_eq!(
        rule.source,
        RuleSource::Group {
            group_id: "sg-caller".into(),
            owner_id: Some("111122223333".into())
        }
    );
    let (_, rule) = ingress_rule(&base().prefix_list_id("pl-1").build()).unwrap();
    assert_eq!(rule.source, RuleSource::PrefixList("pl-1".into()));
    assert!(ingress_rule(&base().is_egress(true).cidr_ipv4("0.0.0.0/0").build()).is_none());
}

#[test]
fn endpoints_fall_back_to_the_account_as_owner() {
    let e = ec2::VpcEndpoint::builder()
        .vpc_endpoint_id("vpce-1")
        .vpc_id("vpc-1")
        .service_name("com.amazonaws.us-east-1.execute-api")
        .vpc_endpoint_type(ec2::VpcEndpointType::Interface)
        .groups(
            ec2::SecurityGroupIdentifier::builder()
                .group_id("sg-b")
                .build(),
        )
        .groups(
            ec2::SecurityGroupIdentifier::builder()
                .group_id("sg-a")
                .build(),
        )
        .subnet_ids("subnet-2")
        .subnet_ids("subnet-1")
        .private_dns_enabled(true)
        .build();
    assert!(is_interface(&e));
    let e = endpoint(&e, &account()).unwrap();
    assert_eq!(e.owner_id, account());
    assert_eq!(e.security_group_ids, ["sg-a", "sg-b"]);
    assert_eq!(e.subnet_ids, ["subnet-1", "subnet-2"]);
    assert!(e.private_dns_enabled && e.policy.is_none());
}

#[test]
fn instances_carry_name_groups_and_profile() {
    let i = ec2::Instance::builder()
        .instance_id("i-1")
        .vpc_id("vpc-1")
        .tags(ec2::Tag::builder().key("Name").value("service-a").build())
        .security_groups(ec2::GroupIdentifier::builder().group_id("sg-a").build())
        .iam_instance_profile(
            ec2::IamInstanceProfile::builder()
                .arn("arn:aws:iam::111122223333:instance-profile/apps/service-a-profile")
                .build(),
        )
        .state(
            ec2::InstanceState::builder()
                .name(ec2::InstanceStateName::Running)
                .build(),
        )
        .build();
    let i = instance(&i).unwrap();
    assert_eq!(i.name.as_deref(), Some("service-a"));
    assert_eq!(i.security_group_ids, ["sg-a"]);
    assert_eq!(i.state.as_deref(), Some("running"));
    assert_eq!(
        profile_name(i.instance_profile_arn.as_deref().unwrap()),
        Some("service-a-profile")
    );
    assert_eq!(profile_name("arn:aws:iam::1:role/x"), None);
}

#[test]
fn vpcs_list_associated_cidrs() {
    let v = ec2::Vpc::builder()
        .vpc_id("vpc-1")
        .cidr_block("10.0.0.0/16")
        .cidr_block_association_set(
            ec2::VpcCidrBlockAssociation::builder()
                .cidr_block("10.1.0.0/16")
                .cidr_block_state(
                    ec2::VpcCidrBlockState::builder()
                        .state(ec2::VpcCidrBlockStateCode::Associated)
                        .build(),
                )
                .build(),
        )
        .cidr_block_association_set(
            ec2::VpcCidrBlockAssociation::builder()
                .cidr_block("10.0.0.0/16")
                .build(),
        )
        .build();
    assert_eq!(vpc(&v).unwrap().cidr_blocks, ["10.0.0.0/16", "10.1.0.0/16"]);
}
