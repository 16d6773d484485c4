//! `shiming gateway`: the checks as an HTTP/JSON service for every language (crate
//! shiming-gateway), and `shiming gateway hash-key`.
//!
//! `--config FILE` (the global flag) names the gateway's own file (`gateway.toml`: listen,
//! store, tenants…; see docs/gateway.md). Vendor accounts come from the same settings as
//! every other command — the `SHIMING_*` variables, or the default user config file — and
//! the global `--endpoint` applies too. With no vendor account at all the gateway refuses to
//! start unless the global `--sandbox`, which starts the emulator in-process (or uses
//! `--endpoint` as the emulator) and marks every answer `"sandbox": true`. The verdict store
//! is the file's `store`; the global `--cache` and `--no-cache` do not apply.
//!
//! The first stdout line is `listening on http(s)://ADDR` (flushed); audit lines may follow
//! when `audit = "stdout"`.

use crate::config::Settings;
use crate::exit;
use crate::global::GlobalArgs;
use shiming::codec::Vendor;
use shiming_emulator::{Emulator, EmulatorConfig};
use shiming_gateway::{Gateway, GatewayConfig};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

/// Arguments of `gateway`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct GatewayArgs {
    #[command(subcommand)]
    command: Option<GatewayCommand>,
    /// Listen here instead of the file's `listen`.
    #[arg(long, value_name = "IP:PORT")]
    listen: Option<SocketAddr>,
}

/// `gateway` subcommands.
#[derive(Debug, clap::Subcommand)]
enum GatewayCommand {
    /// Print a new random API key and its SHA-256 (the `key_sha256` of a tenant).
    HashKey,
}

/// Runs the subcommand.
pub(crate) fn run(global: &GlobalArgs, args: GatewayArgs) -> ExitCode {
    if let Some(GatewayCommand::HashKey) = args.command {
        return hash_key();
    }
    let Some(path) = global.config.clone() else {
        eprintln!("shiming gateway: --config gateway.toml is required (see docs/gateway.md)");
        return ExitCode::from(exit::USAGE);
    };
    let mut config = match GatewayConfig::load(&path) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("shiming gateway: cannot start the runtime: {error}");
            return ExitCode::from(exit::TRANSPORT);
        }
    };
    runtime.block_on(serve(global, global.sandbox, config, path))
}

fn hash_key() -> ExitCode {
    match shiming_gateway::new_key() {
        Ok((key, digest)) => {
            let mut stdout = std::io::stdout().lock();
            let written = writeln!(
                stdout,
                "key = {key}\nkey_sha256 = \"{digest}\"\n\
                 # Give the key to the tenant (once; it is not stored); put key_sha256 in gateway.toml."
            );
            if written.and_then(|()| stdout.flush()).is_err() {
                return ExitCode::from(exit::TRANSPORT);
            }
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            eprintln!("shiming gateway hash-key: no randomness: {error}");
            ExitCode::from(exit::TRANSPORT)
        }
    }
}

async fn serve(
    global: &GlobalArgs,
    sandbox_flag: bool,
    config: GatewayConfig,
    path: std::path::PathBuf,
) -> ExitCode {
    // The global --config is the gateway's file here; vendor settings come from the
    // variables and the default user config file; the global --endpoint applies to every
    // vendor.
    let settings = match Settings::load(None, global.endpoint.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let configured: Vec<Vendor> = crate::vendors::ALL
        .into_iter()
        .filter(|v| settings.has_credentials(*v))
        .collect();
    let mut emulator = None;
    let vendors = if sandbox_flag {
        let url = match &global.endpoint {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => match Emulator::start(EmulatorConfig::default()).await {
                Ok(running) => {
                    let url = running.base_url().to_string();
                    emulator = Some(running);
                    url
                }
                Err(error) => {
                    eprintln!("shiming gateway: cannot start the sandbox emulator: {error}");
                    return ExitCode::from(exit::TRANSPORT);
                }
            },
        };
        eprintln!(
            "sandbox: every vendor is the sandbox at {url} — answers are made up, no account is \
             charged, and every answer says \"sandbox\": true"
        );
        settings.verifier_config(&crate::vendors::ALL, Some(&url))
    } else if configured.is_empty() {
        let variables: Vec<&str> = crate::vendors::ALL
            .into_iter()
            .map(Settings::credential_variables)
            .collect();
        eprintln!(
            "shiming gateway: no vendor account is configured (set {}); --sandbox runs \
             against the built-in emulator instead",
            match variables.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{}, or {last}", rest.join(", ")),
                _ => variables.join(""),
            }
        );
        return ExitCode::from(exit::USAGE);
    } else {
        settings
            .check_no_partial_vendor()
            .map_err(|e| e.0)
            .and_then(|()| settings.verifier_config(&configured, None))
    };
    let vendors = match vendors {
        Ok(vendors) => vendors,
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let listener = match std::net::TcpListener::bind(config.listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "shiming gateway: cannot listen on {}: {error}",
                config.listen
            );
            return ExitCode::from(exit::USAGE);
        }
    };
    let gateway = match Gateway::new(config, vendors, sandbox_flag).await {
        Ok(gateway) => gateway,
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let url = match listener.local_addr() {
        Ok(addr) => gateway.url(addr),
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            return ExitCode::from(exit::TRANSPORT);
        }
    };
    {
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "listening on {url}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::from(exit::TRANSPORT);
        }
    }
    let result = gateway.serve(listener, Some(path)).await;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    match result {
        Ok(()) => {
            eprintln!("shiming gateway: stopped");
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            ExitCode::from(exit::TRANSPORT)
        }
    }
}
