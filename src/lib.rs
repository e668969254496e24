//! ztharden: zero-trust hardening of service-to-service paths to private API Gateway REST APIs.
//!
//! Data flows `cloud` -> `model::Posture` -> `steps` (assessments) -> views (`scan`, `tui`).

pub mod apply;
pub mod cloud;
pub mod model;
pub mod plan;
pub mod policy;
pub mod report;
pub mod steps;
pub mod tui;
