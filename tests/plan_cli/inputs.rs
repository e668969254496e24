//! The plan's inputs and how it ends: callers given on the command line, malformed or
//! unknown ones refused, a blocked plan, nothing to do, and a plan file that cannot be
//! written.

use super::*;

#[test]
fn a_given_caller_replaces_the_inferred_ones() {
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "endpoint-sg",
        "--api",
        ORDERS,
        "--caller-sg",
        SERVICE_C_SG,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: Plan = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan.inputs.caller_groups, vec![SERVICE_C_SG]);
    assert!(
        plan.inputs
            .notes
            .iter()
            .any(|n| n.contains("caller groups given: sg-0c3c3c3c3c3c3c3c3")),
        "{:?}",
        plan.inputs.notes
    );
    let admitted: Vec<&str> = plan
        .changes()
        .filter_map(|c| match c {
            Change::AuthorizeIngress {
                source_group_id, ..
            } => Some(source_group_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(admitted, vec![SERVICE_C_SG]);
}

#[test]
fn a_malformed_caller_role_is_exit_2_with_one_line_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "all",
        "--caller-role",
        "arn:aws:iam::111122223333:user/bob",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("is not a role ARN"), "{err}");
    assert!(err.contains("arn:aws:iam::111122223333:role/NAME"), "{err}");
    assert!(out.stdout.is_empty(), "no plan printed");
    assert!(!path.exists(), "no plan file");
}

#[test]
fn an_unknown_caller_group_is_exit_2() {
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "endpoint-sg",
        "--caller-sg",
        "sg-0123456789abcdef0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("sg-0123456789abcdef0 was not read"), "{err}");
}

#[test]
fn a_blocked_plan_exits_1_and_writes_no_file() {
    // The endpoint policy alone, while the methods of orders are still NONE: the callers'
    // unsigned calls would be denied.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "endpoint-policy",
        "--api",
        ORDERS,
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("State: blocked: this step would lock out service-a-role"),
        "{text}"
    );
    assert!(text.contains("✗ FAIL service-a-role can invoke"), "{text}");
    let err = stderr(&out);
    assert!(
        err.contains("blocked at endpoint-policy") && err.contains("no plan file written"),
        "{err}"
    );
    assert!(!path.exists(), "no plan file");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn nothing_to_do_is_exit_0_and_still_a_plan_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "iam-auth",
        "--api",
        "f6g7h8i9j0",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("State: nothing to do: "));
    let plan = read_plan(&path);
    assert_eq!(plan.steps.len(), 1);
    assert!(matches!(plan.steps[0].state, StepState::NothingToDo(_)));
    assert_eq!(plan.changes().count(), 0);
}

#[test]
fn an_unwritable_plan_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("plan.json");
    let out = ztharden_scratch(&[
        "--demo",
        "plan",
        "--control",
        "endpoint-sg",
        "--api",
        ORDERS,
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("could not be written"), "{err}");
    assert!(!path.exists());
}
