//! `ztharden journal`: the applies and rollbacks recorded under the state directory, newest
//! first; `ztharden journal show ID`: one of them in full. Reads local files only: no
//! credentials, no network.
//!
//! Exit codes: 0 listed or shown; 2 the directory or the journal cannot be read.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use ztharden::apply::{self, ApplyOutcome, JournalEntry, JournalKind, Listing, journal_dir};

use super::journal_show;

#[derive(Debug, Args)]
pub struct JournalArgs {
    #[command(subcommand)]
    pub command: Option<JournalCommand>,
    #[arg(long, value_enum, default_value_t = JournalFormat::Table)]
    pub format: JournalFormat,
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Print one journal: what was planned and read before, each change as it went, the end.
    Show {
        /// The journal's id (the first column of `ztharden journal`).
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JournalFormat {
    Table,
    Json,
}

pub fn run(state_dir: &Path, args: &JournalArgs) -> ExitCode {
    let dir = journal_dir(state_dir);
    if let Some(JournalCommand::Show { id }) = &args.command {
        return match apply::load_id(state_dir, id) {
            Ok(journal) => {
                print!("{}", journal_show::text(&journal));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "ztharden: journal {id} cannot be read: {e}; `ztharden journal` lists the \
                     journals in {}",
                    dir.display()
                );
                ExitCode::from(2)
            }
        };
    }
    let listing = match apply::list(state_dir) {
        Ok(listing) => listing,
        Err(e) => {
            eprintln!(
                "ztharden: the journals in {} cannot be listed: {e}; check the directory's \
                 permissions, or pass another --state-dir",
                dir.display()
            );
            return ExitCode::from(2);
        }
    };
    match args.format {
        JournalFormat::Table => print!("{}", table(&listing, &dir)),
        JournalFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&listing, &dir)).expect("JSON values serialise")
        ),
    }
    ExitCode::SUCCESS
}

/// RFC 3339 as "2026-12-04 18:26:11 UTC"; anything else as it is.
pub fn when(rfc3339: &str) -> String {
    OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()
        .and_then(|t| {
            t.to_offset(time::UtcOffset::UTC)
                .format(format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
                ))
                .ok()
        })
        .unwrap_or_else(|| rfc3339.to_string())
}

/// "apply", or "rollback of ID".
pub fn kind_label(kind: JournalKind, rolls_back: Option<&str>) -> String {
    match (kind, rolls_back) {
        (JournalKind::Apply, _) => "apply".into(),
        (JournalKind::Rollback, Some(id)) => format!("rollback of {id}"),
        (JournalKind::Rollback, None) => "rollback".into(),
    }
}

fn controls(e: &JournalEntry) -> String {
    let ids: Vec<&str> = e.controls.iter().map(|c| c.id()).collect();
    if ids.is_empty() {
        "-".into()
    } else {
        ids.join(",")
    }
}

/// The listing as a table, then the files that could not be read.
fn table(listing: &Listing, dir: &Path) -> String {
    let mut out = String::new();
    if listing.entries.is_empty() && listing.unreadable.is_empty() {
        return format!("no journals in {}\n", dir.display());
    }
    if !listing.entries.is_empty() {
        let mut rows = vec![
            [
                "ID", "STARTED", "KIND", "ACCOUNT", "REGION", "CONTROLS", "OUTCOME", "APPLIED",
                "FAILED", "NOT RUN", "",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for e in &listing.entries {
            rows.push(vec![
                e.id.clone(),
                when(&e.started_at),
                kind_label(e.kind, e.rolls_back.as_deref()),
                e.account.clone(),
                e.region.clone(),
                controls(e),
                e.outcome_label().to_string(),
                e.applied.to_string(),
                e.failed.to_string(),
                e.not_run.to_string(),
                if e.torn { "torn".into() } else { String::new() },
            ]);
        }
        out.push_str(&columns(&rows));
        if listing.entries.iter().any(|e| e.torn) {
            out.push_str(
                "\ntorn: the last line was cut short (a crash while writing it); the records \
                 before it are intact.\n",
            );
        }
    }
    if !listing.unreadable.is_empty() {
        out.push_str("\nCould not be read:\n");
        for (path, why) in &listing.unreadable {
            let shown = path.display().to_string();
            if why.contains(&shown) {
                out.push_str(&format!("  {why}\n"));
            } else {
                out.push_str(&format!("  {shown}: {why}\n"));
            }
        }
    }
    out
}

/// Rows as left-aligned columns two spaces apart, without trailing blanks.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The listing for scripts.
fn to_json(listing: &Listing, dir: &Path) -> Value {
    let journals: Vec<Value> = listing
        .entries
        .iter()
        .map(|e| {
            let (outcome, drifted) = match &e.outcome {
                None => ("interrupted".to_string(), None),
                Some(o) => {
                    let v = serde_json::to_value(o).expect("an outcome serialises");
                    let drifted = match o {
                        ApplyOutcome::RefusedDrift { .. } => Some(v["drifted"].clone()),
                        _ => None,
                    };
                    (
                        v["outcome"].as_str().unwrap_or_default().to_string(),
                        drifted,
                    )
                }
            };
            let mut doc = json!({
                "id": e.id,
                "path": e.path,
                "kind": serde_json::to_value(e.kind).expect("a kind serialises"),
                "rolls_back": e.rolls_back,
                "started_at": e.started_at,
                "account": e.account,
                "region": e.region,
                "controls": e.controls.iter().map(|c| c.id()).collect::<Vec<_>>(),
                "outcome": outcome,
                "applied": e.applied,
                "failed": e.failed,
                "not_run": e.not_run,
                "torn": e.torn,
            });
            if let Some(drifted) = drifted {
                doc["drifted"] = drifted;
            }
            doc
        })
        .collect();
    let unreadable: Vec<Value> = listing
        .unreadable
        .iter()
        .map(|(path, error)| json!({ "path": path, "error": error }))
        .collect();
    json!({ "journal_dir": dir, "journals": journals, "unreadable": unreadable })
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;
