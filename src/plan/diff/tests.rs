use super::policy::{NO_CHANGE, policy_lines};
use super::*;
use crate::cloud::sandbox::SandboxCloud;
use crate::model::AuthorizationType;
use crate::plan::{Change, Inputs, MethodKey, PLAN_VERSION, Verdict};
use crate::policy::ApiContext;

const ORDERS: &str = "a1b2c3d4e5";
const ENDPOINT: &str = "vpce-0e9e9e9e9e9e9e9e9";
const ENDPOINT_SG: &str = "sg-0e9e9e9e9e9e9e9e9";

fn orders_ctx() -> ApiContext {
    ApiContext::new("us-east-1", "111122223333", ORDERS)
}

fn texts(lines: &[DiffLine]) -> Vec<String> {
    lines.iter().map(DiffLine::text).collect()
}

fn step(control: Control, changes: Vec<Change>) -> StepPlan {
    StepPlan {
        control,
        changes,
        state: StepState::Ready,
        warnings: Vec::new(),
        guidance: Vec::new(),
        verdicts: Vec::new(),
    }
}

#[test]
fn forms_of_the_same_policy_are_no_change() {
    // Escaped as API Gateway returns it, shorthand resource, one-element lists.
    let live = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"execute-api:Invoke\"],\"Resource\":[\"execute-api:/*\"]}]}"#;
    // Plain, keys reordered, full ARN, single values.
    let new = r#"{"Statement":{"Resource":"arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*","Action":"execute-api:Invoke","Principal":"*","Effect":"Allow"},"Version":"2012-10-17"}"#;
    let lines = policy_lines(Some(live), new, Some(&orders_ctx()));
    assert_eq!(lines, vec![DiffLine::Note(NO_CHANGE.into())]);

    // Reordered statements say the same thing too.
    let two = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#;
    let swapped = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}},{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    assert_eq!(
        policy_lines(Some(two), swapped, Some(&orders_ctx())),
        vec![DiffLine::Note(NO_CHANGE.into())]
    );
}

#[test]
fn a_real_change_is_a_unified_diff_of_the_normalised_json() {
    let live = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0e9e9e9e9e9e9e9e9"}}}]}"#;
    let lines = policy_lines(Some(live), new, Some(&orders_ctx()));
    let expected = vec![
        "@@ -1,11 +1,22 @@",
        "  {",
        r#"    "Version": "2012-10-17","#,
        r#"    "Statement": ["#,
        "      {",
        r#"        "Effect": "Allow","#,
        r#"        "Principal": "*","#,
        r#"        "Action": "execute-api:Invoke","#,
        r#"        "Resource": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*""#,
        "+     },",
        "+     {",
        r#"+       "Effect": "Deny","#,
        r#"+       "Principal": "*","#,
        r#"+       "Action": "execute-api:Invoke","#,
        r#"+       "Resource": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*","#,
        r#"+       "Condition": {"#,
        r#"+         "StringNotEquals": {"#,
        r#"+           "aws:SourceVpce": "vpce-0e9e9e9e9e9e9e9e9""#,
        "+         }",
        "+       }",
        "      }",
        "    ]",
        "  }",
    ];
    assert_eq!(texts(&lines), expected);
}

#[test]
fn no_live_policy_is_all_added() {
    let new = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
    let lines = policy_lines(None, new, None);
    assert_eq!(lines[0], DiffLine::Note("There is no policy today.".into()));
    assert_eq!(lines[1], DiffLine::Hunk("@@ -0,0 +1,10 @@".into()));
    assert!(lines[2..].iter().all(|l| matches!(l, DiffLine::Added(_))));
    assert_eq!(lines.len(), 12);
}

#[test]
fn an_unreadable_live_policy_is_shown_raw_and_removed() {
    let live = "{\"Statement\": [ oops\nsecond line";
    let new = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
    let lines = policy_lines(Some(live), new, None);
    let DiffLine::Note(note) = &lines[0] else {
        panic!("a note first: {lines:?}")
    };
    assert!(note.contains("does not parse (not JSON"), "{note}");
    assert_eq!(lines[1], DiffLine::Hunk("@@ -1,2 +1,10 @@".into()));
    assert_eq!(lines[2], DiffLine::Removed("{\"Statement\": [ oops".into()));
    assert_eq!(lines[3], DiffLine::Removed("second line".into()));
    assert!(lines[4..].iter().all(|l| matches!(l, DiffLine::Added(_))));
}

#[test]
fn methods_are_a_table_of_from_and_to() {
    let posture = SandboxCloud::lab_posture();
    let change = |resource: &str, path: &str, verb: &str| Change::SetMethodAuthorization {
        method: MethodKey {
            api_id: ORDERS.into(),
            resource_id: resource.into(),
            path: path.into(),
            http_method: verb.into(),
        },
        expected: AuthorizationType::None,
        new: AuthorizationType::AwsIam,
        authorizer_id: None,
    };
    let plan = step(
        Control::IamAuth,
        vec![
            change("ord1a2b3c4", "/orders", "GET"),
            change("ordid5e6f7", "/orders/{id}", "DELETE"),
            Change::Redeploy {
                api_id: ORDERS.into(),
                stage: "prod".into(),
                expected_deployment_id: Some("dep0rders1".into()),
                description: "ztharden iam-auth".into(),
            },
        ],
    );
    let lines = texts(&step_diff(&posture, &plan));
    assert_eq!(
        lines,
        vec![
            "Step 1 of 4: iam-auth (IAM authorization on methods): ready",
            "Methods",
            "  API                  path          method  authorization",
            "~ orders (a1b2c3d4e5)  /orders       GET     NONE -> AWS_IAM",
            "~ orders (a1b2c3d4e5)  /orders/{id}  DELETE  NONE -> AWS_IAM",
            "Redeploys",
            "+ new deployment of stage prod of orders (a1b2c3d4e5) (now dep0rders1)",
            "State: ready",
        ]
    );
}

#[test]
fn security_group_rules_added_removed_and_kept() {
    let mut posture = SandboxCloud::lab_posture();
    let group = posture
        .security_groups
        .iter_mut()
        .find(|g| g.id == ENDPOINT_SG)
        .unwrap();
    let open = group.ingress.as_ref().unwrap()[0].clone();
    let mut kept = open.clone();
    kept.rule_id = "sgr-0kept".into();
    kept.source = crate::model::RuleSource::Ipv4("10.0.5.0/24".into());
    kept.description = None;
    group.ingress.as_mut().unwrap().push(kept);
    let plan = step(
        Control::EndpointSg,
        vec![
            Change::AuthorizeIngress {
                group_id: ENDPOINT_SG.into(),
                source_group_id: "sg-0a1a1a1a1a1a1a1a1".into(),
                port: 443,
                description: "HTTPS from service-a".into(),
            },
            Change::RevokeIngress {
                group_id: ENDPOINT_SG.into(),
                expected: open,
            },
        ],
    );
    let lines = texts(&step_diff(&posture, &plan));
    assert_eq!(
        lines[1..5],
        [
            "Ingress rules of sg-0e9e9e9e9e9e9e9e9 (execute-api-endpoint)",
            "+ tcp 443 from sg-0a1a1a1a1a1a1a1a1 (HTTPS from service-a)",
            "- tcp 443 from 0.0.0.0/0 (sgr-0e9e9e9e9e9e90443, HTTPS from anywhere)",
            "  tcp 443 from 10.0.5.0/24 (sgr-0kept)",
        ]
    );
}

#[test]
fn endpoint_policy_section_names_the_endpoint() {
    let posture = SandboxCloud::lab_posture();
    let live = posture.endpoint(ENDPOINT).unwrap().policy.clone().unwrap();
    let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/service-a-role"},"Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*"}]}"#;
    let plan = step(
        Control::EndpointPolicy,
        vec![Change::SetEndpointPolicy {
            endpoint_id: ENDPOINT.into(),
            expected: Some(live.raw().to_string()),
            new: new.into(),
        }],
    );
    let lines = step_diff(&posture, &plan);
    assert_eq!(
        lines[1],
        DiffLine::Header(format!("Endpoint policy of {ENDPOINT}"))
    );
    assert_eq!(lines[2], DiffLine::Hunk("@@ -1,10 +1,13 @@".into()));
    assert!(lines.contains(&DiffLine::Added(r#"  "Version": "2012-10-17","#.into())));
    assert!(lines.contains(&DiffLine::Removed(r#"      "Principal": "*","#.into())));
    assert!(lines.contains(&DiffLine::Added(r#"      "Principal": {"#.into())));
    assert!(lines.contains(&DiffLine::Added(
        r#"        "AWS": "arn:aws:iam::111122223333:role/service-a-role""#.into()
    )));
}

#[test]
fn resource_policy_section_expands_the_shorthand_of_its_api() {
    let posture = SandboxCloud::lab_posture();
    let live = posture.api(ORDERS).unwrap().policy.clone().unwrap();
    let same = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    let plan = step(
        Control::ResourcePolicy,
        vec![Change::SetResourcePolicy {
            api_id: ORDERS.into(),
            expected: Some(live.raw().to_string()),
            new: same.into(),
        }],
    );
    assert_eq!(
        texts(&step_diff(&posture, &plan))[1..3],
        [
            "Resource policy of orders (a1b2c3d4e5)",
            "  no change (differences of order or form only)"
        ]
    );
}

#[test]
fn warnings_guidance_verdicts_and_state_in_plain_words() {
    let posture = SandboxCloud::lab_posture();
    let mut plan = step(Control::EndpointPolicy, Vec::new());
    plan.state = StepState::Blocked("service-c-role would be locked out".into());
    plan.warnings = vec!["inventory (f6g7h8i9j0) loses access".into()];
    plan.guidance = vec!["Sign requests with SigV4.\nService name: execute-api".into()];
    plan.verdicts = vec![
        Verdict {
            check: "service-a-role can invoke GET /orders".into(),
            passed: true,
            detail: "allowed by statement 1".into(),
            pending_step: None,
        },
        Verdict {
            check: "service-c-role can invoke GET /orders".into(),
            passed: false,
            detail: "implicitly denied: no statement allows it".into(),
            pending_step: None,
        },
    ];
    let lines = texts(&step_diff(&posture, &plan));
    assert_eq!(
        lines,
        vec![
            "Step 3 of 4: endpoint-policy (VPC endpoint policy): blocked: service-c-role would be locked out",
            "  No changes.",
            "Warnings",
            "! warning: inventory (f6g7h8i9j0) loses access",
            "Guidance",
            "  Sign requests with SigV4.",
            "  Service name: execute-api",
            "Safety checks",
            "✓ PASS service-a-role can invoke GET /orders",
            "    allowed by statement 1",
            "✗ FAIL service-c-role can invoke GET /orders",
            "    implicitly denied: no statement allows it",
            "State: blocked: service-c-role would be locked out",
        ]
    );
    let nothing = StepPlan::nothing_to_do(Control::EndpointSg, "443 is open only to groups");
    assert_eq!(
        step_diff(&posture, &nothing).last().unwrap().text(),
        "State: nothing to do: 443 is open only to groups"
    );
}

#[test]
fn a_failing_verdict_a_later_step_fixes_is_pending() {
    let posture = SandboxCloud::lab_posture();
    let mut plan = step(Control::IamAuth, Vec::new());
    let mut v = Verdict::new(
        "a request to orders through an endpoint that is not chosen is denied",
        false,
        "not denied",
    );
    v.pending_step = Some(Control::ResourcePolicy);
    plan.verdicts = vec![
        v.clone(),
        Verdict::new(
            "a principal of another account is denied",
            false,
            "not denied",
        ),
    ];
    let lines = step_diff(&posture, &plan);
    let text = texts(&lines);
    assert!(text.contains(&"… PENDING a request to orders through an endpoint that is not chosen is denied (fixed by step 2: resource-policy)".to_string()), "{text:#?}");
    assert!(
        text.contains(&"✗ FAIL a principal of another account is denied".to_string()),
        "{text:#?}"
    );
    let coloured = render_text(&lines, true);
    assert!(coloured.contains("\x1b[33m… PENDING"), "{coloured}");
    assert!(coloured.contains("\x1b[31m✗ FAIL"), "{coloured}");
    // In the plan file the field is there only when set, and older files read back.
    let json = serde_json::to_string(&plan.verdicts).unwrap();
    assert_eq!(json.matches("pending_step").count(), 1, "{json}");
    assert!(
        json.contains(r#""pending_step":"resource-policy""#),
        "{json}"
    );
    let old: Verdict =
        serde_json::from_str(r#"{"check":"c","passed":false,"detail":"d"}"#).unwrap();
    assert_eq!(old, Verdict::new("c", false, "d"));
}

fn sample_plan() -> Plan {
    let posture = SandboxCloud::lab_posture();
    let open = posture
        .security_group(ENDPOINT_SG)
        .unwrap()
        .ingress
        .as_ref()
        .unwrap()[0]
        .clone();
    let mut sg = step(
        Control::EndpointSg,
        vec![
            Change::AuthorizeIngress {
                group_id: ENDPOINT_SG.into(),
                source_group_id: "sg-0a1a1a1a1a1a1a1a1".into(),
                port: 443,
                description: "HTTPS from service-a".into(),
            },
            Change::RevokeIngress {
                group_id: ENDPOINT_SG.into(),
                expected: open,
            },
        ],
    );
    sg.verdicts = vec![Verdict {
        check: "service-a can reach the endpoint on 443".into(),
        passed: true,
        detail: String::new(),
        pending_step: None,
    }];
    Plan {
        version: PLAN_VERSION,
        account: "111122223333".into(),
        region: "us-east-1".into(),
        created_at: "2025-01-02T03:04:05Z".into(),
        inputs: Inputs {
            api_ids: vec![ORDERS.into()],
            endpoint_ids: vec![ENDPOINT.into()],
            caller_roles: vec!["arn:aws:iam::111122223333:role/service-a-role".into()],
            caller_groups: vec!["sg-0a1a1a1a1a1a1a1a1".into()],
            notes: vec!["Callers inferred from the instances in vpc-0ab12cd34ef567890.".into()],
            ..Inputs::default()
        },
        steps: vec![sg],
    }
}

#[test]
fn plan_text_has_inputs_then_steps() {
    let posture = SandboxCloud::lab_posture();
    let text = plan_text(&sample_plan(), &posture, false);
    let head: Vec<&str> = text.lines().take(9).collect();
    assert_eq!(
        head,
        vec![
            "Plan for account 111122223333, region us-east-1 (created 2025-01-02T03:04:05Z)",
            "  APIs: orders (a1b2c3d4e5)",
            "  VPC endpoints: vpce-0e9e9e9e9e9e9e9e9",
            "  caller roles: arn:aws:iam::111122223333:role/service-a-role",
            "  caller security groups: sg-0a1a1a1a1a1a1a1a1 (service-a)",
            "  Callers inferred from the instances in vpc-0ab12cd34ef567890.",
            "",
            "Step 4 of 4: endpoint-sg (Endpoint security group): ready",
            "Ingress rules of sg-0e9e9e9e9e9e9e9e9 (execute-api-endpoint)",
        ]
    );
    assert!(text.contains("✓ PASS service-a can reach the endpoint on 443\n"));
    assert!(text.ends_with("State: ready\n"));
}

#[test]
fn colour_only_when_asked() {
    let posture = SandboxCloud::lab_posture();
    let plain = plan_text(&sample_plan(), &posture, false);
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = plan_text(&sample_plan(), &posture, true);
    assert!(coloured.contains("\x1b[32m+ tcp 443 from sg-0a1a1a1a1a1a1a1a1"));
    assert!(coloured.contains("\x1b[31m- tcp 443 from 0.0.0.0/0"));
    // Without the escape codes, the coloured text is the plain text.
    let mut stripped = coloured.clone();
    for code in [
        "\x1b[1;32m",
        "\x1b[1;31m",
        "\x1b[1m",
        "\x1b[36m",
        "\x1b[32m",
        "\x1b[31m",
        "\x1b[33m",
        "\x1b[0m",
    ] {
        stripped = stripped.replace(code, "");
    }
    assert_eq!(stripped, plain);
}
