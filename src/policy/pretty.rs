//! Printing a policy: pretty JSON with a stable key order for display and diffs, compact JSON
//! for sending to AWS.

use serde_json::{Map, Value};

use super::document::{ActionSpec, Policy, PrincipalSpec, ResourceSpec, Statement};

impl Policy {
    /// Indented JSON; keys in the order Version, Id, Statement, and within a statement Sid,
    /// Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition.
    /// A single value prints as a string, several as a list.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// Compact JSON, same key order (the form to send to AWS).
    pub fn to_json_string(&self) -> String {
        self.to_value().to_string()
    }

    fn to_value(&self) -> Value {
        let mut top = Map::new();
        if let Some(v) = &self.version {
            top.insert("Version".into(), Value::String(v.clone()));
        }
        if let Some(id) = &self.id {
            top.insert("Id".into(), Value::String(id.clone()));
        }
        let statements = self.statements.iter().map(statement_value).collect();
        top.insert("Statement".into(), Value::Array(statements));
        Value::Object(top)
    }
}

fn statement_value(s: &Statement) -> Value {
    let mut m = Map::new();
    if let Some(sid) = &s.sid {
        m.insert("Sid".into(), Value::String(sid.clone()));
    }
    m.insert("Effect".into(), Value::String(s.effect.as_str().into()));
    if let Some(p) = &s.principal {
        m.insert("Principal".into(), principal_value(p));
    }
    if let Some(p) = &s.not_principal {
        m.insert("NotPrincipal".into(), principal_value(p));
    }
    match &s.action {
        ActionSpec::Action(v) => m.insert("Action".into(), one_or_many(v)),
        ActionSpec::NotAction(v) => m.insert("NotAction".into(), one_or_many(v)),
    };
    match &s.resource {
        Some(ResourceSpec::Resource(v)) => {
            m.insert("Resource".into(), one_or_many(v));
        }
        Some(ResourceSpec::NotResource(v)) => {
            m.insert("NotResource".into(), one_or_many(v));
        }
        None => {}
    }
    if !s.conditions.is_empty() {
        let mut ops: Map<String, Value> = Map::new();
        for c in &s.conditions {
            let keys = ops
                .entry(c.operator.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(keys) = keys {
                keys.insert(c.key.clone(), one_or_many(&c.values));
            }
        }
        m.insert("Condition".into(), Value::Object(ops));
    }
    Value::Object(m)
}

fn principal_value(p: &PrincipalSpec) -> Value {
    match p {
        PrincipalSpec::Any => Value::String("*".into()),
        PrincipalSpec::Map(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), one_or_many(v)))
                .collect(),
        ),
    }
}

fn one_or_many(values: &[String]) -> Value {
    match values {
        [one] => Value::String(one.clone()),
        many => Value::Array(many.iter().cloned().map(Value::String).collect()),
    }
}
