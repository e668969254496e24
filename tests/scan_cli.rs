//! `ztharden scan` as a user runs it: exit codes, the JSON contract, the table.

mod support;

use support::cli::{Bin, ztharden_scratch};
use support::lab::{ACCOUNT, CONTROLS, ENDPOINT_SG, ORDERS, REGION};

#[test]
fn demo_scan_json_is_the_stable_contract() {
    let out = ztharden_scratch(&["--demo", "scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "the lab has failing controls");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["account"], ACCOUNT);
    assert_eq!(doc["region"], REGION);
    let findings = doc["findings"].as_array().unwrap();
    for f in findings {
        for key in ["control", "status", "reason", "resource_arn"] {
            assert!(
                f.get(key).is_some_and(|v| v.is_string()),
                "{key} missing in {f}"
            );
        }
        assert!(CONTROLS.contains(&f["control"].as_str().unwrap()));
        assert!(["pass", "fail", "warn", "skip"].contains(&f["status"].as_str().unwrap()));
        assert!(f["resource_arn"].as_str().unwrap().starts_with("arn:aws:"));
    }
    let get_orders = findings
        .iter()
        .find(|f| {
            f["control"] == "iam-auth"
                && f["api_name"] == "orders"
                && f["http_method"] == "GET"
                && f["path"] == "/orders"
        })
        .expect("GET /orders is judged");
    assert_eq!(get_orders["status"], "fail");
    assert_eq!(get_orders["api_id"], ORDERS);
    assert!(
        get_orders.get("security_group_id").is_none(),
        "fields only where they apply"
    );
    let sg = findings
        .iter()
        .find(|f| f["control"] == "endpoint-sg")
        .unwrap();
    assert_eq!(sg["security_group_id"], ENDPOINT_SG);
    assert_eq!(sg["status"], "fail");
    let summary = &doc["summary"];
    for control in CONTROLS {
        for status in ["pass", "fail", "warn", "skip"] {
            assert!(
                summary[control][status].is_u64(),
                "{control}/{status} missing"
            );
        }
    }
    assert_eq!(
        summary["iam-auth"]["fail"], 6,
        "5 orders methods and GET /health"
    );
    assert_eq!(summary["iam-auth"]["skip"], 2, "the two OPTIONS preflights");
    assert_eq!(summary["endpoint-sg"]["fail"], 1);
    let counted: u64 = summary
        .as_object()
        .unwrap()
        .values()
        .flat_map(|m| m.as_object().unwrap().values())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, findings.len());
}

#[test]
fn demo_scan_table_shows_every_path() {
    let out = ztharden_scratch(&["--demo", "scan"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("account 111122223333, region us-east-1 (SANDBOX)"),
        "{text}"
    );
    for api in [
        "orders (a1b2c3d4e5, PRIVATE) via vpce-0e9e9e9e9e9e9e9e9",
        "inventory (",
        "status (k1l2m3n4o5, REGIONAL): no VPC endpoint",
    ] {
        assert!(text.contains(api), "{api} missing in:\n{text}");
    }
    assert!(text.contains("Summary"));
}

/// Runs the binary with no AWS settings from the user: no profile files, no instance
/// metadata, and static test keys only when `keys` is set.
fn isolated(args: &[&str], keys: bool) -> (Option<i32>, String) {
    let state = tempfile::tempdir().unwrap();
    let bin = Bin::isolated(state.path());
    let out = if keys { bin.keys() } else { bin }.run(args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    (out.status.code(), err)
}

const UNREACHABLE: [&str; 5] = [
    "--region",
    REGION,
    "--endpoint-url",
    "http://127.0.0.1:9",
    "scan",
];

#[test]
fn no_region_is_a_clear_exit_2() {
    let (code, err) = isolated(&["scan"], true);
    assert_eq!(code, Some(2));
    assert!(err.contains("--region"), "{err}");
}

#[test]
fn unreachable_endpoint_is_a_clear_exit_2() {
    let (code, err) = isolated(&UNREACHABLE, true);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("endpoint-url") || err.contains("network"),
        "{err}"
    );
}

#[test]
fn missing_credentials_are_a_clear_exit_2() {
    let (code, err) = isolated(&UNREACHABLE, false);
    assert_eq!(code, Some(2));
    assert!(err.contains("no AWS credentials found"), "{err}");
    assert!(err.contains("--profile"), "says what to do: {err}");
}

#[test]
fn demo_and_profile_do_not_mix() {
    let out = ztharden_scratch(&["--demo", "--profile", "prod", "scan"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--demo") && err.contains("--profile"), "{err}");
}
