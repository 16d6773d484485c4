//! `shiming serve`: the vendor emulator as a process, for other languages' tests, manual
//! experiments and load tests. It prints `listening on http://ADDR` as the first line on stdout
//! (flushed, so a parent process can read it and connect), then serves until SIGINT or SIGTERM
//! and shuts down gracefully.
//!
//! Credentials come from the same variables clients read (`SHIMING_WAPI_APPID`, …) or flags;
//! whatever is unset falls back to the documented sandbox values, which are listed on stderr
//! (they are published test values). Configured values are never printed. A secret flag
//! (`--wapi-secret`, `--qxt-apikey`, `--ihuyi-apikey`) names a source, `env:NAME` or `-`
//! (stdin), never the secret itself: command lines show in `ps` (see `secret_source`).
//!
//! The control endpoints (`/__emulator/…`: faults, balances, ledger, reset) are
//! unauthenticated, so a non-loopback address is refused unless `--allow-remote` is given, and
//! then a warning says so on stderr.

use crate::exit;
use crate::global::GlobalArgs;
use crate::vendors::{Credential, ServeAccounts};
use shiming_emulator::{Emulator, EmulatorConfig, Faults, RateLimit, RunningEmulator, Vendor};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0: any free port; the first stdout line tells which). A
    /// non-loopback address needs --allow-remote.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Listen on a non-loopback --addr although the control endpoints (faults, balances,
    /// ledger, reset) are unauthenticated: anyone who reaches the address can use them.
    #[arg(long)]
    allow_remote: bool,
    /// Fixed delay before every vendor answer, in milliseconds.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Random extra delay below this many milliseconds.
    #[arg(long, value_name = "MS")]
    jitter_ms: Option<u64>,
    /// Faults for every vendor request, e.g. `502,times=3`, `reset,rate=0.1`, `slow-body=2000`
    /// (repeatable; the syntax is in docs/emulator.md).
    #[arg(long, value_name = "SPEC", value_parser = parse_faults)]
    fault: Vec<Faults>,
    /// Starting balance (billed calls left) of every vendor account.
    #[arg(long, value_name = "CALLS")]
    balance: Option<u64>,
    /// Rate limit on checks of one number: `N/SECONDS` (default 100/60), or `off`.
    #[arg(long, value_name = "N/SECONDS|off", value_parser = parse_rate_limit)]
    rate_limit: Option<RateLimitArg>,
    /// Offset of the emulated vendors' clock, in seconds (fakes clock skew).
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    clock_offset: Option<i64>,
    #[command(flatten)]
    accounts: ServeAccounts,
}

/// `--rate-limit`: a limit, or none.
#[derive(Debug, Clone, Copy)]
struct RateLimitArg(Option<RateLimit>);

fn parse_faults(spec: &str) -> Result<Faults, String> {
    Faults::parse(spec).map_err(|error| error.to_string())
}

fn parse_rate_limit(text: &str) -> Result<RateLimitArg, String> {
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(RateLimitArg(None));
    }
    let (checks, seconds) = text
        .split_once('/')
        .ok_or_else(|| format!("expected N/SECONDS or off, not {text:?}"))?;
    let max_checks = checks
        .trim()
        .parse()
        .map_err(|_| format!("{checks:?} is not a number of checks"))?;
    let seconds: u64 = seconds
        .trim()
        .parse()
        .map_err(|_| format!("{seconds:?} is not a number of seconds"))?;
    if seconds == 0 {
        return Err("the rate-limit window must be at least one second".into());
    }
    Ok(RateLimitArg(Some(RateLimit {
        max_checks,
        window: Duration::from_secs(seconds),
    })))
}

/// The emulator configuration these arguments describe, and the credentials that fell back to
/// the sandbox (to list on stderr).
fn configure(args: ServeArgs) -> Result<(EmulatorConfig, Vec<Credential>), String> {
    let specs: Vec<String> = args.fault.iter().map(ToString::to_string).collect();
    let mut faults = Faults::parse(&specs.join(",")).map_err(|error| error.to_string())?;
    if let Some(ms) = args.latency_ms {
        faults.latency_ms = ms;
    }
    if let Some(ms) = args.jitter_ms {
        faults.jitter_ms = ms;
    }
    let (mut config, fallbacks) = args
        .accounts
        .configure(EmulatorConfig::default().addr(args.addr).faults(faults))?;
    if let Some(calls) = args.balance {
        for vendor in Vendor::ALL {
            config = config.balance(vendor, calls);
        }
    }
    if let Some(RateLimitArg(limit)) = args.rate_limit {
        config = config.rate_limit(limit);
    }
    if let Some(offset) = args.clock_offset {
        config = config.clock_offset_secs(offset);
    }
    Ok((config, fallbacks))
}

/// Whether `addr` may be listened on: `Err` with the refusal for a non-loopback address
/// without `allow_remote`, `Ok(Some(warning))` for one with it, `Ok(None)` for loopback.
fn remote_check(addr: SocketAddr, allow_remote: bool) -> Result<Option<String>, String> {
    if addr.ip().is_loopback() {
        return Ok(None);
    }
    let exposure = "the emulator's control endpoints (/__emulator/…: faults, balances, \
                    ledger, reset) are unauthenticated";
    if allow_remote {
        Ok(Some(format!(
            "warning: listening on {addr}, which other machines may reach, and {exposure}: \
             anyone who reaches it can use them"
        )))
    } else {
        Err(format!(
            "refusing to listen on {addr}, which is not a loopback address: {exposure}. \
             Listen on 127.0.0.1, or pass --allow-remote if you mean it"
        ))
    }
}

/// Runs the subcommand.
pub(crate) fn run(_global: &GlobalArgs, args: ServeArgs) -> ExitCode {
    match remote_check(args.addr, args.allow_remote) {
        Ok(None) => {}
        Ok(Some(warning)) => eprintln!("shiming serve: {warning}"),
        Err(refusal) => {
            eprintln!("shiming serve: {refusal}");
            return ExitCode::from(exit::USAGE);
        }
    }
    let (config, fallbacks) = match configure(args) {
        Ok(configured) => configured,
        Err(message) => {
            eprintln!("shiming serve: {message}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("shiming serve: cannot start the runtime: {error}");
            return ExitCode::from(exit::TRANSPORT);
        }
    };
    runtime.block_on(serve(config, fallbacks))
}

async fn serve(config: EmulatorConfig, fallbacks: Vec<Credential>) -> ExitCode {
    let signals = match Signals::watch() {
        Ok(signals) => signals,
        Err(error) => {
            eprintln!("shiming serve: cannot watch for signals: {error}");
            return ExitCode::from(exit::TRANSPORT);
        }
    };
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("shiming serve: cannot listen: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    if let Err(error) = announce(&emulator) {
        // Nobody reads our stdout any more: serving would be pointless.
        eprintln!("shiming serve: cannot write to stdout: {error}");
        emulator.shutdown().await;
        return ExitCode::from(exit::TRANSPORT);
    }
    if !fallbacks.is_empty() {
        eprintln!("shiming serve: not configured, so accepting the documented sandbox values:");
        for credential in &fallbacks {
            eprintln!("  {}={}", credential.variable, credential.value);
        }
    }
    let stopped_by = signals.first().await;
    eprintln!("shiming serve: {stopped_by}, shutting down");
    let ledger = emulator.ledger();
    emulator.shutdown().await;
    let requests: u64 = Vendor::ALL
        .into_iter()
        .map(|vendor| ledger.vendor(vendor).requests)
        .sum();
    let billed: u64 = Vendor::ALL
        .into_iter()
        .map(|vendor| ledger.vendor(vendor).billed)
        .sum();
    eprintln!("shiming serve: served {requests} vendor requests, {billed} billed");
    ExitCode::from(exit::OK)
}

fn announce(emulator: &RunningEmulator) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {}", emulator.base_url())?;
    stdout.flush()
}

/// SIGINT (Ctrl-C) and, on Unix, SIGTERM, watched from before the "listening" line: a parent
/// that reads the line and signals at once must not find the signal ignored or fatal.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn watch() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// Waits for the first signal; names it.
    #[cfg_attr(not(unix), allow(unused_mut))]
    async fn first(mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => "SIGINT",
                _ = self.terminate.recv() => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Harness {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        let mut argv = vec!["serve"];
        argv.extend_from_slice(args);
        Harness::try_parse_from(argv).map(|harness| harness.serve)
    }

    #[test]
    fn flags_become_configuration() {
        let args = parse(&[
            "--addr",
            "127.0.0.1:0",
            "--latency-ms",
            "20",
            "--fault",
            "502,times=2",
            "--fault",
            "string-numbers",
            "--rate-limit",
            "off",
            "--clock-offset",
            "-900",
            "--wapi-appid",
            "app-from-flag",
            "--wapi-auth",
            "hash",
        ])
        .unwrap();
        let (config, fallbacks) = configure(args).unwrap();
        let debug = format!("{config:?}");
        assert!(debug.contains("app-from-flag"), "{debug}");
        assert!(debug.contains("Hash"), "{debug}");
        assert!(debug.contains("clock_offset_secs: -900"), "{debug}");
        assert!(debug.contains("rate_limit: None"), "{debug}");
        let variables: Vec<&str> = fallbacks.iter().map(|c| c.variable).collect();
        assert!(!variables.contains(&"SHIMING_WAPI_APPID"));
        assert!(!variables.contains(&"SHIMING_WAPI_AUTH"));
        if std::env::var_os("SHIMING_WAPI_SECRET").is_none() {
            assert!(variables.contains(&"SHIMING_WAPI_SECRET"));
        }
    }

    #[test]
    fn bad_values_are_usage_errors() {
        assert!(parse(&["--fault", "explode"]).is_err());
        assert!(parse(&["--rate-limit", "ten"]).is_err());
        assert!(parse(&["--rate-limit", "3/0"]).is_err());
        assert!(parse(&["--wapi-auth", "rsa"]).is_err());
        assert!(parse(&["--addr", "localhost"]).is_err());
    }

    #[test]
    fn secrets_on_the_command_line_are_refused() {
        for flag in ["--wapi-secret", "--qxt-apikey", "--ihuyi-apikey"] {
            let args = parse(&[flag, "typed-secret-value"]).unwrap();
            let Err(message) = configure(args) else {
                panic!("{flag} with a value is refused");
            };
            assert!(message.contains(flag), "{message}");
            assert!(!message.contains("typed-secret-value"), "{message}");
        }
    }

    #[test]
    fn only_loopback_addresses_without_allow_remote() {
        let loopback: SocketAddr = "127.0.0.1:0".parse().unwrap();
        assert_eq!(remote_check(loopback, false), Ok(None));
        assert_eq!(remote_check("[::1]:0".parse().unwrap(), false), Ok(None));
        for addr in ["0.0.0.0:0", "[::]:8080", "192.0.2.7:80"] {
            let addr: SocketAddr = addr.parse().unwrap();
            let refusal = remote_check(addr, false).expect_err("refused");
            assert!(refusal.contains("--allow-remote"), "{refusal}");
            let warning = remote_check(addr, true).unwrap().expect("a warning");
            assert!(warning.contains("unauthenticated"), "{warning}");
        }
    }

    #[test]
    fn empty_values_fall_back_to_the_sandbox() {
        let configured = Credential::new("X", Some(String::new()), "sandbox-value");
        assert!(configured.from_sandbox);
        assert_eq!(configured.value, "sandbox-value");
        let configured = Credential::new("X", Some("mine".into()), "sandbox-value");
        assert!(!configured.from_sandbox);
    }

    #[test]
    fn rate_limits_parse() {
        let RateLimitArg(limit) = parse_rate_limit("5/30").unwrap();
        assert_eq!(
            limit,
            Some(RateLimit {
                max_checks: 5,
                window: Duration::from_secs(30)
            })
        );
    }
}
