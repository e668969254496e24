//! `resource-policy`: the API's resource policy admits only the own account, and (for a private
//! API) only through the endpoints attached to it. Judged with the evaluator, not by pattern.

mod plan;
#[cfg(test)]
mod plan_tests;

pub use plan::plan;

use std::sync::LazyLock;

use super::probes::{self, Invocation};
use super::statements::behind_authorizer;
use super::{Control, Finding, Status};
use crate::model::{AuthorizationType, Method, Posture, RestApi};
use crate::policy::{Caller, InvokeDecision, InvokeRequest, Policy, evaluate_invoke};

/// Stands in for the methods when they could not be read: the target state, signed.
static ANY_SIGNED_METHOD: LazyLock<Method> = LazyLock::new(|| Method {
    http_method: "GET".into(),
    authorization_type: AuthorizationType::AwsIam,
    authorizer_id: None,
    api_key_required: false,
});

pub fn assess(posture: &Posture) -> Vec<Finding> {
    posture
        .apis
        .iter()
        .map(|api| judge(posture, api).api(&api.id, &api.name))
        .collect()
}

fn judge(posture: &Posture, api: &RestApi) -> Finding {
    let arn = api.arn(&posture.region);
    let finding =
        |status, reason: String| Finding::new(Control::ResourcePolicy, status, arn.clone(), reason);
    let policy = match &api.policy {
        None => None,
        Some(text) => match text.parsed() {
            Ok(p) => Some(p),
            Err(e) => {
                return finding(
                    Status::Fail,
                    format!(
                        "the resource policy of {} cannot be parsed ({e}): fix or replace it",
                        api.name
                    ),
                );
            }
        },
    };
    if api.is_private() && policy.is_none() {
        return finding(
            Status::Fail,
            format!(
                "{} has no resource policy: nothing limits who may invoke it, and a private API cannot be deployed without one",
                api.name
            ),
        );
    }
    let scope = if api.is_private() {
        String::new()
    } else {
        let types: Vec<&str> = api.endpoint_types.iter().map(|t| t.as_str()).collect();
        format!(
            "{} is {}: aws:SourceVpce exists only for private APIs, so endpoint conditions cannot apply; ",
            api.name,
            types.join("/")
        )
    };
    let probe = Probe::new(posture, api, policy);
    let tokens = probe.authorizer_labels();
    let token_note = if tokens.is_empty() {
        String::new()
    } else if api.is_private() {
        format!(
            "; {} (behind a Lambda or Cognito authorizer): their callers carry no IAM identity, so the account check is judged on the other methods, and these only need to be limited to the attached endpoints",
            tokens.join(", ")
        )
    } else {
        format!(
            "; {} (behind a Lambda or Cognito authorizer): their callers carry no IAM identity, so the account check is judged on the other methods, and their authorizer alone decides who calls them",
            tokens.join(", ")
        )
    };
    let outsiders = probe.outsider_allowed();
    let foreign = probe.foreign_endpoint_allowed();
    let locked = probe.own_denied();
    let mut problems = Vec::new();
    if let Some((inv, d)) = outsiders.first() {
        problems.push(format!(
            "principals of other accounts can invoke {inv}{} ({})",
            more(outsiders.len()),
            d.explanation
        ));
    }
    if let Some((inv, d)) = foreign.first() {
        problems.push(format!(
            "requests through VPC endpoints not attached to the API can invoke {inv}{} ({})",
            more(foreign.len()),
            d.explanation
        ));
    }
    if !problems.is_empty() {
        return finding(
            Status::Fail,
            format!("{scope}{}{token_note}", problems.join("; ")),
        );
    }
    if !locked.is_empty() {
        let (who, inv, d) = &locked[0];
        let everyone = locked.len() == probe.own_attempts();
        let what = if everyone {
            "denies every caller of the account, a lockout".to_string()
        } else {
            format!("denies {who} on {inv}{}", more(locked.len()))
        };
        return finding(Status::Warn, format!("{scope}{what} ({})", d.explanation));
    }
    let mut reason = format!(
        "{scope}only principals of {} {}can invoke {}",
        posture.account,
        if api.is_private() {
            format!("through {} ", api.vpc_endpoint_ids.join(", "))
        } else {
            String::new()
        },
        api.name
    );
    reason.push_str(&token_note);
    let unsupported = probe.unsupported();
    if !unsupported.is_empty() {
        reason.push_str(&format!(
            "; but conditions ztharden cannot evaluate were treated as failing closed: {}",
            unsupported.join(", ")
        ));
        return finding(Status::Warn, reason);
    }
    finding(Status::Pass, reason)
}

fn more(n: usize) -> String {
    if n > 1 {
        format!(" and {} more method(s)", n - 1)
    } else {
        String::new()
    }
}

/// The requests of one API's judgement.
struct Probe<'a> {
    api_ctx: crate::policy::ApiContext,
    policy: Option<&'a Policy>,
    invocations: Vec<Invocation<'a>>,
    /// The endpoints legitimate requests come through (`None`: not through an endpoint).
    endpoints: Vec<Option<String>>,
    callers: Vec<(String, Caller)>,
    outsider: Caller,
}

impl<'a> Probe<'a> {
    fn new(posture: &Posture, api: &'a RestApi, policy: Option<&'a Policy>) -> Self {
        let mut invocations = probes::invocations(posture, api);
        if invocations.is_empty() {
            invocations.push(Invocation {
                label: "any method".into(),
                method: &ANY_SIGNED_METHOD,
                arn: api.invoke_arn(&posture.region, &posture.account, "stage", "GET", "/"),
            });
        }
        let endpoints: Vec<Option<String>> = if !api.is_private() {
            vec![None]
        } else if api.vpc_endpoint_ids.is_empty() {
            posture
                .endpoints
                .iter()
                .map(|e| Some(e.id.clone()))
                .collect()
        } else {
            api.vpc_endpoint_ids.iter().cloned().map(Some).collect()
        };
        let endpoint_ids: Vec<String> = endpoints.iter().flatten().cloned().collect();
        Self {
            api_ctx: probes::api_context(posture, api),
            policy,
            invocations,
            endpoints: if endpoints.is_empty() {
                vec![None]
            } else {
                endpoints
            },
            callers: probes::own_callers(posture, &endpoint_ids),
            outsider: probes::outsider(posture),
        }
    }

    fn decide(&self, caller: &Caller, inv: &Invocation, via: Option<&str>) -> InvokeDecision {
        let request = InvokeRequest {
            caller: caller.clone(),
            method_arn: inv.arn.clone(),
            via_endpoint: via.map(str::to_string),
            source_vpc: None,
        };
        evaluate_invoke(
            self.policy,
            None,
            &inv.method.authorization_type,
            &self.api_ctx,
            &request,
        )
    }

    /// The methods behind a Lambda or Cognito authorizer (by label, once per method).
    fn authorizer_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .invocations
            .iter()
            .filter(|inv| behind_authorizer(&inv.method.authorization_type))
            .map(|inv| inv.label.clone())
            .collect();
        labels.dedup();
        labels
    }

    /// Calls of another account's principal that are not denied, on the methods that know
    /// their caller's IAM identity (a method behind an authorizer has none to test).
    fn outsider_allowed(&self) -> Vec<(String, InvokeDecision)> {
        let via = self.endpoints[0].as_deref();
        self.invocations
            .iter()
            .filter(|inv| !behind_authorizer(&inv.method.authorization_type))
            .map(|inv| (inv.label.clone(), self.decide(&self.outsider, inv, via)))
            .filter(|(_, d)| !d.is_denied())
            .collect()
    }

    fn foreign_endpoint_allowed(&self) -> Vec<(String, InvokeDecision)> {
        if self.endpoints[0].is_none() {
            return Vec::new();
        }
        let caller = &self.callers[0].1;
        self.invocations
            .iter()
            .map(|inv| {
                (
                    inv.label.clone(),
                    self.decide(caller, inv, Some(probes::FOREIGN_ENDPOINT)),
                )
            })
            .filter(|(_, d)| !d.is_denied())
            .collect()
    }

    fn own_attempts(&self) -> usize {
        self.callers.len() * self.invocations.len() * self.endpoints.len()
    }

    fn own_denied(&self) -> Vec<(String, String, InvokeDecision)> {
        let mut denied = Vec::new();
        for (role, caller) in &self.callers {
            for via in &self.endpoints {
                for inv in &self.invocations {
                    let d = self.decide(caller, inv, via.as_deref());
                    if d.is_denied() {
                        denied.push((short_role(role), inv.label.clone(), d));
                    }
                }
            }
        }
        denied
    }

    fn unsupported(&self) -> Vec<String> {
        let caller = &self.callers[0].1;
        let mut all: Vec<String> = self
            .invocations
            .iter()
            .flat_map(|inv| {
                self.decide(caller, inv, self.endpoints[0].as_deref())
                    .unsupported
            })
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

fn short_role(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_string()
}
