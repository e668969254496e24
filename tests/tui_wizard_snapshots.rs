//! The wizard's review screens on the lab account: each step for `orders`, a blocked step,
//! and colour (diff lines green and red, nothing coloured under NO_COLOR).

use std::sync::Arc;

use crossterm::event::KeyCode;
use ratatui::style::Color;
use time::macros::datetime;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::model::Posture;
use ztharden::tui::{Headless, Msg, Theme};

const SIZE: (u16, u16) = (120, 36);
/// Tall enough for the whole review of every step of `orders`.
const TALL: (u16, u16) = (120, 130);

async fn lab_with(posture: Posture, theme: Theme, size: (u16, u16)) -> Headless {
    Headless::new(
        Arc::new(SandboxCloud::from_posture(posture)),
        theme,
        size,
        datetime!(2026-05-01 09:30:00 UTC),
    )
    .scanned()
    .await
}

/// The wizard open on `orders` at a step (1 to 4).
async fn orders_step(step: char, size: (u16, u16)) -> Headless {
    let mut tui = lab_with(SandboxCloud::lab_posture(), Theme::default(), size).await;
    tui.key(KeyCode::Char('j'));
    tui.key(KeyCode::Char('w'));
    tui.key(KeyCode::Char(step));
    tui
}

/// The review pane is the whole text of the step: nothing cut off at the bottom.
fn assert_whole(screen: &str) {
    assert!(
        !screen.contains(" lines 1-"),
        "the review is cut off:\n{screen}"
    );
}

#[tokio::test]
async fn step_1_iam_auth_of_orders() {
    let tui = orders_step('1', SIZE).await;
    let screen = tui.screen();
    for expected in [
        "Harden orders (a1b2c3d4e5)",
        "READ-ONLY: nothing can be changed",
        "▶ 1 iam-auth",
        "[x] GET /orders",
        "[ ] OPTIONS /orders",
        "[x] service-a-role",
    ] {
        assert!(screen.contains(expected), "{expected:?} in\n{screen}");
    }
    insta::assert_snapshot!("wizard_1_iam_auth", screen);
    let tall = orders_step('1', TALL).await.screen();
    assert_whole(&tall);
    insta::assert_snapshot!("wizard_1_iam_auth_whole", tall);
}

#[tokio::test]
async fn step_2_resource_policy_of_orders() {
    let tui = orders_step('2', SIZE).await;
    let screen = tui.screen();
    assert!(screen.contains("▶ 2 resource-policy"), "{screen}");
    insta::assert_snapshot!("wizard_2_resource_policy", screen);
    let tall = orders_step('2', TALL).await.screen();
    assert_whole(&tall);
    assert!(tall.contains("aws:SourceVpce"), "{tall}");
    insta::assert_snapshot!("wizard_2_resource_policy_whole", tall);
}

#[tokio::test]
async fn step_3_endpoint_policy_of_orders() {
    let tui = orders_step('3', SIZE).await;
    let screen = tui.screen();
    assert!(screen.contains("[x] inventory"), "{screen}");
    insta::assert_snapshot!("wizard_3_endpoint_policy", screen);
    let tall = orders_step('3', TALL).await.screen();
    assert_whole(&tall);
    insta::assert_snapshot!("wizard_3_endpoint_policy_whole", tall);
}

#[tokio::test]
async fn step_4_endpoint_sg_of_orders() {
    let tui = orders_step('4', SIZE).await;
    let screen = tui.screen();
    assert!(screen.contains("sgr-0e9e9e9e9e9e90443"), "{screen}");
    insta::assert_snapshot!("wizard_4_endpoint_sg", screen);
    let tall = orders_step('4', TALL).await.screen();
    assert_whole(&tall);
    insta::assert_snapshot!("wizard_4_endpoint_sg_whole", tall);
}

/// With both caller roles taken out, the endpoint policy would admit nobody: blocked, and why.
#[tokio::test]
async fn a_blocked_step_says_why() {
    let mut tui = orders_step('3', SIZE).await;
    tui.key(KeyCode::Char('l'));
    // The inputs of step 3: inventory, then the two roles.
    tui.key(KeyCode::Char('j'));
    tui.key(KeyCode::Char(' '));
    tui.key(KeyCode::Char('j'));
    tui.key(KeyCode::Char(' '));
    let screen = tui.screen();
    assert!(screen.contains("[ ] service-a-role"), "{screen}");
    assert!(screen.contains("[ ] service-c-role"), "{screen}");
    assert!(screen.contains("BLOCKED"), "{screen}");
    insta::assert_snapshot!("wizard_blocked", screen);
    let header = "Step 3 of 4: endpoint-policy (VPC endpoint policy): blocked";
    assert_eq!(
        cell_at(&tui, header).fg,
        Color::Red,
        "a blocked step's title is red"
    );
}

/// The help in the wizard lists the wizard's keys.
#[tokio::test]
async fn the_help_in_the_wizard() {
    let mut tui = orders_step('1', SIZE).await;
    tui.key(KeyCode::Char('?'));
    let screen = tui.screen();
    assert!(screen.contains("Keys in the wizard"), "{screen}");
    insta::assert_snapshot!("wizard_help", screen);
}

/// The cell where `text` starts on the screen.
fn cell_at(tui: &Headless, text: &str) -> ratatui::buffer::Cell {
    let terminal = tui.draw();
    let buffer = terminal.backend().buffer().clone();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        if let Some(x) = row.find(text) {
            let column = row[..x].chars().count() as u16;
            return buffer[(column, y)].clone();
        }
    }
    panic!("{text:?} not on screen:\n{}", tui.screen());
}

/// A check that fails now but that a later step fixes is yellow, as `plan` prints it; one
/// that fails for good is red.
#[tokio::test]
async fn pending_checks_are_yellow_and_failing_ones_red() {
    let tui = orders_step('1', TALL).await;
    assert_eq!(cell_at(&tui, "… PENDING a principal").fg, Color::Yellow);
    let mut blocked = orders_step('3', TALL).await;
    // Both roles off: the callers' check fails for good.
    for key in ['l', 'j', ' ', 'j', ' '] {
        blocked.key(KeyCode::Char(key));
    }
    assert_eq!(
        cell_at(&blocked, "✗ FAIL the chosen callers").fg,
        Color::Red
    );
}

/// Added lines are green and removed ones red; under NO_COLOR nothing is coloured and the
/// text (with its `+`/`-` markers) is the same.
#[tokio::test]
async fn diff_lines_are_coloured_unless_no_color() {
    let open = |theme| async move {
        let mut tui = lab_with(SandboxCloud::lab_posture(), theme, TALL).await;
        tui.key(KeyCode::Char('j'));
        tui.key(KeyCode::Char('w'));
        tui.key(KeyCode::Char('4'));
        tui
    };
    let colour = open(Theme::default()).await;
    assert_eq!(cell_at(&colour, "+ ").fg, Color::Green);
    assert_eq!(cell_at(&colour, "- ").fg, Color::Red);
    let plain = open(Theme::new(true)).await;
    assert_eq!(plain.screen(), colour.screen());
    for cell in plain.draw().backend().buffer().content() {
        assert_eq!(cell.fg, Color::Reset, "no colour with NO_COLOR: {cell:?}");
        assert_eq!(cell.bg, Color::Reset, "no colour with NO_COLOR: {cell:?}");
    }
}

/// A narrower terminal keeps the panes usable: the side column shrinks first.
#[tokio::test]
async fn the_wizard_at_100_columns() {
    let mut tui = orders_step('1', (100, 36)).await;
    tui.send(Msg::Resize {
        width: 100,
        height: 36,
    });
    let screen = tui.screen();
    assert!(screen.contains("[x] GET /orders"), "{screen}");
    insta::assert_snapshot!("wizard_narrow", screen);
    // A longer crumb keeps its words; "read-only" keeps its gist.
    tui.key(KeyCode::Char('2'));
    let crumb = tui.screen().lines().nth(1).unwrap_or_default().to_string();
    assert!(
        crumb.contains("step 2 of 4: resource-policy ") && crumb.ends_with("READ-ONLY"),
        "{crumb:?}"
    );
}

/// Typing a role of another account: the field keeps the text, the error is one red line
/// (wrapped) above it saying what to do, and the inputs are unchanged.
#[tokio::test]
async fn a_typed_role_of_another_account_is_refused_in_red() {
    let mut tui = orders_step('3', SIZE).await;
    tui.key(KeyCode::Char('a'));
    tui.type_text("arn:aws:iam::444455556666:role/other");
    let typing = tui.screen();
    let footer = typing.lines().last().unwrap_or_default();
    assert!(
        footer.starts_with(" add: arn:aws:iam::444455556666:role/other▏")
            && footer.ends_with("Enter add · Esc cancel"),
        "{footer:?}"
    );
    tui.key(KeyCode::Enter);
    let screen = tui.screen();
    assert!(
        screen.contains("✗ role arn:aws:iam::444455556666:role/other belongs to account"),
        "{screen}"
    );
    assert!(!screen.contains("] other"), "not added: {screen}");
    assert_eq!(cell_at(&tui, "✗ role arn:").fg, Color::Red);
    insta::assert_snapshot!("wizard_typing_refused", screen);
}

/// A typed role is added at the end of the roles, selected, the cursor on it, and the
/// notice says so above the footer.
#[tokio::test]
async fn a_typed_role_is_added_and_said_so() {
    let mut tui = orders_step('3', SIZE).await;
    tui.key(KeyCode::Char('a'));
    tui.type_text("arn:aws:iam::111122223333:role/service-b-role");
    tui.key(KeyCode::Enter);
    let screen = tui.screen();
    assert!(screen.contains("▶[x] service-b-role"), "{screen}");
    assert!(
        screen.contains(
            "✓ added caller role arn:aws:iam::111122223333:role/service-b-role, selected"
        ),
        "{screen}"
    );
    insta::assert_snapshot!("wizard_typing_added", screen);
}
