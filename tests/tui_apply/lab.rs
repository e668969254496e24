//! The lab account behind a `FaultyCloud`, an engine journaling to a temporary directory, and
//! a headless TUI on them, scanned: shared by the TUI apply tests.

#![allow(dead_code)]

/// The lab's ids, as every test spells them.
#[path = "../support/lab.rs"]
pub mod ids;

use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::datetime;
use ztharden::apply::{Engine, EngineOptions, apply_order};
use ztharden::cloud::faults::{CallRecord, FaultPlan, FaultyCloud};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::plan::{Change, Plan};
use ztharden::steps::{Control, Status};
use ztharden::tui::{Effect, Headless, State, Theme};

pub use ids::ORDERS;
pub const SIZE: (u16, u16) = (120, 36);
pub const CLOCK: OffsetDateTime = datetime!(2026-05-01 09:30:00 UTC);

pub struct Lab {
    pub tui: Headless,
    /// Every call the engine and the scans made, with its outcome.
    pub faulty: Arc<FaultyCloud<SandboxCloud>>,
    pub dir: tempfile::TempDir,
}

/// The lab scanned, with an engine (read-only or not) over `faults`.
pub async fn lab(read_only: bool, faults: FaultPlan) -> Lab {
    lab_sized(read_only, faults, SIZE, Theme::default()).await
}

pub async fn lab_sized(read_only: bool, faults: FaultPlan, size: (u16, u16), theme: Theme) -> Lab {
    let faulty = Arc::new(FaultyCloud::new(Arc::new(SandboxCloud::lab()), faults));
    let dir = tempfile::tempdir().expect("a temporary state directory");
    let options = EngineOptions {
        read_only,
        ..EngineOptions::quick()
    };
    let engine = Arc::new(Engine::new(faulty.clone(), dir.path(), options));
    let tui = Headless::with_engine(faulty.clone(), engine, theme, size, CLOCK)
        .scanned()
        .await;
    Lab { tui, faulty, dir }
}

/// The writes that reached the FaultyCloud (forwarded or refused by it).
pub fn writes(faulty: &FaultyCloud<SandboxCloud>) -> Vec<CallRecord> {
    faulty
        .calls()
        .into_iter()
        .filter(|r| r.change.is_some())
        .collect()
}

/// The changes of the writes that reached the FaultyCloud, from the `skip`-th on.
pub fn sent(faulty: &FaultyCloud<SandboxCloud>, skip: usize) -> Vec<Change> {
    writes(faulty)
        .into_iter()
        .skip(skip)
        .map(|r| r.change.expect("a write names its change"))
        .collect()
}

/// The plan's changes in the order the engine sends them.
pub fn in_apply_order(plan: &Plan) -> Vec<Change> {
    let changes: Vec<Change> = plan.changes().cloned().collect();
    apply_order(&changes)
        .expect("the plan's changes go together")
        .into_iter()
        .map(|i| changes[i].clone())
        .collect()
}

/// Whether `effects` ask for an apply or a rollback.
pub fn applies(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Apply { .. } | Effect::Rollback { .. }))
}

/// The status of each control of `orders`, as the browser shows it.
pub fn orders_statuses(state: &State) -> Vec<(Control, Option<Status>)> {
    let data = state.data.as_ref().expect("scanned");
    let path = data
        .paths
        .iter()
        .find(|p| p.api_id == ORDERS)
        .expect("orders is listed");
    Control::ALL
        .into_iter()
        .map(|c| (c, path.status(&data.findings, c)))
        .collect()
}
