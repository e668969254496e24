//! The posture browser and the guided wizard (review only: nothing is written).
//!
//! `state` holds everything shown; `update` turns messages (keys, scan progress and results)
//! into state changes and effects; `wizard` holds the wizard's state, its pickers and keys;
//! `view` draws a `&State`; `runtime` owns the terminal and the background scans;
//! `headless` runs the same state machine without a terminal.

pub mod headless;
pub mod msg;
mod runtime;
pub mod state;
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

use crate::cloud::Cloud;

/// How the TUI is run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TuiOptions {
    /// Draw without colours (`NO_COLOR`); badges keep their text.
    pub no_color: bool,
}

/// Run the TUI on the terminal until the user quits. The terminal is restored on
/// quit, on error and on panic.
pub async fn run(cloud: Arc<dyn Cloud>, options: TuiOptions) -> anyhow::Result<()> {
    runtime::run(cloud, options).await
}
