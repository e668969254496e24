//! A Cloud that fails on purpose: the test wrapper for the apply engine's failure paths.
//!
//! [`FaultyCloud`] forwards to any [`Cloud`] and, as its [`FaultPlan`] says, fails chosen calls
//! (the Nth write, or the Nth call counting reads too) or throttles a share of them. Both are
//! refused *before* forwarding, so the wrapped cloud never sees them. Every call is recorded
//! with its outcome, so a test can check that nothing unrecorded changed.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::{
    Applied, Cloud, CloudError, CloudErrorKind, CloudLabel, Progress, write_operation,
    write_resource,
};
use crate::model::Posture;
use crate::plan::Change;

/// The operation name a posture read is logged (and failed) under.
pub const READ_OPERATION: &str = "ReadPosture";

/// Which calls a count runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Only `apply` calls.
    Writes,
    /// `read_posture` and `apply` calls alike.
    Calls,
}

/// Which calls are throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Throttle {
    /// The k-th, 2k-th, ... call counted.
    Every { k: usize, over: Counting },
    /// About `per_mille`/1000 of the calls counted, chosen by a seeded hash of their number:
    /// the same seed throttles the same calls.
    Share {
        per_mille: u32,
        seed: u64,
        over: Counting,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Failure {
    nth: usize,
    over: Counting,
    error: Option<CloudError>,
    /// Forward the call, then lose the reply: the cloud changed, the caller hears it failed.
    lose_reply: bool,
}

/// Which calls a [`FaultyCloud`] refuses. Call numbers start at 1.
///
/// Throttling is decided first, on every call seen. A throttled call does not count towards
/// [`fail`](Self::fail): "fail the 3rd write" means the 3rd write that would otherwise have
/// reached the cloud, whatever was throttled (and retried) before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    failures: Vec<Failure>,
    throttle: Option<Throttle>,
}

impl FaultPlan {
    /// Forward everything.
    pub fn none() -> Self {
        Self::default()
    }

    /// Fail the `nth` write (not forwarded) with a non-transient `Service` error naming its
    /// operation and resource.
    pub fn fail_write(self, nth: usize) -> Self {
        self.fail(nth, Counting::Writes, None)
    }

    /// Fail the `nth` call, reads included.
    pub fn fail_call(self, nth: usize) -> Self {
        self.fail(nth, Counting::Calls, None)
    }

    /// Fail the `nth` call counted `over`, with `error` as given (default: see
    /// [`fail_write`](Self::fail_write)). May be called several times.
    pub fn fail(mut self, nth: usize, over: Counting, error: Option<CloudError>) -> Self {
        assert!(nth >= 1, "calls are numbered from 1");
        self.failures.push(Failure {
            nth,
            over,
            error,
            lose_reply: false,
        });
        self
    }

    /// Forward the `nth` write, then answer with a timeout as if the reply was lost: the
    /// wrapped cloud made the change, the caller is told the request timed out.
    pub fn lose_reply(self, nth: usize) -> Self {
        self.lose_reply_as(nth, None)
    }

    /// [`lose_reply`](Self::lose_reply), answered with `error` (e.g. a throttle, as when the
    /// SDK's first try reached AWS and its retries were throttled).
    pub fn lose_reply_as(mut self, nth: usize, error: Option<CloudError>) -> Self {
        assert!(nth >= 1, "calls are numbered from 1");
        self.failures.push(Failure {
            nth,
            over: Counting::Writes,
            error,
            lose_reply: true,
        });
        self
    }

    /// Throttle the k-th, 2k-th, ... call counted `over`.
    pub fn throttle_every(mut self, k: usize, over: Counting) -> Self {
        assert!(k >= 1, "k must be at least 1");
        self.throttle = Some(Throttle::Every { k, over });
        self
    }

    /// Throttle about `per_mille`/1000 of the calls counted `over`, deterministically for
    /// a given `seed`.
    pub fn throttle_share(mut self, per_mille: u32, seed: u64, over: Counting) -> Self {
        self.throttle = Some(Throttle::Share {
            per_mille: per_mille.min(1000),
            seed,
            over,
        });
        self
    }

    fn throttles(&self, number: Numbers) -> bool {
        match self.throttle {
            None => false,
            Some(Throttle::Every { k, over }) => number.of(over).is_some_and(|n| n % k == 0),
            Some(Throttle::Share {
                per_mille,
                seed,
                over,
            }) => number
                .of(over)
                .is_some_and(|n| splitmix64(seed ^ n as u64) % 1000 < u64::from(per_mille)),
        }
    }

    fn failure(&self, number: Numbers) -> Option<&Failure> {
        self.failures
            .iter()
            .find(|f| number.of(f.over) == Some(f.nth))
    }
}

/// A call's number among all calls and, for a write, among writes.
#[derive(Debug, Clone, Copy)]
struct Numbers {
    call: usize,
    write: Option<usize>,
}

impl Numbers {
    fn of(self, over: Counting) -> Option<usize> {
        match over {
            Counting::Calls => Some(self.call),
            Counting::Writes => self.write,
        }
    }
}

/// A well-mixed 64-bit hash (SplitMix64's finaliser).
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What became of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Forwarded; the read succeeded.
    Read,
    /// Forwarded; the write succeeded.
    Applied(Applied),
    /// Forwarded; the wrapped cloud refused it.
    Failed(CloudError),
    /// Refused here with an injected error; not forwarded.
    Injected(CloudError),
    /// Refused here as throttled; not forwarded.
    Throttled(CloudError),
    /// Forwarded and made by the wrapped cloud, but answered here with this error.
    ReplyLost(Applied, CloudError),
}

impl Outcome {
    /// Whether the wrapped cloud saw the call.
    pub fn forwarded(&self) -> bool {
        matches!(
            self,
            Self::Read | Self::Applied(_) | Self::Failed(_) | Self::ReplyLost(..)
        )
    }
}

/// One call a [`FaultyCloud`] saw.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// 1-based, over all calls.
    pub number: usize,
    /// [`READ_OPERATION`] or the write's [`write_operation`].
    pub operation: String,
    /// The write's [`write_resource`]; `None` for reads.
    pub resource: Option<String>,
    /// The change, for writes.
    pub change: Option<Change>,
    pub outcome: Outcome,
}

#[derive(Debug, Default)]
struct Counters {
    calls: usize,
    writes: usize,
    /// Calls and writes that were not throttled: what failures count.
    passed_calls: usize,
    passed_writes: usize,
}

/// Forwards to `inner` except where its [`FaultPlan`] says otherwise, recording every call.
pub struct FaultyCloud<C: Cloud + ?Sized> {
    inner: Arc<C>,
    plan: FaultPlan,
    counters: Mutex<Counters>,
    log: Mutex<Vec<CallRecord>>,
}

enum Decision {
    Forward,
    Throttle,
    Fail(Option<CloudError>),
    LoseReply(Option<CloudError>),
}

impl<C: Cloud + ?Sized> FaultyCloud<C> {
    pub fn new(inner: Arc<C>, plan: FaultPlan) -> Self {
        Self {
            inner,
            plan,
            counters: Mutex::new(Counters::default()),
            log: Mutex::new(Vec::new()),
        }
    }

    /// The wrapped cloud, to look at it without going through the faults.
    pub fn inner(&self) -> &Arc<C> {
        &self.inner
    }

    /// Every call seen so far, in call order.
    pub fn calls(&self) -> Vec<CallRecord> {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner()).clone();
        log.sort_by_key(|r| r.number);
        log
    }

    /// The changes the wrapped cloud made, in call order: exactly what can have changed.
    pub fn applied_changes(&self) -> Vec<Change> {
        self.calls()
            .into_iter()
            .filter(|r| matches!(r.outcome, Outcome::Applied(_) | Outcome::ReplyLost(..)))
            .filter_map(|r| r.change)
            .collect()
    }

    fn decide(&self, is_write: bool) -> (usize, Decision) {
        let mut c = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        c.calls += 1;
        if is_write {
            c.writes += 1;
        }
        let seen = Numbers {
            call: c.calls,
            write: is_write.then_some(c.writes),
        };
        if self.plan.throttles(seen) {
            return (c.calls, Decision::Throttle);
        }
        c.passed_calls += 1;
        if is_write {
            c.passed_writes += 1;
        }
        let passed = Numbers {
            call: c.passed_calls,
            write: is_write.then_some(c.passed_writes),
        };
        let decision = match self.plan.failure(passed) {
            Some(f) if f.lose_reply => Decision::LoseReply(f.error.clone()),
            Some(f) => Decision::Fail(f.error.clone()),
            None => Decision::Forward,
        };
        (c.calls, decision)
    }

    fn record(&self, number: usize, change: Option<&Change>, outcome: Outcome) {
        let record = CallRecord {
            number,
            operation: change.map_or(READ_OPERATION, write_operation).to_string(),
            resource: change.map(write_resource),
            change: change.cloned(),
            outcome,
        };
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(record);
    }
}

fn injected(kind: CloudErrorKind, change: Option<&Change>, message: String) -> CloudError {
    let operation = change.map_or(READ_OPERATION, write_operation);
    let error = CloudError::new(kind, operation, message);
    match change {
        Some(change) => error.on(write_resource(change)),
        None => error,
    }
}

fn throttled(change: Option<&Change>) -> CloudError {
    injected(
        CloudErrorKind::Throttled,
        change,
        "ThrottlingException: Rate exceeded".into(),
    )
}

fn failed(change: Option<&Change>, number: usize) -> CloudError {
    injected(
        CloudErrorKind::Service,
        change,
        format!("InternalFailure: injected fault at call {number}"),
    )
}

#[async_trait]
impl<C: Cloud + ?Sized> Cloud for FaultyCloud<C> {
    fn label(&self) -> CloudLabel {
        self.inner.label()
    }

    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError> {
        let (number, decision) = self.decide(false);
        let (result, outcome) = match decision {
            Decision::Throttle => {
                let e = throttled(None);
                (Err(e.clone()), Outcome::Throttled(e))
            }
            Decision::Fail(error) => {
                let e = error.unwrap_or_else(|| failed(None, number));
                (Err(e.clone()), Outcome::Injected(e))
            }
            Decision::Forward | Decision::LoseReply(_) => {
                match self.inner.read_posture(progress).await {
                    Ok(posture) => (Ok(posture), Outcome::Read),
                    Err(e) => (Err(e.clone()), Outcome::Failed(e)),
                }
            }
        };
        self.record(number, None, outcome);
        result
    }

    async fn apply(&self, change: &Change) -> Result<Applied, CloudError> {
        let (number, decision) = self.decide(true);
        let (result, outcome) = match decision {
            Decision::Throttle => {
                let e = throttled(Some(change));
                (Err(e.clone()), Outcome::Throttled(e))
            }
            Decision::Fail(error) => {
                let e = error.unwrap_or_else(|| failed(Some(change), number));
                (Err(e.clone()), Outcome::Injected(e))
            }
            Decision::Forward => match self.inner.apply(change).await {
                Ok(applied) => (Ok(applied.clone()), Outcome::Applied(applied)),
                Err(e) => (Err(e.clone()), Outcome::Failed(e)),
            },
            Decision::LoseReply(error) => match self.inner.apply(change).await {
                Ok(applied) => {
                    let e = error.unwrap_or_else(|| {
                        injected(
                            CloudErrorKind::Unreachable,
                            Some(change),
                            "the request timed out".into(),
                        )
                    });
                    (Err(e.clone()), Outcome::ReplyLost(applied, e))
                }
                Err(e) => (Err(e.clone()), Outcome::Failed(e)),
            },
        };
        self.record(number, Some(change), outcome);
        result
    }
}

#[cfg(test)]
mod tests;
