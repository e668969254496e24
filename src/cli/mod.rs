//! The commands the binary runs without the TUI, and what they share: connecting to a Cloud
//! and logging.

pub mod plan;
pub mod scan;

use std::io::IsTerminal;
use std::sync::Arc;

use ztharden::cloud::aws::{AwsCloud, AwsOptions};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Cloud, CloudError};

/// Where the commands read from: the sandbox, or AWS with these options.
#[derive(Debug, Clone, Default)]
pub struct CloudChoice {
    pub demo: bool,
    pub aws: AwsOptions,
}

/// The sandbox with `demo`, else the AWS account the options point at.
pub async fn connect(choice: &CloudChoice) -> Result<Arc<dyn Cloud>, CloudError> {
    if choice.demo {
        return Ok(Arc::new(SandboxCloud::lab()));
    }
    Ok(Arc::new(AwsCloud::connect(choice.aws.clone()).await?))
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
