//! What the apply scenarios share: the lab's ids, plans for one API, engines in a temporary
//! state directory, and the journal an apply wrote.

use std::sync::Arc;

use ztharden::apply::{
    ApplyError, ApplyReport, Engine, EngineOptions, Journal, apply_order, load_id,
};
use ztharden::cloud::{Cloud, NoProgress};
use ztharden::model::Posture;
use ztharden::plan::{self, Change, Inputs, Plan};
use ztharden::steps::Control;

/// The lab's ids (see `assets/sandbox/lab.json`).
pub const ORDERS: &str = "a1b2c3d4e5";
pub const ORDERS_LIST: &str = "ord1a2b3c4";
pub const ENDPOINT_SG: &str = "sg-0e9e9e9e9e9e9e9e9";
pub const SERVICE_A_SG: &str = "sg-0a1a1a1a1a1a1a1a1";
pub const OPEN_RULE: &str = "sgr-0e9e9e9e9e9e90443";
pub const ENDPOINT: &str = "vpce-0e9e9e9e9e9e9e9e9";

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
