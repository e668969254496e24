//! What `apply` and `rollback` show before asking: where the plan goes, when it was made, and
//! each step's changes counted by AWS call, with every target.

use std::fmt::Write;

use ztharden::cloud::write_operation;
use ztharden::plan::{Change, Plan, StepState};

/// The summary of `plan` under the line `title`.
pub fn plan_summary(plan: &Plan, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "  account {}, region {}, plan made {}",
        plan.account, plan.region, plan.created_at
    );
    for step in &plan.steps {
        let control = step.control;
        match &step.state {
            StepState::NothingToDo(why) if step.changes.is_empty() => {
                let _ = writeln!(out, "  {control}: nothing to do ({why})");
                continue;
            }
            StepState::Blocked(why) => {
                let _ = writeln!(out, "  {control}: BLOCKED: {why}");
            }
            _ => {}
        }
        if step.changes.is_empty() {
            let _ = writeln!(out, "  {control}: no changes");
            continue;
        }
        let _ = writeln!(out, "  {control}: {}", count_by_call(&step.changes));
        for change in &step.changes {
            let _ = writeln!(out, "    {}", change.summary());
        }
        for warning in &step.warnings {
            let _ = writeln!(out, "    warning: {warning}");
        }
    }
    let n = plan.changes().count();
    let _ = writeln!(out, "{n} {} in all.", plural(n, "change", "changes"));
    out
}

/// "2 UpdateMethod, 1 CreateDeployment": the changes counted by AWS call, in the order each
/// call first appears.
pub fn count_by_call(changes: &[Change]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for change in changes {
        let op = write_operation(change);
        match counts.iter_mut().find(|(o, _)| *o == op) {
            Some((_, n)) => *n += 1,
            None => counts.push((op, 1)),
        }
    }
    counts
        .iter()
        .map(|(op, n)| format!("{n} {op}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztharden::cloud::sandbox::SandboxCloud;
    use ztharden::plan::{Inputs, build};
    use ztharden::steps::Control;

    fn orders_plan() -> Plan {
        let lab = SandboxCloud::lab_posture();
        let inputs = Inputs::infer(&lab, &["a1b2c3d4e5".to_string()], &[]);
        build(&lab, &inputs, &Control::ALL, "2026-01-02T03:04:05Z")
    }

    #[test]
    fn calls_are_counted_in_the_order_they_first_appear() {
        let plan = orders_plan();
        let iam = &plan.steps[0];
        let methods = iam
            .changes
            .iter()
            .filter(|c| matches!(c, Change::SetMethodAuthorization { .. }))
            .count();
        assert!(methods >= 1);
        let deploys = iam
            .changes
            .iter()
            .filter(|c| matches!(c, Change::Redeploy { .. }))
            .count();
        let mut expected = format!("{methods} UpdateMethod");
        if deploys > 0 {
            expected.push_str(&format!(", {deploys} CreateDeployment"));
        }
        assert_eq!(count_by_call(&iam.changes), expected);
        assert_eq!(count_by_call(&[]), "");
    }

    #[test]
    fn the_summary_names_where_when_and_every_target() {
        let plan = orders_plan();
        let text = plan_summary(&plan, "Plan p.json");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Plan p.json");
        assert_eq!(
            lines[1],
            "  account 111122223333, region us-east-1, plan made 2026-01-02T03:04:05Z"
        );
        for step in &plan.steps {
            let head = format!("  {}: {}", step.control, count_by_call(&step.changes));
            assert!(lines.contains(&head.as_str()), "{head} missing:\n{text}");
        }
        for change in plan.changes() {
            let line = format!("    {}", change.summary());
            assert!(lines.contains(&line.as_str()), "{line} missing:\n{text}");
        }
        let n = plan.changes().count();
        assert_eq!(lines.last(), Some(&format!("{n} changes in all.").as_str()));
    }

    #[test]
    fn steps_without_changes_say_why() {
        let mut plan = orders_plan();
        plan.steps[1] = ztharden::plan::StepPlan::nothing_to_do(
            Control::ResourcePolicy,
            "the policy already limits the API",
        );
        plan.steps[2].state = StepState::Blocked("it would lock out service-a-role".into());
        let text = plan_summary(&plan, "t");
        assert!(
            text.contains("  resource-policy: nothing to do (the policy already limits the API)"),
            "{text}"
        );
        assert!(
            text.contains("  endpoint-policy: BLOCKED: it would lock out service-a-role"),
            "{text}"
        );
    }
}
