//! The listing and the single-journal view, on journals written as the engine writes them:
//! complete, refused, interrupted with a torn line, a rollback, and a file that is not one.

use std::io::Write;
use std::path::Path;

use time::macros::datetime;

use super::*;
use ztharden::apply::{BeforeValue, ChangeOutcome, Drifted, JournalWriter, Start, load_id};
use ztharden::cloud::Applied;
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::plan::{Inputs, Plan, build};
use ztharden::steps::Control;

fn plan() -> Plan {
    let lab = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&lab, &["a1b2c3d4e5".to_string()], &[]);
    build(&lab, &inputs, &Control::ALL, "2026-12-04T17:00:00Z")
}

fn start(kind: JournalKind, rolls_back: Option<&str>) -> Start {
    let plan = plan();
    let before = plan
        .changes()
        .enumerate()
        .map(|(index, c)| BeforeValue {
            index,
            resource: c.target().to_string(),
            found: if index == 0 {
                serde_json::Value::Null
            } else {
                serde_json::Value::String("x".repeat(100))
            },
        })
        .collect();
    Start {
        kind,
        rolls_back: rolls_back.map(String::from),
        account: plan.account.clone(),
        region: plan.region.clone(),
        plan,
        before,
    }
}

/// Four journals and a broken file; returns their ids, oldest first.
fn write_journals(state: &Path) -> Vec<String> {
    let n = plan().changes().count();
    let mut ids = Vec::new();

    let mut w = JournalWriter::begin_at(
        state,
        start(JournalKind::Apply, None),
        datetime!(2026-12-04 18:00:00 UTC),
    )
    .unwrap();
    for i in 0..n {
        let result = if i == 0 {
            Applied::RuleAdded {
                rule_id: "sgr-new".into(),
            }
        } else {
            Applied::Done
        };
        w.record(i, ChangeOutcome::Applied { result }).unwrap();
    }
    ids.push(w.id().to_string());
    w.close(ApplyOutcome::Complete).unwrap();

    let mut w = JournalWriter::begin_at(
        state,
        start(JournalKind::Apply, None),
        datetime!(2026-12-04 18:01:00 UTC),
    )
    .unwrap();
    for i in 0..n {
        w.record(i, ChangeOutcome::NotRun).unwrap();
    }
    ids.push(w.id().to_string());
    let drifted = vec![Drifted {
        resource: "sg-0e9e9e9e9e9e9e9e9".into(),
        detail: "a rule was added".into(),
    }];
    w.close(ApplyOutcome::RefusedDrift { drifted }).unwrap();

    let mut w = JournalWriter::begin_at(
        state,
        start(JournalKind::Rollback, Some(&ids[0])),
        datetime!(2026-12-04 18:02:00 UTC),
    )
    .unwrap();
    w.record(
        0,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    w.record(
        1,
        ChangeOutcome::Failed {
            message: "AccessDenied: not allowed".into(),
        },
    )
    .unwrap();
    ids.push(w.id().to_string());
    w.close(ApplyOutcome::StoppedAtFailure).unwrap();

    let mut w = JournalWriter::begin_at(
        state,
        start(JournalKind::Apply, None),
        datetime!(2026-12-04 18:03:00 UTC),
    )
    .unwrap();
    w.record(
        0,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    ids.push(w.id().to_string());
    let path = w.path().to_path_buf();
    drop(w);
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(br#"{"record":"change","ind"#).unwrap();

    std::fs::write(
        journal_dir(state).join("20261204T175900.000Z-000000.jsonl"),
        "not json\n",
    )
    .unwrap();
    ids
}

#[test]
fn the_table_lists_newest_first_with_counts_and_markers() {
    let dir = tempfile::tempdir().unwrap();
    let ids = write_journals(dir.path());
    let listing = apply::list(dir.path()).unwrap();
    let text = table(&listing, &journal_dir(dir.path()));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ID  "), "{text}");
    for col in [
        "STARTED", "KIND", "ACCOUNT", "REGION", "CONTROLS", "OUTCOME", "APPLIED", "FAILED",
        "NOT RUN",
    ] {
        assert!(lines[0].contains(col), "{col}: {text}");
    }
    let n = plan().changes().count();
    let row = |id: &str| {
        *lines
            .iter()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id}:\n{text}"))
    };
    // Newest first.
    let at: Vec<usize> = ids
        .iter()
        .map(|id| {
            lines
                .iter()
                .position(|l| l.starts_with(id.as_str()))
                .unwrap()
        })
        .collect();
    assert_eq!(at, vec![4, 3, 2, 1], "{text}");
    let words = |l: &str| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    let complete = words(row(&ids[0]));
    assert_eq!(&complete[1..4], ["2026-12-04", "18:00:00", "UTC"]);
    assert_eq!(complete[4], "apply");
    assert_eq!(
        &complete[5..8],
        [
            "111122223333",
            "us-east-1",
            "iam-auth,resource-policy,endpoint-policy,endpoint-sg"
        ]
    );
    assert_eq!(&complete[8..], ["complete", &n.to_string(), "0", "0"]);
    let tail = |id: &str, k: usize| {
        let w = words(row(id));
        w[w.len() - k..].join(" ")
    };
    assert_eq!(tail(&ids[1], 5), format!("refused: drift 0 0 {n}"));
    assert!(
        row(&ids[2]).contains(&format!("rollback of {}", ids[0])),
        "{text}"
    );
    // Closing after a failure records the changes after it as not run.
    assert_eq!(
        tail(&ids[2], 6),
        format!("stopped at failure 1 1 {}", n - 2)
    );
    let torn = row(&ids[3]);
    assert!(
        torn.contains("interrupted") && torn.ends_with("torn"),
        "{torn}"
    );
    assert!(
        text.contains("\ntorn: the last line was cut short"),
        "{text}"
    );
    assert!(text.contains("\nCould not be read:\n  "), "{text}");
    let broken = journal_dir(dir.path()).join("20261204T175900.000Z-000000.jsonl");
    assert!(
        text.contains(&format!("\n  {}, line 1: no header\n", broken.display())),
        "{text}"
    );
}

#[test]
fn the_json_listing_has_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let ids = write_journals(dir.path());
    let n = plan().changes().count();
    let doc = to_json(&apply::list(dir.path()).unwrap(), &journal_dir(dir.path()));
    let journals = doc["journals"].as_array().unwrap();
    let got: Vec<&str> = journals.iter().map(|j| j["id"].as_str().unwrap()).collect();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.reverse();
    assert_eq!(got, expected);
    let outcomes: Vec<&str> = journals
        .iter()
        .map(|j| j["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "interrupted",
            "stopped-at-failure",
            "refused-drift",
            "complete"
        ]
    );
    assert_eq!(journals[1]["kind"], "rollback");
    assert_eq!(journals[1]["rolls_back"], ids[0].as_str());
    assert_eq!(journals[3]["rolls_back"], serde_json::Value::Null);
    assert_eq!(
        journals[2]["drifted"][0]["resource"],
        "sg-0e9e9e9e9e9e9e9e9"
    );
    assert_eq!(journals[0]["torn"], true);
    assert_eq!(
        (
            journals[1]["applied"].as_u64(),
            journals[1]["failed"].as_u64(),
            journals[1]["not_run"].as_u64()
        ),
        (Some(1), Some(1), Some(n as u64 - 2))
    );
    assert_eq!(journals[3]["controls"][0], "iam-auth");
    assert_eq!(journals[3]["account"], "111122223333");
    assert!(journals[3]["path"].as_str().unwrap().ends_with(".jsonl"));
    assert_eq!(doc["unreadable"].as_array().unwrap().len(), 1);
    assert!(
        doc["unreadable"][0]["error"]
            .as_str()
            .unwrap()
            .contains("line 1"),
        "{doc}"
    );
}

#[test]
fn nothing_recorded_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let jdir = journal_dir(dir.path());
    let text = table(&apply::list(dir.path()).unwrap(), &jdir);
    assert_eq!(text, format!("no journals in {}\n", jdir.display()));
}

#[test]
fn show_prints_header_values_read_changes_and_closing() {
    let dir = tempfile::tempdir().unwrap();
    let ids = write_journals(dir.path());
    let plan = plan();
    let n = plan.changes().count();
    let first = plan.changes().next().unwrap().summary();

    let text = journal_show::text(&load_id(dir.path(), &ids[0]).unwrap());
    assert!(text.starts_with(&format!("Journal {}\n", ids[0])), "{text}");
    for line in [
        "  kind:      apply\n".to_string(),
        "  account:   111122223333, region us-east-1\n".to_string(),
        "  started:   2026-12-04 18:00:00 UTC (ztharden ".to_string(),
        format!("  plan:      made 2026-12-04 17:00:00 UTC, {n} changes: "),
        format!("  [1] {first}\n      "),
        ": none\n".to_string(),
        format!("{}... (100 characters)\n", "x".repeat(72)),
        "  [1] applied  2026-".to_string(),
        format!("{first} (rule sgr-new)\n"),
        "Closed ".to_string(),
        ": complete\n".to_string(),
    ] {
        assert!(text.contains(&line), "{line:?} missing:\n{text}");
    }

    let refused = journal_show::text(&load_id(dir.path(), &ids[1]).unwrap());
    assert!(
        refused.contains(": refused: drift\n  sg-0e9e9e9e9e9e9e9e9: a rule was added\n"),
        "{refused}"
    );

    let rollback = journal_show::text(&load_id(dir.path(), &ids[2]).unwrap());
    assert!(
        rollback.contains(&format!("  kind:      rollback of {}\n", ids[0])),
        "{rollback}"
    );
    assert!(rollback.contains("] FAILED   2026-"), "{rollback}");
    assert!(
        rollback.contains("\n      AccessDenied: not allowed\n"),
        "{rollback}"
    );

    let torn = journal_show::text(&load_id(dir.path(), &ids[3]).unwrap());
    assert!(
        torn.contains("Not closed: the apply was interrupted"),
        "{torn}"
    );
    assert!(
        torn.contains("\nTorn: the last line was cut short (line "),
        "{torn}"
    );
    assert!(torn.contains("  no record of [2], [3]"), "{torn}");
}

#[test]
fn times_read_in_utc_and_odd_ones_as_they_are() {
    assert_eq!(when("2026-12-04T18:26:11.123Z"), "2026-12-04 18:26:11 UTC");
    assert_eq!(when("2026-12-04T19:26:11+01:00"), "2026-12-04 18:26:11 UTC");
    assert_eq!(when("yesterday"), "yesterday");
}
