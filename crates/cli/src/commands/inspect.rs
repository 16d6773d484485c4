//! Work in progress.

use crate::global::GlobalArgs;
use std::process::ExitCode;

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct InspectIdArgs {}

/// Runs the subcommand.
pub(crate) fn inspect_id(_global: &GlobalArgs, _args: InspectIdArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct InspectMobileArgs {}

/// Runs the subcommand.
pub(crate) fn inspect_mobile(_global: &GlobalArgs, _args: InspectMobileArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}
