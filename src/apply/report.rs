//! What an apply or rollback tells the operator: while it runs ([`ApplyEvent`]), when it ends
//! ([`ApplyReport`]), and why it refused to start ([`ApplyError`]).

use std::path::PathBuf;
use std::time::Duration;

use crate::cloud::CloudError;
use crate::model::Posture;
use crate::plan::Change;
use crate::steps::{Control, Status};

use super::journal::{ApplyOutcome, ChangeOutcome, JournalError, JournalKind};

/// One step of a running apply, for progress displays.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyEvent {
    /// Reading the targets for the drift check.
    Reading,
    /// The journal is on disk; nothing has been written to AWS yet.
    Journaled { id: String, path: PathBuf },
    /// Waiting for the account quota before change `index`.
    Pacing { index: usize },
    /// Sending change `index` (of [`crate::plan::Plan::changes`]).
    Started { index: usize },
    /// Change `index` was throttled; it is tried again after `delay`.
    Retrying {
        index: usize,
        attempt: u32,
        delay: Duration,
        error: String,
    },
    /// Change `index` failed in a way that does not prove it was not made (e.g. a timeout):
    /// the account is read to find out.
    Checking { index: usize, error: String },
    /// Change `index` is done (and journaled).
    Finished {
        index: usize,
        outcome: ChangeOutcome,
    },
    /// Reading the targets again to verify the result.
    Verifying,
}

/// Receives [`ApplyEvent`]s; implemented for any `Fn(ApplyEvent)`.
pub trait ApplyProgress: Send + Sync {
    fn report(&self, event: ApplyEvent);
}

impl<F: Fn(ApplyEvent) + Send + Sync> ApplyProgress for F {
    fn report(&self, event: ApplyEvent) {
        self(event)
    }
}

impl ApplyProgress for crate::cloud::NoProgress {
    fn report(&self, _event: ApplyEvent) {}
}

/// One change and how it went, in the order the apply took them.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeResult {
    /// Its index in [`crate::plan::Plan::changes`].
    pub index: usize,
    pub change: Change,
    pub outcome: ChangeOutcome,
}

/// Whether one applied change shows in the account read after the apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub index: usize,
    pub summary: String,
    /// `Err`: what was found instead.
    pub result: Result<(), String>,
}

/// The status of one control of one API path of the plan, after the apply.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlStatus {
    pub api_id: String,
    pub api_name: String,
    pub control: Control,
    /// `None`: the control does not apply to this path (e.g. no endpoint).
    pub status: Option<Status>,
}

/// The account read after the apply: each applied change checked, each control's status.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub checks: Vec<Check>,
    pub controls: Vec<ControlStatus>,
    /// The posture read, for views to show.
    pub posture: Posture,
}

impl Verification {
    pub fn all_took_effect(&self) -> bool {
        self.checks.iter().all(|c| c.result.is_ok())
    }
}

/// How an apply or rollback went.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplyReport {
    pub kind: JournalKind,
    /// For a rollback: the journal it rolls back.
    pub rolls_back: Option<String>,
    pub journal_id: String,
    pub journal_path: PathBuf,
    pub outcome: ApplyOutcome,
    /// Every change of the plan, in apply order, with its outcome.
    pub results: Vec<ChangeResult>,
    /// `Ok`: the account after the apply; `Err`: why it could not be read again. `None`
    /// when nothing was written (drift).
    pub verification: Option<Result<Verification, CloudError>>,
}

impl ApplyReport {
    pub fn count(&self, f: fn(&ChangeOutcome) -> bool) -> usize {
        self.results.iter().filter(|r| f(&r.outcome)).count()
    }

    pub fn applied(&self) -> usize {
        self.count(|o| matches!(o, ChangeOutcome::Applied { .. }))
    }

    pub fn succeeded(&self) -> bool {
        self.outcome == ApplyOutcome::Complete
    }
}

/// Why an apply or rollback did not start, or could not go on. Except for
/// [`ApplyError::Journal`] after a write, nothing was written to AWS.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(
        "ztharden runs read-only (--read-only or ZTHARDEN_READ_ONLY): nothing was changed; run without it to apply"
    )]
    ReadOnly,
    #[error(
        "the plan is for account {plan_account} in {plan_region}, but the credentials reach account {account} in {region}: nothing was changed; use the profile and region the plan (or the journal rolled back) was made with, or make a new plan"
    )]
    WrongAccount {
        plan_account: String,
        plan_region: String,
        account: String,
        region: String,
    },
    #[error("the plan cannot be applied: {0}")]
    InvalidPlan(String),
    #[error("nothing to roll back: {0}")]
    NothingToRollBack(String),
    #[error("the drift check could not read the account: {0}; nothing was changed")]
    Read(CloudError),
    #[error("the journal could not be written: {error}{}", if *.after_write { "; changes were made and the journal may not show all of them: check the account (`ztharden scan`) and the journal file before going on" } else { "; nothing was changed" })]
    Journal {
        #[source]
        error: JournalError,
        after_write: bool,
    },
}
