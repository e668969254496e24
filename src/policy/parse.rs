//! Lenient parsing of policy text as AWS returns it.
//!
//! Accepted: plain JSON; a JSON string literal whose content is the policy; and the
//! backslash-escaped form API Gateway returns (`{\"Version\":...}` without quotes).
//! `Statement` may be an object or a list; every value list may be a single string.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::document::{
    ActionSpec, Condition, Effect, Policy, PrincipalSpec, ResourceSpec, Statement,
};

/// Why a policy text could not be read. Messages say what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the policy text is empty")]
    Empty,
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a policy document: {0}")]
    Document(String),
    /// `number` counts from 1, as a reader would.
    #[error("Statement {number} {problem}")]
    Statement { number: usize, problem: String },
}

const TOP_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Parse policy text leniently (see the module documentation). Never panics.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let value = to_json(text)?;
    let Value::Object(top) = value else {
        return Err(PolicyError::Document(format!(
            "expected a JSON object, found {}",
            kind(&value)
        )));
    };
    document(&top)
}

/// Decode the text to a JSON value, undoing one or two levels of string escaping.
fn to_json(text: &str) -> Result<Value, PolicyError> {
    let trimmed = text.trim().trim_start_matches('\u{feff}');
    if trimmed.is_empty() {
        return Err(PolicyError::Empty);
    }
    let mut value = match serde_json::from_str::<Value>(trimmed) {
        Ok(v) => v,
        Err(first) => {
            // `{\"Version\":...}`: the content of a JSON string without its quotes.
            if !trimmed.contains("\\\"") {
                return Err(PolicyError::NotJson(first.to_string()));
            }
            match serde_json::from_str::<String>(&format!("\"{trimmed}\"")) {
                Ok(s) => Value::String(s),
                Err(_) => return Err(PolicyError::NotJson(first.to_string())),
            }
        }
    };
    // A JSON string containing JSON (at most twice, then give up).
    for _ in 0..2 {
        let Value::String(inner) = &value else { break };
        let inner = inner.trim();
        if inner.is_empty() {
            return Err(PolicyError::Empty);
        }
        value = serde_json::from_str::<Value>(inner)
            .map_err(|e| PolicyError::NotJson(format!("inside the JSON string: {e}")))?;
    }
    Ok(value)
}

fn document(top: &Map<String, Value>) -> Result<Policy, PolicyError> {
    if let Some(k) = top.keys().find(|k| !TOP_KEYS.contains(&k.as_str())) {
        return Err(PolicyError::Document(format!(
            "unknown element '{k}' (expected Version, Id, Statement)"
        )));
    }
    let text = |name: &str| -> Result<Option<String>, PolicyError> {
        match top.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(PolicyError::Document(format!(
                "{name} must be a string, found {}",
                kind(v)
            ))),
        }
    };
    let version = text("Version")?;
    let id = text("Id")?;
    let raw_statements: Vec<&Value> = match top.get("Statement") {
        None => return Err(PolicyError::Document("it has no Statement".into())),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        Some(v) => {
            return Err(PolicyError::Document(format!(
                "Statement must be an object or a list of objects, found {}",
                kind(v)
            )));
        }
    };
    let statements = raw_statements
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            statement(v).map_err(|problem| PolicyError::Statement {
                number: i + 1,
                problem,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Policy {
        version,
        id,
        statements,
    })
}

/// One statement; the error is the problem, to be prefixed with "Statement N".
fn statement(value: &Value) -> Result<Statement, String> {
    let Value::Object(m) = value else {
        return Err(format!("is not an object (found {})", kind(value)));
    };
    if let Some(k) = m.keys().find(|k| !STATEMENT_KEYS.contains(&k.as_str())) {
        return Err(format!("has an unknown element '{k}'"));
    }
    let sid = match m.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => return Err(format!("has a Sid that is not a string ({})", kind(v))),
    };
    let effect = match m.get("Effect") {
        None => return Err("has no Effect".into()),
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(v) => return Err(format!("has Effect {v}, expected \"Allow\" or \"Deny\"")),
    };
    let principal = m
        .get("Principal")
        .map(|v| principal_spec(v, "Principal"))
        .transpose()?;
    let not_principal = m
        .get("NotPrincipal")
        .map(|v| principal_spec(v, "NotPrincipal"))
        .transpose()?;
    if principal.is_some() && not_principal.is_some() {
        return Err("has both Principal and NotPrincipal".into());
    }
    let action = match (m.get("Action"), m.get("NotAction")) {
        (Some(v), None) => ActionSpec::Action(strings(v, "Action")?),
        (None, Some(v)) => ActionSpec::NotAction(strings(v, "NotAction")?),
        (None, None) => return Err("has no Action or NotAction".into()),
        (Some(_), Some(_)) => return Err("has both Action and NotAction".into()),
    };
    let resource = match (m.get("Resource"), m.get("NotResource")) {
        (Some(v), None) => Some(ResourceSpec::Resource(strings(v, "Resource")?)),
        (None, Some(v)) => Some(ResourceSpec::NotResource(strings(v, "NotResource")?)),
        (None, None) => None,
        (Some(_), Some(_)) => return Err("has both Resource and NotResource".into()),
    };
    let conditions = match m.get("Condition") {
        None => Vec::new(),
        Some(v) => conditions(v)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        not_principal,
        action,
        resource,
        conditions,
    })
}

fn principal_spec(value: &Value, element: &str) -> Result<PrincipalSpec, String> {
    match value {
        Value::String(s) if s == "*" => Ok(PrincipalSpec::Any),
        Value::Object(m) => {
            let mut out = BTreeMap::new();
            for (kind, v) in m {
                out.insert(kind.clone(), strings(v, &format!("{element} {kind}"))?);
            }
            Ok(PrincipalSpec::Map(out))
        }
        other => Err(format!(
            "has a {element} that is neither \"*\" nor an object (found {other})"
        )),
    }
}

fn conditions(value: &Value) -> Result<Vec<Condition>, String> {
    let Value::Object(ops) = value else {
        return Err(format!(
            "has a Condition that is not an object (found {})",
            kind(value)
        ));
    };
    let mut out = Vec::new();
    for (operator, keys) in ops {
        let Value::Object(keys) = keys else {
            return Err(format!(
                "has a Condition operator {operator} whose value is not an object of keys"
            ));
        };
        for (key, values) in keys {
            let values = scalars(values)
                .ok_or_else(|| format!("has Condition {operator} {key} with a value that is not a string, number, boolean or a list of them"))?;
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// A string or a list of strings.
fn strings(value: &Value, element: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "has a {element} entry that is not a string ({other})"
                )),
            })
            .collect(),
        other => Err(format!(
            "has a {element} that is not a string or a list of strings (found {})",
            kind(other)
        )),
    }
}

/// Condition values: strings, numbers and booleans, single or in a list.
fn scalars(value: &Value) -> Option<Vec<String>> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
    match value {
        Value::Array(items) => items.iter().map(one).collect(),
        v => one(v).map(|s| vec![s]),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
