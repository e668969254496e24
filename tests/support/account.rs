//! One account a scenario runs on, written once for both: the sandbox, or moto seeded with
//! the lab. Each gives the cloud the engine writes through, its ids for the lab's resources,
//! and a way around that cloud for the changes "someone else" makes (the sandbox's own
//! writes, or the SDK clients called directly on moto).
//!
//! ```ignore
//! for mut account in Account::all().await {
//!     let orders = account.id(ORDERS);
//!     let start = account.read().await;
//!     // ... apply, compare ...
//!     account.fresh(); // the lab again, for the next run
//! }
//! ```

use std::sync::Arc;
use std::time::Duration;

use ztharden::cloud::aws::{AwsClients, AwsCloud, Pacer};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Cloud, CloudLabel, NoProgress};
use ztharden::model::Posture;
use ztharden::plan::Change;

use super::{IdMap, Moto, canonical};

/// The sandbox, or moto seeded with the lab.
pub struct Account {
    pub name: &'static str,
    cloud: Arc<dyn Cloud>,
    backend: Backend,
}

enum Backend {
    Sandbox(Arc<SandboxCloud>),
    Moto(Box<MotoBackend>),
}

struct MotoBackend {
    moto: Moto,
    ids: IdMap,
    /// For the changes made around the adapter.
    clients: AwsClients,
}

impl Account {
    /// The built-in lab, in memory.
    pub fn sandbox() -> Self {
        let sandbox = Arc::new(SandboxCloud::lab());
        Self {
            name: "sandbox",
            cloud: sandbox.clone(),
            backend: Backend::Sandbox(sandbox),
        }
    }

    /// A moto server seeded with the lab; `None` when moto is unavailable and not required.
    pub async fn moto() -> Option<Self> {
        let moto = Moto::start()?;
        let ids = moto.seed();
        let clients = moto.clients().await;
        // moto has no quota, and the scenarios read the account over and over: the adapter
        // is not held to API Gateway's `GetResources` quota here.
        let label = CloudLabel::Aws {
            profile: None,
            endpoint_url: Some(moto.url.clone()),
        };
        let cloud: Arc<dyn Cloud> = Arc::new(
            AwsCloud::from_clients(clients.clone(), label)
                .with_pacer(Pacer::new(usize::MAX, Duration::ZERO)),
        );
        Some(Self {
            name: "moto",
            cloud,
            backend: Backend::Moto(Box::new(MotoBackend { moto, ids, clients })),
        })
    }

    /// The sandbox, then moto when it is available.
    pub async fn all() -> Vec<Self> {
        let mut accounts = vec![Self::sandbox()];
        accounts.extend(Self::moto().await);
        accounts
    }

    /// The cloud the engine writes through.
    pub fn cloud(&self) -> Arc<dyn Cloud> {
        self.cloud.clone()
    }

    /// This account's id for a lab id.
    pub fn id(&self, lab_id: &str) -> String {
        match &self.backend {
            Backend::Sandbox(_) => lab_id.to_string(),
            Backend::Moto(m) => m.ids.moto(lab_id).to_string(),
        }
    }

    /// This account's id for `id` when it is one of the lab's, else `id` as it is (an id this
    /// account gave, or one no account has).
    pub fn own_id(&self, id: &str) -> String {
        match &self.backend {
            Backend::Sandbox(_) => id.to_string(),
            Backend::Moto(m) => m.ids.get(id).unwrap_or(id).to_string(),
        }
    }

    /// The posture, with this account's ids; a read that fails or has gaps fails the test.
    pub async fn read(&self) -> Posture {
        let p = self
            .cloud
            .read_posture(&NoProgress)
            .await
            .unwrap_or_else(|e| panic!("{}: read: {e}{}", self.name, self.log()));
        assert!(p.gaps.is_empty(), "{}: {:#?}", self.name, p.gaps);
        p
    }

    /// The posture with the lab's ids (moto's put back), every list in a stable order: what
    /// compares with the sandbox's, and with the lab.
    pub async fn read_lab(&self) -> Posture {
        let p = self.read().await;
        match &self.backend {
            Backend::Sandbox(_) => canonical(p),
            Backend::Moto(m) => canonical(m.ids.to_fixture_ids(&p)),
        }
    }

    /// Back to the lab as the fixture has it (moto: emptied and seeded again, with new ids).
    pub fn fresh(&mut self) {
        match &mut self.backend {
            Backend::Sandbox(sandbox) => {
                *sandbox = Arc::new(SandboxCloud::lab());
                self.cloud = sandbox.clone();
            }
            Backend::Moto(m) => {
                m.moto.reset();
                m.ids = m.moto.seed();
            }
        }
    }

    /// The moto server's log, for failure messages (empty for the sandbox).
    pub fn log(&self) -> String {
        match &self.backend {
            Backend::Sandbox(_) => String::new(),
            Backend::Moto(m) => format!("\n--- moto log ---\n{}", m.moto.log()),
        }
    }

    /// Makes `change` the way someone outside ztharden would: not through the cloud under
    /// test. The `expected` values of the change are not looked at.
    pub async fn out_of_band(&self, change: &Change) {
        let done = match &self.backend {
            Backend::Sandbox(sandbox) => sandbox
                .apply(change)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            // A second adapter over the same clients: the writes are the adapter's own, but
            // none of them passes through the cloud under test (or any wrapper of it).
            Backend::Moto(m) => AwsCloud::from_clients(m.clients.clone(), self.cloud.label())
                .apply(change)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        };
        if let Err(e) = done {
            panic!("{}: out of band: {}: {e}", self.name, change.summary());
        }
    }
}
