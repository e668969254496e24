//! The apply engine: the one place where a change reaches AWS.
//!
//! An apply (and a rollback, which is the apply of an inverse plan):
//! 1. refuses in read-only mode, or a plan that is blocked, malformed or for another account;
//! 2. re-reads the account and compares each target with the plan's expected value;
//! 3. writes the journal header (plan, values read, account, region, time), on disk before
//!    anything else; on drift, closes it as refused and writes nothing to AWS;
//! 4. makes the changes in [`apply_order`], each paced to the account quotas, throttling
//!    retried with backoff, each journaled as it happens; the first failure that is not
//!    throttling stops the apply, the rest is recorded as not run;
//! 5. reads the account again and checks that every applied change took effect.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::compare::{drift, effect, took_effect};
use super::history::{self, HistoryError};
use super::inverse::inverse;
use super::journal::{
    ApplyOutcome, BeforeValue, ChangeOutcome, Drifted, Journal, JournalError, JournalKind,
    JournalWriter, Start,
};
use super::options::{EngineOptions, Pacers, is_transient};
use super::order::apply_order;
use super::report::{
    ApplyError, ApplyEvent, ApplyProgress, ApplyReport, ChangeResult, Check, ControlStatus,
    Verification,
};
use crate::cloud::{Applied, Cloud, CloudError, CloudErrorKind, NoProgress};
use crate::model::Posture;
use crate::plan::{Change, PLAN_VERSION, Plan};
use crate::steps::{self, Control};

/// Applies plans to one cloud, journaling under one state directory.
pub struct Engine {
    cloud: Arc<dyn Cloud>,
    state_dir: PathBuf,
    options: EngineOptions,
    pacers: Pacers,
    /// Set by [`Engine::request_stop`]; cleared when a run starts.
    stop: AtomicBool,
}

impl Engine {
    pub fn new(
        cloud: Arc<dyn Cloud>,
        state_dir: impl Into<PathBuf>,
        options: EngineOptions,
    ) -> Self {
        Self {
            cloud,
            state_dir: state_dir.into(),
            pacers: Pacers::new(options.pacing),
            options,
            stop: AtomicBool::new(false),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.options.read_only
    }

    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// Why `plan` cannot be applied, found without reading the account: what `apply` checks
    /// first, so that callers can refuse before asking the operator anything.
    pub fn check(&self, plan: &Plan) -> Result<(), ApplyError> {
        if self.options.read_only {
            return Err(ApplyError::ReadOnly);
        }
        if plan.version != PLAN_VERSION {
            return Err(ApplyError::InvalidPlan(format!(
                "it is plan format {}, this ztharden reads format {PLAN_VERSION}; make a new plan",
                plan.version
            )));
        }
        if let Some(step) = plan.steps.iter().find(|s| s.is_blocked()) {
            return Err(ApplyError::InvalidPlan(format!(
                "its {} step is blocked; fix what it says and make a new plan",
                step.control.id()
            )));
        }
        let changes: Vec<Change> = plan.changes().cloned().collect();
        if changes.is_empty() {
            return Err(ApplyError::InvalidPlan(
                "it has no changes: every control it covers needs nothing done".into(),
            ));
        }
        apply_order(&changes)
            .map(drop)
            .map_err(ApplyError::InvalidPlan)
    }

    /// Asks a running apply or rollback to stop before its next change: the change being
    /// sent finishes and is journaled, the rest is recorded as not run. Asked before a run
    /// starts, it stops that run before its first change.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Applies a reviewed plan.
    pub async fn apply(
        &self,
        plan: &Plan,
        progress: &dyn ApplyProgress,
    ) -> Result<ApplyReport, ApplyError> {
        self.run(JournalKind::Apply, None, plan, progress).await
    }

    /// The plan that rolls back `journal` (to show before confirming).
    ///
    /// What earlier rollbacks of the same journal undid is left out: after a rollback that
    /// stopped at a failure, the next one undoes only the rest.
    pub fn rollback_plan(&self, journal: &Journal) -> Result<Plan, ApplyError> {
        let undone = history::undone(&self.state_dir, journal.id()).map_err(|e| match e {
            HistoryError::Journal(error) => ApplyError::Journal {
                error,
                after_write: false,
            },
            too_deep => ApplyError::InvalidPlan(too_deep.to_string()),
        })?;
        match inverse(journal, &now(), &undone) {
            Err(e) if !undone.by.is_empty() => Err(ApplyError::NothingToRollBack(format!(
                "{e} (rolled back by journal {})",
                undone.by.join(", ")
            ))),
            other => other.map_err(ApplyError::NothingToRollBack),
        }
    }

    /// Rolls back what `journal` applied, through the same checks as an apply. `confirmed` is
    /// the [`rollback_plan`](Self::rollback_plan) the operator saw: if the rollback is no
    /// longer that (another rollback ran since), nothing is done.
    pub async fn rollback(
        &self,
        journal: &Journal,
        confirmed: &Plan,
        progress: &dyn ApplyProgress,
    ) -> Result<ApplyReport, ApplyError> {
        if self.options.read_only {
            return Err(ApplyError::ReadOnly);
        }
        let plan = self.rollback_plan(journal)?;
        let same = plan.steps == confirmed.steps
            && plan.account == confirmed.account
            && plan.region == confirmed.region;
        if !same {
            return Err(ApplyError::InvalidPlan(format!(
                "the rollback of journal {} is no longer the one shown (another rollback of it \
                 ran since): look at it again",
                journal.id()
            )));
        }
        self.run(
            JournalKind::Rollback,
            Some(journal.id().to_string()),
            confirmed,
            progress,
        )
        .await
    }

    async fn run(
        &self,
        kind: JournalKind,
        rolls_back: Option<String>,
        plan: &Plan,
        progress: &dyn ApplyProgress,
    ) -> Result<ApplyReport, ApplyError> {
        let result = self.run_once(kind, rolls_back, plan, progress).await;
        // A stop asked for is for this run only (one asked before it started stops it at once).
        self.stop.store(false, Ordering::SeqCst);
        result
    }

    async fn run_once(
        &self,
        kind: JournalKind,
        rolls_back: Option<String>,
        plan: &Plan,
        progress: &dyn ApplyProgress,
    ) -> Result<ApplyReport, ApplyError> {
        self.check(plan)?;
        let changes: Vec<Change> = plan.changes().cloned().collect();
        let order = apply_order(&changes).map_err(ApplyError::InvalidPlan)?;

        progress.report(ApplyEvent::Reading);
        let posture = self
            .cloud
            .read_posture(&NoProgress)
            .await
            .map_err(ApplyError::Read)?;
        if plan.account != posture.account.as_str() || plan.region != posture.region.as_str() {
            return Err(ApplyError::WrongAccount {
                plan_account: plan.account.clone(),
                plan_region: plan.region.clone(),
                account: posture.account.to_string(),
                region: posture.region.to_string(),
            });
        }
        let mut before = Vec::with_capacity(changes.len());
        let mut drifted = Vec::new();
        for (index, change) in changes.iter().enumerate() {
            let found = drift(&posture, change);
            if let Some(detail) = found.drift {
                drifted.push(Drifted {
                    resource: found.resource.clone(),
                    detail,
                });
            }
            before.push(BeforeValue {
                index,
                resource: found.resource,
                found: found.value,
            });
        }

        let journal_error =
            |error: JournalError, after_write: bool| ApplyError::Journal { error, after_write };
        let mut writer = JournalWriter::begin(
            &self.state_dir,
            Start {
                kind,
                rolls_back: rolls_back.clone(),
                account: plan.account.clone(),
                region: plan.region.clone(),
                plan: plan.clone(),
                before,
            },
        )
        .map_err(|e| journal_error(e, false))?;
        let (journal_id, journal_path) = (writer.id().to_string(), writer.path().to_path_buf());
        progress.report(ApplyEvent::Journaled {
            id: journal_id.clone(),
            path: journal_path.clone(),
        });
        let not_run = |order: &[usize]| -> Vec<ChangeResult> {
            order
                .iter()
                .map(|&index| ChangeResult {
                    index,
                    change: changes[index].clone(),
                    outcome: ChangeOutcome::NotRun,
                })
                .collect()
        };
        if !drifted.is_empty() {
            let outcome = ApplyOutcome::RefusedDrift { drifted };
            writer
                .close(outcome.clone())
                .map_err(|e| journal_error(e, false))?;
            return Ok(ApplyReport {
                kind,
                rolls_back,
                journal_id,
                journal_path,
                outcome,
                results: not_run(&order),
                verification: None,
            });
        }

        let mut results = Vec::with_capacity(changes.len());
        let mut outcome = ApplyOutcome::Complete;
        let mut any_applied = false;
        for (at, &index) in order.iter().enumerate() {
            if self.stop.load(Ordering::SeqCst) {
                outcome = ApplyOutcome::Stopped;
                results.extend(not_run(&order[at..]));
                break;
            }
            progress.report(ApplyEvent::Started { index });
            let change_outcome = match self.write(index, &changes[index], progress).await {
                Ok(result) => ChangeOutcome::Applied { result },
                Err(e) => self.settle(index, &changes[index], e, progress).await,
            };
            let applied = matches!(change_outcome, ChangeOutcome::Applied { .. });
            any_applied |= applied;
            writer
                .record(index, change_outcome.clone())
                .map_err(|e| journal_error(e, any_applied))?;
            progress.report(ApplyEvent::Finished {
                index,
                outcome: change_outcome.clone(),
            });
            results.push(ChangeResult {
                index,
                change: changes[index].clone(),
                outcome: change_outcome,
            });
            if !applied {
                outcome = ApplyOutcome::StoppedAtFailure;
                results.extend(not_run(&order[at + 1..]));
                break;
            }
        }
        writer
            .close(outcome.clone())
            .map_err(|e| journal_error(e, any_applied))?;

        progress.report(ApplyEvent::Verifying);
        let verification = self
            .cloud
            .read_posture(&NoProgress)
            .await
            .map(|after| verify(after, plan, &results));
        Ok(ApplyReport {
            kind,
            rolls_back,
            journal_id,
            journal_path,
            outcome,
            results,
            verification: Some(verification),
        })
    }

    /// A write answered with an error that does not prove it was refused (a timeout, a
    /// server error, or a duplicate after the SDK resent it): the account is read to see
    /// whether the change was made anyway, so that the journal says exactly what reached AWS.
    async fn settle(
        &self,
        index: usize,
        change: &Change,
        error: CloudError,
        progress: &dyn ApplyProgress,
    ) -> ChangeOutcome {
        let message = error.to_string();
        // Refusals of the caller prove nothing reached AWS. Anything else may follow an
        // attempt that did (the SDK resends after timeouts and server errors, and the last
        // answer can then be a throttle or a duplicate).
        let refused = matches!(
            error.kind,
            CloudErrorKind::AccessDenied | CloudErrorKind::Credentials | CloudErrorKind::ReadOnly
        );
        if refused {
            return ChangeOutcome::Failed { message };
        }
        progress.report(ApplyEvent::Checking {
            index,
            error: message.clone(),
        });
        match self.cloud.read_posture(&NoProgress).await {
            Ok(now) => match effect(&now, change) {
                Some(result) => {
                    tracing::warn!(%message, "the change was made although its call failed");
                    ChangeOutcome::Applied { result }
                }
                None => ChangeOutcome::Failed { message },
            },
            Err(e) => ChangeOutcome::Failed {
                message: format!(
                    "{message} (whether it reached AWS could not be checked: {e}; refresh and \
                     look before applying or rolling back again)"
                ),
            },
        }
    }

    /// One change: paced, throttling retried with backoff.
    async fn write(
        &self,
        index: usize,
        change: &Change,
        progress: &dyn ApplyProgress,
    ) -> Result<Applied, CloudError> {
        let retry = self.options.retry;
        let mut attempt = 1;
        loop {
            progress.report(ApplyEvent::Pacing { index });
            self.pacers.wait(change).await;
            match self.cloud.apply(change).await {
                Err(e) if is_transient(&e) && attempt < retry.attempts.max(1) => {
                    let delay = retry.delay(attempt);
                    progress.report(ApplyEvent::Retrying {
                        index,
                        attempt,
                        delay,
                        error: e.to_string(),
                    });
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// Each applied change checked against the account read after, and each control's status
/// on the plan's APIs.
fn verify(after: Posture, plan: &Plan, results: &[ChangeResult]) -> Verification {
    let checks = results
        .iter()
        .filter_map(|r| match &r.outcome {
            ChangeOutcome::Applied { result } => Some(Check {
                index: r.index,
                summary: r.change.summary(),
                result: took_effect(&after, &r.change, result),
            }),
            _ => None,
        })
        .collect();
    let findings = steps::assess(&after);
    let controls = steps::api_paths(&after)
        .into_iter()
        .filter(|p| plan.inputs.api_ids.contains(&p.api_id))
        .flat_map(|path| {
            let findings = &findings;
            Control::ALL.into_iter().map(move |control| ControlStatus {
                api_id: path.api_id.clone(),
                api_name: path.api_name.clone(),
                control,
                status: path.status(findings, control),
            })
        })
        .collect();
    Verification {
        checks,
        controls,
        posture: after,
    }
}

fn now() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| "unknown".into())
}
