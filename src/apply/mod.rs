//! Applying plans: the one place where a change reaches AWS ([`Engine`]), the journal that
//! records every apply and rollback on disk before and as it happens ([`journal`]), and the
//! inverse plans that roll them back.

mod compare;
mod engine;
mod history;
mod inverse;
pub mod journal;
mod options;
mod order;
mod report;

pub use compare::same_policy;
pub use engine::Engine;
pub use journal::{
    ApplyOutcome, BeforeValue, ChangeOutcome, ChangeRecord, Closing, Drifted, Header, Journal,
    JournalEntry, JournalError, JournalKind, JournalWriter, Listing, Start, default_state_dir,
    journal_dir, latest, list, load, load_id,
};
pub use options::{EngineOptions, Pacing, Retry, is_transient};
pub use order::{apply_order, display_order};
pub use report::{
    ApplyError, ApplyEvent, ApplyProgress, ApplyReport, ChangeResult, Check, ControlStatus,
    Verification,
};

#[cfg(test)]
mod tests;
