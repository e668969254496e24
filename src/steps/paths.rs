//! Service-to-service paths: one API with the endpoints attached to it and their groups.

use super::{Control, Finding, Status};
use crate::model::Posture;

/// One API path as the operator sees it: callers -> endpoint(s) -> API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPath {
    pub api_id: String,
    pub api_name: String,
    /// The attached endpoints that this account has (others are reported, not followed).
    pub endpoint_ids: Vec<String>,
    /// The security groups of those endpoints.
    pub security_group_ids: Vec<String>,
}

impl ApiPath {
    /// Whether a finding concerns this path for its control.
    pub fn concerns(&self, finding: &Finding) -> bool {
        match finding.control {
            Control::IamAuth | Control::ResourcePolicy => {
                finding.api_id.as_deref() == Some(self.api_id.as_str())
            }
            // The endpoint's own findings concern every API behind it; one scoped to an API
            // (its authorizer methods open through the endpoint) concerns that API alone.
            Control::EndpointPolicy => {
                finding
                    .vpc_endpoint_id
                    .as_ref()
                    .is_some_and(|e| self.endpoint_ids.contains(e))
                    && finding.api_id.as_ref().is_none_or(|a| *a == self.api_id)
            }
            Control::EndpointSg => finding
                .security_group_id
                .as_ref()
                .is_some_and(|g| self.security_group_ids.contains(g)),
        }
    }

    /// The findings of one control on this path.
    pub fn findings<'a>(
        &'a self,
        findings: &'a [Finding],
        control: Control,
    ) -> impl Iterator<Item = &'a Finding> {
        findings
            .iter()
            .filter(move |f| f.control == control && self.concerns(f))
    }

    /// The worst status of one control on this path; `None` when nothing applies (e.g. no
    /// endpoint on a REGIONAL API).
    pub fn status(&self, findings: &[Finding], control: Control) -> Option<Status> {
        self.findings(findings, control).map(|f| f.status).max()
    }
}

/// Every API of the posture as a path, in the posture's order.
pub fn api_paths(posture: &Posture) -> Vec<ApiPath> {
    posture
        .apis
        .iter()
        .map(|api| {
            let endpoints: Vec<_> = posture.endpoints_of(api).collect();
            let mut security_group_ids: Vec<String> = endpoints
                .iter()
                .flat_map(|e| e.security_group_ids.iter().cloned())
                .collect();
            security_group_ids.sort();
            security_group_ids.dedup();
            ApiPath {
                api_id: api.id.clone(),
                api_name: api.name.clone(),
                endpoint_ids: endpoints.iter().map(|e| e.id.clone()).collect(),
                security_group_ids,
            }
        })
        .collect()
}
