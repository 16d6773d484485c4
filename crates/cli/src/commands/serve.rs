//! Work in progress.

use crate::global::GlobalArgs;
use std::process::ExitCode;

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {}

/// Runs the subcommand.
pub(crate) fn run(_global: &GlobalArgs, _args: ServeArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}
