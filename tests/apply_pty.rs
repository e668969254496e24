//! `ztharden apply` on a terminal: it asks before changing anything, and only `y` or `yes`
//! goes on. The real binary in a pseudo-terminal.

mod support;

use std::path::Path;

use portable_pty::CommandBuilder;
use support::cli::{change_count, journals, plan};
use support::lab::ACCOUNT;
use support::pty::Pty;

/// Runs `apply PLAN` in a terminal, answers `answer` once asked; the exit code and all the
/// terminal showed, up to its closing.
fn apply_answering(state: &Path, plan: &Path, answer: &str) -> (u32, String) {
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ztharden"));
    command.args(["--demo", "--state-dir"]);
    command.arg(state);
    command.args(["apply", plan.to_str().unwrap()]);
    for var in ["ZTHARDEN_READ_ONLY", "ZTHARDEN_STATE_DIR", "AWS_PROFILE"] {
        command.env_remove(var);
    }
    command.env("XDG_STATE_HOME", state.join("xdg"));
    let mut pty = Pty::spawn(command, 50, 200, String::new());
    pty.wait_for("the question", |s| s.contains("[y/N] "));
    pty.press(answer.as_bytes());
    let status = pty.wait_exit(&format!("the answer {answer:?}"));
    pty.drain();
    (status.exit_code(), pty.sink)
}

#[test]
fn it_asks_and_applies_only_on_yes() {
    let dir = tempfile::tempdir().unwrap();
    let path = plan(dir.path());
    let n = change_count(&path);
    let question = format!("Apply these {n} changes to account {ACCOUNT} in us-east-1? [y/N] ");

    for no in ["n\r", "\r", "yess\r"] {
        let (code, shown) = apply_answering(dir.path(), &path, no);
        assert_eq!(code, 1, "{no:?}:\n{shown}");
        assert!(shown.contains(&question), "{shown}");
        assert!(
            shown.contains("not confirmed: nothing was changed"),
            "{shown}"
        );
        assert!(!shown.contains("started"), "{shown}");
        assert!(journals(dir.path()).is_empty(), "{no:?}: no journal");
    }

    let (code, shown) = apply_answering(dir.path(), &path, "YES\r");
    assert_eq!(code, 0, "{shown}");
    // The summary comes before the question, the progress and report after it.
    let asked = shown.find(&question).unwrap();
    assert!(
        shown[..asked].contains(&format!("{n} changes in all.")),
        "{shown}"
    );
    assert!(
        shown[asked..].contains(&format!("[1/{n}] started: ")),
        "{shown}"
    );
    assert!(
        shown[asked..].contains(&format!(
            "Apply: Complete ({n} applied, 0 failed, 0 not run)"
        )),
        "{shown}"
    );
    assert_eq!(journals(dir.path()).len(), 1);
}
