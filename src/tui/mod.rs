//! The posture browser, the guided wizard, and applying and undoing its plans.
//!
//! `state` holds everything shown; `update` turns messages (keys, scan and apply progress and
//! results) into state changes and effects; `wizard` holds the wizard's state, its pickers and
//! keys; `confirm` is the dialog before any write, `run` follows an apply or rollback, and
//! `journal` lists past ones to undo; `view` draws a `&State`; `runtime` owns the terminal and
//! runs the effects as background tasks (`tasks`); `headless` runs the same state machine
//! without a terminal.

pub mod confirm;
pub mod headless;
pub mod journal;
mod message;
pub mod msg;
pub mod run;
mod runtime;
mod scanned;
pub mod state;
mod tasks;
mod terminal;
pub mod theme;
pub mod update;
pub mod view;
pub mod wizard;

use std::sync::Arc;

pub use headless::Headless;
pub use msg::{Effect, Msg};
pub use state::{Focus, Scanned, State, View};
pub use theme::Theme;
pub use update::update;
pub use wizard::{Pane, Wizard};

use crate::apply::Engine;
use crate::cloud::Cloud;

/// How the TUI is run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TuiOptions {
    /// Draw without colours (`NO_COLOR`); badges keep their text.
    pub no_color: bool,
}

/// Run the TUI on the terminal until the user quits. The terminal is restored on
/// quit, on error and on panic. Every write goes through `engine` (over the same `cloud`),
/// after the operator confirmed it; a read-only engine makes the TUI offer none.
pub async fn run(
    cloud: Arc<dyn Cloud>,
    engine: Arc<Engine>,
    options: TuiOptions,
) -> anyhow::Result<()> {
    runtime::run(cloud, engine, options).await
}
