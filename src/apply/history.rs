//! What earlier rollbacks of a journal did, so that its next rollback undoes only what is
//! left: after a rollback that stopped half-way, or one that was itself rolled back.

use std::collections::BTreeMap;
use std::path::Path;

use super::inverse::undo_record;
use super::journal::{self, ChangeOutcome, JournalError};
use crate::cloud::Applied;
use crate::plan::Change;

/// How deep rollbacks of rollbacks are followed.
pub const MAX_NESTING: usize = 8;

/// What the rollbacks of one journal left in the account.
#[derive(Debug, Default)]
pub struct Undone {
    /// The changes those rollbacks made that stayed made (a rollback that was itself rolled
    /// back had some of its changes undone again).
    pub changes: Vec<Change>,
    /// The rollbacks that undid something that stayed undone.
    pub by: Vec<String>,
    /// Rules revoked by one rollback and restored by the next, which AWS gave a new id: the
    /// old id, then the new one.
    pub renamed: BTreeMap<String, String>,
}

impl Undone {
    /// The id a rule has now, after the restores that renamed it.
    pub fn current_rule_id<'a>(&'a self, mut id: &'a str) -> &'a str {
        for _ in 0..=MAX_NESTING {
            match self.renamed.get(id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }
}

/// What the rollbacks of journal `id` (and theirs, down to [`MAX_NESTING`]) left made.
pub fn undone(state_dir: &Path, id: &str) -> Result<Undone, HistoryError> {
    walk(state_dir, id, 0)
}

/// Why the history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(
        "journal {0} is a rollback of a rollback more than {MAX_NESTING} deep; undo by hand what is still needed"
    )]
    TooDeep(String),
}

fn walk(state_dir: &Path, id: &str, depth: usize) -> Result<Undone, HistoryError> {
    if depth > MAX_NESTING {
        return Err(HistoryError::TooDeep(id.to_string()));
    }
    let listing = journal::list(state_dir)?;
    let mut out = Undone::default();
    for entry in listing
        .entries
        .iter()
        .filter(|e| e.rolls_back.as_deref() == Some(id))
    {
        let rollback = journal::load_id(state_dir, &entry.id)?;
        let redone = walk(state_dir, &entry.id, depth + 1)?;
        out.renamed.extend(redone.renamed.clone());
        let mut kept = Vec::new();
        for record in rollback.applied_changes() {
            if let (Change::RestoreIngress { rule, .. }, ChangeOutcome::Applied { result }) =
                (&record.change, &record.outcome)
                && let Applied::RuleAdded { rule_id } = result
            {
                out.renamed.insert(rule.rule_id.clone(), rule_id.clone());
            }
            let undone_again = matches!(
                undo_record(&rollback, record),
                Some(Ok(reverse)) if redone.changes.contains(&reverse)
            );
            if !undone_again {
                kept.push(record.change.clone());
            }
        }
        if !kept.is_empty() {
            out.by.push(entry.id.clone());
        }
        out.changes.extend(kept);
    }
    Ok(out)
}
