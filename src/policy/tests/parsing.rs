use crate::policy::{
    ActionSpec, Condition, Effect, PolicyError, PrincipalSpec, ResourceSpec, parse,
};

const PLAIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;

#[test]
fn escaped_forms_parse_like_plain_json() {
    let plain = parse(PLAIN).unwrap();
    // As API Gateway returns it: backslash-escaped, no surrounding quotes.
    let escaped = PLAIN.replace('"', "\\\"");
    assert!(escaped.starts_with("{\\\"Version"));
    // A JSON string literal containing the policy, and that string escaped once more.
    let literal = serde_json::to_string(PLAIN).unwrap();
    let double = serde_json::to_string(&literal).unwrap();
    for text in [escaped.as_str(), literal.as_str(), double.as_str()] {
        assert_eq!(parse(text).unwrap(), plain, "{text}");
    }
    // Escaped slashes as some clients write them.
    let slashes = PLAIN.replace('/', "\\/").replace('"', "\\\"");
    assert_eq!(parse(&slashes).unwrap(), plain);
    // A byte-order mark and surrounding whitespace are ignored.
    assert_eq!(parse(&format!("\u{feff}{PLAIN}\n")).unwrap(), plain);
}

#[test]
fn statement_may_be_an_object_or_a_list_and_values_strings_or_lists() {
    let object = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":["execute-api:Invoke"],"Resource":"*"}}"#;
    let list = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/app"]},"Action":"execute-api:Invoke","Resource":["*"]}]}"#;
    let a = parse(object).unwrap();
    assert_eq!(a, parse(list).unwrap());
    assert_eq!(a.version, None);
    let s = &a.statements()[0];
    assert_eq!(s.effect, Effect::Allow);
    assert_eq!(s.aws_principals(), ["arn:aws:iam::111122223333:role/app"]);
    assert!(!s.allows_any_principal());
    assert_eq!(
        s.actions(),
        (&["execute-api:Invoke".to_string()][..], false)
    );
}

#[test]
fn negated_elements_and_conditions() {
    let text = r#"{"Version":"2012-10-17","Id":"p1","Statement":[{"Sid":"D","Effect":"Deny",
        "NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root"]},"NotAction":"execute-api:Invoke",
        "NotResource":"execute-api:/prod/*",
        "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10},
        "StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"],"aws:SourceVpc":"vpc-1"}}}]}"#;
    let p = parse(text).unwrap();
    assert_eq!(p.id.as_deref(), Some("p1"));
    let s = &p.statements[0];
    assert_eq!(s.sid.as_deref(), Some("D"));
    assert_eq!(s.effect, Effect::Deny);
    assert!(s.principal.is_none());
    assert!(matches!(&s.not_principal, Some(PrincipalSpec::Map(m)) if m["AWS"].len() == 1));
    assert_eq!(
        s.action,
        ActionSpec::NotAction(vec!["execute-api:Invoke".into()])
    );
    assert_eq!(
        s.resource,
        Some(ResourceSpec::NotResource(vec![
            "execute-api:/prod/*".into()
        ]))
    );
    let c = |op: &str, key: &str, values: &[&str]| Condition {
        operator: op.into(),
        key: key.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    assert_eq!(
        s.conditions,
        [
            c("Bool", "aws:SecureTransport", &["false"]),
            c("NumericLessThan", "s3:max-keys", &["10"]),
            c("StringNotEquals", "aws:SourceVpce", &["vpce-1", "vpce-2"]),
            c("StringNotEquals", "aws:SourceVpc", &["vpc-1"]),
        ]
    );
    assert_eq!(s.conditions_on("AWS:SOURCEVPCE").count(), 1);
    let anyone =
        parse(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}}"#).unwrap();
    assert!(anyone.statements[0].allows_any_principal());
    assert!(anyone.statements[0].resources().is_none());
}

#[test]
fn malformed_text_says_what_is_wrong() {
    let ok_statement = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "the policy text is empty"),
        ("   ".into(), "the policy text is empty"),
        ("\"\"".into(), "the policy text is empty"),
        (
            r#"{"Version" "x"}"#.into(),
            "not JSON: expected `:` at line 1 column 12",
        ),
        (
            "{".into(),
            "not JSON: EOF while parsing an object at line 1 column 1",
        ),
        (
            "\"not a policy\"".into(),
            "not JSON: inside the JSON string: expected ident at line 1 column 2",
        ),
        (
            "[]".into(),
            "not a policy document: expected a JSON object, found a list",
        ),
        (
            "null".into(),
            "not a policy document: expected a JSON object, found null",
        ),
        (
            r#"{"Version":"2012-10-17"}"#.into(),
            "not a policy document: it has no Statement",
        ),
        (
            r#"{"Version":1,"Statement":[]}"#.into(),
            "not a policy document: Version must be a string, found a number",
        ),
        (
            r#"{"Statment":[]}"#.into(),
            "not a policy document: unknown element 'Statment' (expected Version, Id, Statement)",
        ),
        (
            r#"{"Statement":"x"}"#.into(),
            "not a policy document: Statement must be an object or a list of objects, found a string",
        ),
        (
            format!(r#"{{"Statement":[{ok_statement},{{"Action":"*"}}]}}"#),
            "Statement 2 has no Effect",
        ),
        (
            r#"{"Statement":[{"Effect":"allow","Action":"*"}]}"#.into(),
            "Statement 1 has Effect \"allow\", expected \"Allow\" or \"Deny\"",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow"}]}"#.into(),
            "Statement 1 has no Action or NotAction",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"*"}]}"#.into(),
            "Statement 1 has both Action and NotAction",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]}"#
                .into(),
            "Statement 1 has both Resource and NotResource",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":"*","NotPrincipal":"*"}]}"#
                .into(),
            "Statement 1 has both Principal and NotPrincipal",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":"someone"}]}"#.into(),
            "Statement 1 has a Principal that is neither \"*\" nor an object (found \"someone\")",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":[1]}]}"#.into(),
            "Statement 1 has a Action entry that is not a string (1)",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Principals":"*"}]}"#.into(),
            "Statement 1 has an unknown element 'Principals'",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":[]}]}"#.into(),
            "Statement 1 has a Condition that is not an object (found a list)",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"Bool":"x"}}]}"#.into(),
            "Statement 1 has a Condition operator Bool whose value is not an object of keys",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Condition":{"Bool":{"k":null}}}]}"#
                .into(),
            "Statement 1 has Condition Bool k with a value that is not a string, number, boolean or a list of them",
        ),
        (
            r#"{"Statement":[3]}"#.into(),
            "Statement 1 is not an object (found a number)",
        ),
    ];
    for (text, want) in cases {
        let err = parse(&text).expect_err(&text);
        assert_eq!(err.to_string(), want, "{text}");
    }
    assert!(matches!(
        parse(r#"{"Statement":[{"Action":"*"}]}"#),
        Err(PolicyError::Statement { number: 1, .. })
    ));
}

#[test]
fn garbage_never_panics() {
    let deep = "[".repeat(10_000);
    let inputs = [
        "\\",
        "\\\"",
        "{\\\"a",
        "\"{\\\"a\"",
        "}{",
        "\u{0}",
        "\"\\u0000\"",
        &deep,
        "{\"Statement\":{}}",
        "\"\\\"\\\"\"",
        "1e999999",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":{}}]}",
    ];
    for text in inputs {
        let _ = parse(text);
    }
    // A statement that is an empty object has no Effect.
    assert_eq!(
        parse("{\"Statement\":{}}").unwrap_err().to_string(),
        "Statement 1 has no Effect"
    );
}
