//! What the TUI refuses and how it says so, on the lab behind a `FaultyCloud`: read-only
//! offers no write key and nothing reaches the cloud; drift refuses the whole apply and names
//! the resources; a failed write shows AWS's words and what did not run; quitting waits while
//! an apply runs.

#[path = "tui_apply/lab.rs"]
mod lab;

use crossterm::event::{KeyCode, KeyModifiers};
use lab::{ORDERS, applies, lab, writes};
use ztharden::apply::{ApplyOutcome, Engine, EngineOptions, list};
use ztharden::cloud::faults::FaultPlan;
use ztharden::cloud::{Cloud, NoProgress};
use ztharden::plan::{self, Change, Inputs};
use ztharden::steps::Control;
use ztharden::tui::Effect;
use ztharden::tui::state::READ_ONLY;

#[tokio::test]
async fn read_only_offers_no_apply_and_no_undo_and_nothing_is_written() {
    let mut lab = lab(true, FaultPlan::none()).await;
    let tui = &mut lab.tui;
    tui.type_text("jw");
    let screen = tui.screen();
    assert!(
        screen
            .lines()
            .next()
            .unwrap_or_default()
            .ends_with("READ-ONLY")
    );
    assert!(!screen.contains("apply step"), "{screen}");
    tui.key(KeyCode::Char('?'));
    assert!(!tui.screen().contains("apply this step"));
    tui.key(KeyCode::Esc);
    tui.key(KeyCode::Char('A'));
    tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    assert!(tui.state.confirm.is_none());
    assert!(tui.pending.is_empty(), "{:?}", tui.pending);
    let message = tui.state.message.as_ref().expect("a message");
    assert_eq!(message.text, READ_ONLY);
    assert!(tui.screen().contains("read-only: nothing can be changed"));

    tui.key(KeyCode::Char('J'));
    tui.settle().await;
    let screen = lab.tui.screen();
    assert!(!screen.contains("u undo"), "{screen}");
    lab.tui.key(KeyCode::Char('u'));
    assert!(lab.tui.pending.is_empty());
    assert_eq!(
        lab.tui.state.message.as_ref().map(|m| m.text.as_str()),
        Some(READ_ONLY)
    );
    lab.tui.settle().await;
    assert!(writes(&lab.faulty).is_empty());
}

/// A journal there is to undo, written by a writing engine in the same state directory: the
/// read-only TUI lists it and `u` on it does nothing but say why. The cloud under the TUI
/// takes writes (no fault planned), so only the TUI's read-only mode stands in the way.
#[tokio::test]
async fn read_only_lists_a_journal_and_u_on_it_asks_for_nothing() {
    let mut lab = lab(true, FaultPlan::none()).await;
    let data = lab.tui.state.data.as_ref().expect("scanned");
    let plan = plan::build(
        &data.posture,
        &Inputs::infer(&data.posture, &[ORDERS.to_string()], &[]),
        &[Control::IamAuth],
        "2026-05-01T09:30:00Z",
    );
    // Written through the same FaultyCloud, which forwards every write: it is no guard.
    let writing = Engine::new(lab.faulty.clone(), lab.dir.path(), EngineOptions::quick());
    let report = writing.apply(&plan, &NoProgress).await.expect("applied");
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    let written = writes(&lab.faulty);
    assert_eq!(written.len(), plan.changes().count());
    assert!(
        written.iter().all(|r| r.outcome.forwarded()),
        "{written:#?}"
    );
    let calls = lab.faulty.calls().len();
    assert!(lab.tui.state.read_only);

    lab.tui.type_text("J");
    lab.tui.settle().await;
    lab.tui.type_text("g");
    let view = lab.tui.state.journal.as_ref().expect("the journal view");
    let selected = view
        .selection()
        .expect("the journal is listed and selected");
    assert_eq!(selected.id, report.journal_id);
    let screen = lab.tui.screen();
    assert!(screen.contains(&report.journal_id), "{screen}");
    assert!(!screen.contains("u undo"), "{screen}");

    lab.tui.key(KeyCode::Char('u'));
    assert!(lab.tui.pending.is_empty(), "{:?}", lab.tui.pending);
    assert!(lab.tui.state.confirm.is_none(), "no dialog");
    let view = lab
        .tui
        .state
        .journal
        .as_ref()
        .expect("still the journal view");
    assert_eq!(view.undoing, None, "no rollback plan is being made");
    assert_eq!(
        lab.tui.state.message.as_ref().map(|m| m.text.as_str()),
        Some(READ_ONLY)
    );
    lab.tui.settle().await;
    assert!(lab.tui.state.confirm.is_none(), "no dialog later either");
    assert!(lab.tui.state.run.is_none());
    let after = lab.faulty.calls();
    assert_eq!(after.len(), calls, "no call at all: {:#?}", &after[calls..]);
    let listing = list(lab.dir.path()).expect("the journals");
    let ids: Vec<&str> = listing.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [report.journal_id.as_str()], "no rollback journal");
}

#[tokio::test]
async fn an_apply_refused_for_drift_names_the_resource_and_writes_nothing() {
    let mut lab = lab(false, FaultPlan::none()).await;
    lab.tui.type_text("jw");
    // Someone changes the resource policy of orders after the scan.
    let step = lab.tui.state.wizard.as_ref().expect("open").plan.clone();
    let policy = step
        .changes()
        .find(|c| matches!(c, Change::SetResourcePolicy { .. }))
        .cloned()
        .expect("the plan sets the resource policy");
    lab.faulty
        .inner()
        .apply(&policy)
        .await
        .expect("the sandbox takes it");
    lab.tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    lab.tui.key(KeyCode::Char('y'));
    lab.tui.settle().await;
    let run = lab.tui.state.run.as_ref().expect("the result");
    let report = run.result.clone().expect("done").expect("a report");
    let ApplyOutcome::RefusedDrift { drifted } = &report.outcome else {
        panic!("refused for drift: {:?}", report.outcome);
    };
    let screen = lab.tui.screen();
    assert!(
        screen.contains("✗ Refused: the account changed"),
        "{screen}"
    );
    for d in drifted {
        assert!(screen.contains(&d.resource), "{} in\n{screen}", d.resource);
    }
    assert!(
        drifted.iter().any(|d| d.resource.contains(ORDERS)),
        "{drifted:?}"
    );
    assert!(writes(&lab.faulty).is_empty(), "nothing written");
    assert!(screen.contains("not run"), "{screen}");
}

#[tokio::test]
async fn a_failed_change_shows_aws_words_and_what_did_not_run() {
    let mut lab = lab(false, FaultPlan::none().fail_write(3)).await;
    lab.tui.type_text("jw");
    lab.tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    lab.tui.key(KeyCode::Char('y'));
    lab.tui.settle().await;
    let run = lab.tui.state.run.as_ref().expect("the result");
    let report = run.result.clone().expect("done").expect("a report");
    assert_eq!(report.outcome, ApplyOutcome::StoppedAtFailure);
    let failed = writes(&lab.faulty)
        .into_iter()
        .find(|r| !r.outcome.forwarded())
        .expect("the third write was refused");
    let lines: String = ztharden::tui::view::run::lines(&lab.tui.state, 200)
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        lines.contains("✗ Stopped at a failure: 2 of 11 changes applied"),
        "{lines}"
    );
    let summary = failed.change.expect("a write").summary();
    assert!(lines.contains(&format!("failed: {summary}")), "{lines}");
    assert!(lines.contains("AWS said: "), "{lines}");
    assert_eq!(lines.matches("– not run").count(), 8, "{lines}");
}

#[tokio::test]
async fn quitting_is_refused_while_an_apply_runs_and_ctrl_c_twice_stops_it_then_quits() {
    let mut lab = lab(false, FaultPlan::none()).await;
    let tui = &mut lab.tui;
    tui.type_text("jwAy");
    let pending = std::mem::take(&mut tui.pending);
    assert!(applies(&pending), "the apply was asked for; not run yet");
    tui.key(KeyCode::Char('q'));
    assert!(!tui.quit);
    assert!(
        tui.screen().contains("q waits for its result"),
        "{}",
        tui.screen()
    );
    tui.key(KeyCode::Esc);
    assert!(
        tui.state.run.is_some(),
        "Esc does not leave a running apply"
    );
    tui.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!tui.quit);
    assert!(
        tui.screen().contains("press Ctrl-C again to stop it"),
        "{}",
        tui.screen()
    );
    // The second asks the engine to stop after the change being sent, and quits only once
    // the run has ended (and is journaled).
    tui.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!tui.quit);
    assert!(
        tui.pending.iter().any(|e| matches!(e, Effect::StopRun)),
        "{:?}",
        tui.pending
    );
    assert!(tui.screen().contains("stopping"), "{}", tui.screen());
    tui.pending.clear();
    for effect in pending {
        tui.run(effect).await;
    }
    assert!(tui.quit, "quits once the run has ended");
    // A third Ctrl-C, had the run not ended, would have quit at once.
}

#[tokio::test]
async fn a_third_ctrl_c_quits_at_once() {
    let mut lab = lab(false, FaultPlan::none()).await;
    let tui = &mut lab.tui;
    tui.type_text("jwAy");
    tui.pending.clear();
    for _ in 0..2 {
        tui.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(!tui.quit);
    }
    tui.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(tui.quit);
}

#[tokio::test]
async fn a_run_that_did_not_stop_cleanly_is_shown_before_quitting() {
    let mut lab = lab(false, FaultPlan::none()).await;
    let tui = &mut lab.tui;
    tui.type_text("jwAy");
    tui.pending.clear();
    for _ in 0..2 {
        tui.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    }
    assert!(!tui.quit);
    tui.send(ztharden::tui::Msg::ApplyDone {
        result: Err("the journal could not be written: disk full; changes were made".into()),
        scanned: None,
        finished_at: time::OffsetDateTime::UNIX_EPOCH,
    });
    assert!(!tui.quit, "an unclean end is shown, not quit over");
    let screen = tui.screen();
    assert!(screen.contains("did not stop cleanly"), "{screen}");
    assert!(screen.contains("disk full"), "{screen}");
}
