use super::{invoke_req, policy, session};
use crate::policy::{Outcome, evaluate};

/// Does `"Condition": {op: {key: values}}` hold for a request where `key` has `present`?
fn holds(op: &str, key: &str, values: &str, present: Option<&[&str]>) -> bool {
    let p = policy(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}]}}"#
    ));
    let mut req = invoke_req(None);
    if let Some(v) = present {
        req.extra
            .insert(key.to_string(), v.iter().map(|s| s.to_string()).collect());
    }
    let d = evaluate(&p, None, &req);
    assert!(d.unsupported.is_empty(), "{op}: {:?}", d.unsupported);
    d.outcome == Outcome::Allow
}

/// Operator, policy values (JSON), request values, expected, why.
type Case<'a> = (&'a str, &'a str, Option<&'a [&'a str]>, bool, &'a str);

#[test]
fn operators_table() {
    let a: Option<&[&str]> = Some(&["a"]);
    let none: Option<&[&str]> = None;
    #[rustfmt::skip]
    let cases: &[Case] = &[
        // C3: an absent key makes positive operators false and negated ones true.
        ("StringEquals", r#""a""#, none, false, "C3"),
        ("StringNotEquals", r#""a""#, none, true, "C3"),
        ("StringLike", r#""*""#, none, false, "C3: even a bare *"),
        ("StringNotLike", r#""a*""#, none, true, "C3"),
        ("ArnLike", r#""*""#, none, false, "C3"),
        ("ArnNotLike", r#""arn:aws:iam::1:role/*""#, none, true, "C3"),
        ("ArnNotEquals", r#""arn:aws:iam::1:role/r""#, none, true, "C3"),
        ("Bool", r#""true""#, none, false, "C3"),
        ("IpAddress", r#""10.0.0.0/8""#, none, false, "C3"),
        ("NotIpAddress", r#""10.0.0.0/8""#, none, true, "C3"),
        // C4: IfExists is true when the key is absent, normal otherwise.
        ("StringEqualsIfExists", r#""a""#, none, true, "C4"),
        ("StringEqualsIfExists", r#""a""#, Some(&["b"]), false, "C4"),
        ("StringEqualsIfExists", r#""a""#, a, true, "C4"),
        ("StringNotEqualsIfExists", r#""a""#, none, true, "C4: same as StringNotEquals"),
        ("StringNotEqualsIfExists", r#""a""#, a, false, "C4"),
        ("BoolIfExists", r#""true""#, none, true, "C4"),
        // C5: Null.
        ("Null", r#""true""#, none, true, "C5"),
        ("Null", r#""true""#, a, false, "C5"),
        ("Null", r#""false""#, a, true, "C5"),
        ("Null", r#""false""#, none, false, "C5"),
        ("Null", "true", none, true, "C5: JSON boolean"),
        // C6: several values are OR; for negated operators, none may match.
        ("StringEquals", r#"["x","a"]"#, a, true, "C6"),
        ("StringEquals", r#"["x","y"]"#, a, false, "C6"),
        ("StringNotEquals", r#"["x","a"]"#, a, false, "C6"),
        ("StringNotEquals", r#"["x","y"]"#, a, true, "C6"),
        // C7: ForAllValues is true for an absent key; ForAnyValue false.
        ("ForAllValues:StringEquals", r#"["a","b"]"#, none, true, "C7"),
        ("ForAllValues:StringEquals", r#"["a","b"]"#, Some(&["a", "b"]), true, "C7"),
        ("ForAllValues:StringEquals", r#"["a","b"]"#, Some(&["a", "c"]), false, "C7"),
        ("ForAnyValue:StringEquals", r#"["a","b"]"#, none, false, "C7"),
        ("ForAnyValue:StringEquals", r#"["a","b"]"#, Some(&["c", "a"]), true, "C7"),
        ("ForAnyValue:StringEquals", r#"["a","b"]"#, Some(&["c"]), false, "C7"),
        ("ForAnyValue:StringEqualsIfExists", r#""a""#, none, true, "C7 + C4"),
        ("ForAnyValue:StringNotEquals", r#""a""#, Some(&["a", "c"]), true, "C7: c is not a"),
        ("ForAllValues:StringNotEquals", r#""a""#, Some(&["a", "c"]), false, "C7: a is a"),
        ("ForAllValues:StringLike", r#""team-*""#, Some(&["team-a", "team-b"]), true, "C7"),
        // Multi-valued request key without a set operator.
        ("StringEquals", r#""a""#, Some(&["c", "a"]), true, "any request value"),
        ("StringNotEquals", r#""a""#, Some(&["c", "a"]), false, "no request value may match"),
        // C8: values are case-sensitive unless IgnoreCase.
        ("StringEquals", r#""A""#, a, false, "C8"),
        ("StringEqualsIgnoreCase", r#""A""#, a, true, "C8"),
        ("StringNotEqualsIgnoreCase", r#""A""#, a, false, "C8"),
        ("StringLike", r#""A*""#, a, false, "C8"),
        // C9: wildcards; ArnEquals behaves like ArnLike, part by part.
        ("StringLike", r#""a?c*""#, Some(&["abcde"]), true, "C9"),
        ("StringLike", r#""arn:aws:iam:*:role/r""#, Some(&["arn:aws:iam::1:role/r"]), true, "C9: * crosses :"),
        ("ArnLike", r#""arn:aws:iam:*:role/r""#, Some(&["arn:aws:iam::1:role/r"]), false, "C9: not in ArnLike"),
        ("ArnLike", r#""arn:aws:iam::*:role/*""#, Some(&["arn:aws:iam::1:role/r"]), true, "C9"),
        ("ArnEquals", r#""arn:aws:iam::*:role/*""#, Some(&["arn:aws:iam::1:role/r"]), true, "C9"),
        ("ArnNotLike", r#""arn:aws:iam::*:role/*""#, Some(&["arn:aws:iam::1:role/r"]), false, "C9"),
        ("ArnNotLike", r#""arn:aws:iam::*:user/*""#, Some(&["arn:aws:iam::1:role/r"]), true, "C9"),
        // Bool, IP and numbers.
        ("Bool", r#""false""#, Some(&["false"]), true, "C10"),
        ("Bool", "false", Some(&["true"]), false, "C10"),
        ("IpAddress", r#"["10.0.0.0/8","192.168.1.1"]"#, Some(&["192.168.1.1"]), true, "A4 aws:VpcSourceIp"),
        ("NotIpAddress", r#""10.0.0.0/8""#, Some(&["10.9.9.9"]), false, "A4"),
        ("NumericLessThan", "10", Some(&["9"]), true, "numbers"),
        ("NumericGreaterThanEquals", r#""10""#, Some(&["9"]), false, "numbers"),
        ("NumericNotEquals", "10", Some(&["10.0"]), false, "numbers"),
    ];
    for (op, values, present, want, why) in cases {
        assert_eq!(
            holds(op, "k:key", values, *present),
            *want,
            "{op} {values} {present:?} ({why})"
        );
    }
}

#[test]
fn key_names_are_case_insensitive_and_several_conditions_are_and() {
    let p = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
            "Condition":{"StringEquals":{"AWS:SOURCEVPCE":"vpce-a","aws:sourcevpc":"vpc-1"},"Bool":{"aws:SecureTransport":"true"}}}]}"#,
    );
    let mut req = invoke_req(None);
    req.source_vpce = Some("vpce-a".into());
    req.source_vpc = Some("vpc-1".into());
    req.extra
        .insert("aws:securetransport".into(), vec!["true".into()]);
    assert_eq!(evaluate(&p, None, &req).outcome, Outcome::Allow);
    for change in 0..3 {
        let mut r = req.clone();
        match change {
            0 => r.source_vpce = Some("vpce-b".into()),
            1 => r.source_vpc = None,
            _ => r.extra.clear(),
        }
        assert_eq!(
            evaluate(&p, None, &r).outcome,
            Outcome::ImplicitDeny,
            "change {change}"
        );
    }
}

#[test]
fn principal_keys_are_derived_and_absent_for_anonymous() {
    // D5: aws:PrincipalArn of a role session is the role ARN; D6: anonymous keys are absent.
    let who = session("111122223333", "app", "i-0abc");
    let mut req = invoke_req(Some(who));
    assert_eq!(
        req.key_values("aws:PrincipalArn"),
        Some(vec!["arn:aws:iam::111122223333:role/app".into()])
    );
    assert_eq!(
        req.key_values("aws:principalaccount"),
        Some(vec!["111122223333".into()])
    );
    assert_eq!(
        req.key_values("aws:PrincipalType"),
        Some(vec!["AssumedRole".into()])
    );
    assert_eq!(req.key_values("aws:userid"), None);
    req.principal = None;
    for key in [
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:userid",
        "aws:SourceVpce",
    ] {
        assert_eq!(req.key_values(key), None, "{key}");
    }
    // A derived key that is absent may come from `extra` (the 2023 "anonymous" wording of D6).
    req.extra
        .insert("aws:PrincipalAccount".into(), vec!["anonymous".into()]);
    assert_eq!(
        req.key_values("aws:principalaccount"),
        Some(vec!["anonymous".into()])
    );
}

#[test]
fn unknown_operators_fail_closed_and_are_reported() {
    let allow = policy(
        r#"{"Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2099-01-01T00:00:00Z"}}}]}"#,
    );
    let d = evaluate(&allow, None, &invoke_req(None));
    assert_eq!(d.outcome, Outcome::ImplicitDeny);
    assert_eq!(
        d.unsupported,
        ["condition operator DateLessThan on aws:CurrentTime in statement 1 (A)"]
    );
    let deny = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEqualsWhatever":{"k":"v"}}}]}"#,
    );
    let d = evaluate(&deny, None, &invoke_req(None));
    assert_eq!(d.outcome, Outcome::ExplicitDeny);
    assert_eq!(d.statement.as_ref().map(|s| s.index), Some(1));
    assert_eq!(d.unsupported.len(), 1);
    assert!(d.reason.contains("failed closed"), "{}", d.reason);
    // A condition that is definitely false still keeps a Deny from applying.
    let mixed = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Foo":{"k":"v"},"StringEquals":{"aws:SourceVpce":"vpce-x"}}}]}"#,
    );
    assert_eq!(
        evaluate(&mixed, None, &invoke_req(None)).outcome,
        Outcome::Allow
    );
    // Policy variables are not substituted: failed closed too.
    let var = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:userid":"${aws:username}"}}}]}"#,
    );
    let d = evaluate(&var, None, &invoke_req(None));
    assert_eq!(d.outcome, Outcome::ImplicitDeny);
    assert_eq!(d.unsupported.len(), 1, "{:?}", d.unsupported);
}

#[test]
fn keys_a_real_request_carries_but_the_context_does_not_know_fail_closed() {
    use crate::policy::KeyValue;
    let deny = |op: &str, key: &str, value: &str| {
        policy(&format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}},
                {{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":"{value}"}}}}}}]}}"#
        ))
    };
    let signed = || Some(session("111122223333", "app", "s1"));
    // aws:userid exists for every signed request; unknown here, so the Deny fails closed, and says so.
    let by_userid = deny("StringNotLike", "aws:userid", "AROAEXAMPLE:*");
    let d = evaluate(&by_userid, None, &invoke_req(signed()));
    assert_eq!(d.outcome, Outcome::ExplicitDeny);
    assert_eq!(
        d.unsupported,
        ["StringNotLike on aws:userid (its value in the request is not known) in statement 2"]
    );
    // Known: evaluated normally.
    let mut known = invoke_req(signed());
    if let Some(p) = known.principal.as_mut() {
        p.userid = Some("AROAEXAMPLE:s1".into());
    }
    let d = evaluate(&by_userid, None, &known);
    assert_eq!((d.outcome, d.unsupported.len()), (Outcome::Allow, 0));
    // Anonymous: really absent (C3), so the negated operator holds.
    let d = evaluate(&by_userid, None, &invoke_req(None));
    assert_eq!((d.outcome, d.unsupported.len()), (Outcome::ExplicitDeny, 0));
    // aws:SourceIp is always present; aws:VpcSourceIp only through an endpoint.
    let by_ip = deny("NotIpAddress", "aws:SourceIp", "10.0.0.0/8");
    assert_eq!(
        evaluate(&by_ip, None, &invoke_req(None)).unsupported.len(),
        1
    );
    let mut req = invoke_req(None);
    assert_eq!(req.lookup("aws:VpcSourceIp"), KeyValue::Absent);
    req.source_vpce = Some("vpce-1".into());
    assert_eq!(req.lookup("aws:vpcsourceip"), KeyValue::Unknown);
    req.extra
        .insert("aws:VpcSourceIp".into(), vec!["10.1.2.3".into()]);
    let by_vpc_ip = deny("NotIpAddress", "aws:VpcSourceIp", "10.0.0.0/8");
    assert_eq!(evaluate(&by_vpc_ip, None, &req).outcome, Outcome::Allow);
    // A Null check only needs presence.
    let null_ip = deny("Null", "aws:SourceIp", "true");
    let d = evaluate(&null_ip, None, &invoke_req(None));
    assert_eq!((d.outcome, d.unsupported.len()), (Outcome::Allow, 0));
}
