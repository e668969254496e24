//! The writes: one SDK call per [`Change`]. Retries are the SDK's; pacing and the drift check
//! are the caller's.

use aws_sdk_apigateway::types::{Op, PatchOperation};
use aws_sdk_ec2::operation::authorize_security_group_ingress::AuthorizeSecurityGroupIngressOutput;
use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, PrefixListId, UserIdGroupPair};

use super::AwsClients;
use super::errors::cloud_error;
use crate::cloud::{Applied, CloudError, CloudErrorKind, write_operation, write_resource};
use crate::model::{IngressRule, RuleSource};
use crate::plan::Change;

/// Makes `change` through the SDK.
pub(super) async fn apply(clients: &AwsClients, change: &Change) -> Result<Applied, CloudError> {
    let op = write_operation(change);
    let fail = |e: CloudError| e.on(write_resource(change));
    match change {
        Change::SetMethodAuthorization {
            method,
            new,
            authorizer_id,
            ..
        } => {
            let mut update = clients
                .apigateway
                .update_method()
                .rest_api_id(&method.api_id)
                .resource_id(&method.resource_id)
                .http_method(&method.http_method)
                .patch_operations(replace("/authorizationType", new.as_str()));
            if let Some(id) = authorizer_id {
                update = update.patch_operations(replace("/authorizerId", id));
            }
            update.send().await.map_err(|e| fail(cloud_error(op, &e)))?;
            Ok(Applied::Done)
        }
        Change::SetResourcePolicy { api_id, new, .. } => {
            clients
                .apigateway
                .update_rest_api()
                .rest_api_id(api_id)
                .patch_operations(replace("/policy", new))
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            Ok(Applied::Done)
        }
        Change::SetEndpointPolicy {
            endpoint_id, new, ..
        } => {
            clients
                .ec2
                .modify_vpc_endpoint()
                .vpc_endpoint_id(endpoint_id)
                .policy_document(new)
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            Ok(Applied::Done)
        }
        Change::AuthorizeIngress {
            group_id,
            source_group_id,
            port,
            description,
        } => {
            let pair = UserIdGroupPair::builder()
                .group_id(source_group_id)
                .description(description)
                .build();
            let permission = IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(*port)
                .to_port(*port)
                .user_id_group_pairs(pair)
                .build();
            let out = clients
                .ec2
                .authorize_security_group_ingress()
                .group_id(group_id)
                .ip_permissions(permission)
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            new_rule_id(&out).map_err(fail)
        }
        Change::RestoreIngress { group_id, rule } => {
            let out = clients
                .ec2
                .authorize_security_group_ingress()
                .group_id(group_id)
                .ip_permissions(permission_of(rule))
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            new_rule_id(&out).map_err(fail)
        }
        Change::RevokeIngress { group_id, expected } => {
            clients
                .ec2
                .revoke_security_group_ingress()
                .group_id(group_id)
                .security_group_rule_ids(&expected.rule_id)
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            Ok(Applied::Done)
        }
        Change::RestoreStage {
            api_id,
            stage,
            deployment_id,
            ..
        } => {
            clients
                .apigateway
                .update_stage()
                .rest_api_id(api_id)
                .stage_name(stage)
                .patch_operations(replace("/deploymentId", deployment_id))
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            Ok(Applied::Done)
        }
        Change::Redeploy {
            api_id,
            stage,
            description,
            ..
        } => {
            let out = clients
                .apigateway
                .create_deployment()
                .rest_api_id(api_id)
                .stage_name(stage)
                .description(description)
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
            let deployment_id = out.id().filter(|id| !id.is_empty()).ok_or_else(|| {
                fail(CloudError::new(
                    CloudErrorKind::Service,
                    op,
                    "the deployment was created but AWS returned no id; refresh to see it",
                ))
            })?;
            Ok(Applied::Deployed {
                deployment_id: deployment_id.to_string(),
            })
        }
    }
}

/// The id of the rule an `AuthorizeSecurityGroupIngress` call added.
fn new_rule_id(out: &AuthorizeSecurityGroupIngressOutput) -> Result<Applied, CloudError> {
    out.security_group_rules()
        .iter()
        .find_map(|r| r.security_group_rule_id())
        .map(|id| Applied::RuleAdded {
            rule_id: id.to_string(),
        })
        .ok_or_else(|| {
            CloudError::new(
                CloudErrorKind::Service,
                "AuthorizeSecurityGroupIngress",
                "the rule was added but AWS returned no rule id; refresh to see it",
            )
        })
}

/// Exactly `rule`, as one permission with its one source.
fn permission_of(rule: &IngressRule) -> IpPermission {
    let description = rule.description.clone();
    let permission = IpPermission::builder()
        .ip_protocol(&rule.protocol)
        .set_from_port(rule.from_port)
        .set_to_port(rule.to_port);
    match &rule.source {
        RuleSource::Ipv4(cidr) => permission.ip_ranges(
            IpRange::builder()
                .cidr_ip(cidr)
                .set_description(description)
                .build(),
        ),
        RuleSource::Ipv6(cidr) => permission.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(cidr)
                .set_description(description)
                .build(),
        ),
        RuleSource::Group { group_id, owner_id } => permission.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(group_id)
                .set_user_id(owner_id.clone())
                .set_description(description)
                .build(),
        ),
        RuleSource::PrefixList(id) => permission.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(id)
                .set_description(description)
                .build(),
        ),
    }
    .build()
}

fn replace(path: &str, value: &str) -> PatchOperation {
    PatchOperation::builder()
        .op(Op::Replace)
        .path(path)
        .value(value)
        .build()
}
