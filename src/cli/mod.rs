//! The commands the binary runs without the TUI, and what they share: connecting to a Cloud,
//! the apply engine and logging.

pub mod apply;
mod confirm;
pub mod journal;
mod journal_show;
mod outcome;
pub mod plan;
mod plan_file;
pub mod rollback;
pub mod scan;
mod summary;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use ztharden::apply::{Engine, EngineOptions, default_state_dir};

use ztharden::cloud::aws::{AwsCloud, AwsOptions};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Cloud, CloudError, NoProgress};

/// Where the commands read from: the sandbox, or AWS with these options.
#[derive(Debug, Clone, Default)]
pub struct CloudChoice {
    pub demo: bool,
    pub aws: AwsOptions,
}

/// A connected Cloud and what is known of the account and region it reaches without a call.
pub struct Connected {
    pub cloud: Arc<dyn Cloud>,
    pub reach: Reach,
}

/// The account and region a Cloud reaches, as far as they are known without calling AWS:
/// the sandbox knows both; on AWS the region comes from the configuration and the account
/// only from a read (`GetCallerIdentity`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub account: Option<String>,
    pub region: Option<String>,
}

impl Reach {
    /// Why a plan for `account` in `region` cannot be applied here, if what is known tells.
    pub fn mismatch(&self, account: &str, region: &str) -> Option<String> {
        let differs =
            |known: &Option<String>, wanted: &str| known.as_deref().is_some_and(|k| k != wanted);
        if !differs(&self.account, account) && !differs(&self.region, region) {
            return None;
        }
        let mut here = Vec::new();
        if let Some(a) = &self.account {
            here.push(format!("account {a}"));
        }
        if let Some(r) = &self.region {
            here.push(format!("region {r}"));
        }
        let here = here.join(" in ");
        Some(format!(
            "the plan is for account {account} in {region}, but this session reaches {here}: \
             nothing was changed; use the profile and region the plan was made with (--profile, \
             --region), or make a new plan"
        ))
    }
}

/// The sandbox with `demo`, else the AWS account the options point at.
pub async fn connect(choice: &CloudChoice) -> Result<Connected, CloudError> {
    if choice.demo {
        let sandbox = SandboxCloud::lab();
        // In memory: no call leaves the process.
        let posture = sandbox.read_posture(&NoProgress).await?;
        return Ok(Connected {
            cloud: Arc::new(sandbox),
            reach: Reach {
                account: Some(posture.account.to_string()),
                region: Some(posture.region.to_string()),
            },
        });
    }
    let aws = AwsCloud::connect(choice.aws.clone()).await?;
    let reach = Reach {
        account: None,
        region: Some(aws.region().to_string()),
    };
    Ok(Connected {
        cloud: Arc::new(aws),
        reach,
    })
}

/// The state directory: `--state-dir` (or `ZTHARDEN_STATE_DIR`), else the user's.
pub fn state_dir(given: Option<PathBuf>) -> Result<PathBuf, String> {
    given.or_else(default_state_dir).ok_or_else(|| {
        "no state directory for the journals (HOME is not set): pass --state-dir or set \
         ZTHARDEN_STATE_DIR"
            .to_string()
    })
}

/// The apply engine for `cloud`: journals under `state_dir` (default: the user's state
/// directory), paced to the account quotas on AWS, refusing every write when `read_only`.
pub fn engine(
    cloud: Arc<dyn Cloud>,
    state_dir: Option<PathBuf>,
    read_only: bool,
) -> Result<Arc<Engine>, String> {
    let state_dir = self::state_dir(state_dir)?;
    let options = EngineOptions::for_cloud(&cloud.label(), read_only);
    Ok(Arc::new(Engine::new(cloud, state_dir, options)))
}

/// `NO_COLOR` is set (to anything but the empty string).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Colour on standard output: only on a terminal, and not with `NO_COLOR`.
pub fn stdout_color() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// Logs go to a file under the user's state directory, never to the terminal the TUI draws
/// on. `ZTHARDEN_LOG` sets the filter (default `info`).
pub fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dirs = directories::ProjectDirs::from("", "", "ztharden")?;
    let dir = dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(dir, "ztharden.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZTHARDEN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_elsewhere_is_named_with_what_is_known_here() {
        let sandbox = Reach {
            account: Some("111122223333".into()),
            region: Some("us-east-1".into()),
        };
        assert_eq!(sandbox.mismatch("111122223333", "us-east-1"), None);
        let why = sandbox.mismatch("999988887777", "us-east-1").unwrap();
        assert!(
            why.starts_with(
                "the plan is for account 999988887777 in us-east-1, but this session reaches \
                 account 111122223333 in region us-east-1: nothing was changed;"
            ),
            "{why}"
        );
        // On AWS only the region is known before a call: the account is the engine's check.
        let aws = Reach {
            account: None,
            region: Some("eu-west-1".into()),
        };
        assert_eq!(aws.mismatch("999988887777", "eu-west-1"), None);
        let why = aws.mismatch("111122223333", "us-east-1").unwrap();
        assert!(
            why.contains("but this session reaches region eu-west-1:"),
            "{why}"
        );
        assert_eq!(Reach::default().mismatch("1", "r"), None);
    }

    #[test]
    fn a_given_state_dir_wins() {
        let dir = PathBuf::from("/some/where");
        assert_eq!(state_dir(Some(dir.clone())), Ok(dir));
    }

    #[tokio::test]
    async fn the_sandbox_says_where_it_is() {
        let connected = connect(&CloudChoice {
            demo: true,
            ..CloudChoice::default()
        })
        .await
        .unwrap();
        assert_eq!(
            connected.reach,
            Reach {
                account: Some("111122223333".into()),
                region: Some("us-east-1".into()),
            }
        );
    }
}
