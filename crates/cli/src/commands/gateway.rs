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

use crate::config::{Settings, WapiAuth};
use crate::exit;
use crate::global::GlobalArgs;
use shiming::VerifierConfig;
use shiming::codec::Vendor;
use shiming_emulator::{Emulator, EmulatorConfig, sandbox};
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
    // variables and the default user config file.
    let settings = match Settings::load(None, None) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("shiming gateway: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let configured: Vec<Vendor> = Vendor::ALL
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
        VerifierConfig::from_lookup(|name| sandbox_variable(&settings, &url, name))
    } else if configured.is_empty() {
        eprintln!(
            "shiming gateway: no vendor account is configured (set SHIMING_WAPI_APPID and \
             SHIMING_WAPI_SECRET, SHIMING_QXT_APIKEY, or SHIMING_IHUYI_ACCOUNT and \
             SHIMING_IHUYI_APIKEY); --sandbox runs against the built-in emulator instead"
        );
        return ExitCode::from(exit::USAGE);
    } else {
        let endpoint = global.endpoint.clone();
        VerifierConfig::from_lookup(|name| account_variable(&settings, endpoint.as_deref(), name))
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

/// A `SHIMING_*` variable for the sandbox: the published sandbox account at `url`.
fn sandbox_variable(settings: &Settings, url: &str, name: &str) -> Option<String> {
    match name {
        "SHIMING_WAPI_FORMAT" => settings.wapi.format.clone(),
        "SHIMING_WAPI_APPID" => Some(sandbox::WAPI_APPID.into()),
        "SHIMING_WAPI_SECRET" => Some(sandbox::WAPI_SECRET.into()),
        "SHIMING_WAPI_AUTH" => Some(sandbox::WAPI_AUTH.into()),
        "SHIMING_QXT_APIKEY" => Some(sandbox::QXT_APIKEY.into()),
        "SHIMING_IHUYI_ACCOUNT" => Some(sandbox::IHUYI_ACCOUNT.into()),
        "SHIMING_IHUYI_APIKEY" => Some(sandbox::IHUYI_APIKEY.into()),
        n if n.ends_with("_ENDPOINT") => Some(url.to_string()),
        _ => None,
    }
}

/// A `SHIMING_*` variable from the resolved settings (variables over the user file), with
/// `--endpoint` for every vendor when given.
fn account_variable(settings: &Settings, endpoint: Option<&str>, name: &str) -> Option<String> {
    let (w, q, i) = (&settings.wapi, &settings.qxt, &settings.ihuyi);
    if name.ends_with("_ENDPOINT")
        && let Some(url) = endpoint
    {
        return Some(url.trim_end_matches('/').to_string());
    }
    match name {
        "SHIMING_WAPI_APPID" => w.appid.clone(),
        "SHIMING_WAPI_SECRET" => w.secret.as_ref().map(|s| s.expose().to_string()),
        "SHIMING_WAPI_AUTH" => w.auth.map(|a| match a {
            WapiAuth::Md5 => "md5".into(),
            WapiAuth::Hash => "hash".into(),
        }),
        "SHIMING_WAPI_FORMAT" => w.format.clone(),
        "SHIMING_WAPI_ENDPOINT" => w.endpoint.clone(),
        "SHIMING_QXT_APIKEY" => q.apikey.as_ref().map(|s| s.expose().to_string()),
        "SHIMING_QXT_ENDPOINT" => q.endpoint.clone(),
        "SHIMING_IHUYI_ACCOUNT" => i.account.clone(),
        "SHIMING_IHUYI_APIKEY" => i.apikey.as_ref().map(|s| s.expose().to_string()),
        "SHIMING_IHUYI_ENDPOINT" => i.endpoint.clone(),
        _ => None,
    }
}
