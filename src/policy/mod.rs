//! IAM policy documents: lenient parse, normalise, pretty-print and evaluate.
//!
//! No I/O happens here. Evaluation follows the AWS rules written down in the project's
//! policy facts (explicit deny wins, missing condition keys, principal matching).

mod document;
mod parse;

pub use document::{ActionSpec, Condition, Effect, Policy, PrincipalSpec, ResourceSpec, Statement};
pub use parse::{PolicyError, parse};
