//! What `apply` and `rollback` print while the engine runs (progress lines on stderr) and
//! after (the report on stdout), and the exit code that goes with it.
//!
//! Exit codes: 0 complete and verified; 1 refused for drift, stopped at a failure, or a change
//! that does not show in the account read after (or that read failed); 2 nothing was tried
//! (usage, configuration, read-only, wrong account, the account could not be read).

use std::fmt::Write;
use std::time::Duration;

use ztharden::apply::{
    ApplyError, ApplyEvent, ApplyOutcome, ApplyReport, ChangeOutcome, Engine, JournalKind,
    Verification, display_order,
};
use ztharden::cloud::Applied;
use ztharden::plan::{Change, Plan};
use ztharden::steps::Status;

use super::summary::plural;

/// Runs `work` (an apply or rollback); Ctrl-C asks the engine to stop after the change
/// being sent (it is journaled, the rest is not sent), a second Ctrl-C leaves at once.
pub async fn stoppable<T>(engine: &Engine, work: impl Future<Output = T>) -> T {
    tokio::pin!(work);
    let mut asked = false;
    loop {
        tokio::select! {
            done = &mut work => return done,
            signal = tokio::signal::ctrl_c() => {
                if signal.is_err() {
                    // No signal handling here: let the run finish.
                    return work.await;
                }
                if asked {
                    eprintln!(
                        "ztharden: interrupted: the change being sent may be missing from the \
                         journal; check the account (`ztharden scan`) and `ztharden journal`"
                    );
                    std::process::exit(130);
                }
                asked = true;
                engine.request_stop();
                eprintln!(
                    "ztharden: stopping after the change being sent (it is journaled); the rest \
                     is not sent. Ctrl-C again leaves at once"
                );
            }
        }
    }
}

/// Turns engine events into progress lines, numbered in the order the changes are made.
pub struct Progress {
    changes: Vec<Change>,
    /// For each change (by index in `Plan::changes`), its place in the apply order, from 1.
    places: Vec<usize>,
}

impl Progress {
    pub fn new(plan: &Plan) -> Self {
        let changes: Vec<Change> = plan.changes().cloned().collect();
        let order = display_order(&changes);
        let mut places = vec![0; changes.len()];
        for (at, &index) in order.iter().enumerate() {
            places[index] = at + 1;
        }
        Self { changes, places }
    }

    /// The line for `event`, if it gets one.
    pub fn line(&self, event: &ApplyEvent) -> Option<String> {
        let tag = |index: usize| {
            let summary = self
                .changes
                .get(index)
                .map_or_else(|| format!("change {index}"), Change::summary);
            let place = self.places.get(index).copied().unwrap_or(index + 1);
            (format!("[{place}/{}]", self.changes.len()), summary)
        };
        Some(match event {
            ApplyEvent::Reading => {
                "ztharden: reading the account to check that nothing changed since the plan".into()
            }
            ApplyEvent::Journaled { id, path } => {
                format!("ztharden: journal {id} opened at {}", path.display())
            }
            ApplyEvent::Pacing { .. } => return None,
            ApplyEvent::Started { index } => {
                let (tag, summary) = tag(*index);
                format!("{tag} started: {summary}")
            }
            ApplyEvent::Retrying {
                index,
                attempt,
                delay,
                error,
            } => {
                let (tag, summary) = tag(*index);
                format!(
                    "{tag} retrying in {} (try {attempt} was throttled): {summary}: {error}",
                    duration(*delay)
                )
            }
            ApplyEvent::Checking { index, error } => {
                let (tag, summary) = tag(*index);
                format!("{tag} checking whether it was made anyway: {summary}: {error}")
            }
            ApplyEvent::Finished { index, outcome } => {
                let (tag, summary) = tag(*index);
                match outcome {
                    ChangeOutcome::Applied { result } => {
                        format!("{tag} applied: {summary}{}", result_note(result))
                    }
                    ChangeOutcome::Failed { message } => {
                        format!("{tag} FAILED: {summary}: {message}")
                    }
                    ChangeOutcome::NotRun => format!("{tag} not run: {summary}"),
                }
            }
            ApplyEvent::Verifying => "ztharden: reading the account again to verify".into(),
        })
    }

    /// Prints the line for `event` on stderr.
    pub fn print(&self, event: &ApplyEvent) {
        if let Some(line) = self.line(event) {
            eprintln!("{line}");
        }
    }
}

fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// What AWS created, after a change's summary.
pub fn result_note(result: &Applied) -> String {
    match result {
        Applied::Done => String::new(),
        Applied::Deployed { deployment_id } => format!(" (deployment {deployment_id})"),
        Applied::RuleAdded { rule_id } => format!(" (rule {rule_id})"),
    }
}

/// The exit code of a finished run: 0 only when every change applied and shows.
pub fn exit_code(report: &ApplyReport) -> u8 {
    let verified = matches!(&report.verification, Some(Ok(v)) if v.all_took_effect());
    if report.succeeded() && verified { 0 } else { 1 }
}

/// The exit code of a run that did not finish: 1 if a change may have reached AWS, else 2.
pub fn error_code(error: &ApplyError) -> u8 {
    match error {
        ApplyError::Journal {
            after_write: true, ..
        } => 1,
        _ => 2,
    }
}

/// The report printed after a run.
pub fn report_text(report: &ApplyReport) -> String {
    let mut out = String::new();
    let what = match report.kind {
        JournalKind::Apply => "Apply",
        JournalKind::Rollback => "Rollback",
    };
    let (applied, failed) = (report.applied(), report.count(is_failed));
    let not_run = report.results.len() - applied - failed;
    let outcome = match &report.outcome {
        ApplyOutcome::Complete => "Complete",
        ApplyOutcome::StoppedAtFailure => "Stopped at failure",
        ApplyOutcome::Stopped => "Stopped as asked",
        ApplyOutcome::RefusedDrift { .. } => "Refused: the account changed since the plan",
    };
    let _ = writeln!(
        out,
        "\n{what}: {outcome} ({applied} applied, {failed} failed, {not_run} not run)"
    );
    if let ApplyOutcome::RefusedDrift { drifted } = &report.outcome {
        let _ = writeln!(out, "Nothing was changed. What differs from the plan:");
        for d in drifted {
            let _ = writeln!(out, "  {}: {}", d.resource, d.detail);
        }
    }
    let _ = writeln!(out, "Changes, in the order they are made:");
    for r in &report.results {
        let summary = r.change.summary();
        let _ = match &r.outcome {
            ChangeOutcome::Applied { result } => {
                writeln!(out, "  applied  {summary}{}", result_note(result))
            }
            ChangeOutcome::Failed { message } => {
                writeln!(out, "  FAILED   {summary}\n           {message}")
            }
            ChangeOutcome::NotRun => writeln!(out, "  not run  {summary}"),
        };
    }
    let _ = writeln!(
        out,
        "Journal: {} ({})",
        report.journal_id,
        report.journal_path.display()
    );
    match &report.verification {
        None => {}
        Some(Err(e)) => {
            let _ = writeln!(
                out,
                "Verification: the account could not be read again: {e}; check it with `ztharden scan`"
            );
        }
        Some(Ok(v)) => verification(&mut out, v),
    }
    next_steps(&mut out, report);
    out
}

fn is_failed(o: &ChangeOutcome) -> bool {
    matches!(o, ChangeOutcome::Failed { .. })
}

fn verification(out: &mut String, v: &Verification) {
    let _ = writeln!(out, "Verification (the account read again):");
    let mut api: Option<&str> = None;
    for c in &v.controls {
        if api != Some(c.api_id.as_str()) {
            api = Some(c.api_id.as_str());
            let _ = writeln!(out, "  {} ({})", c.api_name, c.api_id);
        }
        let badge = c.status.map_or("n/a", badge);
        let _ = writeln!(out, "    {:<16} {badge}", c.control.id());
    }
    let missing: Vec<_> = v.checks.iter().filter(|c| c.result.is_err()).collect();
    if missing.is_empty() {
        let n = v.checks.len();
        let _ = writeln!(
            out,
            "  {n} applied {} in effect.",
            plural(n, "change is", "changes are")
        );
    } else {
        let _ = writeln!(out, "  NOT in effect after the apply:");
        for c in missing {
            let found = c.result.as_ref().err().map_or("", String::as_str);
            let _ = writeln!(out, "    {}: {found}", c.summary);
        }
    }
}

fn badge(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::Skip => "SKIP",
    }
}

fn next_steps(out: &mut String, report: &ApplyReport) {
    let id = &report.journal_id;
    let line = match (&report.outcome, report.kind) {
        (ApplyOutcome::RefusedDrift { .. }, JournalKind::Apply) => {
            "Check what changed (`ztharden scan`), then make a new plan and review it.".to_string()
        }
        (ApplyOutcome::RefusedDrift { .. }, JournalKind::Rollback) => format!(
            "The account is no longer as the apply left it; check it (`ztharden scan`) and \
             undo by hand what is still needed (`ztharden journal show {id}` shows what was \
             found and each value the rollback would have set)."
        ),
        (ApplyOutcome::StoppedAtFailure, JournalKind::Apply) => format!(
            "Nothing after the failed change was made. Fix the cause and make a new plan, or \
             undo what was applied with `ztharden rollback {id}`."
        ),
        (ApplyOutcome::StoppedAtFailure | ApplyOutcome::Stopped, JournalKind::Rollback) => {
            let of = report.rolls_back.as_deref().unwrap_or("<id>");
            format!(
                "Nothing after the last change shown was made; `ztharden journal show {id}` shows \
                 what was undone. To undo the rest, fix the cause and run `ztharden rollback \
                 {of}` again: it undoes only what is left."
            )
        }
        (ApplyOutcome::Stopped, JournalKind::Apply) => format!(
            "Nothing after the last change shown was made. Make a new plan to go on, or undo \
             what was applied with `ztharden rollback {id}`."
        ),
        (ApplyOutcome::Complete, _) if exit_code(report) != 0 => {
            "Check the account with `ztharden scan` before going on.".to_string()
        }
        (ApplyOutcome::Complete, JournalKind::Apply) => {
            format!("To undo it: `ztharden rollback {id}`.")
        }
        (ApplyOutcome::Complete, JournalKind::Rollback) => return,
    };
    let _ = writeln!(out, "{line}");
}

#[cfg(test)]
#[path = "outcome_tests.rs"]
mod tests;
