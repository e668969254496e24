use serde::{Deserialize, Serialize};

use super::{AccountId, Instance, Region, RestApi, SecurityGroup, Vpc, VpcEndpoint};

/// Something that could not be read (access denied, throttled past the retries, malformed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadGap {
    /// The resource it concerns (an id or ARN), or the account when it is account-wide.
    pub resource: String,
    /// The AWS operation that failed, e.g. `GetResources`.
    pub operation: String,
    /// What failed and what to do about it.
    pub message: String,
}

/// Everything read from one account and region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posture {
    pub account: AccountId,
    pub region: Region,
    #[serde(default)]
    pub apis: Vec<RestApi>,
    #[serde(default)]
    pub endpoints: Vec<VpcEndpoint>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    #[serde(default)]
    pub vpcs: Vec<Vpc>,
    #[serde(default)]
    pub instances: Vec<Instance>,
    #[serde(default)]
    pub gaps: Vec<ReadGap>,
}

impl Posture {
    /// Puts every list in the order the operator reads it, whatever order the source gave:
    /// APIs by name, resources by path, methods by verb, the rest by id. Both clouds return
    /// postures in this order, so the same account reads the same from either.
    pub fn into_canonical(mut self) -> Self {
        self.apis
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        for api in &mut self.apis {
            api.vpc_endpoint_ids.sort();
            for r in api.resources.iter_mut().flatten() {
                r.methods.sort_by(|a, b| a.http_method.cmp(&b.http_method));
            }
            if let Some(resources) = &mut api.resources {
                resources.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
            }
            if let Some(stages) = &mut api.stages {
                stages.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        self.endpoints.sort_by(|a, b| a.id.cmp(&b.id));
        self.security_groups.sort_by(|a, b| a.id.cmp(&b.id));
        for g in &mut self.security_groups {
            if let Some(rules) = &mut g.ingress {
                rules.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
            }
        }
        self.vpcs.sort_by(|a, b| a.id.cmp(&b.id));
        self.instances.sort_by(|a, b| a.id.cmp(&b.id));
        self.gaps.sort_by(|a, b| {
            (&a.resource, &a.operation, &a.message).cmp(&(&b.resource, &b.operation, &b.message))
        });
        self.gaps.dedup();
        self
    }

    pub fn api(&self, id: &str) -> Option<&RestApi> {
        self.apis.iter().find(|a| a.id == id)
    }

    pub fn endpoint(&self, id: &str) -> Option<&VpcEndpoint> {
        self.endpoints.iter().find(|e| e.id == id)
    }

    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.id == id)
    }

    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }

    /// The endpoints of this account attached to an API (its `vpcEndpointIds`).
    pub fn endpoints_of<'a>(&'a self, api: &'a RestApi) -> impl Iterator<Item = &'a VpcEndpoint> {
        api.vpc_endpoint_ids
            .iter()
            .filter_map(move |id| self.endpoint(id))
    }

    /// The APIs that list this endpoint in their `vpcEndpointIds`.
    pub fn apis_behind<'a>(&'a self, endpoint_id: &'a str) -> impl Iterator<Item = &'a RestApi> {
        self.apis
            .iter()
            .filter(move |a| a.vpc_endpoint_ids.iter().any(|e| e == endpoint_id))
    }

    /// The instances in a VPC (likely callers of its endpoints).
    pub fn instances_in<'a>(&'a self, vpc_id: &'a str) -> impl Iterator<Item = &'a Instance> {
        self.instances.iter().filter(move |i| i.vpc_id == vpc_id)
    }

    /// The gaps recorded for one resource.
    pub fn gaps_for<'a>(&'a self, resource: &'a str) -> impl Iterator<Item = &'a ReadGap> {
        self.gaps.iter().filter(move |g| g.resource == resource)
    }
}
