//! Where postures come from: the AWS SDK adapter or the in-memory sandbox.
//!
//! `aws` is the only module of the crate that imports `aws-sdk-*`; everything else speaks the
//! model types.

pub mod aws;
pub mod faults;
pub mod pace;
pub mod sandbox;

use std::fmt;

use async_trait::async_trait;

use serde::{Deserialize, Serialize};

use crate::model::Posture;
use crate::plan::Change;

/// A step of a posture read, reported while the read runs (for the TUI's progress line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadEvent {
    /// A phase started, e.g. "REST APIs" or "security groups".
    Started(String),
    /// One item of a phase is done, e.g. the resources of API `orders`.
    Read {
        what: String,
        done: usize,
        total: usize,
    },
    /// Something could not be read; the read goes on.
    Gap(String),
}

/// Receives [`ReadEvent`]s; implemented for any `Fn(ReadEvent)`.
pub trait Progress: Send + Sync {
    fn report(&self, event: ReadEvent);
}

impl<F: Fn(ReadEvent) + Send + Sync> Progress for F {
    fn report(&self, event: ReadEvent) {
        self(event)
    }
}

/// A [`Progress`] that drops every event.
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&self, _event: ReadEvent) {}
}

/// What kind of failure stopped a whole read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudErrorKind {
    /// No credentials could be found or they were rejected.
    Credentials,
    /// The endpoint could not be reached (network, DNS, wrong `--endpoint-url`).
    Unreachable,
    /// The caller is not allowed to make the call.
    AccessDenied,
    /// Still throttled after the retries.
    Throttled,
    /// The input is wrong (unknown id, bad value).
    InvalidInput,
    /// Any other service error.
    Service,
    /// A fixture or configuration could not be loaded.
    Config,
    /// This cloud (or this session) makes no writes.
    ReadOnly,
}

/// A failure of a Cloud call: what failed, on which resource, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CloudError {
    pub kind: CloudErrorKind,
    /// The operation, e.g. `GetRestApis`.
    pub operation: String,
    /// The resource concerned, when there is one.
    pub resource: Option<String>,
    /// The service's (or the system's) own message.
    pub message: String,
}

impl CloudError {
    pub fn new(
        kind: CloudErrorKind,
        operation: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            operation: operation.into(),
            resource: None,
            message: message.into(),
        }
    }

    pub fn on(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// What the operator can do about it.
    pub fn hint(&self) -> &'static str {
        match self.kind {
            CloudErrorKind::Credentials => {
                "check your credentials: pass --profile, run `aws sso login`, or set AWS_PROFILE"
            }
            CloudErrorKind::Unreachable => {
                "check the network, --region and --endpoint-url (or AWS_ENDPOINT_URL)"
            }
            CloudErrorKind::AccessDenied => {
                "grant the read permissions listed in the README to the identity you use"
            }
            CloudErrorKind::Throttled => {
                "the account's API quota is exhausted: wait a minute and refresh"
            }
            CloudErrorKind::InvalidInput => "check the id or value you gave",
            CloudErrorKind::Service => {
                "retry later; if it persists, check the AWS Health Dashboard"
            }
            CloudErrorKind::Config => "check the file or option named above",
            CloudErrorKind::ReadOnly => "this source is read-only: nothing was changed",
        }
    }
}

impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.operation)?;
        if let Some(resource) = &self.resource {
            write!(f, " on {resource}")?;
        }
        // One line: multi-line service messages are folded.
        let message: Vec<&str> = self
            .message
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        write!(f, ": {}; {}", message.join(" "), self.hint())
    }
}

/// How a Cloud names itself in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudLabel {
    Sandbox,
    Aws {
        profile: Option<String>,
        endpoint_url: Option<String>,
    },
}

impl fmt::Display for CloudLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sandbox => f.write_str("SANDBOX"),
            Self::Aws {
                profile,
                endpoint_url,
            } => {
                write!(f, "profile {}", profile.as_deref().unwrap_or("default"))?;
                if let Some(url) = endpoint_url {
                    write!(f, " @ {url}")?;
                }
                Ok(())
            }
        }
    }
}

/// What a write did, beyond succeeding: the ids AWS gave what it created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "applied", rename_all = "kebab-case")]
pub enum Applied {
    /// The value was set; nothing new was created.
    Done,
    /// `CreateDeployment` made this deployment, and the stage now points at it.
    Deployed { deployment_id: String },
    /// `AuthorizeSecurityGroupIngress` made this rule (an `sgr-` id).
    RuleAdded { rule_id: String },
}

/// The operation a change calls, as AWS names it in errors (`UpdateMethod`).
pub fn write_operation(change: &Change) -> &'static str {
    let call = change.aws_call();
    call.split_once(':').map_or(call, |(_, op)| op)
}

/// The resource a change writes to, for errors: precise enough to find it in the console.
pub fn write_resource(change: &Change) -> String {
    match change {
        Change::SetMethodAuthorization { method, .. } => format!(
            "{} {} {} (resource {})",
            method.api_id, method.http_method, method.path, method.resource_id
        ),
        Change::SetResourcePolicy { api_id, .. } => api_id.clone(),
        Change::SetEndpointPolicy { endpoint_id, .. } => endpoint_id.clone(),
        Change::AuthorizeIngress {
            group_id,
            source_group_id,
            ..
        } => format!("{group_id} (from {source_group_id})"),
        Change::RevokeIngress { group_id, expected } => {
            format!("{group_id} rule {}", expected.rule_id)
        }
        Change::RestoreIngress { group_id, rule } => format!(
            "{group_id} ({} from {})",
            rule.describe_ports(),
            rule.source.describe()
        ),
        Change::Redeploy { api_id, stage, .. } | Change::RestoreStage { api_id, stage, .. } => {
            format!("{api_id} stage {stage}")
        }
    }
}

/// The error a cloud that makes no writes gives for every write.
pub fn read_only_error(change: &Change) -> CloudError {
    CloudError::new(
        CloudErrorKind::ReadOnly,
        write_operation(change),
        "this cloud makes no writes",
    )
    .on(write_resource(change))
}

/// A source of postures, and the one way changes reach the account.
#[async_trait]
pub trait Cloud: Send + Sync {
    /// How to name this cloud to the operator.
    fn label(&self) -> CloudLabel;

    /// Read the whole posture of the account and region. Parts that cannot be read are
    /// recorded as gaps in the posture; an error means nothing useful could be read at all
    /// (no credentials, endpoint unreachable, the account itself unreadable).
    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError>;

    /// Makes one change with the AWS call [`Change::aws_call`] names. No drift check here:
    /// the caller compares the expected values first. Errors name the operation and the
    /// resource ([`write_operation`], [`write_resource`]).
    async fn apply(&self, change: &Change) -> Result<Applied, CloudError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_one_line_saying_what_where_and_what_next() {
        let e = CloudError::new(
            CloudErrorKind::AccessDenied,
            "GetResources",
            "AccessDenied:\n  not allowed\n",
        )
        .on("a1b2c3d4e5");
        let text = e.to_string();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.starts_with("GetResources failed on a1b2c3d4e5: AccessDenied: not allowed; grant"),
            "{text}"
        );
    }

    #[test]
    fn what_a_write_did_round_trips_through_the_journal_form() {
        for applied in [
            Applied::Done,
            Applied::Deployed {
                deployment_id: "abc123".into(),
            },
            Applied::RuleAdded {
                rule_id: "sgr-0123".into(),
            },
        ] {
            let text = serde_json::to_string(&applied).unwrap();
            assert_eq!(serde_json::from_str::<Applied>(&text).unwrap(), applied);
        }
        let text = serde_json::to_string(&Applied::RuleAdded {
            rule_id: "sgr-0123".into(),
        })
        .unwrap();
        assert_eq!(text, r#"{"applied":"rule-added","rule_id":"sgr-0123"}"#);
    }

    #[test]
    fn a_read_only_cloud_names_the_write_it_refuses() {
        let change = Change::Redeploy {
            api_id: "a1b2c3d4e5".into(),
            stage: "prod".into(),
            expected_deployment_id: None,
            description: "ztharden".into(),
        };
        let err = read_only_error(&change);
        assert_eq!(err.kind, CloudErrorKind::ReadOnly);
        assert_eq!(
            err.to_string(),
            "CreateDeployment failed on a1b2c3d4e5 stage prod: this cloud makes no writes; \
             this source is read-only: nothing was changed"
        );
    }
}
