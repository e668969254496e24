//! The typed shape of an IAM policy document (identity, resource or VPC endpoint policy).
//!
//! Values are kept as written; [`Policy::normalised`](super::Policy::normalised) canonicalises.

use std::collections::BTreeMap;

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    pub version: Option<String>,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

impl Policy {
    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The first statement with this `Sid`, with its index.
    pub fn statement_by_sid(&self, sid: &str) -> Option<(usize, &Statement)> {
        self.statements
            .iter()
            .enumerate()
            .find(|(_, s)| s.sid.as_deref() == Some(sid))
    }

    /// The default VPC endpoint policy (full access, anonymous callers included).
    pub fn full_access() -> Self {
        Self {
            version: None,
            id: None,
            statements: vec![Statement {
                sid: None,
                effect: Effect::Allow,
                principal: Some(PrincipalSpec::Any),
                not_principal: None,
                action: ActionSpec::Action(vec!["*".into()]),
                resource: Some(ResourceSpec::Resource(vec!["*".into()])),
                conditions: Vec::new(),
            }],
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<PrincipalSpec>,
    pub not_principal: Option<PrincipalSpec>,
    pub action: ActionSpec,
    pub resource: Option<ResourceSpec>,
    /// One entry per operator and key, in document order.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// True when `Principal` is `"*"` or `{"AWS": "*"}` (everyone, anonymous callers included).
    pub fn allows_any_principal(&self) -> bool {
        self.principal
            .as_ref()
            .is_some_and(PrincipalSpec::is_anyone)
    }

    /// The `AWS` principals named by `Principal` (empty for `"*"` or no `Principal`).
    pub fn aws_principals(&self) -> &[String] {
        self.principal
            .as_ref()
            .map(|p| p.values("AWS"))
            .unwrap_or_default()
    }

    /// The action patterns, and whether they are `NotAction`.
    pub fn actions(&self) -> (&[String], bool) {
        match &self.action {
            ActionSpec::Action(v) => (v, false),
            ActionSpec::NotAction(v) => (v, true),
        }
    }

    /// The resource patterns, and whether they are `NotResource` (`None` if neither is given).
    pub fn resources(&self) -> Option<(&[String], bool)> {
        self.resource.as_ref().map(|r| match r {
            ResourceSpec::Resource(v) => (v.as_slice(), false),
            ResourceSpec::NotResource(v) => (v.as_slice(), true),
        })
    }

    /// The conditions whose key matches `key` (case-insensitive).
    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions
            .iter()
            .filter(move |c| c.key.eq_ignore_ascii_case(key))
    }
}

/// The `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// `"*"`.
    Any,
    /// `{"AWS": [...], "Service": [...], "Federated": [...], "CanonicalUser": [...]}`.
    Map(BTreeMap<String, Vec<String>>),
}

impl PrincipalSpec {
    /// `"*"` or `{"AWS": "*"}` (or a list containing `"*"` under `AWS`): everyone, anonymous included.
    pub fn is_anyone(&self) -> bool {
        match self {
            Self::Any => true,
            Self::Map(m) => m.get("AWS").is_some_and(|v| v.iter().any(|s| s == "*")),
        }
    }

    /// The values under one principal type (`AWS`, `Service`, ...); empty for `"*"`.
    pub fn values(&self, kind: &str) -> &[String] {
        match self {
            Self::Any => &[],
            Self::Map(m) => m.get(kind).map(Vec::as_slice).unwrap_or_default(),
        }
    }
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionSpec {
    Action(Vec<String>),
    NotAction(Vec<String>),
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceSpec {
    Resource(Vec<String>),
    NotResource(Vec<String>),
}

/// One operator applied to one key, e.g. `StringNotEquals` on `aws:SourceVpce`.
///
/// The operator is kept as written (`ForAnyValue:StringLikeIfExists`); values are strings
/// (JSON booleans and numbers become their text).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}
