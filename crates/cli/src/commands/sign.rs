//! Work in progress.

use crate::global::GlobalArgs;
use std::process::ExitCode;

/// `shiming sign <vendor>`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SignCommand {
    /// wapi MD5 or Hash signature.
    Wapi {},
    /// ihuyi dynamic password.
    Ihuyi {},
}

/// Runs the subcommand.
pub(crate) fn run(_global: &GlobalArgs, _command: SignCommand) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}
