use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One of the four controls, in the order they are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Control {
    #[serde(rename = "iam-auth")]
    IamAuth,
    #[serde(rename = "resource-policy")]
    ResourcePolicy,
    #[serde(rename = "endpoint-policy")]
    EndpointPolicy,
    #[serde(rename = "endpoint-sg")]
    EndpointSg,
}

impl Control {
    pub const ALL: [Control; 4] = [
        Control::IamAuth,
        Control::ResourcePolicy,
        Control::EndpointPolicy,
        Control::EndpointSg,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::IamAuth => "iam-auth",
            Self::ResourcePolicy => "resource-policy",
            Self::EndpointPolicy => "endpoint-policy",
            Self::EndpointSg => "endpoint-sg",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::IamAuth => "IAM authorization on methods",
            Self::ResourcePolicy => "API resource policy",
            Self::EndpointPolicy => "VPC endpoint policy",
            Self::EndpointSg => "Endpoint security group",
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The verdict on one resource for one control. Ordered from best to worst, so that the
/// worst of several is their maximum (`skip` counts as best: nothing to judge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Skip,
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pass, Status::Fail, Status::Warn, Status::Skip];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warn",
            Self::Skip => "skip",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One verdict with a reason a person can act on, and the resource it is about.
///
/// Serialises to the stable `scan --format json` shape: the per-resource fields are present
/// only where they apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub control: Control,
    pub status: Status,
    pub reason: String,
    pub resource_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
}

impl Finding {
    pub fn new(control: Control, status: Status, resource_arn: String, reason: String) -> Self {
        Self {
            control,
            status,
            reason,
            resource_arn,
            api_id: None,
            api_name: None,
            http_method: None,
            path: None,
            vpc_endpoint_id: None,
            security_group_id: None,
        }
    }

    pub fn api(mut self, id: &str, name: &str) -> Self {
        self.api_id = Some(id.to_string());
        self.api_name = Some(name.to_string());
        self
    }

    pub fn method(mut self, http_method: &str, path: &str) -> Self {
        self.http_method = Some(http_method.to_string());
        self.path = Some(path.to_string());
        self
    }

    pub fn endpoint(mut self, id: &str) -> Self {
        self.vpc_endpoint_id = Some(id.to_string());
        self
    }

    pub fn security_group(mut self, id: &str) -> Self {
        self.security_group_id = Some(id.to_string());
        self
    }
}

/// Counts per control and status, every control and status present (zeros included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Summary(BTreeMap<&'static str, BTreeMap<&'static str, usize>>);

impl Summary {
    pub fn of(findings: &[Finding]) -> Self {
        let mut map: BTreeMap<&'static str, BTreeMap<&'static str, usize>> = Control::ALL
            .iter()
            .map(|c| {
                (
                    c.id(),
                    Status::ALL.iter().map(|s| (s.as_str(), 0)).collect(),
                )
            })
            .collect();
        for f in findings {
            *map.entry(f.control.id())
                .or_default()
                .entry(f.status.as_str())
                .or_default() += 1;
        }
        Self(map)
    }

    pub fn count(&self, control: Control, status: Status) -> usize {
        self.0
            .get(control.id())
            .and_then(|m| m.get(status.as_str()))
            .copied()
            .unwrap_or(0)
    }

    pub fn any_fail(&self) -> bool {
        Control::ALL
            .iter()
            .any(|c| self.count(*c, Status::Fail) > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_every_control_and_status() {
        let findings = vec![
            Finding::new(Control::IamAuth, Status::Fail, "arn:a".into(), "x".into()),
            Finding::new(Control::IamAuth, Status::Skip, "arn:b".into(), "y".into()),
            Finding::new(
                Control::EndpointSg,
                Status::Pass,
                "arn:c".into(),
                "z".into(),
            ),
        ];
        let summary = Summary::of(&findings);
        assert_eq!(summary.count(Control::IamAuth, Status::Fail), 1);
        assert_eq!(summary.count(Control::IamAuth, Status::Skip), 1);
        assert_eq!(summary.count(Control::ResourcePolicy, Status::Pass), 0);
        assert!(summary.any_fail());
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["endpoint-policy"]["warn"], 0);
        assert_eq!(json["endpoint-sg"]["pass"], 1);
    }

    #[test]
    fn worst_status_is_the_maximum() {
        assert_eq!(
            [Status::Pass, Status::Fail, Status::Warn].into_iter().max(),
            Some(Status::Fail)
        );
        assert_eq!(
            [Status::Skip, Status::Pass].into_iter().max(),
            Some(Status::Pass)
        );
    }
}
