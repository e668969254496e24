//! The `iam-auth` planner on variants of the sandbox lab.

use super::{assess, plan};
use crate::cloud::sandbox::SandboxCloud;
use crate::model::{AuthorizationType, Posture, ReadGap, Stage};
use crate::plan::{Change, Inputs, MethodKey, StepState, project};
use crate::steps::Status;

const ORDERS: &str = "a1b2c3d4e5";
const INVENTORY: &str = "f6g7h8i9j0";
const STATUS: &str = "k1l2m3n4o5";

fn lab(edit: impl FnOnce(&mut Posture)) -> Posture {
    let mut p = SandboxCloud::lab_posture();
    edit(&mut p);
    p
}

fn api_mut<'a>(p: &'a mut Posture, id: &str) -> &'a mut crate::model::RestApi {
    p.apis.iter_mut().find(|a| a.id == id).unwrap()
}

fn inputs(p: &Posture, apis: &[&str]) -> Inputs {
    let ids: Vec<String> = apis.iter().map(|s| s.to_string()).collect();
    Inputs::infer(p, &ids, &[])
}

fn key(api: &str, resource: &str, path: &str, verb: &str) -> MethodKey {
    MethodKey {
        api_id: api.into(),
        resource_id: resource.into(),
        path: path.into(),
        http_method: verb.into(),
    }
}

/// `VERB path: FROM -> TO` for method changes, `redeploy API/STAGE (DEPLOYMENT)` for redeploys.
fn lines(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| match c {
            Change::SetMethodAuthorization {
                method,
                expected,
                new,
                ..
            } => format!(
                "{} {}: {} -> {}",
                method.http_method,
                method.path,
                expected.as_str(),
                new.as_str()
            ),
            Change::Redeploy {
                api_id,
                stage,
                expected_deployment_id,
                ..
            } => format!(
                "redeploy {api_id}/{stage} ({})",
                expected_deployment_id.as_deref().unwrap_or("-")
            ),
            other => panic!("iam-auth planned {other:?}"),
        })
        .collect()
}

/// Every `iam-auth` finding of the APIs in `apis` passes (CORS preflight skipped) once the
/// changes are applied.
fn assert_passes_after(p: &Posture, changes: &[Change], apis: &[&str]) {
    let after = project(p, changes);
    for f in assess(&after) {
        if apis.contains(&f.api_id.as_deref().unwrap_or_default()) {
            assert!(
                matches!(f.status, Status::Pass | Status::Skip),
                "{}: {}",
                f.status,
                f.reason
            );
        }
    }
}

#[test]
fn lab_orders_signs_five_methods_and_redeploys_prod_once() {
    let p = SandboxCloud::lab_posture();
    let step = plan(&p, &inputs(&p, &[ORDERS]));
    assert_eq!(step.state, StepState::Ready);
    assert_eq!(
        lines(&step.changes),
        [
            "GET /orders: NONE -> AWS_IAM",
            "POST /orders: NONE -> AWS_IAM",
            "DELETE /orders/{id}: NONE -> AWS_IAM",
            "GET /orders/{id}: NONE -> AWS_IAM",
            "PUT /orders/{id}: NONE -> AWS_IAM",
            "redeploy a1b2c3d4e5/prod (dep0rders1)",
        ]
    );
    let Change::Redeploy { description, .. } = &step.changes[5] else {
        unreachable!()
    };
    assert!(
        description.contains("ztharden") && description.contains("iam-auth"),
        "{description}"
    );
    let Change::SetMethodAuthorization { method, .. } = &step.changes[0] else {
        unreachable!()
    };
    assert_eq!(method, &key(ORDERS, "ord1a2b3c4", "/orders", "GET"));
    let warnings = step.warnings.join("\n");
    assert!(
        warnings.contains("OPTIONS /orders, OPTIONS /orders/{id} of orders answer CORS preflight"),
        "{warnings}"
    );
    assert!(
        warnings.contains("once stage prod of orders is redeployed, unsigned requests"),
        "{warnings}"
    );
    assert_passes_after(&p, &step.changes, &[ORDERS]);
}

#[test]
fn guidance_gives_the_identity_policy_and_how_to_sign() {
    let p = SandboxCloud::lab_posture();
    let step = plan(&p, &inputs(&p, &[ORDERS]));
    assert_eq!(step.guidance.len(), 2, "{:?}", step.guidance);
    let (head, json) = step.guidance[0].split_once('\n').unwrap();
    assert_eq!(
        head,
        "Each caller role (service-a-role, service-c-role) needs an identity policy allowing \
         execute-api:Invoke on orders:"
    );
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "execute-api:Invoke",
            "Resource": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*"}]})
    );
    assert!(json.contains("\n  \"Statement\""), "pretty-printed: {json}");
    assert!(
        step.guidance[1].contains("SigV4")
            && step.guidance[1].contains("service name execute-api, region us-east-1"),
        "{}",
        step.guidance[1]
    );
    let both = plan(&p, &inputs(&p, &[ORDERS, STATUS]));
    assert!(
        both.guidance[0].contains(
            "[\n        \"arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*\",\n        \
             \"arn:aws:execute-api:us-east-1:111122223333:k1l2m3n4o5/*\"\n      ]"
        ),
        "{}",
        both.guidance[0]
    );
}

#[test]
fn several_apis_are_planned_one_after_the_other() {
    let p = SandboxCloud::lab_posture();
    let step = plan(&p, &inputs(&p, &[STATUS, ORDERS]));
    let got = lines(&step.changes);
    assert_eq!(got.len(), 8, "{got:?}");
    assert_eq!(got[0], "GET /health: NONE -> AWS_IAM");
    assert_eq!(got[1], "redeploy k1l2m3n4o5/prod (dep5tatus1)");
    assert_eq!(got[7], "redeploy a1b2c3d4e5/prod (dep0rders1)");
    assert_passes_after(&p, &step.changes, &[STATUS, ORDERS]);
}

#[test]
fn a_lambda_authorizer_is_replaced_only_when_selected() {
    let p = SandboxCloud::lab_posture();
    let default = plan(&p, &inputs(&p, &[INVENTORY]));
    assert!(default.changes.is_empty());
    let StepState::NothingToDo(why) = &default.state else {
        panic!("{:?}", default.state)
    };
    assert!(
        why.contains("inventory has 3 method(s) already on AWS_IAM"),
        "{why}"
    );
    assert!(
        default.warnings.iter().any(|w| w.contains(
            "PUT /items/{sku} (a Lambda authorizer (auth0sku01)) of inventory left as they are"
        )),
        "{:?}",
        default.warnings
    );

    let mut chosen = inputs(&p, &[INVENTORY]);
    chosen.methods = Some(vec![
        key(INVENTORY, "itmsk5e6f7", "/items/{sku}", "PUT"),
        key(INVENTORY, "itm1a2b3c4", "/items", "GET"),
    ]);
    let step = plan(&p, &chosen);
    assert_eq!(step.state, StepState::Ready);
    assert_eq!(
        lines(&step.changes),
        [
            "PUT /items/{sku}: CUSTOM -> AWS_IAM",
            "redeploy f6g7h8i9j0/v1 (dep1nvent1)"
        ],
        "GET /items is already AWS_IAM: no change"
    );
    assert!(
        step.warnings.iter().any(|w| w.contains(
            "PUT /items/{sku} of inventory uses a Lambda authorizer (auth0sku01): AWS_IAM replaces it, and its clients must sign"
        )),
        "{:?}",
        step.warnings
    );
    assert_passes_after(&p, &step.changes, &[INVENTORY]);
}

#[test]
fn table_of_stage_shapes() {
    type Case = (
        &'static str,
        fn(&mut Posture),
        Vec<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "two stages, two redeploys",
            |p| {
                api_mut(p, ORDERS).stages.as_mut().unwrap().push(Stage {
                    name: "staging".into(),
                    deployment_id: Some("dep0rders2".into()),
                })
            },
            vec![
                "redeploy a1b2c3d4e5/prod (dep0rders1)",
                "redeploy a1b2c3d4e5/staging (dep0rders2)",
            ],
            "once stages prod, staging of orders is redeployed",
        ),
        (
            "no stage",
            |p| api_mut(p, ORDERS).stages = Some(vec![]),
            vec![],
            "orders has no stage: nothing reaches callers until the API is deployed",
        ),
        (
            "stages not read",
            |p| api_mut(p, ORDERS).stages = None,
            vec![],
            "the stages of orders could not be read: deploy each stage by hand",
        ),
        (
            "a stage never deployed",
            |p| api_mut(p, ORDERS).stages.as_mut().unwrap()[0].deployment_id = None,
            vec!["redeploy a1b2c3d4e5/prod (-)"],
            "once stage prod of orders is redeployed",
        ),
    ];
    for (name, edit, redeploys, warning) in cases {
        let p = lab(edit);
        let step = plan(&p, &inputs(&p, &[ORDERS]));
        assert_eq!(step.state, StepState::Ready, "{name}");
        let got: Vec<String> = lines(&step.changes)
            .into_iter()
            .filter(|l| l.starts_with("redeploy"))
            .collect();
        assert_eq!(got, redeploys, "{name}");
        assert_eq!(step.changes.len(), 5 + redeploys.len(), "{name}");
        assert!(
            step.warnings.iter().any(|w| w.contains(warning)),
            "{name}: {:?}",
            step.warnings
        );
    }
}

#[test]
fn an_already_signed_api_has_nothing_to_do() {
    let p = lab(|p| {
        for r in api_mut(p, ORDERS).resources.as_mut().unwrap() {
            for m in &mut r.methods {
                if m.http_method != "OPTIONS" {
                    m.authorization_type = AuthorizationType::AwsIam;
                }
            }
        }
    });
    let step = plan(&p, &inputs(&p, &[ORDERS]));
    assert!(step.changes.is_empty());
    assert_eq!(
        step.state,
        StepState::NothingToDo(
            "no selected method needs AWS_IAM: orders has 5 method(s) already on AWS_IAM".into()
        )
    );
    assert_eq!(
        step.guidance.len(),
        2,
        "callers still need the identity policy"
    );
}

#[test]
fn selections_cover_only_what_was_picked() {
    let p = SandboxCloud::lab_posture();
    let mut picked = inputs(&p, &[ORDERS]);
    picked.methods = Some(vec![
        key(ORDERS, "ord1a2b3c4", "/orders", "GET"),
        key(ORDERS, "ord1a2b3c4", "/orders", "OPTIONS"),
    ]);
    let step = plan(&p, &picked);
    assert_eq!(
        lines(&step.changes),
        [
            "GET /orders: NONE -> AWS_IAM",
            "OPTIONS /orders: NONE -> AWS_IAM",
            "redeploy a1b2c3d4e5/prod (dep0rders1)"
        ]
    );
    let warnings = step.warnings.join("\n");
    assert!(
        warnings.contains("OPTIONS /orders of orders answers CORS preflight, which browsers cannot sign: browser clients fail"),
        "{warnings}"
    );
    assert!(
        warnings.contains("POST /orders (NONE), DELETE /orders/{id} (NONE)"),
        "{warnings}"
    );
    picked.methods = Some(vec![]);
    let none = plan(&p, &picked);
    assert!(matches!(none.state, StepState::NothingToDo(_)));
}

#[test]
fn unreadable_methods_or_unknown_apis_block() {
    let p = lab(|p| {
        api_mut(p, ORDERS).resources = None;
        p.gaps.push(ReadGap {
            resource: ORDERS.into(),
            operation: "GetResources".into(),
            message: "AccessDenied: not authorized to perform apigateway:GET".into(),
        });
    });
    let step = plan(&p, &inputs(&p, &[ORDERS, STATUS]));
    assert!(step.changes.is_empty(), "a blocked step applies nothing");
    let StepState::Blocked(why) = &step.state else {
        panic!("{:?}", step.state)
    };
    assert!(
        why.contains(
            "the methods of orders (a1b2c3d4e5) could not be read (AccessDenied: not authorized"
        ),
        "{why}"
    );
    let mut unknown = inputs(&p, &[STATUS]);
    unknown.api_ids.push("zz9zz9zz9z".into());
    let step = plan(&p, &unknown);
    assert_eq!(
        step.state,
        StepState::Blocked("API zz9zz9zz9z is not in account 111122223333 in us-east-1".into())
    );
    let empty = plan(&p, &Inputs::default());
    assert!(empty.is_blocked());
}
