//! The safety checks on variants of the lab, with the four planners.

use serde_json::json;

use super::{check_steps, verdicts};
use crate::cloud::sandbox::SandboxCloud;
use crate::model::{AuthorizationType, PolicyText, Posture};
use crate::plan::{Inputs, StepPlan, StepState, Verdict, project};
use crate::steps::{self, Control};

const ORDERS: &str = "a1b2c3d4e5";
const ORDERS_ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*";
const INVENTORY_ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
const SERVICE_A: &str = "arn:aws:iam::111122223333:role/service-a-role";
const SERVICE_C: &str = "arn:aws:iam::111122223333:role/service-c-role";

fn lab(edit: impl FnOnce(&mut Posture)) -> Posture {
    let mut p = SandboxCloud::lab_posture();
    edit(&mut p);
    p
}

fn orders_inputs() -> Inputs {
    Inputs {
        api_ids: vec![ORDERS.into()],
        endpoint_ids: vec![VPCE.into()],
        caller_roles: vec![SERVICE_A.into(), SERVICE_C.into()],
        caller_groups: vec!["sg-0a1a1a1a1a1a1a1a1".into(), "sg-0c3c3c3c3c3c3c3c3".into()],
        ..Inputs::default()
    }
}

/// The steps of `controls`, each planned on the posture after the earlier ones, then checked.
fn planned(posture: &Posture, inputs: &Inputs, controls: &[Control]) -> Vec<StepPlan> {
    let mut p = posture.clone();
    let mut all = Vec::new();
    for c in controls {
        let step = steps::plan(*c, &p, inputs);
        p = project(&p, &step.changes);
        all.push(step);
    }
    check_steps(posture, inputs, &mut all);
    all
}

fn verdict<'a>(verdicts: &'a [Verdict], starts: &str) -> &'a Verdict {
    verdicts
        .iter()
        .find(|v| v.check.starts_with(starts))
        .unwrap_or_else(|| panic!("no verdict starting {starts:?} in {verdicts:#?}"))
}

fn set_orders_policy(p: &mut Posture, policy: serde_json::Value) {
    let api = p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap();
    api.policy = Some(PolicyText::new(policy.to_string()));
}

fn sign_orders(p: &mut Posture) {
    let api = p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap();
    for r in api.resources.as_mut().unwrap() {
        for m in &mut r.methods {
            if m.http_method != "OPTIONS" {
                m.authorization_type = AuthorizationType::AwsIam;
            }
        }
    }
}

fn blocked_reason(step: &StepPlan) -> &str {
    match &step.state {
        StepState::Blocked(why) => why,
        other => panic!("{} is not blocked: {other:?}", step.control),
    }
}

#[test]
fn hardened_all_four_on_the_lab_passes_every_verdict() {
    let steps = planned(&lab(|_| {}), &orders_inputs(), &Control::ALL);
    for s in &steps {
        assert_eq!(s.state, StepState::Ready, "{}: {:?}", s.control, s.warnings);
        assert!(
            !s.warnings.iter().any(|w| w.starts_with("until the")),
            "no caller loses access on the way: {:?}",
            s.warnings
        );
    }
    let end = &steps[3].verdicts;
    assert_eq!(end.len(), 4, "{end:#?}");
    for v in end {
        assert!(v.passed, "{v:#?}");
    }
    let a = verdict(
        end,
        "service-a-role can invoke every method of orders through vpce-",
    );
    assert!(a.detail.starts_with("5 call(s) allowed"), "{}", a.detail);
    verdict(end, "service-c-role can invoke every method of orders");
    let outsider = verdict(
        end,
        "a principal of another account (999999999999) is denied",
    );
    assert!(outsider.detail.contains("denied by"), "{}", outsider.detail);
    verdict(
        end,
        "a request to orders through an endpoint that is not chosen",
    );
}

#[test]
fn the_resource_policy_step_is_what_denies_outsiders_and_other_endpoints() {
    let lab = lab(|_| {});
    let without = planned(&lab, &orders_inputs(), &[Control::IamAuth]);
    let with = planned(
        &lab,
        &orders_inputs(),
        &[Control::IamAuth, Control::ResourcePolicy],
    );
    for (start, by) in [
        ("a principal of another account", "DenyOtherAccounts"),
        (
            "a request to orders through an endpoint that is not chosen",
            "DenyOtherEndpoints",
        ),
    ] {
        let skipped = verdict(&without[0].verdicts, start);
        assert!(!skipped.passed, "{skipped:#?}");
        assert!(
            skipped.detail.starts_with("not denied"),
            "{}",
            skipped.detail
        );
        let included = verdict(&with[1].verdicts, start);
        assert!(included.passed, "{included:#?}");
        assert!(included.detail.contains(by), "{}", included.detail);
    }
    assert!(with.iter().all(StepPlan::is_ready));
}

#[test]
fn the_endpoint_policy_before_signing_warns_and_blocks() {
    let lab = lab(|_| {});
    let alone = planned(&lab, &orders_inputs(), &[Control::EndpointPolicy]);
    let step = &alone[0];
    let warning = step
        .warnings
        .iter()
        .find(|w| w.contains("denies unsigned requests"))
        .expect("an order warning");
    assert!(warning.contains("5 method(s) with NONE"), "{warning}");
    assert!(warning.contains("step 1 (iam-auth) first"), "{warning}");
    let caller = verdict(&step.verdicts, "service-a-role can invoke");
    assert!(!caller.passed);
    let why = blocked_reason(step);
    assert!(why.contains("lock out service-a-role"), "{why}");
    assert!(why.contains("lock out service-c-role"), "{why}");
    assert!(
        why.contains(&format!("denied by the VPC endpoint policy of {VPCE}")),
        "{why}"
    );
    // Signed first, in the same plan: no warning, nothing blocked.
    let ordered = planned(
        &lab,
        &orders_inputs(),
        &[Control::IamAuth, Control::EndpointPolicy],
    );
    assert!(ordered.iter().all(StepPlan::is_ready), "{ordered:#?}");
    assert!(
        !ordered[1]
            .warnings
            .iter()
            .any(|w| w.contains("denies unsigned requests"))
    );
}

#[test]
fn the_account_deny_before_signing_warns_and_blocks() {
    let steps = planned(&lab(|_| {}), &orders_inputs(), &[Control::ResourcePolicy]);
    let step = &steps[0];
    let warning = step
        .warnings
        .iter()
        .find(|w| w.contains("aws:PrincipalAccount"))
        .expect("an order warning");
    assert!(
        warning.starts_with("statement 2 (DenyOtherAccounts) of the new resource policy"),
        "{warning}"
    );
    assert!(warning.contains("step 1 (iam-auth) first"), "{warning}");
    let why = blocked_reason(step);
    assert!(
        why.contains("denied by statement 2 (DenyOtherAccounts) of the resource policy"),
        "{why}"
    );
}

#[test]
fn a_kept_live_statement_that_denies_a_caller_blocks_the_step_that_exposes_it() {
    let deny_a = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN},
        {"Sid": "NoServiceA", "Effect": "Deny", "Principal": {"AWS": SERVICE_A},
         "Action": "execute-api:Invoke", "Resource": ORDERS_ARN}]});
    let posture = lab(|p| set_orders_policy(p, deny_a));
    // Unsigned today, service-a is not identified and gets through; signing exposes it to
    // the Deny, which the plan keeps.
    let steps = planned(&posture, &orders_inputs(), &[Control::IamAuth]);
    let why = blocked_reason(&steps[0]);
    assert!(why.contains("lock out service-a-role"), "{why}");
    assert!(
        why.contains("denied by statement 2 (NoServiceA) of the resource policy"),
        "{why}"
    );
    assert!(!why.contains("service-c-role"), "{why}");
    // With the resource-policy step in the same plan the denial lasts only until it is
    // applied: a warning on the iam-auth step, and the dropped statement named.
    let steps = planned(
        &posture,
        &orders_inputs(),
        &[Control::IamAuth, Control::ResourcePolicy],
    );
    assert!(steps.iter().all(StepPlan::is_ready), "{steps:#?}");
    assert!(
        steps[0].warnings.iter().any(|w| w.starts_with(
            "until the resource-policy step is applied, service-a-role is denied DELETE /orders/{id} of orders"
        )),
        "{:?}",
        steps[0].warnings
    );
    assert!(steps[1].warnings.iter().any(|w| w.contains("(NoServiceA)")));
}

#[test]
fn a_live_endpoint_policy_that_denies_a_caller() {
    let deny_a = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "NotServiceA", "Effect": "Deny", "Principal": {"AWS": SERVICE_A},
         "Action": "*", "Resource": "*"}]});
    let posture = lab(|p| p.endpoints[0].policy = Some(PolicyText::new(deny_a.to_string())));
    let steps = planned(&posture, &orders_inputs(), &[Control::IamAuth]);
    let why = blocked_reason(&steps[0]);
    assert!(
        why.contains(&format!(
            "denied by statement 2 (NotServiceA) of the VPC endpoint policy of {VPCE}"
        )),
        "{why}"
    );
    let steps = planned(
        &posture,
        &orders_inputs(),
        &[Control::IamAuth, Control::EndpointPolicy],
    );
    assert!(steps.iter().all(StepPlan::is_ready), "{steps:#?}");
}

#[test]
fn a_lockout_the_plan_leaves_in_place_blocks_its_last_step() {
    // Already signed, and the endpoint admits only service-c: service-a is denied before the
    // plan, and a plan without the endpoint-policy step leaves it so.
    let only_c = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": SERVICE_C},
        "Action": "execute-api:Invoke", "Resource": ORDERS_ARN}]});
    let posture = lab(|p| {
        sign_orders(p);
        p.endpoints[0].policy = Some(PolicyText::new(only_c.to_string()));
    });
    let steps = planned(&posture, &orders_inputs(), &[Control::ResourcePolicy]);
    let why = blocked_reason(&steps[0]);
    assert!(
        why.starts_with("no step of this plan changes what already denies service-a-role"),
        "{why}"
    );
    assert!(why.contains("the VPC endpoint policy"), "{why}");
    // Taking service-a out of the callers, or adding the step that fixes it, unblocks.
    let mut only_c_inputs = orders_inputs();
    only_c_inputs.caller_roles = vec![SERVICE_C.into()];
    let steps = planned(&posture, &only_c_inputs, &[Control::ResourcePolicy]);
    assert!(steps[0].is_ready(), "{steps:#?}");
    let steps = planned(
        &posture,
        &orders_inputs(),
        &[Control::ResourcePolicy, Control::EndpointPolicy],
    );
    assert!(steps.iter().all(StepPlan::is_ready), "{steps:#?}");
}

#[test]
fn same_account_callers_without_an_allow_pass_with_identity_guidance() {
    let no_allow = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": ORDERS_ARN,
         "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}]});
    let posture = lab(|p| {
        sign_orders(p);
        set_orders_policy(p, no_allow);
    });
    let all = verdicts(&posture, &orders_inputs());
    let a = verdict(&all, "service-a-role can invoke");
    assert!(a.passed, "{a:#?}");
    assert!(
        a.detail.contains(&format!(
            "only if the identity policy of {SERVICE_A} allows execute-api:Invoke on {ORDERS_ARN}"
        )),
        "{}",
        a.detail
    );
}

#[test]
fn a_custom_authorizer_method_in_scope() {
    // inventory's PUT /items/{sku} uses a Lambda authorizer: its callers send a token. The
    // planners leave it out of the account statement and admit it anonymously at the endpoint,
    // so the four steps are ready and every verdict of the last one passes.
    let inputs = Inputs {
        api_ids: vec!["f6g7h8i9j0".into()],
        ..orders_inputs()
    };
    let steps = planned(&lab(|_| {}), &inputs, &Control::ALL);
    assert!(steps.iter().all(|s| !s.is_blocked()), "{steps:#?}");
    assert!(steps[1..].iter().all(StepPlan::is_ready), "{steps:#?}");
    let end = &steps[3].verdicts;
    assert!(end.iter().all(|v| v.passed), "{end:#?}");
    let a = verdict(end, "service-a-role can invoke every method of inventory");
    assert!(
        a.detail
            .contains("PUT /items/{sku} pass if the method's authorizer allows the caller"),
        "{}",
        a.detail
    );
    let outsider = verdict(
        end,
        "a principal of another account (999999999999) is denied on inventory",
    );
    assert!(
        outsider.detail.contains(
            "PUT /items/{sku} (behind a Lambda or Cognito authorizer): their callers carry no IAM identity, so the account check does not apply to them"
        ),
        "{}",
        outsider.detail
    );
    assert!(
        verdict(
            end,
            "a request to inventory through an endpoint that is not chosen"
        )
        .passed
    );
    // No order warning about the authorizer method: the new policies let its callers through.
    for step in &steps[1..3] {
        assert!(
            !step
                .warnings
                .iter()
                .any(|w| w.contains("Set AWS_IAM on them")),
            "{:?}",
            step.warnings
        );
    }
}

#[test]
fn authorizer_methods_still_block_real_lockouts() {
    use crate::plan::Change;
    let inputs = Inputs {
        api_ids: vec!["f6g7h8i9j0".into()],
        ..orders_inputs()
    };
    let guide = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": INVENTORY_ARN},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": INVENTORY_ARN,
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}]});
    let roles_only = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": [SERVICE_A, SERVICE_C]},
         "Action": "execute-api:Invoke", "Resource": [ORDERS_ARN, INVENTORY_ARN]}]});
    // (case, the change that replaces the planner's, the statement named in the block)
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "the guide's account statement over the whole API",
            Change::SetResourcePolicy {
                api_id: "f6g7h8i9j0".into(),
                expected: None,
                new: guide.to_string(),
            },
            "statement 2 of the resource policy",
        ),
        (
            "an endpoint policy of principals only",
            Change::SetEndpointPolicy {
                endpoint_id: VPCE.into(),
                expected: None,
                new: roles_only.to_string(),
            },
            "no statement allows execute-api:Invoke on arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/v1/PUT/items/{sku} for an unsigned request",
        ),
    ];
    for (name, change, text) in cases {
        let lab = lab(|_| {});
        let mut all = Vec::new();
        for c in [Control::ResourcePolicy, Control::EndpointPolicy] {
            let mut step = steps::plan(c, &lab, &inputs);
            if change.control() == Some(c) {
                step.changes[0] = change.clone();
            }
            all.push(step);
        }
        check_steps(&lab, &inputs, &mut all);
        let blocked: Vec<String> = all
            .iter()
            .filter_map(|s| match &s.state {
                StepState::Blocked(why) => Some(why.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(blocked.len(), 1, "{name}: {blocked:?}");
        assert!(
            blocked[0].contains("PUT /items/{sku} of inventory"),
            "{name}: {}",
            blocked[0]
        );
        assert!(blocked[0].contains(text), "{name}: {}", blocked[0]);
    }
}

#[test]
fn failing_verdicts_name_the_later_step_that_fixes_them() {
    let steps = planned(&lab(|_| {}), &orders_inputs(), &Control::ALL);
    assert!(steps.iter().all(StepPlan::is_ready), "{steps:#?}");
    // (step, check, pending step)
    let cases: Vec<(usize, &str, Option<Control>)> = vec![
        (
            0,
            "a principal of another account (999999999999) is denied on orders",
            Some(Control::ResourcePolicy),
        ),
        (
            0,
            "a request to orders through an endpoint that is not chosen",
            Some(Control::ResourcePolicy),
        ),
        (1, "a principal of another account", None),
    ];
    for (i, check, pending) in cases {
        let v = verdict(&steps[i].verdicts, check);
        assert_eq!(v.pending_step, pending, "step {i}: {v:#?}");
        assert_eq!(v.passed, pending.is_none(), "step {i}: {v:#?}");
    }
    for step in &steps {
        for v in &step.verdicts {
            assert!(v.passed || v.pending_step.is_some(), "{v:#?}");
        }
    }
    // Without the resource-policy step nothing fixes them: plain failures.
    let steps = planned(
        &lab(|_| {}),
        &orders_inputs(),
        &[Control::IamAuth, Control::EndpointPolicy],
    );
    let v = verdict(
        &steps[0].verdicts,
        "a request to orders through an endpoint that is not chosen",
    );
    assert!(!v.passed && v.pending_step.is_none(), "{v:#?}");
    // Checking twice changes nothing.
    let mut again = steps.clone();
    check_steps(&lab(|_| {}), &orders_inputs(), &mut again);
    assert_eq!(again, steps);
}

#[test]
fn no_caller_on_a_regional_api_says_why() {
    let inputs = Inputs {
        api_ids: vec!["k1l2m3n4o5".into()],
        ..Inputs::default()
    };
    let v = verdicts(&lab(|_| {}), &inputs);
    let v = verdict(&v, "the chosen callers keep their access");
    assert!(!v.passed);
    assert!(
        v.detail.contains(
            "status is REGIONAL: callers are reached without a VPC endpoint, so none can be suggested from an endpoint's VPC"
        ),
        "{}",
        v.detail
    );
    assert!(v.detail.contains("--caller-role"), "{}", v.detail);
}

#[test]
fn regional_apis_are_called_directly_and_not_through_endpoints() {
    let inputs = Inputs {
        api_ids: vec!["k1l2m3n4o5".into()],
        ..orders_inputs()
    };
    let steps = planned(
        &lab(|_| {}),
        &inputs,
        &[Control::IamAuth, Control::ResourcePolicy],
    );
    assert!(steps.iter().all(StepPlan::is_ready), "{steps:#?}");
    let end = &steps[1].verdicts;
    assert!(
        verdict(
            end,
            "service-a-role can invoke every method of status directly"
        )
        .passed
    );
    assert!(
        verdict(
            end,
            "a principal of another account (999999999999) is denied on status directly"
        )
        .passed
    );
    assert!(
        !end.iter().any(|v| v.check.contains("not chosen")),
        "no endpoint check on a REGIONAL API: {end:#?}"
    );
}

#[test]
fn missing_inputs_fail_their_verdicts() {
    let mut inputs = orders_inputs();
    inputs.caller_roles.clear();
    inputs.endpoint_ids.clear();
    let all = verdicts(&lab(|_| {}), &inputs);
    assert!(
        all.iter()
            .any(|v| !v.passed && v.detail.contains("no caller role is chosen"))
    );
    assert!(
        all.iter()
            .any(|v| !v.passed && v.detail.contains("private and no VPC endpoint is chosen"))
    );
}

#[test]
fn checking_again_adds_nothing() {
    let posture = lab(|_| {});
    let inputs = orders_inputs();
    let mut steps = planned(&posture, &inputs, &[Control::EndpointPolicy]);
    let once = steps.clone();
    check_steps(&posture, &inputs, &mut steps);
    assert_eq!(steps, once);
    assert!(steps[0].is_blocked());
}
