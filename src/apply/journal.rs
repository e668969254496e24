//! The apply journal: one file per apply or rollback, written before the first write to AWS
//! and extended as each change happens, so that a crash, a failure or a refusal always leaves
//! an exact account of what reached AWS, and a rollback knows exactly what to invert.
//!
//! # Where
//! `<state dir>/journals/<id>.jsonl`, where the state dir is the user's state directory
//! ([`default_state_dir`]) unless overridden. The directory is mode 0700, each file is created
//! with mode 0600 (never wider, not even for a moment).
//!
//! # Ids
//! `YYYYMMDDTHHMMSS.mmmZ-xxxxxx`: the UTC start time to the millisecond, then six hex digits
//! that tell apart journals started in the same millisecond. Ids (and file names) sort by time.
//!
//! # Format
//! JSON Lines, append-only: one JSON object per line, each tagged by `"record"`:
//! 1. `"header"` (exactly one, first): [`Header`]: the journal's id, `kind` (`apply` or
//!    `rollback`), `rolls_back` (the journal a rollback inverts), account, region,
//!    `started_at` (RFC 3339, UTC), `ztharden_version`, the whole [`Plan`] as reviewed, and
//!    `before`: what the drift check read just now for each change's target.
//! 2. `"change"` (at most one per change of the plan): [`ChangeRecord`]: the change's
//!    `index` in [`Plan::changes`], the [`Change`] itself, its `outcome` (`applied` with an
//!    optional result such as a new deployment or rule id, `failed` with AWS's message, or
//!    `not-run`), and `at`.
//! 3. `"closing"` (at most one, last): [`Closing`]: `complete`, `stopped-at-failure` or
//!    `refused-drift` (with the drifted resources), and `at`.
//!
//! Each record is written with a single `write` of the whole line and flushed to disk
//! (`fdatasync`) before the writer returns, so the caller may write to AWS only after the
//! journal says so. A crash can leave at most the last line torn; [`load`] tolerates and
//! reports it. A journal without a closing record was interrupted.
//!
//! The journal holds plans, policies, ids and AWS's messages: never credentials (no type
//! written here has a field for them).

mod read;
mod write;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plan::{Change, Plan};

pub use read::{JournalEntry, Listing, latest, list, load, load_id};
pub use write::{JournalWriter, Start};

/// The journal format version written in each header.
pub const JOURNAL_VERSION: u32 = 1;

/// The file extension of journal files.
const EXTENSION: &str = "jsonl";

/// The user's state directory for ztharden (XDG state dir, else the local data dir).
pub fn default_state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "ztharden")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// The journals' directory inside a state directory.
pub fn journal_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("journals")
}

/// What a journal records: an apply of a plan, or the rollback of an earlier journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JournalKind {
    Apply,
    Rollback,
}

impl JournalKind {
    /// `apply` or `rollback`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Apply => "apply",
            Self::Rollback => "rollback",
        }
    }
}

/// What the drift check found for one change's target just before the apply.
///
/// Kept per change rather than as a whole `Posture`: it is exactly what was compared with the
/// change's `expected` value, it stays small, and it holds no unrelated resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeforeValue {
    /// The change's index in [`Plan::changes`].
    pub index: usize,
    /// The resource read (an API, method, endpoint, group or stage).
    pub resource: String,
    /// The value found, in the shape of the change's `expected` value.
    pub found: serde_json::Value,
}

/// The first record: what is about to be applied, where, and what was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub version: u32,
    pub id: String,
    pub kind: JournalKind,
    /// For a rollback: the id of the journal it inverts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolls_back: Option<String>,
    pub account: String,
    pub region: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub ztharden_version: String,
    pub plan: Plan,
    pub before: Vec<BeforeValue>,
}

/// How one change went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum ChangeOutcome {
    /// AWS accepted it; `result` is what AWS returned that a rollback needs (e.g. the id of
    /// a new rule or deployment).
    Applied { result: crate::cloud::Applied },
    /// AWS refused it, in AWS's words.
    Failed { message: String },
    /// Not attempted (an earlier change failed, or drift refused the apply).
    NotRun,
}

/// One change as it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// Its index in [`Plan::changes`].
    pub index: usize,
    pub change: Change,
    #[serde(flatten)]
    pub outcome: ChangeOutcome,
    /// RFC 3339, UTC.
    pub at: String,
}

impl ChangeRecord {
    pub fn is_applied(&self) -> bool {
        matches!(self.outcome, ChangeOutcome::Applied { .. })
    }
}

/// A resource the drift check found changed since the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drifted {
    pub resource: String,
    /// What differs, in plain words.
    pub detail: String,
}

/// How the whole apply ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum ApplyOutcome {
    /// Every change applied.
    Complete,
    /// A change failed for good; the ones after it did not run.
    StoppedAtFailure,
    /// Targets changed since the plan: nothing was written.
    RefusedDrift { drifted: Vec<Drifted> },
    /// The operator stopped it between two changes; the ones after did not run.
    Stopped,
}

impl ApplyOutcome {
    /// One or two words for listings.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::StoppedAtFailure => "stopped at failure",
            Self::RefusedDrift { .. } => "refused: drift",
            Self::Stopped => "stopped by the operator",
        }
    }
}

/// The last record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closing {
    #[serde(flatten)]
    pub outcome: ApplyOutcome,
    /// RFC 3339, UTC.
    pub at: String,
}

/// One line of a journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "kebab-case")]
enum Record {
    Header(Box<Header>),
    Change(Box<ChangeRecord>),
    Closing(Closing),
}

/// A journal as read back from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    pub path: PathBuf,
    pub header: Header,
    /// The change records, in the order written.
    pub records: Vec<ChangeRecord>,
    /// `None`: the apply was interrupted (or is still running).
    pub closing: Option<Closing>,
    /// A last line cut short by a crash, and why it did not parse (the records before it
    /// are intact).
    pub torn: Option<String>,
}

impl Journal {
    pub fn id(&self) -> &str {
        &self.header.id
    }

    /// Exactly the changes recorded as applied, in the order they were applied, with their
    /// results: what a rollback must invert.
    pub fn applied_changes(&self) -> Vec<&ChangeRecord> {
        self.records.iter().filter(|r| r.is_applied()).collect()
    }
}

/// Why a journal could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}, line {line}: {message}", path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A misuse of the writer (a record that does not match the plan, a write after an
    /// earlier write failed) or a bad journal id.
    #[error("{0}")]
    Invalid(String),
}

impl JournalError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[cfg(test)]
mod tests;
