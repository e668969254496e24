//! Conversions from SDK shapes to the owned model. Everything comes out sorted, so two reads
//! of the same account compare equal.

use std::collections::HashMap;

use aws_sdk_apigateway::types as apigw;
use aws_sdk_ec2::types as ec2;

use crate::model::{
    AccountId, ApiResource, AuthorizationType, EndpointType, IngressRule, Instance, Method,
    PolicyText, RestApi, RuleSource, SecurityGroup, Stage, Vpc, VpcEndpoint,
};

/// What stands in for an `authorizationType` that AWS did not return.
pub(crate) const UNKNOWN_AUTHORIZATION: &str = "UNKNOWN";

/// A REST API without its resources and stages (read separately).
pub(crate) fn rest_api(api: &apigw::RestApi) -> Option<RestApi> {
    let id = api.id()?.to_string();
    let config = api.endpoint_configuration();
    let mut endpoint_types: Vec<EndpointType> = config
        .map(|c| c.types())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| EndpointType::parse(t.as_str()))
        .collect();
    endpoint_types.sort_by_key(|t| t.as_str());
    endpoint_types.dedup();
    let mut vpc_endpoint_ids: Vec<String> = config
        .map(|c| c.vpc_endpoint_ids().to_vec())
        .unwrap_or_default();
    vpc_endpoint_ids.sort();
    vpc_endpoint_ids.dedup();
    Some(RestApi {
        name: api.name().unwrap_or(&id).to_string(),
        id,
        endpoint_types,
        vpc_endpoint_ids,
        policy: api.policy().filter(|p| !p.is_empty()).map(PolicyText::new),
        resources: None,
        stages: None,
    })
}

/// A resource with its embedded methods, sorted by verb. The second value counts the methods
/// that came back without an `authorizationType`.
pub(crate) fn resource(resource: &apigw::Resource) -> Option<(ApiResource, usize)> {
    let id = resource.id()?.to_string();
    let mut unknown = 0;
    let mut methods: Vec<Method> = resource
        .resource_methods()
        .map(HashMap::iter)
        .into_iter()
        .flatten()
        .map(|(verb, m)| {
            let authorization_type = match m.authorization_type() {
                Some(t) => AuthorizationType::from(t),
                None => {
                    unknown += 1;
                    AuthorizationType::Other(UNKNOWN_AUTHORIZATION.into())
                }
            };
            Method {
                http_method: m.http_method().unwrap_or(verb).to_string(),
                authorization_type,
                authorizer_id: m
                    .authorizer_id()
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
                api_key_required: m.api_key_required().unwrap_or(false),
            }
        })
        .collect();
    methods.sort_by(|a, b| a.http_method.cmp(&b.http_method));
    let path = resource.path().unwrap_or("/").to_string();
    Some((ApiResource { id, path, methods }, unknown))
}

pub(crate) fn sort_resources(resources: &mut [ApiResource]) {
    resources.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.id.cmp(&b.id)));
}

pub(crate) fn stages(stages: &[apigw::Stage]) -> Vec<Stage> {
    let mut out: Vec<Stage> = stages
        .iter()
        .filter_map(|s| {
            Some(Stage {
                name: s.stage_name()?.to_string(),
                deployment_id: s.deployment_id().map(str::to_string),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// An interface endpoint; `account` stands in for a missing `OwnerId`.
pub(crate) fn endpoint(e: &ec2::VpcEndpoint, account: &AccountId) -> Option<VpcEndpoint> {
    let mut subnet_ids = e.subnet_ids().to_vec();
    subnet_ids.sort();
    let mut security_group_ids: Vec<String> = e
        .groups()
        .iter()
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    security_group_ids.sort();
    security_group_ids.dedup();
    Some(VpcEndpoint {
        id: e.vpc_endpoint_id()?.to_string(),
        vpc_id: e.vpc_id()?.to_string(),
        service_name: e.service_name().unwrap_or_default().to_string(),
        state: e.state().map(|s| s.as_str().to_string()),
        subnet_ids,
        private_dns_enabled: e.private_dns_enabled().unwrap_or(false),
        policy: e
            .policy_document()
            .filter(|p| !p.is_empty())
            .map(PolicyText::new),
        security_group_ids,
        owner_id: owner(e.owner_id(), account),
    })
}

pub(crate) fn is_interface(e: &ec2::VpcEndpoint) -> bool {
    e.vpc_endpoint_type()
        .is_none_or(|t| t.as_str().eq_ignore_ascii_case("interface"))
}

/// A group without its rules (read separately).
pub(crate) fn security_group(g: &ec2::SecurityGroup, account: &AccountId) -> Option<SecurityGroup> {
    Some(SecurityGroup {
        id: g.group_id()?.to_string(),
        name: g.group_name().unwrap_or_default().to_string(),
        vpc_id: g.vpc_id().unwrap_or_default().to_string(),
        owner_id: owner(g.owner_id(), account),
        description: g.description().unwrap_or_default().to_string(),
        ingress: None,
    })
}

/// One ingress rule with its group id; `None` for egress rules and rules without an id.
pub(crate) fn ingress_rule(r: &ec2::SecurityGroupRule) -> Option<(String, IngressRule)> {
    if r.is_egress().unwrap_or(false) {
        return None;
    }
    let source = if let Some(cidr) = r.cidr_ipv4() {
        RuleSource::Ipv4(cidr.to_string())
    } else if let Some(cidr) = r.cidr_ipv6() {
        RuleSource::Ipv6(cidr.to_string())
    } else if let Some(group) = r.referenced_group_info() {
        RuleSource::Group {
            group_id: group.group_id()?.to_string(),
            owner_id: group.user_id().map(str::to_string),
        }
    } else {
        RuleSource::PrefixList(r.prefix_list_id()?.to_string())
    };
    let rule = IngressRule {
        rule_id: r.security_group_rule_id()?.to_string(),
        protocol: r.ip_protocol().unwrap_or("-1").to_string(),
        from_port: r.from_port(),
        to_port: r.to_port(),
        source,
        description: r
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
    };
    Some((r.group_id()?.to_string(), rule))
}

pub(crate) fn sort_rules(rules: &mut [IngressRule]) {
    rules.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
}

pub(crate) fn vpc(v: &ec2::Vpc) -> Option<Vpc> {
    let mut cidr_blocks: Vec<String> = v
        .cidr_block_association_set()
        .iter()
        .filter(|a| {
            a.cidr_block_state()
                .and_then(|s| s.state())
                .is_none_or(|s| s.as_str() == "associated")
        })
        .filter_map(|a| a.cidr_block().map(str::to_string))
        .collect();
    if cidr_blocks.is_empty() {
        cidr_blocks.extend(v.cidr_block().map(str::to_string));
    }
    cidr_blocks.sort();
    cidr_blocks.dedup();
    let mut ipv6_cidr_blocks: Vec<String> = v
        .ipv6_cidr_block_association_set()
        .iter()
        .filter(|a| {
            a.ipv6_cidr_block_state()
                .and_then(|s| s.state())
                .is_none_or(|s| s.as_str() == "associated")
        })
        .filter_map(|a| a.ipv6_cidr_block().map(str::to_string))
        .collect();
    ipv6_cidr_blocks.sort();
    ipv6_cidr_blocks.dedup();
    Some(Vpc {
        id: v.vpc_id()?.to_string(),
        cidr_blocks,
        ipv6_cidr_blocks,
    })
}

/// An instance, without its role (resolved from the profile separately).
pub(crate) fn instance(i: &ec2::Instance) -> Option<Instance> {
    let mut security_group_ids: Vec<String> = i
        .security_groups()
        .iter()
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    security_group_ids.sort();
    security_group_ids.dedup();
    Some(Instance {
        id: i.instance_id()?.to_string(),
        name: i
            .tags()
            .iter()
            .find(|t| t.key() == Some("Name"))
            .and_then(|t| t.value())
            .map(str::to_string),
        vpc_id: i.vpc_id()?.to_string(),
        subnet_id: i.subnet_id().map(str::to_string),
        state: i
            .state()
            .and_then(|s| s.name())
            .map(|n| n.as_str().to_string()),
        security_group_ids,
        instance_profile_arn: i
            .iam_instance_profile()
            .and_then(|p| p.arn())
            .map(str::to_string),
        role_arn: None,
    })
}

/// The name of an instance profile from its ARN (`...:instance-profile/path/NAME`).
pub(crate) fn profile_name(arn: &str) -> Option<&str> {
    let (_, rest) = arn.split_once(":instance-profile/")?;
    rest.rsplit('/').next().filter(|n| !n.is_empty())
}

fn owner(owner_id: Option<&str>, account: &AccountId) -> AccountId {
    owner_id
        .and_then(|o| AccountId::new(o).ok())
        .unwrap_or_else(|| account.clone())
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
