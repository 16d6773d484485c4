//! Work in progress.

use crate::global::GlobalArgs;
use std::process::ExitCode;

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct FakeIdArgs {}

/// Runs the subcommand.
pub(crate) fn fake_id(_global: &GlobalArgs, _args: FakeIdArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct FakeMobileArgs {}

/// Runs the subcommand.
pub(crate) fn fake_mobile(_global: &GlobalArgs, _args: FakeMobileArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}
