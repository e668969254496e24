//! `ztharden scan` output: a readable table per API path, or the stable JSON contract.

use std::fmt::Write;

use serde::Serialize;

use crate::model::Posture;
use crate::steps::{Control, Finding, Status, Summary, api_paths};

/// The `scan --format json` document.
#[derive(Debug, Serialize)]
pub struct ScanReport<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub findings: &'a [Finding],
    pub summary: Summary,
}

impl<'a> ScanReport<'a> {
    pub fn new(posture: &'a Posture, findings: &'a [Finding]) -> Self {
        Self {
            account: posture.account.as_str(),
            region: posture.region.as_str(),
            findings,
            summary: Summary::of(findings),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scan report always serialises")
    }
}

/// The `scan --format table` text: one block per API path, then what is not on any path.
pub fn table(posture: &Posture, findings: &[Finding], source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ztharden scan: account {}, region {} ({source})",
        posture.account, posture.region
    );
    let paths = api_paths(posture);
    if paths.is_empty() {
        let _ = writeln!(out, "\nNo REST APIs in this account and region.");
    }
    for path in &paths {
        let api = posture
            .api(&path.api_id)
            .expect("paths come from the posture");
        let types: Vec<&str> = api.endpoint_types.iter().map(|t| t.as_str()).collect();
        let _ = write!(out, "\n{} ({}, {})", api.name, api.id, types.join("/"));
        if path.endpoint_ids.is_empty() {
            let _ = writeln!(out, ": no VPC endpoint");
        } else {
            let _ = writeln!(
                out,
                " via {} [{}]",
                path.endpoint_ids.join(", "),
                path.security_group_ids.join(", ")
            );
        }
        for control in Control::ALL {
            let status = path.status(findings, control);
            let _ = writeln!(out, "  {:<16} {}", control.id(), badge(status));
            for f in path.findings(findings, control) {
                if f.status != Status::Pass || path.findings(findings, control).count() == 1 {
                    let _ = writeln!(out, "    {:<5} {}", badge(Some(f.status)), f.reason);
                }
            }
        }
    }
    let loose: Vec<&Finding> = findings
        .iter()
        .filter(|f| !paths.iter().any(|p| p.concerns(f)))
        .collect();
    if !loose.is_empty() {
        let _ = writeln!(out, "\nEndpoints and groups serving no API of this account");
        for f in loose {
            let _ = writeln!(
                out,
                "  {:<16} {:<5} {}",
                f.control.id(),
                badge(Some(f.status)),
                f.reason
            );
        }
    }
    if !posture.gaps.is_empty() {
        let _ = writeln!(out, "\nCould not be read");
        for g in &posture.gaps {
            let _ = writeln!(out, "  {} on {}: {}", g.operation, g.resource, g.message);
        }
    }
    let summary = Summary::of(findings);
    let _ = writeln!(out, "\nSummary");
    for control in Control::ALL {
        let counts: Vec<String> = Status::ALL
            .iter()
            .map(|s| format!("{} {}", summary.count(control, *s), s))
            .collect();
        let _ = writeln!(out, "  {:<16} {}", control.id(), counts.join(", "));
    }
    out
}

fn badge(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Pass) => "PASS",
        Some(Status::Fail) => "FAIL",
        Some(Status::Warn) => "WARN",
        Some(Status::Skip) => "SKIP",
        None => "n/a",
    }
}
