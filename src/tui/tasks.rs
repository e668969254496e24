//! The work behind the effects that write or read files: applies and rollbacks through the
//! engine, reading the journals, making rollback plans. Each ends in the message `update`
//! takes; the runtime runs them as background tasks, headless sessions inline.

use std::path::Path;

use time::OffsetDateTime;

use super::journal::JournalList;
use super::msg::Msg;
use super::state::Scanned;
use crate::apply::{self, ApplyError, ApplyEvent, ApplyReport, Engine};
use crate::plan::Plan;

/// Apply a confirmed plan; every event is reported as it happens.
pub(crate) async fn apply(
    engine: &Engine,
    plan: &Plan,
    report: impl Fn(Msg) + Send + Sync,
    clock: impl FnOnce() -> OffsetDateTime,
) -> Msg {
    tracing::info!(changes = plan.changes().count(), "apply started");
    let progress = |event: ApplyEvent| report(Msg::ApplyProgress(event));
    let result = engine.apply(plan, &progress).await;
    done("apply", result, clock)
}

/// Roll back a journal (confirmed); every event is reported as it happens.
pub(crate) async fn rollback(
    engine: &Engine,
    journal_id: &str,
    confirmed: &Plan,
    report: impl Fn(Msg) + Send + Sync,
    clock: impl FnOnce() -> OffsetDateTime,
) -> Msg {
    tracing::info!(journal_id, "rollback started");
    let journal = match apply::load_id(engine.state_dir(), journal_id) {
        Ok(journal) => journal,
        Err(e) => {
            tracing::warn!(journal_id, error = %e, "the journal to roll back could not be read");
            return Msg::ApplyDone {
                scanned: None,
                result: Err(format!(
                    "journal {journal_id} could not be read: {e}; nothing was changed. Check the \
                     file, then press J to list the journals again"
                )),
                finished_at: clock(),
            };
        }
    };
    let progress = |event: ApplyEvent| report(Msg::ApplyProgress(event));
    let result = engine.rollback(&journal, confirmed, &progress).await;
    done("rollback", result, clock)
}

fn done(
    what: &str,
    result: Result<ApplyReport, ApplyError>,
    clock: impl FnOnce() -> OffsetDateTime,
) -> Msg {
    match &result {
        Ok(report) => tracing::info!(
            what,
            journal = %report.journal_id,
            outcome = report.outcome.label(),
            applied = report.applied(),
            "finished"
        ),
        Err(e) => tracing::warn!(what, error = %e, "did not run"),
    }
    // The verified account, assessed here rather than on the UI loop.
    let scanned = match &result {
        Ok(report) => match &report.verification {
            Some(Ok(v)) => Some(Box::new(Scanned::new(v.posture.clone()))),
            _ => None,
        },
        Err(_) => None,
    };
    Msg::ApplyDone {
        scanned,
        result: result.map(Box::new).map_err(|e| e.to_string()),
        finished_at: clock(),
    }
}

/// Read the journals of a state directory (blocking: file reads).
pub(crate) fn load_journals(state_dir: &Path) -> Msg {
    let result = apply::list(state_dir)
        .map(|listing| JournalList {
            state_dir: state_dir.to_path_buf(),
            entries: listing.entries,
            unreadable: listing.unreadable,
        })
        .map_err(|e| {
            tracing::warn!(error = %e, "the journals could not be listed");
            format!(
                "the journals could not be listed: {e}; check that the state directory is \
                 readable (--state-dir or ZTHARDEN_STATE_DIR), then press r"
            )
        });
    Msg::JournalsLoaded(result)
}

/// The plan that undoes a journal (blocking: file reads).
pub(crate) fn plan_rollback(engine: &Engine, journal_id: &str) -> Msg {
    let result = apply::load_id(engine.state_dir(), journal_id)
        .map_err(|e| format!("it could not be read: {e}"))
        .and_then(|journal| engine.rollback_plan(&journal).map_err(|e| e.to_string()))
        .map(Box::new);
    Msg::RollbackPlanned {
        journal_id: journal_id.to_string(),
        result,
    }
}
