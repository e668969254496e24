//! The AWS adapter against a moto server seeded with the sandbox scenario: the posture read
//! through the SDK is the sandbox's, once moto's ids are mapped back to the fixture's.

mod support;

use std::sync::Mutex;

use support::{Moto, canonical, lab_posture};
use ztharden::cloud::{Cloud, CloudLabel, NoProgress, ReadEvent};
use ztharden::model::{AuthorizationType, Posture, RuleSource};

async fn read(moto: &Moto) -> Posture {
    moto.cloud()
        .await
        .read_posture(&NoProgress)
        .await
        .unwrap_or_else(|e| panic!("read_posture failed: {e}\n--- moto log ---\n{}", moto.log()))
}

#[tokio::test]
async fn the_seeded_posture_reads_back_as_the_sandbox() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.seed();
    let read = read(&moto).await;
    assert!(read.gaps.is_empty(), "unexpected gaps: {:#?}", read.gaps);
    let expected = canonical(lab_posture());
    let got = canonical(ids.to_fixture_ids(&read));

    // Piece by piece first, for readable failures.
    assert_eq!(got.account, expected.account);
    assert_eq!(got.region, expected.region);
    let names = |p: &Posture| p.apis.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&expected));
    for (g, e) in got.apis.iter().zip(&expected.apis) {
        assert_eq!(
            g.endpoint_types, e.endpoint_types,
            "endpoint types of {}",
            e.name
        );
        assert_eq!(
            g.vpc_endpoint_ids, e.vpc_endpoint_ids,
            "endpoints of {}",
            e.name
        );
        assert_eq!(
            g.resources, e.resources,
            "resources and methods of {}",
            e.name
        );
        assert_eq!(g.stages, e.stages, "stages of {}", e.name);
        assert_eq!(
            g.policy.as_ref().map(|p| p.parsed().ok().cloned()),
            e.policy.as_ref().map(|p| p.parsed().ok().cloned()),
            "resource policy of {}",
            e.name
        );
    }
    assert_eq!(got.endpoints, expected.endpoints);
    assert_eq!(got.vpcs, expected.vpcs);
    assert_eq!(got.security_groups, expected.security_groups);
    assert_eq!(got.instances, expected.instances);
    // Then the whole: nothing else differs.
    assert_eq!(got, expected);
}

#[tokio::test]
async fn raw_moto_values_keep_their_shapes() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.seed();
    let read = read(&moto).await;

    let inventory = read.api(ids.moto("f6g7h8i9j0")).expect("the inventory API");
    let custom = inventory
        .methods()
        .find(|(r, m)| r.path == "/items/{sku}" && m.http_method == "PUT")
        .map(|(_, m)| m)
        .expect("PUT /items/{sku}");
    assert_eq!(custom.authorization_type, AuthorizationType::Custom);
    assert_eq!(
        custom.authorizer_id.as_deref(),
        Some(ids.moto("auth0sku01"))
    );

    // The resource policy comes back JSON-escaped, as AWS returns it, and still parses.
    let policy = inventory.policy.as_ref().expect("a resource policy");
    assert!(
        policy.raw().starts_with(r#"{\"Version\""#),
        "{}",
        policy.raw()
    );
    assert!(policy.parsed().is_ok(), "{:?}", policy.parsed());
    assert!(policy.raw().contains(ids.moto("vpce-0e9e9e9e9e9e9e9e9")));

    let endpoint_group = read
        .security_group(ids.moto("sg-0e9e9e9e9e9e9e9e9"))
        .unwrap();
    let rules = endpoint_group.ingress.as_ref().expect("ingress read");
    assert_eq!(rules.len(), 1, "egress rules are left out: {rules:?}");
    assert_eq!(rules[0].rule_id, ids.moto("sgr-0e9e9e9e9e9e90443"));
    assert_eq!(rules[0].source, RuleSource::Ipv4("0.0.0.0/0".into()));
    assert!(rules[0].admits_tcp(443));

    let service_a = read
        .instances
        .iter()
        .find(|i| i.name.as_deref() == Some("service-a"))
        .expect("service-a");
    assert_eq!(
        service_a.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/service-a-role")
    );
}

#[tokio::test]
async fn progress_is_reported_phase_by_phase() {
    let Some(moto) = Moto::start() else { return };
    moto.seed();
    let events = Mutex::new(Vec::new());
    let sink = |e: ReadEvent| events.lock().unwrap().push(e);
    moto.cloud().await.read_posture(&sink).await.expect("read");
    let events = events.into_inner().unwrap();
    let started: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::Started(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(started.first(), Some(&"caller identity"));
    assert!(started.contains(&"REST APIs"), "{started:?}");
    assert!(started.contains(&"VPC endpoints"), "{started:?}");
    let api_reads: Vec<(usize, usize)> = events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::Read { what, done, total } if what.starts_with("API ") => {
                Some((*done, *total))
            }
            _ => None,
        })
        .collect();
    assert_eq!(api_reads, [(1, 3), (2, 3), (3, 3)]);
    assert!(
        !events.iter().any(|e| matches!(e, ReadEvent::Gap(_))),
        "{events:?}"
    );
}

#[tokio::test]
async fn an_empty_account_reads_as_an_empty_posture() {
    let Some(moto) = Moto::start() else { return };
    moto.seed();
    moto.reset();
    let read = read(&moto).await;
    assert!(
        read.apis.is_empty() && read.endpoints.is_empty(),
        "{read:#?}"
    );
    assert!(read.instances.is_empty() && read.security_groups.is_empty());
    assert!(read.gaps.is_empty(), "{:?}", read.gaps);
    assert_eq!(read.account.as_str(), "111122223333");
}

#[tokio::test]
async fn the_label_names_the_endpoint() {
    let Some(moto) = Moto::start() else { return };
    let cloud = moto.cloud().await;
    assert_eq!(
        cloud.label(),
        CloudLabel::Aws {
            profile: None,
            endpoint_url: Some(moto.url.clone())
        }
    );
    assert_eq!(cloud.region().as_str(), "us-east-1");
}
