//! The writes of the `Cloud` trait agree between the sandbox and the AWS adapter: the same
//! changes, made in the sandbox and through the SDK in moto seeded with the lab, read back the
//! same way; the same bad requests fail with the same kind of error, naming the resource, and
//! change nothing.

mod support;

/// The writes a rollback makes, on both targets.
#[path = "cloud_writes/rollback.rs"]
mod rollback;

use aws_sdk_apigateway::operation::create_deployment::CreateDeploymentOutput;
use aws_sdk_ec2::operation::authorize_security_group_ingress::AuthorizeSecurityGroupIngressOutput;
use aws_sdk_ec2::types::SecurityGroupRule;
use aws_smithy_mocks::mock;
use support::mocks::{MOCK_ATTEMPTS, Rules, json_error};
use support::{IdMap, Moto};
use ztharden::cloud::aws::AwsCloud;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Applied, Cloud, CloudError, CloudErrorKind, CloudLabel, NoProgress};
use ztharden::model::{AuthorizationType, IngressRule, Posture, RuleSource};
use ztharden::plan::{Change, MethodKey};

const ORDERS: &str = "a1b2c3d4e5";
const ORDERS_LIST: &str = "ord1a2b3c4";
const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
const ENDPOINT_SG: &str = "sg-0e9e9e9e9e9e9e9e9";
const SERVICE_A_SG: &str = "sg-0a1a1a1a1a1a1a1a1";
const OPEN_RULE: &str = "sgr-0e9e9e9e9e9e90443";
const UNKNOWN_API: &str = "zz9zz9zz9z";
const UNKNOWN_GROUP: &str = "sg-0123456789abcdef0";
const UNKNOWN_RULE: &str = "sgr-0123456789abcdef0";
const UNKNOWN_VPCE: &str = "vpce-0123456789abcdef0";
const UNKNOWN_RESOURCE: &str = "zzzzzzzzzz";
/// Ids no target has: they are sent as they are.
const UNKNOWN: [&str; 5] = [
    UNKNOWN_API,
    UNKNOWN_GROUP,
    UNKNOWN_RULE,
    UNKNOWN_VPCE,
    UNKNOWN_RESOURCE,
];

/// A cloud to write to, with the ids it gave the lab's resources.
struct Target {
    name: &'static str,
    cloud: Box<dyn Cloud>,
    ids: Option<IdMap>,
    _moto: Option<Moto>,
}

impl Target {
    fn sandbox() -> Self {
        Self {
            name: "sandbox",
            cloud: Box::new(SandboxCloud::lab()),
            ids: None,
            _moto: None,
        }
    }

    async fn moto() -> Option<Self> {
        let moto = Moto::start()?;
        let ids = moto.seed();
        Some(Self {
            name: "moto",
            cloud: Box::new(moto.cloud().await),
            ids: Some(ids),
            _moto: Some(moto),
        })
    }

    /// Both targets, the sandbox first (moto only when it is available).
    async fn all() -> Vec<Self> {
        let mut targets = vec![Self::sandbox()];
        targets.extend(Self::moto().await);
        targets
    }

    /// This target's id for a lab id (or one of the [`UNKNOWN`] ids).
    fn id(&self, lab_id: &str) -> String {
        match &self.ids {
            Some(ids) if !UNKNOWN.contains(&lab_id) => ids.moto(lab_id).to_string(),
            _ => lab_id.to_string(),
        }
    }

    /// The posture, with the lab's ids.
    async fn read(&self) -> Posture {
        let p = self
            .cloud
            .read_posture(&NoProgress)
            .await
            .unwrap_or_else(|e| panic!("{}: read: {e}", self.name));
        assert!(p.gaps.is_empty(), "{}: {:#?}", self.name, p.gaps);
        match &self.ids {
            Some(ids) => support::canonical(ids.to_fixture_ids(&p)),
            None => support::canonical(p),
        }
    }

    async fn apply(&self, change: &Change) -> Applied {
        self.cloud
            .apply(change)
            .await
            .unwrap_or_else(|e| panic!("{}: {}: {e}", self.name, change.summary()))
    }

    async fn refuse(&self, change: &Change) -> CloudError {
        match self.cloud.apply(change).await {
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
            api_id: self.id(ORDERS),
            resource_id: self.id(resource_id),
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
            group_id: self.id(group),
            source_group_id: self.id(source),
            port: 443,
            description: "HTTPS from service-a".into(),
        }
    }

    fn revoke(&self, group: &str, rule_id: &str) -> Change {
        Change::RevokeIngress {
            group_id: self.id(group),
            expected: IngressRule {
                rule_id: self.id(rule_id),
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
            api_id: self.id(api),
            stage: stage.into(),
            expected_deployment_id: None,
            description: "ztharden: iam-auth".into(),
        }
    }
}

/// A policy that names no resource id, so it reads back the same on both targets.
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
    for t in Target::all().await {
        let name = t.name;

        let get = t.method(ORDERS_LIST, "/orders", "GET");
        let applied = t.apply(&t.set_auth(get, AuthorizationType::AwsIam)).await;
        assert_eq!(applied, Applied::Done, "{name}");
        let p = t.read().await;
        assert_eq!(auth_of(&p, ORDERS_LIST, "GET"), "AWS_IAM", "{name}");
        assert_eq!(auth_of(&p, ORDERS_LIST, "POST"), "NONE", "{name}: only GET");

        let change = Change::SetResourcePolicy {
            api_id: t.id(ORDERS),
            expected: None,
            new: policy("Allow"),
        };
        assert_eq!(t.apply(&change).await, Applied::Done, "{name}");
        let p = t.read().await;
        let raw = p.api(ORDERS).unwrap().policy.clone().unwrap();
        assert_eq!(json(raw.raw()), json(&policy("Allow")), "{name}");

        let change = Change::SetEndpointPolicy {
            endpoint_id: t.id(VPCE),
            expected: None,
            new: policy("Deny"),
        };
        assert_eq!(t.apply(&change).await, Applied::Done, "{name}");
        let p = t.read().await;
        let raw = p.endpoints[0].policy.clone().unwrap();
        assert_eq!(json(raw.raw()), json(&policy("Deny")), "{name}");

        let before = deployment(&p, ORDERS, "prod");
        let Applied::Deployed { deployment_id } = t.apply(&t.redeploy(ORDERS, "prod")).await else {
            panic!("{name}: a redeploy names its deployment")
        };
        let p = t.read().await;
        assert_eq!(deployment(&p, ORDERS, "prod"), Some(deployment_id.clone()));
        assert_ne!(before, Some(deployment_id), "{name}: a new deployment");

        let Applied::RuleAdded { rule_id } = t.apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG)).await
        else {
            panic!("{name}: an added rule is named")
        };
        assert!(rule_id.starts_with("sgr-"), "{name}: {rule_id}");
        let p = t.read().await;
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
        let p = t.read().await;
        let left: Vec<String> = rules(&p, ENDPOINT_SG)
            .into_iter()
            .map(|r| r.rule_id)
            .collect();
        assert_eq!(left, [rule_id], "{name}: only the open rule is gone");
    }
}

#[tokio::test]
async fn deploying_to_a_stage_that_does_not_exist_creates_it_as_aws_does() {
    for t in Target::all().await {
        let Applied::Deployed { deployment_id } = t.apply(&t.redeploy(ORDERS, "canary")).await
        else {
            panic!("{}: a redeploy names its deployment", t.name)
        };
        let p = t.read().await;
        assert_eq!(deployment(&p, ORDERS, "canary"), Some(deployment_id));
        assert!(deployment(&p, ORDERS, "prod").is_some(), "{}", t.name);
    }
}

/// A bad request: the change, the code AWS answers with, and the id the error must name.
struct Bad {
    change: Change,
    code: &'static str,
    /// The code moto answers with, where it differs from AWS's (the kind is the same).
    moto_code: Option<&'static str>,
    names: String,
}

fn bad_requests(t: &Target) -> Vec<Bad> {
    let bad = |change: Change, code: &'static str, names: String| Bad {
        change,
        code,
        moto_code: None,
        names,
    };
    let mut unknown_api = t.method(ORDERS_LIST, "/orders", "GET");
    unknown_api.api_id = UNKNOWN_API.into();
    let mut unknown_resource = t.method(ORDERS_LIST, "/orders", "GET");
    unknown_resource.resource_id = UNKNOWN_RESOURCE.into();
    vec![
        bad(
            t.set_auth(unknown_api, AuthorizationType::AwsIam),
            "NotFoundException",
            UNKNOWN_API.into(),
        ),
        bad(
            t.set_auth(unknown_resource, AuthorizationType::AwsIam),
            "NotFoundException",
            UNKNOWN_RESOURCE.into(),
        ),
        bad(
            t.set_auth(
                t.method(ORDERS_LIST, "/orders", "PATCH"),
                AuthorizationType::AwsIam,
            ),
            "NotFoundException",
            t.id(ORDERS),
        ),
        bad(
            Change::SetResourcePolicy {
                api_id: UNKNOWN_API.into(),
                expected: None,
                new: policy("Allow"),
            },
            "NotFoundException",
            UNKNOWN_API.into(),
        ),
        bad(
            t.redeploy(UNKNOWN_API, "prod"),
            "NotFoundException",
            UNKNOWN_API.into(),
        ),
        bad(
            Change::SetEndpointPolicy {
                endpoint_id: UNKNOWN_VPCE.into(),
                expected: None,
                new: policy("Allow"),
            },
            "InvalidVpcEndpointId.NotFound",
            UNKNOWN_VPCE.into(),
        ),
        bad(
            t.authorize(UNKNOWN_GROUP, SERVICE_A_SG),
            "InvalidGroup.NotFound",
            UNKNOWN_GROUP.into(),
        ),
        bad(
            t.authorize(ENDPOINT_SG, UNKNOWN_GROUP),
            "InvalidGroup.NotFound",
            UNKNOWN_GROUP.into(),
        ),
        bad(
            t.authorize(ENDPOINT_SG, SERVICE_A_SG),
            "InvalidPermission.Duplicate",
            t.id(ENDPOINT_SG),
        ),
        // moto 5.2.5 answers an unknown rule id with InvalidPermission.NotFound.
        Bad {
            moto_code: Some("InvalidPermission.NotFound"),
            ..bad(
                t.revoke(ENDPOINT_SG, UNKNOWN_RULE),
                "InvalidSecurityGroupRuleId.NotFound",
                UNKNOWN_RULE.into(),
            )
        },
        bad(
            t.revoke(UNKNOWN_GROUP, OPEN_RULE),
            "InvalidGroup.NotFound",
            UNKNOWN_GROUP.into(),
        ),
    ]
}

fn assert_refused(t: &Target, err: &CloudError, bad: &Bad) {
    let what = format!("{}: {}", t.name, bad.change.summary());
    assert_eq!(err.kind, CloudErrorKind::InvalidInput, "{what}: {err}");
    let operation = bad.change.aws_call().split(':').nth(1).unwrap();
    assert_eq!(err.operation, operation, "{what}");
    let code = match (t.name, bad.moto_code) {
        ("moto", Some(code)) => code,
        _ => bad.code,
    };
    assert!(err.message.contains(code), "{what}: {err}");
    let resource = err.resource.clone().unwrap_or_default();
    assert!(resource.contains(&bad.names), "{what}: {err}");
    assert!(err.to_string().contains(&bad.names), "{what}: {err}");
}

#[tokio::test]
async fn bad_requests_fail_alike_and_change_nothing() {
    for t in Target::all().await {
        // The rule the duplicate case adds again.
        t.apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG)).await;
        let before = t.read().await;
        for bad in bad_requests(&t) {
            let err = t.refuse(&bad.change).await;
            assert_refused(&t, &err, &bad);
        }
        assert_eq!(
            t.read().await,
            before,
            "{}: a refused write changes nothing",
            t.name
        );
    }
}

/// What moto 5.2.5 accepts but AWS refuses (moto checks neither the authorization type, nor
/// that CUSTOM comes with an authorizer, nor the policy's syntax), so only the sandbox is held
/// to it here.
#[tokio::test]
async fn the_sandbox_refuses_what_aws_refuses_and_moto_lets_through() {
    let t = Target::sandbox();
    let custom = t.method(ORDERS_LIST, "/orders", "POST");
    let cases = vec![
        Bad {
            change: t.set_auth(
                t.method(ORDERS_LIST, "/orders", "GET"),
                AuthorizationType::Other("IAM".into()),
            ),
            code: "BadRequestException",
            moto_code: None,
            names: ORDERS.into(),
        },
        Bad {
            change: t.set_auth(custom, AuthorizationType::Custom),
            code: "BadRequestException",
            moto_code: None,
            names: ORDERS_LIST.into(),
        },
        Bad {
            change: Change::SetResourcePolicy {
                api_id: ORDERS.into(),
                expected: None,
                new: "{\"Statement\": [".into(),
            },
            code: "BadRequestException",
            moto_code: None,
            names: ORDERS.into(),
        },
        Bad {
            change: Change::SetEndpointPolicy {
                endpoint_id: VPCE.into(),
                expected: None,
                new: "not json".into(),
            },
            code: "MalformedPolicyDocument",
            moto_code: None,
            names: VPCE.into(),
        },
    ];
    let before = t.read().await;
    for bad in &cases {
        let err = t.refuse(&bad.change).await;
        assert_refused(&t, &err, bad);
    }
    assert_eq!(t.read().await, before, "a refused write changes nothing");
}

#[tokio::test]
async fn the_sandbox_keeps_a_methods_authorizer_only_where_it_takes_one() {
    let t = Target::sandbox();
    let put = MethodKey {
        api_id: "f6g7h8i9j0".into(),
        resource_id: "itmsk5e6f7".into(),
        path: "/items/{sku}".into(),
        http_method: "PUT".into(),
    };
    t.apply(&t.set_auth(put.clone(), AuthorizationType::AwsIam))
        .await;
    let p = t.read().await;
    let api = p.api("f6g7h8i9j0").unwrap();
    let (_, m) = api
        .methods()
        .find(|(r, m)| r.id == "itmsk5e6f7" && m.http_method == "PUT")
        .unwrap();
    assert_eq!(m.authorization_type, AuthorizationType::AwsIam);
    assert_eq!(m.authorizer_id, None, "AWS_IAM takes no authorizer");
    // Without its authorizer the method cannot go back to CUSTOM, as on AWS.
    let err = t.refuse(&t.set_auth(put, AuthorizationType::Custom)).await;
    assert!(err.message.contains("authorizer"), "{err}");
}

// What moto cannot show: the exact requests, answers without the ids, and throttling.

fn mocked(rules: Rules) -> AwsCloud {
    AwsCloud::from_clients(
        rules.clients(),
        CloudLabel::Aws {
            profile: None,
            endpoint_url: None,
        },
    )
}

#[tokio::test]
async fn the_adapter_sends_the_group_pair_with_its_description_and_returns_the_rule_id() {
    let authorize = mock!(aws_sdk_ec2::Client::authorize_security_group_ingress)
        .match_requests(|r| {
            let p = &r.ip_permissions()[0];
            let pair = &p.user_id_group_pairs()[0];
            r.group_id() == Some(ENDPOINT_SG)
                && p.ip_protocol() == Some("tcp")
                && (p.from_port(), p.to_port()) == (Some(443), Some(443))
                && pair.group_id() == Some(SERVICE_A_SG)
                && pair.description() == Some("HTTPS from service-a")
        })
        .then_output(|| {
            AuthorizeSecurityGroupIngressOutput::builder()
                .r#return(true)
                .security_group_rules(
                    SecurityGroupRule::builder()
                        .security_group_rule_id("sgr-0f00f00f00f00f00f")
                        .build(),
                )
                .build()
        });
    let cloud = mocked(Rules::new().ec2(authorize.clone()));
    let t = Target::sandbox();
    let applied = cloud
        .apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG))
        .await
        .unwrap();
    assert_eq!(
        applied,
        Applied::RuleAdded {
            rule_id: "sgr-0f00f00f00f00f00f".into()
        }
    );
    assert_eq!(authorize.num_calls(), 1);
}

#[tokio::test]
async fn an_answer_without_the_new_id_is_an_error_naming_the_resource() {
    let authorize = mock!(aws_sdk_ec2::Client::authorize_security_group_ingress)
        .then_output(|| AuthorizeSecurityGroupIngressOutput::builder().build());
    let deploy = mock!(aws_sdk_apigateway::Client::create_deployment)
        .match_requests(|r| {
            r.stage_name() == Some("prod") && r.description() == Some("ztharden: iam-auth")
        })
        .then_output(|| CreateDeploymentOutput::builder().build());
    let cloud = mocked(Rules::new().ec2(authorize).apigateway(deploy));
    let t = Target::sandbox();
    let err = cloud
        .apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG))
        .await
        .unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Service, "{err}");
    assert!(err.to_string().contains(ENDPOINT_SG), "{err}");
    assert!(err.message.contains("no rule id"), "{err}");
    let err = cloud.apply(&t.redeploy(ORDERS, "prod")).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Service, "{err}");
    assert_eq!(err.resource.as_deref(), Some("a1b2c3d4e5 stage prod"));
}

#[tokio::test]
async fn a_throttled_write_is_retried_by_the_sdk_then_fails_as_throttled() {
    let throttled = mock!(aws_sdk_apigateway::Client::update_method)
        .match_requests(|r| {
            let op = &r.patch_operations()[0];
            op.path() == Some("/authorizationType") && op.value() == Some("AWS_IAM")
        })
        .then_http_response(|| json_error(429, "TooManyRequestsException", "Too Many Requests"));
    let cloud = mocked(Rules::new().apigateway(throttled.clone()));
    let t = Target::sandbox();
    let change = t.set_auth(
        t.method(ORDERS_LIST, "/orders", "GET"),
        AuthorizationType::AwsIam,
    );
    let err = cloud.apply(&change).await.unwrap_err();
    assert_eq!(throttled.num_calls() as u32, MOCK_ATTEMPTS);
    assert_eq!(err.kind, CloudErrorKind::Throttled, "{err}");
    assert_eq!(err.operation, "UpdateMethod");
    assert!(err.to_string().contains("a1b2c3d4e5 GET /orders"), "{err}");
}
