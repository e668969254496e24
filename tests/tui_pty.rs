//! End to end: the real binary with `--demo` in a pseudo-terminal, driven by keys.

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use std::num::NonZeroU16;

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 140;
/// Generous: the first frame comes at once, but CI machines can be slow.
const WAIT: Duration = Duration::from_secs(20);

/// The screen as the terminal shows it, fed from the child's output.
struct Screen {
    parser: vt100::Parser,
    output: Receiver<Vec<u8>>,
    closed: bool,
}

impl Screen {
    fn pump(&mut self, timeout: Duration) {
        match self.output.recv_timeout(timeout) {
            Ok(bytes) => self.parser.process(&bytes),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => self.closed = true,
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.parser.process(&bytes);
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Poll the screen until `ready` holds, or fail after the deadline with the screen shown.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            if ready(&self.text()) {
                return;
            }
            assert!(
                Instant::now() < deadline && !self.closed,
                "timed out waiting for {what}; the screen was:\n{}",
                self.text()
            );
            self.pump(Duration::from_millis(50));
        }
    }
}

fn wait_exit(
    child: &mut Box<dyn Child + Send + Sync>,
    screen: &mut Screen,
) -> portable_pty::ExitStatus {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = child.try_wait().expect("the child can be polled") {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!(
                "the app did not exit after q; the screen was:\n{}",
                screen.text()
            );
        }
        screen.pump(Duration::from_millis(50));
    }
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("the terminal has a size")
}

/// The line of the screen that contains `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

#[test]
fn the_demo_lists_api_paths_opens_a_detail_shows_help_and_quits() {
    let state_dir = tempfile::tempdir().expect("a temporary directory");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ztharden"));
    command.arg("--demo");
    command.env("TERM", "xterm-256color");
    command.env_remove("NO_COLOR");
    command.env("XDG_STATE_HOME", state_dir.path());
    command.env("HOME", state_dir.path());
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
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut screen = Screen {
        parser: vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0),
        output: rx,
        closed: false,
    };

    screen.wait_for("orders with its four badges", |s| {
        line_with(s, "orders").is_some_and(|l| {
            ["PASS", "FAIL", "WARN", "SKIP", "n/a"]
                .iter()
                .map(|b| l.matches(b).count())
                .sum::<usize>()
                == 4
        })
    });
    let list = screen.text();
    assert!(list.contains("SANDBOX"), "{list}");
    assert!(list.contains("111122223333"), "{list}");
    assert!(
        screen.parser.screen().alternate_screen(),
        "the TUI draws on the alternate screen"
    );

    keys.write_all(b"j").unwrap();
    screen.wait_for("orders selected (the list is sorted by name)", |s| {
        line_with(s, "▶ orders").is_some()
    });

    keys.write_all(b"\r").unwrap();
    screen.wait_for("the detail of orders", |s| {
        s.contains("METHODS") && s.contains("/orders/{id}") && s.contains("Esc back")
    });
    assert!(
        !screen.text().contains("▶ orders"),
        "the detail has the whole body"
    );

    keys.write_all(b"?").unwrap();
    screen.wait_for("the help overlay", |s| {
        s.contains("Keys") && s.contains("Badges")
    });

    keys.write_all(b"q").unwrap();
    let status = wait_exit(&mut child, &mut screen);
    assert!(
        status.success(),
        "exit status {status:?}; screen:\n{}",
        screen.text()
    );
    let deadline = Instant::now() + WAIT;
    while !screen.closed && Instant::now() < deadline {
        screen.pump(Duration::from_millis(50));
    }
    assert!(
        !screen.parser.screen().alternate_screen(),
        "the terminal is back on the main screen after quitting"
    );
}
