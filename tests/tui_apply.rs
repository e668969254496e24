//! Applying and undoing from the TUI, driven without a terminal on the lab sandbox behind a
//! `FaultyCloud` (whose call log shows every write that reached it): the confirm dialog comes
//! first and nothing is sent before `y`, or nothing at all when cancelled; a step that cannot
//! go alone is refused; applying all turns `orders` to PASS and the journal view undoes it.
//! (Refusals and failures: `tui_apply_refusals.rs`.)

#[path = "tui_apply/lab.rs"]
mod lab;

use crossterm::event::{KeyCode, KeyModifiers};
use lab::ids::ACCOUNT;
use lab::{applies, in_apply_order, lab, orders_statuses, sent, writes};
use ztharden::apply::{ApplyOutcome, JournalKind};
use ztharden::cloud::faults::FaultPlan;
use ztharden::plan::{self, Change};
use ztharden::steps::{Control, Status};
use ztharden::tui::run::Action;

#[tokio::test]
async fn a_shows_the_exact_changes_of_the_step_and_nothing_is_sent_before_y() {
    let mut lab = lab(false, FaultPlan::none()).await;
    let tui = &mut lab.tui;
    tui.type_text("jw1");
    tui.key(KeyCode::Char('A'));
    let confirm = tui
        .state
        .confirm
        .clone()
        .unwrap_or_else(|| panic!("A opens the confirm dialog: {:?}", tui.state.message));
    assert_eq!(confirm.action, Action::Apply);
    assert_eq!(
        confirm.title,
        "Apply step 1 iam-auth to orders (a1b2c3d4e5)"
    );
    // The plan of that control alone, on the posture as read: with its own redeploy.
    let data = tui.state.data.as_ref().expect("scanned");
    let w = tui.state.wizard.as_ref().expect("the wizard is open");
    let expected = plan::build(
        &data.posture,
        &w.inputs,
        &[Control::IamAuth],
        w.created_at(),
    );
    assert_eq!(confirm.plan, expected);
    let changes: Vec<&Change> = confirm.plan.changes().collect();
    let screen = tui.screen();
    for change in &changes {
        assert!(
            screen.contains(&change.summary()),
            "{change:?} in\n{screen}"
        );
        assert!(
            screen.contains(change.aws_call()),
            "{change:?} in\n{screen}"
        );
    }
    assert!(
        screen.contains(&format!("account {ACCOUNT}  region us-east-1")),
        "{screen}"
    );
    assert!(!applies(&tui.pending), "{:?}", tui.pending);
    tui.settle().await;
    assert!(writes(&lab.faulty).is_empty(), "nothing sent before y");

    let tui = &mut lab.tui;
    tui.key(KeyCode::Char('y'));
    assert!(applies(&tui.pending));
    assert!(tui.state.confirm.is_none());
    tui.settle().await;
    assert_eq!(
        sent(&lab.faulty, 0),
        in_apply_order(&confirm.plan),
        "exactly the confirmed changes, in the engine's order"
    );
    let run = lab.tui.state.run.as_ref().expect("the result is shown");
    let report = run.result.clone().expect("done").expect("applied");
    assert_eq!(report.outcome, ApplyOutcome::Complete);
}

#[tokio::test]
async fn a_step_applied_alone_carries_its_own_redeploy() {
    let mut lab = lab(false, FaultPlan::none()).await;
    lab.tui.type_text("jw");
    let whole = lab.tui.state.wizard.as_ref().expect("open").plan.clone();
    let iam = whole
        .steps
        .iter()
        .find(|s| s.control == Control::IamAuth)
        .expect("an iam-auth step");
    assert!(
        !iam.changes
            .iter()
            .any(|c| matches!(c, Change::Redeploy { .. })),
        "in the whole plan, iam-auth's redeploy moves to a later step"
    );
    lab.tui.key(KeyCode::Char('A'));
    let confirm = lab.tui.state.confirm.as_ref().expect("the dialog");
    assert!(
        confirm
            .plan
            .changes()
            .any(|c| matches!(c, Change::Redeploy { .. })),
        "alone, it redeploys the stage itself"
    );
}

/// resource-policy without iam-auth would lock the callers out: it is refused alone, and the
/// message says why and what to do instead.
#[tokio::test]
async fn a_step_blocked_when_applied_alone_is_refused_with_why() {
    let mut lab = lab(false, FaultPlan::none()).await;
    lab.tui.type_text("jw2A");
    assert!(lab.tui.state.confirm.is_none());
    assert!(lab.tui.pending.is_empty());
    let message = lab.tui.state.message.as_ref().expect("a message");
    assert!(
        message.text.starts_with(
            "resource-policy cannot be applied alone (apply every ready step together with Ctrl-A"
        ) && message.text.contains("would lock out service-a-role"),
        "{message:?}"
    );
    assert!(
        lab.tui
            .screen()
            .contains("resource-policy cannot be applied alone")
    );
}

#[tokio::test]
async fn cancelling_sends_nothing() {
    let mut lab = lab(false, FaultPlan::none()).await;
    let tui = &mut lab.tui;
    tui.type_text("jw");
    for cancel in [KeyCode::Char('n'), KeyCode::Esc, KeyCode::Enter] {
        tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
        assert!(tui.state.confirm.is_some(), "Ctrl-A asks first");
        tui.key(cancel);
        assert!(tui.state.confirm.is_none(), "{cancel:?} closes the dialog");
        assert!(
            tui.screen().contains("cancelled: nothing was sent"),
            "{cancel:?}"
        );
    }
    // Enter presses the focused button: Cancel until the operator moves to Apply.
    assert!(!applies(&tui.pending));
    tui.settle().await;
    assert!(lab.tui.state.run.is_none());
    assert!(writes(&lab.faulty).is_empty());
}

#[tokio::test]
async fn applying_all_turns_every_orders_control_pass_and_undo_restores_them() {
    let mut lab = lab(false, FaultPlan::none()).await;
    let start = orders_statuses(&lab.tui.state);
    assert_ne!(
        start,
        Control::ALL.map(|c| (c, Some(Status::Pass))).to_vec()
    );

    lab.tui.type_text("jw");
    lab.tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    let confirm = lab.tui.state.confirm.clone().expect("the dialog");
    assert!(
        confirm.title.starts_with("Apply the 4 ready steps"),
        "{}",
        confirm.title
    );
    // Enter on Apply confirms too.
    lab.tui.key(KeyCode::Left);
    lab.tui.key(KeyCode::Enter);
    lab.tui.settle().await;
    assert_eq!(
        orders_statuses(&lab.tui.state),
        Control::ALL.map(|c| (c, Some(Status::Pass))).to_vec(),
        "the browser shows the verified posture at once"
    );
    let screen = lab.tui.screen();
    assert!(
        screen.contains("✓ Done: all 11 changes were applied."),
        "{screen}"
    );
    assert!(screen.contains("✓ Verified"), "{screen}");
    let applied = writes(&lab.faulty).len();
    assert_eq!(applied, 11);
    assert_eq!(sent(&lab.faulty, 0), in_apply_order(&confirm.plan));

    // Back in the wizard, every step has nothing left to do.
    lab.tui.key(KeyCode::Esc);
    let w = lab.tui.state.wizard.as_ref().expect("back in the wizard");
    assert!(w.plan.steps.iter().all(|s| !s.is_ready()), "{:?}", w.plan);

    // The journal view lists the apply; u shows its rollback plan; y rolls it back.
    lab.tui.key(KeyCode::Char('J'));
    lab.tui.settle().await;
    let view = lab.tui.state.journal.as_ref().expect("the journal view");
    assert_eq!(view.entries().len(), 1);
    let id = view.entries()[0].id.clone();
    lab.tui.key(KeyCode::Char('u'));
    assert!(lab.tui.state.confirm.is_none(), "the plan is made first");
    lab.tui.settle().await;
    let confirm = lab.tui.state.confirm.as_ref().expect("the rollback plan");
    assert_eq!(
        confirm.action,
        Action::Rollback {
            journal_id: id.clone()
        }
    );
    assert_eq!(confirm.plan.changes().count(), 11);
    let undo = in_apply_order(&confirm.plan);
    assert_eq!(writes(&lab.faulty).len(), applied, "nothing sent before y");
    lab.tui.key(KeyCode::Char('y'));
    lab.tui.settle().await;
    assert_eq!(
        sent(&lab.faulty, applied),
        undo,
        "exactly the confirmed undo"
    );
    let run = lab.tui.state.run.as_ref().expect("the result");
    let report = run.result.clone().expect("done").expect("rolled back");
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    assert_eq!(report.kind, JournalKind::Rollback);
    assert_eq!(
        orders_statuses(&lab.tui.state),
        start,
        "back where it started"
    );
    // The journal view behind it was read again: the rollback is the newest entry.
    lab.tui.key(KeyCode::Esc);
    let view = lab
        .tui
        .state
        .journal
        .as_ref()
        .expect("back in the journal view");
    let kinds: Vec<JournalKind> = view.entries().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [JournalKind::Rollback, JournalKind::Apply]);
    assert_eq!(view.entries()[0].rolls_back.as_deref(), Some(id.as_str()));
}
