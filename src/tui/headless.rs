//! The TUI without a terminal: drive it with messages and keys, run its scans inline, and
//! draw it on a `TestBackend`. Tests (and anything scripted) use this.

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
use super::view;
use crate::cloud::Cloud;

/// A TUI session with a fixed clock and terminal size.
pub struct Headless {
    pub state: State,
    cloud: Arc<dyn Cloud>,
    clock: OffsetDateTime,
    /// Effects returned by `update` and not yet run.
    pub pending: Vec<Effect>,
    /// Whether a `Quit` effect was seen.
    pub quit: bool,
}

impl Headless {
    pub fn new(
        cloud: Arc<dyn Cloud>,
        theme: Theme,
        size: (u16, u16),
        clock: OffsetDateTime,
    ) -> Self {
        let mut state = State::new(cloud.label().to_string(), theme);
        state.size = size;
        Self {
            state,
            cloud,
            clock,
            pending: Vec::new(),
            quit: false,
        }
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

    /// Type text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Run the pending scans to completion, feeding their progress and result back.
    pub async fn settle(&mut self) {
        while !self.pending.is_empty() {
            for effect in std::mem::take(&mut self.pending) {
                if let Effect::StartScan { generation } = effect {
                    let events = Mutex::new(Vec::new());
                    let report =
                        |msg: Msg| events.lock().unwrap_or_else(|p| p.into_inner()).push(msg);
                    let clock = self.clock;
                    let done = scan(self.cloud.as_ref(), generation, report, move || clock).await;
                    for msg in events.into_inner().unwrap_or_else(|p| p.into_inner()) {
                        self.send(msg);
                    }
                    self.send(done);
                }
            }
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
