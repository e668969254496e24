//! The sandbox and the AWS adapter agree: the same scenarios, built once in the sandbox and
//! once in moto through the SDK, give the same findings (moto's ids mapped back to the lab's).

mod support;

use aws_sdk_apigateway::types::{Op, PatchOperation};
use aws_sdk_ec2::types::{IpPermission, UserIdGroupPair};
use support::{IdMap, Moto};
use ztharden::cloud::aws::AwsClients;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Cloud, NoProgress};
use ztharden::model::{AuthorizationType, IngressRule, PolicyText, Posture, RuleSource};
use ztharden::steps::{Finding, assess};

const ORDERS: &str = "a1b2c3d4e5";
const VPCE: &str = "vpce-0e9e9e9e9e9e9e9e9";
const ENDPOINT_SG: &str = "sg-0e9e9e9e9e9e9e9e9";
const SERVICE_A_SG: &str = "sg-0a1a1a1a1a1a1a1a1";
const OPEN_RULE: &str = "sgr-0e9e9e9e9e9e90443";
const ORDERS_METHODS: [(&str, &str); 5] = [
    ("ord1a2b3c4", "GET"),
    ("ord1a2b3c4", "POST"),
    ("ordid5e6f7", "GET"),
    ("ordid5e6f7", "PUT"),
    ("ordid5e6f7", "DELETE"),
];

/// The guide's resource policy for orders, written with the ids `id` gives.
fn resource_policy(id: &dyn Fn(&str) -> String) -> String {
    let arn = format!(
        "arn:aws:execute-api:us-east-1:111122223333:{}/*",
        id(ORDERS)
    );
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn,
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": arn,
         "Condition": {"StringNotEquals": {"aws:SourceVpce": id(VPCE)}}}]})
    .to_string()
}

fn endpoint_policy(id: &dyn Fn(&str) -> String) -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/service-a-role"},
         "Action": "execute-api:Invoke",
         "Resource": [format!("arn:aws:execute-api:us-east-1:111122223333:{}/*", id(ORDERS)),
                      format!("arn:aws:execute-api:us-east-1:111122223333:{}/*", id("f6g7h8i9j0"))]}]})
    .to_string()
}

/// One scenario: a change of the lab, made in the sandbox's posture and through the SDK in moto.
#[derive(Clone, Copy, Debug)]
enum Scenario {
    AsSeeded,
    GuidePolicyOnUnsignedMethods,
    OrdersHardened,
}

impl Scenario {
    fn sandbox(self, p: &mut Posture) {
        let same = |s: &str| s.to_string();
        if matches!(
            self,
            Self::GuidePolicyOnUnsignedMethods | Self::OrdersHardened
        ) {
            let orders = p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap();
            orders.policy = Some(PolicyText::new(resource_policy(&same)));
        }
        if matches!(self, Self::OrdersHardened) {
            let orders = p.apis.iter_mut().find(|a| a.id == ORDERS).unwrap();
            for r in orders.resources.as_mut().unwrap() {
                for m in &mut r.methods {
                    if ORDERS_METHODS.contains(&(r.id.as_str(), m.http_method.as_str())) {
                        m.authorization_type = AuthorizationType::AwsIam;
                    }
                }
            }
            p.endpoints[0].policy = Some(PolicyText::new(endpoint_policy(&same)));
            let sg = p
                .security_groups
                .iter_mut()
                .find(|g| g.id == ENDPOINT_SG)
                .unwrap();
            sg.ingress = Some(vec![IngressRule {
                rule_id: "sgr-added".into(),
                protocol: "tcp".into(),
                from_port: Some(443),
                to_port: Some(443),
                source: RuleSource::Group {
                    group_id: SERVICE_A_SG.into(),
                    owner_id: Some("111122223333".into()),
                },
                description: Some("HTTPS from service-a".into()),
            }]);
        }
    }

    async fn moto(self, c: &AwsClients, ids: &IdMap) {
        let moto_id = |s: &str| ids.moto(s).to_string();
        if matches!(
            self,
            Self::GuidePolicyOnUnsignedMethods | Self::OrdersHardened
        ) {
            c.apigateway
                .update_rest_api()
                .rest_api_id(ids.moto(ORDERS))
                .patch_operations(replace("/policy", &resource_policy(&moto_id)))
                .send()
                .await
                .expect("UpdateRestApi");
        }
        if matches!(self, Self::OrdersHardened) {
            for (resource, verb) in ORDERS_METHODS {
                c.apigateway
                    .update_method()
                    .rest_api_id(ids.moto(ORDERS))
                    .resource_id(ids.moto(resource))
                    .http_method(verb)
                    .patch_operations(replace("/authorizationType", "AWS_IAM"))
                    .send()
                    .await
                    .expect("UpdateMethod");
            }
            c.ec2
                .modify_vpc_endpoint()
                .vpc_endpoint_id(ids.moto(VPCE))
                .policy_document(endpoint_policy(&moto_id))
                .send()
                .await
                .expect("ModifyVpcEndpoint");
            let pair = UserIdGroupPair::builder()
                .group_id(ids.moto(SERVICE_A_SG))
                .description("HTTPS from service-a")
                .build();
            let https = IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .user_id_group_pairs(pair)
                .build();
            c.ec2
                .authorize_security_group_ingress()
                .group_id(ids.moto(ENDPOINT_SG))
                .ip_permissions(https)
                .send()
                .await
                .expect("AuthorizeSecurityGroupIngress");
            c.ec2
                .revoke_security_group_ingress()
                .group_id(ids.moto(ENDPOINT_SG))
                .security_group_rule_ids(ids.moto(OPEN_RULE))
                .send()
                .await
                .expect("RevokeSecurityGroupIngress");
        }
    }
}

fn replace(path: &str, value: &str) -> PatchOperation {
    PatchOperation::builder()
        .op(Op::Replace)
        .path(path)
        .value(value)
        .build()
}

fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| (a.control, &a.resource_arn).cmp(&(b.control, &b.resource_arn)));
    findings
}

async fn sandbox_findings(scenario: Scenario) -> Vec<Finding> {
    let mut posture = SandboxCloud::lab().read_posture(&NoProgress).await.unwrap();
    scenario.sandbox(&mut posture);
    sorted(assess(&posture))
}

async fn moto_findings(scenario: Scenario) -> Option<Vec<Finding>> {
    let moto = Moto::start()?;
    let ids = moto.seed();
    scenario.moto(&moto.clients().await, &ids).await;
    let posture = moto
        .cloud()
        .await
        .read_posture(&NoProgress)
        .await
        .expect("read from moto");
    assert!(posture.gaps.is_empty(), "{scenario:?}: {:#?}", posture.gaps);
    Some(sorted(assess(&ids.to_fixture_ids(&posture))))
}

async fn agree(scenario: Scenario) -> Vec<Finding> {
    let sandbox = sandbox_findings(scenario).await;
    if let Some(moto) = moto_findings(scenario).await {
        assert_eq!(sandbox, moto, "{scenario:?}: the sandbox and moto disagree");
    }
    sandbox
}

fn status_of(findings: &[Finding], control: &str, api_or_resource: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.control.id() == control)
        .filter(|f| {
            f.api_name.as_deref() == Some(api_or_resource)
                || f.vpc_endpoint_id.as_deref() == Some(api_or_resource)
        })
        .map(|f| f.status.to_string())
        .collect()
}

#[tokio::test]
async fn the_lab_as_seeded() {
    let f = agree(Scenario::AsSeeded).await;
    assert_eq!(status_of(&f, "resource-policy", "orders"), ["fail"]);
    assert_eq!(status_of(&f, "endpoint-policy", VPCE), ["fail"]);
}

#[tokio::test]
async fn the_guide_policy_before_signing_locks_callers_out() {
    let f = agree(Scenario::GuidePolicyOnUnsignedMethods).await;
    assert_eq!(status_of(&f, "resource-policy", "orders"), ["warn"]);
}

#[tokio::test]
async fn a_hardened_orders_path_passes_everywhere() {
    let f = agree(Scenario::OrdersHardened).await;
    assert_eq!(status_of(&f, "resource-policy", "orders"), ["pass"]);
    assert_eq!(status_of(&f, "endpoint-policy", VPCE), ["pass"]);
    assert_eq!(status_of(&f, "endpoint-sg", VPCE), ["pass"]);
    assert!(
        status_of(&f, "iam-auth", "orders")
            .iter()
            .all(|s| s == "pass" || s == "skip")
    );
}
