//! An apply or a rollback as the TUI follows it: each change of the plan in apply order with
//! its state, updated from the engine's events, then the engine's report. The keys of the
//! progress and result views, and what the result does to the rest of the state.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;

use super::msg::Effect;
use super::state::{Message, Scanned, State};
use super::{journal, update, view};
use crate::apply::{self, ApplyEvent, ApplyReport, ChangeOutcome};
use crate::plan::{Change, Plan};

/// What a run does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Apply a plan made in the wizard.
    Apply,
    /// Roll back what a journal applied.
    Rollback { journal_id: String },
}

impl Action {
    /// The verb of the confirm button.
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Apply => "Apply",
            Self::Rollback { .. } => "Roll back",
        }
    }

    /// The noun of the titles.
    pub fn noun(&self) -> &'static str {
        match self {
            Self::Apply => "Apply",
            Self::Rollback { .. } => "Rollback",
        }
    }
}

/// Where one change stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeState {
    Waiting,
    Sending,
    /// Throttled `n` times so far; tried again after a pause.
    Retrying(u32),
    Applied,
    /// AWS's message.
    Failed(String),
    NotRun,
    /// The run ended with an error while this change was being sent: it may have reached AWS.
    Unknown,
}

impl ChangeState {
    /// A mark and a word or two, for the lists.
    pub fn label(&self) -> String {
        match self {
            Self::Waiting => "· waiting".into(),
            Self::Sending => "… sending".into(),
            Self::Retrying(n) => format!("↻ retrying ({n})"),
            Self::Applied => "✓ applied".into(),
            Self::Failed(_) => "✗ failed".into(),
            Self::NotRun => "– not run".into(),
            Self::Unknown => "? unknown".into(),
        }
    }

    fn of(outcome: &ChangeOutcome) -> Self {
        match outcome {
            ChangeOutcome::Applied { .. } => Self::Applied,
            ChangeOutcome::Failed { message } => Self::Failed(message.clone()),
            ChangeOutcome::NotRun => Self::NotRun,
        }
    }
}

/// What the engine is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Asked for; no event yet.
    Starting,
    /// Reading the account for the drift check.
    Reading,
    /// The journal is on disk; the changes are being sent.
    Applying,
    /// Reading the account again to verify.
    Verifying,
    Done,
}

/// One apply or rollback, from the confirmation to its result.
#[derive(Debug, Clone)]
pub struct Run {
    pub action: Action,
    /// What is applied, in words (the confirm dialog's title).
    pub title: String,
    pub account: String,
    pub region: String,
    /// The plan's changes, by their index in `Plan::changes`.
    pub changes: Vec<Change>,
    /// The indices of `changes` in the order they are sent.
    pub order: Vec<usize>,
    /// The state of each change, by index.
    pub states: Vec<ChangeState>,
    pub phase: Phase,
    pub journal_id: Option<String>,
    /// The report, or why the run did not start or could not go on.
    pub result: Option<Result<ApplyReport, String>>,
    /// The first line of the view shown.
    pub scroll: u16,
    /// Ctrl-C was pressed once while running; a second one quits anyway.
    pub quit_asked: bool,
}

impl Run {
    pub fn new(action: Action, title: impl Into<String>, plan: &Plan) -> Self {
        let changes: Vec<Change> = plan.changes().cloned().collect();
        // A plan the engine cannot order is refused by it; shown in plan order meanwhile.
        let order = apply::apply_order(&changes).unwrap_or_else(|_| (0..changes.len()).collect());
        Self {
            action,
            title: title.into(),
            account: plan.account.clone(),
            region: plan.region.clone(),
            states: vec![ChangeState::Waiting; changes.len()],
            changes,
            order,
            phase: Phase::Starting,
            journal_id: None,
            result: None,
            scroll: 0,
            quit_asked: false,
        }
    }

    pub fn is_running(&self) -> bool {
        self.result.is_none()
    }

    /// The changes in the order they are sent, with their states.
    pub fn in_order(&self) -> impl Iterator<Item = (&Change, &ChangeState)> {
        self.order
            .iter()
            .filter_map(|&i| Some((self.changes.get(i)?, self.states.get(i)?)))
    }

    /// Take in one event of the engine.
    pub fn record(&mut self, event: ApplyEvent) {
        match event {
            ApplyEvent::Reading => self.phase = Phase::Reading,
            ApplyEvent::Journaled { id, .. } => {
                self.journal_id = Some(id);
                self.phase = Phase::Applying;
            }
            ApplyEvent::Pacing { .. } => {}
            ApplyEvent::Started { index } => self.set(index, ChangeState::Sending),
            ApplyEvent::Retrying { index, attempt, .. } => {
                self.set(index, ChangeState::Retrying(attempt))
            }
            ApplyEvent::Finished { index, outcome } => self.set(index, ChangeState::of(&outcome)),
            ApplyEvent::Verifying => self.phase = Phase::Verifying,
        }
    }

    fn set(&mut self, index: usize, to: ChangeState) {
        match self.states.get_mut(index) {
            Some(state) => *state = to,
            None => tracing::warn!(index, "an apply event for a change the plan does not have"),
        }
    }

    /// Take in the end of the run: the report's outcomes are the last word on each change.
    pub fn finish(&mut self, result: Result<ApplyReport, String>) {
        match &result {
            Ok(report) => {
                for r in &report.results {
                    self.set(r.index, ChangeState::of(&r.outcome));
                }
                self.journal_id = Some(report.journal_id.clone());
            }
            Err(_) => {
                for state in &mut self.states {
                    *state = match &*state {
                        ChangeState::Waiting => ChangeState::NotRun,
                        ChangeState::Sending | ChangeState::Retrying(_) => ChangeState::Unknown,
                        other => other.clone(),
                    };
                }
            }
        }
        self.phase = Phase::Done;
        self.result = Some(result);
    }
}

/// The engine reported the end of the run: show it, and show the account as it verified it
/// (a read again follows when it could not verify, or when nothing was written because the
/// account had changed).
pub fn done(
    state: &mut State,
    result: Result<Box<ApplyReport>, String>,
    finished_at: OffsetDateTime,
) -> Vec<Effect> {
    let result = result.map(|report| *report);
    let posture = match &result {
        Ok(report) => match &report.verification {
            Some(Ok(v)) => Some(v.posture.clone()),
            _ => None,
        },
        Err(_) => None,
    };
    match state.run.as_mut() {
        Some(run) if run.is_running() => run.finish(result),
        _ => {
            tracing::warn!("an apply result with no apply running; dropped");
            return Vec::new();
        }
    }
    let mut effects = match posture {
        Some(posture) => {
            // Any scan still out read the account before these changes.
            state.generation += 1;
            state.scanning = None;
            update::install(state, Scanned::new(posture), finished_at);
            Vec::new()
        }
        None => update::start_scan(state),
    };
    if state.journal.is_some() {
        effects.push(Effect::LoadJournals);
    }
    effects
}

/// Ctrl-C quits, except while an apply or rollback runs: the first one says what quitting
/// would leave behind, a second one quits anyway.
pub fn quit_or_ask(state: &mut State) -> Vec<Effect> {
    let Some(run) = state.run.as_mut().filter(|r| r.is_running()) else {
        return vec![Effect::Quit];
    };
    if run.quit_asked {
        tracing::warn!("quitting while an apply runs");
        return vec![Effect::Quit];
    }
    run.quit_asked = true;
    let what = what(&run.action);
    state.message = Some(Message::error(format!(
        "{what} is running: quitting now leaves it half-way (the journal keeps what was done: \
         J lists it and u undoes it after a restart). Press Ctrl-C again to quit anyway, or wait"
    )));
    Vec::new()
}

/// Keys while the progress or the result is shown (Ctrl-C and help are handled before).
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(run) = state.run.as_mut() else {
        return Vec::new();
    };
    run.quit_asked = false;
    let running = run.is_running();
    match key.code {
        KeyCode::Char('?') => state.help = true,
        KeyCode::Char('j') | KeyCode::Down => scroll_by(state, 1),
        KeyCode::Char('k') | KeyCode::Up => scroll_by(state, -1),
        KeyCode::Char('d') if ctrl => scroll_page(state, 1),
        KeyCode::Char('u') if ctrl => scroll_page(state, -1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll_page(state, 1),
        KeyCode::PageUp => scroll_page(state, -1),
        KeyCode::Char('g') | KeyCode::Home => scroll_by(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => scroll_by(state, isize::MAX / 2),
        KeyCode::Char('q') if running => {
            let what = what(&run.action);
            state.message = Some(Message::warn(format!(
                "{what} is running: q waits for its result, so that it is not left half-way \
                 (the journal records each change); Ctrl-C twice quits anyway"
            )));
        }
        KeyCode::Char('r') | KeyCode::Esc | KeyCode::Enter | KeyCode::Char('J') if running => {
            let what = what(&run.action);
            state.message = Some(Message::warn(format!(
                "{what} is running: wait for its result"
            )));
        }
        KeyCode::Char('q') => return vec![Effect::Quit],
        KeyCode::Esc | KeyCode::Enter => close(state),
        KeyCode::Char('r') => {
            close(state);
            return update::start_scan(state);
        }
        KeyCode::Char('J') => {
            close(state);
            if state.journal.is_none() {
                return journal::open(state);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// "an apply" or "a rollback".
pub fn what(action: &Action) -> &'static str {
    match action {
        Action::Apply => "an apply",
        Action::Rollback { .. } => "a rollback",
    }
}

/// Leave the result: back to the wizard or the journal view it was started from.
fn close(state: &mut State) {
    state.run = None;
}

fn scroll_page(state: &mut State, direction: isize) {
    let page = view::run::viewport(state).1.saturating_sub(1).max(1);
    scroll_by(state, direction * page as isize);
}

fn scroll_by(state: &mut State, delta: isize) {
    let (width, height) = view::run::viewport(state);
    let total = view::run::lines(state, width).len();
    let max = total.saturating_sub(usize::from(height));
    if let Some(run) = state.run.as_mut() {
        let to = usize::from(run.scroll)
            .saturating_add_signed(delta)
            .min(max);
        run.scroll = to.min(usize::from(u16::MAX)) as u16;
    }
}
