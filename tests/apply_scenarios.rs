//! The apply engine's scenarios, each written once and run on the sandbox and on moto seeded
//! with the lab: a whole plan applied and rolled back, drift refused, throttled writes
//! retried, and read-only refusing before any call.

mod support;

/// Drift refused, for every kind of target.
#[path = "apply_scenarios/drift.rs"]
mod drift;

use std::sync::{Arc, Mutex};

use support::account::Account;
use support::lab::*;
use support::normal::{comparable, findings, path_status};
use support::scenario::*;
use ztharden::apply::{
    ApplyError, ApplyEvent, ApplyOutcome, ChangeOutcome, Engine, EngineOptions, list,
};
use ztharden::cloud::NoProgress;
use ztharden::cloud::faults::{Counting, FaultPlan, FaultyCloud, Outcome, READ_OPERATION};
use ztharden::model::{AuthorizationType, Posture};
use ztharden::plan::{Change, MethodKey};
use ztharden::steps::{Control, Status};

#[tokio::test]
async fn the_orders_plan_passes_every_control_and_rolls_back_to_the_start() {
    for account in Account::all().await {
        let name = account.name;
        let orders = account.id(ORDERS);
        let start = account.read().await;
        let plan = plan_for(&start, &orders, &Control::ALL);
        assert!(
            plan.steps.iter().all(|s| s.is_ready()),
            "{name}: {:#?}",
            plan.steps
        );
        let dir = tempfile::tempdir().unwrap();
        let engine = engine(account.cloud(), &dir);
        let report = engine.apply(&plan, &NoProgress).await.unwrap();
        assert_eq!(
            report.outcome,
            ApplyOutcome::Complete,
            "{name}: {:#?}{}",
            report.results,
            account.log()
        );
        assert_eq!(report.applied(), plan.changes().count(), "{name}");
        let verification = report.verification.clone().unwrap().unwrap();
        assert!(
            verification.all_took_effect(),
            "{name}: {:#?}",
            verification.checks
        );

        let after = account.read().await;
        assert_eq!(
            path_status(&after, &orders),
            Control::ALL.map(|c| (c, Some(Status::Pass))).to_vec(),
            "{name}: {:#?}",
            ztharden::steps::assess(&after)
        );

        let journal = journal(&dir, &report.journal_id);
        let back = roll_back(&engine, &journal).await.unwrap();
        assert_eq!(
            back.outcome,
            ApplyOutcome::Complete,
            "{name}: {:#?}",
            back.results
        );
        assert_eq!(back.applied(), report.applied(), "{name}");
        let end = account.read().await;
        assert_eq!(comparable(end.clone()), comparable(start.clone()), "{name}");
        assert_eq!(findings(&end), findings(&start), "{name}");
    }
}

#[tokio::test]
async fn throttled_writes_are_retried_and_each_change_reaches_the_cloud_once() {
    for mut account in Account::all().await {
        let throttles = [
            (
                "30% of writes",
                FaultPlan::none().throttle_share(300, 7, Counting::Writes),
            ),
            (
                "every 2nd write",
                FaultPlan::none().throttle_every(2, Counting::Writes),
            ),
        ];
        for (at, (how, faults)) in throttles.into_iter().enumerate() {
            if at > 0 {
                account.fresh();
            }
            let what = format!("{}: {how}", account.name);
            let plan = plan_for(&account.read().await, &account.id(ORDERS), &Control::ALL);
            let dir = tempfile::tempdir().unwrap();
            let faulty = Arc::new(FaultyCloud::new(account.cloud(), faults));
            let retries = Mutex::new(0);
            let report = engine(faulty.clone(), &dir)
                .apply(&plan, &|e: ApplyEvent| {
                    if matches!(e, ApplyEvent::Retrying { .. }) {
                        *retries.lock().unwrap() += 1;
                    }
                })
                .await
                .unwrap();
            assert_eq!(
                report.outcome,
                ApplyOutcome::Complete,
                "{what}: {:#?}",
                report.results
            );
            let retries = retries.into_inner().unwrap();
            let throttled = faulty
                .calls()
                .iter()
                .filter(|c| matches!(c.outcome, Outcome::Throttled(_)))
                .count();
            assert!(retries > 0, "{what}: nothing was throttled");
            assert_eq!(
                retries, throttled,
                "{what}: each throttled write is retried"
            );
            assert_eq!(faulty.applied_changes(), in_apply_order(&plan), "{what}");
            let verification = report.verification.unwrap().unwrap();
            assert!(verification.all_took_effect(), "{what}");
        }
    }
}

#[tokio::test]
async fn read_only_refuses_apply_and_rollback_before_any_call() {
    for account in Account::all().await {
        let name = account.name;
        let plan = plan_for(&account.read().await, &account.id(ORDERS), &Control::ALL);
        let faulty = Arc::new(FaultyCloud::new(account.cloud(), FaultPlan::none()));
        let read_only_dir = tempfile::tempdir().unwrap();
        let mut options = EngineOptions::quick();
        options.read_only = true;
        let read_only = Engine::new(faulty.clone(), read_only_dir.path(), options);
        assert!(read_only.is_read_only());
        let err = read_only.apply(&plan, &NoProgress).await.unwrap_err();
        assert!(matches!(err, ApplyError::ReadOnly), "{name}: {err:?}");
        assert!(err.to_string().contains("--read-only"), "{name}: {err}");

        // A journal to roll back, written by a writing engine elsewhere.
        let writing_dir = tempfile::tempdir().unwrap();
        let report = engine(account.cloud(), &writing_dir)
            .apply(&plan, &NoProgress)
            .await
            .unwrap();
        assert_eq!(report.outcome, ApplyOutcome::Complete, "{name}");
        let journal = journal(&writing_dir, &report.journal_id);
        let err = roll_back(&read_only, &journal).await.unwrap_err();
        assert!(matches!(err, ApplyError::ReadOnly), "{name}: {err:?}");

        assert!(faulty.calls().is_empty(), "{name}: {:#?}", faulty.calls());
        let listing = list(read_only_dir.path()).unwrap();
        assert!(listing.entries.is_empty(), "{name}: {:?}", listing.entries);
        assert!(
            !ztharden::apply::journal_dir(read_only_dir.path()).exists(),
            "{name}: no journal directory"
        );
        let ids: Vec<String> = list(writing_dir.path())
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, [report.journal_id], "{name}: no rollback journal");
    }
}
