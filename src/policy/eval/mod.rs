//! Evaluation of one policy for one request (C1), and of `execute-api:Invoke` on an API.
//!
//! Written here rather than adopting `iam-rs` 0.8: its principal matching does not let a role
//! ARN cover that role's sessions nor an account id cover the account's principals (D2, D3), its
//! `ArnLike` is one whole-string glob (C9), it knows no `execute-api:/` shorthand, and its result
//! names statements only by optional Sid, not by position.

mod conditions;
mod context;
mod invoke;
mod matching;

use std::fmt;

pub use context::{KeyValue, PrincipalContext, RequestContext};
pub use invoke::{
    Caller, DecidedBy, InvokeDecision, InvokeOutcome, InvokeRequest, evaluate_invoke,
};
use matching::{action_matches, resource_matches};

use super::arn::ApiContext;
use super::document::{ActionSpec, Effect, Policy, ResourceSpec, Statement};
use conditions::{CondResult, check};

/// The result of one policy for one request (C1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// A statement of a policy: `index` counts from 0, `number()` from 1 for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    pub index: usize,
    pub sid: Option<String>,
}

impl StatementRef {
    pub fn number(&self) -> usize {
        self.index + 1
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) if !sid.is_empty() => write!(f, "statement {} ({sid})", self.number()),
            _ => write!(f, "statement {}", self.number()),
        }
    }
}

/// What one policy says about one request, and which statement said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDecision {
    pub outcome: Outcome,
    /// The first matching Deny, else the first matching Allow; `None` for an implicit deny.
    pub statement: Option<StatementRef>,
    /// Why that statement applies (its conditions as met), or why nothing allowed.
    pub reason: String,
    /// Conditions that could not be evaluated and were failed closed (no Allow, Deny applies).
    pub unsupported: Vec<String>,
    /// The deciding statement relied on a principal key being absent (anonymous context).
    pub relied_on_absent_principal: bool,
}

/// Whether a statement applies to the request.
enum Applies {
    No,
    /// Applies; the reasons are its conditions as met.
    Yes(Vec<String>, bool),
}

/// Evaluate one policy for one request: any matching Deny wins, then any matching Allow,
/// else implicit deny. Conditions that cannot be evaluated fail closed.
pub fn evaluate(policy: &Policy, api: Option<&ApiContext>, req: &RequestContext) -> PolicyDecision {
    let mut unsupported = Vec::new();
    let mut first_allow = None;
    for (index, st) in policy.statements.iter().enumerate() {
        let applies = statement_applies(st, index, api, req, &mut unsupported);
        let Applies::Yes(reasons, absent_principal) = applies else {
            continue;
        };
        let found = (
            StatementRef {
                index,
                sid: st.sid.clone(),
            },
            reasons,
            absent_principal,
        );
        match st.effect {
            Effect::Deny => {
                // Keep collecting unsupported notes from the other statements.
                for (i, s) in policy.statements.iter().enumerate().skip(index + 1) {
                    statement_applies(s, i, api, req, &mut unsupported);
                }
                return decision(Outcome::ExplicitDeny, Some(found), unsupported);
            }
            Effect::Allow if first_allow.is_none() => first_allow = Some(found),
            Effect::Allow => {}
        }
    }
    match first_allow {
        Some(found) => decision(Outcome::Allow, Some(found), unsupported),
        None => PolicyDecision {
            outcome: Outcome::ImplicitDeny,
            statement: None,
            reason: format!("no statement allows {} on {}", req.action, req.resource),
            unsupported,
            relied_on_absent_principal: false,
        },
    }
}

fn decision(
    outcome: Outcome,
    found: Option<(StatementRef, Vec<String>, bool)>,
    unsupported: Vec<String>,
) -> PolicyDecision {
    let (statement, reasons, absent) = match found {
        Some((s, r, a)) => (Some(s), r, a),
        None => (None, Vec::new(), false),
    };
    PolicyDecision {
        outcome,
        statement,
        reason: reasons.join(" and "),
        unsupported,
        relied_on_absent_principal: absent,
    }
}

fn statement_applies(
    st: &Statement,
    index: usize,
    api: Option<&ApiContext>,
    req: &RequestContext,
    unsupported: &mut Vec<String>,
) -> Applies {
    let action_hit = match &st.action {
        ActionSpec::Action(v) => v.iter().any(|p| action_matches(p, &req.action)),
        ActionSpec::NotAction(v) => !v.iter().any(|p| action_matches(p, &req.action)),
    };
    let resource_hit = match &st.resource {
        None => true,
        Some(ResourceSpec::Resource(v)) => {
            v.iter().any(|p| resource_matches(p, &req.resource, api))
        }
        Some(ResourceSpec::NotResource(v)) => {
            !v.iter().any(|p| resource_matches(p, &req.resource, api))
        }
    };
    let who = req.principal.as_ref();
    let principal_hit = match (&st.principal, &st.not_principal) {
        (Some(p), _) => matching::principal_matches(p, who),
        (None, Some(np)) => !matching::not_principal_lists(np, who),
        (None, None) => true,
    };
    if !(action_hit && resource_hit && principal_hit) {
        return Applies::No;
    }
    let mut reasons = Vec::new();
    let mut absent_principal = false;
    let mut failed_closed = Vec::new();
    for c in &st.conditions {
        match check(c, req) {
            CondResult::False => return Applies::No,
            CondResult::True {
                reason,
                absent_principal_key,
            } => {
                reasons.push(reason);
                absent_principal |= absent_principal_key;
            }
            CondResult::Unsupported(why) => failed_closed.push(why),
        }
    }
    if !failed_closed.is_empty() {
        let name = StatementRef {
            index,
            sid: st.sid.clone(),
        };
        for why in &failed_closed {
            let note = format!("{why} in {name}");
            if !unsupported.contains(&note) {
                unsupported.push(note);
            }
        }
        if st.effect == Effect::Allow {
            return Applies::No;
        }
        reasons.extend(
            failed_closed
                .into_iter()
                .map(|w| format!("{w} (failed closed)")),
        );
    }
    if reasons.is_empty() {
        reasons.push(principal_phrase(st));
    }
    Applies::Yes(reasons, absent_principal)
}

fn principal_phrase(st: &Statement) -> String {
    match (&st.principal, &st.not_principal) {
        (Some(p), _) if p.is_anyone() => "it applies to every caller, with no condition".into(),
        (Some(_), _) => "it names the caller as Principal, with no condition".into(),
        (None, Some(_)) => "the caller is not listed in NotPrincipal".into(),
        (None, None) => "it has no condition".into(),
    }
}
