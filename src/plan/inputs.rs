//! What a plan is made for: the target APIs and endpoints, and the callers whose access must
//! survive. Inferred from the posture, overridable by the operator.

use serde::{Deserialize, Serialize};

use super::MethodKey;

/// The inputs of a plan. Every id is filled in; none is a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Inputs {
    /// The APIs in scope.
    pub api_ids: Vec<String>,
    /// The VPC endpoints the callers come through.
    pub endpoint_ids: Vec<String>,
    /// The callers' role ARNs (`arn:aws:iam::ACCOUNT:role/NAME`).
    pub caller_roles: Vec<String>,
    /// The callers' security groups.
    pub caller_groups: Vec<String>,
    /// `iam-auth`: the methods to sign; `None` means every `NONE` method except CORS preflight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<MethodKey>>,
    /// `endpoint-policy`: APIs behind the endpoints that the operator takes out of scope.
    #[serde(default)]
    pub excluded_apis: Vec<String>,
    /// What was inferred rather than given, in plain words (shown with the plan).
    #[serde(default)]
    pub notes: Vec<String>,
}
