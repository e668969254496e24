//! An apply or a rollback as the TUI follows it: each change of the plan in apply order with
//! its state, updated from the engine's events, then the engine's report, and what the result
//! does to the rest of the state. The keys of the progress and result views are in `keys`.

mod keys;

use time::OffsetDateTime;

pub use keys::{on_key, quit_or_ask};

use super::msg::Effect;
use super::state::{Message, Scanned, State};
use super::update;
use crate::apply::{self, ApplyEvent, ApplyOutcome, ApplyReport, ChangeOutcome};
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
    /// The call failed in a way that does not prove it was not made: the account is read.
    Checking,
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
            Self::Checking => "? checking".into(),
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
    /// Ctrl-C was pressed once while running; a second one stops the run and quits.
    pub quit_asked: bool,
    /// Asked to stop after the change being sent, then quit.
    pub stopping: bool,
}

impl Run {
    pub fn new(action: Action, title: impl Into<String>, plan: &Plan) -> Self {
        let changes: Vec<Change> = plan.changes().cloned().collect();
        // A plan the engine cannot order is refused by it; shown in plan order meanwhile.
        let order = apply::display_order(&changes);
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
            stopping: false,
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
            ApplyEvent::Checking { index, .. } => self.set(index, ChangeState::Checking),
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
                        ChangeState::Sending | ChangeState::Retrying(_) | ChangeState::Checking => {
                            ChangeState::Unknown
                        }
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
    scanned: Option<Box<Scanned>>,
    finished_at: OffsetDateTime,
) -> Vec<Effect> {
    let result = result.map(|report| *report);
    match state.run.as_mut() {
        Some(run) if run.stopping => {
            // Quit only when the report is whole; otherwise it is shown before anything else.
            let whole = matches!(
                &result,
                Ok(r) if matches!(r.outcome, ApplyOutcome::Stopped | ApplyOutcome::Complete)
            );
            run.finish(result);
            if whole {
                tracing::info!("the run stopped as asked; quitting");
                return vec![Effect::Quit];
            }
            run.stopping = false;
            state.message = Some(Message::error(
                "the run did not stop cleanly: read its result before quitting".to_string(),
            ));
        }
        Some(run) if run.is_running() => run.finish(result),
        _ => {
            tracing::warn!("an apply result with no apply running; dropped");
            return Vec::new();
        }
    }
    let mut effects = match scanned {
        Some(scanned) => {
            // Any scan still out read the account before these changes.
            state.generation += 1;
            state.scanning = None;
            update::install(state, *scanned, finished_at);
            Vec::new()
        }
        None => update::start_scan(state),
    };
    if state.journal.is_some() {
        effects.push(Effect::LoadJournals);
    }
    effects
}

/// "an apply" or "a rollback".
pub fn what(action: &Action) -> &'static str {
    match action {
        Action::Apply => "an apply",
        Action::Rollback { .. } => "a rollback",
    }
}
