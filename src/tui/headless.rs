//! The TUI without a terminal: drive it with messages and keys, run its effects (scans,
//! applies, rollbacks, journal reads) inline, and draw it on a `TestBackend`. Tests (and
//! anything scripted) use this.

use std::sync::{Arc, Mutex};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::OffsetDateTime;

use super::msg::{Effect, Msg};
use super::runtime::scan;
use super::state::State;
use super::theme::Theme;
use super::update::update;
use super::{tasks, view};
use crate::apply::{ApplyError, Engine};
use crate::cloud::Cloud;

/// A TUI session with a fixed clock and terminal size.
pub struct Headless {
    pub state: State,
    cloud: Arc<dyn Cloud>,
    /// What applies and rolls back; `None`: the session only reads (it is read-only).
    engine: Option<Arc<Engine>>,
    clock: OffsetDateTime,
    /// Effects returned by `update` and not yet run.
    pub pending: Vec<Effect>,
    /// Whether a `Quit` effect was seen.
    pub quit: bool,
}

impl Headless {
    /// A session that reads only: no engine, so nothing can be applied (it shows READ-ONLY)
    /// and there are no journals.
    pub fn new(
        cloud: Arc<dyn Cloud>,
        theme: Theme,
        size: (u16, u16),
        clock: OffsetDateTime,
    ) -> Self {
        let mut state = State::new(cloud.label().to_string(), theme);
        state.size = size;
        state.read_only = true;
        Self {
            state,
            cloud,
            engine: None,
            clock,
            pending: Vec::new(),
            quit: false,
        }
    }

    /// A session that applies and rolls back through `engine` (made over the same `cloud`).
    pub fn with_engine(
        cloud: Arc<dyn Cloud>,
        engine: Arc<Engine>,
        theme: Theme,
        size: (u16, u16),
        clock: OffsetDateTime,
    ) -> Self {
        let mut session = Self::new(cloud, theme, size, clock);
        session.state.read_only = engine.is_read_only();
        session.engine = Some(engine);
        session
    }

    /// Apply a message; remember its effects.
    pub fn send(&mut self, msg: Msg) {
        let effects = update(&mut self.state, msg);
        self.quit |= effects.contains(&Effect::Quit);
        self.pending.extend(effects);
    }

    /// Press a key without modifiers (Shift-Tab is `KeyCode::BackTab`).
    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// Press a key with modifiers (`Ctrl-A`: `KeyCode::Char('a')`, `KeyModifiers::CONTROL`).
    pub fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, modifiers)));
    }

    /// Type text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Run the pending effects to completion (and those they lead to), feeding their progress
    /// and results back.
    pub async fn settle(&mut self) {
        while !self.pending.is_empty() {
            for effect in std::mem::take(&mut self.pending) {
                self.run(effect).await;
            }
        }
    }

    /// Run one effect, as the runtime would.
    pub async fn run(&mut self, effect: Effect) {
        let events = Mutex::new(Vec::new());
        let report = |msg: Msg| events.lock().unwrap_or_else(|p| p.into_inner()).push(msg);
        let clock = self.clock;
        let at = move || clock;
        let engine = self.engine.clone();
        let read_only = || Msg::ApplyDone {
            scanned: None,
            result: Err(ApplyError::ReadOnly.to_string()),
            finished_at: clock,
        };
        let done = match (effect, engine) {
            (Effect::StartScan { generation }, _) => {
                Some(scan(self.cloud.as_ref(), generation, report, at).await)
            }
            (Effect::Apply { plan }, Some(engine)) => {
                Some(tasks::apply(&engine, &plan, report, at).await)
            }
            (Effect::Rollback { journal_id, plan }, Some(engine)) => {
                Some(tasks::rollback(&engine, &journal_id, &plan, report, at).await)
            }
            (Effect::StopRun, Some(engine)) => {
                engine.request_stop();
                None
            }
            (Effect::StopRun, None) => None,
            (Effect::LoadJournals, Some(engine)) => Some(tasks::load_journals(engine.state_dir())),
            (Effect::PlanRollback { journal_id }, Some(engine)) => {
                Some(tasks::plan_rollback(&engine, &journal_id))
            }
            (Effect::Apply { .. } | Effect::Rollback { .. }, None) => Some(read_only()),
            (Effect::LoadJournals, None) => Some(Msg::JournalsLoaded(Err(
                "this session has no state directory: it reads only".into(),
            ))),
            (Effect::PlanRollback { journal_id }, None) => Some(Msg::RollbackPlanned {
                journal_id,
                result: Err(ApplyError::ReadOnly.to_string()),
            }),
            (Effect::Quit, _) => None,
        };
        for msg in events.into_inner().unwrap_or_else(|p| p.into_inner()) {
            self.send(msg);
        }
        if let Some(done) = done {
            self.send(done);
        }
    }

    /// Refresh and wait for the scan: the state a user sees once the first scan is done.
    pub async fn scanned(mut self) -> Self {
        self.send(Msg::Refresh);
        self.settle().await;
        self
    }

    /// Draw the current state at the session's size.
    pub fn draw(&self) -> Terminal<TestBackend> {
        let (width, height) = self.state.size;
        let mut terminal =
            Terminal::new(TestBackend::new(width, height)).expect("a test backend never fails");
        terminal
            .draw(|frame| view::render(frame, &self.state))
            .expect("a test backend never fails");
        terminal
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let terminal = self.draw();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            for x in 0..buffer.area.width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
