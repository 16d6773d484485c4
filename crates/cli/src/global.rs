//! Flags that work before or after any subcommand, and logging set-up.

use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Readable lines for a person.
    Human,
    /// One JSON object per result.
    Json,
}

/// Flags shared by every subcommand (`global = true`: accepted before or after it).
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Output format on stdout.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Human)]
    pub(crate) output: OutputFormat,
    /// Base URL of the vendor endpoint (the vendor's path is appended).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    /// Configuration file (TOML); default under the user's config directory.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Fail instead of starting the built-in sandbox when credentials are missing.
    #[arg(long, global = true)]
    pub(crate) no_sandbox: bool,
}

/// Sends tracing output to stderr, level from `RUST_LOG` (default `warn`).
///
/// stdout carries results only, so scripts can parse it; every diagnostic goes to stderr.
/// A malformed `RUST_LOG` falls back to `warn` rather than failing the command.
pub(crate) fn init_logging() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    // `try_init` so that a second call (tests, or a command re-entering) is harmless.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into log files or pipes.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
