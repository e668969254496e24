//! The terminal side: raw mode and the alternate screen (restored on quit, on error and on
//! panic), one thread reading terminal events, scans spawned as tasks, and the loop that
//! feeds messages to `update` and draws.

use std::io;
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::AbortHandle;

use super::msg::{Effect, Msg};
use super::state::{Scanned, State};
use super::theme::Theme;
use super::update::update;
use super::{TuiOptions, view};
use crate::cloud::{Cloud, ReadEvent};

/// Whether this process has the terminal in raw mode on the alternate screen.
static TERMINAL_ACTIVE: AtomicBool = AtomicBool::new(false);

/// How often the input thread checks whether it should stop.
const INPUT_POLL: Duration = Duration::from_millis(100);

/// What reaches the loop: messages for `update`, or a crash of a background task.
enum Inbox {
    Msg(Msg),
    Crashed(String),
}

pub async fn run(cloud: Arc<dyn Cloud>, options: TuiOptions) -> anyhow::Result<()> {
    install_panic_hook();
    let _terminal_guard = enter_terminal().context("could not set up the terminal")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
        .context("could not open the terminal")?;

    let (tx, mut rx) = unbounded_channel::<Inbox>();
    let _input = InputThread::start(tx.clone());

    let mut state = State::new(cloud.label().to_string(), Theme::new(options.no_color));
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    let mut effects = update(&mut state, Msg::Refresh);
    let mut scan: Option<AbortHandle> = None;

    let outcome = loop {
        let mut quit = false;
        for effect in effects.drain(..) {
            match effect {
                Effect::StartScan { generation } => {
                    if let Some(old) = scan.take() {
                        old.abort();
                    }
                    scan = Some(spawn_scan(Arc::clone(&cloud), generation, tx.clone()));
                }
                Effect::Quit => quit = true,
            }
        }
        if quit {
            break Ok(());
        }
        terminal.draw(|frame| view::render(frame, &state))?;

        let Some(first) = rx.recv().await else {
            break Err(anyhow::anyhow!("the event channel closed unexpectedly"));
        };
        let mut inbox = vec![first];
        while let Ok(more) = rx.try_recv() {
            inbox.push(more);
        }
        let mut crash = None;
        for item in inbox {
            match item {
                Inbox::Msg(msg) => effects.extend(update(&mut state, msg)),
                Inbox::Crashed(why) => crash = Some(why),
            }
        }
        if let Some(why) = crash {
            break Err(anyhow::anyhow!(why));
        }
    };
    if let Some(scan) = scan {
        scan.abort();
    }
    terminal.show_cursor().ok();
    outcome
}

/// Read the posture and assess it; report progress as messages. Shared with headless runs.
pub(crate) async fn scan(
    cloud: &dyn Cloud,
    generation: u64,
    report: impl Fn(Msg) + Send + Sync,
    clock: impl FnOnce() -> OffsetDateTime,
) -> Msg {
    tracing::info!(generation, "scan started");
    let progress = |event: ReadEvent| report(Msg::ScanProgress { generation, event });
    let result = match cloud.read_posture(&progress).await {
        Ok(posture) => Ok(Box::new(Scanned::new(posture))),
        Err(e) => {
            tracing::warn!(generation, error = %e, "scan failed");
            Err(e.to_string())
        }
    };
    tracing::info!(generation, ok = result.is_ok(), "scan finished");
    Msg::ScanDone {
        generation,
        result,
        finished_at: clock(),
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_local().unwrap_or_else(|_| OffsetDateTime::now_utc())
}

fn spawn_scan(cloud: Arc<dyn Cloud>, generation: u64, tx: UnboundedSender<Inbox>) -> AbortHandle {
    let progress_tx = tx.clone();
    let task = tokio::spawn(async move {
        let report = move |msg: Msg| {
            let _ = progress_tx.send(Inbox::Msg(msg));
        };
        scan(cloud.as_ref(), generation, report, now).await
    });
    let abort = task.abort_handle();
    tokio::spawn(async move {
        match task.await {
            Ok(done) => {
                let _ = tx.send(Inbox::Msg(done));
            }
            Err(e) if e.is_panic() => {
                let what = panic_text(e.into_panic());
                tracing::error!(generation, %what, "the scan task panicked");
                let _ = tx.send(Inbox::Crashed(format!("the scan stopped on a bug: {what}")));
            }
            Err(_) => tracing::debug!(generation, "scan cancelled by a newer one"),
        }
    });
    abort
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Restores the terminal when dropped (normal exit and errors).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn enter_terminal() -> io::Result<TerminalGuard> {
    enable_raw_mode()?;
    TERMINAL_ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard;
    // Cleared here rather than by ratatui, which would ask the terminal for the cursor position.
    execute!(io::stdout(), EnterAlternateScreen, Clear(ClearType::All))?;
    Ok(guard)
}

fn restore_terminal() {
    if TERMINAL_ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
    }
}

/// On a panic anywhere, give the terminal back before the panic message is printed.
fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

/// The thread that turns terminal events into messages; stopped and joined when dropped.
struct InputThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl InputThread {
    fn start(tx: UnboundedSender<Inbox>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                let msg = match event::poll(INPUT_POLL) {
                    Ok(false) => continue,
                    Ok(true) => match event::read() {
                        Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                            Inbox::Msg(Msg::Key(key))
                        }
                        Ok(Event::Resize(width, height)) => {
                            Inbox::Msg(Msg::Resize { width, height })
                        }
                        Ok(_) => continue,
                        Err(e) => Inbox::Crashed(format!("reading the terminal failed: {e}")),
                    },
                    Err(e) => Inbox::Crashed(format!("reading the terminal failed: {e}")),
                };
                let crashed = matches!(msg, Inbox::Crashed(_));
                if tx.send(msg).is_err() || crashed {
                    break;
                }
            }
        });
        Self {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for InputThread {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}
