//! The request as the evaluator sees it: the caller and the context keys.

use std::collections::BTreeMap;

use crate::policy::arn::arn_parts;

/// Global keys every request carries (IAM condition-keys reference).
const ALWAYS_PRESENT: [&str; 5] = [
    "aws:sourceip",
    "aws:currenttime",
    "aws:epochtime",
    "aws:securetransport",
    "aws:requestedregion",
];

/// A context key of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    Absent,
    Present(Vec<String>),
    /// Present in a real request, but its value is not known here: conditions on it fail closed.
    Unknown,
}

/// The signed identity of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalContext {
    /// As signed: `arn:aws:sts::A:assumed-role/R/s`, `arn:aws:iam::A:user/U`, `arn:aws:iam::A:root`.
    pub arn: String,
    pub account: String,
    /// `aws:PrincipalArn` of a role session: the role ARN (D5).
    pub role_arn: Option<String>,
    /// `aws:userid` (`AROA...:session`, `AIDA...`, the account id for root).
    pub userid: Option<String>,
}

impl PrincipalContext {
    /// From the ARN alone; for a role session the role ARN is derived without its path.
    pub fn from_arn(arn: &str) -> Self {
        let parts = arn_parts(arn);
        let account = parts.map(|p| p[4].to_string()).unwrap_or_default();
        let role_arn = parts.and_then(|[_, partition, service, _, account, res]| {
            let role = res.strip_prefix("assumed-role/")?.split('/').next()?;
            (service == "sts").then(|| format!("arn:{partition}:iam::{account}:role/{role}"))
        });
        Self {
            arn: arn.to_string(),
            account,
            role_arn,
            userid: None,
        }
    }

    /// `aws:PrincipalArn`: the role ARN for a role session, otherwise the ARN as signed.
    pub fn principal_arn(&self) -> String {
        match &self.role_arn {
            Some(role) if self.is_role_session() => role.clone(),
            _ => self.arn.clone(),
        }
    }

    fn is_role_session(&self) -> bool {
        arn_parts(&self.arn).is_some_and(|p| p[2] == "sts" && p[5].starts_with("assumed-role/"))
    }

    /// The role name of a role session (from the session ARN or the role ARN).
    pub fn role_name(&self) -> Option<String> {
        if let Some(p) = arn_parts(&self.arn).filter(|_| self.is_role_session()) {
            return p[5].split('/').nth(1).map(str::to_string);
        }
        let role = self.role_arn.as_deref()?;
        arn_parts(role).map(|p| p[5].rsplit('/').next().unwrap_or_default().to_string())
    }

    pub(crate) fn principal_type(&self) -> &'static str {
        match arn_parts(&self.arn).map(|p| p[5]) {
            _ if self.is_role_session() => "AssumedRole",
            Some("root") => "Account",
            Some(r) if r.starts_with("user/") => "User",
            Some(r) if r.starts_with("federated-user/") => "FederatedUser",
            _ => "Unknown",
        }
    }
}

/// One request: action, resource, caller and context keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestContext {
    pub action: String,
    pub resource: String,
    /// `None`: anonymous (unsigned, or not authenticated by the method): principal keys absent.
    pub principal: Option<PrincipalContext>,
    pub source_vpce: Option<String>,
    pub source_vpc: Option<String>,
    /// Further context keys (names compared case-insensitively), e.g. `aws:SecureTransport`.
    pub extra: BTreeMap<String, Vec<String>>,
}

impl RequestContext {
    pub fn new(action: &str, resource: &str) -> Self {
        Self {
            action: action.into(),
            resource: resource.into(),
            ..Self::default()
        }
    }

    /// A context key: derived from the principal and the endpoint first, then `extra`.
    /// Keys that real requests carry but this context does not know are [`KeyValue::Unknown`].
    pub fn lookup(&self, key: &str) -> KeyValue {
        let lower = key.to_ascii_lowercase();
        let p = self.principal.as_ref();
        let derived = match lower.as_str() {
            "aws:principalaccount" => p.map(|p| p.account.clone()),
            "aws:principalarn" => p.map(PrincipalContext::principal_arn),
            "aws:principaltype" => p.map(|p| p.principal_type().to_string()),
            "aws:principalisawsservice" => p.map(|_| "false".to_string()),
            "aws:userid" => p.and_then(|p| p.userid.clone()),
            "aws:sourcevpce" => self.source_vpce.clone(),
            "aws:sourcevpc" => self.source_vpc.clone(),
            _ => None,
        };
        if let Some(v) = derived {
            return KeyValue::Present(vec![v]);
        }
        let given = self.extra.iter().find(|(k, _)| k.eq_ignore_ascii_case(key));
        if let Some((_, v)) = given.filter(|(_, v)| !v.is_empty()) {
            return KeyValue::Present(v.clone());
        }
        let signed_key = lower == "aws:userid"
            || lower.starts_with("aws:principalorg")
            || lower.starts_with("aws:principaltag/")
            || (lower == "aws:username" && p.is_some_and(|p| p.principal_type() == "User"));
        let always = ALWAYS_PRESENT.contains(&lower.as_str())
            || (lower == "aws:vpcsourceip" && self.source_vpce.is_some());
        if always || (signed_key && p.is_some()) {
            KeyValue::Unknown
        } else {
            KeyValue::Absent
        }
    }

    /// The values of a key when known and present, else `None`.
    pub fn key_values(&self, key: &str) -> Option<Vec<String>> {
        match self.lookup(key) {
            KeyValue::Present(v) => Some(v),
            KeyValue::Absent | KeyValue::Unknown => None,
        }
    }
}
