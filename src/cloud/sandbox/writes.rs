//! The sandbox's writes: the same changes the AWS adapter makes, made in memory, refused
//! with the codes and wording AWS uses for the same bad requests.

use super::super::{Applied, CloudError, CloudErrorKind, write_operation, write_resource};
use crate::model::{
    AuthorizationType, IngressRule, PolicyText, Posture, RestApi, RuleSource, Stage,
};
use crate::plan::Change;

/// Makes `change` in `p`. `fresh` gives a number never handed out before (for new ids).
pub(super) fn apply(
    p: &mut Posture,
    change: &Change,
    fresh: &mut dyn FnMut() -> u64,
) -> Result<Applied, CloudError> {
    let account = p.account.to_string();
    let refuse = |kind: CloudErrorKind, message: String| {
        CloudError::new(kind, write_operation(change), message).on(write_resource(change))
    };
    let invalid = |message: String| refuse(CloudErrorKind::InvalidInput, message);
    let no_api = |api_id: &str| {
        invalid(format!(
            "NotFoundException: Invalid API identifier specified {account}:{api_id}"
        ))
    };
    match change {
        Change::SetMethodAuthorization {
            method,
            new,
            authorizer_id,
            ..
        } => {
            let api = find_api(p, &method.api_id).ok_or_else(|| no_api(&method.api_id))?;
            let resource = api
                .resources
                .iter_mut()
                .flatten()
                .find(|r| r.id == method.resource_id)
                .ok_or_else(|| {
                    invalid(format!(
                        "NotFoundException: Invalid Resource identifier specified {}",
                        method.resource_id
                    ))
                })?;
            let m = resource
                .methods
                .iter_mut()
                .find(|m| m.http_method == method.http_method)
                .ok_or_else(|| {
                    invalid("NotFoundException: Invalid Method identifier specified".into())
                })?;
            let authorizer = authorizer_id.clone().or_else(|| m.authorizer_id.clone());
            match new {
                AuthorizationType::Other(value) => {
                    return Err(invalid(format!(
                        "BadRequestException: Invalid authorization type {value:?} specified. \
                         Valid values are NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS"
                    )));
                }
                AuthorizationType::Custom | AuthorizationType::CognitoUserPools
                    if authorizer.is_none() =>
                {
                    return Err(invalid(format!(
                        "BadRequestException: Invalid authorizer ID specified. Setting the \
                         authorization type to {} requires a valid authorizer.",
                        new.as_str()
                    )));
                }
                AuthorizationType::None | AuthorizationType::AwsIam => m.authorizer_id = None,
                _ => m.authorizer_id = authorizer,
            }
            m.authorization_type = new.clone();
            Ok(Applied::Done)
        }
        Change::SetResourcePolicy { api_id, new, .. } if new.is_empty() => {
            find_api(p, api_id).ok_or_else(|| no_api(api_id))?.policy = None;
            Ok(Applied::Done)
        }
        Change::SetResourcePolicy { api_id, new, .. } => {
            if !is_json_object(new) {
                return Err(invalid(
                    "BadRequestException: Invalid policy document. Please check the policy \
                     syntax and try again."
                        .into(),
                ));
            }
            let api = find_api(p, api_id).ok_or_else(|| no_api(api_id))?;
            api.policy = Some(PolicyText::new(new.clone()));
            Ok(Applied::Done)
        }
        Change::SetEndpointPolicy {
            endpoint_id, new, ..
        } => {
            let endpoint = p
                .endpoints
                .iter_mut()
                .find(|e| &e.id == endpoint_id)
                .ok_or_else(|| {
                    invalid(format!(
                        "InvalidVpcEndpointId.NotFound: The Vpc Endpoint Id '{endpoint_id}' \
                         does not exist"
                    ))
                })?;
            if !is_json_object(new) {
                return Err(invalid(
                    "MalformedPolicyDocument: the policy document is not valid JSON".into(),
                ));
            }
            endpoint.policy = Some(PolicyText::new(new.clone()));
            Ok(Applied::Done)
        }
        Change::AuthorizeIngress {
            group_id,
            source_group_id,
            ..
        } => {
            let owner = p
                .security_group(source_group_id)
                .map(|g| g.owner_id.to_string())
                .ok_or_else(|| invalid(no_group(source_group_id)))?;
            let mut rule = change.added_rule().expect("an authorize adds a rule");
            rule.source = RuleSource::Group {
                group_id: source_group_id.clone(),
                owner_id: Some(owner),
            };
            add_rule(p, group_id, rule, fresh).map_err(invalid)
        }
        Change::RestoreIngress { group_id, rule } => {
            if let RuleSource::Group {
                group_id: source, ..
            } = &rule.source
                && p.security_group(source).is_none()
            {
                return Err(invalid(no_group(source)));
            }
            add_rule(p, group_id, rule.clone(), fresh).map_err(invalid)
        }
        Change::RevokeIngress { group_id, expected } => {
            let group = p
                .security_groups
                .iter_mut()
                .find(|g| &g.id == group_id)
                .ok_or_else(|| invalid(no_group(group_id)))?;
            let rules = group.ingress.get_or_insert_with(Vec::new);
            let before = rules.len();
            rules.retain(|r| r.rule_id != expected.rule_id);
            if rules.len() == before {
                return Err(invalid(format!(
                    "InvalidSecurityGroupRuleId.NotFound: The security group rule ID '{}' \
                     does not exist",
                    expected.rule_id
                )));
            }
            Ok(Applied::Done)
        }
        Change::RestoreStage {
            api_id,
            stage,
            deployment_id,
            ..
        } => {
            let api = find_api(p, api_id).ok_or_else(|| no_api(api_id))?;
            let found = api
                .stages
                .iter_mut()
                .flatten()
                .find(|s| &s.name == stage)
                .ok_or_else(|| {
                    invalid(format!(
                        "NotFoundException: Invalid Stage identifier specified {stage}"
                    ))
                })?;
            found.deployment_id = Some(deployment_id.clone());
            Ok(Applied::Done)
        }
        Change::Redeploy { api_id, stage, .. } => {
            let api = find_api(p, api_id).ok_or_else(|| no_api(api_id))?;
            if api.methods().next().is_none() {
                return Err(invalid(
                    "BadRequestException: The REST API doesn't contain any methods".into(),
                ));
            }
            let stages = api.stages.get_or_insert_with(Vec::new);
            let deployment_id = loop {
                let id = format!("d{:05x}", fresh());
                if !stages
                    .iter()
                    .any(|s| s.deployment_id.as_deref() == Some(&id))
                {
                    break id;
                }
            };
            // As on AWS, deploying to a stage that does not exist creates it.
            match stages.iter_mut().find(|s| &s.name == stage) {
                Some(s) => s.deployment_id = Some(deployment_id.clone()),
                None => stages.push(Stage {
                    name: stage.clone(),
                    deployment_id: Some(deployment_id.clone()),
                }),
            }
            Ok(Applied::Deployed { deployment_id })
        }
    }
}

fn no_group(id: &str) -> String {
    format!("InvalidGroup.NotFound: The security group '{id}' does not exist")
}

/// Adds `rule` (its id is replaced by a new one) to the group, refused as AWS refuses a rule
/// equal to one the group has.
fn add_rule(
    p: &mut Posture,
    group_id: &str,
    mut rule: IngressRule,
    fresh: &mut dyn FnMut() -> u64,
) -> Result<Applied, String> {
    let group = p
        .security_groups
        .iter_mut()
        .find(|g| g.id == group_id)
        .ok_or_else(|| no_group(group_id))?;
    let rules = group.ingress.get_or_insert_with(Vec::new);
    if rules.iter().any(|r| r.same_traffic(&rule)) {
        return Err(format!(
            "InvalidPermission.Duplicate: the specified rule \"peer: {}, {}, ALLOW\" already exists",
            rule.source.describe(),
            rule.describe_ports()
        ));
    }
    rule.rule_id = loop {
        let id = format!("sgr-{:017x}", 0x5a_0000_0000_u64 + fresh());
        if !rules.iter().any(|r| r.rule_id == id) {
            break id;
        }
    };
    let rule_id = rule.rule_id.clone();
    rules.push(rule);
    Ok(Applied::RuleAdded { rule_id })
}

fn find_api<'a>(p: &'a mut Posture, api_id: &str) -> Option<&'a mut RestApi> {
    p.apis.iter_mut().find(|a| a.id == api_id)
}

fn is_json_object(text: &str) -> bool {
    matches!(
        serde_json::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(_))
    )
}
