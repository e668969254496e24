//! Writing a journal: the header at creation, then each change, then the closing record,
//! each flushed to disk before the call returns.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use super::{
    ApplyOutcome, BeforeValue, ChangeOutcome, ChangeRecord, Closing, EXTENSION, Header,
    JOURNAL_VERSION, JournalError, JournalKind, Record, journal_dir,
};
use crate::plan::{Change, Plan};

/// What a new journal starts with.
#[derive(Debug, Clone)]
pub struct Start {
    pub kind: JournalKind,
    /// For a rollback: the journal it inverts (required then, refused otherwise).
    pub rolls_back: Option<String>,
    pub account: String,
    pub region: String,
    pub plan: Plan,
    pub before: Vec<BeforeValue>,
}

/// An open journal. Every record is on disk when its method returns; after a failed write
/// the writer refuses any further record (the apply must stop).
#[derive(Debug)]
pub struct JournalWriter {
    id: String,
    path: PathBuf,
    file: File,
    changes: Vec<Change>,
    recorded: Vec<bool>,
    poisoned: bool,
    synced: usize,
}

impl JournalWriter {
    /// Creates the journal under `state_dir` and writes its header, now.
    pub fn begin(state_dir: &Path, start: Start) -> Result<Self, JournalError> {
        Self::begin_at(state_dir, start, OffsetDateTime::now_utc())
    }

    /// [`JournalWriter::begin`] with the start time given.
    pub fn begin_at(
        state_dir: &Path,
        start: Start,
        now: OffsetDateTime,
    ) -> Result<Self, JournalError> {
        match (start.kind, &start.rolls_back) {
            (JournalKind::Apply, Some(_)) => {
                return Err(JournalError::Invalid(
                    "an apply journal does not roll back another".into(),
                ));
            }
            (JournalKind::Rollback, None) => {
                return Err(JournalError::Invalid(
                    "a rollback journal names the journal it rolls back".into(),
                ));
            }
            _ => {}
        }
        let dir = journal_dir(state_dir);
        create_private_dir(&dir)?;
        let (id, path, file) = create_file(&dir, now)?;
        let changes: Vec<Change> = start.plan.changes().cloned().collect();
        let mut writer = Self {
            id: id.clone(),
            path,
            file,
            recorded: vec![false; changes.len()],
            changes,
            poisoned: false,
            synced: 0,
        };
        let header = Header {
            version: JOURNAL_VERSION,
            id,
            kind: start.kind,
            rolls_back: start.rolls_back,
            account: start.account,
            region: start.region,
            started_at: rfc3339(now),
            ztharden_version: env!("CARGO_PKG_VERSION").to_string(),
            plan: start.plan,
            before: start.before,
        };
        writer.append(&Record::Header(Box::new(header)))?;
        sync_dir(&dir)?;
        Ok(writer)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many records have been flushed to disk.
    pub fn synced_records(&self) -> usize {
        self.synced
    }

    /// Records how the change at `index` of the plan went. The change must be the plan's,
    /// and each change is recorded once.
    pub fn record(&mut self, index: usize, outcome: ChangeOutcome) -> Result<(), JournalError> {
        let Some(change) = self.changes.get(index).cloned() else {
            return Err(JournalError::Invalid(format!(
                "the plan has no change {index} (it has {})",
                self.changes.len()
            )));
        };
        if self.recorded[index] {
            return Err(JournalError::Invalid(format!(
                "change {index} is already recorded"
            )));
        }
        self.append(&Record::Change(Box::new(ChangeRecord {
            index,
            change,
            outcome,
            at: rfc3339(OffsetDateTime::now_utc()),
        })))?;
        self.recorded[index] = true;
        Ok(())
    }

    /// Closes the journal. Changes not recorded yet are recorded as `not-run` first (after
    /// a failure or a drift refusal); `complete` requires every change recorded as applied.
    pub fn close(mut self, outcome: ApplyOutcome) -> Result<PathBuf, JournalError> {
        if outcome == ApplyOutcome::Complete && self.recorded.iter().any(|r| !r) {
            return Err(JournalError::Invalid(
                "an apply with changes not recorded is not complete".into(),
            ));
        }
        for index in 0..self.changes.len() {
            if !self.recorded[index] {
                self.record(index, ChangeOutcome::NotRun)?;
            }
        }
        self.append(&Record::Closing(Closing {
            outcome,
            at: rfc3339(OffsetDateTime::now_utc()),
        }))?;
        Ok(self.path)
    }

    /// Writes one record as one line and flushes it to disk.
    fn append(&mut self, record: &Record) -> Result<(), JournalError> {
        if self.poisoned {
            return Err(JournalError::Invalid(format!(
                "{}: an earlier write failed; the journal takes no more records",
                self.path.display()
            )));
        }
        let mut line = serde_json::to_vec(record)
            .map_err(|e| JournalError::Invalid(format!("journal record: {e}")))?;
        line.push(b'\n');
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            self.poisoned = true;
            return Err(JournalError::io(&self.path, e));
        }
        self.synced += 1;
        Ok(())
    }
}

/// `dir` and its missing parents, mode 0700; an existing `dir` is narrowed to 0700.
fn create_private_dir(dir: &Path) -> Result<(), JournalError> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir).map_err(|e| JournalError::io(dir, e))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| JournalError::io(dir, e))?;
    }
    #[cfg(not(unix))]
    builder.create(dir).map_err(|e| JournalError::io(dir, e))?;
    Ok(())
}

/// A new file with a fresh id, created exclusively with mode 0600.
fn create_file(dir: &Path, now: OffsetDateTime) -> Result<(String, PathBuf, File), JournalError> {
    let stamp = now
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year][month][day]T[hour][minute][second].[subsecond digits:3]Z"
        ))
        .map_err(|e| JournalError::Invalid(format!("journal time: {e}")))?;
    for _ in 0..64 {
        let id = format!("{stamp}-{:06x}", suffix());
        let path = dir.join(format!("{id}.{EXTENSION}"));
        let mut options = OpenOptions::new();
        options.append(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(file) => return Ok((id, path, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(JournalError::io(&path, e)),
        }
    }
    Err(JournalError::Invalid(format!(
        "{}: no free journal name for {stamp}",
        dir.display()
    )))
}

/// Six hex digits that differ between calls of this process and between processes.
fn suffix() -> u32 {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = OffsetDateTime::now_utc().nanosecond();
    let mixed = (std::process::id().wrapping_mul(0x9e37_79b9))
        ^ nanos.rotate_left(7)
        ^ count.wrapping_mul(0x85eb_ca6b);
    mixed & 0xff_ffff
}

/// Makes the new file's name durable too.
fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| JournalError::io(dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// RFC 3339, UTC, to the millisecond.
pub(super) fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let millis = at.nanosecond() / 1_000_000 * 1_000_000;
    at.replace_nanosecond(millis)
        .unwrap_or(at)
        .format(&Rfc3339)
        .expect("a UTC time formats as RFC 3339")
}
