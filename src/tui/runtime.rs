//! The terminal side: raw mode and the alternate screen (restored on quit, on error and on
//! panic), one thread reading terminal events, scans, applies, rollbacks and journal reads
//! spawned as tasks, and the loop that feeds messages to `update` and draws.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::AbortHandle;

use super::msg::{Effect, Msg};
use super::state::{Scanned, State};
use super::terminal::{enter_terminal, install_panic_hook};
use super::theme::Theme;
use super::update::update;
use super::{TuiOptions, tasks, view};
use crate::apply::Engine;
use crate::cloud::{Cloud, ReadEvent};

/// How often the input thread checks whether it should stop.
const INPUT_POLL: Duration = Duration::from_millis(100);

/// What reaches the loop: messages for `update`, or a crash of a background task.
enum Inbox {
    Msg(Msg),
    Crashed(String),
}

pub async fn run(
    cloud: Arc<dyn Cloud>,
    engine: Arc<Engine>,
    options: TuiOptions,
) -> anyhow::Result<()> {
    install_panic_hook();
    let _terminal_guard = enter_terminal().context("could not set up the terminal")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
        .context("could not open the terminal")?;

    let (tx, mut rx) = unbounded_channel::<Inbox>();
    let _input = InputThread::start(tx.clone());

    let mut state = State::new(cloud.label().to_string(), Theme::new(options.no_color));
    state.read_only = engine.is_read_only();
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
                Effect::Apply { plan } => {
                    let engine = Arc::clone(&engine);
                    let report = reporter(&tx);
                    spawn(&tx, "apply", async move {
                        tasks::apply(&engine, &plan, report, now).await
                    });
                }
                Effect::Rollback { journal_id, plan } => {
                    let engine = Arc::clone(&engine);
                    let report = reporter(&tx);
                    spawn(&tx, "rollback", async move {
                        tasks::rollback(&engine, &journal_id, &plan, report, now).await
                    });
                }
                Effect::StopRun => engine.request_stop(),
                Effect::LoadJournals => {
                    let dir = engine.state_dir().to_path_buf();
                    spawn_blocking(&tx, "journal listing", move || tasks::load_journals(&dir));
                }
                Effect::PlanRollback { journal_id } => {
                    let engine = Arc::clone(&engine);
                    spawn_blocking(&tx, "rollback plan", move || {
                        tasks::plan_rollback(&engine, &journal_id)
                    });
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

/// Sends each message of a task to the loop.
fn reporter(tx: &UnboundedSender<Inbox>) -> impl Fn(Msg) + Send + Sync + 'static {
    let tx = tx.clone();
    move |msg: Msg| {
        let _ = tx.send(Inbox::Msg(msg));
    }
}

/// Run a task to its message; a panic in it ends the TUI with the panic's text.
fn spawn(
    tx: &UnboundedSender<Inbox>,
    what: &'static str,
    task: impl Future<Output = Msg> + Send + 'static,
) {
    let tx = tx.clone();
    let task = tokio::spawn(task);
    tokio::spawn(async move {
        let inbox = match task.await {
            Ok(msg) => Inbox::Msg(msg),
            Err(e) => {
                let why = if e.is_panic() {
                    panic_text(e.into_panic())
                } else {
                    "cancelled".to_string()
                };
                tracing::error!(what, %why, "a task stopped on a bug");
                Inbox::Crashed(format!(
                    "the {what} stopped on a bug: {why}; if it was writing, its journal says \
                     what was done (ztharden journal)"
                ))
            }
        };
        let _ = tx.send(inbox);
    });
}

/// [`spawn`] for work that blocks (file reads).
fn spawn_blocking(
    tx: &UnboundedSender<Inbox>,
    what: &'static str,
    work: impl FnOnce() -> Msg + Send + 'static,
) {
    let task = tokio::task::spawn_blocking(work);
    spawn(tx, what, async move {
        match task.await {
            Ok(msg) => msg,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("{e}"),
        }
    });
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
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
