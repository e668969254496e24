//! The `ztharden` binary: parses the command line, picks a Cloud (AWS SDK or the sandbox),
//! then runs a command or the TUI.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use ztharden::cloud::aws::AwsOptions;
use ztharden::tui;

use cli::CloudChoice;
use cli::plan::PlanArgs;
use cli::scan::ScanArgs;

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
    Scan(ScanArgs),
    /// Plan the hardening of one control (or all four): print the diffs and the safety
    /// verdicts, and with --out write the plan file.
    Plan(PlanArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _log_guard = cli::init_logging();
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
    let choice = CloudChoice {
        demo: cli.demo,
        aws: AwsOptions {
            profile: cli.profile,
            region: cli.region,
            endpoint_url: cli.endpoint_url,
        },
    };
    let cloud = match cli::connect(&choice).await {
        Ok(cloud) => cloud,
        Err(e) => {
            eprintln!("ztharden: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Some(Command::Scan(args)) => cli::scan::run(cloud.as_ref(), &args).await,
        Some(Command::Plan(args)) => {
            cli::plan::run(cloud.as_ref(), &args, cli::stdout_color()).await
        }
        None => {
            let options = tui::TuiOptions {
                no_color: cli::no_color(),
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
