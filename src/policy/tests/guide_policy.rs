//! The guide's three-statement resource policy, with its placeholders filled in.

use super::{ACCOUNT, OTHER_ACCOUNT, VPCE, api, method_arn, policy};
use crate::model::AuthorizationType;
use crate::policy::{
    Caller, DecidedBy, InvokeDecision, InvokeOutcome, InvokeRequest, Policy, evaluate_invoke,
};

fn guide() -> Policy {
    policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[
        {{"Sid":"AllowInvoke","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}},
        {{"Sid":"DenyOtherAccounts","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
          "Condition":{{"StringNotEquals":{{"aws:PrincipalAccount":"{ACCOUNT}"}}}}}},
        {{"Sid":"DenyOtherEndpoints","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
          "Condition":{{"StringNotEquals":{{"aws:SourceVpce":"{VPCE}"}}}}}}]}}"#
    ))
}

fn signed(account: &str) -> Caller {
    Caller::Signed {
        arn: format!("arn:aws:sts::{account}:assumed-role/service-a/i-0123456789abcdef0"),
        account: account.into(),
        role_arn: Some(format!("arn:aws:iam::{account}:role/service-a")),
    }
}

fn decide(caller: Caller, via: Option<&str>, auth: AuthorizationType) -> InvokeDecision {
    let req = InvokeRequest {
        caller,
        method_arn: method_arn("prod/GET/orders"),
        via_endpoint: via.map(str::to_string),
        source_vpc: Some("vpc-0a1b2c3d".into()),
    };
    evaluate_invoke(Some(&guide()), None, &auth, &api(), &req)
}

fn sid(d: &InvokeDecision) -> Option<&str> {
    d.statement.as_ref().and_then(|s| s.sid.as_deref())
}

#[test]
fn own_account_signed_through_the_endpoint_is_allowed() {
    let d = decide(signed(ACCOUNT), Some(VPCE), AuthorizationType::AwsIam);
    assert_eq!(d.outcome, InvokeOutcome::Allowed, "{}", d.explanation);
    assert!(d.is_allowed() && !d.is_denied());
    assert_eq!(
        (d.decided_by, sid(&d)),
        (DecidedBy::ResourcePolicy, Some("AllowInvoke"))
    );
    assert_eq!(
        d.explanation,
        "allowed by statement 1 (AllowInvoke) of the resource policy (same account: no identity policy needed)"
    );
    assert!(d.unsupported.is_empty());
}

#[test]
fn another_account_is_denied_by_statement_2() {
    let d = decide(signed(OTHER_ACCOUNT), Some(VPCE), AuthorizationType::AwsIam);
    assert!(d.is_denied());
    assert_eq!(d.statement.as_ref().map(|s| s.number()), Some(2));
    assert_eq!(
        d.explanation,
        format!(
            "denied by statement 2 (DenyOtherAccounts) of the resource policy: aws:PrincipalAccount is {OTHER_ACCOUNT}, not {ACCOUNT}"
        )
    );
}

#[test]
fn another_endpoint_is_denied_by_statement_3() {
    let d = decide(
        signed(ACCOUNT),
        Some("vpce-0f0f0f0f0f0f0f0f0"),
        AuthorizationType::AwsIam,
    );
    assert!(d.is_denied());
    assert_eq!(sid(&d), Some("DenyOtherEndpoints"));
    assert!(
        d.explanation.ends_with(&format!(
            "aws:SourceVpce is vpce-0f0f0f0f0f0f0f0f0, not {VPCE}"
        )),
        "{}",
        d.explanation
    );
    // The endpoint itself (no policy: the default one) let the request through.
    assert_eq!(
        d.endpoint.as_ref().map(|e| e.outcome),
        Some(crate::policy::Outcome::Allow)
    );
}

#[test]
fn no_endpoint_is_denied_by_statement_3() {
    let d = decide(signed(ACCOUNT), None, AuthorizationType::AwsIam);
    assert!(d.is_denied());
    assert_eq!(sid(&d), Some("DenyOtherEndpoints"));
    assert!(
        d.explanation.ends_with("aws:SourceVpce is absent"),
        "{}",
        d.explanation
    );
    assert!(d.endpoint.is_none());
}

#[test]
fn unsigned_caller_on_a_none_method_is_denied_by_statement_2() {
    let d = decide(Caller::Anonymous, Some(VPCE), AuthorizationType::None);
    assert!(d.is_denied());
    assert_eq!(
        d.explanation,
        "denied by statement 2 (DenyOtherAccounts) of the resource policy: aws:PrincipalAccount is absent for an unsigned request"
    );
}

#[test]
fn signed_own_caller_on_a_none_method_is_denied_too() {
    // The principal keys exist only under AWS_IAM authorization: the guide's policy locks out
    // methods that are not signed-and-checked, even for the account's own callers.
    let d = decide(signed(ACCOUNT), Some(VPCE), AuthorizationType::None);
    assert!(d.is_denied());
    assert_eq!(sid(&d), Some("DenyOtherAccounts"));
    assert!(
        d.explanation.contains("the method does not use AWS_IAM"),
        "{}",
        d.explanation
    );
}

#[test]
fn unsigned_caller_on_an_iam_method_is_refused_by_iam_authorization() {
    let d = decide(Caller::Anonymous, Some(VPCE), AuthorizationType::AwsIam);
    assert!(d.is_denied());
    assert_eq!(
        (d.decided_by, d.statement.clone()),
        (DecidedBy::IamAuthorization, None)
    );
}
