//! The apply engine's scenarios, each written once and run on the sandbox and on moto seeded
//! with the lab: a whole plan applied and rolled back, drift refused, throttled writes
//! retried, and read-only refusing before any call.

mod support;

use std::sync::{Arc, Mutex};

use support::account::Account;
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
        let back = engine.rollback(&journal, &NoProgress).await.unwrap();
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

/// A change made behind the plan's back, the resource the drift check must name, and a word
/// of what it must say.
struct Drift {
    what: &'static str,
    change: Change,
    resource: String,
    says: &'static str,
}

fn drifts(account: &Account, start: &Posture) -> Vec<Drift> {
    let (orders, group) = (account.id(ORDERS), account.id(ENDPOINT_SG));
    let open_rule = start
        .security_group(&group)
        .and_then(|g| g.ingress.as_ref())
        .and_then(|rules| rules.iter().find(|r| r.rule_id == account.id(OPEN_RULE)))
        .cloned()
        .unwrap_or_else(|| panic!("{}: the open rule of {group}", account.name));
    let list = account.id(ORDERS_LIST);
    vec![
        Drift {
            what: "the resource policy",
            change: Change::SetResourcePolicy {
                api_id: orders.clone(),
                expected: None,
                new: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#.into(),
            },
            resource: orders.clone(),
            says: "the policy changed since the plan",
        },
        Drift {
            what: "the open rule, revoked",
            resource: format!("{group} rule {}", open_rule.rule_id),
            change: Change::RevokeIngress {
                group_id: group.clone(),
                expected: open_rule,
            },
            says: "no longer exists",
        },
        Drift {
            what: "a rule from service-a, added",
            change: Change::AuthorizeIngress {
                group_id: group.clone(),
                source_group_id: account.id(SERVICE_A_SG),
                port: 443,
                description: "HTTPS from service-a, by hand".into(),
            },
            resource: format!("{group} (from {})", account.id(SERVICE_A_SG)),
            says: "exists already",
        },
        Drift {
            what: "a method's authorization",
            change: Change::SetMethodAuthorization {
                method: MethodKey {
                    api_id: orders.clone(),
                    resource_id: list.clone(),
                    path: "/orders".into(),
                    http_method: "GET".into(),
                },
                expected: AuthorizationType::None,
                new: AuthorizationType::AwsIam,
                authorizer_id: None,
            },
            resource: format!("{orders} GET /orders (resource {list})"),
            says: "authorization is AWS_IAM now, the plan expects NONE",
        },
    ]
}

#[tokio::test]
async fn a_change_behind_the_plans_back_refuses_the_apply_naming_it() {
    for mut account in Account::all().await {
        let count = drifts(&account, &account.read().await).len();
        for at in 0..count {
            if at > 0 {
                account.fresh();
            }
            let start = account.read().await;
            let drift = drifts(&account, &start).remove(at);
            let what = format!("{}: {}", account.name, drift.what);
            let plan = plan_for(&start, &account.id(ORDERS), &Control::ALL);
            account.out_of_band(&drift.change).await;
            let before = support::canonical(account.read().await);

            let dir = tempfile::tempdir().unwrap();
            let faulty = Arc::new(FaultyCloud::new(account.cloud(), FaultPlan::none()));
            let report = engine(faulty.clone(), &dir)
                .apply(&plan, &NoProgress)
                .await
                .unwrap();
            let ApplyOutcome::RefusedDrift { drifted } = &report.outcome else {
                panic!("{what}: {:?}", report.outcome);
            };
            assert_eq!(drifted.len(), 1, "{what}: {drifted:#?}");
            assert_eq!(drifted[0].resource, drift.resource, "{what}");
            assert!(
                drifted[0].detail.contains(drift.says),
                "{what}: {drifted:?}"
            );
            // One read, the drift check's; no write.
            let calls = faulty.calls();
            assert_eq!(calls.len(), 1, "{what}: {calls:#?}");
            assert_eq!(calls[0].operation, READ_OPERATION, "{what}");
            assert_eq!(report.applied(), 0, "{what}");

            let journal = journal(&dir, &report.journal_id);
            assert_eq!(
                journal.closing.as_ref().map(|c| &c.outcome),
                Some(&report.outcome),
                "{what}"
            );
            assert_eq!(journal.records.len(), plan.changes().count(), "{what}");
            assert!(
                journal
                    .records
                    .iter()
                    .all(|r| r.outcome == ChangeOutcome::NotRun),
                "{what}: {:#?}",
                journal.records
            );
            assert_eq!(
                support::canonical(account.read().await),
                before,
                "{what}: nothing changed"
            );
        }
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
        let err = read_only.rollback(&journal, &NoProgress).await.unwrap_err();
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
