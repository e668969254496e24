//! `apply` and `rollback` against moto seeded with the sandbox scenario: the real binary, the
//! real AWS adapter, and a scan before, between and after that says what each did.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::cli::{journals, with_log, ztharden_moto, ztharden_moto_with};
use support::lab::{ACCOUNT, CONTROLS, ENDPOINT, ENDPOINT_SG, ORDERS, REGION};
use support::{IdMap, Moto};

/// An account the credentials do not reach.
const OTHER_ACCOUNT: &str = "999988887777";

/// `scan --format json`, whole.
fn scan_doc(moto: &Moto, state: &Path) -> Value {
    let out = ztharden_moto(moto, state, &["scan", "--format", "json"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        with_log(&out, moto)
    );
    serde_json::from_slice(&out.stdout).expect("the scan is JSON")
}

/// `scan --format json`'s findings.
fn scan(moto: &Moto, state: &Path) -> Vec<Value> {
    scan_doc(moto, state)["findings"]
        .as_array()
        .expect("findings")
        .clone()
}

/// Plans every control of orders into `STATE/plan.json`.
fn plan_orders(moto: &Moto, ids: &IdMap, state: &Path) -> PathBuf {
    let plan = state.join("plan.json");
    let out = ztharden_moto(
        moto,
        state,
        &[
            "plan",
            "--control",
            "all",
            "--api",
            ids.moto(ORDERS),
            "--out",
            plan.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", with_log(&out, moto));
    plan
}

/// What a scan says, without its wording: each finding's control, status and resource.
fn normalised(findings: &[Value]) -> Vec<(String, String, String)> {
    let mut keys: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("control"), s("status"), s("resource_arn"))
        })
        .collect();
    keys.sort();
    keys
}

/// The findings on the orders path, by control: the API's own, its endpoint's and the
/// endpoint's group's (as the scan table groups them).
fn orders_path<'a>(findings: &'a [Value], ids: &IdMap, control: &str) -> Vec<&'a Value> {
    let (api, endpoint, group) = (ids.moto(ORDERS), ids.moto(ENDPOINT), ids.moto(ENDPOINT_SG));
    findings
        .iter()
        .filter(|f| f["control"] == control)
        .filter(|f| match control {
            "iam-auth" | "resource-policy" => f["api_id"] == api,
            "endpoint-policy" => {
                f["vpc_endpoint_id"] == endpoint && (f["api_id"].is_null() || f["api_id"] == api)
            }
            _ => f["security_group_id"] == group,
        })
        .collect()
}

#[test]
fn apply_hardens_orders_and_rollback_restores_what_the_scan_said() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.seed();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let plan = state.join("plan.json");

    let before = scan(&moto, state);
    assert_eq!(plan_orders(&moto, &ids, state), plan);

    let out = ztharden_moto(&moto, state, &["apply", plan.to_str().unwrap(), "--yes"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{}", with_log(&out, &moto));
    assert!(text.contains("Apply: Complete ("), "{text}");
    for control in CONTROLS {
        assert!(
            text.contains(&format!("    {control:<16} PASS\n")),
            "{control}: {text}"
        );
    }

    // Each control's status on the path is its worst finding's (skip counts as best), as the
    // scan table shows it.
    let hardened = scan(&moto, state);
    let rank = |f: &Value| {
        ["skip", "pass", "warn", "fail"]
            .iter()
            .position(|s| f["status"] == *s)
    };
    for control in CONTROLS {
        let found = orders_path(&hardened, &ids, control);
        let worst = found
            .iter()
            .copied()
            .max_by_key(|f| rank(f))
            .unwrap_or_else(|| panic!("no {control} finding on orders"));
        assert_eq!(worst["status"], "pass", "{control}: {worst:#}");
    }

    let out = ztharden_moto(&moto, state, &["rollback", "--yes"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{}", with_log(&out, &moto));
    assert!(text.contains("Rollback: Complete ("), "{text}");

    let after = scan(&moto, state);
    assert_eq!(normalised(&after), normalised(&before));
    assert_ne!(normalised(&hardened), normalised(&before));

    // Both runs are journaled, the rollback naming the apply.
    let out = ztharden_moto(&moto, state, &["journal", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let journals = doc["journals"].as_array().unwrap();
    assert_eq!(journals.len(), 2, "{doc:#}");
    assert_eq!(journals[0]["kind"], "rollback");
    assert_eq!(journals[0]["rolls_back"], journals[1]["id"]);
    assert_eq!(journals[0]["outcome"], "complete");
    assert_eq!(journals[1]["outcome"], "complete");
}

#[test]
fn read_only_refuses_apply_and_rollback_and_moto_is_untouched() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.seed();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let plan = plan_orders(&moto, &ids, state);
    let plan = plan.to_str().unwrap();
    let refused = |args: &[&str], env: &[(&str, &str)]| {
        let out = ztharden_moto_with(&moto, state, args, env);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            with_log(&out, &moto)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("ztharden: ztharden runs read-only (--read-only or ZTHARDEN_READ_ONLY): nothing was changed"),
            "{args:?}: {}",
            with_log(&out, &moto)
        );
    };

    // Read-only apply: nothing written to moto, no journal.
    let before = scan_doc(&moto, state);
    refused(&["--read-only", "apply", plan, "--yes"], &[]);
    assert_eq!(scan_doc(&moto, state), before, "the account is untouched");
    assert!(journals(state).is_empty(), "no journal");

    // A real apply to roll back; then a read-only rollback changes nothing.
    let out = ztharden_moto(&moto, state, &["apply", plan, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", with_log(&out, &moto));
    let hardened = scan_doc(&moto, state);
    assert_ne!(hardened, before);
    let applied = journals(state);
    assert_eq!(applied.len(), 1, "{applied:?}");
    refused(&["rollback", "--yes"], &[("ZTHARDEN_READ_ONLY", "1")]);
    assert_eq!(scan_doc(&moto, state), hardened, "the account is untouched");
    assert_eq!(journals(state), applied, "no rollback journal");
}

#[test]
fn a_plan_for_another_account_is_refused_on_moto_naming_both() {
    let Some(moto) = Moto::start() else { return };
    let ids = moto.seed();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path();
    let path = plan_orders(&moto, &ids, state);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(doc["account"], ACCOUNT);
    doc["account"] = OTHER_ACCOUNT.into();
    let other = state.join("other-account.json");
    std::fs::write(&other, doc.to_string()).unwrap();

    let before = scan_doc(&moto, state);
    let out = ztharden_moto(&moto, state, &["apply", other.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", with_log(&out, &moto));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "the plan is for account {OTHER_ACCOUNT} in {REGION}"
        )) && err.contains(&format!(
            "the credentials reach account {ACCOUNT} in {REGION}"
        )),
        "{}",
        with_log(&out, &moto)
    );
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(journals(state).is_empty(), "no journal");
    assert_eq!(scan_doc(&moto, state), before, "the account is untouched");
}
