//! `ztharden rollback [JOURNAL_ID]`: the inverse of what a journal applied, shown, confirmed
//! and applied like a plan. Without an id, the latest journal.
//!
//! Exit codes as `apply`; "nothing to roll back" is 2.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use ztharden::apply::{self, ApplyError, ApplyEvent, Engine, Journal, JournalKind, journal_dir};

use super::Reach;
use super::apply::{consent, finish, refuse};
use super::outcome;
use super::summary::plan_summary;

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The journal to roll back (`ztharden journal` lists them). Default: the latest.
    #[arg(value_name = "JOURNAL_ID")]
    pub journal: Option<String>,
    /// Roll back without asking (required when there is no terminal to ask on).
    #[arg(long)]
    pub yes: bool,
}

pub async fn run(engine: &Engine, reach: &Reach, args: &RollbackArgs) -> ExitCode {
    if engine.is_read_only() {
        return refuse(&ApplyError::ReadOnly.to_string());
    }
    let journal = match find(engine.state_dir(), args.journal.as_deref()) {
        Ok(journal) => journal,
        Err(why) => return refuse(&why),
    };
    let plan = match engine.rollback_plan(&journal) {
        Ok(plan) => plan,
        Err(e) => return refuse(&e.to_string()),
    };
    let h = &journal.header;
    print!(
        "{}",
        plan_summary(
            &plan,
            &format!(
                "Rollback of {} {} (started {})",
                h.kind.label(),
                h.id,
                h.started_at
            )
        )
    );
    if let Err(e) = engine.check(&plan) {
        return refuse(&e.to_string());
    }
    if let Some(why) = reach.mismatch(&plan.account, &plan.region) {
        return refuse(&why);
    }
    let n = plan.changes().count();
    let question = format!(
        "Roll back journal {} with these {n} changes to account {} in {}?",
        h.id, plan.account, plan.region
    );
    if let Some(code) = consent(&question, args.yes, "roll back") {
        return code;
    }
    let progress = outcome::Progress::new(&plan);
    let sink = |e: ApplyEvent| progress.print(&e);
    finish(outcome::stoppable(engine, engine.rollback(&journal, &plan, &sink)).await)
}

/// The journal `id`, or the latest (unless it is itself a rollback).
fn find(state_dir: &Path, id: Option<&str>) -> Result<Journal, String> {
    let dir = journal_dir(state_dir);
    if let Some(id) = id {
        return apply::load_id(state_dir, id).map_err(|e| {
            format!(
                "journal {id} cannot be read: {e}; `ztharden journal` lists the journals in {}",
                dir.display()
            )
        });
    }
    match apply::latest(state_dir) {
        Ok(Some(j)) if j.header.kind == JournalKind::Rollback => Err(format!(
            "the latest journal, {}, is itself a rollback (of {}): pass the id of the journal \
             to roll back (`ztharden journal` lists them)",
            j.header.id,
            j.header
                .rolls_back
                .as_deref()
                .unwrap_or("an unknown journal")
        )),
        Ok(Some(j)) => Ok(j),
        Ok(None) => Err(format!(
            "nothing to roll back: no journals in {}",
            dir.display()
        )),
        Err(e) => Err(format!(
            "the latest journal cannot be read: {e}; pass the id of the journal to roll back \
             (`ztharden journal` lists them)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztharden::apply::EngineOptions;
    use ztharden::cloud::NoProgress;
    use ztharden::cloud::sandbox::SandboxCloud;
    use ztharden::plan::{Inputs, build};
    use ztharden::steps::Control;

    #[tokio::test]
    async fn the_latest_journal_unless_it_is_a_rollback() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path();
        let why = find(state, None).unwrap_err();
        assert_eq!(
            why,
            format!(
                "nothing to roll back: no journals in {}",
                journal_dir(state).display()
            )
        );
        let cloud = std::sync::Arc::new(SandboxCloud::lab());
        let engine = Engine::new(cloud, state, EngineOptions::quick());
        let lab = SandboxCloud::lab_posture();
        let inputs = Inputs::infer(&lab, &["a1b2c3d4e5".to_string()], &[]);
        let plan = build(&lab, &inputs, &Control::ALL, "2026-01-01T00:00:00Z");
        let applied = engine.apply(&plan, &NoProgress).await.unwrap();
        assert_eq!(find(state, None).unwrap().id(), applied.journal_id);
        let latest = find(state, None).unwrap();
        let undo = engine.rollback_plan(&latest).unwrap();
        let rolled = engine.rollback(&latest, &undo, &NoProgress).await.unwrap();
        let why = find(state, None).unwrap_err();
        assert!(
            why.starts_with(&format!(
                "the latest journal, {}, is itself a rollback (of {})",
                rolled.journal_id, applied.journal_id
            )),
            "{why}"
        );
        assert_eq!(
            find(state, Some(&applied.journal_id)).unwrap().id(),
            applied.journal_id
        );
        let why = find(state, Some("20990101T000000.000Z-000000")).unwrap_err();
        assert!(
            why.starts_with("journal 20990101T000000.000Z-000000 cannot be read: "),
            "{why}"
        );
        assert!(
            why.contains("`ztharden journal` lists the journals in"),
            "{why}"
        );
    }
}
