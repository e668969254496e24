//! The writes of the `Cloud` trait agree between the sandbox and the AWS adapter: the same
//! changes, made in the sandbox and through the SDK in moto seeded with the lab, read back the
//! same way ([`refused`]: the same bad requests fail with the same kind of error, naming the
//! resource, and change nothing).

mod support;

/// The writes a rollback makes, on both accounts.
#[path = "cloud_writes/rollback.rs"]
mod rollback;

/// Bad requests, refused alike.
#[path = "cloud_writes/refused.rs"]
mod refused;

/// What only mocked SDK clients can show.
#[path = "cloud_writes/mocked.rs"]
mod mocked;

use support::account::Account;
use support::lab::{ENDPOINT, ENDPOINT_SG, OPEN_RULE, ORDERS, ORDERS_LIST, SERVICE_A_SG};
use ztharden::cloud::{Applied, Cloud, CloudError, CloudErrorKind, CloudLabel};
use ztharden::model::{AuthorizationType, IngressRule, Posture, RuleSource};
use ztharden::plan::{Change, MethodKey};

const UNKNOWN_API: &str = "zz9zz9zz9z";
const UNKNOWN_GROUP: &str = "sg-0123456789abcdef0";
const UNKNOWN_RULE: &str = "sgr-0123456789abcdef0";
const UNKNOWN_VPCE: &str = "vpce-0123456789abcdef0";
const UNKNOWN_RESOURCE: &str = "zzzzzzzzzz";
/// Ids no account has: they are sent as they are.
const UNKNOWN: [&str; 5] = [
    UNKNOWN_API,
    UNKNOWN_GROUP,
    UNKNOWN_RULE,
    UNKNOWN_VPCE,
    UNKNOWN_RESOURCE,
];

/// The writes the tests make, on either account, with its ids.
impl Account {
    /// This account's id for a lab id, or one of the [`UNKNOWN`] ids as it is.
    fn here(&self, lab_id: &str) -> String {
        if UNKNOWN.contains(&lab_id) {
            lab_id.to_string()
        } else {
            self.id(lab_id)
        }
    }

    async fn apply(&self, change: &Change) -> Applied {
        self.cloud()
            .apply(change)
            .await
            .unwrap_or_else(|e| panic!("{}: {}: {e}{}", self.name, change.summary(), self.log()))
    }

    async fn refuse(&self, change: &Change) -> CloudError {
        match self.cloud().apply(change).await {
            Ok(applied) => panic!(
                "{}: {} was applied ({applied:?})",
                self.name,
                change.summary()
            ),
            Err(e) => e,
        }
    }

    fn method(&self, resource_id: &str, path: &str, verb: &str) -> MethodKey {
        MethodKey {
            api_id: self.here(ORDERS),
            resource_id: self.here(resource_id),
            path: path.into(),
            http_method: verb.into(),
        }
    }

    fn set_auth(&self, method: MethodKey, new: AuthorizationType) -> Change {
        Change::SetMethodAuthorization {
            method,
            expected: AuthorizationType::None,
            new,
            authorizer_id: None,
        }
    }

    fn authorize(&self, group: &str, source: &str) -> Change {
        Change::AuthorizeIngress {
            group_id: self.here(group),
            source_group_id: self.here(source),
            port: 443,
            description: "HTTPS from service-a".into(),
        }
    }

    fn revoke(&self, group: &str, rule_id: &str) -> Change {
        Change::RevokeIngress {
            group_id: self.here(group),
            expected: IngressRule {
                rule_id: self.here(rule_id),
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                source: RuleSource::Ipv4("0.0.0.0/0".into()),
                description: None,
            },
        }
    }

    fn redeploy(&self, api: &str, stage: &str) -> Change {
        Change::Redeploy {
            api_id: self.here(api),
            stage: stage.into(),
            expected_deployment_id: None,
            description: "ztharden: iam-auth".into(),
        }
    }
}

/// A policy that names no resource id, so it reads back the same on both accounts.
fn policy(effect: &str) -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": "execute-api:/*"}]})
    .to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn auth_of(p: &Posture, resource_id: &str, verb: &str) -> String {
    let api = p.api(ORDERS).unwrap();
    let (_, m) = api
        .methods()
        .find(|(r, m)| r.id == resource_id && m.http_method == verb)
        .unwrap_or_else(|| panic!("no {verb} on {resource_id}"));
    m.authorization_type.as_str().to_string()
}

fn rules(p: &Posture, group: &str) -> Vec<IngressRule> {
    p.security_group(group).unwrap().ingress.clone().unwrap()
}

fn deployment(p: &Posture, api: &str, stage: &str) -> Option<String> {
    let stages = p.api(api).unwrap().stages.clone().unwrap();
    stages
        .into_iter()
        .find(|s| s.name == stage)
        .and_then(|s| s.deployment_id)
}

#[tokio::test]
async fn each_write_shows_in_the_next_read() {
    for t in Account::all().await {
        let name = t.name;

        let get = t.method(ORDERS_LIST, "/orders", "GET");
        let applied = t.apply(&t.set_auth(get, AuthorizationType::AwsIam)).await;
        assert_eq!(applied, Applied::Done, "{name}");
        let p = t.read_lab().await;
        assert_eq!(auth_of(&p, ORDERS_LIST, "GET"), "AWS_IAM", "{name}");
        assert_eq!(auth_of(&p, ORDERS_LIST, "POST"), "NONE", "{name}: only GET");

        let change = Change::SetResourcePolicy {
            api_id: t.id(ORDERS),
            expected: None,
            new: policy("Allow"),
        };
        assert_eq!(t.apply(&change).await, Applied::Done, "{name}");
        let p = t.read_lab().await;
        let raw = p.api(ORDERS).unwrap().policy.clone().unwrap();
        assert_eq!(json(raw.raw()), json(&policy("Allow")), "{name}");

        let change = Change::SetEndpointPolicy {
            endpoint_id: t.id(ENDPOINT),
            expected: None,
            new: policy("Deny"),
        };
        assert_eq!(t.apply(&change).await, Applied::Done, "{name}");
        let p = t.read_lab().await;
        let raw = p.endpoints[0].policy.clone().unwrap();
        assert_eq!(json(raw.raw()), json(&policy("Deny")), "{name}");

        let before = deployment(&p, ORDERS, "prod");
        let Applied::Deployed { deployment_id } = t.apply(&t.redeploy(ORDERS, "prod")).await else {
            panic!("{name}: a redeploy names its deployment")
        };
        let p = t.read_lab().await;
        assert_eq!(deployment(&p, ORDERS, "prod"), Some(deployment_id.clone()));
        assert_ne!(before, Some(deployment_id), "{name}: a new deployment");

        let Applied::RuleAdded { rule_id } = t.apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG)).await
        else {
            panic!("{name}: an added rule is named")
        };
        assert!(rule_id.starts_with("sgr-"), "{name}: {rule_id}");
        let p = t.read_lab().await;
        let added = rules(&p, ENDPOINT_SG)
            .into_iter()
            .find(|r| r.rule_id == rule_id)
            .unwrap_or_else(|| panic!("{name}: {rule_id} is not in {ENDPOINT_SG}"));
        assert_eq!(added.protocol, "tcp", "{name}");
        assert_eq!((added.from_port, added.to_port), (Some(443), Some(443)));
        assert!(
            matches!(&added.source, RuleSource::Group { group_id, .. } if group_id == SERVICE_A_SG),
            "{name}: {:?}",
            added.source
        );
        assert_eq!(added.description.as_deref(), Some("HTTPS from service-a"));

        let applied = t.apply(&t.revoke(ENDPOINT_SG, OPEN_RULE)).await;
        assert_eq!(applied, Applied::Done, "{name}");
        let p = t.read_lab().await;
        let left: Vec<String> = rules(&p, ENDPOINT_SG)
            .into_iter()
            .map(|r| r.rule_id)
            .collect();
        assert_eq!(left, [rule_id], "{name}: only the open rule is gone");
    }
}

#[tokio::test]
async fn deploying_to_a_stage_that_does_not_exist_creates_it_as_aws_does() {
    for t in Account::all().await {
        let Applied::Deployed { deployment_id } = t.apply(&t.redeploy(ORDERS, "canary")).await
        else {
            panic!("{}: a redeploy names its deployment", t.name)
        };
        let p = t.read_lab().await;
        assert_eq!(deployment(&p, ORDERS, "canary"), Some(deployment_id));
        assert!(deployment(&p, ORDERS, "prod").is_some(), "{}", t.name);
    }
}
