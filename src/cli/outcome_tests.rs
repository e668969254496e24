//! The report and progress lines of real engine runs on the sandbox, with the failures the
//! fault-injecting Cloud makes: every outcome the binary can print.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;
use ztharden::apply::{Engine, EngineOptions, JournalError};
use ztharden::cloud::faults::{Counting, FaultPlan, FaultyCloud};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Cloud, CloudError, CloudLabel, Progress as ReadProgress};
use ztharden::model::Posture;
use ztharden::plan::{Inputs, build};
use ztharden::steps::Control;

const ORDERS: &str = "a1b2c3d4e5";

fn orders_plan() -> Plan {
    let lab = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&lab, &[ORDERS.to_string()], &[]);
    build(&lab, &inputs, &Control::ALL, "2026-01-02T03:04:05Z")
}

/// Runs `plan` on `cloud`; returns the report and the progress lines printed.
async fn run(cloud: Arc<dyn Cloud>, plan: &Plan) -> (ApplyReport, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(cloud, dir.path(), EngineOptions::quick());
    let progress = Progress::new(plan);
    let lines = Mutex::new(Vec::new());
    let sink = |e: ApplyEvent| lines.lock().unwrap().extend(progress.line(&e));
    let report = engine.apply(plan, &sink).await.unwrap();
    (report, lines.into_inner().unwrap())
}

#[tokio::test]
async fn a_complete_apply_reports_every_change_and_every_control_passing() {
    let plan = orders_plan();
    let n = plan.changes().count();
    let (report, lines) = run(Arc::new(SandboxCloud::lab()), &plan).await;
    let text = report_text(&report);
    assert_eq!(exit_code(&report), 0, "{text}");
    assert!(
        text.contains(&format!(
            "Apply: Complete ({n} applied, 0 failed, 0 not run)"
        )),
        "{text}"
    );
    for control in Control::ALL {
        let line = format!("    {:<16} PASS", control.id());
        assert!(text.contains(&line), "{line} missing:\n{text}");
    }
    assert!(text.contains("  orders (a1b2c3d4e5)\n"), "{text}");
    assert!(
        text.contains(&format!("  {n} applied changes are in effect.")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Journal: {} (", report.journal_id)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "To undo it: `ztharden rollback {}`.",
            report.journal_id
        )),
        "{text}"
    );
    // Every change in apply order, numbered as made.
    let applied: Vec<&String> = lines.iter().filter(|l| l.contains(" applied: ")).collect();
    assert_eq!(applied.len(), n, "{lines:#?}");
    for (at, (line, r)) in applied.iter().zip(&report.results).enumerate() {
        let prefix = format!("[{}/{n}] applied: {}", at + 1, r.change.summary());
        assert!(line.starts_with(&prefix), "{line} is not {prefix}");
    }
    assert!(
        lines.iter().any(|l| l.contains("(deployment ")),
        "{lines:#?}"
    );
    assert!(lines[0].contains("reading the account"), "{lines:#?}");
    assert!(lines[1].starts_with("ztharden: journal "), "{lines:#?}");
    assert_eq!(
        lines.last().unwrap(),
        "ztharden: reading the account again to verify"
    );
}

#[tokio::test]
async fn a_failed_write_stops_the_apply_with_aws_message_and_exit_1() {
    let plan = orders_plan();
    let n = plan.changes().count();
    let cloud = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none().fail_write(3),
    ));
    let (report, lines) = run(cloud, &plan).await;
    let text = report_text(&report);
    assert_eq!(exit_code(&report), 1, "{text}");
    assert!(
        text.contains(&format!(
            "Apply: Stopped at failure (2 applied, 1 failed, {} not run)",
            n - 3
        )),
        "{text}"
    );
    let ChangeOutcome::Failed { message } = &report.results[2].outcome else {
        panic!("the third change failed: {:?}", report.results[2]);
    };
    assert!(
        text.contains(&format!(
            "  FAILED   {}\n           {message}",
            report.results[2].change.summary()
        )),
        "{text}"
    );
    assert!(text.contains("  not run  "), "{text}");
    assert!(
        text.contains(&format!("`ztharden rollback {}`", report.journal_id)),
        "{text}"
    );
    let failed = format!(
        "[3/{n}] FAILED: {}: {message}",
        report.results[2].change.summary()
    );
    assert!(lines.contains(&failed), "{failed} missing: {lines:#?}");
    assert!(
        !lines.iter().any(|l| l.starts_with(&format!("[4/{n}]"))),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn throttled_writes_say_they_are_retried() {
    let plan = orders_plan();
    let cloud = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none().throttle_every(2, Counting::Writes),
    ));
    let (report, lines) = run(cloud, &plan).await;
    assert_eq!(exit_code(&report), 0, "{}", report_text(&report));
    let retry = lines
        .iter()
        .find(|l| l.contains(" retrying in "))
        .unwrap_or_else(|| panic!("no retry line: {lines:#?}"));
    assert!(retry.contains("ms (try 1 was throttled): "), "{retry}");
}

#[tokio::test]
async fn drift_is_refused_naming_each_resource_and_exits_1() {
    let plan = orders_plan();
    let sandbox = Arc::new(SandboxCloud::lab());
    let (first, _) = run(sandbox.clone(), &plan).await;
    assert_eq!(exit_code(&first), 0);
    // The same plan again: every target already changed.
    let (report, _) = run(sandbox, &plan).await;
    let text = report_text(&report);
    assert_eq!(exit_code(&report), 1, "{text}");
    let ApplyOutcome::RefusedDrift { drifted } = &report.outcome else {
        panic!("not refused: {text}");
    };
    assert!(!drifted.is_empty());
    assert!(
        text.contains("Nothing was changed. What differs from the plan:"),
        "{text}"
    );
    for d in drifted {
        assert!(
            text.contains(&format!("  {}: {}", d.resource, d.detail)),
            "{text}"
        );
    }
    assert!(text.contains("make a new plan"), "{text}");
    assert!(!text.contains("Verification"), "{text}");
}

/// Says every write worked and makes none: what verification exists to catch.
struct Deaf(SandboxCloud);

#[async_trait]
impl Cloud for Deaf {
    fn label(&self) -> CloudLabel {
        CloudLabel::Sandbox
    }
    async fn read_posture(&self, p: &dyn ReadProgress) -> Result<Posture, CloudError> {
        self.0.read_posture(p).await
    }
    async fn apply(&self, change: &Change) -> Result<Applied, CloudError> {
        Ok(match change {
            Change::Redeploy { .. } => Applied::Deployed {
                deployment_id: "d-none".into(),
            },
            _ => Applied::Done,
        })
    }
}

#[tokio::test]
async fn changes_that_do_not_show_are_listed_and_exit_1() {
    let plan = orders_plan();
    let (report, _) = run(Arc::new(Deaf(SandboxCloud::lab())), &plan).await;
    let text = report_text(&report);
    assert_eq!(report.outcome, ApplyOutcome::Complete);
    assert_eq!(exit_code(&report), 1, "{text}");
    assert!(
        text.contains("  NOT in effect after the apply:\n"),
        "{text}"
    );
    let first = plan.changes().next().unwrap().summary();
    assert!(text.contains(&format!("    {first}: ")), "{text}");
    assert!(text.contains("    iam-auth         FAIL"), "{text}");
    assert!(
        text.contains("Check the account with `ztharden scan`"),
        "{text}"
    );
}

#[tokio::test]
async fn a_failed_verification_read_is_said_and_exits_1() {
    let plan = orders_plan();
    let n = plan.changes().count();
    // One read for the drift check, n writes, then the read that verifies.
    let cloud = Arc::new(FaultyCloud::new(
        Arc::new(SandboxCloud::lab()),
        FaultPlan::none().fail_call(n + 2),
    ));
    let (report, _) = run(cloud, &plan).await;
    let text = report_text(&report);
    assert_eq!(report.outcome, ApplyOutcome::Complete, "{text}");
    assert_eq!(exit_code(&report), 1, "{text}");
    assert!(
        text.contains("Verification: the account could not be read again: ReadPosture failed"),
        "{text}"
    );
}

#[test]
fn only_a_journal_failure_after_a_write_exits_1() {
    let journal = |after_write| ApplyError::Journal {
        error: JournalError::Invalid("disk full".into()),
        after_write,
    };
    assert_eq!(error_code(&journal(true)), 1);
    assert_eq!(error_code(&journal(false)), 2);
    assert_eq!(error_code(&ApplyError::ReadOnly), 2);
    assert_eq!(error_code(&ApplyError::InvalidPlan("x".into())), 2);
}

#[test]
fn blocked_and_empty_plans_are_refused_before_asking() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(
        Arc::new(SandboxCloud::lab()),
        dir.path(),
        EngineOptions::quick(),
    );
    let precheck = |plan: &ztharden::plan::Plan| engine.check(plan);
    let mut plan = orders_plan();
    assert!(precheck(&plan).is_ok());
    plan.steps[2].state = ztharden::plan::StepState::Blocked("locks out a caller".into());
    let why = precheck(&plan).unwrap_err().to_string();
    assert!(why.contains("its endpoint-policy step is blocked"), "{why}");
    for step in &mut plan.steps {
        step.changes.clear();
        step.state = ztharden::plan::StepState::Ready;
    }
    let why = precheck(&plan).unwrap_err().to_string();
    assert!(why.contains("it has no changes"), "{why}");
}

#[test]
fn delays_read_in_ms_or_seconds() {
    assert_eq!(duration(Duration::from_millis(500)), "500 ms");
    assert_eq!(duration(Duration::from_millis(2500)), "2.5 s");
}
