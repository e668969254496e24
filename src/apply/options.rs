//! How the engine paces and retries its writes, and whether it writes at all.

use std::time::Duration;

use crate::cloud::pace::Pacer;
use crate::cloud::{CloudError, CloudErrorKind, CloudLabel};
use crate::plan::Change;

/// How the engine works.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// No write at all: `apply` and `rollback` refuse before reading anything.
    pub read_only: bool,
    pub pacing: Pacing,
    pub retry: Retry,
}

impl EngineOptions {
    /// The options for a cloud: the account quotas on AWS, no pacing in the sandbox.
    pub fn for_cloud(label: &CloudLabel, read_only: bool) -> Self {
        let pacing = match label {
            CloudLabel::Sandbox => Pacing::None,
            CloudLabel::Aws { .. } => Pacing::AwsQuotas,
        };
        Self {
            read_only,
            pacing,
            retry: Retry::default(),
        }
    }

    /// No pacing and short retry delays: for tests and local emulators.
    pub fn quick() -> Self {
        Self {
            read_only: false,
            pacing: Pacing::None,
            retry: Retry {
                attempts: 6,
                first_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(4),
            },
        }
    }
}

/// Which quotas the writes are paced to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// Write as fast as the cloud answers.
    None,
    /// API Gateway's account quotas: updates about 10 per second (shared by every update call),
    /// `CreateDeployment` about 1 per 5 seconds.
    AwsQuotas,
}

/// Retries of throttled writes, with exponential backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all (at least 1).
    pub attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            attempts: 6,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl Retry {
    /// The wait before try `attempt + 1` (after `attempt` failed tries).
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(16);
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Whether a failed write is worth another try: throttling only. A write that timed out or
/// could not be sent may have reached AWS, so it is reported, not repeated; service errors
/// the SDK could retry it already retried.
pub fn is_transient(error: &CloudError) -> bool {
    error.kind == CloudErrorKind::Throttled
}

/// The pacers of one engine, shared by every apply it runs.
#[derive(Debug)]
pub(super) struct Pacers {
    updates: Option<Pacer>,
    deployments: Option<Pacer>,
}

impl Pacers {
    pub fn new(pacing: Pacing) -> Self {
        match pacing {
            Pacing::None => Self {
                updates: None,
                deployments: None,
            },
            Pacing::AwsQuotas => Self {
                updates: Some(Pacer::new(10, Duration::from_secs(1))),
                deployments: Some(Pacer::new(1, Duration::from_secs(5))),
            },
        }
    }

    /// Waits until `change` may be sent.
    pub async fn wait(&self, change: &Change) {
        let api_gateway = change.aws_call().starts_with("apigateway:");
        if matches!(change, Change::Redeploy { .. })
            && let Some(p) = &self.deployments
        {
            p.acquire().await;
        }
        if api_gateway && let Some(p) = &self.updates {
            p.acquire().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let r = Retry {
            attempts: 8,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        let delays: Vec<u128> = (1..=5).map(|a| r.delay(a).as_millis()).collect();
        assert_eq!(delays, vec![100, 200, 400, 500, 500]);
    }

    #[tokio::test(start_paused = true)]
    async fn deployments_are_paced_to_one_per_five_seconds_and_updates_to_ten_per_second() {
        let pacers = Pacers::new(Pacing::AwsQuotas);
        let redeploy = Change::Redeploy {
            api_id: "a1".into(),
            stage: "prod".into(),
            expected_deployment_id: None,
            description: "ztharden".into(),
        };
        let start = tokio::time::Instant::now();
        for _ in 0..3 {
            pacers.wait(&redeploy).await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(10));

        let pacers = Pacers::new(Pacing::AwsQuotas);
        let policy = Change::SetResourcePolicy {
            api_id: "a1".into(),
            expected: None,
            new: "{}".into(),
        };
        let start = tokio::time::Instant::now();
        for _ in 0..10 {
            pacers.wait(&policy).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        pacers.wait(&policy).await;
        assert_eq!(start.elapsed(), Duration::from_secs(1));

        // EC2 writes are not held back by API Gateway's quotas.
        let endpoint = Change::SetEndpointPolicy {
            endpoint_id: "vpce-1".into(),
            expected: None,
            new: "{}".into(),
        };
        let before = tokio::time::Instant::now();
        for _ in 0..20 {
            pacers.wait(&endpoint).await;
        }
        assert_eq!(before.elapsed(), Duration::ZERO);
        let none = Pacers::new(Pacing::None);
        for _ in 0..5 {
            none.wait(&redeploy).await;
        }
        assert_eq!(before.elapsed(), Duration::ZERO);
    }
}
