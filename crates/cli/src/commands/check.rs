//! Work in progress.

use crate::global::GlobalArgs;
use std::process::ExitCode;

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct MobileCheckArgs {}

/// Runs the subcommand.
pub(crate) fn mobile_check(_global: &GlobalArgs, _args: MobileCheckArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct IdCheckArgs {}

/// Runs the subcommand.
pub(crate) fn id_check(_global: &GlobalArgs, _args: IdCheckArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct MobileStatusArgs {}

/// Runs the subcommand.
pub(crate) fn mobile_status(_global: &GlobalArgs, _args: MobileStatusArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}

/// Arguments of this subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct BalanceArgs {}

/// Runs the subcommand.
pub(crate) fn balance(_global: &GlobalArgs, _args: BalanceArgs) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(crate::exit::USAGE)
}
