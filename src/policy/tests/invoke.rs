//! The combination rules of `evaluate_invoke` (A5, A6, B1, B2).

use super::{ACCOUNT, OTHER_ACCOUNT, VPCE, api, method_arn, policy};
use crate::model::AuthorizationType as Auth;
use crate::policy::{
    Caller, DecidedBy, InvokeOutcome as O, InvokeRequest, Policy, evaluate_invoke,
};

fn caller(account: &str) -> Caller {
    Caller::Signed {
        arn: format!("arn:aws:sts::{account}:assumed-role/app/s1"),
        account: account.into(),
        role_arn: None,
    }
}

fn req(caller: Caller, via: Option<&str>) -> InvokeRequest {
    InvokeRequest {
        caller,
        method_arn: method_arn("prod/GET/pets"),
        via_endpoint: via.map(str::to_string),
        source_vpc: None,
    }
}

const ALLOW_ALL: &str = r#"{"Statement":[{"Sid":"All","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
const ALLOW_OWN_ROLE: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
const NOTHING: &str = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/other/*"}]}"#;

#[test]
fn authorization_table() {
    let other_role = Caller::Signed {
        arn: format!("arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/app/s1"),
        account: OTHER_ACCOUNT.into(),
        role_arn: None,
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, Auth, Caller, O)> = vec![
        // A5: NONE needs an explicit Allow.
        (ALLOW_ALL, Auth::None, Caller::Anonymous, O::Allowed),
        (NOTHING, Auth::None, Caller::Anonymous, O::Denied),
        // A6: without AWS_IAM the principal is unknown, so a principal-named Allow never applies.
        (ALLOW_OWN_ROLE, Auth::None, caller(ACCOUNT), O::Denied),
        // AWS_IAM, same account: either policy may allow.
        (ALLOW_OWN_ROLE, Auth::AwsIam, caller(ACCOUNT), O::Allowed),
        (NOTHING, Auth::AwsIam, caller(ACCOUNT), O::AllowedIfIdentityPolicyAllows),
        // AWS_IAM, cross account: both must allow.
        (ALLOW_ALL, Auth::AwsIam, other_role.clone(), O::AllowedIfIdentityPolicyAllows),
        (ALLOW_OWN_ROLE, Auth::AwsIam, other_role.clone(), O::Denied),
        (NOTHING, Auth::AwsIam, other_role, O::Denied),
        // Authorizers have the last word.
        (ALLOW_ALL, Auth::Custom, Caller::Anonymous, O::AllowedIfAuthorizerAllows),
        (NOTHING, Auth::Custom, Caller::Anonymous, O::AllowedIfAuthorizerAllows),
        (ALLOW_ALL, Auth::CognitoUserPools, Caller::Anonymous, O::AllowedIfAuthorizerAllows),
        (NOTHING, Auth::CognitoUserPools, Caller::Anonymous, O::Denied),
        (ALLOW_ALL, Auth::Other("FUTURE".into()), Caller::Anonymous, O::AllowedIfAuthorizerAllows),
        (NOTHING, Auth::Other("FUTURE".into()), Caller::Anonymous, O::Denied),
    ];
    for (text, auth, who, want) in cases {
        let p = policy(text);
        let d = evaluate_invoke(Some(&p), None, &auth, &api(), &req(who.clone(), Some(VPCE)));
        assert_eq!(
            d.outcome, want,
            "{text} {auth:?} {who:?}: {}",
            d.explanation
        );
        assert!(!d.explanation.is_empty());
    }
}

#[test]
fn explicit_deny_in_either_policy_wins() {
    let deny_endpoint = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Sid":"NoPets","Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:execute-api:*:*:*/*/GET/pets"}]}"#,
    );
    let allow = policy(ALLOW_ALL);
    let d = evaluate_invoke(
        Some(&allow),
        Some(&deny_endpoint),
        &Auth::AwsIam,
        &api(),
        &req(caller(ACCOUNT), Some(VPCE)),
    );
    assert!(d.is_denied());
    assert_eq!(d.decided_by, DecidedBy::EndpointPolicy);
    assert!(
        d.explanation.starts_with(&format!(
            "denied by statement 2 (NoPets) of the VPC endpoint policy of {VPCE}: "
        )),
        "{}",
        d.explanation
    );
    let deny_resource = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","Resource":"execute-api:/*"}]}"#,
    );
    for auth in [
        Auth::AwsIam,
        Auth::None,
        Auth::Custom,
        Auth::CognitoUserPools,
    ] {
        let d = evaluate_invoke(
            Some(&deny_resource),
            None,
            &auth,
            &api(),
            &req(caller(ACCOUNT), Some(VPCE)),
        );
        assert!(d.is_denied(), "{auth:?}");
        assert_eq!(d.statement.map(|s| s.index), Some(1));
    }
}

#[test]
fn a_private_api_without_resource_policy_cannot_be_invoked() {
    let d = evaluate_invoke(
        None,
        None,
        &Auth::AwsIam,
        &api(),
        &req(caller(ACCOUNT), Some(VPCE)),
    );
    assert!(d.is_denied());
    assert_eq!(d.decided_by, DecidedBy::NoResourcePolicy);
    assert_eq!(
        d.explanation,
        "denied: a private API with no resource policy cannot be invoked"
    );
}

#[test]
fn an_api_reached_directly_without_resource_policy_follows_its_authorization() {
    let decide = |auth: Auth, who: Caller| {
        evaluate_invoke(None, None, &auth, &api(), &req(who, None)).outcome
    };
    assert_eq!(decide(Auth::None, Caller::Anonymous), O::Allowed);
    assert_eq!(decide(Auth::AwsIam, Caller::Anonymous), O::Denied);
    assert_eq!(
        decide(Auth::AwsIam, caller(ACCOUNT)),
        O::AllowedIfIdentityPolicyAllows
    );
    assert_eq!(decide(Auth::AwsIam, caller(OTHER_ACCOUNT)), O::Denied);
    assert_eq!(
        decide(Auth::Custom, Caller::Anonymous),
        O::AllowedIfAuthorizerAllows
    );
}

#[test]
fn the_endpoint_sees_the_signed_identity_even_on_a_none_method() {
    // B1: the endpoint policy evaluates the SigV4 identity whatever the method's authorization.
    let only_app = policy(ALLOW_OWN_ROLE.replace("execute-api:/*", "*").as_str());
    let allow = policy(ALLOW_ALL);
    let d = evaluate_invoke(
        Some(&allow),
        Some(&only_app),
        &Auth::None,
        &api(),
        &req(caller(ACCOUNT), Some(VPCE)),
    );
    assert_eq!(d.outcome, O::Allowed, "{}", d.explanation);
    let d = evaluate_invoke(
        Some(&allow),
        Some(&only_app),
        &Auth::None,
        &api(),
        &req(Caller::Anonymous, Some(VPCE)),
    );
    assert!(d.is_denied());
    assert_eq!(d.decided_by, DecidedBy::EndpointPolicy);
    assert!(
        d.explanation.ends_with("for an unsigned request"),
        "{}",
        d.explanation
    );
}

#[test]
fn unsupported_conditions_are_reported_with_their_policy() {
    let odd = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Sid":"Hours","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]}"#,
    );
    let d = evaluate_invoke(
        Some(&odd),
        None,
        &Auth::AwsIam,
        &api(),
        &req(caller(ACCOUNT), Some(VPCE)),
    );
    assert!(d.is_denied(), "failed closed");
    assert_eq!(
        d.unsupported,
        [
            "condition operator DateGreaterThan on aws:CurrentTime in statement 2 (Hours) of the resource policy"
        ]
    );
    let d = evaluate_invoke(
        Some(&policy(ALLOW_ALL)),
        Some(&odd),
        &Auth::AwsIam,
        &api(),
        &req(caller(ACCOUNT), Some(VPCE)),
    );
    assert!(d.is_denied());
    assert!(
        d.unsupported[0].ends_with(&format!("of the VPC endpoint policy of {VPCE}")),
        "{:?}",
        d.unsupported
    );
}

#[test]
fn the_default_endpoint_policy_is_full_access() {
    // B4.
    let b4 =
        policy(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#);
    assert_eq!(b4, Policy::full_access());
    let d = evaluate_invoke(
        Some(&policy(ALLOW_ALL)),
        None,
        &Auth::None,
        &api(),
        &req(Caller::Anonymous, Some(VPCE)),
    );
    assert_eq!(d.outcome, O::Allowed);
    assert_eq!(
        d.endpoint.map(|e| e.outcome),
        Some(crate::policy::Outcome::Allow)
    );
}

#[test]
fn invoke_requests_are_https() {
    // C10: aws:SecureTransport is always present; execute-api accepts HTTPS only.
    let p = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#,
    );
    let d = evaluate_invoke(
        Some(&p),
        None,
        &Auth::None,
        &api(),
        &req(Caller::Anonymous, Some(VPCE)),
    );
    assert_eq!(d.outcome, O::Allowed, "{}", d.explanation);
    assert!(d.unsupported.is_empty());
}
