use serde::{Deserialize, Serialize};

use crate::policy::{self, Policy, PolicyError};

/// A policy document as AWS returned it (raw text, possibly JSON-escaped) and its parse.
///
/// Malformed text is kept and reported on its resource; it never stops a read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct PolicyText {
    raw: String,
    parsed: Result<Policy, PolicyError>,
}

impl PolicyText {
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parsed = policy::parse(&raw);
        Self { raw, parsed }
    }

    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn parsed(&self) -> Result<&Policy, &PolicyError> {
        self.parsed.as_ref()
    }
}

impl From<String> for PolicyText {
    fn from(raw: String) -> Self {
        Self::new(raw)
    }
}

impl From<PolicyText> for String {
    fn from(p: PolicyText) -> Self {
        p.raw
    }
}
