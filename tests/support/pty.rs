//! The real binary in a pseudo-terminal: its keyboard, and what it writes, read on a thread
//! and fed to a [`Sink`] (the raw text, or a [`Screen`] that renders it as a terminal does).
//!
//! ```ignore
//! let mut pty = Pty::spawn(command, 50, 200, String::new());
//! pty.wait_for("the question", |s| s.contains("[y/N] "));
//! pty.press(b"y\r");
//! let status = pty.wait_exit("apply");
//! pty.drain(); // every last line, up to the terminal closing
//! ```

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, PtySize, native_pty_system};

/// How long anything may take: generous, as CI machines can be slow.
pub const WAIT: Duration = Duration::from_secs(30);

/// How often the output is looked at while waiting.
const POLL: Duration = Duration::from_millis(50);

/// What takes the terminal's output.
pub trait Sink {
    fn feed(&mut self, bytes: &[u8]);
    /// What has been shown so far, as text.
    fn shown(&self) -> String;
}

/// Everything written, as it came (escape sequences and all).
impl Sink for String {
    fn feed(&mut self, bytes: &[u8]) {
        self.push_str(&String::from_utf8_lossy(bytes));
    }

    fn shown(&self) -> String {
        self.clone()
    }
}

/// The screen as the terminal shows it.
pub struct Screen {
    pub parser: vt100::Parser,
}

impl Screen {
    pub fn new(rows: u16, cols: u16) -> Self {
        let size = |n| NonZeroU16::new(n).expect("the terminal has a size");
        Self {
            parser: vt100::Parser::new(size(rows), size(cols), 0),
        }
    }
}

impl Sink for Screen {
    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
    }

    fn shown(&self) -> String {
        self.parser.screen().contents()
    }
}

/// A child in a pseudo-terminal, and what it showed.
pub struct Pty<S: Sink> {
    pub child: Box<dyn Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    pub sink: S,
    /// The terminal closed: the child and everything it started are gone.
    pub closed: bool,
}

impl<S: Sink> Pty<S> {
    /// Starts `command` in a terminal of `rows` x `cols`, its output fed to `sink`.
    pub fn spawn(command: CommandBuilder, rows: u16, cols: u16, sink: S) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let child = pair
            .slave
            .spawn_command(command)
            .expect("the binary starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let keys = pair.master.take_writer().expect("a writer");
        let (tx, output) = channel();
        // Reads until EOF, or EIO once the child is gone; then the channel disconnects.
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
        Self {
            child,
            keys,
            output,
            sink,
            closed: false,
        }
    }

    /// Types `keys`.
    pub fn press(&mut self, keys: &[u8]) {
        self.keys.write_all(keys).expect("the child reads its keys");
        self.keys.flush().expect("the keys are sent");
    }

    /// What the terminal showed so far.
    pub fn shown(&self) -> String {
        self.sink.shown()
    }

    /// Feeds what arrives within `timeout`, and whatever else is waiting, to the sink.
    pub fn pump(&mut self, timeout: Duration) {
        match self.output.recv_timeout(timeout) {
            Ok(bytes) => self.sink.feed(&bytes),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => self.closed = true,
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.sink.feed(&bytes);
        }
    }

    /// Polls until `ready` holds for what is shown; fails after [`WAIT`], or once the
    /// terminal closed without it, showing what it showed.
    pub fn wait_for(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            if ready(&self.shown()) {
                return;
            }
            assert!(
                Instant::now() < deadline && !self.closed,
                "timed out waiting for {what}; the terminal showed:\n{}",
                self.shown()
            );
            self.pump(POLL);
        }
    }

    /// Waits for the child to exit (`after`: what should have made it), reading meanwhile;
    /// kills it and fails after [`WAIT`].
    pub fn wait_exit(&mut self, after: &str) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be polled") {
                return status;
            }
            if Instant::now() > deadline {
                self.child.kill().ok();
                panic!(
                    "no exit after {after}; the terminal showed:\n{}",
                    self.shown()
                );
            }
            self.pump(POLL);
        }
    }

    /// Reads until the terminal closes (the child is gone), so no last line is lost; fails
    /// after [`WAIT`].
    pub fn drain(&mut self) {
        let deadline = Instant::now() + WAIT;
        while !self.closed {
            assert!(
                Instant::now() < deadline,
                "the terminal did not close; it showed:\n{}",
                self.shown()
            );
            self.pump(POLL);
        }
    }
}
