//! One change to AWS, with the value it expects to find and the value it sets.

use serde::{Deserialize, Serialize};

use crate::model::{AuthorizationType, IngressRule, RuleSource};
use crate::steps::Control;

/// A method of an API, by resource id and verb (with its path, for people).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MethodKey {
    pub api_id: String,
    pub resource_id: String,
    pub path: String,
    pub http_method: String,
}

/// One write, as it is shown, confirmed, journaled and applied. Nothing reaches AWS any
/// other way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// `UpdateMethod` with `replace /authorizationType`.
    SetMethodAuthorization {
        method: MethodKey,
        expected: AuthorizationType,
        new: AuthorizationType,
        /// The authorizer set together with `new` (`replace /authorizerId`): only for
        /// `CUSTOM` and `COGNITO_USER_POOLS`, which need one (a rollback restores it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorizer_id: Option<String>,
    },
    /// `UpdateRestApi` with `replace /policy` (the policy as a JSON string; an empty string
    /// removes the policy, which only a rollback does).
    SetResourcePolicy {
        api_id: String,
        /// The raw policy text found when planning (`None`: no policy).
        expected: Option<String>,
        new: String,
    },
    /// `ModifyVpcEndpoint` with `PolicyDocument`.
    SetEndpointPolicy {
        endpoint_id: String,
        expected: Option<String>,
        new: String,
    },
    /// `AuthorizeSecurityGroupIngress`: tcp `port` from `source_group_id`. Expects no such
    /// rule yet.
    AuthorizeIngress {
        group_id: String,
        source_group_id: String,
        port: i32,
        description: String,
    },
    /// `RevokeSecurityGroupIngress` by rule id. Expects the rule as it was read.
    RevokeIngress {
        group_id: String,
        expected: IngressRule,
    },
    /// `AuthorizeSecurityGroupIngress` of exactly this rule (any protocol, ports and source),
    /// as a rollback restores a revoked rule. Expects no equal rule yet; AWS gives the restored
    /// rule a new id.
    RestoreIngress { group_id: String, rule: IngressRule },
    /// `UpdateStage` with `replace /deploymentId`: the stage back on a deployment it had, as a
    /// rollback puts it (callers get exactly what they had, nothing deployed anew). Expects the
    /// stage on `expected_deployment_id`.
    RestoreStage {
        api_id: String,
        stage: String,
        expected_deployment_id: String,
        deployment_id: String,
    },
    /// `CreateDeployment` of one stage, so that method and policy changes reach callers.
    Redeploy {
        api_id: String,
        stage: String,
        /// The stage's deployment when planning.
        expected_deployment_id: Option<String>,
        description: String,
    },
}

impl Change {
    /// The AWS call that makes the change.
    pub fn aws_call(&self) -> &'static str {
        match self {
            Self::SetMethodAuthorization { .. } => "apigateway:UpdateMethod",
            Self::SetResourcePolicy { .. } => "apigateway:UpdateRestApi",
            Self::SetEndpointPolicy { .. } => "ec2:ModifyVpcEndpoint",
            Self::AuthorizeIngress { .. } | Self::RestoreIngress { .. } => {
                "ec2:AuthorizeSecurityGroupIngress"
            }
            Self::RevokeIngress { .. } => "ec2:RevokeSecurityGroupIngress",
            Self::Redeploy { .. } => "apigateway:CreateDeployment",
            Self::RestoreStage { .. } => "apigateway:UpdateStage",
        }
    }

    /// The id of the resource the change writes to.
    pub fn target(&self) -> &str {
        match self {
            Self::SetMethodAuthorization { method, .. } => &method.api_id,
            Self::SetResourcePolicy { api_id, .. }
            | Self::Redeploy { api_id, .. }
            | Self::RestoreStage { api_id, .. } => api_id,
            Self::SetEndpointPolicy { endpoint_id, .. } => endpoint_id,
            Self::AuthorizeIngress { group_id, .. }
            | Self::RevokeIngress { group_id, .. }
            | Self::RestoreIngress { group_id, .. } => group_id,
        }
    }

    /// One line for people: what changes, where.
    pub fn summary(&self) -> String {
        match self {
            Self::SetMethodAuthorization {
                method,
                expected,
                new,
                ..
            } => format!(
                "{} {} of {}: authorization {} -> {}",
                method.http_method,
                method.path,
                method.api_id,
                expected.as_str(),
                new.as_str()
            ),
            Self::SetResourcePolicy {
                api_id, expected, ..
            } => format!(
                "resource policy of {api_id}: {}",
                if expected.is_some() { "replace" } else { "set" }
            ),
            Self::SetEndpointPolicy { endpoint_id, .. } => {
                format!("endpoint policy of {endpoint_id}: replace")
            }
            Self::AuthorizeIngress {
                group_id,
                source_group_id,
                port,
                ..
            } => {
                format!("{group_id}: allow tcp {port} from {source_group_id}")
            }
            Self::RevokeIngress { group_id, expected } => format!(
                "{group_id}: revoke {} from {} ({})",
                expected.describe_ports(),
                expected.source.describe(),
                expected.rule_id
            ),
            Self::RestoreIngress { group_id, rule } => format!(
                "{group_id}: restore {} from {}",
                rule.describe_ports(),
                rule.source.describe()
            ),
            Self::Redeploy { api_id, stage, .. } => format!("redeploy stage {stage} of {api_id}"),
            Self::RestoreStage {
                api_id,
                stage,
                deployment_id,
                ..
            } => format!("stage {stage} of {api_id} back to deployment {deployment_id}"),
        }
    }

    /// The rule an `AuthorizeIngress` or `RestoreIngress` adds, as far as the change knows it:
    /// no rule id yet (AWS gives one), and the source group's owner as given (`None` for an
    /// authorize).
    pub fn added_rule(&self) -> Option<IngressRule> {
        match self {
            Self::AuthorizeIngress {
                source_group_id,
                port,
                description,
                ..
            } => Some(IngressRule {
                rule_id: String::new(),
                protocol: "tcp".into(),
                from_port: Some(*port),
                to_port: Some(*port),
                source: RuleSource::Group {
                    group_id: source_group_id.clone(),
                    owner_id: None,
                },
                description: Some(description.clone()),
            }),
            Self::RestoreIngress { rule, .. } => Some(IngressRule {
                rule_id: String::new(),
                ..rule.clone()
            }),
            _ => None,
        }
    }

    /// Which control a change serves, when it is specific to one.
    pub fn control(&self) -> Option<Control> {
        match self {
            Self::SetMethodAuthorization { .. } => Some(Control::IamAuth),
            Self::SetResourcePolicy { .. } => Some(Control::ResourcePolicy),
            Self::SetEndpointPolicy { .. } => Some(Control::EndpointPolicy),
            Self::AuthorizeIngress { .. }
            | Self::RevokeIngress { .. }
            | Self::RestoreIngress { .. } => Some(Control::EndpointSg),
            Self::Redeploy { .. } | Self::RestoreStage { .. } => None,
        }
    }
}
