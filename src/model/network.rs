use serde::{Deserialize, Serialize};

use super::{AccountId, PolicyText, Region};

/// A VPC and its CIDR blocks (used to recognise "the whole VPC" rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    #[serde(default)]
    pub cidr_blocks: Vec<String>,
    #[serde(default)]
    pub ipv6_cidr_blocks: Vec<String>,
}

/// An interface VPC endpoint for `execute-api`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VpcEndpoint {
    pub id: String,
    pub vpc_id: String,
    pub service_name: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub private_dns_enabled: bool,
    /// `None` only when AWS returned no document (it normally returns the default full-access one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyText>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    pub owner_id: AccountId,
}

impl VpcEndpoint {
    pub fn arn(&self, region: &Region) -> String {
        format!(
            "arn:{}:ec2:{}:{}:vpc-endpoint/{}",
            region.partition(),
            region,
            self.owner_id,
            self.id
        )
    }
}

/// Where an ingress rule lets traffic come from. One rule has one source, as
/// `DescribeSecurityGroupRules` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    Ipv4(String),
    Ipv6(String),
    Group {
        group_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner_id: Option<String>,
    },
    PrefixList(String),
}

impl RuleSource {
    pub fn describe(&self) -> String {
        match self {
            Self::Ipv4(c) | Self::Ipv6(c) => c.clone(),
            Self::Group { group_id, .. } => group_id.clone(),
            Self::PrefixList(p) => p.clone(),
        }
    }

    /// Open to the whole internet (`0.0.0.0/0` or `::/0`).
    pub fn is_anywhere(&self) -> bool {
        matches!(self, Self::Ipv4(c) if c == "0.0.0.0/0")
            || matches!(self, Self::Ipv6(c) if c == "::/0")
    }
}

/// One ingress rule of a security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressRule {
    /// The `sgr-` id (used to revoke precisely).
    pub rule_id: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all traffic.
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    pub source: RuleSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl IngressRule {
    pub fn is_all_traffic(&self) -> bool {
        self.protocol == "-1"
    }

    /// Whether this rule admits tcp traffic to `port`.
    pub fn admits_tcp(&self, port: i32) -> bool {
        if self.is_all_traffic() {
            return true;
        }
        if !(self.protocol.eq_ignore_ascii_case("tcp") || self.protocol == "6") {
            return false;
        }
        match (self.from_port, self.to_port) {
            (Some(from), Some(to)) if from == -1 && to == -1 => true,
            (Some(from), Some(to)) => from <= port && port <= to,
            _ => true,
        }
    }

    /// The same traffic from the same peer as `other` (ids and descriptions aside), as AWS
    /// judges duplicate rules. A group is the same peer whoever its owner is said to be.
    pub fn same_traffic(&self, other: &IngressRule) -> bool {
        let same_source = match (&self.source, &other.source) {
            (RuleSource::Group { group_id: x, .. }, RuleSource::Group { group_id: y, .. }) => {
                x == y
            }
            (x, y) => x == y,
        };
        self.protocol.eq_ignore_ascii_case(&other.protocol)
            && self.from_port == other.from_port
            && self.to_port == other.to_port
            && same_source
    }

    /// `tcp 443`, `tcp 0-65535`, `all traffic`.
    pub fn describe_ports(&self) -> String {
        if self.is_all_traffic() {
            return "all traffic".to_string();
        }
        match (self.from_port, self.to_port) {
            (Some(f), Some(t)) if f == t => format!("{} {}", self.protocol, f),
            (Some(f), Some(t)) => format!("{} {}-{}", self.protocol, f, t),
            _ => self.protocol.clone(),
        }
    }
}

/// A security group; `ingress` is `None` when its rules could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub owner_id: AccountId,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub ingress: Option<Vec<IngressRule>>,
}

impl SecurityGroup {
    pub fn arn(&self, region: &Region) -> String {
        format!(
            "arn:{}:ec2:{}:{}:security-group/{}",
            region.partition(),
            region,
            self.owner_id,
            self.id
        )
    }
}

/// An EC2 instance in an endpoint's VPC: a likely caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub vpc_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_profile_arn: Option<String>,
    /// The role of the instance profile, when it could be resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: &str, from: Option<i32>, to: Option<i32>) -> IngressRule {
        IngressRule {
            rule_id: "sgr-1".into(),
            protocol: protocol.into(),
            from_port: from,
            to_port: to,
            source: RuleSource::Ipv4("0.0.0.0/0".into()),
            description: None,
        }
    }

    #[test]
    fn port_ranges_admit_https() {
        assert!(rule("tcp", Some(443), Some(443)).admits_tcp(443));
        assert!(rule("tcp", Some(0), Some(65535)).admits_tcp(443));
        assert!(rule("-1", None, None).admits_tcp(443));
        assert!(!rule("tcp", Some(80), Some(80)).admits_tcp(443));
        assert!(!rule("udp", Some(443), Some(443)).admits_tcp(443));
        assert!(rule("6", Some(443), Some(443)).admits_tcp(443));
    }

    #[test]
    fn anywhere_sources() {
        assert!(RuleSource::Ipv4("0.0.0.0/0".into()).is_anywhere());
        assert!(RuleSource::Ipv6("::/0".into()).is_anywhere());
        assert!(!RuleSource::Ipv4("10.0.0.0/16".into()).is_anywhere());
    }
}
