//! What the TUI refuses and how it says so, on the lab behind a `FaultyCloud`: read-only
//! offers no write key and nothing reaches the cloud; drift refuses the whole apply and names
//! the resources; a failed write shows AWS's words and what did not run; quitting waits while
//! an apply runs.

#[path = "tui_apply/lab.rs"]
mod lab;

use crossterm::event::{KeyCode, KeyModifiers};
use lab::{ORDERS, lab, writes};
use ztharden::apply::ApplyOutcome;
use ztharden::cloud::Cloud;
use ztharden::cloud::faults::FaultPlan;
use ztharden::plan::Change;
use ztharden::tui::Effect;
use ztharden::tui::state::READ_ONLY;

fn applies(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Apply { .. } | Effect::Rollback { .. }))
}

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
async fn quitting_is_refused_while_an_apply_runs_and_ctrl_c_twice_quits_anyway() {
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
    assert!(tui.screen().contains("Press Ctrl-C again to quit anyway"));
    tui.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(tui.quit);
}
