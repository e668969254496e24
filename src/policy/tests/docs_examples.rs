//! The AWS documentation examples named in the policy facts (A3, A4, A5, B3).

use super::{INVOKE, policy};
use crate::model::AuthorizationType as Auth;
use crate::policy::{
    ApiContext, Caller, DecidedBy, InvokeOutcome as O, InvokeRequest, Outcome, PrincipalContext,
    RequestContext, evaluate, evaluate_invoke,
};

const OWNER: &str = "111122223333";
const ACCOUNT_2: &str = "222233334444";

fn role_session(account: &str, role: &str) -> Caller {
    Caller::Signed {
        arn: format!("arn:aws:sts::{account}:assumed-role/{role}/session"),
        account: account.into(),
        role_arn: Some(format!("arn:aws:iam::{account}:role/{role}")),
    }
}

#[test]
fn a3_cross_account_roles_and_the_exact_path_pitfall() {
    let api = ApiContext::new("us-east-1", OWNER, "a1b2c3d4e5");
    let p = policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",
            "Principal":{{"AWS":["arn:aws:iam::{ACCOUNT_2}:role/developer","arn:aws:iam::{ACCOUNT_2}:role/Admin"]}},
            "Action":"execute-api:Invoke","Resource":["execute-api:/stage/GET/pets"]}}]}}"#
    ));
    let arn = |rest: &str| format!("arn:aws:execute-api:us-east-1:{OWNER}:a1b2c3d4e5/{rest}");
    let decide = |who: Caller, rest: &str| {
        let req = InvokeRequest {
            caller: who,
            method_arn: arn(rest),
            via_endpoint: None,
            source_vpc: None,
        };
        evaluate_invoke(Some(&p), None, &Auth::AwsIam, &api, &req)
    };
    // Cross-account: the resource policy allows, the caller's own identity policy must too.
    let d = decide(role_session(ACCOUNT_2, "developer"), "stage/GET/pets");
    assert_eq!(
        d.outcome,
        O::AllowedIfIdentityPolicyAllows,
        "{}",
        d.explanation
    );
    assert_eq!(d.statement.map(|s| s.index), Some(0));
    assert_eq!(
        decide(role_session(ACCOUNT_2, "Admin"), "stage/GET/pets").outcome,
        O::AllowedIfIdentityPolicyAllows
    );
    // No wildcard: GET /pets/1 is not covered, nor another role, nor another stage.
    assert_eq!(
        decide(role_session(ACCOUNT_2, "developer"), "stage/GET/pets/1").outcome,
        O::Denied
    );
    assert_eq!(
        decide(role_session(ACCOUNT_2, "tester"), "stage/GET/pets").outcome,
        O::Denied
    );
    assert_eq!(
        decide(role_session(ACCOUNT_2, "developer"), "prod/GET/pets").outcome,
        O::Denied
    );
    // Case matters in names (role "admin" is not "Admin").
    assert_eq!(
        decide(role_session(ACCOUNT_2, "admin"), "stage/GET/pets").outcome,
        O::Denied
    );
}

#[test]
fn a4_private_api_allow_and_deny_unless_source_vpc_or_vpce() {
    let api = ApiContext::new("us-east-1", OWNER, "a1b2c3d4e5");
    for (key, good, bad) in [
        ("aws:SourceVpc", "vpc-1a2b3c4d", "vpc-99999999"),
        ("aws:SourceVpce", "vpce-1a2b3c4d", "vpce-99999999"),
    ] {
        let p = policy(&format!(
            r#"{{"Version":"2012-10-17","Statement":[
                {{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":["execute-api:/*"]}},
                {{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":["execute-api:/*"],
                  "Condition":{{"StringNotEquals":{{"{key}":"{good}"}}}}}}]}}"#
        ));
        let decide = |vpce: &str, vpc: &str| {
            let req = InvokeRequest {
                caller: Caller::Anonymous,
                method_arn: format!("arn:aws:execute-api:us-east-1:{OWNER}:a1b2c3d4e5/prod/GET/x"),
                via_endpoint: Some(vpce.into()),
                source_vpc: Some(vpc.into()),
            };
            evaluate_invoke(Some(&p), None, &Auth::None, &api, &req)
        };
        let (ok_vpce, ok_vpc) = if key == "aws:SourceVpc" {
            ("vpce-any", good)
        } else {
            (good, "vpc-any")
        };
        assert_eq!(decide(ok_vpce, ok_vpc).outcome, O::Allowed, "{key}");
        let (bad_vpce, bad_vpc) = if key == "aws:SourceVpc" {
            ("vpce-any", bad)
        } else {
            (bad, "vpc-any")
        };
        let d = decide(bad_vpce, bad_vpc);
        assert!(d.is_denied(), "{key}");
        assert_eq!(d.statement.map(|s| s.number()), Some(2));
    }
}

#[test]
fn a5_single_deny_example_and_the_trailing_slash_oddity() {
    let api = ApiContext::new("us-east-1", OWNER, "a1b2c3d4e5");
    let single_deny = |resource: &str| {
        policy(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
                "Resource":"{resource}","Condition":{{"StringNotEquals":{{"aws:SourceVpce":"vpce-1a2b3c4d"}}}}}}]}}"#
        ))
    };
    let arn = format!("arn:aws:execute-api:us-east-1:{OWNER}:a1b2c3d4e5/prod/GET/pets");
    let decide = |p: &crate::policy::Policy, via: &str, auth: Auth| {
        let req = InvokeRequest {
            caller: role_session(OWNER, "app"),
            method_arn: arn.clone(),
            via_endpoint: Some(via.into()),
            source_vpc: None,
        };
        evaluate_invoke(Some(p), None, &auth, &api, &req)
    };
    let star = single_deny(&format!(
        "arn:aws:execute-api:us-east-1:{OWNER}:a1b2c3d4e5/*"
    ));
    // Same account, IAM auth: a Deny-only policy leaves the decision to the identity policy.
    assert_eq!(
        decide(&star, "vpce-1a2b3c4d", Auth::AwsIam).outcome,
        O::AllowedIfIdentityPolicyAllows
    );
    let d = decide(&star, "vpce-other", Auth::AwsIam);
    assert!(d.is_denied());
    assert_eq!(
        (d.decided_by, d.statement.map(|s| s.index)),
        (DecidedBy::ResourcePolicy, Some(0))
    );
    // NONE: no Allow at all, so even the right endpoint is denied.
    assert!(decide(&star, "vpce-1a2b3c4d", Auth::None).is_denied());
    // Taken literally, `.../a1b2c3d4e5/` matches no method ARN: the Deny never fires.
    let slash = single_deny(&format!(
        "arn:aws:execute-api:us-east-1:{OWNER}:a1b2c3d4e5/"
    ));
    let d = decide(&slash, "vpce-other", Auth::AwsIam);
    assert_eq!(
        d.outcome,
        O::AllowedIfIdentityPolicyAllows,
        "{}",
        d.explanation
    );
    assert_eq!(d.resource.map(|r| r.outcome), Some(Outcome::ImplicitDeny));
}

/// B3: endpoint policies (no Version, full ARNs), judged on their own.
#[test]
fn b3_endpoint_policy_examples() {
    let arn =
        |api: &str, rest: &str| format!("arn:aws:execute-api:us-east-1:123412341234:{api}/{rest}");
    let outcome = |p: &crate::policy::Policy, resource: String, who: Option<PrincipalContext>| {
        let mut r = RequestContext::new(INVOKE, &resource);
        r.principal = who;
        r.source_vpce = Some("vpce-1".into());
        evaluate(p, None, &r).outcome
    };
    let two_apis = policy(
        r#"{"Statement":[{"Principal":"*","Effect":"Allow","Action":["execute-api:Invoke"],
            "Resource":["arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/*","arn:aws:execute-api:us-east-1:123412341234:aaaaa11111/*"]}]}"#,
    );
    assert_eq!(two_apis.version, None);
    assert_eq!(
        outcome(&two_apis, arn("a1b2c3d4e5", "prod/GET/x"), None),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&two_apis, arn("aaaaa11111", "dev/POST/y/z"), None),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&two_apis, arn("bbbbb22222", "prod/GET/x"), None),
        Outcome::ImplicitDeny
    );

    let one_stage_get = policy(
        r#"{"Statement":[{"Principal":"*","Effect":"Allow","Action":["execute-api:Invoke"],
            "Resource":["arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/stageName/GET/*"]}]}"#,
    );
    assert_eq!(
        outcome(
            &one_stage_get,
            arn("a1b2c3d4e5", "stageName/GET/pets/1"),
            None
        ),
        Outcome::Allow
    );
    assert_eq!(
        outcome(
            &one_stage_get,
            arn("a1b2c3d4e5", "stageName/POST/pets"),
            None
        ),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(&one_stage_get, arn("a1b2c3d4e5", "other/GET/pets"), None),
        Outcome::ImplicitDeny
    );

    let one_user = policy(
        r#"{"Statement":[{"Principal":{"AWS":["arn:aws:iam::123412341234:user/MyUser"]},"Effect":"Allow","Action":["execute-api:Invoke"],
            "Resource":["arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/*"]}]}"#,
    );
    let user = |name: &str| {
        Some(PrincipalContext::from_arn(&format!(
            "arn:aws:iam::123412341234:user/{name}"
        )))
    };
    assert_eq!(
        outcome(&one_user, arn("a1b2c3d4e5", "p/GET/x"), user("MyUser")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&one_user, arn("a1b2c3d4e5", "p/GET/x"), user("Other")),
        Outcome::ImplicitDeny
    );
    // B1: a policy naming only IAM principals never allows an unsigned request.
    assert_eq!(
        outcome(&one_user, arn("a1b2c3d4e5", "p/GET/x"), None),
        Outcome::ImplicitDeny
    );
}

#[test]
fn b4_default_endpoint_policy_allows_anonymous() {
    let r = RequestContext::new(INVOKE, "arn:aws:execute-api:us-east-1:1:a/b/GET/c");
    let d = evaluate(&crate::policy::Policy::full_access(), None, &r);
    assert_eq!(d.outcome, Outcome::Allow);
    assert_eq!(d.statement.map(|s| s.index), Some(0));
}
