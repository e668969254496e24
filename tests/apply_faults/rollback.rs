//! A failure at every call of a rollback, on the sandbox and on moto: the rollback's journal
//! records exactly what reached the account, the original journal's rollback plan then holds
//! only what is left, and a second rollback of the original finishes the job.

use super::*;

use ztharden::plan::{Change, Plan};

/// The changes sorted by their debug form: two plans that undo the same things, whatever
/// steps they are grouped in, compare equal.
fn sorted(changes: impl IntoIterator<Item = Change>) -> Vec<Change> {
    let mut all: Vec<Change> = changes.into_iter().collect();
    all.sort_by_cached_key(|c| format!("{c:?}"));
    all
}

/// For every call `n` of the rollback of `controls`' plan for orders (1: the drift check's
/// read, then the writes, then the verification's read), on a fresh account each time: apply,
/// roll back with call `n` failing, then roll back again without faults.
async fn a_rollback_failing_at_every_call(mut account: Account, controls: &[Control]) {
    let mut n = 1;
    loop {
        if n > 1 {
            account.fresh();
        }
        let start = account.read().await;
        let plan = plan_for(&start, &account.id(ORDERS), controls);
        let dir = tempfile::tempdir().unwrap();
        let engine = engine(account.cloud(), &dir);
        let report = engine.apply(&plan, &NoProgress).await.unwrap();
        assert_eq!(report.outcome, ApplyOutcome::Complete, "{}", account.name);
        let hardened = account.read().await;
        let original = journal(&dir, &report.journal_id);
        let full: Plan = engine.rollback_plan(&original).unwrap();
        let undo: Vec<Change> = full.changes().cloned().collect();
        let calls = undo.len() + 2;
        let what = format!("{}: rollback, call {n} of {calls}", account.name);

        let faulty = Arc::new(FaultyCloud::new(
            account.cloud(),
            FaultPlan::none().fail_call(n),
        ));
        let faulted = super::engine(faulty.clone(), &dir)
            .rollback(&original, &full, &NoProgress)
            .await;
        let (undone, by) = match faulted {
            Err(ApplyError::Read(e)) if n == 1 => {
                assert!(e.message.contains("injected fault"), "{what}: {e}");
                (Vec::new(), None)
            }
            Err(e) => panic!("{what}: {e}"),
            Ok(back) => {
                let rollback = journal(&dir, &back.journal_id);
                assert_eq!(
                    rollback.header.rolls_back.as_deref(),
                    Some(original.id()),
                    "{what}"
                );
                let undone = journaled(&rollback);
                assert_eq!(
                    undone,
                    faulty.applied_changes(),
                    "{what}: the journal is what the account got"
                );
                let closing = rollback.closing.as_ref().map(|c| &c.outcome);
                assert_eq!(closing, Some(&back.outcome), "{what}");
                if n == calls {
                    assert_eq!(back.outcome, ApplyOutcome::Complete, "{what}");
                    assert_eq!(undone, in_apply_order(&full), "{what}");
                } else {
                    let k = n.checked_sub(2).unwrap_or_else(|| {
                        panic!(
                            "{what}: the rollback ran though its drift check's read failed: {:?}",
                            back.outcome
                        )
                    });
                    assert_eq!(back.outcome, ApplyOutcome::StoppedAtFailure, "{what}");
                    assert_eq!(undone, in_apply_order(&full)[..k], "{what}");
                }
                (undone, Some(back.journal_id))
            }
        };
        let journals: Vec<String> = list(dir.path())
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(
            journals.len(),
            1 + usize::from(by.is_some()),
            "{what}: {journals:?}"
        );
        // Nothing but what the rollback's journal says changed.
        assert_eq!(
            comparable(account.read().await),
            comparable(plan::project(&hardened, &undone)),
            "{what}: the hardened account with the journaled undoing{}",
            account.log()
        );

        // The original's rollback plan leaves out what the faulted rollback undid.
        let left: Vec<Change> = undo
            .iter()
            .filter(|c| !undone.contains(c))
            .cloned()
            .collect();
        match engine.rollback_plan(&original) {
            Ok(rest) => {
                assert!(!left.is_empty(), "{what}: {rest:#?}");
                assert_eq!(
                    sorted(rest.changes().cloned()),
                    sorted(left.clone()),
                    "{what}"
                );
                let second = engine
                    .rollback(&original, &rest, &NoProgress)
                    .await
                    .unwrap();
                assert_eq!(
                    second.outcome,
                    ApplyOutcome::Complete,
                    "{what}: {:#?}",
                    second.results
                );
                let redone = journaled(&journal(&dir, &second.journal_id));
                assert_eq!(redone, in_apply_order(&rest), "{what}");
                assert_eq!(sorted(redone), sorted(left), "{what}");
            }
            Err(ApplyError::NothingToRollBack(why)) => {
                assert!(left.is_empty(), "{what}: {why}");
                let by = by.expect("undone by a rollback");
                assert!(why.contains(&by), "{what}: {why}");
            }
            Err(e) => panic!("{what}: {e}"),
        }
        assert_eq!(
            comparable(account.read().await),
            comparable(start),
            "{what}: back at the start{}",
            account.log()
        );

        if n == calls {
            break;
        }
        n += 1;
    }
}

#[tokio::test]
async fn a_rollback_of_the_orders_plan_fails_at_every_call_on_the_sandbox_and_is_finished() {
    a_rollback_failing_at_every_call(Account::sandbox(), &Control::ALL).await;
}

#[tokio::test]
async fn a_rollback_fails_at_every_call_on_moto_and_is_finished() {
    let Some(account) = Account::moto().await else {
        return;
    };
    a_rollback_failing_at_every_call(account, &Control::ALL).await;
}
