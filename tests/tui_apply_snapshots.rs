//! The screens of applying from the TUI, on the lab: the confirm dialog, the progress view in
//! the middle of an apply, the result, and the journal view. Journal ids and times are the
//! engine's own (the clock of the moment): they are replaced by fixed ones of the same width,
//! or the journal list is given fixed ones, so the screens compare.

#[path = "tui_apply/lab.rs"]
mod lab;

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use lab::{lab, lab_sized};
use ratatui::style::Color;
use ztharden::apply::{self, ApplyEvent, ChangeOutcome};
use ztharden::cloud::Applied;
use ztharden::cloud::faults::FaultPlan;
use ztharden::tui::journal::JournalList;
use ztharden::tui::{Effect, Msg, Theme};

/// A journal id of the engine's format, fixed.
const FIXED_ID: &str = "20260501T093000.000Z-0a1b2c";
const FIXED_ROLLBACK_ID: &str = "20260501T093500.000Z-3d4e5f";

/// Ctrl-A on the wizard of `orders`: the confirm dialog of every ready step.
async fn confirm_all(size: (u16, u16)) -> lab::Lab {
    let mut lab = lab_sized(false, FaultPlan::none(), size, Theme::default()).await;
    lab.tui.type_text("jw");
    lab.tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    lab
}

#[tokio::test]
async fn the_confirm_dialog_of_every_ready_step() {
    let lab = confirm_all((120, 40)).await;
    let screen = lab.tui.screen();
    for expected in [
        "Confirm the apply",
        "Apply the 4 ready steps iam-auth, resource-policy, endpoint-policy, endpoint-sg to orders",
        "These 11 changes are sent in this order",
        "apigateway:UpdateMethod",
        "apigateway:CreateDeployment",
        "ec2:RevokeSecurityGroupIngress",
        "Warnings",
        "[ Apply ]  [ Cancel ]",
    ] {
        assert!(screen.contains(expected), "{expected:?} in\n{screen}");
    }
    insta::assert_snapshot!("apply_confirm", screen);
    // Cancel is focused until the operator moves to Apply (reversed video).
    let buffer = lab.tui.draw().backend().buffer().clone();
    let (x, y) = find(&lab.tui.screen(), "[ Cancel ]");
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

/// The position (column, row) of the first cell of `needle` on a screen of single-width text.
fn find(screen: &str, needle: &str) -> (u16, u16) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            let x = line[..at].chars().count();
            return (x as u16, y as u16);
        }
    }
    panic!("{needle:?} is not on the screen:\n{screen}");
}

#[tokio::test]
async fn the_progress_in_the_middle_of_an_apply() {
    let mut lab = confirm_all((120, 36)).await;
    let plan = lab
        .tui
        .state
        .confirm
        .as_ref()
        .expect("the dialog")
        .plan
        .clone();
    lab.tui.key(KeyCode::Char('y'));
    // The apply is asked for; its events are given by hand, so it stops half-way.
    let pending = std::mem::take(&mut lab.tui.pending);
    assert!(
        matches!(pending.as_slice(), [Effect::Apply { .. }]),
        "{pending:?}"
    );
    let changes: Vec<_> = plan.changes().cloned().collect();
    let order = apply::apply_order(&changes).expect("an order");
    let events = [
        ApplyEvent::Reading,
        ApplyEvent::Journaled {
            id: FIXED_ID.into(),
            path: PathBuf::from("journals/x.jsonl"),
        },
        ApplyEvent::Started { index: order[0] },
        ApplyEvent::Finished {
            index: order[0],
            outcome: ChangeOutcome::Applied {
                result: Applied::Done,
            },
        },
        ApplyEvent::Started { index: order[1] },
        ApplyEvent::Finished {
            index: order[1],
            outcome: ChangeOutcome::Applied {
                result: Applied::Done,
            },
        },
        ApplyEvent::Started { index: order[2] },
        ApplyEvent::Retrying {
            index: order[2],
            attempt: 2,
            delay: Duration::from_secs(1),
            error: "Throttling: Rate exceeded".into(),
        },
    ];
    for event in events {
        lab.tui.send(Msg::ApplyProgress(event));
    }
    let screen = lab.tui.screen();
    for expected in ["✓ applied", "↻ retrying (2)", "· waiting", FIXED_ID] {
        assert!(screen.contains(expected), "{expected:?} in\n{screen}");
    }
    assert_eq!(screen.matches("· waiting").count(), 8, "{screen}");
    insta::assert_snapshot!("apply_progress", screen);
}

#[tokio::test]
async fn the_result_of_applying_every_ready_step() {
    let mut lab = confirm_all((120, 40)).await;
    lab.tui.key(KeyCode::Char('y'));
    lab.tui.settle().await;
    let run = lab.tui.state.run.as_ref().expect("the result");
    let id = run.journal_id.clone().expect("journaled");
    let screen = lab.tui.screen().replace(&id, FIXED_ID);
    for expected in [
        "✓ Done: all 11 changes were applied.",
        "✓ Verified: every applied change shows in the account.",
        "orders (a1b2c3d4e5)   iam-auth PASS   resource-policy PASS   endpoint-policy PASS   endpoint-sg PASS",
        "Journal 20260501T093000.000Z-0a1b2c",
    ] {
        assert!(screen.contains(expected), "{expected:?} in\n{screen}");
    }
    assert_eq!(screen.matches("✓ applied").count(), 11, "{screen}");
    insta::assert_snapshot!("apply_result", screen);
    // The badges are coloured: PASS in green.
    let (x, y) = find(&screen, "PASS");
    let buffer = lab.tui.draw().backend().buffer().clone();
    assert_eq!(buffer[(x, y)].fg, Color::Green);
}

#[tokio::test]
async fn the_journal_view_after_an_apply_and_its_rollback() {
    let mut lab = lab(false, FaultPlan::none()).await;
    lab.tui.type_text("jw");
    lab.tui.key_with(KeyCode::Char('a'), KeyModifiers::CONTROL);
    lab.tui.key(KeyCode::Char('y'));
    lab.tui.settle().await;
    lab.tui.type_text("J");
    lab.tui.settle().await;
    lab.tui.key(KeyCode::Char('u'));
    lab.tui.settle().await;
    lab.tui.key(KeyCode::Char('y'));
    lab.tui.settle().await;
    lab.tui.key(KeyCode::Esc);
    // The real entries, with fixed ids, times and places.
    let listing = apply::list(lab.dir.path()).expect("the journals");
    let [rollback, applied] = listing.entries.as_slice() else {
        panic!("two journals: {:?}", listing.entries);
    };
    let state_dir = PathBuf::from("/home/ops/.local/state/ztharden");
    let fixed = |entry: &apply::JournalEntry, id: &str, at: &str| apply::JournalEntry {
        id: id.into(),
        started_at: at.into(),
        path: state_dir.join(format!("journals/{id}.jsonl")),
        rolls_back: entry.rolls_back.as_ref().map(|_| FIXED_ID.to_string()),
        ..entry.clone()
    };
    let entries = vec![
        fixed(rollback, FIXED_ROLLBACK_ID, "2026-05-01T09:35:00Z"),
        fixed(applied, FIXED_ID, "2026-05-01T09:30:00Z"),
    ];
    lab.tui.send(Msg::JournalsLoaded(Ok(JournalList {
        state_dir: state_dir.clone(),
        entries,
        unreadable: Vec::new(),
    })));
    lab.tui.key(KeyCode::Char('j'));
    let screen = lab.tui.screen();
    for expected in [
        "Journals in /home/ops/.local/state/ztharden · newest first",
        "2026-05-01 09:35 UTC  rollback",
        "2026-05-01 09:30 UTC  apply",
        "iam,res-pol,ep-pol,ep-sg",
        "complete",
        "u undo",
    ] {
        assert!(screen.contains(expected), "{expected:?} in\n{screen}");
    }
    insta::assert_snapshot!("journal_view", screen);
}
