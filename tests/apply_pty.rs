//! `ztharden apply` on a terminal: it asks before changing anything, and only `y` or `yes`
//! goes on. The real binary in a pseudo-terminal.

#[path = "support/cli.rs"]
mod cli;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use cli::{ACCOUNT, change_count, journals, plan};

const WAIT: Duration = Duration::from_secs(30);

/// Runs `apply PLAN` in a terminal, answers `answer` once asked; the exit code and all the
/// terminal showed.
fn apply_answering(state: &Path, plan: &Path, answer: &str) -> (u32, String) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ztharden"));
    command.args(["--demo", "--state-dir"]);
    command.arg(state);
    command.args(["apply", plan.to_str().unwrap()]);
    for var in ["ZTHARDEN_READ_ONLY", "ZTHARDEN_STATE_DIR", "AWS_PROFILE"] {
        command.env_remove(var);
    }
    command.env("XDG_STATE_HOME", state.join("xdg"));
    let mut child = pair
        .slave
        .spawn_command(command)
        .expect("the binary starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let mut keys = pair.master.take_writer().expect("a writer");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = String::new();
    wait_for(&rx, &mut shown, "[y/N] ");
    keys.write_all(answer.as_bytes()).unwrap();
    keys.flush().unwrap();
    let deadline = Instant::now() + WAIT;
    let status = loop {
        pump(&rx, &mut shown);
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "no exit; the terminal showed:\n{shown}"
        );
    };
    drain(&rx, &mut shown);
    (status.exit_code(), shown)
}

/// Everything the child wrote until the terminal closed: the reader's channel disconnects
/// once the child is gone (EOF or EIO on the terminal), so the last lines are never lost.
fn drain(rx: &Receiver<Vec<u8>>, shown: &mut String) {
    let deadline = Instant::now() + WAIT;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(bytes) => shown.push_str(&String::from_utf8_lossy(&bytes)),
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => assert!(
                Instant::now() < deadline,
                "the terminal did not close after the exit; it showed:\n{shown}"
            ),
        }
    }
}

fn pump(rx: &Receiver<Vec<u8>>, shown: &mut String) {
    if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(50)) {
        shown.push_str(&String::from_utf8_lossy(&bytes));
    }
    while let Ok(bytes) = rx.try_recv() {
        shown.push_str(&String::from_utf8_lossy(&bytes));
    }
}

fn wait_for(rx: &Receiver<Vec<u8>>, shown: &mut String, what: &str) {
    let deadline = Instant::now() + WAIT;
    while !shown.contains(what) {
        assert!(
            Instant::now() < deadline,
            "no {what:?}; the terminal showed:\n{shown}"
        );
        pump(rx, shown);
    }
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
