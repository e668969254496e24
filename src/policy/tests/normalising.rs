use super::{ACCOUNT, API, REGION, api, policy};
use crate::policy::{ApiContext, equivalent, parse};

const SENT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
    {"Sid": "DenyOthers", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
     "Resource": "execute-api:/*",
     "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333", "aws:SourceVpce": ["vpce-b", "vpce-a"]}}}
  ]
}"#;

/// What AWS hands back: escaped, keys reordered, shorthand expanded, lists reshaped.
fn returned() -> String {
    let arn = format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/*");
    let text = format!(
        r#"{{"Statement":[{{"Principal":"*","Resource":"{arn}","Action":["execute-api:Invoke"],"Effect":"Allow"}},{{"Condition":{{"StringNotEquals":{{"aws:SourceVpce":["vpce-a","vpce-b","vpce-a"],"aws:PrincipalAccount":["111122223333"]}}}},"Resource":["{arn}"],"Action":"execute-api:Invoke","Principal":"*","Effect":"Deny","Sid":"DenyOthers"}}],"Version":"2012-10-17"}}"#
    );
    text.replace('"', "\\\"")
}

#[test]
fn what_aws_returns_equals_what_was_sent() {
    let sent = policy(SENT);
    let back = parse(&returned()).unwrap();
    assert_ne!(sent, back);
    assert_eq!(sent.normalised(Some(&api())), back.normalised(Some(&api())));
    assert!(equivalent(&sent, &back, Some(&api())));
    // Without the API the shorthand cannot be expanded: not provably the same.
    assert!(!equivalent(&sent, &back, None));
    // Another API's ARN is not this API's shorthand.
    let other = ApiContext::new(REGION, ACCOUNT, "zzz999zzz9");
    assert!(!equivalent(&sent, &back, Some(&other)));
}

#[test]
fn normalising_sorts_dedups_and_expands() {
    let p = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:role/b"]},
            "Action":["execute-api:Invoke","execute-api:Invoke"],"Resource":["execute-api:/b","execute-api:/a"],
            "Condition":{"StringEquals":{"aws:SourceVpc":["vpc-2","vpc-1","vpc-2"]}}}]}"#,
    );
    let n = p.normalised(Some(&api()));
    assert_eq!(
        n.to_json_string(),
        format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:role/b"]}},"Action":"execute-api:Invoke","Resource":["arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/a","arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/b"],"Condition":{{"StringEquals":{{"aws:SourceVpc":["vpc-1","vpc-2"]}}}}}}]}}"#
        )
    );
    assert_eq!(n.normalised(Some(&api())), n, "normalising is idempotent");
}

#[test]
fn equivalence_ignores_statement_order_action_case_and_star_forms() {
    let a = policy(
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"},
            {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#,
    );
    let b = policy(
        r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*","Condition":{"Bool":{"AWS:SecureTransport":false}}},
            {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"EXECUTE-API:invoke","Resource":"*"}]}"#,
    );
    assert!(equivalent(&a, &b, None));
}

#[test]
fn different_policies_are_not_equivalent() {
    let base = r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-a"}}}]}"#;
    let variants = [
        base.replace("\"Allow\"", "\"Deny\""),
        base.replace("execute-api:/*", "execute-api:/prod/*"),
        base.replace("vpce-a", "vpce-b"),
        base.replace("StringEquals", "StringNotEquals"),
        base.replace(
            "\"Principal\":\"*\"",
            "\"Principal\":{\"AWS\":\"111122223333\"}",
        ),
        base.replace(
            "\"Action\":\"execute-api:Invoke\"",
            "\"NotAction\":\"execute-api:Invoke\"",
        ),
        base.replace("\"Sid\":\"S\"", "\"Sid\":\"T\""),
        base.replace("\"Version\":\"2012-10-17\",", ""),
        base.replace(
            "]}",
            ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Principal\":\"*\"}]}",
        ),
    ];
    let a = policy(base);
    assert!(equivalent(&a, &policy(base), Some(&api())));
    for v in variants {
        assert!(!equivalent(&a, &policy(&v), Some(&api())), "{v}");
    }
}

#[test]
fn pretty_json_has_a_stable_key_order() {
    let p = policy(
        r#"{"Statement":[{"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-a"}},"Resource":["r1","r2"],"NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},
            "NotAction":"s3:*","Effect":"Deny","Sid":"S1"}],"Id":"P","Version":"2012-10-17"}"#,
    );
    let want = r#"{
  "Version": "2012-10-17",
  "Id": "P",
  "Statement": [
    {
      "Sid": "S1",
      "Effect": "Deny",
      "NotPrincipal": {
        "AWS": "arn:aws:iam::111122223333:root"
      },
      "NotAction": "s3:*",
      "Resource": [
        "r1",
        "r2"
      ],
      "Condition": {
        "StringNotEquals": {
          "aws:SourceVpce": "vpce-a"
        }
      }
    }
  ]
}"#;
    assert_eq!(p.to_pretty_json(), want);
    assert_eq!(parse(&p.to_pretty_json()).unwrap(), p);
    let compact = p.to_json_string();
    assert!(!compact.contains('\n') && !compact.contains(": "));
    assert!(compact.starts_with(r#"{"Version":"2012-10-17","Id":"P","Statement":[{"Sid":"S1","Effect":"Deny","NotPrincipal""#));
    assert_eq!(parse(&compact).unwrap(), p);
}

#[test]
fn printing_round_trips_every_example() {
    for text in [SENT, &returned()] {
        let p = parse(text).unwrap();
        assert_eq!(parse(&p.to_pretty_json()).unwrap(), p);
        assert_eq!(parse(&p.to_json_string()).unwrap(), p);
    }
}
