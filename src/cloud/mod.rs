//! Where postures come from: the AWS SDK adapter or the in-memory sandbox.
//!
//! `aws` is the only module of the crate that imports `aws-sdk-*`; everything else speaks the
//! model types.

pub mod aws;
pub mod sandbox;

use std::fmt;

use async_trait::async_trait;

use crate::model::Posture;

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

/// A source of postures. Later work adds the writes.
#[async_trait]
pub trait Cloud: Send + Sync {
    /// How to name this cloud to the operator.
    fn label(&self) -> CloudLabel;

    /// Read the whole posture of the account and region. Parts that cannot be read are
    /// recorded as gaps in the posture; an error means nothing useful could be read at all
    /// (no credentials, endpoint unreachable, the account itself unreadable).
    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError>;
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
}
