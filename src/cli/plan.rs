//! `ztharden plan`: read the posture, infer the inputs (overridden by the flags), validate
//! them, plan the chosen controls, print the diffs and verdicts, and write the plan file
//! that `apply` consumes.
//!
//! Exit codes: 0 planned (also when there is nothing to do); 1 a step is blocked (no plan
//! file is written); 2 the plan could not be made (a read failed, an input is wrong, the
//! file could not be written).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use ztharden::cloud::{Cloud, NoProgress};
use ztharden::plan::{self, Inputs, Plan};
use ztharden::steps::Control;

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The control to plan, or all four in order.
    #[arg(long, value_enum)]
    pub control: ControlChoice,
    /// An API in scope (repeatable). Default: every API of the account, or those behind
    /// --vpc-endpoint.
    #[arg(long = "api", value_name = "ID")]
    pub apis: Vec<String>,
    /// A VPC endpoint the callers come through (repeatable). Default: the APIs' endpoints.
    #[arg(long = "vpc-endpoint", value_name = "ID")]
    pub endpoints: Vec<String>,
    /// A caller's role ARN (repeatable). Default: the roles of the likely caller instances.
    #[arg(long = "caller-role", value_name = "ARN")]
    pub caller_roles: Vec<String>,
    /// A caller's security group (repeatable). Default: the likely caller instances' groups.
    #[arg(long = "caller-sg", value_name = "ID")]
    pub caller_groups: Vec<String>,
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Write the plan file (JSON) here, for `apply`. Not written when a step is blocked.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ControlChoice {
    IamAuth,
    ResourcePolicy,
    EndpointPolicy,
    EndpointSg,
    All,
}

impl ControlChoice {
    pub fn controls(self) -> Vec<Control> {
        match self {
            Self::IamAuth => vec![Control::IamAuth],
            Self::ResourcePolicy => vec![Control::ResourcePolicy],
            Self::EndpointPolicy => vec![Control::EndpointPolicy],
            Self::EndpointSg => vec![Control::EndpointSg],
            Self::All => Control::ALL.to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// The diffs and verdicts, as reviewed.
    Text,
    /// The plan, in the plan file's form.
    Json,
}

pub async fn run(cloud: &dyn Cloud, args: &PlanArgs, color: bool) -> ExitCode {
    let posture = match cloud.read_posture(&NoProgress).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ztharden: the plan could not be made: {e}");
            return ExitCode::from(2);
        }
    };
    for gap in &posture.gaps {
        eprintln!(
            "ztharden: warning: {} on {} could not be read: {}",
            gap.operation, gap.resource, gap.message
        );
    }
    let mut inputs = Inputs::infer(&posture, &args.apis, &args.endpoints);
    inputs.override_callers(&args.caller_roles, &args.caller_groups);
    match inputs.validate(&posture) {
        Ok(warnings) => inputs
            .notes
            .extend(warnings.into_iter().map(|w| format!("warning: {w}"))),
        Err(e) => {
            eprintln!("ztharden: {e}");
            return ExitCode::from(2);
        }
    }
    let plan = plan::build(&posture, &inputs, &args.control.controls(), &now());
    match args.format {
        PlanFormat::Text => print!("{}", plan::plan_text(&plan, &posture, color)),
        PlanFormat::Json => println!("{}", to_json(&plan)),
    }
    if plan.is_blocked() {
        let blocked: Vec<&str> = plan
            .steps
            .iter()
            .filter(|s| s.is_blocked())
            .map(|s| s.control.id())
            .collect();
        eprintln!(
            "ztharden: the plan is blocked at {} (the step's state says why){}",
            blocked.join(", "),
            if args.out.is_some() {
                "; no plan file written"
            } else {
                ""
            }
        );
        return ExitCode::from(1);
    }
    if let Some(path) = &args.out {
        if let Err(e) = write_atomically(path, &to_json(&plan)) {
            eprintln!(
                "ztharden: the plan file {} could not be written: {e}",
                path.display()
            );
            return ExitCode::from(2);
        }
        eprintln!("ztharden: plan written to {}", path.display());
    }
    ExitCode::SUCCESS
}

/// Now, RFC 3339 in UTC, to the second.
fn now() -> String {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&Rfc3339)
        .expect("a UTC time formats as RFC 3339")
}

fn to_json(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).expect("a plan always serialises")
}

/// Writes `text` to a temporary file next to `path`, then renames it over `path`: a reader
/// sees the old file or the whole new one, never a part.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path names no file"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
