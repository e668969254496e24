use std::fmt;

use serde::{Deserialize, Serialize};

/// A value that does not have the shape AWS gives it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("'{0}' is not an AWS account id: it must be exactly 12 digits")]
    Account(String),
    #[error("'{0}' is not an AWS region name (expected something like us-east-1)")]
    Region(String),
}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);

impl AccountId {
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value))
        } else {
            Err(IdError::Account(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AccountId {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> Self {
        id.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An AWS region name such as `us-east-1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(String);

impl Region {
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        let parts: Vec<&str> = value.split('-').collect();
        let shaped = parts.len() >= 3
            && parts.iter().all(|p| !p.is_empty())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && parts
                .last()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if shaped {
            Ok(Self(value))
        } else {
            Err(IdError::Region(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ARN partition of this region (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &'static str {
        partition_of(&self.0)
    }
}

impl TryFrom<String> for Region {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Region> for String {
    fn from(r: Region) -> Self {
        r.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ARN partition for a region name.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(AccountId::new("111122223333").is_ok());
        assert!(AccountId::new("11112222333").is_err());
        assert!(AccountId::new("11112222333x").is_err());
        let err = AccountId::new("abc").unwrap_err().to_string();
        assert!(err.contains("12 digits"), "{err}");
    }

    #[test]
    fn regions_have_the_usual_shape() {
        assert!(Region::new("us-east-1").is_ok());
        assert!(Region::new("ap-southeast-2").is_ok());
        assert!(Region::new("us-gov-west-1").is_ok());
        assert!(Region::new("useast1").is_err());
        assert!(Region::new("US-EAST-1").is_err());
        assert_eq!(Region::new("cn-north-1").unwrap().partition(), "aws-cn");
        assert_eq!(
            Region::new("us-gov-west-1").unwrap().partition(),
            "aws-us-gov"
        );
        assert_eq!(Region::new("eu-west-1").unwrap().partition(), "aws");
    }
}
