//! Applies: order of events, refusals, lost replies, retries run out, stops.

use std::sync::{Arc, Mutex};

use super::*;

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
    // The drift read, every try of the first write, the read that checks whether it was
    // made after all, the verification read: no more.
    let tries = EngineOptions::quick().retry.attempts as usize;
    assert_eq!(faulty.calls().len(), 1 + tries + 1 + 1);
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
async fn a_write_made_then_answered_with_a_throttle_is_found_and_journaled_as_applied() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(SandboxCloud::lab());
    let plan = orders_plan(&read(sandbox.as_ref()).await);
    let throttled = crate::cloud::CloudError::new(
        crate::cloud::CloudErrorKind::Throttled,
        "UpdateMethod",
        "TooManyRequestsException: Too Many Requests",
    );
    let faulty = Arc::new(FaultyCloud::new(
        sandbox,
        FaultPlan::none().lose_reply_as(1, Some(throttled)),
    ));
    // No retry by the engine: the throttle is the last word on the first change.
    let mut options = EngineOptions::quick();
    options.retry.attempts = 1;
    let report = Engine::new(faulty.clone(), dir.path(), options)
        .apply(&plan, &NoProgress)
        .await
        .unwrap();
    assert_eq!(
        report.outcome,
        ApplyOutcome::Complete,
        "{:?}",
        report.results
    );
    let journal = load_id(dir.path(), &report.journal_id).unwrap();
    let journaled: Vec<Change> = journal
        .applied_changes()
        .iter()
        .map(|r| r.change.clone())
        .collect();
    assert_eq!(journaled, faulty.applied_changes());
}

#[tokio::test]
async fn a_stop_asked_for_before_the_run_starts_stops_it_before_any_write_and_only_it() {
    let dir = tempfile::tempdir().unwrap();
    let faulty = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none(),
    ));
    let plan = orders_plan(&SandboxCloud::lab_posture());
    let engine = engine(faulty.clone(), &dir);
    engine.request_stop();
    let report = engine.apply(&plan, &NoProgress).await.unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Stopped);
    assert_eq!(report.applied(), 0);
    assert!(faulty.applied_changes().is_empty());
    let report = engine.apply(&plan, &NoProgress).await.unwrap();
    assert_eq!(report.outcome, ApplyOutcome::Complete);
}
