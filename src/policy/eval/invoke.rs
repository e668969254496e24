//! `execute-api:Invoke`: the VPC endpoint policy, the method's authorization and the API's
//! resource policy combined as API Gateway does (A5, A6, B1, B2, C2).

use super::{Outcome, PolicyDecision, PrincipalContext, RequestContext, StatementRef, evaluate};
use crate::model::AuthorizationType;
use crate::policy::arn::ApiContext;
use crate::policy::document::Policy;

pub const INVOKE: &str = "execute-api:Invoke";

/// Who sends the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No SigV4 signature (no `Authorization` header, or a bearer token).
    Anonymous,
    /// A valid SigV4 signature. `arn` as signed (a role session ARN for a role);
    /// `role_arn` is the role of a session (`aws:PrincipalArn`).
    Signed {
        arn: String,
        account: String,
        role_arn: Option<String>,
    },
}

impl Caller {
    /// The principal context of a signed caller; `None` for an anonymous one.
    pub fn principal(&self) -> Option<PrincipalContext> {
        match self {
            Self::Anonymous => None,
            Self::Signed {
                arn,
                account,
                role_arn,
            } => {
                let mut p = PrincipalContext::from_arn(arn);
                p.account.clone_from(account);
                if role_arn.is_some() {
                    p.role_arn.clone_from(role_arn);
                }
                Some(p)
            }
        }
    }
}

/// One call of a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeRequest {
    pub caller: Caller,
    /// `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH`.
    pub method_arn: String,
    /// The interface endpoint (`vpce-...`) the request comes through, if any.
    pub via_endpoint: Option<String>,
    /// The VPC of that endpoint (`aws:SourceVpc`).
    pub source_vpc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvokeOutcome {
    Allowed,
    /// `AWS_IAM`: the caller's identity policy must also allow `execute-api:Invoke`
    /// (same account with no Allow in the resource policy, or any cross-account caller).
    AllowedIfIdentityPolicyAllows,
    /// `CUSTOM` or `COGNITO_USER_POOLS`: the authorizer has the last word.
    AllowedIfAuthorizerAllows,
    Denied,
}

/// Which part of the flow decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidedBy {
    EndpointPolicy,
    /// The endpoint has no policy of its own: the default full-access policy applies (B4).
    DefaultEndpointPolicy,
    ResourcePolicy,
    /// The API has no resource policy.
    NoResourcePolicy,
    /// IAM authorization refused an unsigned request.
    IamAuthorization,
}

impl DecidedBy {
    fn name(self) -> &'static str {
        match self {
            Self::EndpointPolicy => "the VPC endpoint policy",
            Self::DefaultEndpointPolicy => "the default VPC endpoint policy",
            Self::ResourcePolicy | Self::NoResourcePolicy => "the resource policy",
            Self::IamAuthorization => "IAM authorization",
        }
    }
}

/// Whether the call goes through, who decided, and why in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeDecision {
    pub outcome: InvokeOutcome,
    pub decided_by: DecidedBy,
    /// The deciding statement of that policy, if one did.
    pub statement: Option<StatementRef>,
    pub explanation: String,
    /// The endpoint policy's own decision (when the request came through an endpoint).
    pub endpoint: Option<PolicyDecision>,
    /// The resource policy's own decision (when there is one and it was reached).
    pub resource: Option<PolicyDecision>,
    /// Conditions that could not be evaluated and were failed closed, with their policy.
    pub unsupported: Vec<String>,
}

impl InvokeDecision {
    pub fn is_denied(&self) -> bool {
        self.outcome == InvokeOutcome::Denied
    }

    /// Allowed with nothing left to check.
    pub fn is_allowed(&self) -> bool {
        self.outcome == InvokeOutcome::Allowed
    }
}

/// Decide one `execute-api:Invoke` call.
///
/// A request without `via_endpoint` is treated as reaching the API directly (a regional or
/// edge API); whether that is possible at all is the caller's concern.
pub fn evaluate_invoke(
    resource_policy: Option<&Policy>,
    endpoint_policy: Option<&Policy>,
    method_auth: &AuthorizationType,
    api: &ApiContext,
    req: &InvokeRequest,
) -> InvokeDecision {
    let mut unsupported = Vec::new();
    let via_endpoint = req.via_endpoint.is_some();
    let mut ctx = RequestContext::new(INVOKE, &req.method_arn);
    // execute-api endpoints accept HTTPS only.
    ctx.extra
        .insert("aws:SecureTransport".into(), vec!["true".into()]);
    if via_endpoint {
        ctx.source_vpce.clone_from(&req.via_endpoint);
        ctx.source_vpc.clone_from(&req.source_vpc);
    }
    let unsigned = req.caller == Caller::Anonymous;
    let who = if unsigned {
        "an unsigned request"
    } else {
        "this caller"
    };

    // 1. The endpoint policy, first, with the signed identity or anonymous (B1).
    let endpoint = req.via_endpoint.as_ref().map(|vpce| {
        let default = Policy::full_access();
        let (policy, by) = match endpoint_policy {
            Some(p) => (p, DecidedBy::EndpointPolicy),
            None => (&default, DecidedBy::DefaultEndpointPolicy),
        };
        let mut ectx = ctx.clone();
        ectx.principal = req.caller.principal();
        let d = evaluate(policy, None, &ectx);
        note(&mut unsupported, &d, &format!("{} of {vpce}", by.name()));
        (d, by, vpce.clone())
    });

    // 2. The resource policy: principal keys only for a signed request to an AWS_IAM method (A6).
    let iam = *method_auth == AuthorizationType::AwsIam;
    let resource = resource_policy.map(|p| {
        let mut rctx = ctx.clone();
        rctx.principal = if iam { req.caller.principal() } else { None };
        let d = evaluate(p, Some(api), &rctx);
        note(&mut unsupported, &d, "the resource policy");
        d
    });
    let identity_note = if unsigned {
        " for an unsigned request"
    } else if !iam {
        " because the method does not use AWS_IAM, so the caller's identity is not known"
    } else {
        ""
    };
    let mut out = InvokeDecision {
        outcome: InvokeOutcome::Denied,
        decided_by: DecidedBy::ResourcePolicy,
        statement: None,
        explanation: String::new(),
        endpoint: endpoint.as_ref().map(|(d, _, _)| d.clone()),
        resource: resource.clone(),
        unsupported,
    };
    let finish = |outcome, by: DecidedBy, d: Option<&PolicyDecision>, text: String| {
        out.outcome = outcome;
        out.decided_by = by;
        out.statement = d.and_then(|d| d.statement.clone());
        out.explanation = text;
        out
    };

    if let Some((d, by, vpce)) = &endpoint {
        let place = format!("{} of {vpce}", by.name());
        match d.outcome {
            Outcome::ExplicitDeny => {
                let text = denied_by(
                    d,
                    &place,
                    identity_note_if(d, " for an unsigned request", unsigned),
                );
                return finish(InvokeOutcome::Denied, *by, Some(d), text);
            }
            Outcome::ImplicitDeny => {
                let text = format!(
                    "denied by {place}: no statement allows {INVOKE} on {} for {who}",
                    req.method_arn
                );
                return finish(InvokeOutcome::Denied, *by, Some(d), text);
            }
            Outcome::Allow => {}
        }
    }
    let Some(rd) = resource.as_ref() else {
        if via_endpoint {
            let text =
                "denied: a private API with no resource policy cannot be invoked".to_string();
            return finish(
                InvokeOutcome::Denied,
                DecidedBy::NoResourcePolicy,
                None,
                text,
            );
        }
        return without_resource_policy(method_auth, api, req, finish);
    };
    if iam && unsigned {
        let text = "denied by IAM authorization: the method requires a SigV4-signed request".into();
        return finish(
            InvokeOutcome::Denied,
            DecidedBy::IamAuthorization,
            None,
            text,
        );
    }
    let by = DecidedBy::ResourcePolicy;
    if rd.outcome == Outcome::ExplicitDeny {
        let text = denied_by(
            rd,
            "the resource policy",
            identity_note_if(rd, identity_note, true),
        );
        return finish(InvokeOutcome::Denied, by, Some(rd), text);
    }
    let allowed = rd.outcome == Outcome::Allow;
    let by_stmt = |d: &PolicyDecision| {
        d.statement
            .as_ref()
            .map(|s| format!("{s} of the resource policy"))
            .unwrap_or_default()
    };
    match (method_auth, allowed) {
        (AuthorizationType::AwsIam, _) => {
            let account = match &req.caller {
                Caller::Signed { account, .. } => account.as_str(),
                Caller::Anonymous => "",
            };
            let same = account == api.account;
            match (same, allowed) {
                (true, true) => {
                    let text = format!(
                        "allowed by {} (same account: no identity policy needed)",
                        by_stmt(rd)
                    );
                    finish(InvokeOutcome::Allowed, by, Some(rd), text)
                }
                (true, false) => {
                    let text = format!(
                        "allowed only if the caller's identity policy allows {INVOKE}: no statement of the resource policy allows it (same account)"
                    );
                    finish(
                        InvokeOutcome::AllowedIfIdentityPolicyAllows,
                        by,
                        Some(rd),
                        text,
                    )
                }
                (false, true) => {
                    let text = format!(
                        "allowed by {} if the caller's identity policy in account {account} also allows {INVOKE} (cross-account)",
                        by_stmt(rd)
                    );
                    finish(
                        InvokeOutcome::AllowedIfIdentityPolicyAllows,
                        by,
                        Some(rd),
                        text,
                    )
                }
                (false, false) => {
                    let text = format!(
                        "denied: a caller from account {account} needs an Allow in the resource policy, and no statement allows it"
                    );
                    finish(InvokeOutcome::Denied, by, Some(rd), text)
                }
            }
        }
        (AuthorizationType::Custom, _) => {
            let text = if allowed {
                format!(
                    "allowed by {} unless the Lambda authorizer denies it",
                    by_stmt(rd)
                )
            } else {
                "allowed only if the Lambda authorizer's policy allows it: no statement of the resource policy does".into()
            };
            finish(InvokeOutcome::AllowedIfAuthorizerAllows, by, Some(rd), text)
        }
        (AuthorizationType::CognitoUserPools | AuthorizationType::Other(_), true) => {
            let text = format!(
                "allowed by {} if the method's {} authorization accepts the caller",
                by_stmt(rd),
                method_auth.as_str()
            );
            finish(InvokeOutcome::AllowedIfAuthorizerAllows, by, Some(rd), text)
        }
        (_, true) => {
            let text = format!("allowed by {}: {}", by_stmt(rd), rd.reason);
            finish(InvokeOutcome::Allowed, by, Some(rd), text)
        }
        (_, false) => {
            let text = format!(
                "denied: with {} authorization the resource policy must allow the request explicitly, and no statement does{identity_note}",
                method_auth.as_str()
            );
            finish(InvokeOutcome::Denied, by, Some(rd), text)
        }
    }
}

/// No resource policy on an API reached directly: the method's authorization alone decides.
fn without_resource_policy(
    method_auth: &AuthorizationType,
    api: &ApiContext,
    req: &InvokeRequest,
    finish: impl FnOnce(InvokeOutcome, DecidedBy, Option<&PolicyDecision>, String) -> InvokeDecision,
) -> InvokeDecision {
    let by = DecidedBy::NoResourcePolicy;
    match (method_auth, &req.caller) {
        (AuthorizationType::AwsIam, Caller::Anonymous) => finish(
            InvokeOutcome::Denied,
            DecidedBy::IamAuthorization,
            None,
            "denied by IAM authorization: the method requires a SigV4-signed request".into(),
        ),
        (AuthorizationType::AwsIam, Caller::Signed { account, .. }) if *account == api.account => {
            finish(
                InvokeOutcome::AllowedIfIdentityPolicyAllows,
                by,
                None,
                format!(
                    "allowed only if the caller's identity policy allows {INVOKE} (no resource policy, same account)"
                ),
            )
        }
        (AuthorizationType::AwsIam, Caller::Signed { account, .. }) => finish(
            InvokeOutcome::Denied,
            by,
            None,
            format!(
                "denied: a caller from account {account} needs an Allow in a resource policy, and the API has none"
            ),
        ),
        (
            AuthorizationType::Custom
            | AuthorizationType::CognitoUserPools
            | AuthorizationType::Other(_),
            _,
        ) => finish(
            InvokeOutcome::AllowedIfAuthorizerAllows,
            by,
            None,
            "allowed if the method's authorizer allows it (no resource policy)".into(),
        ),
        _ => finish(
            InvokeOutcome::Allowed,
            by,
            None,
            format!(
                "allowed: the method has {} authorization and the API no resource policy",
                method_auth.as_str()
            ),
        ),
    }
}

fn identity_note_if<'a>(d: &PolicyDecision, note: &'a str, applies: bool) -> &'a str {
    if applies && d.relied_on_absent_principal {
        note
    } else {
        ""
    }
}

fn denied_by(d: &PolicyDecision, place: &str, suffix: &str) -> String {
    let stmt = d
        .statement
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| "a statement".into());
    format!("denied by {stmt} of {place}: {}{suffix}", d.reason)
}

fn note(all: &mut Vec<String>, d: &PolicyDecision, place: &str) {
    all.extend(d.unsupported.iter().map(|u| format!("{u} of {place}")));
}
