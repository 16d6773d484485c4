//! Work in progress.

use crate::global::GlobalArgs;
use std::process::ExitCode;

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {}

/// Runs the subcommand.
pub(crate) fn run(_global: &GlobalArgs, _args: BatchArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}
