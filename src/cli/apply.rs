//! `ztharden apply PLAN.json`: show the plan, refuse what cannot run, ask, apply through the
//! engine with progress on stderr, and report the outcome and the verification on stdout.
//!
//! Exit codes: see [`super::outcome`]; declining at the prompt exits 1 (nothing changed).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use ztharden::apply::{ApplyError, ApplyEvent, Engine};

use super::confirm::{self, Consent};
use super::summary::plan_summary;
use super::{Reach, outcome, plan_file};

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The plan file written by `ztharden plan --out`.
    #[arg(value_name = "PLAN.json")]
    pub plan: PathBuf,
    /// Apply without asking (required when there is no terminal to ask on).
    #[arg(long)]
    pub yes: bool,
}

pub async fn run(engine: &Engine, reach: &Reach, args: &ApplyArgs) -> ExitCode {
    if engine.is_read_only() {
        return refuse(&ApplyError::ReadOnly.to_string());
    }
    let plan = match plan_file::read(&args.plan) {
        Ok(plan) => plan,
        Err(why) => return refuse(&why),
    };
    print!(
        "{}",
        plan_summary(&plan, &format!("Plan {}", args.plan.display()))
    );
    if let Err(e) = engine.check(&plan) {
        return refuse(&e.to_string());
    }
    if let Some(why) = reach.mismatch(&plan.account, &plan.region) {
        return refuse(&why);
    }
    let n = plan.changes().count();
    let question = format!(
        "Apply these {n} changes to account {} in {}?",
        plan.account, plan.region
    );
    if let Some(code) = consent(&question, args.yes, "apply") {
        return code;
    }
    let progress = outcome::Progress::new(&plan);
    let sink = |e: ApplyEvent| progress.print(&e);
    finish(outcome::stoppable(engine, engine.apply(&plan, &sink)).await)
}

/// `None` to go on; else the exit code of not going on (after saying why).
pub(super) fn consent(question: &str, yes: bool, verb: &str) -> Option<ExitCode> {
    match confirm::ask(question, yes) {
        Ok(Consent::Given) => None,
        Ok(Consent::Declined) => {
            eprintln!("ztharden: not confirmed: nothing was changed");
            Some(ExitCode::from(1))
        }
        Ok(Consent::NoTerminal) => Some(refuse(&format!(
            "no terminal to confirm on: pass --yes to {verb} without asking"
        ))),
        Err(e) => Some(refuse(&format!(
            "the answer could not be read: {e}; nothing was changed; pass --yes to {verb} without asking"
        ))),
    }
}

/// Prints the report of a run, or why it did not run; the exit code.
pub(super) fn finish(result: Result<ztharden::apply::ApplyReport, ApplyError>) -> ExitCode {
    match result {
        Ok(report) => {
            print!("{}", outcome::report_text(&report));
            ExitCode::from(outcome::exit_code(&report))
        }
        Err(e) => {
            eprintln!("ztharden: {e}");
            ExitCode::from(outcome::error_code(&e))
        }
    }
}

/// Says why nothing is done; exit 2.
pub(super) fn refuse(why: &str) -> ExitCode {
    eprintln!("ztharden: {why}");
    ExitCode::from(2)
}
