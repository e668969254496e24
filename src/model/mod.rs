//! Owned domain types. Nothing here knows about the AWS SDK or the terminal.
//!
//! A [`Posture`] is everything ztharden read from one account and region: the REST APIs with
//! their methods and stages, the `execute-api` interface endpoints, the security groups those
//! endpoints use, and the instances that may call through them.

mod api;
mod ids;
mod network;
mod policy_text;
mod posture;

pub use api::{ApiResource, AuthorizationType, EndpointType, Method, RestApi, Stage};
pub use ids::{AccountId, IdError, Region, partition_of};
pub use network::{IngressRule, Instance, RuleSource, SecurityGroup, Vpc, VpcEndpoint};
pub use policy_text::PolicyText;
pub use posture::{Posture, ReadGap};
