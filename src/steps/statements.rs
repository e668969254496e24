//! What the two policy planners share: building statements, reading the live policy,
//! comparing it with the proposal, and naming statements for people.

use crate::model::{AuthorizationType, PolicyText, Posture, RestApi};
use crate::policy::{
    ActionSpec, ApiContext, Condition, Effect, Policy, PrincipalSpec, ResourceSpec, Statement,
    equivalent,
};

/// The policy language version every proposed policy carries.
pub const VERSION: &str = "2012-10-17";
/// The one action the proposed policies grant or deny.
pub const INVOKE: &str = "execute-api:Invoke";

/// A policy found on a resource when planning.
pub enum Live<'a> {
    Absent,
    Parsed(&'a Policy),
    /// The text could not be parsed: why.
    Malformed(String),
}

impl<'a> Live<'a> {
    pub fn of(text: Option<&'a PolicyText>) -> Self {
        match text.map(PolicyText::parsed) {
            None => Self::Absent,
            Some(Ok(p)) => Self::Parsed(p),
            Some(Err(e)) => Self::Malformed(e.to_string()),
        }
    }
}

/// A statement on `execute-api:Invoke` of `resources`, with no condition.
pub fn invoke_statement(
    sid: &str,
    effect: Effect,
    principal: PrincipalSpec,
    resources: Vec<String>,
) -> Statement {
    Statement {
        sid: Some(sid.to_string()),
        effect,
        principal: Some(principal),
        not_principal: None,
        action: ActionSpec::Action(vec![INVOKE.to_string()]),
        resource: Some(ResourceSpec::Resource(resources)),
        conditions: Vec::new(),
    }
}

/// `StringNotEquals` on `key` with `values`.
pub fn string_not_equals(key: &str, values: Vec<String>) -> Condition {
    Condition {
        operator: "StringNotEquals".into(),
        key: key.into(),
        values,
    }
}

/// A versioned policy of these statements.
pub fn policy(statements: Vec<Statement>) -> Policy {
    Policy {
        version: Some(VERSION.to_string()),
        id: None,
        statements,
    }
}

/// Do the two policies mean the same? Beyond [`equivalent`], `Sid`s and the policy `Id` are
/// ignored: they name statements, they do not change what a statement allows.
pub fn same_meaning(a: &Policy, b: &Policy, api: Option<&ApiContext>) -> bool {
    equivalent(&unnamed(a), &unnamed(b), api)
}

fn unnamed(p: &Policy) -> Policy {
    Policy {
        version: p.version.clone(),
        id: None,
        statements: p
            .statements
            .iter()
            .map(|s| Statement {
                sid: None,
                ..s.clone()
            })
            .collect(),
    }
}

fn alone(s: &Statement) -> Policy {
    Policy {
        version: None,
        id: None,
        statements: vec![s.clone()],
    }
}

/// The statements of `live` that no statement of `new` says again, described for people,
/// leaving out those `ignore` accepts (e.g. the default full-access statement).
pub fn dropped(
    live: &Policy,
    new: &Policy,
    api: Option<&ApiContext>,
    ignore: impl Fn(&Statement) -> bool,
) -> Vec<String> {
    live.statements
        .iter()
        .enumerate()
        .filter(|(_, s)| !ignore(s))
        .filter(|(_, s)| {
            !new.statements
                .iter()
                .any(|n| same_meaning(&alone(s), &alone(n), api))
        })
        .map(|(i, s)| describe(i, s))
        .collect()
}

/// `statement 2 (Sid): Deny execute-api:Invoke to everyone ("*") on ARN when StringNotEquals aws:SourceVpce vpce-1`.
pub fn describe(index: usize, s: &Statement) -> String {
    let name = match &s.sid {
        Some(sid) if !sid.is_empty() => format!("statement {} ({sid})", index + 1),
        _ => format!("statement {}", index + 1),
    };
    let who = match (&s.principal, &s.not_principal) {
        (Some(p), _) => principals(p),
        (None, Some(np)) => format!("everyone except {}", principals(np)),
        (None, None) => "the identity it is attached to".to_string(),
    };
    let (actions, not_action) = s.actions();
    let what = if not_action {
        format!("every action except {}", actions.join(", "))
    } else {
        actions.join(", ")
    };
    let on = match s.resources() {
        Some((r, false)) => format!(" on {}", r.join(", ")),
        Some((r, true)) => format!(" on everything except {}", r.join(", ")),
        None => String::new(),
    };
    let when = if s.conditions.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = s
            .conditions
            .iter()
            .map(|c| format!("{} {} {}", c.operator, c.key, c.values.join(", ")))
            .collect();
        format!(" when {}", parts.join(" and "))
    };
    format!("{name}: {} {what} to {who}{on}{when}", s.effect.as_str())
}

fn principals(p: &PrincipalSpec) -> String {
    match p {
        PrincipalSpec::Any => "everyone (\"*\")".to_string(),
        PrincipalSpec::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(kind, values)| format!("{kind} {}", values.join(", ")))
                .collect();
            parts.join("; ")
        }
    }
}

/// Whether a method's callers are identified by a Lambda or Cognito authorizer rather than
/// by IAM: they send a token, not a SigV4 signature, so neither API Gateway nor the VPC
/// endpoint knows an IAM principal for them (AWS_POLICY_FACTS A5, A6, B1).
pub fn behind_authorizer(auth: &AuthorizationType) -> bool {
    matches!(
        auth,
        AuthorizationType::Custom | AuthorizationType::CognitoUserPools
    )
}

/// A method that stays behind its authorizer: how people call it, and the pattern of its
/// method ARNs on every stage.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AuthorizerMethod {
    /// `PUT /items/{sku}`.
    pub label: String,
    /// `arn:aws:execute-api:REGION:ACCOUNT:API/*/PUT/items/*`.
    pub pattern: String,
}

/// The methods of `api` behind a Lambda or Cognito authorizer, in path then verb order.
pub fn authorizer_methods(posture: &Posture, api: &RestApi) -> Vec<AuthorizerMethod> {
    let mut out: Vec<AuthorizerMethod> = api
        .methods()
        .filter(|(_, m)| behind_authorizer(&m.authorization_type))
        .map(|(r, m)| AuthorizerMethod {
            label: format!("{} {}", m.http_method, r.path),
            pattern: method_pattern(posture, api, &m.http_method, &r.path),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The ARN pattern of a method on every stage: each path parameter (`{sku}`, `{proxy+}`)
/// becomes `*`, and so does the verb `ANY`. A `*` also matches `/` (AWS_POLICY_FACTS C9), so
/// `items/*` covers the deeper paths under `/items/{sku}` as well.
pub fn method_pattern(posture: &Posture, api: &RestApi, verb: &str, path: &str) -> String {
    let verb = if verb == "ANY" { "*" } else { verb };
    let path: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "*"
            } else {
                seg
            }
        })
        .collect();
    api.invoke_arn(
        &posture.region,
        &posture.account,
        "*",
        verb,
        &path.join("/"),
    )
}

/// `PUT /items/{sku}, GET /items/{sku}/history`.
pub fn labels(methods: &[AuthorizerMethod]) -> String {
    let all: Vec<&str> = methods.iter().map(|m| m.label.as_str()).collect();
    all.join(", ")
}

/// The name of a role from its ARN (`service-a-role`).
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse;

    const ARN: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*";

    fn ctx() -> ApiContext {
        ApiContext::new("us-east-1", "111122223333", "a1b2c3d4e5")
    }

    #[test]
    fn sids_do_not_change_meaning() {
        let a = parse(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"A","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"{ARN}"}}]}}"#
        ))
        .unwrap();
        let b = parse(
            r#"{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["execute-api:invoke"],"Resource":"execute-api:/*"}}"#,
        )
        .unwrap();
        assert!(same_meaning(&a, &b, Some(&ctx())));
        assert!(!same_meaning(&a, &b, None), "the shorthand needs the API");
    }

    #[test]
    fn dropped_statements_are_those_not_said_again() {
        let live = parse(&format!(
            r#"{{"Statement":[
                {{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"{ARN}"}},
                {{"Sid":"Partner","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"execute-api:Invoke","Resource":"{ARN}","Condition":{{"StringEquals":{{"aws:SourceVpce":"vpce-1"}}}}}}]}}"#
        ))
        .unwrap();
        let new = policy(vec![invoke_statement(
            "AllowInvoke",
            Effect::Allow,
            PrincipalSpec::Any,
            vec![ARN.into()],
        )]);
        let dropped = dropped(&live, &new, Some(&ctx()), |_| false);
        assert_eq!(
            dropped,
            vec![format!(
                "statement 2 (Partner): Allow execute-api:Invoke to AWS arn:aws:iam::444455556666:root on {ARN} when StringEquals aws:SourceVpce vpce-1"
            )]
        );
        let none = super::dropped(&live, &new, Some(&ctx()), |s| s.sid.is_some());
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn live_policies_are_read_once() {
        let bad = PolicyText::new("{not json");
        assert!(matches!(Live::of(Some(&bad)), Live::Malformed(e) if e.contains("not JSON")));
        assert!(matches!(Live::of(None), Live::Absent));
        assert_eq!(role_name("arn:aws:iam::1:role/path/svc"), "svc");
    }
}
