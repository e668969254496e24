//! IAM policy documents: lenient parse, normalise, pretty-print and evaluate.
//!
//! No I/O happens here. Evaluation follows the AWS rules written down in the project's
//! policy facts (explicit deny wins, missing condition keys, principal matching).

mod arn;
mod document;
mod eval;
mod normalise;
mod parse;
mod pretty;

pub use arn::ApiContext;
pub use document::{ActionSpec, Condition, Effect, Policy, PrincipalSpec, ResourceSpec, Statement};
pub use eval::{
    Caller, DecidedBy, InvokeDecision, InvokeOutcome, InvokeRequest, KeyValue, Outcome,
    PolicyDecision, PrincipalContext, RequestContext, StatementRef, evaluate, evaluate_invoke,
};
pub use normalise::equivalent;
pub use parse::{PolicyError, parse};

#[cfg(test)]
mod tests;
