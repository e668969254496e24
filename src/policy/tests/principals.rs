use super::{ACCOUNT, OTHER_ACCOUNT, api, invoke_req, method_arn, policy, session};
use crate::policy::{Outcome, PrincipalContext, RequestContext, evaluate};

fn user(account: &str, name: &str) -> PrincipalContext {
    PrincipalContext::from_arn(&format!("arn:aws:iam::{account}:user/{name}"))
}

fn root(account: &str) -> PrincipalContext {
    PrincipalContext::from_arn(&format!("arn:aws:iam::{account}:root"))
}

/// Outcome of `{"Principal": principal}` (Allow everything) for `who`.
fn allowed(principal: &str, who: Option<PrincipalContext>) -> bool {
    let p = policy(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"*","Resource":"*"}}]}}"#
    ));
    evaluate(&p, None, &invoke_req(who)).outcome == Outcome::Allow
}

#[test]
fn principal_element_table() {
    let s1 = || Some(session(ACCOUNT, "app", "s1"));
    let s2 = || Some(session(ACCOUNT, "app", "s2"));
    let role = format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:role/app"}}"#);
    let pathed_role = format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:role/team/app"}}"#);
    let sess = format!(r#"{{"AWS":"arn:aws:sts::{ACCOUNT}:assumed-role/app/s1"}}"#);
    let acct = format!(r#"{{"AWS":"{ACCOUNT}"}}"#);
    let acct_arn = format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}}"#);
    let usr = format!(r#"{{"AWS":["arn:aws:iam::{ACCOUNT}:user/alice"]}}"#);
    #[rustfmt::skip]
    let cases: Vec<(&str, &str, Option<PrincipalContext>, bool)> = vec![
        // D1: "*" and {"AWS":"*"} include anonymous callers.
        ("D1", r#""*""#, None, true),
        ("D1", r#"{"AWS":"*"}"#, None, true),
        ("D1", r#"{"AWS":"*"}"#, s1(), true),
        ("D1", &role, None, false),
        ("D1", &acct, None, false),
        (r#"{"Service":"*"} is not everyone"#, r#"{"Service":"*"}"#, None, false),
        // D2: an account principal covers every principal of that account.
        ("D2", &acct, s1(), true),
        ("D2", &acct_arn, s1(), true),
        ("D2", &acct_arn, Some(user(ACCOUNT, "bob")), true),
        ("D2", &acct_arn, Some(root(ACCOUNT)), true),
        ("D2", &acct, Some(session(OTHER_ACCOUNT, "app", "s1")), false),
        // D3: a role principal covers that role's sessions, whatever the role's path.
        ("D3", &role, s1(), true),
        ("D3", &role, s2(), true),
        ("D3", &pathed_role, s1(), true),
        ("D3", &role, Some(session(ACCOUNT, "other", "s1")), false),
        ("D3", &role, Some(session(OTHER_ACCOUNT, "app", "s1")), false),
        // D4: a session principal names one session only.
        ("D4", &sess, s1(), true),
        ("D4", &sess, s2(), false),
        ("users", &usr, Some(user(ACCOUNT, "alice")), true),
        ("users", &usr, Some(user(ACCOUNT, "bob")), false),
        ("no wildcards in principals", r#"{"AWS":"arn:aws:iam::111122223333:role/*"}"#, s1(), false),
    ];
    for (why, principal, who, want) in cases {
        assert_eq!(
            allowed(principal, who.clone()),
            want,
            "{why}: {principal} for {who:?}"
        );
    }
}

#[test]
fn principal_arn_condition_root_is_only_the_root_user() {
    // D2 contrast: in a condition, aws:PrincipalArn = ...:root matches the root user only.
    let p = policy(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
            "Condition":{{"ArnEquals":{{"aws:PrincipalArn":"arn:aws:iam::{ACCOUNT}:root"}}}}}}]}}"#
    ));
    let outcome = |who| evaluate(&p, None, &invoke_req(Some(who))).outcome;
    assert_eq!(outcome(root(ACCOUNT)), Outcome::Allow);
    assert_eq!(
        outcome(session(ACCOUNT, "app", "s1")),
        Outcome::ImplicitDeny
    );
    assert_eq!(outcome(user(ACCOUNT, "bob")), Outcome::ImplicitDeny);
    // D5: the role ARN (not the session ARN) is aws:PrincipalArn.
    let by_role = policy(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
            "Condition":{{"ArnLike":{{"aws:PrincipalArn":"arn:aws:iam::{ACCOUNT}:role/app"}}}}}}]}}"#
    ));
    let d = evaluate(
        &by_role,
        None,
        &invoke_req(Some(session(ACCOUNT, "app", "s9"))),
    );
    assert_eq!(d.outcome, Outcome::Allow);
}

#[test]
fn not_principal_with_deny_needs_the_session_arn() {
    // D7: everyone except the listed principals is denied; a role session is exempt only when
    // its session ARN is listed, the role and account ARNs are not enough.
    let deny_except = |listed: &[String]| {
        policy(&format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}},
                {{"Sid":"OnlyListed","Effect":"Deny","NotPrincipal":{{"AWS":{}}},"Action":"*","Resource":"*"}}]}}"#,
            serde_json::to_string(listed).unwrap()
        ))
    };
    let role = format!("arn:aws:iam::{ACCOUNT}:role/app");
    let account = format!("arn:aws:iam::{ACCOUNT}:root");
    let s1 = format!("arn:aws:sts::{ACCOUNT}:assumed-role/app/s1");
    let without_session = deny_except(&[role.clone(), account.clone()]);
    let with_session = deny_except(&[s1, role, account]);
    let outcome = |p, who| evaluate(p, None, &invoke_req(who)).outcome;
    let me = || Some(session(ACCOUNT, "app", "s1"));
    assert_eq!(outcome(&without_session, me()), Outcome::ExplicitDeny);
    assert_eq!(outcome(&with_session, me()), Outcome::Allow);
    assert_eq!(
        outcome(&with_session, Some(session(ACCOUNT, "app", "s2"))),
        Outcome::ExplicitDeny
    );
    assert_eq!(
        outcome(&with_session, Some(user(ACCOUNT, "bob"))),
        Outcome::ExplicitDeny
    );
    assert_eq!(outcome(&with_session, None), Outcome::ExplicitDeny);
    // The root user is exempt when the account ARN (or bare id) is listed.
    assert_eq!(outcome(&with_session, Some(root(ACCOUNT))), Outcome::Allow);
    let bare_id = deny_except(&[ACCOUNT.into()]);
    assert_eq!(outcome(&bare_id, Some(root(ACCOUNT))), Outcome::Allow);
    // For a user: the user ARN exempts that user only.
    let alice = deny_except(&[format!("arn:aws:iam::{ACCOUNT}:user/alice"), ACCOUNT.into()]);
    assert_eq!(
        outcome(&alice, Some(user(ACCOUNT, "alice"))),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&alice, Some(user(ACCOUNT, "bob"))),
        Outcome::ExplicitDeny
    );
}

#[test]
fn not_principal_with_allow_includes_anonymous() {
    // D7 (2023 text): NotPrincipal + Allow grants to everyone else, anonymous included.
    let p = policy(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","NotPrincipal":{{"AWS":"arn:aws:iam::{ACCOUNT}:user/bob"}},"Action":"*","Resource":"*"}}]}}"#
    ));
    assert_eq!(
        evaluate(&p, None, &invoke_req(None)).outcome,
        Outcome::Allow
    );
    assert_eq!(
        evaluate(&p, None, &invoke_req(Some(user(ACCOUNT, "bob")))).outcome,
        Outcome::ImplicitDeny
    );
}

#[test]
fn deny_wins_and_the_first_matching_statements_are_named() {
    // C1.
    let p = policy(
        r#"{"Statement":[
            {"Sid":"A1","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Sid":"A2","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Sid":"D1","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/POST/*"},
            {"Sid":"D2","Effect":"Deny","Principal":"*","Action":"*","Resource":"execute-api:/*/POST/*"}]}"#,
    );
    let d = evaluate(&p, Some(&api()), &invoke_req(None));
    assert_eq!(
        (d.outcome, d.statement.as_ref().map(|s| s.index)),
        (Outcome::Allow, Some(0))
    );
    assert_eq!(d.statement.unwrap().to_string(), "statement 1 (A1)");
    let post = RequestContext {
        resource: method_arn("prod/POST/pets"),
        ..invoke_req(None)
    };
    let d = evaluate(&p, Some(&api()), &post);
    assert_eq!(d.outcome, Outcome::ExplicitDeny);
    assert_eq!(
        d.statement.map(|s| (s.number(), s.sid)),
        Some((3, Some("D1".into())))
    );
    let other = RequestContext {
        action: "execute-api:ManageConnections".into(),
        ..invoke_req(None)
    };
    assert_eq!(
        evaluate(&p, Some(&api()), &other).statement.unwrap().index,
        1
    );
    let empty = policy(r#"{"Statement":[]}"#);
    let d = evaluate(&empty, None, &invoke_req(None));
    assert_eq!((d.outcome, d.statement), (Outcome::ImplicitDeny, None));
    assert!(
        d.reason
            .starts_with("no statement allows execute-api:Invoke on arn:aws:execute-api:"),
        "{}",
        d.reason
    );
}

#[test]
fn not_action_and_not_resource() {
    // D8.
    let p = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"execute-api:ManageConnections","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","NotResource":"execute-api:/prod/*"}]}"#,
    );
    let outcome = |action: &str, rest: &str| {
        let r = RequestContext::new(action, &method_arn(rest));
        evaluate(&p, Some(&api()), &r).outcome
    };
    assert_eq!(
        outcome("execute-api:Invoke", "prod/GET/pets"),
        Outcome::Allow
    );
    assert_eq!(
        outcome("execute-api:ManageConnections", "prod/GET/pets"),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome("execute-api:Invoke", "test/GET/pets"),
        Outcome::ExplicitDeny
    );
}
