//! `ztharden journal` and `ztharden rollback` as a user runs them on the sandbox: the real
//! binary, each test with its own state directory.

mod support;

use support::cli::*;
use support::lab::ACCOUNT;

#[test]
fn journal_lists_and_shows_without_any_aws_setup() {
    let dir = tempfile::tempdir().unwrap();
    let empty = ztharden(dir.path(), &["journal"]);
    assert_eq!(empty.status.code(), Some(0), "{}", both(&empty));
    assert_eq!(
        stdout(&empty),
        format!("no journals in {}\n", dir.path().join("journals").display())
    );
    let (_, id) = applied(dir.path());
    // No region, no credentials, an unusable profile: `journal` never connects.
    let no_aws = [
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_PROFILE", "nobody"),
    ];
    let out = ztharden_with(dir.path(), &["journal"], &no_aws);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let row = text
        .lines()
        .find(|l| l.starts_with(&id))
        .expect("the apply is listed");
    for word in [
        "apply",
        ACCOUNT,
        "us-east-1",
        "complete",
        "iam-auth,resource-policy,endpoint-policy,endpoint-sg",
    ] {
        assert!(row.contains(word), "{word} missing: {row}");
    }
    let demo = ztharden(dir.path(), &["--demo", "journal"]);
    assert_eq!(stdout(&demo), text, "--demo changes nothing");

    let out = ztharden_with(dir.path(), &["journal", "--format", "json"], &no_aws);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["journals"][0]["id"], id.as_str());
    assert_eq!(doc["journals"][0]["outcome"], "complete");
    assert_eq!(doc["journals"][0]["kind"], "apply");

    let out = ztharden_with(dir.path(), &["journal", "show", &id], &no_aws);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(text.starts_with(&format!("Journal {id}\n")), "{text}");
    assert!(
        text.contains("\nRead just before the first write"),
        "{text}"
    );
    assert!(text.contains("] applied  "), "{text}");
    assert!(text.contains(": complete\n"), "{text}");

    let out = ztharden(
        dir.path(),
        &["journal", "show", "20990101T000000.000Z-000000"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).starts_with("ztharden: journal 20990101T000000.000Z-000000 cannot be read: "),
        "{}",
        both(&out)
    );
}

#[test]
fn rollback_in_a_new_demo_process_is_refused_for_drift() {
    // The sandbox lives in memory: the next process starts from the lab again, so what the
    // apply set is not there to roll back, and the drift check says so.
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = applied(dir.path());
    let out = ztharden(dir.path(), &["--demo", "rollback", "--yes"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        text.starts_with(&format!("Rollback of apply {id} (started ")),
        "{text}"
    );
    assert!(
        text.contains(
            "Rollback: Refused: the account changed since the plan (0 applied, 0 failed, "
        ),
        "{text}"
    );
    for drifted in [
        "  a1b2c3d4e5 GET /orders (resource ord1a2b3c4): authorization is NONE now, the plan expects AWS_IAM\n",
        "  vpce-0e9e9e9e9e9e9e9e9: the policy changed since the plan\n",
        "  a1b2c3d4e5 stage prod: the stage points at dep0rders1 now",
    ] {
        assert!(text.contains(drifted), "{drifted} missing:\n{text}");
    }
    let files = journals(dir.path());
    assert_eq!(files.len(), 2, "a refused journal is written: {files:?}");
    let listed = ztharden(dir.path(), &["journal", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let newest = &doc["journals"][0];
    assert_eq!(newest["kind"], "rollback");
    assert_eq!(newest["rolls_back"], id.as_str());
    assert_eq!(newest["outcome"], "refused-drift");
    assert_eq!(newest["applied"], 0);

    // The latest is now a rollback: say so rather than roll it back.
    let out = ztharden(dir.path(), &["--demo", "rollback", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("is itself a rollback"),
        "{}",
        both(&out)
    );
}

#[test]
fn nothing_to_roll_back_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = ztharden(dir.path(), &["--demo", "rollback", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "ztharden: nothing to roll back: no journals in {}\n",
            dir.path().join("journals").display()
        )
    );
    // A journal that applied nothing: the engine's message.
    let path = plan(dir.path());
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["steps"][0]["changes"][0]["expected"] = "CUSTOM".into();
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = ztharden(
        dir.path(),
        &["--demo", "apply", path.to_str().unwrap(), "--yes"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "refused for drift: {}",
        both(&out)
    );
    let out = ztharden(dir.path(), &["--demo", "rollback", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).starts_with("ztharden: nothing to roll back: journal ")
            && stderr(&out).contains("applied no change (refused: drift)"),
        "{}",
        both(&out)
    );
}
