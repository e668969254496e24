//! How long the assessment of a large account takes (every control, evaluator included).
//!
//! `cargo bench --bench assess` measures an account of 300 APIs of 40 methods each behind 10
//! shared endpoints with 20 callers; under `cargo test` it runs once on a small account as a
//! smoke test. Goal: a whole large account assessed well under a second on one core, so the
//! posture browser shows findings as soon as the reads finish.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::model::{ApiResource, Instance, Posture};
use ztharden::steps::assess;

fn large_account(apis: usize, methods_per_api: usize, endpoints: usize, callers: usize) -> Posture {
    let mut p = SandboxCloud::lab_posture();
    let template_api = p.apis.iter().find(|a| a.name == "orders").unwrap().clone();
    let template_endpoint = p.endpoints[0].clone();
    let template_instance = p.instances[0].clone();
    let method = template_api.resources.as_ref().unwrap()[1].methods[0].clone();
    p.endpoints = (0..endpoints)
        .map(|i| {
            let mut e = template_endpoint.clone();
            e.id = format!("vpce-{i:017x}");
            e
        })
        .collect();
    p.apis = (0..apis)
        .map(|i| {
            let mut a = template_api.clone();
            a.id = format!("api{i:07}");
            a.name = format!("api-{i}");
            a.vpc_endpoint_ids = vec![p.endpoints[i % endpoints].id.clone()];
            a.resources = Some(
                (0..methods_per_api)
                    .map(|m| ApiResource {
                        id: format!("r{m}"),
                        path: format!("/things/{m}"),
                        methods: vec![method.clone()],
                    })
                    .collect(),
            );
            a
        })
        .collect();
    p.instances = (0..callers)
        .map(|i| Instance {
            id: format!("i-{i:017x}"),
            role_arn: Some(format!("arn:aws:iam::111122223333:role/caller-{i}")),
            ..template_instance.clone()
        })
        .collect();
    p
}

fn time(posture: &Posture, rounds: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(assess(black_box(posture)));
    }
    start.elapsed() / rounds
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    if !measuring {
        let small = large_account(3, 4, 1, 2);
        assert!(!assess(&small).is_empty());
        return;
    }
    for (apis, methods, endpoints, callers) in [(30, 10, 2, 4), (300, 40, 10, 20)] {
        let p = large_account(apis, methods, endpoints, callers);
        let per_run = time(&p, 3);
        println!(
            "assess: {apis} APIs x {methods} methods, {endpoints} endpoints, {callers} callers: {per_run:?} per run"
        );
    }
}
