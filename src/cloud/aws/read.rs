//! The whole posture read: the account first, then API Gateway and the network side at the
//! same time. Only the account read can fail the whole read; every other failure becomes a
//! [`ReadGap`] and the rest is still read.

use std::sync::Mutex;

use super::errors::{cloud_error, gap};
use super::{AwsClients, Pacer, network, rest_apis};
use crate::cloud::{CloudError, CloudErrorKind, Progress, ReadEvent};
use crate::model::{AccountId, Posture, ReadGap};

/// What the read functions share: the clients, the pacer, the progress sink and the gaps.
pub(super) struct Ctx<'a> {
    pub clients: &'a AwsClients,
    pub pacer: &'a Pacer,
    pub progress: &'a dyn Progress,
    pub account: AccountId,
    gaps: Mutex<Vec<ReadGap>>,
}

impl Ctx<'_> {
    /// Records that `err` kept `resource` from being read, and tells the progress sink.
    pub fn gap(&self, resource: &str, err: &CloudError) {
        self.add_gap(gap(resource, err));
    }

    pub fn add_gap(&self, gap: ReadGap) {
        self.progress.report(ReadEvent::Gap(format!(
            "{} on {}: {}",
            gap.operation, gap.resource, gap.message
        )));
        self.gaps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(gap);
    }

    pub fn started(&self, phase: &str) {
        self.progress.report(ReadEvent::Started(phase.to_string()));
    }
}

/// Reads everything ztharden needs from the account and region of `clients`.
///
/// `GetResources` calls wait on `pacer`, which may be shared with other reads of the same
/// account.
pub async fn read_posture(
    clients: &AwsClients,
    pacer: &Pacer,
    progress: &dyn Progress,
) -> Result<Posture, CloudError> {
    progress.report(ReadEvent::Started("caller identity".into()));
    let account = caller_account(clients).await?;
    let ctx = Ctx {
        clients,
        pacer,
        progress,
        account: account.clone(),
        gaps: Mutex::new(Vec::new()),
    };
    let (apis, net) = futures::join!(rest_apis::read_apis(&ctx), network::read_network(&ctx));
    let gaps = ctx.gaps.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(Posture {
        account,
        region: clients.region.clone(),
        apis,
        endpoints: net.endpoints,
        security_groups: net.security_groups,
        vpcs: net.vpcs,
        instances: net.instances,
        gaps,
    }
    .into_canonical())
}

/// `sts:GetCallerIdentity`: proves the credentials work and names the account.
async fn caller_account(clients: &AwsClients) -> Result<AccountId, CloudError> {
    const OP: &str = "GetCallerIdentity";
    let out = clients
        .sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| cloud_error(OP, &e))?;
    let account = out.account().unwrap_or_default();
    AccountId::new(account).map_err(|e| CloudError::new(CloudErrorKind::Service, OP, e.to_string()))
}
