//! Flags that work before or after any subcommand, and logging set-up.

use clap::{Args, ValueEnum};
use std::path::PathBuf;
use tracing_subscriber::filter::{LevelFilter, Targets};

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
    /// Never start the built-in sandbox, even when nothing at all is configured.
    #[arg(long, global = true, conflicts_with = "sandbox")]
    pub(crate) no_sandbox: bool,
    /// Use the built-in sandbox (made-up answers, nothing charged) even if vendor settings
    /// exist; with --endpoint, the sandbox accounts at that URL (a `shiming serve`).
    #[arg(long, global = true)]
    pub(crate) sandbox: bool,
    /// Ask the vendor even when the verdict store remembers the answer (and remember
    /// nothing).
    #[arg(long, global = true, conflicts_with = "cache")]
    pub(crate) no_cache: bool,
    /// The verdict store file (default: verdicts.sqlite in the platform's data directory,
    /// sandbox-verdicts.sqlite for the sandbox).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) cache: Option<PathBuf>,
}

/// Libraries whose TRACE (and some DEBUG) output is a wire dump: request and response
/// headers and bodies, in which vendors echo the person's name, mobile and ID number and
/// some requests carry the secret (wapi's Hash mode, QXT's apikey). `RUST_LOG=trace` is
/// what people paste into bug reports, so these stay at INFO unless `RUST_LOG` names them
/// itself (`RUST_LOG=trace,reqwest=trace`).
const WIRE_DUMP_TARGETS: [&str; 6] = ["hyper", "h2", "reqwest", "rustls", "ureq", "ureq_proto"];

/// Sends tracing output to stderr, level from `RUST_LOG` (default `warn`).
///
/// stdout carries results only, so scripts can parse it; every diagnostic goes to stderr.
/// A malformed `RUST_LOG` falls back to `warn` rather than failing the command. The
/// [`WIRE_DUMP_TARGETS`] are capped at INFO (never raised: the cap only takes away) unless
/// a `RUST_LOG` directive names them (see [`wire_dump_cap`]).
pub(crate) fn init_logging() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let rust_log = std::env::var("RUST_LOG").unwrap_or_default();
    let cap = wire_dump_cap(&rust_log);
    let capped: Vec<&str> = WIRE_DUMP_TARGETS
        .into_iter()
        .filter(|target| !cap.would_enable(target, &tracing::Level::DEBUG))
        .collect();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let output = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into log files or pipes.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false);
    // `try_init` so that a second call (tests, or a command re-entering) is harmless.
    let _ = tracing_subscriber::registry()
        .with(filter)
        // A second filter: an event is logged only when both let it through, so this caps
        // the wire-dumping libraries whatever the global level is.
        .with(cap)
        .with(output)
        .try_init();
    // Whoever runs at TRACE and misses the HTTP libraries' output learns why, and how to
    // get it.
    tracing::trace!(
        capped = ?capped,
        "HTTP wire dumps are capped at INFO for these targets (they show personal data); \
         name one in RUST_LOG to see it, e.g. RUST_LOG=trace,hyper=trace"
    );
}

/// Caps each of the [`WIRE_DUMP_TARGETS`] at INFO unless a directive of `rust_log` names
/// it: its target part (before `[` or `=`) is exactly that target (`ureq=trace` asks for
/// ureq, not for ureq_proto's hex dumps), or a module or crate under it (`hyper::proto`,
/// `hyper_util`), which is then let through whole (`rust_log` decides its level).
fn wire_dump_cap(rust_log: &str) -> Targets {
    let named: Vec<&str> = rust_log
        .split(',')
        .map(|directive| {
            let end = directive.find(['[', '=']).unwrap_or(directive.len());
            directive[..end].trim()
        })
        .filter(|target| !target.is_empty())
        .collect();
    let mut cap = Targets::new().with_default(LevelFilter::TRACE);
    for wire in WIRE_DUMP_TARGETS {
        if !named.contains(&wire) {
            cap = cap.with_target(wire, LevelFilter::INFO);
        }
    }
    // Targets match by prefix, the longest winning: a named target under a capped one
    // gets its own, open entry.
    for target in named {
        if WIRE_DUMP_TARGETS
            .iter()
            .any(|wire| target.len() > wire.len() && target.starts_with(wire))
        {
            cap = cap.with_target(target, LevelFilter::TRACE);
        }
    }
    cap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_dumps_stay_capped_unless_named() {
        use tracing::Level;
        let open = |rust_log: &str, target: &str| {
            wire_dump_cap(rust_log).would_enable(target, &Level::TRACE)
        };
        for rust_log in ["", "trace", "debug,shiming=trace", "not a [filter"] {
            for target in WIRE_DUMP_TARGETS {
                assert!(!open(rust_log, target), "{rust_log}: {target}");
                assert!(!open(rust_log, &format!("{target}::proto")), "{rust_log}");
                assert!(
                    wire_dump_cap(rust_log).would_enable(target, &Level::INFO),
                    "{rust_log}: {target} info"
                );
            }
            assert!(!open(rust_log, "hyper_util::client"), "{rust_log}");
            assert!(open(rust_log, "shiming_reqwest"), "{rust_log}");
            assert!(open(rust_log, "shiming"), "{rust_log}");
        }
        let named = "trace, reqwest=trace,ureq[span]=debug";
        assert!(open(named, "reqwest::connect"));
        assert!(open(named, "ureq::unversioned"));
        assert!(
            !open(named, "ureq_proto::client"),
            "ureq does not name ureq_proto"
        );
        assert!(!open(named, "hyper"));
        let under = "hyper_util=trace,rustls::client=trace,h=trace";
        assert!(open(under, "hyper_util::client::legacy"));
        assert!(open(under, "rustls::client::hs"));
        assert!(!open(under, "rustls::server"));
        assert!(!open(under, "hyper::proto"));
        assert!(!open(under, "h2::codec"), "a prefix is not a name");
    }
}
