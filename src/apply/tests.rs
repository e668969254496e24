//! The engine on the sandbox: complete applies, drift, failures at every write, throttling,
//! read-only, and rollbacks that restore the starting state.

use std::sync::{Arc, Mutex};

use super::*;
use crate::cloud::faults::{Counting, FaultPlan, FaultyCloud};
use crate::cloud::sandbox::SandboxCloud;
use crate::cloud::{Cloud, NoProgress};
use crate::model::Posture;
use crate::plan::{self, Change, Inputs, Plan};
use crate::steps::{Control, Status};

const ORDERS: &str = "a1b2c3d4e5";

fn orders_plan(posture: &Posture) -> Plan {
    let inputs = Inputs::infer(posture, &[ORDERS.to_string()], &[]);
    plan::build(posture, &inputs, &Control::ALL, "2026-12-04T00:00:00Z")
}

/// The posture with what AWS names anew on every write (rule and deployment ids) left out,
/// and policies in one spelling (API Gateway returns them escaped; an endpoint without a
/// policy has the full-access default, which is what AWS reports for it).
fn comparable(mut p: Posture) -> Posture {
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

async fn read(cloud: &dyn Cloud) -> Posture {
    cloud.read_posture(&NoProgress).await.unwrap()
}

/// Rolls `journal` back with the plan the engine shows for it.
async fn undo(engine: &Engine, journal: &Journal) -> Result<ApplyReport, ApplyError> {
    let plan = engine.rollback_plan(journal)?;
    engine.rollback(journal, &plan, &NoProgress).await
}

fn engine(cloud: Arc<dyn Cloud>, dir: &tempfile::TempDir) -> Engine {
    Engine::new(cloud, dir.path(), EngineOptions::quick())
}

#[tokio::test]
async fn the_orders_plan_applies_passes_every_control_and_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let start = read(sandbox.as_ref()).await;
    let plan = orders_plan(&start);
    assert!(!plan.is_blocked());
    let events = Mutex::new(Vec::new());
    let engine = engine(sandbox.clone(), &dir);
    let report = engine
        .apply(&plan, &|e: ApplyEvent| events.lock().unwrap().push(e))
        .await
        .unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    assert_eq!(report.applied(), plan.changes().count());
    let verification = report.verification.clone().unwrap().unwrap();
    assert!(verification.all_took_effect(), "{:?}", verification.checks);
    let orders: Vec<_> = verification
        .controls
        .iter()
        .filter(|c| c.api_id == ORDERS)
        .map(|c| (c.control, c.status))
        .collect();
    assert_eq!(
        orders,
        Control::ALL.map(|c| (c, Some(Status::Pass))).to_vec(),
        "{:?}",
        verification.controls
    );
    // The journal was on disk before the first write, and says what happened.
    let events = events.into_inner().unwrap();
    let journaled = events
        .iter()
        .position(|e| matches!(e, ApplyEvent::Journaled { .. }))
        .unwrap();
    let first_write = events
        .iter()
        .position(|e| matches!(e, ApplyEvent::Started { .. }))
        .unwrap();
    assert!(journaled < first_write);
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    assert_eq!(journal.applied_changes().len(), report.applied());
    assert_eq!(
        journal.closing.as_ref().unwrap().outcome,
        ApplyOutcome::Complete
    );

    let back = undo(&engine, &journal).await.unwrap();
    assert_eq!(back.outcome, ApplyOutcome::Complete, "{:?}", back.results);
    assert_eq!(back.kind, JournalKind::Rollback);
    let after = read(sandbox.as_ref()).await;
    // Each stage is back on the very deployment it had: nothing was deployed anew.
    let stages = |p: &Posture| -> Vec<_> {
        p.apis
            .iter()
            .map(|a| (a.id.clone(), a.stages.clone()))
            .collect()
    };
    assert_eq!(stages(&after), stages(&start));
    assert!(
        back.results
            .iter()
            .any(|r| matches!(r.change, Change::RestoreStage { .. }))
    );
    assert_eq!(comparable(after), comparable(start.clone()));
    // Twice is refused, by name.
    let again = undo(&engine, &journal).await.unwrap_err();
    assert!(again.to_string().contains(&back.journal_id), "{again}");
}

#[tokio::test]
async fn drift_refuses_the_whole_apply_names_the_resource_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let plan = orders_plan(&read(sandbox.as_ref()).await);
    // Someone changes the resource policy between plan and apply.
    sandbox
        .apply(&Change::SetResourcePolicy {
            api_id: ORDERS.into(),
            expected: None,
            new: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}"#.into(),
        })
        .await
        .unwrap();
    let faulty = Arc::new(FaultyCloud::new(sandbox.clone(), FaultPlan::none()));
    let report = engine(faulty.clone(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    let ApplyOutcome::RefusedDrift { drifted } = &report.outcome else {
        panic!("{:?}", report.outcome);
    };
    assert_eq!(drifted.len(), 1, "{drifted:?}");
    assert_eq!(drifted[0].resource, ORDERS);
    assert!(drifted[0].detail.contains("policy"), "{drifted:?}");
    assert!(faulty.applied_changes().is_empty());
    assert_eq!(report.applied(), 0);
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    assert!(
        journal
            .records
            .iter()
            .all(|r| r.outcome == ChangeOutcome::NotRun)
    );
    assert_eq!(journal.closing.unwrap().outcome, report.outcome);
}

#[tokio::test]
async fn a_failure_at_every_write_is_journaled_exactly_and_rolled_back() {
    let plan = orders_plan(&SandboxCloud::lab_posture());
    let writes = plan.changes().count();
    assert!(writes >= 6, "{writes}");
    for nth in 1..=writes {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Arc::new(SandboxCloud::lab());
        let start = read(sandbox.as_ref()).await;
        let faulty = Arc::new(FaultyCloud::new(
            sandbox.clone(),
            FaultPlan::none().fail_write(nth),
        ));
        let report = engine(faulty.clone(), &dir)
            .apply(&plan, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            report.outcome,
            ApplyOutcome::StoppedAtFailure,
            "write {nth}"
        );
        let journal = load_id(dir.path(), &report.journal_id).unwrap();
        let journaled: Vec<Change> = journal
            .applied_changes()
            .iter()
            .map(|r| r.change.clone())
            .collect();
        assert_eq!(journaled, faulty.applied_changes(), "write {nth}");
        assert_eq!(journaled.len(), nth - 1);
        let failed: Vec<_> = journal
            .records
            .iter()
            .filter(|r| matches!(r.outcome, ChangeOutcome::Failed { .. }))
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(journal.records.len(), writes);
        if nth == 1 {
            let err = undo(&engine(sandbox.clone(), &dir), &journal).await;
            assert!(
                matches!(err, Err(ApplyError::NothingToRollBack(_))),
                "{err:?}"
            );
        } else {
            let back = undo(&engine(sandbox.clone(), &dir), &journal)
                .await
                .unwrap();
            assert_eq!(
                back.outcome,
                ApplyOutcome::Complete,
                "write {nth}: {:?}",
                back.results
            );
            assert_eq!(back.applied(), nth - 1);
        }
        assert_eq!(
            comparable(read(sandbox.as_ref()).await),
            comparable(start),
            "write {nth}"
        );
    }
}

#[tokio::test]
async fn a_failed_read_before_the_apply_changes_nothing_and_after_it_is_reported() {
    let plan = orders_plan(&SandboxCloud::lab_posture());
    let writes = plan.changes().count();
    let dir = tempfile::tempdir().unwrap();
    let faulty = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none().fail_call(1),
    ));
    let err = engine(faulty.clone(), &dir).apply(&plan, &NoProgress).await;
    assert!(matches!(err, Err(ApplyError::Read(_))), "{err:?}");
    assert!(faulty.applied_changes().is_empty());
    assert!(list(dir.path()).unwrap().entries.is_empty());

    let faulty = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none().fail_call(writes + 2),
    ));
    let report = engine(faulty, &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    assert!(matches!(report.verification, Some(Err(_))));
}

#[tokio::test]
async fn throttled_writes_are_retried_and_the_apply_completes() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let plan = orders_plan(&read(sandbox.as_ref()).await);
    let faulty = Arc::new(FaultyCloud::new(
        sandbox,
        FaultPlan::none().throttle_every(2, Counting::Writes),
    ));
    let retries = Mutex::new(0);
    let report = engine(faulty.clone(), &dir)
        .apply(&plan, &|e: ApplyEvent| {
            if matches!(e, ApplyEvent::Retrying { .. }) {
                *retries.lock().unwrap() += 1;
            }
        })
        .await
        .unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    assert!(*retries.lock().unwrap() > 0);
    // Each change reached the cloud exactly once, in apply order.
    let changes: Vec<Change> = plan.changes().cloned().collect();
    let in_order: Vec<Change> = apply_order(&changes)
        .unwrap()
        .into_iter()
        .map(|i| changes[i].clone())
        .collect();
    assert_eq!(faulty.applied_changes(), in_order);
}

#[tokio::test]
async fn read_only_refuses_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let faulty = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none(),
    ));
    let plan = orders_plan(&SandboxCloud::lab_posture());
    let mut options = EngineOptions::quick();
    options.read_only = true;
    let engine = Engine::new(faulty.clone(), dir.path(), options);
    assert!(matches!(
        engine.apply(&plan, &NoProgress).await,
        Err(ApplyError::ReadOnly)
    ));
    // A journal to roll back, written by another (writing) engine.
    let report = Engine::new(
        Arc::new(SandboxCloud::lab()),
        dir.path(),
        EngineOptions::quick(),
    )
    .apply(&plan, &NoProgress)
    .await
    .unwrap();
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    assert!(matches!(
        undo(&engine, &journal).await,
        Err(ApplyError::ReadOnly)
    ));
    assert!(faulty.calls().is_empty());
}

#[tokio::test]
async fn a_plan_for_another_account_or_a_blocked_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let faulty = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none(),
    ));
    let mut plan = orders_plan(&SandboxCloud::lab_posture());
    plan.account = "999999999999".into();
    let err = engine(faulty.clone(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap_err();
    assert!(matches!(err, ApplyError::WrongAccount { .. }));
    assert!(err.to_string().contains("999999999999"), "{err}");
    let mut plan = orders_plan(&SandboxCloud::lab_posture());
    plan.steps[0].state = crate::plan::StepState::Blocked("a caller would be locked out".into());
    let err = engine(faulty.clone(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("blocked"), "{err}");
    assert!(faulty.applied_changes().is_empty());
    assert!(list(dir.path()).unwrap().entries.is_empty());
}

#[tokio::test]
async fn a_redeploy_of_a_stage_that_does_not_exist_is_drift() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let mut plan = orders_plan(&read(sandbox.as_ref()).await);
    for step in &mut plan.steps {
        for c in &mut step.changes {
            if let Change::Redeploy { stage, .. } = c {
                *stage = "ghost".into();
            }
        }
    }
    let report = engine(sandbox, &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    let ApplyOutcome::RefusedDrift { drifted } = &report.outcome else {
        panic!("{:?}", report.outcome);
    };
    assert!(
        drifted
            .iter()
            .any(|d| d.detail.contains("stage ghost") && d.detail.contains("would create it")),
        "{drifted:?}"
    );
}

#[tokio::test]
async fn a_rollback_stopped_at_a_failure_is_finished_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let start = read(sandbox.as_ref()).await;
    let plan = orders_plan(&start);
    let total = plan.changes().count();
    let report = engine(sandbox.clone(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    let journal = load_id(dir.path(), &report.journal_id).unwrap();

    let faulty = Arc::new(FaultyCloud::new(
        sandbox.clone(),
        FaultPlan::none().fail_write(3),
    ));
    let first = undo(&engine(faulty, &dir), &journal).await.unwrap();
    assert_eq!(first.outcome, ApplyOutcome::StoppedAtFailure);
    assert_eq!(first.applied(), 2);

    let rest = engine(sandbox.clone(), &dir)
        .rollback_plan(&journal)
        .unwrap();
    assert_eq!(rest.changes().count(), total - 2);
    let second = undo(&engine(sandbox.clone(), &dir), &journal)
        .await
        .unwrap();
    assert_eq!(
        second.outcome,
        ApplyOutcome::Complete,
        "{:?}",
        second.results
    );
    assert_eq!(second.applied(), total - 2);
    assert_eq!(comparable(read(sandbox.as_ref()).await), comparable(start));

    let err = undo(&engine(sandbox, &dir), &journal).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ApplyError::NothingToRollBack(_)), "{text}");
    assert!(
        text.contains(&first.journal_id) && text.contains(&second.journal_id),
        "{text}"
    );
}

#[tokio::test]
async fn a_write_whose_reply_is_lost_is_found_in_the_account_and_journaled_as_applied() {
    let plan = orders_plan(&SandboxCloud::lab_posture());
    let writes = plan.changes().count();
    for nth in 1..=writes {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Arc::new(SandboxCloud::lab());
        let start = read(sandbox.as_ref()).await;
        let faulty = Arc::new(FaultyCloud::new(
            sandbox.clone(),
            FaultPlan::none().lose_reply(nth),
        ));
        let checking = Mutex::new(0);
        let report = engine(faulty.clone(), &dir)
            .apply(&plan, &|e: ApplyEvent| {
                if matches!(e, ApplyEvent::Checking { .. }) {
                    *checking.lock().unwrap() += 1;
                }
            })
            .await
            .unwrap();
        assert_eq!(report.outcome, ApplyOutcome::Complete, "write {nth}");
        assert_eq!(*checking.lock().unwrap(), 1, "write {nth}");
        let journal = load_id(dir.path(), &report.journal_id).unwrap();
        let journaled: Vec<Change> = journal
            .applied_changes()
            .iter()
            .map(|r| r.change.clone())
            .collect();
        assert_eq!(journaled, faulty.applied_changes(), "write {nth}");
        assert!(report.verification.unwrap().unwrap().all_took_effect());
        let back = undo(&engine(sandbox.clone(), &dir), &journal)
            .await
            .unwrap();
        assert_eq!(back.outcome, ApplyOutcome::Complete, "write {nth}");
        assert_eq!(
            comparable(read(sandbox.as_ref()).await),
            comparable(start),
            "write {nth}"
        );
    }
}

#[tokio::test]
async fn a_write_still_throttled_after_every_retry_stops_the_apply_unmade() {
    let dir = tempfile::tempdir().unwrap();
    let plan = orders_plan(&SandboxCloud::lab_posture());
    let faulty = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none().throttle_every(1, Counting::Writes),
    ));
    let report = engine(faulty.clone(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    assert_eq!(report.outcome, ApplyOutcome::StoppedAtFailure);
    let ChangeOutcome::Failed { message } = &report.results[0].outcome else {
        panic!("{:?}", report.results[0]);
    };
    assert!(message.contains("Throttling"), "{message}");
    assert!(
        report.results[1..]
            .iter()
            .all(|r| r.outcome == ChangeOutcome::NotRun)
    );
    assert!(faulty.applied_changes().is_empty());
    // The drift read, every try of the first write, the verification read: no more.
    let tries = EngineOptions::quick().retry.attempts as usize;
    assert_eq!(faulty.calls().len(), 1 + tries + 1);
}

#[tokio::test]
async fn after_a_stopped_rollback_is_itself_rolled_back_the_apply_rolls_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let start = read(sandbox.as_ref()).await;
    let plan = orders_plan(&start);
    let total = plan.changes().count();
    let engine_of = |cloud: Arc<dyn Cloud>| engine(cloud, &dir);
    let apply = engine_of(sandbox.clone())
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    let applied = load_id(dir.path(), &apply.journal_id).unwrap();
    let faulty = Arc::new(FaultyCloud::new(
        sandbox.clone(),
        FaultPlan::none().fail_write(3),
    ));
    let first = undo(&engine_of(faulty), &applied).await.unwrap();
    assert_eq!(first.applied(), 2);
    // Redo what the stopped rollback undid: the hardened state again.
    let stopped = load_id(dir.path(), &first.journal_id).unwrap();
    let redo = undo(&engine_of(sandbox.clone()), &stopped).await.unwrap();
    assert_eq!(redo.outcome, ApplyOutcome::Complete);
    // Nothing of the apply stays undone: the next rollback undoes all of it.
    let whole = engine_of(sandbox.clone()).rollback_plan(&applied).unwrap();
    assert_eq!(whole.changes().count(), total);
    let back = undo(&engine_of(sandbox.clone()), &applied).await.unwrap();
    assert_eq!(back.outcome, ApplyOutcome::Complete, "{:?}", back.results);
    assert_eq!(comparable(read(sandbox.as_ref()).await), comparable(start));
}

#[tokio::test]
async fn a_stop_asked_for_ends_the_apply_after_the_change_being_sent() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let plan = orders_plan(&read(sandbox.as_ref()).await);
    let engine = engine(sandbox.clone(), &dir);
    let finished = Mutex::new(0);
    let report = engine
        .apply(&plan, &|e: ApplyEvent| {
            if matches!(e, ApplyEvent::Finished { .. }) {
                let mut n = finished.lock().unwrap();
                *n += 1;
                if *n == 2 {
                    engine.request_stop();
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Stopped);
    assert_eq!(report.applied(), 2);
    assert!(
        report.results[2..]
            .iter()
            .all(|r| r.outcome == ChangeOutcome::NotRun)
    );
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    assert_eq!(journal.applied_changes().len(), 2);
    assert_eq!(
        journal.closing.as_ref().unwrap().outcome,
        ApplyOutcome::Stopped
    );
    // The next run starts afresh: the stop asked for is not kept.
    let back = undo(&engine, &journal).await.unwrap();
    assert_eq!(back.outcome, ApplyOutcome::Complete);
}

#[tokio::test]
async fn a_rollback_is_refused_when_it_is_no_longer_the_one_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let plan = orders_plan(&read(sandbox.as_ref()).await);
    let report = engine(sandbox.clone(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    let shown = engine(sandbox.clone(), &dir)
        .rollback_plan(&journal)
        .unwrap();
    // Meanwhile another rollback undoes part of it.
    let faulty = Arc::new(FaultyCloud::new(
        sandbox.clone(),
        FaultPlan::none().fail_write(2),
    ));
    undo(&engine(faulty, &dir), &journal).await.unwrap();
    let faulty = Arc::new(FaultyCloud::new(sandbox, FaultPlan::none()));
    let err = engine(faulty.clone(), &dir)
        .rollback(&journal, &shown, &NoProgress)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no longer the one shown"), "{err}");
    assert!(faulty.calls().is_empty());
}

#[tokio::test]
async fn a_method_behind_an_authorizer_gets_its_authorizer_back_on_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let start = read(sandbox.as_ref()).await;
    let inventory = start.apis.iter().find(|a| a.name == "inventory").unwrap();
    let (resource, method) = inventory
        .methods()
        .find(|(_, m)| m.authorizer_id.is_some())
        .unwrap();
    let key = crate::plan::MethodKey {
        api_id: inventory.id.clone(),
        resource_id: resource.id.clone(),
        path: resource.path.clone(),
        http_method: method.http_method.clone(),
    };
    let mut inputs = Inputs::infer(&start, std::slice::from_ref(&inventory.id), &[]);
    inputs.methods = Some(vec![key.clone()]);
    let plan = plan::build(&start, &inputs, &[Control::IamAuth], "2026-12-04T00:00:00Z");
    assert!(plan.steps[0].is_ready(), "{:?}", plan.steps[0].state);
    let engine = engine(sandbox.clone(), &dir);
    let report = engine.apply(&plan, &NoProgress).await.unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    let back = undo(&engine, &journal).await.unwrap();
    assert_eq!(back.outcome, ApplyOutcome::Complete, "{:?}", back.results);
    let after = read(sandbox.as_ref()).await;
    let restored = after
        .api(&key.api_id)
        .unwrap()
        .methods()
        .find(|(r, m)| r.id == key.resource_id && m.http_method == key.http_method)
        .map(|(_, m)| m.clone())
        .unwrap();
    assert_eq!(&restored, method);
}
