//! The four controls. Each folder assesses one control over a [`Posture`] and plans its
//! hardening for the operator's [`Inputs`]; pure functions, no I/O.

mod endpoint_policy;
mod endpoint_sg;
mod iam_auth;
pub(crate) mod probes;
mod resource_policy;
pub(crate) mod statements;

pub mod finding;
pub mod paths;

pub use finding::{Control, Finding, Status, Summary};
pub use paths::{ApiPath, api_paths};

use crate::model::Posture;
use crate::plan::{Inputs, StepPlan};

/// Every finding of every control, in control order, then resource order.
pub fn assess(posture: &Posture) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(iam_auth::assess(posture));
    findings.extend(resource_policy::assess(posture));
    findings.extend(endpoint_policy::assess(posture));
    findings.extend(endpoint_sg::assess(posture));
    findings
}

/// The plan of one control for the target in `inputs`: the ordered changes that harden it,
/// with its warnings and guidance (the safety checks' verdicts are added by
/// [`crate::plan::safety`]).
pub fn plan(control: Control, posture: &Posture, inputs: &Inputs) -> StepPlan {
    match control {
        Control::IamAuth => iam_auth::plan(posture, inputs),
        Control::ResourcePolicy => resource_policy::plan(posture, inputs),
        Control::EndpointPolicy => endpoint_policy::plan(posture, inputs),
        Control::EndpointSg => endpoint_sg::plan(posture, inputs),
    }
}

#[cfg(test)]
mod tests;
