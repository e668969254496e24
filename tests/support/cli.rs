//! Running the binary as a user does: one [`Bin`] for every CLI test, and shorthands on it.
//! Each run has its own state directory (`--state-dir`, with `XDG_STATE_HOME` inside it), no
//! terminal on stdin, and nothing of the user's AWS or ztharden setup:
//! - [`ztharden`], [`ztharden_with`]: the user's AWS and ztharden variables removed, for
//!   `--demo` and for what needs no AWS;
//! - [`ztharden_moto`], [`ztharden_moto_with`]: against a moto server, in an environment of
//!   its own: the test keys, the lab's region, no config or credentials files, no instance
//!   metadata;
//! - [`ztharden_scratch`]: in a state directory of its own, removed after the run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::Moto;
use super::lab::{ORDERS, REGION};

/// The variables of the user's setup that a run must not see.
const USER_VARS: [&str; 7] = [
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "ZTHARDEN_READ_ONLY",
    "ZTHARDEN_STATE_DIR",
    "NO_COLOR",
];

/// One run of the binary, built up.
pub struct Bin {
    cmd: Command,
}

impl Bin {
    /// The binary with `--state-dir STATE`, the user's AWS and ztharden variables removed.
    pub fn new(state: &Path) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ztharden"));
        for var in USER_VARS {
            cmd.env_remove(var);
        }
        Self { cmd }.in_state(state)
    }

    /// The binary with `--state-dir STATE` and no environment but `PATH` and `HOME` (STATE):
    /// no AWS config or credentials files, no instance metadata, no keys.
    pub fn isolated(state: &Path) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ztharden"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", state)
            .env("AWS_CONFIG_FILE", "/nonexistent/ztharden-config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/ztharden-credentials",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true");
        Self { cmd }.in_state(state)
    }

    /// [`isolated`](Self::isolated), against `moto` with the test keys in the lab's region.
    pub fn moto(moto: &Moto, state: &Path) -> Self {
        Self::isolated(state)
            .keys()
            .args(&["--region", REGION, "--endpoint-url", &moto.url])
    }

    fn in_state(mut self, state: &Path) -> Self {
        self.cmd
            .arg("--state-dir")
            .arg(state)
            .env("XDG_STATE_HOME", state.join("xdg"))
            .stdin(Stdio::null());
        self
    }

    /// The static test keys (moto takes any).
    pub fn keys(self) -> Self {
        self.env(&[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ])
    }

    pub fn env(mut self, vars: &[(&str, &str)]) -> Self {
        self.cmd.envs(vars.iter().copied());
        self
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.cmd.args(args);
        self
    }

    /// Runs it with `args` to the end.
    pub fn run(mut self, args: &[&str]) -> Output {
        self.cmd.args(args).output().expect("the binary runs")
    }
}

pub fn ztharden(state: &Path, args: &[&str]) -> Output {
    Bin::new(state).run(args)
}

pub fn ztharden_with(state: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Bin::new(state).env(env).run(args)
}

pub fn ztharden_moto(moto: &Moto, state: &Path, args: &[&str]) -> Output {
    Bin::moto(moto, state).run(args)
}

pub fn ztharden_moto_with(
    moto: &Moto,
    state: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    Bin::moto(moto, state).env(env).run(args)
}

/// [`ztharden`] in a state directory of its own, removed after the run: for what keeps no
/// state worth looking at (scans, plans).
pub fn ztharden_scratch(args: &[&str]) -> Output {
    let state = tempfile::tempdir().expect("a temporary state directory");
    ztharden(state.path(), args)
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

/// [`both`] and the moto server's log, for failures of a run against it.
pub fn with_log(out: &Output, moto: &Moto) -> String {
    format!(
        "--- stdout\n{}--- stderr\n{}--- moto log\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        moto.log()
    )
}

/// The journal files under `state`, by name (so by time).
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
