//! What the apply scenarios share: plans for one API, engines in a temporary state directory,
//! rollbacks as the operator runs them, and the journal an apply wrote. (The lab's ids:
//! [`super::lab`].)

use std::sync::Arc;

use ztharden::apply::{
    ApplyError, ApplyReport, Engine, EngineOptions, Journal, apply_order, load_id,
};
use ztharden::cloud::{Cloud, NoProgress};
use ztharden::model::Posture;
use ztharden::plan::{self, Change, Inputs, Plan};
use ztharden::steps::Control;

/// The time plans are made at.
pub const NOW: &str = "2026-12-04T00:00:00Z";

/// The plan of `controls` for API `api_id`, callers and endpoints inferred.
pub fn plan_for(posture: &Posture, api_id: &str, controls: &[Control]) -> Plan {
    let inputs = Inputs::infer(posture, &[api_id.to_string()], &[]);
    plan::build(posture, &inputs, controls, NOW)
}

/// An engine with no pacing and quick retries, journaling in `dir`.
pub fn engine(cloud: Arc<dyn Cloud>, dir: &tempfile::TempDir) -> Engine {
    Engine::new(cloud, dir.path(), EngineOptions::quick())
}

/// Rolls back `journal` as the operator does: its rollback plan made, then confirmed as is.
pub async fn roll_back(engine: &Engine, journal: &Journal) -> Result<ApplyReport, ApplyError> {
    let plan = engine.rollback_plan(journal)?;
    engine.rollback(journal, &plan, &NoProgress).await
}

/// The journal of an apply or rollback, as written under `dir`.
pub fn journal(dir: &tempfile::TempDir, id: &str) -> Journal {
    load_id(dir.path(), id).unwrap_or_else(|e| panic!("journal {id}: {e}"))
}

/// The changes the journal records as applied, in the order they were applied.
pub fn journaled(journal: &Journal) -> Vec<Change> {
    journal
        .applied_changes()
        .iter()
        .map(|r| r.change.clone())
        .collect()
}

/// The plan's changes in the order an apply makes them.
pub fn in_apply_order(plan: &Plan) -> Vec<Change> {
    let changes: Vec<Change> = plan.changes().cloned().collect();
    apply_order(&changes)
        .expect("the plan's changes can be applied together")
        .into_iter()
        .map(|i| changes[i].clone())
        .collect()
}
