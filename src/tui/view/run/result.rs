//! The result of an apply or rollback, in words: the outcome, what drifted or failed and what
//! did not run, the verification with each control's new status, the journal, what next.

use ratatui::text::{Line, Span};

use crate::apply::{ApplyOutcome, ApplyReport, ChangeOutcome, Verification};
use crate::tui::run::{Action, Run};
use crate::tui::theme::Theme;

pub fn lines(run: &Run, result: &Result<ApplyReport, String>, t: Theme) -> Vec<Line<'static>> {
    match result {
        Ok(report) => report_lines(run, report, t),
        Err(why) => vec![
            Line::styled(
                format!("✗ {} did not complete: {why}", noun(&run.action)),
                t.error(),
            ),
            Line::raw(""),
            Line::styled(
                "The account is being read again, so that what is shown is what is there now.",
                t.dim(),
            ),
        ],
    }
}

fn noun(action: &Action) -> &'static str {
    match action {
        Action::Apply => "The apply",
        Action::Rollback { .. } => "The rollback",
    }
}

fn report_lines(run: &Run, report: &ApplyReport, t: Theme) -> Vec<Line<'static>> {
    let total = report.results.len();
    let applied = report.applied();
    let mut lines = Vec::new();
    match &report.outcome {
        ApplyOutcome::Complete => lines.push(Line::styled(
            match total {
                1 => "✓ Done: the change was applied.".to_string(),
                n => format!("✓ Done: all {n} changes were applied."),
            },
            t.ready(),
        )),
        ApplyOutcome::Stopped => lines.push(Line::styled(
            format!(
                "■ Stopped as asked: {applied} of {total} changes applied; the rest was not sent."
            ),
            t.error(),
        )),
        ApplyOutcome::StoppedAtFailure => {
            lines.push(Line::styled(
                format!(
                    "✗ Stopped at a failure: {applied} of {total} changes applied; the rest did not run."
                ),
                t.error(),
            ));
            lines.extend(failure_lines(report, t));
        }
        ApplyOutcome::RefusedDrift { drifted } => {
            lines.push(Line::styled(
                "✗ Refused: the account changed since the plan was made. Nothing was sent.",
                t.error(),
            ));
            for d in drifted {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}", d.resource), t.value()),
                    Span::raw(format!(": {}", d.detail)),
                ]));
            }
            lines.push(Line::styled(
                "The account is being read again: back in the wizard (Esc), the plan is made \
                 again from what is there now; review it before applying.",
                t.dim(),
            ));
        }
    }
    lines.push(Line::raw(""));
    match &report.verification {
        Some(Ok(v)) => lines.extend(verification_lines(v, t)),
        Some(Err(e)) => lines.push(Line::styled(
            format!(
                "! The account could not be read again to verify: {e}. It is being read again; \
                 r retries."
            ),
            t.warn(),
        )),
        None => {}
    }
    lines.push(Line::from(vec![
        Span::styled("Journal ", t.label()),
        Span::styled(report.journal_id.clone(), t.value()),
        Span::styled(
            match (&run.action, applied) {
                (_, 0) => "  (nothing to undo)".to_string(),
                (Action::Apply, _) => "  J lists it; u there undoes it".to_string(),
                (Action::Rollback { journal_id }, _) => format!("  (rollback of {journal_id})"),
            },
            t.dim(),
        ),
    ]));
    lines
}

/// The change that failed with AWS's words, the ones that did not run, and what to do.
fn failure_lines(report: &ApplyReport, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for r in &report.results {
        if let ChangeOutcome::Failed { message } = &r.outcome {
            lines.push(Line::from(vec![
                Span::styled("  failed: ", t.error()),
                Span::styled(r.change.summary(), t.value()),
                Span::styled(format!(" ({})", r.change.aws_call()), t.dim()),
            ]));
            lines.push(Line::styled(format!("    AWS said: {message}"), t.error()));
        }
    }
    let not_run: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.outcome == ChangeOutcome::NotRun)
        .map(|r| r.change.summary())
        .collect();
    if !not_run.is_empty() {
        lines.push(Line::styled("  not run:", t.dim()));
        for summary in not_run {
            lines.push(Line::raw(format!("    {summary}")));
        }
    }
    lines.push(Line::styled(
        "Fix what AWS says and apply again (the wizard plans from the account as it is now), \
         or undo what was applied: J, then u on this journal.",
        t.dim(),
    ));
    lines
}

/// Whether each applied change shows in the account, and each control's status now.
fn verification_lines(v: &Verification, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if v.all_took_effect() {
        lines.push(Line::styled(
            "✓ Verified: every applied change shows in the account.",
            t.ready(),
        ));
    } else {
        lines.push(Line::styled("✗ Not in effect after the apply:", t.error()));
        for check in &v.checks {
            if let Err(found) = &check.result {
                lines.push(Line::styled(
                    format!("  {}: {found}", check.summary),
                    t.error(),
                ));
            }
        }
    }
    lines.push(Line::styled("Controls now", t.heading()));
    let mut api: Option<&str> = None;
    for c in &v.controls {
        if api != Some(c.api_id.as_str()) {
            api = Some(c.api_id.as_str());
            lines.push(Line::styled(
                format!("  {} ({})", c.api_name, c.api_id),
                t.value(),
            ));
        }
        if let Some(last) = lines.last_mut() {
            last.spans
                .push(Span::raw(format!("   {} ", c.control.id())));
            last.spans.push(t.badge(c.status));
        }
    }
    lines.push(Line::raw(""));
    lines
}
