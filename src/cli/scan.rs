//! `ztharden scan`: assess the four controls on every API path and print the findings.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use ztharden::cloud::{Cloud, NoProgress};
use ztharden::{report, steps};

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScanFormat {
    Table,
    Json,
}

/// Exit 1 when a control fails somewhere, 2 when the scan could not run, 0 otherwise.
pub async fn run(cloud: &dyn Cloud, args: &ScanArgs) -> ExitCode {
    let posture = match cloud.read_posture(&NoProgress).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ztharden: the scan could not run: {e}");
            return ExitCode::from(2);
        }
    };
    let findings = steps::assess(&posture);
    match args.format {
        ScanFormat::Json => println!("{}", report::ScanReport::new(&posture, &findings).to_json()),
        ScanFormat::Table => print!(
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
