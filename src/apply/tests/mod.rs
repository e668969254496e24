//! The engine on the sandbox, for what only a unit test reaches: lost replies, retries run
//! out, stops, stale confirmations, nested rollbacks. The scenarios that run on the sandbox
//! and on moto alike (drift, a failure at every call, throttling, read-only) are in the
//! integration tests.

use std::sync::Arc;

use super::*;
use crate::cloud::faults::{Counting, FaultPlan, FaultyCloud};
use crate::cloud::sandbox::SandboxCloud;
use crate::cloud::{Cloud, NoProgress};
use crate::model::Posture;
use crate::plan::{self, Change, Inputs, Plan};
use crate::steps::{Control, Status};

pub(super) const ORDERS: &str = "a1b2c3d4e5";

pub(super) fn orders_plan(posture: &Posture) -> Plan {
    let inputs = Inputs::infer(posture, &[ORDERS.to_string()], &[]);
    plan::build(posture, &inputs, &Control::ALL, "2026-12-04T00:00:00Z")
}

/// The posture with what AWS names anew on every write (rule and deployment ids) left out,
/// and policies in one spelling (API Gateway returns them escaped; an endpoint without a
/// policy has the full-access default, which is what AWS reports for it).
pub(super) fn comparable(mut p: Posture) -> Posture {
    let canonical = |text: &crate::model::PolicyText| {
        crate::model::PolicyText::new(text.parsed().map_or_else(
            |_| text.raw().to_string(),
            |p| p.normalised(None).to_json_string(),
        ))
    };
    for a in &mut p.apis {
        a.policy = a.policy.as_ref().map(canonical);
    }
    for e in &mut p.endpoints {
        let policy = e.policy.clone().unwrap_or_else(|| {
            crate::model::PolicyText::new(crate::policy::Policy::full_access().to_json_string())
        });
        e.policy = Some(canonical(&policy));
    }
    for g in &mut p.security_groups {
        for r in g.ingress.iter_mut().flatten() {
            r.rule_id.clear();
        }
        if let Some(rules) = &mut g.ingress {
            rules.sort_by_key(|r| format!("{:?}", (&r.protocol, r.from_port, &r.source)));
        }
    }
    for a in &mut p.apis {
        for s in a.stages.iter_mut().flatten() {
            s.deployment_id = None;
        }
    }
    p
}

pub(super) async fn read(cloud: &dyn Cloud) -> Posture {
    cloud.read_posture(&NoProgress).await.unwrap()
}

/// Rolls `journal` back with the plan the engine shows for it.
pub(super) async fn undo(engine: &Engine, journal: &Journal) -> Result<ApplyReport, ApplyError> {
    let plan = engine.rollback_plan(journal)?;
    engine.rollback(journal, &plan, &NoProgress).await
}

pub(super) fn engine(cloud: Arc<dyn Cloud>, dir: &tempfile::TempDir) -> Engine {
    Engine::new(cloud, dir.path(), EngineOptions::quick())
}

mod applying;
mod rolling_back;
