//! The four controls. Each file assesses one control over a [`Posture`]; pure functions, no I/O.
//!
//! Later work adds a planner per control next to its assessment.

mod endpoint_policy;
mod endpoint_sg;
mod iam_auth;
pub(crate) mod probes;
mod resource_policy;
mod statements;

pub mod finding;
pub mod paths;

pub use finding::{Control, Finding, Status, Summary};
pub use paths::{ApiPath, api_paths};

use crate::model::Posture;

/// Every finding of every control, in control order, then resource order.
pub fn assess(posture: &Posture) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(iam_auth::assess(posture));
    findings.extend(resource_policy::assess(posture));
    findings.extend(endpoint_policy::assess(posture));
    findings.extend(endpoint_sg::assess(posture));
    findings
}

#[cfg(test)]
mod tests;
