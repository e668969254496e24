//! Drift: a change made behind the plan's back, to any kind of target, refuses the whole
//! apply naming the resource, and nothing is written.

use super::*;

/// A change made behind the plan's back, the resource the drift check must name, and words
/// of what it must say.
struct Drift {
    what: &'static str,
    change: Change,
    resource: String,
    says: String,
}

fn drifts(account: &Account, start: &Posture) -> Vec<Drift> {
    let (orders, group) = (account.id(ORDERS), account.id(ENDPOINT_SG));
    let open_rule = start
        .security_group(&group)
        .and_then(|g| g.ingress.as_ref())
        .and_then(|rules| rules.iter().find(|r| r.rule_id == account.id(OPEN_RULE)))
        .cloned()
        .unwrap_or_else(|| panic!("{}: the open rule of {group}", account.name));
    let list = account.id(ORDERS_LIST);
    let endpoint = account.id(ENDPOINT);
    let deployed = start
        .api(&orders)
        .and_then(|a| a.stages.as_ref())
        .and_then(|stages| stages.iter().find(|s| s.name == "prod"))
        .and_then(|s| s.deployment_id.clone())
        .unwrap_or_else(|| panic!("{}: the prod stage of {orders}", account.name));
    vec![
        Drift {
            what: "the resource policy",
            change: Change::SetResourcePolicy {
                api_id: orders.clone(),
                expected: None,
                new: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#.into(),
            },
            resource: orders.clone(),
            says: "the policy changed since the plan".into(),
        },
        Drift {
            what: "the open rule, revoked",
            resource: format!("{group} rule {}", open_rule.rule_id),
            change: Change::RevokeIngress {
                group_id: group.clone(),
                expected: open_rule,
            },
            says: "no longer exists".into(),
        },
        Drift {
            what: "a rule from service-a, added",
            change: Change::AuthorizeIngress {
                group_id: group.clone(),
                source_group_id: account.id(SERVICE_A_SG),
                port: 443,
                description: "HTTPS from service-a, by hand".into(),
            },
            resource: format!("{group} (from {})", account.id(SERVICE_A_SG)),
            says: "exists already".into(),
        },
        Drift {
            what: "a method's authorization",
            change: Change::SetMethodAuthorization {
                method: MethodKey {
                    api_id: orders.clone(),
                    resource_id: list.clone(),
                    path: "/orders".into(),
                    http_method: "GET".into(),
                },
                expected: AuthorizationType::None,
                new: AuthorizationType::AwsIam,
                authorizer_id: None,
            },
            resource: format!("{orders} GET /orders (resource {list})"),
            says: "authorization is AWS_IAM now, the plan expects NONE".into(),
        },
        Drift {
            what: "the endpoint policy",
            change: Change::SetEndpointPolicy {
                endpoint_id: endpoint.clone(),
                expected: None,
                new: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}"#.into(),
            },
            resource: endpoint,
            says: "the policy changed since the plan".into(),
        },
        Drift {
            what: "the stage, redeployed",
            change: Change::Redeploy {
                api_id: orders.clone(),
                stage: "prod".into(),
                expected_deployment_id: None,
                description: "deployed by hand".into(),
            },
            resource: format!("{orders} stage prod"),
            says: format!("the plan expects {deployed} (someone deployed since)"),
        },
    ]
}

#[tokio::test]
async fn a_change_behind_the_plans_back_refuses_the_apply_naming_it() {
    for mut account in Account::all().await {
        let count = drifts(&account, &account.read().await).len();
        for at in 0..count {
            if at > 0 {
                account.fresh();
            }
            let start = account.read().await;
            let drift = drifts(&account, &start).remove(at);
            let what = format!("{}: {}", account.name, drift.what);
            let plan = plan_for(&start, &account.id(ORDERS), &Control::ALL);
            account.out_of_band(&drift.change).await;
            let before = support::canonical(account.read().await);

            let dir = tempfile::tempdir().unwrap();
            let faulty = Arc::new(FaultyCloud::new(account.cloud(), FaultPlan::none()));
            let report = engine(faulty.clone(), &dir)
                .apply(&plan, &NoProgress)
                .await
                .unwrap();
            let ApplyOutcome::RefusedDrift { drifted } = &report.outcome else {
                panic!("{what}: {:?}", report.outcome);
            };
            assert_eq!(drifted.len(), 1, "{what}: {drifted:#?}");
            assert_eq!(drifted[0].resource, drift.resource, "{what}");
            assert!(
                drifted[0].detail.contains(&drift.says),
                "{what}: {drifted:?}"
            );
            // One read, the drift check's; no write.
            let calls = faulty.calls();
            assert_eq!(calls.len(), 1, "{what}: {calls:#?}");
            assert_eq!(calls[0].operation, READ_OPERATION, "{what}");
            assert_eq!(report.applied(), 0, "{what}");

            let journal = journal(&dir, &report.journal_id);
            assert_eq!(
                journal.closing.as_ref().map(|c| &c.outcome),
                Some(&report.outcome),
                "{what}"
            );
            assert_eq!(journal.records.len(), plan.changes().count(), "{what}");
            assert!(
                journal
                    .records
                    .iter()
                    .all(|r| r.outcome == ChangeOutcome::NotRun),
                "{what}: {:#?}",
                journal.records
            );
            assert_eq!(
                support::canonical(account.read().await),
                before,
                "{what}: nothing changed"
            );
        }
    }
}
