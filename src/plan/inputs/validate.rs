//! Checking typed inputs against the posture: what is wrong, and what to do.

use super::{Inputs, same_method};
use crate::model::Posture;

/// An input that cannot be planned with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error(
        "'{arn}' is not a role ARN: it must be arn:PARTITION:iam::ACCOUNT:role/NAME, here {expected}{hint}"
    )]
    MalformedRoleArn {
        arn: String,
        expected: String,
        hint: String,
    },
    #[error(
        "role {arn} belongs to account {account}, not {own}: give a role of account {own}, or plan in the role's own account"
    )]
    ForeignRole {
        arn: String,
        account: String,
        own: String,
    },
    #[error(
        "'{id}' is not a security group id: it must be sg- followed by 8 or 17 hex digits, like sg-0123456789abcdef0"
    )]
    MalformedGroupId { id: String },
    #[error(
        "security group {id} was not read in account {account} ({region}): ztharden reads the groups of the execute-api endpoints and of the instances in their VPCs ({known}); check the id and the region"
    )]
    UnknownGroup {
        id: String,
        account: String,
        region: String,
        known: String,
    },
    #[error(
        "'{id}' is not a VPC endpoint id: it must be vpce- followed by 8 or 17 hex digits, like vpce-0123456789abcdef0"
    )]
    MalformedEndpointId { id: String },
    #[error(
        "VPC endpoint {id} is not an execute-api endpoint of account {account} in {region}: pick one of {known}, or check the region"
    )]
    UnknownEndpoint {
        id: String,
        account: String,
        region: String,
        known: String,
    },
    #[error(
        "API {id} is not in account {account} in {region}: pick one of {known}, or check the region"
    )]
    UnknownApi {
        id: String,
        account: String,
        region: String,
        known: String,
    },
    #[error(
        "{http_method} {path} (resource {resource_id}) is not a method of API {api_id}: pick a method the API has"
    )]
    UnknownMethod {
        api_id: String,
        resource_id: String,
        path: String,
        http_method: String,
    },
    #[error(
        "{http_method} {path} belongs to API {api_id}, which is not in scope: add --api {api_id} or leave the method out"
    )]
    MethodOutOfScope {
        api_id: String,
        path: String,
        http_method: String,
    },
    #[error(
        "no caller role for the private API path of {apis}: pass --caller-role ARN or pick one of the suggested instances; without a caller the policies would admit nobody"
    )]
    NoCallerRole { apis: String },
}

impl Inputs {
    /// Checks every id against the posture. `Ok` carries warnings (things that are allowed but
    /// probably not meant); `Err` is the first input that cannot be planned with.
    pub fn validate(&self, posture: &Posture) -> Result<Vec<String>, InputError> {
        let mut warnings = Vec::new();
        for id in self.api_ids.iter().chain(&self.excluded_apis) {
            if posture.api(id).is_none() {
                return Err(InputError::UnknownApi {
                    id: id.clone(),
                    account: posture.account.to_string(),
                    region: posture.region.to_string(),
                    known: known_apis(posture),
                });
            }
        }
        self.check_endpoints(posture, &mut warnings)?;
        self.check_methods(posture)?;
        for arn in &self.caller_roles {
            check_role(posture, arn)?;
        }
        self.check_groups(posture, &mut warnings)?;
        let private: Vec<String> = self
            .api_ids
            .iter()
            .filter_map(|id| posture.api(id))
            .filter(|a| a.is_private())
            .map(|a| format!("{} ({})", a.name, a.id))
            .collect();
        if !private.is_empty() {
            if self.caller_roles.is_empty() {
                return Err(InputError::NoCallerRole {
                    apis: private.join(", "),
                });
            }
            if self.caller_groups.is_empty() {
                warnings.push(
                    "no caller security group: the endpoint-sg step will be blocked; pass --caller-sg"
                        .to_string(),
                );
            }
        }
        Ok(warnings)
    }

    fn check_endpoints(
        &self,
        posture: &Posture,
        warnings: &mut Vec<String>,
    ) -> Result<(), InputError> {
        for id in &self.endpoint_ids {
            if !is_id(id, "vpce-") {
                return Err(InputError::MalformedEndpointId { id: id.clone() });
            }
            if posture.endpoint(id).is_none() {
                let known: Vec<&str> = posture.endpoints.iter().map(|e| e.id.as_str()).collect();
                return Err(InputError::UnknownEndpoint {
                    id: id.clone(),
                    account: posture.account.to_string(),
                    region: posture.region.to_string(),
                    known: list_or_none(&known),
                });
            }
            let serves_scope = posture
                .apis_behind(id)
                .any(|a| self.api_ids.contains(&a.id));
            if !serves_scope && !self.api_ids.is_empty() {
                warnings.push(format!(
                    "no API in scope lists {id} in its vpcEndpointIds: requests through it do not reach them"
                ));
            }
        }
        Ok(())
    }

    fn check_methods(&self, posture: &Posture) -> Result<(), InputError> {
        for key in self.methods.iter().flatten() {
            let exists = posture.api(&key.api_id).is_some_and(|api| {
                api.methods().any(|(r, m)| {
                    same_method(
                        key,
                        &super::MethodKey {
                            api_id: api.id.clone(),
                            resource_id: r.id.clone(),
                            path: r.path.clone(),
                            http_method: m.http_method.clone(),
                        },
                    )
                })
            });
            if !exists {
                return Err(InputError::UnknownMethod {
                    api_id: key.api_id.clone(),
                    resource_id: key.resource_id.clone(),
                    path: key.path.clone(),
                    http_method: key.http_method.clone(),
                });
            }
            if !self.api_ids.contains(&key.api_id) {
                return Err(InputError::MethodOutOfScope {
                    api_id: key.api_id.clone(),
                    path: key.path.clone(),
                    http_method: key.http_method.clone(),
                });
            }
        }
        Ok(())
    }

    fn check_groups(
        &self,
        posture: &Posture,
        warnings: &mut Vec<String>,
    ) -> Result<(), InputError> {
        let endpoints: Vec<_> = self
            .endpoint_ids
            .iter()
            .filter_map(|id| posture.endpoint(id))
            .collect();
        for id in &self.caller_groups {
            if !is_id(id, "sg-") {
                return Err(InputError::MalformedGroupId { id: id.clone() });
            }
            let Some(group) = posture.security_group(id) else {
                if let Some(gap) = posture.gaps_for(id).next() {
                    warnings.push(format!(
                        "caller group {id} could not be read ({}): not checked",
                        gap.message
                    ));
                    continue;
                }
                let known: Vec<&str> = posture
                    .security_groups
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect();
                return Err(InputError::UnknownGroup {
                    id: id.clone(),
                    account: posture.account.to_string(),
                    region: posture.region.to_string(),
                    known: list_or_none(&known),
                });
            };
            for endpoint in &endpoints {
                if endpoint.security_group_ids.contains(id) {
                    warnings.push(format!(
                        "caller group {id} is the own group of {}: a rule from it admits only other members of that group",
                        endpoint.id
                    ));
                } else if group.vpc_id != endpoint.vpc_id {
                    warnings.push(format!(
                        "caller group {id} is in {}, but {} is in {}: a group reference admits nobody from another VPC unless the VPCs are peered in the same region; the caller may be cut off when the broad rules are revoked",
                        group.vpc_id, endpoint.id, endpoint.vpc_id
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `arn:PARTITION:iam::ACCOUNT:role/NAME` (NAME may carry a path) of the posture's account.
fn check_role(posture: &Posture, arn: &str) -> Result<(), InputError> {
    let partition = posture.region.partition();
    let malformed = |hint: String| InputError::MalformedRoleArn {
        arn: arn.to_string(),
        expected: format!("arn:{partition}:iam::{}:role/NAME", posture.account),
        hint,
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, part, service, region, account, resource] = parts[..] else {
        return Err(malformed(String::new()));
    };
    if service == "sts" && resource.starts_with("assumed-role/") {
        let role = resource.split('/').nth(1).unwrap_or("NAME");
        return Err(malformed(format!(
            " (that is a role session: give its role, arn:{part}:iam::{account}:role/{role})"
        )));
    }
    let name = resource.strip_prefix("role/").unwrap_or("");
    let name_ok = name.len() <= 512
        && name
            .split('/')
            .next_back()
            .is_some_and(|n| !n.is_empty() && n.len() <= 64)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c));
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    if prefix != "arn" || part != partition || service != "iam" || !region.is_empty() {
        return Err(malformed(String::new()));
    }
    if !account_ok || !name_ok {
        return Err(malformed(String::new()));
    }
    if account != posture.account.as_str() {
        return Err(InputError::ForeignRole {
            arn: arn.to_string(),
            account: account.to_string(),
            own: posture.account.to_string(),
        });
    }
    Ok(())
}

/// `PREFIX` followed by 8 or 17 lowercase hex digits.
fn is_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn known_apis(posture: &Posture) -> String {
    let known: Vec<String> = posture
        .apis
        .iter()
        .map(|a| format!("{} ({})", a.id, a.name))
        .collect();
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    list_or_none(&refs)
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none read".to_string()
    } else {
        items.join(", ")
    }
}
