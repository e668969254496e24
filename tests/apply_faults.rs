//! A failure at every call of an apply, for each control's own plan, on the sandbox and on
//! moto seeded with the lab: the journal records exactly what reached the account, nothing
//! else changed, and a rollback restores the start.

mod support;

/// The same for rollbacks.
#[path = "apply_faults/rollback.rs"]
mod rollback;

use std::sync::Arc;

use support::account::Account;
use support::lab::*;
use support::normal::comparable;
use support::scenario::*;
use ztharden::apply::{ApplyError, ApplyOutcome, ChangeOutcome, list};
use ztharden::cloud::NoProgress;
use ztharden::cloud::faults::{FaultPlan, FaultyCloud};
use ztharden::plan;
use ztharden::steps::Control;

/// The lab with the controls before `control` applied to orders, in the guide's order: a
/// control's own plan is blocked while the ones before it would lock callers out (a resource
/// policy that asks for signed calls before the methods take them).
async fn ready_for(account: &Account, control: Control) {
    let before: Vec<Control> = Control::ALL
        .into_iter()
        .take_while(|c| *c != control)
        .collect();
    if before.is_empty() {
        return;
    }
    let plan = plan_for(&account.read().await, &account.id(ORDERS), &before);
    let dir = tempfile::tempdir().unwrap();
    let report = engine(account.cloud(), &dir)
        .apply(&plan, &NoProgress)
        .await
        .unwrap_or_else(|e| panic!("{}: the controls before {control}: {e}", account.name));
    assert_eq!(
        report.outcome,
        ApplyOutcome::Complete,
        "{}: the controls before {control}: {:#?}",
        account.name,
        report.results
    );
}

/// For every call `n` of the apply of `control`'s plan for orders (1: the drift check's
/// read, then the writes, then the verification's read), on a fresh account each time.
async fn a_failure_at_every_call(control: Control) {
    for mut account in Account::all().await {
        let mut n = 1;
        loop {
            if n > 1 {
                account.fresh();
            }
            ready_for(&account, control).await;
            let start = account.read().await;
            let plan = plan_for(&start, &account.id(ORDERS), &[control]);
            let writes = plan.changes().count();
            assert!(writes > 0, "{}: {control} plans no change", account.name);
            let what = format!("{}: {control}, call {n} of {}", account.name, writes + 2);

            let dir = tempfile::tempdir().unwrap();
            let faulty = Arc::new(FaultyCloud::new(
                account.cloud(),
                FaultPlan::none().fail_call(n),
            ));
            let (applied, journal) =
                match engine(faulty.clone(), &dir).apply(&plan, &NoProgress).await {
                    Err(ApplyError::Read(e)) if n == 1 => {
                        assert!(e.message.contains("injected fault"), "{what}: {e}");
                        assert!(list(dir.path()).unwrap().entries.is_empty(), "{what}");
                        (Vec::new(), None)
                    }
                    Err(e) => panic!("{what}: {e}"),
                    Ok(report) => {
                        let journal = journal(&dir, &report.journal_id);
                        let applied = journaled(&journal);
                        assert_eq!(applied, faulty.applied_changes(), "{what}");
                        assert_eq!(journal.records.len(), writes, "{what}");
                        // The records in apply order: applied up to the failing call, that
                        // one failed, the rest not run.
                        let changes: Vec<_> = journal.records.iter().map(|r| &r.change).collect();
                        let order: Vec<_> = in_apply_order(&plan);
                        assert_eq!(changes, order.iter().collect::<Vec<_>>(), "{what}");
                        let outcomes: Vec<&str> =
                            journal.records.iter().map(|r| kind(&r.outcome)).collect();
                        let expected = if n == writes + 2 {
                            assert_eq!(report.outcome, ApplyOutcome::Complete, "{what}");
                            assert!(matches!(report.verification, Some(Err(_))), "{what}");
                            assert_eq!(applied, order, "{what}");
                            vec!["applied"; writes]
                        } else {
                            // Call 1 is the drift check's read: a failure there is an error,
                            // never a report.
                            let k = n.checked_sub(2).unwrap_or_else(|| {
                                panic!(
                                    "{what}: the apply ran though its drift check's read \
                                     failed: {:?}",
                                    report.outcome
                                )
                            });
                            assert_eq!(report.outcome, ApplyOutcome::StoppedAtFailure, "{what}");
                            assert_eq!(applied.len(), k, "{what}");
                            let mut expected = vec!["applied"; k];
                            expected.push("failed");
                            expected.resize(writes, "not-run");
                            expected
                        };
                        assert_eq!(outcomes, expected, "{what}");
                        let reported: Vec<&str> =
                            report.results.iter().map(|r| kind(&r.outcome)).collect();
                        assert_eq!(reported, expected, "{what}: the report says the same");
                        let closing = journal.closing.as_ref().map(|c| &c.outcome);
                        assert_eq!(closing, Some(&report.outcome), "{what}");
                        (applied, Some(journal))
                    }
                };

            // Nothing but what the journal says changed.
            assert_eq!(
                comparable(account.read().await),
                comparable(plan::project(&start, &applied)),
                "{what}: the account is the start with the journaled changes{}",
                account.log()
            );

            let rollback = engine(account.cloud(), &dir);
            match journal {
                Some(journal) if !applied.is_empty() => {
                    let back = roll_back(&rollback, &journal).await.unwrap();
                    assert_eq!(
                        back.outcome,
                        ApplyOutcome::Complete,
                        "{what}: {:#?}",
                        back.results
                    );
                    assert_eq!(back.applied(), applied.len(), "{what}");
                }
                Some(journal) => {
                    let err = roll_back(&rollback, &journal).await.unwrap_err();
                    assert!(
                        matches!(err, ApplyError::NothingToRollBack(_)),
                        "{what}: {err:?}"
                    );
                }
                None => assert!(applied.is_empty(), "{what}"),
            }
            assert_eq!(
                comparable(account.read().await),
                comparable(start),
                "{what}: rolled back to the start"
            );

            if n == writes + 2 {
                break;
            }
            n += 1;
        }
    }
}

/// A change outcome in one word.
fn kind(outcome: &ChangeOutcome) -> &'static str {
    match outcome {
        ChangeOutcome::Applied { .. } => "applied",
        ChangeOutcome::Failed { .. } => "failed",
        ChangeOutcome::NotRun => "not-run",
    }
}

#[tokio::test]
async fn iam_auth_fails_at_every_call_and_rolls_back() {
    a_failure_at_every_call(Control::IamAuth).await;
}

#[tokio::test]
async fn resource_policy_fails_at_every_call_and_rolls_back() {
    a_failure_at_every_call(Control::ResourcePolicy).await;
}

#[tokio::test]
async fn endpoint_policy_fails_at_every_call_and_rolls_back() {
    a_failure_at_every_call(Control::EndpointPolicy).await;
}

#[tokio::test]
async fn endpoint_sg_fails_at_every_call_and_rolls_back() {
    a_failure_at_every_call(Control::EndpointSg).await;
}
