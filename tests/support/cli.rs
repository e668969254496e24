//! Running the binary as a user does, for the apply, rollback and journal tests: each with
//! its own state directory, nothing of the user's AWS or ztharden setup, no terminal.
//! Included with `#[path = "support/cli.rs"] mod cli;`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const ACCOUNT: &str = "111122223333";
pub const ORDERS: &str = "a1b2c3d4e5";
pub const CONTROLS: [&str; 4] = [
    "iam-auth",
    "resource-policy",
    "endpoint-policy",
    "endpoint-sg",
];

/// The binary with `--state-dir STATE`, nothing of the user's AWS or ztharden setup, and no
/// terminal on stdin.
pub fn ztharden_with(state: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ztharden"));
    cmd.arg("--state-dir").arg(state).args(args);
    for var in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "ZTHARDEN_READ_ONLY",
        "ZTHARDEN_STATE_DIR",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("XDG_STATE_HOME", state.join("xdg"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

pub fn ztharden(state: &Path, args: &[&str]) -> Output {
    ztharden_with(state, args, &[])
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 output")
}

pub fn both(out: &Output) -> String {
    format!("--- stdout\n{}--- stderr\n{}", stdout(out), stderr(out))
}

/// The journal files under `state`.
pub fn journals(state: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(state.join("journals")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// Plans every control of orders on the sandbox into `STATE/p.json`.
pub fn plan(state: &Path) -> PathBuf {
    let path = state.join("p.json");
    let out = ztharden(
        state,
        &[
            "--demo",
            "plan",
            "--control",
            "all",
            "--api",
            ORDERS,
            "--out",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    path
}

/// Plans and applies; returns the plan file and the journal id.
pub fn applied(state: &Path) -> (PathBuf, String) {
    let path = plan(state);
    let out = ztharden(state, &["--demo", "apply", path.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let files = journals(state);
    assert_eq!(files.len(), 1, "{files:?}");
    let id = files[0].file_stem().unwrap().to_str().unwrap().to_string();
    (path, id)
}

/// How many changes the plan file at `path` has.
pub fn change_count(path: &Path) -> usize {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["changes"].as_array().unwrap().len())
        .sum()
}
