//! The AWS SDK adapter: the only module of the crate that imports `aws-sdk-*`. No SDK type
//! leaves it, except [`AwsClients`], the seam through which tests hand in mocked clients.
//!
//! Credentials, retries with backoff, signing and endpoint overrides (`--endpoint-url`,
//! `AWS_ENDPOINT_URL`) are the SDK's own; this module adds what the SDK does not know: which
//! calls make a posture, the `GetResources` quota, and how failures become gaps.

mod convert;
mod errors;
mod network;
mod read;
mod rest_apis;
mod write;

use std::sync::Arc;

use async_trait::async_trait;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;

use crate::cloud::{Applied, Cloud, CloudError, CloudErrorKind, CloudLabel, Progress};
use crate::model::{Posture, Region};
use crate::plan::Change;

pub use crate::cloud::pace::Pacer;
pub use read::read_posture;

/// How many times the SDK tries a call (with its own exponential backoff) before giving up.
pub const MAX_ATTEMPTS: u32 = 6;

/// Where and as whom to connect; every field falls back to the SDK's usual sources
/// (`AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, the config files).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// The SDK clients a read uses, all for one region.
#[derive(Debug, Clone)]
pub struct AwsClients {
    pub apigateway: aws_sdk_apigateway::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub iam: aws_sdk_iam::Client,
    pub sts: aws_sdk_sts::Client,
    pub region: Region,
}

impl AwsClients {
    /// Clients sharing one SDK configuration, which must name a region.
    pub fn from_sdk_config(config: &aws_config::SdkConfig) -> Result<Self, CloudError> {
        let region = config.region().ok_or_else(no_region)?;
        let region = Region::new(region.as_ref())
            .map_err(|e| CloudError::new(CloudErrorKind::Config, "connect", e.to_string()))?;
        Ok(Self {
            apigateway: aws_sdk_apigateway::Client::new(config),
            ec2: aws_sdk_ec2::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            sts: aws_sdk_sts::Client::new(config),
            region,
        })
    }
}

fn no_region() -> CloudError {
    CloudError::new(
        CloudErrorKind::Config,
        "connect",
        "no region: pass --region or set AWS_REGION",
    )
}

/// A [`Cloud`] backed by the AWS SDK.
#[derive(Debug, Clone)]
pub struct AwsCloud {
    clients: AwsClients,
    pacer: Arc<Pacer>,
    label: CloudLabel,
}

impl AwsCloud {
    /// Loads the SDK configuration (standard credential chain, `opts` over the environment,
    /// standard retries with [`MAX_ATTEMPTS`] attempts) and builds the clients. Fails only
    /// when no region is configured; credentials are checked by the first read.
    pub async fn connect(opts: AwsOptions) -> Result<Self, CloudError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
        if let Some(profile) = &opts.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &opts.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(url) = &opts.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let clients = AwsClients::from_sdk_config(&config)?;
        let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let label = CloudLabel::Aws {
            profile: opts.profile.or_else(|| from_env("AWS_PROFILE")),
            endpoint_url: opts.endpoint_url.or_else(|| from_env("AWS_ENDPOINT_URL")),
        };
        Ok(Self::from_clients(clients, label))
    }

    /// A cloud over clients built elsewhere (tests, custom configurations).
    pub fn from_clients(clients: AwsClients, label: CloudLabel) -> Self {
        Self {
            clients,
            pacer: Arc::new(Pacer::get_resources()),
            label,
        }
    }

    /// The same cloud with another pacer for `GetResources`: for an account whose quota was
    /// raised, or an emulator that has none (`Pacer::new(usize::MAX, Duration::ZERO)`).
    pub fn with_pacer(mut self, pacer: Pacer) -> Self {
        self.pacer = Arc::new(pacer);
        self
    }

    /// The region the clients talk to.
    pub fn region(&self) -> &Region {
        &self.clients.region
    }
}

#[async_trait]
impl Cloud for AwsCloud {
    fn label(&self) -> CloudLabel {
        self.label.clone()
    }

    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError> {
        read_posture(&self.clients, &self.pacer, progress).await
    }

    async fn apply(&self, change: &Change) -> Result<Applied, CloudError> {
        write::apply(&self.clients, change).await
    }
}
