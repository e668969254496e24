//! The `ztharden` binary: picks a Cloud (AWS SDK or the sandbox), then runs a command or the TUI.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use ztharden::cloud::aws::{AwsCloud, AwsOptions};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::cloud::{Cloud, CloudError, NoProgress};
use ztharden::{report, steps, tui};

/// Zero-trust hardening of service-to-service paths to private API Gateway REST APIs.
#[derive(Debug, Parser)]
#[command(name = "ztharden", version, about)]
struct Cli {
    /// Use the built-in sandbox account (in memory, no AWS account needed).
    #[arg(long, global = true, conflicts_with_all = ["profile", "endpoint_url"])]
    demo: bool,
    /// The AWS profile to use (default: AWS_PROFILE, then the default chain).
    #[arg(long, global = true)]
    profile: Option<String>,
    /// The AWS region (default: AWS_REGION, then the profile's region).
    #[arg(long, global = true)]
    region: Option<String>,
    /// Send every AWS call to this endpoint (default: AWS_ENDPOINT_URL).
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Assess the four controls on every API path and print the findings.
    Scan {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _log_guard = init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ztharden: could not start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let cloud = match connect(&cli).await {
        Ok(cloud) => cloud,
        Err(e) => {
            eprintln!("ztharden: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Some(Command::Scan { format }) => scan(cloud.as_ref(), format).await,
        None => {
            let options = tui::TuiOptions {
                no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            };
            match tui::run(cloud, options).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ztharden: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

async fn connect(cli: &Cli) -> Result<Arc<dyn Cloud>, CloudError> {
    if cli.demo {
        return Ok(Arc::new(SandboxCloud::lab()));
    }
    let options = AwsOptions {
        profile: cli.profile.clone(),
        region: cli.region.clone(),
        endpoint_url: cli.endpoint_url.clone(),
    };
    Ok(Arc::new(AwsCloud::connect(options).await?))
}

async fn scan(cloud: &dyn Cloud, format: Format) -> ExitCode {
    let posture = match cloud.read_posture(&NoProgress).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ztharden: the scan could not run: {e}");
            return ExitCode::from(2);
        }
    };
    let findings = steps::assess(&posture);
    match format {
        Format::Json => println!("{}", report::ScanReport::new(&posture, &findings).to_json()),
        Format::Table => print!(
            "{}",
            report::table(&posture, &findings, &cloud.label().to_string())
        ),
    }
    if steps::Summary::of(&findings).any_fail() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Logs go to a file under the user's state directory, never to the terminal the TUI draws
/// on. `ZTHARDEN_LOG` sets the filter (default `info`).
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
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
