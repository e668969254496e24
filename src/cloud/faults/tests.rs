use super::*;
use crate::cloud::NoProgress;
use crate::cloud::sandbox::SandboxCloud;

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}"#;

fn resource_policy() -> Change {
    Change::SetResourcePolicy {
        api_id: "a1b2c3d4e5".into(),
        expected: None,
        new: POLICY.into(),
    }
}

fn endpoint_policy() -> Change {
    Change::SetEndpointPolicy {
        endpoint_id: "vpce-0e9e9e9e9e9e9e9e9".into(),
        expected: None,
        new: POLICY.into(),
    }
}

fn authorize() -> Change {
    Change::AuthorizeIngress {
        group_id: "sg-0e9e9e9e9e9e9e9e9".into(),
        source_group_id: "sg-0a1a1a1a1a1a1a1a1".into(),
        port: 443,
        description: "HTTPS from service-a".into(),
    }
}

fn faulty(plan: FaultPlan) -> FaultyCloud<SandboxCloud> {
    FaultyCloud::new(Arc::new(SandboxCloud::lab()), plan)
}

/// The lab after `changes`, made directly on a fresh sandbox.
async fn lab_after(changes: &[Change]) -> Posture {
    let cloud = SandboxCloud::lab();
    for change in changes {
        cloud.apply(change).await.unwrap();
    }
    cloud.read_posture(&NoProgress).await.unwrap()
}

async fn inner_posture(cloud: &FaultyCloud<SandboxCloud>) -> Posture {
    cloud.inner().read_posture(&NoProgress).await.unwrap()
}

/// (number, operation, outcome kind) of each call.
fn summary(cloud: &FaultyCloud<SandboxCloud>) -> Vec<(usize, String, &'static str)> {
    cloud
        .calls()
        .into_iter()
        .map(|r| {
            let kind = match r.outcome {
                Outcome::Read => "read",
                Outcome::Applied(_) => "applied",
                Outcome::Failed(_) => "failed",
                Outcome::Injected(_) => "injected",
                Outcome::Throttled(_) => "throttled",
                Outcome::ReplyLost(..) => "reply lost",
            };
            (r.number, r.operation, kind)
        })
        .collect()
}

fn row(number: usize, operation: &str, kind: &'static str) -> (usize, String, &'static str) {
    (number, operation.to_string(), kind)
}

#[tokio::test]
async fn failing_the_third_write_keeps_the_first_two_and_refuses_the_third_untouched() {
    let cloud = faulty(FaultPlan::none().fail_write(3));
    cloud.apply(&resource_policy()).await.unwrap();
    let seen = cloud.read_posture(&NoProgress).await.unwrap();
    cloud.apply(&endpoint_policy()).await.unwrap();
    let err = cloud.apply(&authorize()).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Service);
    assert_eq!(err.operation, "AuthorizeSecurityGroupIngress");
    assert_eq!(
        err.resource.as_deref(),
        Some("sg-0e9e9e9e9e9e9e9e9 (from sg-0a1a1a1a1a1a1a1a1)")
    );

    assert_eq!(seen, lab_after(&[resource_policy()]).await);
    let both = lab_after(&[resource_policy(), endpoint_policy()]).await;
    assert_eq!(inner_posture(&cloud).await, both);
    assert_eq!(cloud.read_posture(&NoProgress).await.unwrap(), both);

    // Only the third write fails: the same change goes through when tried again.
    cloud.apply(&authorize()).await.unwrap();
    assert_eq!(
        summary(&cloud),
        [
            row(1, "UpdateRestApi", "applied"),
            row(2, READ_OPERATION, "read"),
            row(3, "ModifyVpcEndpoint", "applied"),
            row(4, "AuthorizeSecurityGroupIngress", "injected"),
            row(5, READ_OPERATION, "read"),
            row(6, "AuthorizeSecurityGroupIngress", "applied"),
        ]
    );
    assert_eq!(
        cloud.applied_changes(),
        [resource_policy(), endpoint_policy(), authorize()]
    );
}

#[tokio::test]
async fn throttled_calls_never_reach_the_inner_cloud() {
    let cloud = faulty(FaultPlan::none().throttle_every(2, Counting::Calls));
    cloud.read_posture(&NoProgress).await.unwrap();
    let err = cloud.apply(&resource_policy()).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Throttled);
    assert_eq!(err.operation, "UpdateRestApi");
    assert_eq!(err.resource.as_deref(), Some("a1b2c3d4e5"));
    cloud.apply(&endpoint_policy()).await.unwrap();
    let err = cloud.read_posture(&NoProgress).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Throttled);
    assert_eq!(err.operation, READ_OPERATION);
    cloud.apply(&authorize()).await.unwrap();

    assert_eq!(
        inner_posture(&cloud).await,
        lab_after(&[endpoint_policy(), authorize()]).await
    );
    let calls = cloud.calls();
    assert_eq!(
        calls
            .iter()
            .map(|r| r.outcome.forwarded())
            .collect::<Vec<_>>(),
        [true, false, true, false, true]
    );
    assert_eq!(calls[1].change, Some(resource_policy()));
    assert_eq!(calls[1].resource.as_deref(), Some("a1b2c3d4e5"));
    assert_eq!(calls[0].resource, None);
    assert_eq!(
        summary(&cloud),
        [
            row(1, READ_OPERATION, "read"),
            row(2, "UpdateRestApi", "throttled"),
            row(3, "ModifyVpcEndpoint", "applied"),
            row(4, READ_OPERATION, "throttled"),
            row(5, "AuthorizeSecurityGroupIngress", "applied"),
        ]
    );
}

#[tokio::test]
async fn reads_can_be_failed_with_the_default_or_a_given_error() {
    let denied = CloudError::new(
        CloudErrorKind::AccessDenied,
        "GetRestApis",
        "AccessDeniedException: not allowed",
    );
    let cloud = faulty(FaultPlan::none().fail_call(1).fail(
        3,
        Counting::Calls,
        Some(denied.clone()),
    ));
    let err = cloud.read_posture(&NoProgress).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Service);
    assert_eq!(err.operation, READ_OPERATION);
    assert_eq!(err.resource, None);
    cloud.read_posture(&NoProgress).await.unwrap();
    assert_eq!(cloud.apply(&authorize()).await.unwrap_err(), denied);
    assert_eq!(inner_posture(&cloud).await, lab_after(&[]).await);
    assert_eq!(
        summary(&cloud),
        [
            row(1, READ_OPERATION, "injected"),
            row(2, READ_OPERATION, "read"),
            row(3, "AuthorizeSecurityGroupIngress", "injected"),
        ]
    );
    assert!(cloud.applied_changes().is_empty());
}

#[tokio::test]
async fn a_throttled_write_does_not_count_towards_the_failing_one() {
    let cloud = faulty(
        FaultPlan::none()
            .throttle_every(2, Counting::Writes)
            .fail_write(2),
    );
    cloud.read_posture(&NoProgress).await.unwrap();
    cloud.apply(&resource_policy()).await.unwrap();
    let throttled = cloud.apply(&endpoint_policy()).await.unwrap_err();
    assert_eq!(throttled.kind, CloudErrorKind::Throttled);
    // The retry is the second write that would reach the cloud: the one to fail.
    let failed = cloud.apply(&endpoint_policy()).await.unwrap_err();
    assert_eq!(failed.kind, CloudErrorKind::Service);
    assert_eq!(
        summary(&cloud),
        [
            row(1, READ_OPERATION, "read"),
            row(2, "UpdateRestApi", "applied"),
            row(3, "ModifyVpcEndpoint", "throttled"),
            row(4, "ModifyVpcEndpoint", "injected"),
        ]
    );
    assert_eq!(
        inner_posture(&cloud).await,
        lab_after(&[resource_policy()]).await
    );
}

#[tokio::test]
async fn the_inner_clouds_own_refusals_are_recorded_as_forwarded() {
    let cloud = faulty(FaultPlan::none());
    cloud.apply(&authorize()).await.unwrap();
    let err = cloud.apply(&authorize()).await.unwrap_err();
    assert!(
        err.message.starts_with("InvalidPermission.Duplicate"),
        "{err}"
    );
    let calls = cloud.calls();
    assert!(matches!(
        calls[0].outcome,
        Outcome::Applied(Applied::RuleAdded { .. })
    ));
    assert_eq!(calls[1].outcome, Outcome::Failed(err));
    assert!(calls[1].outcome.forwarded());
    assert_eq!(cloud.applied_changes(), [authorize()]);
    assert_eq!(cloud.label(), CloudLabel::Sandbox);
}

#[tokio::test]
async fn a_seeded_share_throttles_the_same_calls_every_time() {
    async fn pattern(plan: FaultPlan) -> Vec<bool> {
        let cloud = faulty(plan);
        let mut throttled = Vec::new();
        for _ in 0..200 {
            let r = cloud.read_posture(&NoProgress).await;
            throttled.push(r.is_err_and(|e| e.kind == CloudErrorKind::Throttled));
        }
        throttled
    }
    let share = |seed| FaultPlan::none().throttle_share(300, seed, Counting::Calls);
    let a = pattern(share(7)).await;
    assert_eq!(a, pattern(share(7)).await);
    assert_ne!(a, pattern(share(8)).await);
    let count = a.iter().filter(|t| **t).count();
    assert!((30..=90).contains(&count), "{count} of 200 throttled");
    let none = FaultPlan::none().throttle_share(0, 7, Counting::Calls);
    assert!(pattern(none).await.iter().all(|t| !t));
    let all = FaultPlan::none().throttle_share(1000, 7, Counting::Calls);
    assert!(pattern(all).await.iter().all(|t| *t));
    // Counting writes only, reads are never throttled.
    let writes = FaultPlan::none().throttle_share(1000, 7, Counting::Writes);
    assert!(pattern(writes).await.iter().all(|t| !t));
}

#[tokio::test]
async fn wraps_a_shared_dyn_cloud_and_is_one_itself() {
    let inner: Arc<dyn Cloud> = Arc::new(SandboxCloud::lab());
    let cloud: Arc<dyn Cloud> = Arc::new(FaultyCloud::new(
        inner.clone(),
        FaultPlan::none().fail_write(1),
    ));
    assert_eq!(
        cloud.apply(&resource_policy()).await.unwrap_err().kind,
        CloudErrorKind::Service
    );
    cloud.apply(&resource_policy()).await.unwrap();
    assert_eq!(
        inner.read_posture(&NoProgress).await.unwrap(),
        lab_after(&[resource_policy()]).await
    );
}

#[tokio::test]
async fn a_lost_reply_makes_the_change_but_answers_with_a_timeout() {
    let cloud = faulty(FaultPlan::none().lose_reply(2));
    cloud.apply(&resource_policy()).await.unwrap();
    let err = cloud.apply(&authorize()).await.unwrap_err();
    assert_eq!(err.kind, CloudErrorKind::Unreachable);
    assert!(err.to_string().contains("timed out"), "{err}");
    cloud.apply(&endpoint_policy()).await.unwrap();
    assert_eq!(
        summary(&cloud),
        vec![
            row(1, "UpdateRestApi", "applied"),
            row(2, "AuthorizeSecurityGroupIngress", "reply lost"),
            row(3, "ModifyVpcEndpoint", "applied"),
        ]
    );
    assert!(cloud.calls()[1].outcome.forwarded());
    let all = [resource_policy(), authorize(), endpoint_policy()];
    assert_eq!(cloud.applied_changes(), all.to_vec());
    assert_eq!(inner_posture(&cloud).await, lab_after(&all).await);
}
