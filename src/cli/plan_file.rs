//! Reading a plan file written by `ztharden plan --out`: each way it can be wrong is one line
//! that names the file and says what to do.

use std::path::Path;

use ztharden::plan::{PLAN_VERSION, Plan};

/// The plan in `path`, or a one-line reason it cannot be used.
pub fn read(path: &Path) -> Result<Plan, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "the plan file {shown} cannot be read: {e}; pass the file `ztharden plan --out` wrote"
        )
    })?;
    parse(&text).map_err(|why| format!("the plan file {shown} {why}"))
}

/// The plan in `text`, or what is wrong with it (to follow "the plan file X").
fn parse(text: &str) -> Result<Plan, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!("is not JSON ({e}); pass the file `ztharden plan --out` wrote, unedited")
    })?;
    let version = doc.get("version").and_then(serde_json::Value::as_u64);
    match version {
        None => {
            return Err(
                "is not a ztharden plan (it has no format version); make one with `ztharden plan --out FILE`"
                    .into(),
            );
        }
        Some(v) if v != u64::from(PLAN_VERSION) => {
            return Err(format!(
                "is plan format {v}, this ztharden reads format {PLAN_VERSION}; make a new plan with `ztharden plan --out FILE`"
            ));
        }
        Some(_) => {}
    }
    serde_json::from_value(doc).map_err(|e| {
        format!(
            "is not a valid ztharden plan ({e}); make a new one with `ztharden plan --out FILE`"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_json() -> serde_json::Value {
        let lab = ztharden::cloud::sandbox::SandboxCloud::lab_posture();
        let inputs = ztharden::plan::Inputs::infer(&lab, &["a1b2c3d4e5".to_string()], &[]);
        let plan = ztharden::plan::build(
            &lab,
            &inputs,
            &ztharden::steps::Control::ALL,
            "2026-01-01T00:00:00Z",
        );
        serde_json::to_value(plan).unwrap()
    }

    #[test]
    fn a_written_plan_reads_back() {
        let doc = plan_json();
        let plan = parse(&doc.to_string()).unwrap();
        assert_eq!(serde_json::to_value(plan).unwrap(), doc);
    }

    #[test]
    fn each_error_is_one_line_saying_what_to_do() {
        let mut other_version = plan_json();
        other_version["version"] = 7.into();
        let mut no_version = plan_json();
        no_version.as_object_mut().unwrap().remove("version");
        let mut no_steps = plan_json();
        no_steps.as_object_mut().unwrap().remove("steps");
        for (text, says) in [
            ("{ not json".to_string(), "is not JSON"),
            (
                other_version.to_string(),
                "is plan format 7, this ztharden reads format 1",
            ),
            (no_version.to_string(), "has no format version"),
            ("[1, 2]".to_string(), "has no format version"),
            (no_steps.to_string(), "missing field `steps`"),
        ] {
            let why = parse(&text).unwrap_err();
            assert!(why.contains(says), "{says} not in: {why}");
            assert!(why.contains("ztharden plan"), "no next step in: {why}");
            assert_eq!(why.lines().count(), 1, "{why}");
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.json");
        let why = read(&path).unwrap_err();
        assert!(why.starts_with(&format!("the plan file {} cannot be read", path.display())));
        assert_eq!(why.lines().count(), 1, "{why}");
    }
}
