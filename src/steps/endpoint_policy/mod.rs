//! `endpoint-policy`: the VPC endpoint admits only named principals of the account, and only
//! to the account's own APIs. Judged with the evaluator.
//!
//! One finding per endpoint, plus one warning per API behind it whose Lambda- or
//! Cognito-authorized methods anyone may invoke through it: that warning concerns the API's own
//! path only, not the other APIs sharing the endpoint.

mod plan;
#[cfg(test)]
mod plan_tests;
mod probe;

pub use plan::plan;

use super::probes;
use super::{Control, Finding, Status};
use crate::model::{Posture, VpcEndpoint};
use crate::policy::{Caller, Policy, PolicyDecision, equivalent};
use probe::{Probe, Target};

pub fn assess(posture: &Posture) -> Vec<Finding> {
    posture
        .endpoints
        .iter()
        .flat_map(|e| judge(posture, e))
        .collect()
}

/// A finding of this control on an endpoint (its resource is the endpoint's ARN).
fn finding(endpoint_arn: &str, status: Status, reason: String) -> Finding {
    Finding::new(
        Control::EndpointPolicy,
        status,
        endpoint_arn.to_string(),
        reason,
    )
}

/// The endpoint's finding, then the warnings on the APIs whose authorizer methods are open.
fn judge(posture: &Posture, endpoint: &VpcEndpoint) -> Vec<Finding> {
    let arn = endpoint.arn(&posture.region);
    let default = Policy::full_access();
    let policy = match &endpoint.policy {
        None => &default,
        Some(text) => match text.parsed() {
            Ok(p) => p,
            Err(e) => {
                let reason = format!(
                    "the policy of {} cannot be parsed ({e}): fix or replace it",
                    endpoint.id
                );
                return vec![finding(&arn, Status::Fail, reason).endpoint(&endpoint.id)];
            }
        },
    };
    if equivalent(policy, &default, None) {
        let reason = format!(
            "{} has the full-access default policy: any principal, signed or not, can invoke any API through it",
            endpoint.id
        );
        return vec![finding(&arn, Status::Fail, reason).endpoint(&endpoint.id)];
    }
    let probe = Probe::new(posture, endpoint, policy);
    let targets = probe.targets();
    let (problems, gated) = strangers(&probe, &targets);
    let main = verdict(posture, endpoint, &probe, &targets, problems, &gated);
    let failed = main.0 == Status::Fail;
    let mut out = vec![finding(&arn, main.0, main.1).endpoint(&endpoint.id)];
    // A failure is the one thing to fix first (and already says who gets in): the authorizer
    // methods are reported once it is fixed.
    if !failed {
        out.extend(by_api(&gated).into_iter().map(|((id, name), methods)| {
            let reason = format!(
                "{}: anyone, unsigned or of another account, can invoke {} of {name} through it: these methods use a Lambda or Cognito authorizer, whose token callers the endpoint sees as anonymous, so their authorizer is their only gate",
                endpoint.id,
                methods.join(", ")
            );
            finding(&arn, Status::Warn, reason)
                .endpoint(&endpoint.id)
                .api(id, name)
        }));
    }
    out
}

/// Anonymous callers and other accounts, on every method behind the endpoint: allowed on a
/// method behind a Lambda or Cognito authorizer is how its token callers get through (the
/// methods are returned, once each); allowed anywhere else is a failure (the problems).
fn strangers<'t>(probe: &Probe, targets: &'t [Target]) -> (Vec<String>, Vec<&'t Target>) {
    let mut problems = Vec::new();
    let mut gated: Vec<&Target> = Vec::new();
    let mut strangers = vec![("unsigned (anonymous) callers".to_string(), None)];
    strangers.extend(probe.outsiders().into_iter().map(|(who, p)| {
        (
            format!("principals of other accounts (e.g. {who})"),
            Some(p),
        )
    }));
    for (who, principal) in &strangers {
        let allowed = targets
            .iter()
            .filter_map(|t| probe.allows(principal.clone(), &t.arn).map(|d| (t, d)));
        let (tokens, open): (Vec<_>, Vec<_>) = allowed.partition(|(t, _)| t.authorizer);
        for (t, _) in tokens {
            if !gated.iter().any(|g| g.label == t.label) {
                gated.push(t);
            }
        }
        if let Some((t, d)) = open.first() {
            problems.push(format!(
                "{who} can invoke {}{} through it ({})",
                t.label,
                more(open.len()),
                explain(d)
            ));
        }
    }
    let (foreign_api, foreign_account) = probe.foreign_api();
    let any_own = probe.callers.first().map(|(_, p)| p.clone());
    if let Some(d) = probe.allows(any_own, &foreign_api) {
        problems.push(format!(
            "APIs of other accounts (e.g. {foreign_account}) are reachable through it, a way out of the VPC ({})",
            explain(&d)
        ));
    }
    (problems, gated)
}

/// The methods open to strangers, grouped by API (in the order met), each API as (id, name).
fn by_api<'t>(gated: &[&'t Target]) -> Vec<((&'t str, &'t str), Vec<&'t str>)> {
    let mut out: Vec<((&str, &str), Vec<&str>)> = Vec::new();
    for t in gated {
        let Some((id, name)) = &t.api else { continue };
        match out.iter_mut().find(|(api, _)| api.0 == id) {
            Some((_, methods)) => methods.push(&t.method),
            None => out.push(((id, name), vec![&t.method])),
        }
    }
    out
}

/// The status and reason of the endpoint's own finding: failures, lockout, the whole account,
/// or the named callers (warned when some conditions could not be evaluated).
fn verdict(
    posture: &Posture,
    endpoint: &VpcEndpoint,
    probe: &Probe,
    targets: &[Target],
    problems: Vec<String>,
    gated: &[&Target],
) -> (Status, String) {
    if !problems.is_empty() {
        return (
            Status::Fail,
            format!("{}: {}", endpoint.id, problems.join("; ")),
        );
    }
    // Who the endpoint admits, on the methods not open to anyone (any caller gets through to
    // those): on all of them when every method is.
    let mut named: Vec<&Target> = targets
        .iter()
        .filter(|t| !gated.iter().any(|g| g.label == t.label))
        .collect();
    if named.is_empty() {
        named = targets.iter().collect();
    }
    let allowed = probe.allowed_callers(&named);
    if allowed.is_empty() {
        return (
            Status::Warn,
            format!(
                "{} allows none of the account's callers to invoke its APIs: every call through it is denied (lockout)",
                endpoint.id
            ),
        );
    }
    let unnamed = probes::session_of(&probes::unnamed_role(posture), &posture.account);
    if let Some(d) = Caller::principal(&unnamed).and_then(|p| probe.allows(Some(p), &probe.own_api))
    {
        return (
            Status::Warn,
            format!(
                "{} admits every principal of {}, not only the named callers ({})",
                endpoint.id,
                posture.account,
                explain(&d)
            ),
        );
    }
    let mut apis: Vec<&str> = posture
        .apis_behind(&endpoint.id)
        .map(|a| a.name.as_str())
        .collect();
    apis.sort_unstable();
    let mut reason = format!(
        "{} admits only named principals of {} ({}) to the account's APIs",
        endpoint.id,
        posture.account,
        allowed.join(", ")
    );
    if !apis.is_empty() {
        reason.push_str(&format!(" ({} behind it)", apis.join(", ")));
    }
    let open: Vec<&str> = by_api(gated).into_iter().map(|((_, n), _)| n).collect();
    if !open.is_empty() {
        reason.push_str(&format!(
            ", apart from the methods behind a Lambda or Cognito authorizer of {}, which anyone may invoke (warned per API)",
            open.join(", ")
        ));
    }
    let mut status = Status::Pass;
    let unsupported = probe.unsupported();
    if !unsupported.is_empty() {
        reason.push_str(&format!(
            "; conditions ztharden cannot evaluate were treated as failing closed: {}",
            unsupported.join(", ")
        ));
        status = Status::Warn;
    }
    (status, reason)
}

fn more(n: usize) -> String {
    if n > 1 {
        format!(" and {} more method(s)", n - 1)
    } else {
        String::new()
    }
}

fn explain(d: &PolicyDecision) -> String {
    match &d.statement {
        Some(s) => format!("{s} allows it"),
        None => d.reason.clone(),
    }
}
