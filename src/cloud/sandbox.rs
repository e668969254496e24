//! The built-in sandbox: an in-memory account seeded from `assets/sandbox/lab.json`.
//!
//! It is the guide's architecture plus the cases an operator meets in real accounts (a shared
//! endpoint, an API already signed, a custom authorizer, a REGIONAL API). `--demo` and the tests
//! use it; it answers like the AWS adapter, with no network.

mod writes;

use std::path::Path;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{Applied, Cloud, CloudError, CloudErrorKind, CloudLabel, Progress, ReadEvent};
use crate::model::Posture;
use crate::plan::Change;

/// The lab scenario shipped inside the binary.
pub const LAB_JSON: &str = include_str!("../../assets/sandbox/lab.json");

/// An in-memory account.
#[derive(Debug)]
pub struct SandboxCloud {
    state: Mutex<Posture>,
    /// Numbers for the ids of what writes create (deployments, rules).
    created: Mutex<u64>,
}

impl SandboxCloud {
    /// The built-in lab.
    pub fn lab() -> Self {
        Self::from_json(LAB_JSON, "the built-in lab").expect("the built-in lab fixture is valid")
    }

    /// A scenario from a JSON file (the serde form of a posture).
    pub fn from_file(path: &Path) -> Result<Self, CloudError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CloudError::new(CloudErrorKind::Config, "load sandbox", e.to_string())
                .on(path.display().to_string())
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    /// A scenario from JSON text; `source` names it in errors.
    pub fn from_json(text: &str, source: &str) -> Result<Self, CloudError> {
        let posture: Posture = serde_json::from_str(text).map_err(|e| {
            CloudError::new(CloudErrorKind::Config, "load sandbox", e.to_string()).on(source)
        })?;
        check_references(&posture)
            .map_err(|m| CloudError::new(CloudErrorKind::Config, "load sandbox", m).on(source))?;
        Ok(Self::from_posture(posture))
    }

    /// A scenario built in code (tests build variants of the lab this way).
    pub fn from_posture(posture: Posture) -> Self {
        Self {
            state: Mutex::new(posture.into_canonical()),
            created: Mutex::new(0),
        }
    }

    /// The lab's posture, for tests that build variants of it.
    pub fn lab_posture() -> Posture {
        let posture: Posture =
            serde_json::from_str(LAB_JSON).expect("the built-in lab fixture is valid");
        posture.into_canonical()
    }

    fn snapshot(&self) -> Posture {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Every id a scenario refers to must exist in it (endpoints' groups and VPCs, instances' groups).
fn check_references(p: &Posture) -> Result<(), String> {
    for e in &p.endpoints {
        if p.vpc(&e.vpc_id).is_none() {
            return Err(format!(
                "endpoint {} is in VPC {} which is not defined",
                e.id, e.vpc_id
            ));
        }
        for g in &e.security_group_ids {
            if p.security_group(g).is_none() {
                return Err(format!(
                    "endpoint {} uses security group {g} which is not defined",
                    e.id
                ));
            }
        }
    }
    for i in &p.instances {
        for g in &i.security_group_ids {
            if p.security_group(g).is_none() {
                return Err(format!(
                    "instance {} uses security group {g} which is not defined",
                    i.id
                ));
            }
        }
    }
    Ok(())
}

#[async_trait]
impl Cloud for SandboxCloud {
    fn label(&self) -> CloudLabel {
        CloudLabel::Sandbox
    }

    async fn read_posture(&self, progress: &dyn Progress) -> Result<Posture, CloudError> {
        let posture = self.snapshot();
        progress.report(ReadEvent::Started("REST APIs".into()));
        let total = posture.apis.len();
        for (i, api) in posture.apis.iter().enumerate() {
            progress.report(ReadEvent::Read {
                what: format!("resources and stages of {}", api.name),
                done: i + 1,
                total,
            });
        }
        progress.report(ReadEvent::Started("VPC endpoints".into()));
        progress.report(ReadEvent::Started("security groups".into()));
        progress.report(ReadEvent::Started("instances".into()));
        Ok(posture)
    }

    /// Makes the change in memory, all or nothing, refusing what AWS refuses.
    async fn apply(&self, change: &Change) -> Result<Applied, CloudError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut created = self.created.lock().unwrap_or_else(|e| e.into_inner());
        let mut fresh = || {
            *created += 1;
            *created
        };
        let mut next = state.clone();
        let applied = writes::apply(&mut next, change, &mut fresh)?;
        *state = next.into_canonical();
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::NoProgress;

    #[tokio::test]
    async fn the_lab_is_the_guides_architecture() {
        let p = SandboxCloud::lab().read_posture(&NoProgress).await.unwrap();
        assert_eq!(p.account.as_str(), "111122223333");
        assert_eq!(p.region.as_str(), "us-east-1");
        let names: Vec<_> = p.apis.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["inventory", "orders", "status"], "sorted by name");
        assert_eq!(p.endpoints.len(), 1);
        assert_eq!(p.apis_behind(&p.endpoints[0].id).count(), 2);
        let orders = p.api("a1b2c3d4e5").unwrap();
        assert_eq!(orders.methods().count(), 7);
        assert!(orders.policy.as_ref().unwrap().parsed().is_ok());
        assert!(p.endpoints[0].policy.as_ref().unwrap().parsed().is_ok());
        let roles: Vec<_> = p
            .instances
            .iter()
            .filter_map(|i| i.role_arn.as_deref())
            .collect();
        assert_eq!(
            roles,
            [
                "arn:aws:iam::111122223333:role/service-a-role",
                "arn:aws:iam::111122223333:role/service-c-role"
            ]
        );
    }

    #[tokio::test]
    async fn a_stage_goes_back_to_a_deployment_and_an_unknown_stage_is_refused() {
        let cloud = SandboxCloud::lab();
        let before = cloud.read_posture(&NoProgress).await.unwrap();
        let back = |stage: &str| Change::RestoreStage {
            api_id: "a1b2c3d4e5".into(),
            stage: stage.into(),
            expected_deployment_id: "dnew".into(),
            deployment_id: "dold1".into(),
        };
        let err = cloud.apply(&back("ghost")).await.unwrap_err();
        assert_eq!(err.kind, CloudErrorKind::InvalidInput);
        assert!(
            err.to_string()
                .contains("UpdateStage failed on a1b2c3d4e5 stage ghost"),
            "{err}"
        );
        assert_eq!(cloud.read_posture(&NoProgress).await.unwrap(), before);
        assert_eq!(cloud.apply(&back("prod")).await.unwrap(), Applied::Done);
        let p = cloud.read_posture(&NoProgress).await.unwrap();
        let stages = p.api("a1b2c3d4e5").unwrap().stages.clone().unwrap();
        assert_eq!(stages[0].deployment_id.as_deref(), Some("dold1"));
    }

    #[tokio::test]
    async fn every_write_creates_fresh_ids_and_a_failed_one_changes_nothing() {
        let cloud = SandboxCloud::lab();
        let redeploy = Change::Redeploy {
            api_id: "a1b2c3d4e5".into(),
            stage: "prod".into(),
            expected_deployment_id: None,
            description: "ztharden".into(),
        };
        let first = cloud.apply(&redeploy).await.unwrap();
        let second = cloud.apply(&redeploy).await.unwrap();
        assert_ne!(first, second);
        let p = cloud.read_posture(&NoProgress).await.unwrap();
        let stages = p.api("a1b2c3d4e5").unwrap().stages.clone().unwrap();
        let Applied::Deployed { deployment_id } = second else {
            panic!("{second:?}")
        };
        assert_eq!(stages[0].deployment_id, Some(deployment_id));

        let authorize = |source: &str| Change::AuthorizeIngress {
            group_id: "sg-0e9e9e9e9e9e9e9e9".into(),
            source_group_id: source.into(),
            port: 443,
            description: "HTTPS".into(),
        };
        let a = cloud
            .apply(&authorize("sg-0a1a1a1a1a1a1a1a1"))
            .await
            .unwrap();
        let c = cloud
            .apply(&authorize("sg-0c3c3c3c3c3c3c3c3"))
            .await
            .unwrap();
        assert_ne!(a, c);
        let before = cloud.read_posture(&NoProgress).await.unwrap();
        let err = cloud
            .apply(&authorize("sg-0a1a1a1a1a1a1a1a1"))
            .await
            .unwrap_err();
        assert!(
            err.message.starts_with("InvalidPermission.Duplicate"),
            "{err}"
        );
        assert_eq!(cloud.read_posture(&NoProgress).await.unwrap(), before);
    }

    #[test]
    fn a_broken_fixture_says_what_is_wrong() {
        let mut p = SandboxCloud::lab_posture();
        p.endpoints[0].security_group_ids.push("sg-404".into());
        let err =
            SandboxCloud::from_json(&serde_json::to_string(&p).unwrap(), "x.json").unwrap_err();
        assert!(err.to_string().contains("sg-404"), "{err}");
        assert!(err.to_string().contains("x.json"), "{err}");
        let err = SandboxCloud::from_json("{", "y.json").unwrap_err();
        assert_eq!(err.kind, CloudErrorKind::Config);
    }
}
