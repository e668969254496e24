//! The requests the safety checks send through the evaluator, on one posture: each chosen
//! caller through each chosen endpoint on every in-scope method; a principal of another
//! account; a request through an endpoint that is not chosen.

use std::collections::BTreeMap;

use crate::model::{AccountId, AuthorizationType, Posture, RestApi};
use crate::plan::{Inputs, Verdict};
use crate::policy::{
    ApiContext, Caller, InvokeDecision, InvokeOutcome, InvokeRequest, Policy, evaluate_invoke,
};
use crate::steps::probes::{self, Invocation};
use crate::steps::statements::behind_authorizer;

/// One call of a chosen caller: who, which method, through which endpoint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub role: String,
    pub api_id: String,
    pub via: Option<String>,
    pub method_arn: String,
}

/// A call of a chosen caller that is denied, with what a person needs to read about it.
#[derive(Debug, Clone)]
pub struct Denial {
    pub call: String,
    pub api_name: String,
    pub decision: InvokeDecision,
}

impl Denial {
    /// `GET /orders of orders through vpce-1: denied by statement 2 (...) of ...`.
    pub fn describe(&self, key: &Key) -> String {
        format!(
            "{} of {}{}: {}",
            self.call,
            self.api_name,
            via_words(key.via.as_deref()),
            self.decision.explanation
        )
    }
}

/// The verdicts on one posture, and every denied call of a chosen caller.
pub struct Judged {
    pub verdicts: Vec<Verdict>,
    pub denied: BTreeMap<Key, Denial>,
}

pub fn via_words(via: Option<&str>) -> String {
    via.map(|v| format!(" through {v}"))
        .unwrap_or_else(|| " directly".into())
}

/// How a caller calls a method: signed (SigV4) when the method uses `AWS_IAM`; otherwise
/// as its callers do today, with no signature the endpoint could read (nothing for `NONE`, a
/// token for an authorizer), which the endpoint policy sees as anonymous.
fn caller_for(role: &str, own: &AccountId, auth: &AuthorizationType) -> Caller {
    if *auth != AuthorizationType::AwsIam {
        return Caller::Anonymous;
    }
    let account = role
        .split(':')
        .nth(4)
        .and_then(|a| AccountId::new(a).ok())
        .unwrap_or_else(|| own.clone());
    probes::session_of(role, &account)
}

struct Api<'a> {
    api: &'a RestApi,
    ctx: ApiContext,
    policy: Option<&'a Policy>,
    calls: Vec<Invocation<'a>>,
}

/// An endpoint's policy as the evaluator needs it (`None`: the default full-access one).
fn endpoint_policy<'a>(p: &'a Posture, via: &str) -> Result<Option<&'a Policy>, String> {
    let Some(e) = p.endpoint(via) else {
        return Err(format!("{via} is not in account {}", p.account));
    };
    match e.policy.as_ref().map(|t| t.parsed()) {
        None => Ok(None),
        Some(Ok(policy)) => Ok(Some(policy)),
        Some(Err(err)) => Err(format!("the policy of {via} cannot be parsed ({err})")),
    }
}

fn decide(
    p: &Posture,
    api: &Api,
    inv: &Invocation,
    caller: Caller,
    via: Option<&str>,
) -> Result<InvokeDecision, String> {
    let endpoint = match via {
        Some(v) if v != probes::FOREIGN_ENDPOINT => endpoint_policy(p, v)?,
        _ => None,
    };
    let request = InvokeRequest {
        caller,
        method_arn: inv.arn.clone(),
        via_endpoint: via.map(str::to_string),
        source_vpc: via.and_then(|v| p.endpoint(v)).map(|e| e.vpc_id.clone()),
    };
    Ok(evaluate_invoke(
        api.policy,
        endpoint,
        &inv.method.authorization_type,
        &api.ctx,
        &request,
    ))
}

/// Judge the posture `p` for `inputs`.
pub fn judge(p: &Posture, inputs: &Inputs) -> Judged {
    let mut out = Judged {
        verdicts: Vec::new(),
        denied: BTreeMap::new(),
    };
    if inputs.caller_roles.is_empty() {
        out.verdicts.push(Verdict::new(
            "the chosen callers keep their access",
            false,
            no_callers_detail(p, inputs),
        ));
    }
    for api in p.apis.iter().filter(|a| inputs.api_ids.contains(&a.id)) {
        let name = &api.name;
        let policy = match api.policy.as_ref().map(|t| t.parsed()) {
            None => None,
            Some(Ok(policy)) => Some(policy),
            Some(Err(e)) => {
                out.verdicts.push(unchecked(
                    name,
                    format!("its resource policy cannot be parsed ({e})"),
                ));
                continue;
            }
        };
        let calls = probes::invocations(p, api);
        if calls.is_empty() {
            let why = if api.resources.is_none() {
                "its methods could not be read".to_string()
            } else {
                "it has no method to call".to_string()
            };
            out.verdicts.push(Verdict {
                check: format!("callers can invoke {name}"),
                passed: api.resources.is_some(),
                detail: why,
                pending_step: None,
            });
            continue;
        }
        let vias: Vec<Option<String>> = if api.is_private() {
            inputs.endpoint_ids.iter().cloned().map(Some).collect()
        } else {
            vec![None]
        };
        if vias.is_empty() {
            out.verdicts.push(unchecked(
                name,
                "it is private and no VPC endpoint is chosen".into(),
            ));
            continue;
        }
        let api = Api {
            api,
            ctx: probes::api_context(p, api),
            policy,
            calls,
        };
        for via in &vias {
            for role in &inputs.caller_roles {
                callers_verdict(p, &api, role, via.as_deref(), &mut out);
            }
            outsider_verdict(p, &api, via.as_deref(), &mut out);
        }
        if api.api.is_private() {
            foreign_verdict(p, &api, inputs, &mut out);
        }
    }
    out
}

/// Why no caller could be checked: callers are suggested from the instances in the VPCs of
/// the chosen endpoints, and an API reached without a VPC endpoint (REGIONAL or EDGE) gives
/// none to look in.
fn no_callers_detail(p: &Posture, inputs: &Inputs) -> String {
    let direct: Vec<String> = p
        .apis
        .iter()
        .filter(|a| inputs.api_ids.contains(&a.id) && !a.is_private())
        .map(|a| {
            let types: Vec<&str> = a.endpoint_types.iter().map(|t| t.as_str()).collect();
            format!("{} is {}", a.name, types.join("/"))
        })
        .collect();
    let mut detail =
        "no caller role is chosen: there is nobody whose access could be checked".to_string();
    if inputs.endpoint_ids.is_empty() && !direct.is_empty() {
        detail.push_str(&format!(
            " ({}: callers are reached without a VPC endpoint, so none can be suggested from an endpoint's VPC)",
            direct.join(", ")
        ));
    }
    detail.push_str(". Choose the caller roles (--caller-role) to have their access checked");
    detail
}

fn unchecked(name: &str, why: String) -> Verdict {
    Verdict {
        check: format!("callers can invoke {name}"),
        passed: false,
        detail: format!("not checked: {why}"),
        pending_step: None,
    }
}

fn callers_verdict(p: &Posture, api: &Api, role: &str, via: Option<&str>, out: &mut Judged) {
    let who = role.rsplit('/').next().unwrap_or(role);
    let check = format!(
        "{who} can invoke every method of {}{}",
        api.api.name,
        via_words(via)
    );
    let mut denied = Vec::new();
    let mut identity = false;
    let mut authorizer = Vec::new();
    for inv in &api.calls {
        let caller = caller_for(role, &p.account, &inv.method.authorization_type);
        let d = match decide(p, api, inv, caller, via) {
            Ok(d) => d,
            Err(why) => {
                out.verdicts.push(Verdict {
                    check,
                    passed: false,
                    detail: format!("not checked: {why}"),
                    pending_step: None,
                });
                return;
            }
        };
        match d.outcome {
            InvokeOutcome::Denied => {
                let key = Key {
                    role: role.to_string(),
                    api_id: api.api.id.clone(),
                    via: via.map(str::to_string),
                    method_arn: inv.arn.clone(),
                };
                let denial = Denial {
                    call: inv.label.clone(),
                    api_name: api.api.name.clone(),
                    decision: d,
                };
                denied.push(denial.describe(&key));
                out.denied.insert(key, denial);
            }
            InvokeOutcome::AllowedIfIdentityPolicyAllows => identity = true,
            InvokeOutcome::AllowedIfAuthorizerAllows => authorizer.push(inv.label.clone()),
            InvokeOutcome::Allowed => {}
        }
    }
    let detail = if let Some(first) = denied.first() {
        format!("denied: {first}{}", more(denied.len(), "call"))
    } else {
        let mut notes = vec![format!(
            "{} call(s) allowed",
            api.calls.len() - authorizer.len()
        )];
        if identity {
            notes.push(format!(
                "its signed calls pass only if the identity policy of {role} allows execute-api:Invoke on {}",
                api.api.execute_arn(&p.region, &p.account)
            ));
        }
        if !authorizer.is_empty() {
            notes.push(format!(
                "{} pass if the method's authorizer allows the caller",
                authorizer.join(", ")
            ));
        }
        notes.join("; ")
    };
    out.verdicts.push(Verdict {
        check,
        passed: denied.is_empty(),
        detail,
        pending_step: None,
    });
}

/// Other accounts on the methods that know their caller's IAM identity (`AWS_IAM`, and
/// `NONE`, where no identity means no account either). Methods behind a Lambda or Cognito
/// authorizer are left out: their callers carry no IAM identity, so no account condition can
/// tell them apart; what holds them is the endpoint check and their authorizer.
fn outsider_verdict(p: &Posture, api: &Api, via: Option<&str>, out: &mut Judged) {
    let outsider = probes::outsider(p);
    let account = probes::other_account(&p.account);
    let check = format!(
        "a principal of another account ({account}) is denied on {}{}",
        api.api.name,
        via_words(via)
    );
    let (tokens, calls): (Vec<&Invocation>, Vec<&Invocation>) = api
        .calls
        .iter()
        .partition(|inv| behind_authorizer(&inv.method.authorization_type));
    let attempts = [(outsider, "signed"), (Caller::Anonymous, "unsigned")];
    let mut verdict = all_denied(p, api, &calls, via, check, &attempts);
    if !tokens.is_empty() {
        let labels: Vec<&str> = tokens.iter().map(|i| i.label.as_str()).collect();
        let note = format!(
            "{} (behind a Lambda or Cognito authorizer): their callers carry no IAM identity, so the account check does not apply to them; they must stay limited to the chosen endpoints, and their authorizer decides who calls them",
            labels.join(", ")
        );
        verdict.detail = if calls.is_empty() {
            note
        } else {
            format!("{}; {note}", verdict.detail)
        };
    }
    out.verdicts.push(verdict);
}

fn foreign_verdict(p: &Posture, api: &Api, inputs: &Inputs, out: &mut Judged) {
    let role = inputs
        .caller_roles
        .first()
        .cloned()
        .unwrap_or_else(|| probes::unnamed_role(p));
    let check = format!(
        "a request to {} through an endpoint that is not chosen ({}) is denied",
        api.api.name,
        probes::FOREIGN_ENDPOINT
    );
    let signed = probes::session_of(&role, &p.account);
    let attempts = [(signed, "signed"), (Caller::Anonymous, "unsigned")];
    let calls: Vec<&Invocation> = api.calls.iter().collect();
    let via = Some(probes::FOREIGN_ENDPOINT);
    out.verdicts
        .push(all_denied(p, api, &calls, via, check, &attempts));
}

/// A verdict that passes when every attempt on every one of `calls` is denied.
fn all_denied(
    p: &Posture,
    api: &Api,
    calls: &[&Invocation],
    via: Option<&str>,
    check: String,
    attempts: &[(Caller, &str)],
) -> Verdict {
    let mut allowed = Vec::new();
    let mut first_denial = None;
    for inv in calls {
        for (caller, how) in attempts {
            match decide(p, api, inv, caller.clone(), via) {
                Err(why) => {
                    return Verdict {
                        check,
                        passed: false,
                        detail: format!("not checked: {why}"),
                        pending_step: None,
                    };
                }
                Ok(d) if d.is_denied() => {
                    first_denial.get_or_insert(d.explanation);
                }
                Ok(d) => allowed.push(format!("{how} {}: {}", inv.label, d.explanation)),
            }
        }
    }
    let detail = match (allowed.first(), first_denial) {
        (Some(first), _) => format!("not denied: {first}{}", more(allowed.len(), "request")),
        (None, Some(d)) => d,
        (None, None) => "no request to try".into(),
    };
    Verdict {
        check,
        passed: allowed.is_empty(),
        detail,
        pending_step: None,
    }
}

fn more(n: usize, what: &str) -> String {
    if n > 1 {
        format!(" (and {} more {what}s)", n - 1)
    } else {
        String::new()
    }
}
