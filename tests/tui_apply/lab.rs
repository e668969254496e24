//! The lab account behind a `FaultyCloud`, an engine journaling to a temporary directory, and
//! a headless TUI on them, scanned: shared by the TUI apply tests.

#![allow(dead_code)]

use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::datetime;
use ztharden::apply::{Engine, EngineOptions};
use ztharden::cloud::faults::{CallRecord, FaultPlan, FaultyCloud};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::steps::{Control, Status};
use ztharden::tui::{Headless, State, Theme};

pub const ORDERS: &str = "a1b2c3d4e5";
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
