//! One finished scan: the posture, its findings and its API paths, and the questions the
//! views ask of them.

use crate::model::{Posture, ReadGap, VpcEndpoint};
use crate::steps::{self, ApiPath, Control, Finding, Status};

/// One finished scan: the posture, its findings and its API paths, computed once.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub posture: Posture,
    pub findings: Vec<Finding>,
    pub paths: Vec<ApiPath>,
}

impl Scanned {
    /// Assess a posture (pure; the runtime calls it off the input loop).
    pub fn new(posture: Posture) -> Self {
        let findings = steps::assess(&posture);
        let paths = steps::api_paths(&posture);
        Self {
            posture,
            findings,
            paths,
        }
    }

    /// The worst status of one control over the findings about an endpoint.
    pub fn endpoint_status(&self, endpoint: &VpcEndpoint, control: Control) -> Option<Status> {
        self.endpoint_findings(endpoint)
            .filter(|f| f.control == control)
            .map(|f| f.status)
            .max()
    }

    /// Findings about an endpoint: its policy, and the groups it uses.
    pub fn endpoint_findings<'a>(
        &'a self,
        endpoint: &'a VpcEndpoint,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| match f.control {
            Control::EndpointPolicy => f.vpc_endpoint_id.as_deref() == Some(endpoint.id.as_str()),
            Control::EndpointSg => f
                .security_group_id
                .as_ref()
                .is_some_and(|g| endpoint.security_group_ids.contains(g)),
            _ => false,
        })
    }

    /// Findings about a security group.
    pub fn group_findings<'a>(
        &'a self,
        group_id: &'a str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.security_group_id.as_deref() == Some(group_id))
    }

    /// The worst status of the findings about a security group (`None`: no control applies).
    pub fn group_status(&self, group_id: &str) -> Option<Status> {
        self.group_findings(group_id).map(|f| f.status).max()
    }

    /// The read gaps that concern a resource, given by id (a gap may name it by id or ARN).
    pub fn gaps_for<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a ReadGap> + 'a {
        self.posture
            .gaps
            .iter()
            .filter(move |g| gap_concerns(g, id))
    }

    /// Gaps that concern no API, endpoint, group, VPC or instance of the posture
    /// (account-wide gaps, or resources that could not be read at all).
    pub fn unattributed_gaps(&self) -> impl Iterator<Item = &ReadGap> {
        let p = &self.posture;
        let ids: Vec<&str> = p
            .apis
            .iter()
            .map(|a| a.id.as_str())
            .chain(p.endpoints.iter().map(|e| e.id.as_str()))
            .chain(p.security_groups.iter().map(|g| g.id.as_str()))
            .chain(p.vpcs.iter().map(|v| v.id.as_str()))
            .chain(p.instances.iter().map(|i| i.id.as_str()))
            .collect();
        p.gaps
            .iter()
            .filter(move |g| !ids.iter().any(|id| gap_concerns(g, id)))
    }
}

/// Whether a gap names a resource: by id, or by an ARN or path ending in (or containing) `/id`.
pub fn gap_concerns(gap: &ReadGap, id: &str) -> bool {
    let r = gap.resource.as_str();
    r == id || r.ends_with(&format!("/{id}")) || r.contains(&format!("/{id}/"))
}
