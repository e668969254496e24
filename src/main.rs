//! The `ztharden` binary: parses the command line, picks a Cloud (AWS SDK or the sandbox),
//! then runs a command or the TUI.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use ztharden::cloud::aws::AwsOptions;
use ztharden::tui;

use cli::CloudChoice;
use cli::apply::ApplyArgs;
use cli::journal::JournalArgs;
use cli::plan::PlanArgs;
use cli::rollback::RollbackArgs;
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
    /// Where apply and rollback journals are kept (default: the user's state directory,
    /// e.g. ~/.local/state/ztharden).
    #[arg(long, global = true, env = "ZTHARDEN_STATE_DIR")]
    state_dir: Option<PathBuf>,
    /// Make no change at all: apply and rollback refuse, the TUI offers neither.
    /// ZTHARDEN_READ_ONLY=1 does the same (0, false or empty: off).
    #[arg(long, global = true, env = "ZTHARDEN_READ_ONLY", value_parser = clap::builder::FalseyValueParser::new())]
    read_only: bool,
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
    /// Apply a plan file: show it, ask, make each change (journaled), and verify the result.
    Apply(ApplyArgs),
    /// Undo what a journal applied (default: the latest): show, ask, apply, verify.
    Rollback(RollbackArgs),
    /// List the apply and rollback journals (no AWS access), or `show` one.
    Journal(JournalArgs),
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
    // The journals are local files: no credentials, no network.
    if let Some(Command::Journal(args)) = &cli.command {
        return match cli::state_dir(cli.state_dir) {
            Ok(dir) => cli::journal::run(&dir, args),
            Err(e) => {
                eprintln!("ztharden: {e}");
                ExitCode::from(2)
            }
        };
    }
    let choice = CloudChoice {
        demo: cli.demo,
        aws: AwsOptions {
            profile: cli.profile,
            region: cli.region,
            endpoint_url: cli.endpoint_url,
        },
    };
    let cli::Connected { cloud, reach } = match cli::connect(&choice).await {
        Ok(connected) => connected,
        Err(e) => {
            eprintln!("ztharden: {e}");
            return ExitCode::from(2);
        }
    };
    // Scan and plan write nothing: they need no state directory.
    let command = match cli.command {
        Some(Command::Scan(args)) => return cli::scan::run(cloud.as_ref(), &args).await,
        Some(Command::Plan(args)) => {
            return cli::plan::run(cloud.as_ref(), &args, cli::stdout_color()).await;
        }
        command => command,
    };
    let engine = match cli::engine(cloud.clone(), cli.state_dir, cli.read_only) {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("ztharden: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        Some(Command::Apply(args)) => cli::apply::run(&engine, &reach, &args).await,
        Some(Command::Rollback(args)) => cli::rollback::run(&engine, &reach, &args).await,
        Some(Command::Scan(_) | Command::Plan(_) | Command::Journal(_)) => {
            unreachable!("scan, plan and journal returned above")
        }
        None => {
            let options = tui::TuiOptions {
                no_color: cli::no_color(),
            };
            match tui::run(cloud, engine, options).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ztharden: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
