//! Rollbacks: back to the start, stopped and finished, nested, stale, authorizers.

use std::sync::{Arc, Mutex};

use super::*;

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

#[tokio::test]
async fn an_apply_rolls_back_whole_after_its_complete_rollback_was_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let start = read(sandbox.as_ref()).await;
    let plan = orders_plan(&start);
    let engine = engine(sandbox.clone(), &dir);
    let apply = engine.apply(&plan, &NoProgress).await.unwrap();
    let applied = load_id(dir.path(), &apply.journal_id).unwrap();
    let first = undo(&engine, &applied).await.unwrap();
    assert_eq!(first.outcome, ApplyOutcome::Complete);
    // Redo: the rules the apply added come back with new ids.
    let rolled = load_id(dir.path(), &first.journal_id).unwrap();
    let redo = undo(&engine, &rolled).await.unwrap();
    assert_eq!(redo.outcome, ApplyOutcome::Complete, "{:?}", redo.results);
    let again = undo(&engine, &applied).await.unwrap();
    assert_eq!(again.outcome, ApplyOutcome::Complete, "{:?}", again.outcome);
    assert_eq!(again.applied(), plan.changes().count());
    assert_eq!(comparable(read(sandbox.as_ref()).await), comparable(start));
}
