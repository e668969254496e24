//! The journal on disk: round trips, permissions, crash tolerance, listings.

use std::path::Path;

use serde_json::json;
use time::macros::datetime;

use super::*;
use crate::cloud::Applied;
use crate::cloud::sandbox::SandboxCloud;
use crate::plan::{Inputs, build};
use crate::steps::Control;

const ORDERS: &str = "a1b2c3d4e5";

/// The whole-lab plan of every control for `orders`.
fn full_plan() -> Plan {
    let lab = SandboxCloud::lab_posture();
    let inputs = Inputs::infer(&lab, &[ORDERS.to_string()], &[]);
    build(&lab, &inputs, &Control::ALL, "2024-05-01T12:00:00Z")
}

fn start(plan: Plan) -> Start {
    let before = plan
        .changes()
        .enumerate()
        .map(|(index, c)| BeforeValue {
            index,
            resource: c.target().to_string(),
            found: json!({ "seen": c.summary() }),
        })
        .collect();
    Start {
        kind: JournalKind::Apply,
        rolls_back: None,
        account: plan.account.clone(),
        region: plan.region.clone(),
        plan,
        before,
    }
}

fn begin(dir: &Path, at: time::OffsetDateTime) -> JournalWriter {
    JournalWriter::begin_at(dir, start(full_plan()), at).expect("journal begins")
}

#[test]
fn a_journal_reads_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let plan = full_plan();
    let n = plan.changes().count();
    assert!(n >= 4, "the full plan has changes: {n}");
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:26:11.123456 UTC));
    assert!(w.id().starts_with("20261204T182611.123Z-"), "{}", w.id());
    assert_eq!(
        w.path(),
        journal_dir(dir.path()).join(format!("{}.jsonl", w.id()))
    );
    let id = w.id().to_string();
    for i in 0..n {
        let result = if i == 0 {
            Applied::RuleAdded {
                rule_id: "sgr-0123".into(),
            }
        } else {
            Applied::Done
        };
        w.record(i, ChangeOutcome::Applied { result }).unwrap();
    }
    let path = w.close(ApplyOutcome::Complete).unwrap();

    let j = load(&path).unwrap();
    assert_eq!(j.header.id, id);
    assert_eq!(j.header.version, JOURNAL_VERSION);
    assert_eq!(j.header.kind, JournalKind::Apply);
    assert_eq!(j.header.started_at, "2026-12-04T18:26:11.123Z");
    assert_eq!(
        (j.header.account.as_str(), j.header.region.as_str()),
        ("111122223333", "us-east-1")
    );
    assert_eq!(j.header.ztharden_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(j.header.plan, plan);
    assert_eq!(j.header.before.len(), n);
    assert_eq!(j.records.len(), n);
    for (i, (r, c)) in j.records.iter().zip(plan.changes()).enumerate() {
        assert_eq!((r.index, &r.change), (i, c));
        assert!(r.at.ends_with('Z'), "{}", r.at);
    }
    assert_eq!(
        j.records[0].outcome,
        ChangeOutcome::Applied {
            result: Applied::RuleAdded {
                rule_id: "sgr-0123".into()
            }
        }
    );
    assert_eq!(j.closing.map(|c| c.outcome), Some(ApplyOutcome::Complete));
    assert_eq!(j.torn, None);
    assert_eq!(load_id(dir.path(), &id).unwrap().header.id, id);
}

#[test]
fn every_line_is_a_tagged_json_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    w.record(
        0,
        ChangeOutcome::Failed {
            message: "AccessDenied: no".into(),
        },
    )
    .unwrap();
    let path = w.close(ApplyOutcome::StoppedAtFailure).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let tags: Vec<(String, Option<String>)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["record"].as_str().unwrap().to_string(),
                v["outcome"].as_str().map(String::from),
            )
        })
        .collect();
    let n = full_plan().changes().count();
    assert_eq!(tags.len(), n + 2);
    assert_eq!(tags[0], ("header".to_string(), None));
    assert_eq!(tags[1], ("change".to_string(), Some("failed".to_string())));
    assert!(
        tags[2..=n]
            .iter()
            .all(|t| t == &("change".to_string(), Some("not-run".to_string())))
    );
    assert_eq!(
        tags[n + 1],
        (
            "closing".to_string(),
            Some("stopped-at-failure".to_string())
        )
    );
}

#[cfg(unix)]
#[test]
fn the_file_is_0600_and_the_directory_0700() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let jdir = journal_dir(dir.path());
    std::fs::create_dir_all(&jdir).unwrap();
    std::fs::set_permissions(&jdir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(w.path()), 0o600);
    assert_eq!(mode(&jdir), 0o700);

    let fresh = tempfile::tempdir().unwrap();
    let state = fresh.path().join("a/b");
    let w = begin(&state, datetime!(2026-12-04 18:00 UTC));
    assert_eq!(mode(w.path()), 0o600);
    assert_eq!(mode(&journal_dir(&state)), 0o700);
}

#[test]
fn each_record_is_on_disk_when_the_writer_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    assert_eq!(w.synced_records(), 1);
    let j = load(w.path()).unwrap();
    assert_eq!(
        (j.records.len(), j.closing.is_none(), j.torn.is_none()),
        (0, true, true)
    );
    w.record(
        1,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    assert_eq!(w.synced_records(), 2);
    let j = load(w.path()).unwrap();
    assert_eq!(j.records.iter().map(|r| r.index).collect::<Vec<_>>(), [1]);
    assert_eq!(
        list(dir.path()).unwrap().entries[0].outcome_label(),
        "interrupted"
    );
}

#[test]
fn the_writer_refuses_records_the_plan_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    let n = full_plan().changes().count();
    w.record(0, ChangeOutcome::NotRun).unwrap();
    assert!(matches!(
        w.record(0, ChangeOutcome::NotRun),
        Err(JournalError::Invalid(_))
    ));
    assert!(matches!(
        w.record(n, ChangeOutcome::NotRun),
        Err(JournalError::Invalid(_))
    ));
    assert!(matches!(
        w.close(ApplyOutcome::Complete),
        Err(JournalError::Invalid(_))
    ));

    let mut s = start(full_plan());
    s.kind = JournalKind::Rollback;
    assert!(JournalWriter::begin(dir.path(), s.clone()).is_err());
    s.rolls_back = Some("20261204T180000.000Z-000001".into());
    let w = JournalWriter::begin(dir.path(), s).unwrap();
    let j = load(w.path()).unwrap();
    assert_eq!(
        j.header.rolls_back.as_deref(),
        Some("20261204T180000.000Z-000001")
    );
}

#[test]
fn a_torn_last_line_is_tolerated_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    w.record(
        0,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    w.record(
        1,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    let path = w.path().to_path_buf();
    drop(w);
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.trim_end().len() - 10;
    std::fs::write(&path, &text[..cut]).unwrap();

    let j = load(&path).unwrap();
    assert_eq!(j.records.iter().map(|r| r.index).collect::<Vec<_>>(), [0]);
    assert!(
        j.torn.as_deref().is_some_and(|t| t.starts_with("line 3")),
        "{:?}",
        j.torn
    );
    assert_eq!(j.applied_changes().len(), 1);
    assert!(list(dir.path()).unwrap().entries[0].torn);

    // A whole last record without its newline is torn too; a bad line before the last is not.
    let whole = text.trim_end();
    std::fs::write(&path, whole).unwrap();
    assert!(load(&path).unwrap().torn.is_some());
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&path, format!("{}\n{{oops\n{}\n", lines[0], lines[1])).unwrap();
    assert!(matches!(
        load(&path),
        Err(JournalError::Corrupt { line: 2, .. })
    ));
    std::fs::write(&path, format!("{}\n", lines[1])).unwrap();
    assert!(matches!(
        load(&path),
        Err(JournalError::Corrupt { line: 1, .. })
    ));
}

#[test]
fn the_listing_is_newest_first_with_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    assert!(list(dir.path()).unwrap().entries.is_empty());
    assert!(latest(dir.path()).unwrap().is_none());

    let mut old = begin(dir.path(), datetime!(2026-12-03 09:00 UTC));
    old.record(
        0,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    old.record(
        1,
        ChangeOutcome::Failed {
            message: "Throttled for good".into(),
        },
    )
    .unwrap();
    let old_id = old.id().to_string();
    old.close(ApplyOutcome::StoppedAtFailure).unwrap();

    let new = begin(dir.path(), datetime!(2026-12-04 09:00 UTC));
    let new_id = new.id().to_string();
    let drifted = vec![Drifted {
        resource: ORDERS.into(),
        detail: "policy changed".into(),
    }];
    new.close(ApplyOutcome::RefusedDrift {
        drifted: drifted.clone(),
    })
    .unwrap();

    std::fs::write(journal_dir(dir.path()).join("notes.txt"), "not a journal").unwrap();
    std::fs::write(
        journal_dir(dir.path()).join("20261201T000000.000Z-aaaaaa.jsonl"),
        "{}\n",
    )
    .unwrap();

    let listing = list(dir.path()).unwrap();
    let ids: Vec<&str> = listing.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [new_id.as_str(), old_id.as_str()]);
    assert_eq!(listing.unreadable.len(), 1);
    let n = full_plan().changes().count();
    let [first, second] = &listing.entries[..] else {
        panic!("two entries")
    };
    assert_eq!(first.started_at, "2026-12-04T09:00:00Z");
    assert_eq!(
        (first.account.as_str(), first.region.as_str()),
        ("111122223333", "us-east-1")
    );
    assert_eq!(first.controls, Control::ALL);
    assert_eq!(first.outcome, Some(ApplyOutcome::RefusedDrift { drifted }));
    assert_eq!((first.applied, first.failed, first.not_run), (0, 0, n));
    assert_eq!(second.outcome_label(), "stopped at failure");
    assert_eq!(
        (second.applied, second.failed, second.not_run),
        (1, 1, n - 2)
    );
    assert_eq!(latest(dir.path()).unwrap().unwrap().id(), new_id);
}

#[test]
fn applied_changes_are_exactly_those_recorded_applied() {
    let dir = tempfile::tempdir().unwrap();
    let plan = full_plan();
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    w.record(
        0,
        ChangeOutcome::Applied {
            result: Applied::Done,
        },
    )
    .unwrap();
    w.record(
        1,
        ChangeOutcome::Applied {
            result: Applied::Deployed {
                deployment_id: "dep-1".into(),
            },
        },
    )
    .unwrap();
    w.record(
        2,
        ChangeOutcome::Failed {
            message: "BadRequestException".into(),
        },
    )
    .unwrap();
    let path = w.close(ApplyOutcome::StoppedAtFailure).unwrap();
    let j = load(&path).unwrap();
    let applied: Vec<(usize, &Change)> = j
        .applied_changes()
        .iter()
        .map(|r| (r.index, &r.change))
        .collect();
    let planned: Vec<&Change> = plan.changes().collect();
    assert_eq!(applied, [(0, planned[0]), (1, planned[1])]);
}

#[test]
fn bad_ids_are_refused_before_touching_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["", "../x", "a/b", ".hidden", "x y"] {
        assert!(
            matches!(load_id(dir.path(), id), Err(JournalError::Invalid(_))),
            "{id:?}"
        );
    }
}

#[test]
fn a_journal_of_a_full_plan_holds_no_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = begin(dir.path(), datetime!(2026-12-04 18:00 UTC));
    let n = full_plan().changes().count();
    for i in 0..n {
        w.record(
            i,
            ChangeOutcome::Applied {
                result: Applied::Done,
            },
        )
        .unwrap();
    }
    let path = w.close(ApplyOutcome::Complete).unwrap();
    let text = std::fs::read_to_string(path).unwrap().to_ascii_lowercase();
    assert!(text.contains("a1b2c3d4e5") && text.contains("execute-api"));
    for needle in [
        "aws_secret",
        "aws_secret_access_key",
        "secret_access_key",
        "secretaccesskey",
        "session_token",
        "sessiontoken",
        "x-amz-security-token",
        "akia",
        "asia",
    ] {
        assert!(!text.contains(needle), "the journal contains {needle:?}");
    }
}
