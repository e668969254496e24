//! `ztharden journal show ID`: one journal for people: the header, what the drift check read
//! before the first write, each change as it went, and how it ended.

use std::fmt::Write;

use super::journal::{kind_label, when};
use super::outcome::result_note;
use super::summary::count_by_call;
use ztharden::apply::{ApplyOutcome, ChangeOutcome, Journal};

/// How long a value read before may be on its line.
const VALUE_WIDTH: usize = 72;

pub fn text(journal: &Journal) -> String {
    let mut out = String::new();
    let h = &journal.header;
    let plan = &h.plan;
    let changes: Vec<_> = plan.changes().cloned().collect();
    let _ = writeln!(out, "Journal {}", h.id);
    let _ = writeln!(out, "  file:      {}", journal.path.display());
    let _ = writeln!(
        out,
        "  kind:      {}",
        kind_label(h.kind, h.rolls_back.as_deref())
    );
    let _ = writeln!(out, "  account:   {}, region {}", h.account, h.region);
    let _ = writeln!(
        out,
        "  started:   {} (ztharden {})",
        when(&h.started_at),
        h.ztharden_version
    );
    let _ = writeln!(
        out,
        "  plan:      made {}, {} changes: {}",
        when(&plan.created_at),
        changes.len(),
        count_by_call(&changes)
    );
    for step in plan.steps.iter().filter(|s| !s.changes.is_empty()) {
        let _ = writeln!(
            out,
            "             {}: {}",
            step.control,
            count_by_call(&step.changes)
        );
    }

    let _ = writeln!(out, "\nRead just before the first write (the drift check):");
    for b in &h.before {
        let summary = changes
            .get(b.index)
            .map_or_else(|| format!("change {}", b.index + 1), |c| c.summary());
        let _ = writeln!(out, "  [{}] {summary}", b.index + 1);
        let _ = writeln!(out, "      {}: {}", b.resource, value(&b.found));
    }

    let _ = writeln!(out, "\nChanges, as recorded:");
    if journal.records.is_empty() {
        let _ = writeln!(out, "  (none recorded)");
    }
    for r in &journal.records {
        let (word, note) = match &r.outcome {
            ChangeOutcome::Applied { result } => ("applied", result_note(result)),
            ChangeOutcome::Failed { message } => ("FAILED ", format!("\n      {message}")),
            ChangeOutcome::NotRun => ("not run", String::new()),
        };
        let _ = writeln!(
            out,
            "  [{}] {word}  {}  {}{note}",
            r.index + 1,
            when(&r.at),
            r.change.summary()
        );
    }
    let unrecorded: Vec<usize> = (0..changes.len())
        .filter(|i| !journal.records.iter().any(|r| r.index == *i))
        .collect();
    if !unrecorded.is_empty() && journal.closing.is_none() {
        let _ = writeln!(
            out,
            "  no record of {}: not made, or made just before the interruption: check them in \
             the account",
            unrecorded
                .iter()
                .map(|i| format!("[{}]", i + 1))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let _ = writeln!(out);
    match &journal.closing {
        Some(c) => {
            let _ = writeln!(out, "Closed {}: {}", when(&c.at), c.outcome.label());
            if let ApplyOutcome::RefusedDrift { drifted } = &c.outcome {
                for d in drifted {
                    let _ = writeln!(out, "  {}: {}", d.resource, d.detail);
                }
            }
        }
        None => {
            let _ = writeln!(
                out,
                "Not closed: the {} was interrupted (or is still running); check the account \
                 with `ztharden scan`",
                h.kind.label()
            );
        }
    }
    if let Some(torn) = &journal.torn {
        let _ = writeln!(
            out,
            "Torn: the last line was cut short ({torn}); the records before it are intact"
        );
    }
    out
}

/// A value read before, on one line: "none", a short string as it is, anything longer cut.
fn value(v: &serde_json::Value) -> String {
    let text = match v {
        serde_json::Value::Null => return "none".into(),
        serde_json::Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    };
    let n = text.chars().count();
    if n <= VALUE_WIDTH {
        text
    } else {
        let cut: String = text.chars().take(VALUE_WIDTH).collect();
        format!("{cut}... ({n} characters)")
    }
}
