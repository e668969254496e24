//! The writes a rollback makes, on the sandbox and on moto alike: a revoked rule restored (a
//! CIDR rule and one that references a group), a method's authorizer given back with CUSTOM,
//! and a resource policy removed.

use super::refused::{Bad, assert_refused};
use super::*;

use support::lab::{INVENTORY, SKU, SKU_AUTHORIZER};

impl Account {
    /// `rule` (read with the lab's ids) with this account's ids (a rule id the lab does not
    /// have is this account's already).
    fn rule_here(&self, rule: &IngressRule) -> IngressRule {
        let rule_id = self.own_id(&rule.rule_id);
        let source = match &rule.source {
            RuleSource::Group { group_id, owner_id } => RuleSource::Group {
                group_id: self.here(group_id),
                owner_id: owner_id.clone(),
            },
            other => other.clone(),
        };
        IngressRule {
            rule_id,
            source,
            ..rule.clone()
        }
    }

    fn restore(&self, group: &str, rule: &IngressRule) -> Change {
        Change::RestoreIngress {
            group_id: self.here(group),
            rule: self.rule_here(rule),
        }
    }

    /// Restores `rule` (as read) and checks that it reads back the same, with a new id.
    async fn restored(&self, group: &str, rule: &IngressRule) -> String {
        let name = self.name;
        let Applied::RuleAdded { rule_id } = self.apply(&self.restore(group, rule)).await else {
            panic!("{name}: a restored rule is named")
        };
        assert!(rule_id.starts_with("sgr-"), "{name}: {rule_id}");
        assert_ne!(rule_id, self.rule_here(rule).rule_id, "{name}: a new id");
        let p = self.read_lab().await;
        let back = rules(&p, group)
            .into_iter()
            .find(|r| r.rule_id == rule_id)
            .unwrap_or_else(|| panic!("{name}: {rule_id} is not in {group}"));
        let expected = IngressRule {
            rule_id: rule_id.clone(),
            ..rule.clone()
        };
        assert_eq!(back, expected, "{name}: restored as it was");
        rule_id
    }
}

#[tokio::test]
async fn a_revoked_rule_is_restored_as_it_was_with_a_new_id() {
    for t in Account::all().await {
        let name = t.name;
        // A CIDR rule: the lab's open rule.
        let open = rules(&t.read_lab().await, ENDPOINT_SG)
            .into_iter()
            .find(|r| r.rule_id == OPEN_RULE)
            .unwrap();
        assert!(open.source.is_anywhere() && open.description.is_some());
        t.apply(&t.revoke(ENDPOINT_SG, OPEN_RULE)).await;
        t.restored(ENDPOINT_SG, &open).await;

        // A rule that references a group, added, revoked by its id, then restored.
        let Applied::RuleAdded { rule_id } = t.apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG)).await
        else {
            panic!("{name}: an added rule is named")
        };
        let added = rules(&t.read_lab().await, ENDPOINT_SG)
            .into_iter()
            .find(|r| r.rule_id == rule_id)
            .unwrap();
        assert!(
            matches!(&added.source, RuleSource::Group { owner_id: Some(o), .. } if o == support::ACCOUNT),
            "{name}: {:?}",
            added.source
        );
        let revoke = Change::RevokeIngress {
            group_id: t.id(ENDPOINT_SG),
            expected: t.rule_here(&added),
        };
        assert_eq!(t.apply(&revoke).await, Applied::Done, "{name}");
        assert!(
            !rules(&t.read_lab().await, ENDPOINT_SG)
                .iter()
                .any(|r| r.rule_id == rule_id),
            "{name}: {rule_id} is revoked"
        );
        t.restored(ENDPOINT_SG, &added).await;
        assert_eq!(rules(&t.read_lab().await, ENDPOINT_SG).len(), 2, "{name}");
    }
}

#[tokio::test]
async fn restoring_a_rule_the_group_has_is_refused_alike_and_changes_nothing() {
    for t in Account::all().await {
        t.apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG)).await;
        let before = t.read_lab().await;
        let rules = rules(&before, ENDPOINT_SG);
        assert_eq!(rules.len(), 2, "{}: the open rule and service-a's", t.name);
        // A rule is its protocol, ports and peer: another description is the same rule.
        let described = |r: &IngressRule| IngressRule {
            description: Some("restored by hand".into()),
            ..r.clone()
        };
        for rule in rules.iter().flat_map(|r| [r.clone(), described(r)]) {
            let bad = Bad {
                change: t.restore(ENDPOINT_SG, &rule),
                code: "InvalidPermission.Duplicate",
                moto_code: None,
                names: t.id(ENDPOINT_SG),
            };
            let err = t.refuse(&bad.change).await;
            assert_refused(&t, &err, &bad);
        }
        assert_eq!(t.read_lab().await, before, "{}: nothing changed", t.name);
    }
}

#[tokio::test]
async fn a_method_gets_its_authorizer_back_with_custom() {
    for t in Account::all().await {
        let name = t.name;
        let method = MethodKey {
            api_id: t.id(INVENTORY),
            resource_id: t.id(SKU),
            path: "/items/{sku}".into(),
            http_method: "GET".into(),
        };
        let change = Change::SetMethodAuthorization {
            method,
            expected: AuthorizationType::AwsIam,
            new: AuthorizationType::Custom,
            authorizer_id: Some(t.id(SKU_AUTHORIZER)),
        };
        assert_eq!(t.apply(&change).await, Applied::Done, "{name}");
        let p = t.read_lab().await;
        let api = p.api(INVENTORY).unwrap();
        let method = |verb: &str| {
            api.methods()
                .find(|(r, m)| r.id == SKU && m.http_method == verb)
                .map(|(_, m)| (m.authorization_type.clone(), m.authorizer_id.clone()))
                .unwrap()
        };
        let custom = (AuthorizationType::Custom, Some(SKU_AUTHORIZER.to_string()));
        assert_eq!(method("GET"), custom, "{name}");
        assert_eq!(method("PUT"), custom, "{name}: as the lab has it");
    }
}

#[tokio::test]
async fn an_empty_resource_policy_removes_it() {
    for t in Account::all().await {
        assert!(t.read_lab().await.api(ORDERS).unwrap().policy.is_some());
        let change = Change::SetResourcePolicy {
            api_id: t.id(ORDERS),
            expected: None,
            new: String::new(),
        };
        assert_eq!(t.apply(&change).await, Applied::Done, "{}", t.name);
        let p = t.read_lab().await;
        assert_eq!(p.api(ORDERS).unwrap().policy, None, "{}: no policy", t.name);
        assert!(p.api(INVENTORY).unwrap().policy.is_some(), "{}", t.name);
    }
}
