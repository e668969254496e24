//! End to end: the real binary with `--demo` in a pseudo-terminal, driven by keys.

mod support;

use portable_pty::CommandBuilder;
use support::pty::{Pty, Screen};

const ROWS: u16 = 40;
const COLS: u16 = 140;

/// The line of the screen that contains `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

/// The demo app in a pseudo-terminal: the child, its keyboard, and its screen.
struct App {
    screen: Pty<Screen>,
    state_dir: tempfile::TempDir,
}

impl App {
    fn start() -> Self {
        let state_dir = tempfile::tempdir().expect("a temporary directory");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ztharden"));
        command.arg("--demo");
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        command.env("XDG_STATE_HOME", state_dir.path());
        command.env("HOME", state_dir.path());
        command.env("ZTHARDEN_STATE_DIR", state_dir.path());
        command.env_remove("ZTHARDEN_READ_ONLY");
        Self {
            screen: Pty::spawn(command, ROWS, COLS, Screen::new(ROWS, COLS)),
            state_dir,
        }
    }

    /// The journal files in the app's state directory, by name (so by time).
    fn journal_files(&self) -> Vec<std::path::PathBuf> {
        let dir = self.state_dir.path().join("journals");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        files.sort();
        files
    }

    fn press(&mut self, keys: &[u8]) {
        self.screen.press(keys);
    }

    /// Quit with `q`; the app exits cleanly and gives the main screen back.
    fn quit(mut self) {
        self.press(b"q");
        let status = self.screen.wait_exit("q");
        assert!(
            status.success(),
            "exit status {status:?}; screen:\n{}",
            self.screen.shown()
        );
        self.screen.drain();
        assert!(
            !self.screen.sink.parser.screen().alternate_screen(),
            "the terminal is back on the main screen after quitting"
        );
    }
}

/// The list is drawn once `orders` shows its four badges.
fn wait_for_the_list(screen: &mut Pty<Screen>) {
    screen.wait_for("orders with its four badges", |s| {
        line_with(s, "orders").is_some_and(|l| {
            ["PASS", "FAIL", "WARN", "SKIP", "n/a"]
                .iter()
                .map(|b| l.matches(b).count())
                .sum::<usize>()
                == 4
        })
    });
}

#[test]
fn the_demo_lists_api_paths_opens_a_detail_shows_help_and_quits() {
    let mut app = App::start();
    wait_for_the_list(&mut app.screen);
    let list = app.screen.shown();
    assert!(list.contains("SANDBOX"), "{list}");
    assert!(list.contains("111122223333"), "{list}");
    assert!(
        app.screen.sink.parser.screen().alternate_screen(),
        "the TUI draws on the alternate screen"
    );

    app.press(b"j");
    app.screen
        .wait_for("orders selected (the list is sorted by name)", |s| {
            line_with(s, "▶ orders").is_some()
        });

    app.press(b"\r");
    app.screen.wait_for("the detail of orders", |s| {
        s.contains("METHODS") && s.contains("/orders/{id}") && s.contains("Esc back")
    });
    assert!(
        !app.screen.shown().contains("▶ orders"),
        "the detail has the whole body"
    );

    app.press(b"?");
    app.screen.wait_for("the help overlay", |s| {
        s.contains("Keys") && s.contains("Badges")
    });
    app.quit();
}

/// Walks into the wizard, through the four steps, toggles a caller, types one in, goes back.
#[test]
fn the_wizard_walks_through_the_four_steps_of_orders() {
    let mut app = App::start();
    wait_for_the_list(&mut app.screen);
    app.press(b"j");
    app.screen
        .wait_for("orders selected", |s| line_with(s, "▶ orders").is_some());

    app.press(b"w");
    app.screen.wait_for("the wizard on step 1", |s| {
        s.contains("Harden orders (a1b2c3d4e5)")
            && s.contains("step 1 of 4: iam-auth")
            && s.contains("^A apply all")
            && s.contains("[x] GET /orders")
    });
    // Each step, reached with Tab, shows its own review.
    let steps: [(&str, &str); 3] = [
        ("step 2 of 4: resource-policy", "Resource policy of orders"),
        (
            "step 3 of 4: endpoint-policy",
            "Endpoint policy of vpce-0e9e9e9e9e9e9e9e9",
        ),
        ("step 4 of 4: endpoint-sg", "sgr-0e9e9e9e9e9e90443"),
    ];
    for (crumb, review) in steps {
        app.press(b"\t");
        app.screen
            .wait_for(crumb, |s| s.contains(crumb) && s.contains(review));
    }
    // Back to step 3 with its digit; take service-c-role out: the plan changes at once.
    app.press(b"3");
    app.screen.wait_for("step 3 again", |s| {
        s.contains("step 3 of 4: endpoint-policy")
    });
    app.press(b"lgjj ");
    app.screen.wait_for("service-c-role taken out", |s| {
        s.contains("[ ] service-c-role") && s.contains("[x] service-a-role")
    });
    // Add a role by typing it (its `q` is text, not quit): added, selected, planned with.
    app.press(b"a");
    app.screen
        .wait_for("the field to type in", |s| s.contains(" add: ▏"));
    app.press(b"arn:aws:iam::111122223333:role/queue-worker\r");
    app.screen
        .wait_for("queue-worker added and in the policy", |s| {
            s.contains("[x] queue-worker")
                && s.contains("✓ added caller role arn:aws:iam::111122223333:role/queue-worker")
                && s.contains("\"arn:aws:iam::111122223333:role/queue-worker\"")
        });
    // A malformed one is refused, says why, and Esc leaves the field.
    app.press(b"aarn:aws:iam::1:role/x\r");
    app.screen.wait_for("the refusal", |s| {
        s.contains("✗ 'arn:aws:iam::1:role/x' is not a role ARN")
    });
    app.press(b"\x1b");
    app.screen.wait_for("the field closed", |s| {
        !s.contains(" add: ") && s.contains("^A apply all")
    });

    app.press(b"\x1b");
    app.screen.wait_for("the list again", |s| {
        line_with(s, "▶ orders").is_some() && !s.contains("^A apply all")
    });
    app.quit();
}

/// The badges on the line of `orders` in the list, in column order.
fn orders_badges(screen: &str) -> Vec<String> {
    let line = line_with(screen, "orders").unwrap_or_default();
    line.split_whitespace()
        .filter(|w| ["PASS", "FAIL", "WARN", "SKIP", "n/a"].contains(w))
        .map(str::to_string)
        .collect()
}

/// The newcomer's walk in the demo: the wizard applies every ready step of `orders` after
/// the confirm dialog, its four controls turn PASS; the journal view undoes it, and the
/// badges are back to what they were.
#[test]
fn the_demo_applies_every_step_of_orders_and_undoes_it_from_the_journal() {
    let mut app = App::start();
    wait_for_the_list(&mut app.screen);
    let before = orders_badges(&app.screen.shown());
    assert_eq!(before.len(), 4, "{before:?}");
    assert_ne!(before, ["PASS"; 4], "orders starts with work to do");

    app.press(b"j");
    app.screen
        .wait_for("orders selected", |s| line_with(s, "▶ orders").is_some());
    app.press(b"w");
    app.screen.wait_for("the wizard", |s| {
        s.contains("Harden orders (a1b2c3d4e5)") && s.contains("^A apply all")
    });
    app.press(b"\x01");
    app.screen.wait_for("the confirm dialog", |s| {
        s.contains("Confirm the apply") && s.contains("These 11 changes are sent in this order")
    });
    app.press(b"y");
    app.screen
        .wait_for("the result: every control of orders PASS", |s| {
            s.contains("✓ Done: all 11 changes were applied.")
                && s.contains("✓ Verified")
                && line_with(s, "orders (a1b2c3d4e5)   iam-auth")
                    .is_some_and(|l| l.matches("PASS").count() == 4)
        });

    app.press(b"\x1b");
    app.screen
        .wait_for("the wizard again", |s| s.contains("^A apply all"));
    app.press(b"\x1b");
    app.screen.wait_for("the list with orders all PASS", |s| {
        line_with(s, "▶ orders").is_some() && orders_badges(s) == ["PASS"; 4]
    });

    app.press(b"J");
    app.screen.wait_for("the journal view", |s| {
        s.contains("Journals in") && s.contains("1 apply or rollback")
    });
    app.press(b"u");
    app.screen.wait_for("the rollback's confirm dialog", |s| {
        s.contains("Confirm the rollback") && s.contains("These 11 changes are sent in this order")
    });
    app.press(b"y");
    app.screen.wait_for("the rollback's result", |s| {
        s.contains("Rollback: result") && s.contains("✓ Done: all 11 changes were applied.")
    });
    app.press(b"\x1b");
    app.screen.wait_for("the journal with both", |s| {
        s.contains("2 applies and rollbacks")
    });
    // Both are on disk, private: the apply's journal and the rollback's.
    let journals = app.journal_files();
    assert_eq!(journals.len(), 2, "{journals:?}");
    use std::os::unix::fs::PermissionsExt;
    for file in &journals {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    let read = |i: usize| ztharden::apply::load(&journals[i]).unwrap_or_else(|e| panic!("{e}"));
    let (apply, rollback) = (read(0), read(1));
    assert_eq!(apply.header.kind, ztharden::apply::JournalKind::Apply);
    assert_eq!(rollback.header.kind, ztharden::apply::JournalKind::Rollback);
    assert_eq!(rollback.header.rolls_back.as_deref(), Some(apply.id()));
    assert_eq!(rollback.applied_changes().len(), 11);
    app.press(b"\x1b");
    app.screen
        .wait_for("the list with the badges of before", |s| {
            line_with(s, "▶ orders").is_some() && orders_badges(s) == before
        });
    app.quit();
}
