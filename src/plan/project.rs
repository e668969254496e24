//! What a posture will look like once changes are applied: the safety checks judge this,
//! and the sandbox applies its writes the same way.

use super::Change;
use crate::model::{IngressRule, PolicyText, Posture, RuleSource};

/// The posture after `changes`, applied in order. A change whose target is missing is
/// skipped here; the drift check at apply time is what refuses it.
pub fn project(posture: &Posture, changes: &[Change]) -> Posture {
    let mut p = posture.clone();
    for change in changes {
        apply(&mut p, change);
    }
    p
}

fn apply(p: &mut Posture, change: &Change) {
    match change {
        Change::SetMethodAuthorization {
            method,
            new,
            authorizer_id,
            ..
        } => {
            let found = p
                .apis
                .iter_mut()
                .filter(|a| a.id == method.api_id)
                .flat_map(|a| a.resources.iter_mut().flatten())
                .filter(|r| r.id == method.resource_id)
                .flat_map(|r| r.methods.iter_mut())
                .find(|m| m.http_method == method.http_method);
            if let Some(m) = found {
                m.authorization_type = new.clone();
                if !matches!(
                    new,
                    crate::model::AuthorizationType::Custom
                        | crate::model::AuthorizationType::CognitoUserPools
                ) {
                    m.authorizer_id = None;
                } else if authorizer_id.is_some() {
                    m.authorizer_id = authorizer_id.clone();
                }
            }
        }
        Change::SetResourcePolicy { api_id, new, .. } => {
            if let Some(api) = p.apis.iter_mut().find(|a| &a.id == api_id) {
                api.policy = (!new.is_empty()).then(|| PolicyText::new(new.clone()));
            }
        }
        Change::SetEndpointPolicy {
            endpoint_id, new, ..
        } => {
            if let Some(e) = p.endpoints.iter_mut().find(|e| &e.id == endpoint_id) {
                e.policy = Some(PolicyText::new(new.clone()));
            }
        }
        Change::AuthorizeIngress {
            group_id,
            source_group_id,
            ..
        } => {
            let owner = p
                .security_group(source_group_id)
                .map(|g| g.owner_id.to_string());
            if let (Some(rules), Some(mut rule)) = (rules_of(p, group_id), change.added_rule()) {
                rule.rule_id = format!("sgr-planned-{source_group_id}");
                rule.source = RuleSource::Group {
                    group_id: source_group_id.clone(),
                    owner_id: owner,
                };
                rules.push(rule);
            }
        }
        Change::RevokeIngress { group_id, expected } => {
            if let Some(rules) = rules_of(p, group_id) {
                rules.retain(|r| r.rule_id != expected.rule_id);
            }
        }
        Change::RestoreIngress { group_id, rule } => {
            if let Some(rules) = rules_of(p, group_id) {
                rules.push(rule.clone());
            }
        }
        Change::Redeploy { .. } | Change::RestoreStage { .. } => {}
    }
}

/// The ingress rules of a group, when the group and its rules were read.
fn rules_of<'a>(p: &'a mut Posture, group_id: &str) -> Option<&'a mut Vec<IngressRule>> {
    p.security_groups
        .iter_mut()
        .find(|g| g.id == group_id)
        .and_then(|g| g.ingress.as_mut())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sandbox::SandboxCloud;
    use crate::model::AuthorizationType;
    use crate::plan::MethodKey;

    #[test]
    fn projection_applies_each_kind_of_change() {
        let lab = SandboxCloud::lab_posture();
        let open_rule = lab
            .security_group("sg-0e9e9e9e9e9e9e9e9")
            .unwrap()
            .ingress
            .as_ref()
            .unwrap()[0]
            .clone();
        let changes = vec![
            Change::SetMethodAuthorization {
                method: MethodKey {
                    api_id: "a1b2c3d4e5".into(),
                    resource_id: "ord1a2b3c4".into(),
                    path: "/orders".into(),
                    http_method: "GET".into(),
                },
                expected: AuthorizationType::None,
                new: AuthorizationType::AwsIam,
                authorizer_id: None,
            },
            Change::SetEndpointPolicy {
                endpoint_id: "vpce-0e9e9e9e9e9e9e9e9".into(),
                expected: None,
                new: r#"{"Statement":[]}"#.into(),
            },
            Change::AuthorizeIngress {
                group_id: "sg-0e9e9e9e9e9e9e9e9".into(),
                source_group_id: "sg-0a1a1a1a1a1a1a1a1".into(),
                port: 443,
                description: "HTTPS from service-a".into(),
            },
            Change::RevokeIngress {
                group_id: "sg-0e9e9e9e9e9e9e9e9".into(),
                expected: open_rule,
            },
        ];
        let after = project(&lab, &changes);
        let orders = after.api("a1b2c3d4e5").unwrap();
        let auth = |verb: &str| {
            orders
                .methods()
                .find(|(r, m)| r.path == "/orders" && m.http_method == verb)
                .map(|(_, m)| m.authorization_type.clone())
        };
        assert_eq!(auth("GET"), Some(AuthorizationType::AwsIam));
        assert_eq!(auth("POST"), Some(AuthorizationType::None));
        assert_eq!(
            after.endpoints[0].policy.as_ref().unwrap().raw(),
            r#"{"Statement":[]}"#
        );
        let rules = after
            .security_group("sg-0e9e9e9e9e9e9e9e9")
            .unwrap()
            .ingress
            .clone()
            .unwrap();
        assert_eq!(rules.len(), 1);
        assert!(
            matches!(&rules[0].source, RuleSource::Group { group_id, .. } if group_id == "sg-0a1a1a1a1a1a1a1a1")
        );
        assert_eq!(lab, SandboxCloud::lab_posture(), "the input is not touched");
    }
}
