//! Applying plans: the one place where a change reaches AWS. So far, the journal that records
//! every apply and rollback on disk, before and as it happens (see [`journal`]).

pub mod journal;

pub use journal::{
    ApplyOutcome, BeforeValue, ChangeOutcome, ChangeRecord, Closing, Drifted, Header, Journal,
    JournalEntry, JournalError, JournalKind, JournalWriter, Listing, Start, default_state_dir,
    journal_dir, latest, list, load, load_id,
};
