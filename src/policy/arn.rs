//! The API a policy belongs to, and the `execute-api:/...` shorthand (A1).

use crate::model::partition_of;

/// The API whose resource policy is read: expands the `execute-api:/...` shorthand.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiContext {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub api_id: String,
}

impl ApiContext {
    /// The partition is derived from the region.
    pub fn new(region: &str, account: &str, api_id: &str) -> Self {
        Self {
            partition: partition_of(region).to_string(),
            region: region.to_string(),
            account: account.to_string(),
            api_id: api_id.to_string(),
        }
    }

    /// `arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID`, no trailing slash.
    pub fn api_arn(&self) -> String {
        format!(
            "arn:{}:execute-api:{}:{}:{}",
            self.partition, self.region, self.account, self.api_id
        )
    }

    /// `execute-api:/rest` becomes `arn:...:API_ID/rest` with this API's id; anything else is
    /// returned unchanged.
    pub fn expand(&self, resource: &str) -> String {
        match shorthand_rest(resource) {
            Some(rest) => format!("{}{rest}", self.api_arn()),
            None => resource.to_string(),
        }
    }
}

/// The `/...` part of an `execute-api:/...` shorthand, if `resource` is one.
pub fn shorthand_rest(resource: &str) -> Option<&str> {
    resource
        .strip_prefix("execute-api:")
        .filter(|rest| rest.starts_with('/'))
}

/// The six colon-separated parts of an ARN (the last keeps its colons), or `None`.
pub fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn").then_some(parts)
}

/// `arn:P:iam::A:root` for a bare 12-digit account id; anything else unchanged.
pub fn account_principal_arn(value: &str, partition: &str) -> String {
    if is_account_id(value) {
        format!("arn:{partition}:iam::{value}:root")
    } else {
        value.to_string()
    }
}

pub fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_expands_with_this_api() {
        let api = ApiContext::new("eu-west-1", "111122223333", "abc123");
        assert_eq!(api.partition, "aws");
        assert_eq!(
            api.expand("execute-api:/*"),
            "arn:aws:execute-api:eu-west-1:111122223333:abc123/*"
        );
        assert_eq!(
            api.expand("execute-api:/prod/GET/pets"),
            "arn:aws:execute-api:eu-west-1:111122223333:abc123/prod/GET/pets"
        );
        assert_eq!(api.expand("execute-api:*"), "execute-api:*");
        assert_eq!(
            api.expand("arn:aws:execute-api:*:*:*"),
            "arn:aws:execute-api:*:*:*"
        );
        assert_eq!(ApiContext::new("cn-north-1", "1", "a").partition, "aws-cn");
    }

    #[test]
    fn arns_split_into_six_parts() {
        assert_eq!(
            arn_parts("arn:aws:sts::1:assumed-role/R/s"),
            Some(["arn", "aws", "sts", "", "1", "assumed-role/R/s"])
        );
        assert_eq!(
            arn_parts("arn:aws:s3:::b/k:with:colons").map(|p| p[5]),
            Some("b/k:with:colons")
        );
        assert_eq!(arn_parts("arn:aws:iam"), None);
        assert_eq!(arn_parts("xrn:aws:iam::1:root"), None);
    }

    #[test]
    fn account_ids_become_root_arns() {
        assert_eq!(
            account_principal_arn("111122223333", "aws"),
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(account_principal_arn("*", "aws"), "*");
        assert_eq!(account_principal_arn("11112222333", "aws"), "11112222333");
    }
}
