//! The writes: one SDK call per [`Change`]. Retries are the SDK's; pacing and the drift check
//! are the caller's.

use aws_sdk_apigateway::types::{Op, PatchOperation};
use aws_sdk_ec2::types::{IpPermission, UserIdGroupPair};

use super::AwsClients;
use super::errors::cloud_error;
use crate::cloud::{Applied, CloudError, CloudErrorKind, write_operation, write_resource};
use crate::plan::Change;

/// Makes `change` through the SDK.
pub(super) async fn apply(clients: &AwsClients, change: &Change) -> Result<Applied, CloudError> {
    let op = write_operation(change);
    let fail = |e: CloudError| e.on(write_resource(change));
    match change {
        Change::SetMethodAuthorization { method, new, .. } => {
            clients
                .apigateway
                .update_method()
                .rest_api_id(&method.api_id)
                .resource_id(&method.resource_id)
                .http_method(&method.http_method)
                .patch_operations(replace("/authorizationType", new.as_str()))
                .send()
                .await
                .map_err(|e| fail(cloud_error(op, &e)))?;
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
            let rule_id = out
                .security_group_rules()
                .iter()
                .find_map(|r| r.security_group_rule_id())
                .ok_or_else(|| {
                    fail(CloudError::new(
                        CloudErrorKind::Service,
                        op,
                        "the rule was added but AWS returned no rule id; refresh to see it",
                    ))
                })?;
            Ok(Applied::RuleAdded {
                rule_id: rule_id.to_string(),
            })
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

fn replace(path: &str, value: &str) -> PatchOperation {
    PatchOperation::builder()
        .op(Op::Replace)
        .path(path)
        .value(value)
        .build()
}
