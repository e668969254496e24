//! Paging and call economy: every page of GetRestApis, GetResources and DescribeVpcEndpoints
//! is read, with the request shapes the adapter promises (limit 500, methods embedded, the
//! service filter); GetResources keeps to its quota; each instance profile is looked up once.

mod support;

use aws_sdk_apigateway::operation::get_resources::GetResourcesOutput;
use aws_sdk_apigateway::operation::get_rest_apis::GetRestApisOutput;
use aws_sdk_ec2::operation::describe_vpc_endpoints::DescribeVpcEndpointsOutput;
use aws_smithy_mocks::mock;
use support::mocks::Rules;
use support::world::{self, ORDERS, endpoint, resource, rest_api, world};
use ztharden::cloud::NoProgress;
use ztharden::cloud::aws::{Pacer, read_posture};
use ztharden::model::Posture;

async fn read(rules: Rules) -> Posture {
    let p = read_posture(&rules.clients(), &Pacer::get_resources(), &NoProgress)
        .await
        .expect("read");
    assert!(p.gaps.is_empty(), "{:#?}", p.gaps);
    p
}

#[tokio::test]
async fn every_page_of_rest_apis_is_read() {
    let page = |from: Option<&'static str>,
                next: Option<&'static str>,
                ids: &'static [&'static str]| {
        mock!(aws_sdk_apigateway::Client::get_rest_apis)
            .match_requests(move |r| r.position() == from && r.limit() == Some(500))
            .then_output(move || {
                let mut out = GetRestApisOutput::builder().set_position(next.map(str::to_string));
                for id in ids {
                    out = out.items(rest_api(id, &format!("api-{id}")));
                }
                out.build()
            })
    };
    let pages = [
        page(None, Some("p2"), &["c3", "a1"]),
        page(Some("p2"), Some("p3"), &["b2"]),
        page(Some("p3"), None, &["d4", "e5"]),
    ];
    let mut rules = Rules::new();
    for p in &pages {
        rules = rules.apigateway(p.clone());
    }
    let p = read(world(rules)).await;
    let ids: Vec<&str> = p.apis.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["a1", "b2", "c3", "d4", "e5"],
        "all pages, sorted by id"
    );
    assert!(pages.iter().all(|p| p.num_calls() == 1));
}

#[tokio::test]
async fn every_page_of_resources_is_read_with_methods_embedded() {
    let page = |from: Option<&'static str>,
                next: Option<&'static str>,
                paths: &'static [&'static str]| {
        mock!(aws_sdk_apigateway::Client::get_resources)
            .match_requests(move |r| {
                r.rest_api_id() == Some(ORDERS)
                    && r.position() == from
                    && r.limit() == Some(500)
                    && r.embed().iter().any(|e| e == "methods")
            })
            .then_output(move || {
                let mut out = GetResourcesOutput::builder().set_position(next.map(str::to_string));
                for path in paths {
                    out = out.items(resource(&format!("id{}", path.len()), path));
                }
                out.build()
            })
    };
    let pages = [
        page(None, Some("r2"), &["/orders/{id}/lines"]),
        page(Some("r2"), Some("r3"), &["/orders", "/orders/{id}"]),
        page(Some("r3"), None, &["/a"]),
    ];
    let mut rules = Rules::new();
    for p in &pages {
        rules = rules.apigateway(p.clone());
    }
    let p = read(world(rules)).await;
    let resources = p.api(ORDERS).unwrap().resources.as_ref().unwrap();
    let paths: Vec<&str> = resources.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/a", "/orders", "/orders/{id}", "/orders/{id}/lines"]
    );
    assert!(resources.iter().all(|r| r.methods.len() == 1));
    assert!(pages.iter().all(|p| p.num_calls() == 1));
}

#[tokio::test]
async fn a_repeated_position_token_ends_the_paging() {
    let stuck = mock!(aws_sdk_apigateway::Client::get_resources)
        .match_requests(|r| r.rest_api_id() == Some(ORDERS))
        .then_output(|| {
            GetResourcesOutput::builder()
                .items(resource("r1", "/orders"))
                .position("same")
                .build()
        });
    let p = read(world(Rules::new().apigateway(stuck.clone()))).await;
    assert_eq!(
        stuck.num_calls(),
        2,
        "the first page, then the token once; never a loop"
    );
    assert_eq!(
        p.api(ORDERS).unwrap().resources.as_ref().unwrap().len(),
        1,
        "no duplicates"
    );
}

#[tokio::test]
async fn every_page_of_endpoints_is_read_with_the_service_filter() {
    let wants_execute_api =
        |r: &aws_sdk_ec2::operation::describe_vpc_endpoints::DescribeVpcEndpointsInput| {
            r.filters().iter().any(|f| {
                f.name() == Some("service-name")
                    && f.values() == ["com.amazonaws.us-east-1.execute-api"]
            })
        };
    let first = mock!(aws_sdk_ec2::Client::describe_vpc_endpoints)
        .match_requests(move |r| r.next_token().is_none() && wants_execute_api(r))
        .then_output(|| {
            DescribeVpcEndpointsOutput::builder()
                .vpc_endpoints(endpoint("vpce-0000000000000003"))
                .vpc_endpoints(endpoint(world::ENDPOINT))
                .next_token("t2")
                .build()
        });
    let second = mock!(aws_sdk_ec2::Client::describe_vpc_endpoints)
        .match_requests(move |r| r.next_token() == Some("t2") && wants_execute_api(r))
        .then_output(|| {
            DescribeVpcEndpointsOutput::builder()
                .vpc_endpoints(endpoint("vpce-0000000000000002"))
                .build()
        });
    let p = read(world(Rules::new().ec2(first.clone()).ec2(second.clone()))).await;
    let ids: Vec<&str> = p.endpoints.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            world::ENDPOINT,
            "vpce-0000000000000002",
            "vpce-0000000000000003"
        ]
    );
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn get_resources_keeps_to_the_account_quota() {
    let ids: Vec<String> = (0..12).map(|i| format!("api{i:02}")).collect();
    let listed = ids.clone();
    let list = mock!(aws_sdk_apigateway::Client::get_rest_apis).then_output(move || {
        let mut out = GetRestApisOutput::builder();
        for id in &listed {
            out = out.items(rest_api(id, id));
        }
        out.build()
    });
    let start = tokio::time::Instant::now();
    let p = read(world(Rules::new().apigateway(list))).await;
    assert_eq!(p.apis.len(), 12);
    // 5 calls per 2 s: calls 6-10 wait for the second window, 11-12 for the third.
    assert!(
        start.elapsed() >= std::time::Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn each_instance_profile_is_resolved_once() {
    use aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput;
    use aws_sdk_ec2::types::{GroupIdentifier, IamInstanceProfile, Instance, Reservation};
    let instances = mock!(aws_sdk_ec2::Client::describe_instances).then_output(|| {
        let instance = |id: &str| {
            Instance::builder()
                .instance_id(id)
                .vpc_id(world::VPC)
                .security_groups(
                    GroupIdentifier::builder()
                        .group_id(world::CALLER_SG)
                        .build(),
                )
                .iam_instance_profile(
                    IamInstanceProfile::builder()
                        .arn(world::PROFILE_ARN)
                        .build(),
                )
                .build()
        };
        let reservation = Reservation::builder()
            .instances(instance("i-01"))
            .instances(instance("i-02"))
            .instances(instance("i-03"))
            .build();
        DescribeInstancesOutput::builder()
            .reservations(reservation)
            .build()
    });
    let rules = world(Rules::new().ec2(instances));
    let profile = rules.iam.last().cloned().expect("the world's profile rule");
    let p = read(rules).await;
    assert_eq!(p.instances.len(), 3);
    assert!(
        p.instances
            .iter()
            .all(|i| i.role_arn.as_deref() == Some(world::ROLE_ARN))
    );
    assert_eq!(profile.num_calls(), 1);
}
