//! `endpoint-policy`: the VPC endpoint admits only named principals of the account, and only
//! to the account's own APIs. Judged with the evaluator.

mod plan;
#[cfg(test)]
mod plan_tests;

pub use plan::plan;

use super::probes;
use super::statements::behind_authorizer;
use super::{Control, Finding, Status};
use crate::model::{AccountId, Posture, VpcEndpoint};
use crate::policy::Caller;
use crate::policy::{
    Outcome, Policy, PolicyDecision, PrincipalContext, RequestContext, equivalent, evaluate,
};

const INVOKE: &str = "execute-api:Invoke";

pub fn assess(posture: &Posture) -> Vec<Finding> {
    posture
        .endpoints
        .iter()
        .map(|e| judge(posture, e).endpoint(&e.id))
        .collect()
}

fn judge(posture: &Posture, endpoint: &VpcEndpoint) -> Finding {
    let arn = endpoint.arn(&posture.region);
    let finding =
        |status, reason: String| Finding::new(Control::EndpointPolicy, status, arn.clone(), reason);
    let default = Policy::full_access();
    let policy = match &endpoint.policy {
        None => &default,
        Some(text) => match text.parsed() {
            Ok(p) => p,
            Err(e) => {
                return finding(
                    Status::Fail,
                    format!(
                        "the policy of {} cannot be parsed ({e}): fix or replace it",
                        endpoint.id
                    ),
                );
            }
        },
    };
    if equivalent(policy, &default, None) {
        return finding(
            Status::Fail,
            format!(
                "{} has the full-access default policy: any principal, signed or not, can invoke any API through it",
                endpoint.id
            ),
        );
    }
    let probe = Probe::new(posture, endpoint, policy);
    let mut problems = Vec::new();
    let targets = probe.targets();
    // Anonymous callers and other accounts, on every method behind the endpoint: allowed on a
    // method behind a Lambda or Cognito authorizer is how its token callers get through (a
    // warning, named); allowed anywhere else is a failure.
    let mut gated: Vec<&str> = Vec::new();
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
        for (t, _) in &tokens {
            if !gated.contains(&t.label.as_str()) {
                gated.push(&t.label);
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
    if !problems.is_empty() {
        return finding(
            Status::Fail,
            format!("{}: {}", endpoint.id, problems.join("; ")),
        );
    }
    let allowed = probe.allowed_callers();
    if allowed.is_empty() {
        return finding(
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
        return finding(
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
    let mut status = Status::Pass;
    if !gated.is_empty() {
        reason.push_str(&format!(
            "; but anyone, unsigned or of another account, can invoke {} through it: these methods use a Lambda or Cognito authorizer, whose token callers the endpoint sees as anonymous, so their authorizer is their only gate",
            gated.join(", ")
        ));
        status = Status::Warn;
    }
    let unsupported = probe.unsupported();
    if !unsupported.is_empty() {
        reason.push_str(&format!(
            "; conditions ztharden cannot evaluate were treated as failing closed: {}",
            unsupported.join(", ")
        ));
        status = Status::Warn;
    }
    finding(status, reason)
}

fn more(n: usize) -> String {
    if n > 1 {
        format!(" and {} more method(s)", n - 1)
    } else {
        String::new()
    }
}

/// A method ARN behind the endpoint, for people, and whether the method uses an authorizer.
struct Target {
    label: String,
    arn: String,
    authorizer: bool,
}

fn explain(d: &PolicyDecision) -> String {
    match &d.statement {
        Some(s) => format!("{s} allows it"),
        None => d.reason.clone(),
    }
}

/// The requests of one endpoint's judgement.
struct Probe<'a> {
    posture: &'a Posture,
    endpoint: &'a VpcEndpoint,
    policy: &'a Policy,
    /// A method ARN of an API of the account behind the endpoint (or a made-up one).
    own_api: String,
    /// The account's likely callers (instances' roles in the VPC, and roles the policy names).
    callers: Vec<(String, PrincipalContext)>,
}

impl<'a> Probe<'a> {
    fn new(posture: &'a Posture, endpoint: &'a VpcEndpoint, policy: &'a Policy) -> Self {
        let own_api = posture
            .apis_behind(&endpoint.id)
            .next()
            .map(|api| api.invoke_arn(&posture.region, &posture.account, "stage", "GET", "/"))
            .unwrap_or_else(|| {
                format!(
                    "arn:{}:execute-api:{}:{}:0000000000/stage/GET/",
                    posture.region.partition(),
                    posture.region,
                    posture.account
                )
            });
        let mut roles: Vec<String> =
            probes::own_callers(posture, std::slice::from_ref(&endpoint.id))
                .into_iter()
                .map(|(role, _)| role)
                .collect();
        for st in policy.statements() {
            for p in st.aws_principals() {
                let own_role =
                    p.split(':').nth(4) == Some(posture.account.as_str()) && p.contains(":role/");
                if own_role && !roles.contains(p) {
                    roles.push(p.clone());
                }
            }
        }
        let callers = roles
            .into_iter()
            .filter_map(|role| {
                let caller = probes::session_of(&role, &posture.account);
                Caller::principal(&caller).map(|p| (role, p))
            })
            .collect();
        Self {
            posture,
            endpoint,
            policy,
            own_api,
            callers,
        }
    }

    fn request(&self, principal: Option<PrincipalContext>, resource: &str) -> RequestContext {
        let mut ctx = RequestContext::new(INVOKE, resource);
        ctx.principal = principal;
        ctx.source_vpce = Some(self.endpoint.id.clone());
        ctx.source_vpc = Some(self.endpoint.vpc_id.clone());
        ctx
    }

    /// The decision when the policy allows the request, `None` when it denies it.
    fn allows(
        &self,
        principal: Option<PrincipalContext>,
        resource: &str,
    ) -> Option<PolicyDecision> {
        let d = evaluate(self.policy, None, &self.request(principal, resource));
        (d.outcome == Outcome::Allow).then_some(d)
    }

    /// A role session of another account, and of every other account's principal the policy names.
    fn outsiders(&self) -> Vec<(String, PrincipalContext)> {
        let mut out = Vec::new();
        let probe = probes::outsider(self.posture);
        if let Some(p) = Caller::principal(&probe) {
            out.push((p.account.clone(), p));
        }
        for st in self.policy.statements() {
            for named in st.aws_principals() {
                let account = if named.len() == 12 {
                    named.as_str()
                } else {
                    named.split(':').nth(4).unwrap_or("")
                };
                let Ok(account) = AccountId::new(account) else {
                    continue;
                };
                if account == self.posture.account {
                    continue;
                }
                let caller = if named.contains(":role/") {
                    probes::session_of(named, &account)
                } else if named.contains(":user/") {
                    Caller::Signed {
                        arn: named.clone(),
                        account: account.to_string(),
                        role_arn: None,
                    }
                } else {
                    let role = format!(
                        "arn:{}:iam::{account}:role/outsider",
                        self.posture.region.partition()
                    );
                    probes::session_of(&role, &account)
                };
                if let Some(p) = Caller::principal(&caller) {
                    out.push((named.clone(), p));
                }
            }
        }
        out
    }

    /// An API of another account in the same region.
    fn foreign_api(&self) -> (String, String) {
        let other = probes::other_account(&self.posture.account);
        (
            format!(
                "arn:{}:execute-api:{}:{other}:zzzzzzzzzz/stage/GET/",
                self.posture.region.partition(),
                self.posture.region
            ),
            other.to_string(),
        )
    }

    /// The short names of the callers allowed to invoke at least one API behind the endpoint.
    fn allowed_callers(&self) -> Vec<String> {
        let targets = self.targets();
        self.callers
            .iter()
            .filter(|(_, p)| {
                targets
                    .iter()
                    .any(|t| self.allows(Some(p.clone()), &t.arn).is_some())
            })
            .map(|(role, _)| role.rsplit('/').next().unwrap_or(role).to_string())
            .collect()
    }

    /// Every method of every API behind the endpoint, on every stage (or a made-up method
    /// ARN of the account when there is none).
    fn targets(&self) -> Vec<Target> {
        let mut targets: Vec<Target> = self
            .posture
            .apis_behind(&self.endpoint.id)
            .flat_map(|api| {
                probes::invocations(self.posture, api)
                    .into_iter()
                    .map(|i| Target {
                        label: format!("{} of {}", i.label, api.name),
                        arn: i.arn,
                        authorizer: behind_authorizer(&i.method.authorization_type),
                    })
            })
            .collect();
        if targets.is_empty() {
            targets.push(Target {
                label: "an API of the account".into(),
                arn: self.own_api.clone(),
                authorizer: false,
            });
        }
        targets
    }

    fn unsupported(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .callers
            .iter()
            .flat_map(|(_, p)| {
                evaluate(
                    self.policy,
                    None,
                    &self.request(Some(p.clone()), &self.own_api),
                )
                .unsupported
            })
            .collect();
        all.sort();
        all.dedup();
        all
    }
}
