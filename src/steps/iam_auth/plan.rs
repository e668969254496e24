//! The `iam-auth` planner: `AWS_IAM` on the selected methods, then one redeploy per stage of
//! each API that changes. Guidance: the identity policy callers need, and how they sign.

use crate::model::{AuthorizationType, Method, Posture, RestApi};
use crate::plan::{Change, Inputs, MethodKey, StepPlan, StepState};
use crate::policy::{ActionSpec, Effect, Policy, ResourceSpec, Statement};
use crate::steps::Control;

/// The plan for the APIs in `inputs.api_ids` and the methods [`Inputs::selected_methods`]
/// picks.
pub(crate) fn plan(posture: &Posture, inputs: &Inputs) -> StepPlan {
    let selected = inputs.selected_methods(posture);
    let mut acc = Acc::default();
    if inputs.api_ids.is_empty() {
        acc.blocked.push("no API is chosen: nothing to plan".into());
    }
    let mut seen: Vec<&String> = Vec::new();
    for id in &inputs.api_ids {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        match posture.api(id) {
            Some(api) => plan_api(posture, api, &selected, &mut acc),
            None => acc.blocked.push(format!(
                "API {id} is not in account {} in {}",
                posture.account, posture.region
            )),
        }
    }
    acc.guidance = guidance(posture, &acc.signed_apis, &inputs.caller_roles);
    acc.into_step()
}

#[derive(Default)]
struct Acc {
    changes: Vec<Change>,
    warnings: Vec<String>,
    blocked: Vec<String>,
    /// Per API, why nothing changes there.
    unchanged: Vec<String>,
    /// The APIs with at least one `AWS_IAM` method once the plan is applied.
    signed_apis: Vec<String>,
    guidance: Vec<String>,
}

impl Acc {
    fn into_step(self) -> StepPlan {
        let state = if !self.blocked.is_empty() {
            StepState::Blocked(self.blocked.join("; "))
        } else if self.changes.is_empty() {
            StepState::NothingToDo(format!(
                "no selected method needs AWS_IAM: {}",
                self.unchanged.join("; ")
            ))
        } else {
            StepState::Ready
        };
        let changes = match state {
            StepState::Ready => self.changes,
            _ => Vec::new(),
        };
        StepPlan {
            control: Control::IamAuth,
            changes,
            state,
            warnings: self.warnings,
            guidance: self.guidance,
            verdicts: Vec::new(),
        }
    }
}

fn plan_api(posture: &Posture, api: &RestApi, selected: &[MethodKey], acc: &mut Acc) {
    if api.resources.is_none() {
        let why = posture
            .gaps_for(&api.id)
            .map(|g| g.message.clone())
            .next()
            .unwrap_or_else(|| "not read".to_string());
        acc.blocked.push(format!(
            "the methods of {} ({}) could not be read ({why}): ztharden cannot tell which need \
             AWS_IAM; read them again with apigateway:GET on the API",
            api.name, api.id
        ));
        return;
    }
    let mut changes = Vec::new();
    let mut already = 0;
    let mut preflight = Vec::new();
    let mut kept = Vec::new();
    for (resource, method) in api.methods() {
        let what = format!("{} {}", method.http_method, resource.path);
        let is_selected = selected.iter().any(|k| {
            k.api_id == api.id
                && k.resource_id == resource.id
                && k.http_method == method.http_method
        });
        if method.authorization_type == AuthorizationType::AwsIam {
            already += 1;
            continue;
        }
        if !is_selected {
            if method.http_method == "OPTIONS"
                && method.authorization_type == AuthorizationType::None
            {
                preflight.push(what);
            } else {
                kept.push(format!("{what} ({})", kind(method)));
            }
            continue;
        }
        if method.authorization_type != AuthorizationType::None {
            acc.warnings.push(format!(
                "{what} of {} uses {}: AWS_IAM replaces it, and its clients must sign with SigV4 \
                 instead of what they send today",
                api.name,
                kind(method)
            ));
        }
        if method.http_method == "OPTIONS" {
            acc.warnings.push(format!(
                "{what} of {} answers CORS preflight, which browsers cannot sign: browser clients \
                 fail once it requires AWS_IAM",
                api.name
            ));
        }
        changes.push(Change::SetMethodAuthorization {
            method: MethodKey {
                api_id: api.id.clone(),
                resource_id: resource.id.clone(),
                path: resource.path.clone(),
                http_method: method.http_method.clone(),
            },
            expected: method.authorization_type.clone(),
            authorizer_id: None,
            new: AuthorizationType::AwsIam,
        });
    }
    if !preflight.is_empty() {
        acc.warnings.push(format!(
            "{} of {} answer CORS preflight, which browsers cannot sign: left as NONE",
            preflight.join(", "),
            api.name
        ));
    }
    if !kept.is_empty() {
        acc.warnings.push(format!(
            "{} of {} left as they are (not selected): select them to require AWS_IAM",
            kept.join(", "),
            api.name
        ));
    }
    if already > 0 || !changes.is_empty() {
        acc.signed_apis.push(api.id.clone());
    }
    if changes.is_empty() {
        acc.unchanged.push(if api.methods().next().is_none() {
            format!("{} has no methods", api.name)
        } else {
            format!("{} has {already} method(s) already on AWS_IAM", api.name)
        });
        return;
    }
    let count = changes.len();
    acc.changes.extend(changes);
    redeploy(api, count, acc);
}

/// One `Redeploy` per stage, so the new authorization reaches callers.
fn redeploy(api: &RestApi, count: usize, acc: &mut Acc) {
    match &api.stages {
        Some(stages) if !stages.is_empty() => {
            for stage in stages {
                acc.changes.push(Change::Redeploy {
                    api_id: api.id.clone(),
                    stage: stage.name.clone(),
                    expected_deployment_id: stage.deployment_id.clone(),
                    description: format!(
                        "ztharden iam-auth: AWS_IAM on {count} method(s) of {}",
                        api.name
                    ),
                });
            }
            let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
            acc.warnings.push(format!(
                "once {} of {} is redeployed, unsigned requests to these {count} method(s) get \
                 403: make sure every caller signs first (see guidance)",
                plural("stage", &names),
                api.name
            ));
        }
        Some(_) => acc.warnings.push(format!(
            "{} has no stage: nothing reaches callers until the API is deployed",
            api.name
        )),
        None => acc.warnings.push(format!(
            "the stages of {} could not be read: deploy each stage by hand after applying, or \
             nothing reaches callers",
            api.name
        )),
    }
}

/// The identity policy the callers need, and how they sign.
fn guidance(posture: &Posture, api_ids: &[String], roles: &[String]) -> Vec<String> {
    let apis: Vec<&RestApi> = api_ids.iter().filter_map(|id| posture.api(id)).collect();
    if apis.is_empty() {
        return Vec::new();
    }
    let arns: Vec<String> = apis
        .iter()
        .map(|a| a.execute_arn(&posture.region, &posture.account))
        .collect();
    let policy = Policy {
        version: Some("2012-10-17".into()),
        id: None,
        statements: vec![Statement {
            sid: None,
            effect: Effect::Allow,
            principal: None,
            not_principal: None,
            action: ActionSpec::Action(vec!["execute-api:Invoke".into()]),
            resource: Some(ResourceSpec::Resource(arns)),
            conditions: Vec::new(),
        }],
    };
    let who = if roles.is_empty() {
        "Each caller role".to_string()
    } else {
        let names: Vec<&str> = roles
            .iter()
            .map(|r| r.rsplit('/').next().unwrap_or(r))
            .collect();
        format!("Each caller role ({})", names.join(", "))
    };
    let names: Vec<&str> = apis.iter().map(|a| a.name.as_str()).collect();
    vec![
        format!(
            "{who} needs an identity policy allowing execute-api:Invoke on {}:\n{}",
            names.join(", "),
            policy.to_pretty_json()
        ),
        format!(
            "Callers sign every request with SigV4 using the role's credentials: service name \
             execute-api, region {} (the AWS SDKs' SigV4 signer, or curl --aws-sigv4 \
             \"aws:amz:{}:execute-api\"); unsigned requests get 403 once the stage is redeployed",
            posture.region, posture.region
        ),
    ]
}

fn kind(method: &Method) -> String {
    let authorizer = method
        .authorizer_id
        .as_deref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default();
    match &method.authorization_type {
        AuthorizationType::None => "NONE".to_string(),
        AuthorizationType::AwsIam => "AWS_IAM".to_string(),
        AuthorizationType::Custom => format!("a Lambda authorizer{authorizer}"),
        AuthorizationType::CognitoUserPools => format!("a Cognito authorizer{authorizer}"),
        AuthorizationType::Other(k) => format!("authorization type {k}"),
    }
}

fn plural(word: &str, names: &[&str]) -> String {
    match names {
        [one] => format!("{word} {one}"),
        many => format!("{word}s {}", many.join(", ")),
    }
}
