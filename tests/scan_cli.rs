//! `ztharden scan` as a user runs it: exit codes, the JSON contract, the table.

use std::process::{Command, Output};

fn ztharden(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ztharden"))
        .args(args)
        // Keep the user's AWS settings and log directory out of the tests.
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env(
            "XDG_STATE_HOME",
            std::env::temp_dir().join("ztharden-test-state"),
        )
        .output()
        .expect("the binary runs")
}

#[test]
fn demo_scan_json_is_the_stable_contract() {
    let out = ztharden(&["--demo", "scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "the lab has failing controls");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["account"], "111122223333");
    assert_eq!(doc["region"], "us-east-1");
    let findings = doc["findings"].as_array().unwrap();
    for f in findings {
        for key in ["control", "status", "reason", "resource_arn"] {
            assert!(
                f.get(key).is_some_and(|v| v.is_string()),
                "{key} missing in {f}"
            );
        }
        assert!(
            [
                "iam-auth",
                "resource-policy",
                "endpoint-policy",
                "endpoint-sg"
            ]
            .contains(&f["control"].as_str().unwrap())
        );
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
    assert_eq!(get_orders["api_id"], "a1b2c3d4e5");
    assert!(
        get_orders.get("security_group_id").is_none(),
        "fields only where they apply"
    );
    let sg = findings
        .iter()
        .find(|f| f["control"] == "endpoint-sg")
        .unwrap();
    assert_eq!(sg["security_group_id"], "sg-0e9e9e9e9e9e9e9e9");
    assert_eq!(sg["status"], "fail");
    let summary = &doc["summary"];
    for control in [
        "iam-auth",
        "resource-policy",
        "endpoint-policy",
        "endpoint-sg",
    ] {
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
    let out = ztharden(&["--demo", "scan"]);
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
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ztharden"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("ztharden-no-home"))
        .env("AWS_CONFIG_FILE", "/nonexistent/ztharden-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/ztharden-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    if keys {
        cmd.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing");
    }
    let out = cmd.output().expect("the binary runs");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    (out.status.code(), err)
}

const UNREACHABLE: [&str; 5] = [
    "--region",
    "us-east-1",
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
    let out = ztharden(&["--demo", "--profile", "prod", "scan"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--demo") && err.contains("--profile"), "{err}");
}
