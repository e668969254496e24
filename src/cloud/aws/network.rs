//! The network side: the `execute-api` interface endpoints, their VPCs, the instances in those
//! VPCs (the likely callers) with their roles, and the security groups of both.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::Filter;
use futures::StreamExt;

use super::convert;
use super::errors::cloud_error;
use super::read::Ctx;
use crate::cloud::{CloudError, ReadEvent};
use crate::model::{Instance, SecurityGroup, Vpc, VpcEndpoint};

/// EC2 accepts at most 200 values in one filter.
const FILTER_VALUES: usize = 200;
/// How many instance profiles are resolved at once.
const CONCURRENT_PROFILES: usize = 4;
/// Every instance state but `terminated`.
const LIVE_STATES: [&str; 5] = ["pending", "running", "shutting-down", "stopping", "stopped"];

#[derive(Debug, Default)]
pub(super) struct Network {
    pub endpoints: Vec<VpcEndpoint>,
    pub vpcs: Vec<Vpc>,
    pub security_groups: Vec<SecurityGroup>,
    pub instances: Vec<Instance>,
}

pub(super) async fn read_network(ctx: &Ctx<'_>) -> Network {
    ctx.started("VPC endpoints");
    let endpoints = match read_endpoints(ctx).await {
        Ok(endpoints) => endpoints,
        Err(err) => {
            ctx.gap(ctx.account.as_str(), &err);
            return Network::default();
        }
    };
    let vpc_ids: BTreeSet<String> = endpoints.iter().map(|e| e.vpc_id.clone()).collect();
    if vpc_ids.is_empty() {
        return Network {
            endpoints,
            ..Network::default()
        };
    }
    ctx.started("VPCs and instances");
    let (vpcs, instances) = futures::join!(read_vpcs(ctx, &vpc_ids), read_instances(ctx, &vpc_ids));
    let group_ids: BTreeSet<String> = endpoints
        .iter()
        .flat_map(|e| e.security_group_ids.iter())
        .chain(instances.iter().flat_map(|i| i.security_group_ids.iter()))
        .cloned()
        .collect();
    ctx.started("security groups and roles");
    let (security_groups, instances) = futures::join!(
        read_security_groups(ctx, &group_ids),
        resolve_roles(ctx, instances)
    );
    Network {
        endpoints,
        vpcs,
        security_groups,
        instances,
    }
}

fn filter(name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Filter {
    let mut filter = Filter::builder().name(name);
    for value in values {
        filter = filter.values(value);
    }
    filter.build()
}

/// The ids in chunks that fit one filter.
fn chunks(ids: &BTreeSet<String>) -> impl Iterator<Item = Vec<String>> + '_ {
    let ids: Vec<&String> = ids.iter().collect();
    (0..ids.len()).step_by(FILTER_VALUES).map(move |start| {
        ids[start..ids.len().min(start + FILTER_VALUES)]
            .iter()
            .map(|s| s.to_string())
            .collect()
    })
}

/// One gap per id, so each resource shows why it is missing.
fn gap_on_each(ctx: &Ctx<'_>, ids: &[String], err: &CloudError) {
    for id in ids {
        ctx.gap(id, err);
    }
}

/// The `execute-api` service name in this region (China regions put `cn.` in front).
fn execute_api_service(ctx: &Ctx<'_>) -> String {
    let region = &ctx.clients.region;
    let prefix = if region.partition() == "aws-cn" {
        "cn."
    } else {
        ""
    };
    format!("{prefix}com.amazonaws.{region}.execute-api")
}

/// `DescribeVpcEndpoints` filtered on the `execute-api` service, every page.
async fn read_endpoints(ctx: &Ctx<'_>) -> Result<Vec<VpcEndpoint>, CloudError> {
    const OP: &str = "DescribeVpcEndpoints";
    let mut pages = ctx
        .clients
        .ec2
        .describe_vpc_endpoints()
        .filters(filter("service-name", [execute_api_service(ctx)]))
        .into_paginator()
        .send();
    let mut endpoints = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| cloud_error(OP, &e))?;
        endpoints.extend(
            page.vpc_endpoints()
                .iter()
                .filter(|e| convert::is_interface(e))
                .filter_map(|e| convert::endpoint(e, &ctx.account)),
        );
    }
    endpoints.sort_by(|a, b| a.id.cmp(&b.id));
    endpoints.dedup_by(|a, b| a.id == b.id);
    Ok(endpoints)
}

/// `DescribeVpcs` for the endpoints' VPCs (their CIDRs).
async fn read_vpcs(ctx: &Ctx<'_>, vpc_ids: &BTreeSet<String>) -> Vec<Vpc> {
    const OP: &str = "DescribeVpcs";
    let mut vpcs = Vec::new();
    for chunk in chunks(vpc_ids) {
        let mut pages = ctx
            .clients
            .ec2
            .describe_vpcs()
            .filters(filter("vpc-id", chunk.clone()))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => vpcs.extend(page.vpcs().iter().filter_map(convert::vpc)),
                Err(e) => {
                    gap_on_each(ctx, &chunk, &cloud_error(OP, &e));
                    break;
                }
            }
        }
    }
    vpcs.sort_by(|a, b| a.id.cmp(&b.id));
    vpcs
}

/// `DescribeInstances` in the endpoints' VPCs, terminated instances left out.
async fn read_instances(ctx: &Ctx<'_>, vpc_ids: &BTreeSet<String>) -> Vec<Instance> {
    const OP: &str = "DescribeInstances";
    let mut instances = Vec::new();
    for chunk in chunks(vpc_ids) {
        let mut pages = ctx
            .clients
            .ec2
            .describe_instances()
            .filters(filter("vpc-id", chunk.clone()))
            .filters(filter("instance-state-name", LIVE_STATES))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => instances.extend(
                    page.reservations()
                        .iter()
                        .flat_map(|r| r.instances())
                        .filter_map(convert::instance),
                ),
                Err(e) => {
                    gap_on_each(ctx, &chunk, &cloud_error(OP, &e));
                    break;
                }
            }
        }
    }
    instances.sort_by(|a, b| a.id.cmp(&b.id));
    instances.dedup_by(|a, b| a.id == b.id);
    instances
}

/// `DescribeSecurityGroups` and `DescribeSecurityGroupRules` for `group_ids`.
async fn read_security_groups(ctx: &Ctx<'_>, group_ids: &BTreeSet<String>) -> Vec<SecurityGroup> {
    let mut groups = Vec::new();
    for chunk in chunks(group_ids) {
        let (found, rules) =
            futures::join!(describe_groups(ctx, &chunk), describe_rules(ctx, &chunk));
        let found = match found {
            Ok(found) => found,
            Err(err) => {
                gap_on_each(ctx, &chunk, &err);
                continue;
            }
        };
        for mut group in found {
            match &rules {
                Ok(rules) => {
                    let mut ingress = rules.get(&group.id).cloned().unwrap_or_default();
                    convert::sort_rules(&mut ingress);
                    group.ingress = Some(ingress);
                }
                Err(err) => ctx.gap(&group.id, err),
            }
            groups.push(group);
        }
    }
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    groups.dedup_by(|a, b| a.id == b.id);
    groups
}

async fn describe_groups(ctx: &Ctx<'_>, ids: &[String]) -> Result<Vec<SecurityGroup>, CloudError> {
    const OP: &str = "DescribeSecurityGroups";
    let mut pages = ctx
        .clients
        .ec2
        .describe_security_groups()
        .filters(filter("group-id", ids.iter().cloned()))
        .into_paginator()
        .send();
    let mut groups = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| cloud_error(OP, &e))?;
        groups.extend(
            page.security_groups()
                .iter()
                .filter_map(|g| convert::security_group(g, &ctx.account)),
        );
    }
    Ok(groups)
}

type RulesByGroup = BTreeMap<String, Vec<crate::model::IngressRule>>;

async fn describe_rules(ctx: &Ctx<'_>, ids: &[String]) -> Result<RulesByGroup, CloudError> {
    const OP: &str = "DescribeSecurityGroupRules";
    let mut pages = ctx
        .clients
        .ec2
        .describe_security_group_rules()
        .filters(filter("group-id", ids.iter().cloned()))
        .into_paginator()
        .send();
    let mut rules = RulesByGroup::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| cloud_error(OP, &e))?;
        for (group_id, rule) in page
            .security_group_rules()
            .iter()
            .filter_map(convert::ingress_rule)
        {
            rules.entry(group_id).or_default().push(rule);
        }
    }
    Ok(rules)
}

/// `iam:GetInstanceProfile` once per distinct profile; fills in each instance's role.
async fn resolve_roles(ctx: &Ctx<'_>, mut instances: Vec<Instance>) -> Vec<Instance> {
    let profiles: BTreeSet<String> = instances
        .iter()
        .filter_map(|i| i.instance_profile_arn.clone())
        .collect();
    let total = profiles.len();
    let mut lookups = futures::stream::iter(profiles)
        .map(|arn| async move {
            let role = role_of_profile(ctx, &arn).await;
            (arn, role)
        })
        .buffer_unordered(CONCURRENT_PROFILES);
    let mut roles = BTreeMap::new();
    while let Some((arn, role)) = lookups.next().await {
        ctx.progress.report(ReadEvent::Read {
            what: format!(
                "instance profile {}",
                convert::profile_name(&arn).unwrap_or(&arn)
            ),
            done: roles.len() + 1,
            total,
        });
        match role {
            Ok(role) => roles.insert(arn, role),
            Err(err) => {
                ctx.gap(&arn, &err);
                roles.insert(arn, None)
            }
        };
    }
    for instance in &mut instances {
        if let Some(arn) = &instance.instance_profile_arn {
            instance.role_arn = roles.get(arn).cloned().flatten();
        }
    }
    instances
}

async fn role_of_profile(ctx: &Ctx<'_>, arn: &str) -> Result<Option<String>, CloudError> {
    const OP: &str = "GetInstanceProfile";
    let Some(name) = convert::profile_name(arn) else {
        return Err(CloudError::new(
            crate::cloud::CloudErrorKind::InvalidInput,
            OP,
            format!("'{arn}' is not an instance profile ARN"),
        ));
    };
    let out = ctx
        .clients
        .iam
        .get_instance_profile()
        .instance_profile_name(name)
        .send()
        .await
        .map_err(|e| cloud_error(OP, &e).on(arn))?;
    Ok(out
        .instance_profile()
        .and_then(|p| p.roles().first())
        .map(|r| r.arn().to_string()))
}
