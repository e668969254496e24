//! Reading journals back: one file, the newest, one by id, or a listing for people.

use std::path::{Path, PathBuf};

use super::{
    ApplyOutcome, ChangeOutcome, EXTENSION, Journal, JournalError, JournalKind, Record, journal_dir,
};
use crate::steps::Control;

/// Reads a journal. A last line cut short (a crash while writing it) is tolerated and
/// reported in [`Journal::torn`]; anything else malformed is an error.
pub fn load(path: &Path) -> Result<Journal, JournalError> {
    let bytes = std::fs::read(path).map_err(|e| JournalError::io(path, e))?;
    let corrupt = |line: usize, message: String| JournalError::Corrupt {
        path: path.to_path_buf(),
        line,
        message,
    };
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let mut header = None;
    let mut records = Vec::new();
    let mut closing = None;
    let mut torn = None;
    for (i, raw) in lines.iter().enumerate() {
        let number = i + 1;
        let last = i + 1 == lines.len();
        let record = match serde_json::from_slice::<Record>(raw) {
            Ok(record) if raw.ends_with(b"\n") => record,
            Ok(_) if last => {
                torn = Some(format!("line {number} ends without a newline"));
                break;
            }
            Err(e) if last => {
                torn = Some(format!("line {number}: {e}"));
                break;
            }
            Ok(_) => return Err(corrupt(number, "no newline".into())),
            Err(e) => return Err(corrupt(number, e.to_string())),
        };
        if closing.is_some() {
            return Err(corrupt(number, "a record after the closing record".into()));
        }
        match (record, &header) {
            (Record::Header(h), None) => header = Some(*h),
            (Record::Header(_), Some(_)) => {
                return Err(corrupt(number, "a second header".into()));
            }
            (_, None) => return Err(corrupt(number, "the first record is not a header".into())),
            (Record::Change(r), Some(_)) => records.push(*r),
            (Record::Closing(c), Some(_)) => closing = Some(c),
        }
    }
    let Some(header) = header else {
        return Err(corrupt(1, "no header".into()));
    };
    Ok(Journal {
        path: path.to_path_buf(),
        header,
        records,
        closing,
        torn,
    })
}

/// One journal, for `ztharden journal`.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub id: String,
    pub path: PathBuf,
    pub kind: JournalKind,
    pub rolls_back: Option<String>,
    pub started_at: String,
    pub account: String,
    pub region: String,
    /// The controls of the plan's steps that have changes, in control order.
    pub controls: Vec<Control>,
    /// `None`: interrupted (no closing record).
    pub outcome: Option<ApplyOutcome>,
    pub applied: usize,
    pub failed: usize,
    pub not_run: usize,
    /// The last line was torn by a crash.
    pub torn: bool,
}

impl JournalEntry {
    fn of(journal: Journal) -> Self {
        let count = |f: fn(&ChangeOutcome) -> bool| {
            journal.records.iter().filter(|r| f(&r.outcome)).count()
        };
        let mut controls: Vec<Control> = journal
            .header
            .plan
            .steps
            .iter()
            .filter(|s| !s.changes.is_empty())
            .map(|s| s.control)
            .collect();
        controls.sort();
        controls.dedup();
        Self {
            applied: count(|o| matches!(o, ChangeOutcome::Applied { .. })),
            failed: count(|o| matches!(o, ChangeOutcome::Failed { .. })),
            not_run: count(|o| matches!(o, ChangeOutcome::NotRun)),
            id: journal.header.id,
            path: journal.path,
            kind: journal.header.kind,
            rolls_back: journal.header.rolls_back,
            started_at: journal.header.started_at,
            account: journal.header.account,
            region: journal.header.region,
            controls,
            outcome: journal.closing.map(|c| c.outcome),
            torn: journal.torn.is_some(),
        }
    }

    /// The outcome in a word or two; "interrupted" without a closing record.
    pub fn outcome_label(&self) -> &'static str {
        self.outcome
            .as_ref()
            .map_or("interrupted", ApplyOutcome::label)
    }
}

/// The journals of a state directory, newest first.
#[derive(Debug, Default)]
pub struct Listing {
    pub entries: Vec<JournalEntry>,
    /// Journal files that could not be read, and why.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Lists the journals under `state_dir`, newest first. No journal directory: an empty list.
pub fn list(state_dir: &Path) -> Result<Listing, JournalError> {
    let mut listing = Listing::default();
    for path in files_newest_first(state_dir)? {
        match load(&path) {
            Ok(journal) => listing.entries.push(JournalEntry::of(journal)),
            Err(e) => listing.unreadable.push((path, e.to_string())),
        }
    }
    Ok(listing)
}

/// The newest journal under `state_dir`, if any. It is an error if it cannot be read: an
/// older one is never taken in its place.
pub fn latest(state_dir: &Path) -> Result<Option<Journal>, JournalError> {
    match files_newest_first(state_dir)?.first() {
        Some(path) => load(path).map(Some),
        None => Ok(None),
    }
}

/// The journal with this id under `state_dir`.
pub fn load_id(state_dir: &Path, id: &str) -> Result<Journal, JournalError> {
    let valid = !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !valid {
        return Err(JournalError::Invalid(format!("not a journal id: {id:?}")));
    }
    load(&journal_dir(state_dir).join(format!("{id}.{EXTENSION}")))
}

/// The journal files, newest first (their names sort by time).
fn files_newest_first(state_dir: &Path) -> Result<Vec<PathBuf>, JournalError> {
    let dir = journal_dir(state_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(JournalError::io(&dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| JournalError::io(&dir, e))?.path();
        if path.extension().is_some_and(|x| x == EXTENSION) && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| b.file_name().cmp(&a.file_name()));
    Ok(files)
}
