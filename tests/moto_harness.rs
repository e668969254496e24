//! The moto harness accepts the writes the four steps make (UpdateMethod only thanks to
//! tests/support/moto_server.py), and a posture read afterwards shows them.

mod support;

use aws_sdk_apigateway::types::{Op, PatchOperation};
use aws_sdk_ec2::types::{IpPermission, UserIdGroupPair};
use support::{IdMap, Moto};
use ztharden::cloud::NoProgress;
use ztharden::cloud::aws::{AwsClients, Pacer, read_posture};
use ztharden::model::{AuthorizationType, Posture, RuleSource};

async fn read(clients: &AwsClients) -> Posture {
    read_posture(clients, &Pacer::get_resources(), &NoProgress)
        .await
        .expect("read")
}

fn replace(path: &str, value: &str) -> PatchOperation {
    PatchOperation::builder()
        .op(Op::Replace)
        .path(path)
        .value(value)
        .build()
}

async fn seeded() -> Option<(Moto, IdMap, AwsClients)> {
    let moto = Moto::start()?;
    let ids = moto.seed();
    let clients = moto.clients().await;
    Some((moto, ids, clients))
}

#[tokio::test]
async fn update_method_sets_iam_authorization() {
    let Some((_moto, ids, clients)) = seeded().await else {
        return;
    };
    let (api, resource) = (ids.moto("a1b2c3d4e5"), ids.moto("ord1a2b3c4"));
    let out = clients
        .apigateway
        .update_method()
        .rest_api_id(api)
        .resource_id(resource)
        .http_method("GET")
        .patch_operations(replace("/authorizationType", "AWS_IAM"))
        .send()
        .await
        .expect("UpdateMethod");
    assert_eq!(out.authorization_type(), Some("AWS_IAM"));
    clients
        .apigateway
        .create_deployment()
        .rest_api_id(api)
        .stage_name("prod")
        .send()
        .await
        .expect("CreateDeployment");

    let p = read(&clients).await;
    let orders = p.api(api).unwrap();
    let auth = |verb: &str| {
        orders
            .methods()
            .find(|(r, m)| r.id == resource && m.http_method == verb)
            .map(|(_, m)| m.authorization_type.clone())
    };
    assert_eq!(auth("GET"), Some(AuthorizationType::AwsIam));
    assert_eq!(
        auth("POST"),
        Some(AuthorizationType::None),
        "only the patched method"
    );
}

#[tokio::test]
async fn update_method_rejects_an_unknown_path() {
    let Some((_moto, ids, clients)) = seeded().await else {
        return;
    };
    let err = clients
        .apigateway
        .update_method()
        .rest_api_id(ids.moto("a1b2c3d4e5"))
        .resource_id(ids.moto("ord1a2b3c4"))
        .http_method("GET")
        .patch_operations(replace("/nonsense", "x"))
        .send()
        .await
        .expect_err("an unknown patch path");
    let code = aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&err);
    assert_eq!(code, Some("BadRequestException"));
}

#[tokio::test]
async fn policies_can_be_replaced() {
    let Some((_moto, ids, clients)) = seeded().await else {
        return;
    };
    let api = ids.moto("a1b2c3d4e5");
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:{api}/*"}}]}}"#
    );
    clients
        .apigateway
        .update_rest_api()
        .rest_api_id(api)
        .patch_operations(replace("/policy", &policy))
        .send()
        .await
        .expect("UpdateRestApi");
    let endpoint = ids.moto("vpce-0e9e9e9e9e9e9e9e9");
    let endpoint_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/service-a-role"},"Action":"execute-api:Invoke","Resource":"*"}]}"#;
    clients
        .ec2
        .modify_vpc_endpoint()
        .vpc_endpoint_id(endpoint)
        .policy_document(endpoint_policy)
        .send()
        .await
        .expect("ModifyVpcEndpoint");

    let p = read(&clients).await;
    assert_eq!(p.api(api).unwrap().policy.as_ref().unwrap().raw(), policy);
    assert_eq!(
        p.endpoint(endpoint).unwrap().policy.as_ref().unwrap().raw(),
        endpoint_policy
    );
}

#[tokio::test]
async fn endpoint_ingress_can_be_narrowed_to_the_caller_group() {
    let Some((_moto, ids, clients)) = seeded().await else {
        return;
    };
    let (group, caller) = (
        ids.moto("sg-0e9e9e9e9e9e9e9e9"),
        ids.moto("sg-0a1a1a1a1a1a1a1a1"),
    );
    let permission = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(caller)
                .description("HTTPS from service-a")
                .build(),
        )
        .build();
    clients
        .ec2
        .authorize_security_group_ingress()
        .group_id(group)
        .ip_permissions(permission)
        .send()
        .await
        .expect("AuthorizeSecurityGroupIngress");
    clients
        .ec2
        .revoke_security_group_ingress()
        .group_id(group)
        .security_group_rule_ids(ids.moto("sgr-0e9e9e9e9e9e90443"))
        .send()
        .await
        .expect("RevokeSecurityGroupIngress by rule id");

    let p = read(&clients).await;
    let rules = p.security_group(group).unwrap().ingress.clone().unwrap();
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert!(
        matches!(&rules[0].source, RuleSource::Group { group_id, .. } if group_id == caller),
        "{rules:?}"
    );
    assert_eq!(
        rules[0].description.as_deref(),
        Some("HTTPS from service-a")
    );
}
