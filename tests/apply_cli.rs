//! `ztharden apply` as a user runs it on the sandbox: the real binary, each test with its
//! own state directory.

mod support;

use std::path::Path;

use support::cli::*;
use support::lab::{ACCOUNT, CONTROLS, ORDERS};

#[test]
fn apply_yes_makes_every_change_verifies_and_journals_privately() {
    let dir = tempfile::tempdir().unwrap();
    let path = plan(dir.path());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let n = change_count(&path);
    let out = ztharden(
        dir.path(),
        &["--demo", "apply", path.to_str().unwrap(), "--yes"],
    );
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    // The summary before, the report after.
    assert!(
        text.starts_with(&format!("Plan {}\n", path.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "  account {ACCOUNT}, region us-east-1, plan made {}\n",
            doc["created_at"].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(text.contains("  iam-auth: 5 UpdateMethod\n"), "{text}");
    assert!(
        text.contains("    GET /orders of a1b2c3d4e5: authorization NONE -> AWS_IAM\n"),
        "{text}"
    );
    assert!(text.contains(&format!("{n} changes in all.\n")), "{text}");
    assert!(
        text.contains(&format!(
            "Apply: Complete ({n} applied, 0 failed, 0 not run)"
        )),
        "{text}"
    );
    let orders = text
        .find("  orders (a1b2c3d4e5)\n")
        .expect("orders is verified");
    for control in CONTROLS {
        let line = format!("    {control:<16} PASS\n");
        assert!(text[orders..].contains(&line), "{line} missing:\n{text}");
    }
    assert!(
        text.contains(&format!("  {n} applied changes are in effect.")),
        "{text}"
    );
    // Progress on stderr, as it happens.
    assert!(err.contains(&format!("[1/{n}] started: ")), "{err}");
    assert!(
        err.contains(&format!(
            "[{n}/{n}] applied: redeploy stage prod of {ORDERS} (deployment "
        )),
        "{err}"
    );
    // The journal: named in the report, 0600 in a 0700 directory.
    let files = journals(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let id = files[0].file_stem().unwrap().to_str().unwrap();
    assert!(
        text.contains(&format!("Journal: {id} ({})\n", files[0].display())),
        "{text}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&dir.path().join("journals")), 0o700);
}

#[test]
fn without_a_terminal_it_asks_for_yes_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = plan(dir.path());
    let out = ztharden(dir.path(), &["--demo", "apply", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert_eq!(
        stderr(&out),
        "ztharden: no terminal to confirm on: pass --yes to apply without asking\n"
    );
    assert!(journals(dir.path()).is_empty());

    let (_, id) = applied(dir.path());
    let out = ztharden(dir.path(), &["--demo", "rollback", &id]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out)
            .ends_with("no terminal to confirm on: pass --yes to roll back without asking\n"),
        "{}",
        both(&out)
    );
    assert_eq!(journals(dir.path()).len(), 1);
}

#[test]
fn read_only_refuses_apply_and_rollback_before_anything() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = applied(dir.path());
    let plan = path.to_str().unwrap();
    for (args, env) in [
        (
            vec!["--read-only", "--demo", "apply", plan, "--yes"],
            vec![],
        ),
        (
            vec!["--demo", "apply", plan, "--yes"],
            vec![("ZTHARDEN_READ_ONLY", "1")],
        ),
        (
            vec!["--demo", "rollback", "--yes"],
            vec![("ZTHARDEN_READ_ONLY", "true")],
        ),
        (
            vec!["--read-only", "--demo", "rollback", &id, "--yes"],
            vec![],
        ),
    ] {
        let out = ztharden_with(dir.path(), &args, &env);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", both(&out));
        assert!(
            stderr(&out).starts_with("ztharden: ztharden runs read-only (--read-only or ZTHARDEN_READ_ONLY): nothing was changed"),
            "{args:?}: {}",
            both(&out)
        );
        assert!(
            stdout(&out).is_empty(),
            "nothing shown to confirm: {}",
            both(&out)
        );
        assert_eq!(journals(dir.path()).len(), 1, "{args:?}: no new journal");
    }
    // A falsey value is off: a fresh sandbox takes the plan again.
    let out = ztharden_with(
        dir.path(),
        &["--demo", "apply", plan, "--yes"],
        &[("ZTHARDEN_READ_ONLY", "0")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(journals(dir.path()).len(), 2);
}

#[test]
fn a_plan_for_another_account_or_region_is_refused_before_asking() {
    let dir = tempfile::tempdir().unwrap();
    let path = plan(dir.path());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for (field, value, here) in [
        ("account", "999988887777", ACCOUNT),
        ("region", "eu-west-1", "us-east-1"),
    ] {
        let mut edited = doc.clone();
        edited[field] = value.into();
        let other = dir.path().join(format!("other-{field}.json"));
        std::fs::write(&other, edited.to_string()).unwrap();
        // Without --yes: refused before the question would be asked.
        for extra in [&[][..], &["--yes"][..]] {
            let mut args = vec!["--demo", "apply", other.to_str().unwrap()];
            args.extend(extra);
            let out = ztharden(dir.path(), &args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{}", both(&out));
            assert!(err.contains(value) && err.contains(here), "{err}");
            assert!(err.contains("nothing was changed"), "{err}");
            assert!(!err.contains("no terminal"), "{err}");
            assert!(journals(dir.path()).is_empty());
        }
    }
}

#[test]
fn a_bad_plan_file_is_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let old = dir.path().join("old.json");
    std::fs::write(&old, r#"{"version": 0, "steps": []}"#).unwrap();
    let missing = dir.path().join("missing.json");
    for (file, says) in [
        (&bad, "is not JSON"),
        (&old, "is plan format 0, this ztharden reads format 1"),
        (&missing, "cannot be read"),
    ] {
        let out = ztharden(
            dir.path(),
            &["--demo", "apply", file.to_str().unwrap(), "--yes"],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{}", both(&out));
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!(
                "ztharden: the plan file {} {says}",
                file.display()
            )),
            "{err}"
        );
        assert!(stdout(&out).is_empty(), "{}", both(&out));
    }
    assert!(journals(dir.path()).is_empty());
}
