//! The requests of the `endpoint-policy` judgement: the account's callers, strangers (anonymous
//! callers and other accounts) and every method behind the endpoint, sent through the evaluator.

use super::super::probes;
use super::super::statements::behind_authorizer;
use crate::model::{AccountId, Posture, VpcEndpoint};
use crate::policy::{
    Caller, Outcome, Policy, PolicyDecision, PrincipalContext, RequestContext, evaluate,
};

const INVOKE: &str = "execute-api:Invoke";

/// A method ARN behind the endpoint, for people, and whether the method uses an authorizer.
pub struct Target {
    /// The method, with its API: `PUT /items/{sku} of inventory`.
    pub label: String,
    /// The method alone: `PUT /items/{sku}`.
    pub method: String,
    pub arn: String,
    pub authorizer: bool,
    /// The API's id and name (`None` for the made-up method of an endpoint with no API).
    pub api: Option<(String, String)>,
}

/// The requests of one endpoint's judgement.
pub struct Probe<'a> {
    posture: &'a Posture,
    endpoint: &'a VpcEndpoint,
    policy: &'a Policy,
    /// A method ARN of an API of the account behind the endpoint (or a made-up one).
    pub own_api: String,
    /// The account's likely callers (instances' roles in the VPC, and roles the policy names).
    pub callers: Vec<(String, PrincipalContext)>,
}

impl<'a> Probe<'a> {
    pub fn new(posture: &'a Posture, endpoint: &'a VpcEndpoint, policy: &'a Policy) -> Self {
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
    pub fn allows(
        &self,
        principal: Option<PrincipalContext>,
        resource: &str,
    ) -> Option<PolicyDecision> {
        let d = evaluate(self.policy, None, &self.request(principal, resource));
        (d.outcome == Outcome::Allow).then_some(d)
    }

    /// A role session of another account, and of every other account's principal the policy names.
    pub fn outsiders(&self) -> Vec<(String, PrincipalContext)> {
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
    pub fn foreign_api(&self) -> (String, String) {
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

    /// The short names of the callers allowed to invoke at least one of `targets`.
    pub fn allowed_callers(&self, targets: &[&Target]) -> Vec<String> {
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
    pub fn targets(&self) -> Vec<Target> {
        let mut targets: Vec<Target> = self
            .posture
            .apis_behind(&self.endpoint.id)
            .flat_map(|api| {
                probes::invocations(self.posture, api)
                    .into_iter()
                    .map(|i| Target {
                        label: format!("{} of {}", i.label, api.name),
                        method: i.label,
                        arn: i.arn,
                        authorizer: behind_authorizer(&i.method.authorization_type),
                        api: Some((api.id.clone(), api.name.clone())),
                    })
            })
            .collect();
        if targets.is_empty() {
            targets.push(Target {
                label: "an API of the account".into(),
                method: "a method".into(),
                arn: self.own_api.clone(),
                authorizer: false,
                api: None,
            });
        }
        targets
    }

    pub fn unsupported(&self) -> Vec<String> {
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
