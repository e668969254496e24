//! Bad requests fail alike on the sandbox and moto, with the same kind of error naming the
//! resource, and change nothing; what moto lets through, the sandbox refuses as AWS does.

use super::*;

/// A bad request: the change, the code AWS answers with, and the id the error must name.
pub struct Bad {
    pub change: Change,
    pub code: &'static str,
    /// The code moto answers with, where it differs from AWS's (the kind is the same).
    pub moto_code: Option<&'static str>,
    pub names: String,
}

fn bad_requests(t: &Account) -> Vec<Bad> {
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

pub fn assert_refused(t: &Account, err: &CloudError, bad: &Bad) {
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
    for t in Account::all().await {
        // The rule the duplicate case adds again.
        t.apply(&t.authorize(ENDPOINT_SG, SERVICE_A_SG)).await;
        let before = t.read_lab().await;
        for bad in bad_requests(&t) {
            let err = t.refuse(&bad.change).await;
            assert_refused(&t, &err, &bad);
        }
        assert_eq!(
            t.read_lab().await,
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
    let t = Account::sandbox();
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
                endpoint_id: ENDPOINT.into(),
                expected: None,
                new: "not json".into(),
            },
            code: "MalformedPolicyDocument",
            moto_code: None,
            names: ENDPOINT.into(),
        },
    ];
    let before = t.read_lab().await;
    for bad in &cases {
        let err = t.refuse(&bad.change).await;
        assert_refused(&t, &err, bad);
    }
    assert_eq!(
        t.read_lab().await,
        before,
        "a refused write changes nothing"
    );
}

#[tokio::test]
async fn the_sandbox_keeps_a_methods_authorizer_only_where_it_takes_one() {
    let t = Account::sandbox();
    let put = MethodKey {
        api_id: "f6g7h8i9j0".into(),
        resource_id: "itmsk5e6f7".into(),
        path: "/items/{sku}".into(),
        http_method: "PUT".into(),
    };
    t.apply(&t.set_auth(put.clone(), AuthorizationType::AwsIam))
        .await;
    let p = t.read_lab().await;
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
