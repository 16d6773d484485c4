//! The `shiming` command: real-name checks, batch verification, offline inspection and the
//! vendor emulator.
//!
//! Results go to stdout, logs (tracing, level from `RUST_LOG`) to stderr.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod answers;
mod batch;
mod cache;
mod commands;
mod config;
mod exit;
mod global;
mod precheck;
mod report;
mod session;
mod setting;
mod stdout;
mod terminal;
mod vendors;

use global::GlobalArgs;

/// Shown after `--help`: where logs go and what they never show.
const LOGGING_HELP: &str = "\
Logging: results go to stdout, logs to stderr at the level RUST_LOG sets (default warn), \
e.g. RUST_LOG=debug or RUST_LOG=shiming=trace. Personal data in logs is masked and secrets \
never appear. The HTTP libraries' own TRACE output dumps headers and bodies (which echo the \
person, and may carry a key), so the targets hyper, h2, reqwest, rustls, ureq and ureq_proto \
stay at info even with RUST_LOG=trace; name a target to get its dump, e.g. \
RUST_LOG=trace,hyper=trace (or hyper_util=trace, rustls::client=trace).";

/// Real-name verification against Chinese carrier and ID-card vendors.
#[derive(Debug, Parser)]
#[command(
    name = "shiming",
    version,
    about,
    propagate_version = true,
    after_long_help = LOGGING_HELP
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check that a name belongs to a mobile number (two-element check).
    MobileCheck(commands::check::MobileCheckArgs),
    /// Check that a name belongs to an ID-card number (two-element check).
    IdCheck(commands::check::IdCheckArgs),
    /// Carrier, real carrier after porting, tenure and ported flag of a mobile number.
    MobileStatus(commands::check::MobileStatusArgs),
    /// Remaining balance at a vendor.
    Balance(commands::check::BalanceArgs),
    /// Show the canonical string and digest a vendor expects (for "sign mismatch" answers).
    #[command(subcommand)]
    Sign(vendors::SignCommand),
    /// Verify a CSV or JSON-lines file of people, streaming, resumable.
    Batch(commands::batch::BatchArgs),
    /// The verdict store: what it holds, forgetting a person, purging old answers.
    #[command(subcommand)]
    Cache(commands::cache::CacheCommand),
    /// What billed calls cost, by day or by vendor (from the verdict store's ledger).
    Spend(commands::spend::SpendArgs),
    /// Run the local vendor emulator until SIGINT or SIGTERM.
    Serve(commands::serve::ServeArgs),
    /// Serve the checks over HTTP/JSON for other services (tenants, budgets, cache, audit).
    Gateway(commands::gateway::GatewayArgs),
    /// Validate an ID number offline and explain every problem.
    InspectId(commands::inspect::InspectIdArgs),
    /// Validate a mobile number offline: segment, carrier, virtual operator.
    InspectMobile(commands::inspect::InspectMobileArgs),
    /// Print valid fake ID numbers for tests.
    FakeId(commands::fake::FakeIdArgs),
    /// Print valid fake mobile numbers for tests.
    FakeMobile(commands::fake::FakeMobileArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help/version to stdout and usage errors to stderr.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    global::init_logging();
    let global = &cli.global;
    match cli.command {
        Command::MobileCheck(args) => commands::check::mobile_check(global, args),
        Command::IdCheck(args) => commands::check::id_check(global, args),
        Command::MobileStatus(args) => commands::check::mobile_status(global, args),
        Command::Balance(args) => commands::check::balance(global, args),
        Command::Sign(command) => command.run(global),
        Command::Batch(args) => commands::batch::run(global, args),
        Command::Cache(command) => commands::cache::run(global, command),
        Command::Spend(args) => commands::spend::run(global, args),
        Command::Serve(args) => commands::serve::run(global, args),
        Command::Gateway(args) => commands::gateway::run(global, args),
        Command::InspectId(args) => commands::inspect::inspect_id(global, args),
        Command::InspectMobile(args) => commands::inspect::inspect_mobile(global, args),
        Command::FakeId(args) => commands::fake::fake_id(global, args),
        Command::FakeMobile(args) => commands::fake::fake_mobile(global, args),
    }
}
