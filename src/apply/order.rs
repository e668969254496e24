//! The order an apply makes its changes in, and the plan shapes it refuses.
//!
//! Method, policy and endpoint changes and new rules first (in plan order), then the rules
//! revoked (so a group never passes through a state without the new rule), then the
//! redeploys (so one deployment carries every change to its API). Each target is changed at
//! most once per apply, and each stage deployed at most once.

use std::collections::BTreeSet;

use crate::plan::Change;

/// The indices of `changes` in the order they are applied, or why the changes cannot be
/// applied together.
pub fn apply_order(changes: &[Change]) -> Result<Vec<usize>, String> {
    let mut seen = BTreeSet::new();
    for change in changes {
        if let Some(key) = once_key(change)
            && !seen.insert(key.clone())
        {
            return Err(format!("the plan changes {} twice; make a new plan", key.1));
        }
    }
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&i| phase(&changes[i]));
    Ok(order)
}

/// The order to show `changes` in: the apply order, or plan order for changes the engine
/// will refuse anyway (it says why then).
pub fn display_order(changes: &[Change]) -> Vec<usize> {
    apply_order(changes).unwrap_or_else(|_| (0..changes.len()).collect())
}

fn phase(change: &Change) -> u8 {
    match change {
        Change::RevokeIngress { .. } => 1,
        Change::Redeploy { .. } | Change::RestoreStage { .. } => 2,
        _ => 0,
    }
}

/// What a change may change only once per apply (the kind, then the target in words).
fn once_key(change: &Change) -> Option<(u8, String)> {
    match change {
        Change::SetMethodAuthorization { method, .. } => Some((
            0,
            format!(
                "method {} {} (resource {}) of {}",
                method.http_method, method.path, method.resource_id, method.api_id
            ),
        )),
        Change::SetResourcePolicy { api_id, .. } => {
            Some((1, format!("the resource policy of {api_id}")))
        }
        Change::SetEndpointPolicy { endpoint_id, .. } => {
            Some((2, format!("the policy of {endpoint_id}")))
        }
        Change::RevokeIngress { group_id, expected } => {
            Some((3, format!("rule {} of {group_id}", expected.rule_id)))
        }
        Change::Redeploy { api_id, stage, .. } | Change::RestoreStage { api_id, stage, .. } => {
            Some((4, format!("the deployment of stage {stage} of {api_id}")))
        }
        Change::AuthorizeIngress { .. } | Change::RestoreIngress { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AuthorizationType, IngressRule, RuleSource};
    use crate::plan::MethodKey;

    fn method(path: &str) -> Change {
        Change::SetMethodAuthorization {
            method: MethodKey {
                api_id: "a1".into(),
                resource_id: format!("r{path}"),
                path: path.into(),
                http_method: "GET".into(),
            },
            expected: AuthorizationType::None,
            new: AuthorizationType::AwsIam,
            authorizer_id: None,
        }
    }

    fn redeploy(stage: &str) -> Change {
        Change::Redeploy {
            api_id: "a1".into(),
            stage: stage.into(),
            expected_deployment_id: Some("d1".into()),
            description: "ztharden".into(),
        }
    }

    fn revoke(rule_id: &str) -> Change {
        Change::RevokeIngress {
            group_id: "sg-1".into(),
            expected: IngressRule {
                rule_id: rule_id.into(),
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                source: RuleSource::Ipv4("0.0.0.0/0".into()),
                description: None,
            },
        }
    }

    fn authorize() -> Change {
        Change::AuthorizeIngress {
            group_id: "sg-1".into(),
            source_group_id: "sg-2".into(),
            port: 443,
            description: "HTTPS".into(),
        }
    }

    #[test]
    fn new_rules_come_before_revokes_and_redeploys_come_last() {
        let changes = vec![
            revoke("sgr-1"),
            redeploy("prod"),
            method("/a"),
            authorize(),
            method("/b"),
        ];
        assert_eq!(apply_order(&changes).unwrap(), vec![2, 3, 4, 0, 1]);
    }

    #[test]
    fn a_plan_in_order_keeps_its_order() {
        let changes = vec![
            method("/a"),
            method("/b"),
            authorize(),
            revoke("sgr-1"),
            redeploy("prod"),
        ];
        assert_eq!(apply_order(&changes).unwrap(), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_stage_deployed_twice_or_a_target_changed_twice_is_refused() {
        let err = apply_order(&[redeploy("prod"), method("/a"), redeploy("prod")]).unwrap_err();
        assert!(err.contains("stage prod of a1 twice"), "{err}");
        let err = apply_order(&[method("/a"), method("/a")]).unwrap_err();
        assert!(err.contains("method GET /a"), "{err}");
        let err = apply_order(&[revoke("sgr-1"), revoke("sgr-1")]).unwrap_err();
        assert!(err.contains("rule sgr-1 of sg-1 twice"), "{err}");
        assert!(
            apply_order(&[
                redeploy("prod"),
                redeploy("dev"),
                revoke("sgr-1"),
                revoke("sgr-2")
            ])
            .is_ok()
        );
    }
}
