//! The rollback plan of a journal: exactly the changes recorded as applied, inverted, each
//! expecting the value the journal says it set.
//!
//! - a method's authorization goes back to its previous type (and authorizer);
//! - a policy goes back to its previous text (no resource policy: removed; no endpoint policy:
//!   the full-access default, which is what AWS gives an endpoint without one);
//! - a rule added is revoked by the id AWS gave it; a rule revoked is restored as it was;
//! - a stage deployed goes back to the deployment it had (`UpdateStage`), expecting the one the
//!   apply made: callers get exactly what they had, and nothing else is deployed; a stage that
//!   had no deployment is deployed anew.
//!
//! No safety checks run on it: it returns the account to the state it was in before the
//! apply, which the operator had.

use crate::cloud::Applied;
use crate::model::{AuthorizationType, IngressRule};
use crate::plan::{Change, Plan, StepPlan, StepState};
use crate::policy::Policy;

use super::compare::AUTHORIZER_ID;
use super::history::Undone;
use super::journal::{ChangeOutcome, ChangeRecord, Journal};

/// The plan that undoes what `journal` applied, except the undoing changes in `undone`
/// (applied by earlier rollbacks of it), or why there is nothing to undo.
pub fn inverse(journal: &Journal, created_at: &str, undone: &Undone) -> Result<Plan, String> {
    let header = &journal.header;
    let applied = journal.applied_changes();
    if applied.is_empty() {
        return Err(format!(
            "journal {} applied no change ({})",
            header.id,
            journal
                .closing
                .as_ref()
                .map_or("interrupted", |c| c.outcome.label())
        ));
    }
    let mut steps: Vec<StepPlan> = Vec::new();
    // Undo in the reverse order of the apply; the engine's order puts restored rules before
    // revokes and redeploys last.
    for record in applied.iter().rev() {
        let Some(undo) = undo_record(journal, record) else {
            continue;
        };
        let mut undo = undo?;
        if undone.changes.contains(&undo) {
            continue;
        }
        // A rule revoked and restored by earlier rollbacks has the id its restore got.
        if let Change::RevokeIngress { expected, .. } = &mut undo {
            expected.rule_id = undone.current_rule_id(&expected.rule_id).to_string();
        }
        let control = step_of(&header.plan, record.index);
        match steps.iter_mut().find(|s| s.control == control) {
            Some(step) => step.changes.push(undo),
            None => steps.push(StepPlan {
                control,
                changes: vec![undo],
                state: StepState::Ready,
                warnings: Vec::new(),
                guidance: Vec::new(),
                verdicts: Vec::new(),
            }),
        }
    }
    if steps.is_empty() {
        return Err(format!(
            "every change journal {} applied was rolled back already",
            header.id
        ));
    }
    if let Some(step) = steps.iter_mut().find(|s| {
        s.changes
            .iter()
            .any(|c| matches!(c, Change::Redeploy { .. }))
    }) {
        step.warnings.push(
            "a redeploy deploys the API as it is configured now: changes made to it outside \
             ztharden since the apply are deployed too"
                .into(),
        );
    }
    let kind = header.kind.label();
    let mut inputs = header.plan.inputs.clone();
    inputs.notes.push(format!(
        "rollback of {kind} {} ({})",
        header.id, header.started_at
    ));
    Ok(Plan {
        version: crate::plan::PLAN_VERSION,
        account: header.account.clone(),
        region: header.region.clone(),
        created_at: created_at.to_string(),
        inputs,
        steps,
    })
}

/// The change that undoes `record` of `journal`; `None` when the record is not applied.
pub fn undo_record(journal: &Journal, record: &ChangeRecord) -> Option<Result<Change, String>> {
    let ChangeOutcome::Applied { result } = &record.outcome else {
        return None;
    };
    let before = journal
        .header
        .before
        .iter()
        .find(|b| b.index == record.index)
        .map(|b| &b.found);
    Some(undo(&record.change, result, before, &journal.header.id))
}

/// The control of the step that holds change `index` of the plan.
fn step_of(plan: &Plan, index: usize) -> crate::steps::Control {
    let mut at = 0;
    for step in &plan.steps {
        if index < at + step.changes.len() {
            return step.control;
        }
        at += step.changes.len();
    }
    plan.steps
        .last()
        .map_or(crate::steps::Control::IamAuth, |s| s.control)
}

/// The change that undoes `change`, which AWS accepted with `result`; `before` is what the
/// drift check read before it.
fn undo(
    change: &Change,
    result: &Applied,
    before: Option<&serde_json::Value>,
    journal_id: &str,
) -> Result<Change, String> {
    Ok(match change {
        Change::SetMethodAuthorization {
            method,
            expected,
            new,
            ..
        } => {
            let needs_authorizer = matches!(
                expected,
                AuthorizationType::Custom | AuthorizationType::CognitoUserPools
            );
            let authorizer_id = before
                .and_then(|b| b.get(AUTHORIZER_ID))
                .and_then(|a| a.as_str())
                .map(str::to_string);
            if needs_authorizer && authorizer_id.is_none() {
                return Err(format!(
                    "the journal does not record the authorizer of {} {} of {}: restore its \
                     {} authorization by hand",
                    method.http_method,
                    method.path,
                    method.api_id,
                    expected.as_str()
                ));
            }
            Change::SetMethodAuthorization {
                method: method.clone(),
                expected: new.clone(),
                new: expected.clone(),
                authorizer_id: authorizer_id.filter(|_| needs_authorizer),
            }
        }
        Change::SetResourcePolicy {
            api_id,
            expected,
            new,
        } => Change::SetResourcePolicy {
            api_id: api_id.clone(),
            expected: (!new.is_empty()).then(|| new.clone()),
            new: expected.as_deref().map(sendable).unwrap_or_default(),
        },
        Change::SetEndpointPolicy {
            endpoint_id,
            expected,
            new,
        } => Change::SetEndpointPolicy {
            endpoint_id: endpoint_id.clone(),
            expected: Some(new.clone()),
            new: expected
                .as_deref()
                .map_or_else(|| Policy::full_access().to_json_string(), sendable),
        },
        Change::AuthorizeIngress { group_id, .. } | Change::RestoreIngress { group_id, .. } => {
            let rule = change
                .added_rule()
                .expect("authorize and restore add a rule");
            Change::RevokeIngress {
                group_id: group_id.clone(),
                expected: IngressRule {
                    rule_id: added_rule(result, change)?,
                    ..rule
                },
            }
        }
        Change::RevokeIngress { group_id, expected } => Change::RestoreIngress {
            group_id: group_id.clone(),
            rule: expected.clone(),
        },
        Change::Redeploy {
            api_id,
            stage,
            expected_deployment_id,
            ..
        } => {
            let Applied::Deployed { deployment_id } = result else {
                return Err(format!(
                    "the journal does not record the deployment made for stage {stage} of \
                     {api_id}: point the stage back by hand (console: Stages, {stage}, \
                     Deployment history)"
                ));
            };
            match expected_deployment_id {
                // Back on the deployment it had: exactly what callers had before.
                Some(previous) => Change::RestoreStage {
                    api_id: api_id.clone(),
                    stage: stage.clone(),
                    expected_deployment_id: deployment_id.clone(),
                    deployment_id: previous.clone(),
                },
                // It had none: a new deployment of the restored configuration.
                None => Change::Redeploy {
                    api_id: api_id.clone(),
                    stage: stage.clone(),
                    expected_deployment_id: Some(deployment_id.clone()),
                    description: format!("ztharden rollback of {journal_id}"),
                },
            }
        }
        Change::RestoreStage {
            api_id,
            stage,
            expected_deployment_id,
            deployment_id,
        } => Change::RestoreStage {
            api_id: api_id.clone(),
            stage: stage.clone(),
            expected_deployment_id: deployment_id.clone(),
            deployment_id: expected_deployment_id.clone(),
        },
    })
}

/// A policy as it can be sent back: API Gateway returns resource policies as escaped JSON
/// strings, which it does not accept as a policy; those go back as the document they stand
/// for. Text that is JSON already, or that does not parse at all, goes back as it is.
fn sendable(text: &str) -> String {
    if matches!(
        serde_json::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(_))
    ) {
        return text.to_string();
    }
    match crate::model::PolicyText::new(text).parsed() {
        Ok(policy) => policy.to_json_string(),
        Err(_) => text.to_string(),
    }
}

fn added_rule(result: &Applied, change: &Change) -> Result<String, String> {
    match result {
        Applied::RuleAdded { rule_id } => Ok(rule_id.clone()),
        _ => Err(format!(
            "the journal does not record the id of the rule added by \"{}\"",
            change.summary()
        )),
    }
}
