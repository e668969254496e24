//! Helpers shared by the integration tests (`mod support;` in a test file).
//!
//! - [`moto`]: a moto server per test (own free port, killed on drop), seeded from the
//!   sandbox fixture, and an `AwsCloud` pointed at it.
//! - [`ids`]: the map from the fixture's ids to moto's, and postures translated through it.
//! - [`mocks`]: SDK clients answered by `aws-smithy-mocks` rules, for what moto cannot do
//!   (paging, denied calls, throttling); [`world`]: a small account answered by such mocks.
//! - [`account`]: one scenario on both the sandbox and moto seeded with the lab;
//!   [`normal`]: postures and findings as two reads of the same account compare;
//!   [`scenario`]: plans for one API, engines and journals for apply tests.
//! - [`lab`]: the lab's ids, the one place they are spelled.
//! - [`cli`]: the binary run as a user runs it (on the sandbox or against moto);
//!   [`pty`]: the binary in a pseudo-terminal.
#![allow(dead_code, unused_imports)]

pub mod account;
pub mod cli;
pub mod ids;
pub mod keys;
pub mod lab;
pub mod mocks;
pub mod moto;
pub mod normal;
pub mod pty;
pub mod scenario;
pub mod world;

use std::path::PathBuf;

use ztharden::model::Posture;

pub use ids::IdMap;
pub use moto::Moto;

pub use lab::{ACCOUNT, REGION};

/// The crate's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sandbox fixture's path.
pub fn lab_path() -> PathBuf {
    root().join("assets/sandbox/lab.json")
}

/// The sandbox posture, as the fixture describes it.
pub fn lab_posture() -> Posture {
    let text = std::fs::read_to_string(lab_path()).expect("read assets/sandbox/lab.json");
    serde_json::from_str(&text).expect("assets/sandbox/lab.json is a Posture")
}

/// A posture with every list in a stable order, so two reads compare with `==`.
pub fn canonical(mut p: Posture) -> Posture {
    p.apis.sort_by(|a, b| a.id.cmp(&b.id));
    for api in &mut p.apis {
        api.vpc_endpoint_ids.sort();
        if let Some(resources) = &mut api.resources {
            resources.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.id.cmp(&b.id)));
            for r in resources.iter_mut() {
                r.methods.sort_by(|a, b| a.http_method.cmp(&b.http_method));
            }
        }
        if let Some(stages) = &mut api.stages {
            stages.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    p.endpoints.sort_by(|a, b| a.id.cmp(&b.id));
    for e in &mut p.endpoints {
        e.subnet_ids.sort();
        e.security_group_ids.sort();
    }
    p.security_groups.sort_by(|a, b| a.id.cmp(&b.id));
    for g in &mut p.security_groups {
        if let Some(rules) = &mut g.ingress {
            rules.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
        }
    }
    p.vpcs.sort_by(|a, b| a.id.cmp(&b.id));
    p.instances.sort_by(|a, b| a.id.cmp(&b.id));
    for i in &mut p.instances {
        i.security_group_ids.sort();
    }
    p.gaps
        .sort_by(|a, b| (&a.resource, &a.operation).cmp(&(&b.resource, &b.operation)));
    p
}
