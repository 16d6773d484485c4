//! Turns resolved settings into a ready `shiming::Verifier`, starting the sandbox when the
//! chosen vendor has no credentials.
//!
//! The sandbox is never mixed with a real account: with `--vendor auto`, the mobile check uses
//! whichever of wapi and QXT have credentials, and only when neither has any does it use the
//! sandbox for both. Its one stderr line starts with `sandbox:` so scripts can tell.

use crate::config::{Settings, WapiAuth};
use crate::global::GlobalArgs;
use shiming::codec::Vendor;
use shiming::{Verifier, VerifierConfig};
use shiming_emulator::{Emulator, EmulatorConfig, RunningEmulator, sandbox};

/// A verifier, and the in-process emulator behind it when in sandbox mode.
pub(crate) struct Session {
    /// The verifier.
    pub(crate) verifier: Verifier,
    /// The in-process emulator (sandbox), kept alive as long as the session.
    pub(crate) emulator: Option<RunningEmulator>,
}

impl Session {
    /// Stops the in-process emulator, if any.
    pub(crate) async fn close(self) {
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
    }
}

/// Why no verifier could be made: always a usage or configuration problem (exit 2).
#[derive(Debug)]
pub(crate) struct SessionError(pub(crate) String);

/// Which vendors a command wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    /// Exactly this vendor.
    One(Vendor),
    /// wapi then QXT, among those with credentials (the mobile check's `--vendor auto`).
    MobileAuto,
}

/// Resolves `choice` against `settings` and builds the verifier.
pub(crate) async fn open(
    global: &GlobalArgs,
    settings: &Settings,
    choice: Choice,
) -> Result<Session, SessionError> {
    let (vendors, sandboxed) = match choice {
        Choice::One(vendor) => (vec![vendor], !settings.has_credentials(vendor)),
        Choice::MobileAuto => {
            let configured: Vec<Vendor> = [Vendor::Wapi, Vendor::Qxt]
                .into_iter()
                .filter(|v| settings.has_credentials(*v))
                .collect();
            if configured.is_empty() {
                (vec![Vendor::Wapi, Vendor::Qxt], true)
            } else {
                (configured, false)
            }
        }
    };

    let mut emulator = None;
    let sandbox_url = if sandboxed {
        let names: Vec<&str> = vendors.iter().map(|v| v.as_str()).collect();
        let variables: Vec<&str> = vendors
            .iter()
            .map(|v| Settings::credential_variables(*v))
            .collect();
        if global.no_sandbox {
            return Err(SessionError(format!(
                "no credentials for {}: set {} (or the config file), or drop --no-sandbox to \
                 try the built-in sandbox",
                names.join(" or "),
                variables.join(" / ")
            )));
        }
        let url = match &global.endpoint {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => {
                let running = Emulator::start(EmulatorConfig::default())
                    .await
                    .map_err(|e| SessionError(format!("cannot start the sandbox emulator: {e}")))?;
                let url = running.base_url().to_string();
                emulator = Some(running);
                url
            }
        };
        eprintln!(
            "sandbox: no credentials for {} ({} unset); using the sandbox account at {url} — \
             answers are made up and no real account is charged",
            names.join(" or "),
            variables.join(" / ")
        );
        Some(url)
    } else {
        None
    };

    let lookup = |name: &str| variable(settings, &vendors, sandbox_url.as_deref(), name);
    let config = VerifierConfig::from_lookup(lookup)
        .map_err(|e| SessionError(e.to_string()))?
        .mobile_vendors(vendors.iter().copied().filter(|v| *v != Vendor::Ihuyi));
    let verifier = Verifier::new(config).map_err(|e| SessionError(e.to_string()))?;
    Ok(Session { verifier, emulator })
}

/// The value the facade's `from_lookup` sees for a `SHIMING_*` variable: the resolved
/// setting for vendors in use, the sandbox account for sandboxed ones, nothing for the rest
/// (so a command never touches a vendor it was not asked to use).
fn variable(
    settings: &Settings,
    vendors: &[Vendor],
    sandbox_url: Option<&str>,
    name: &str,
) -> Option<String> {
    let vendor = [Vendor::Wapi, Vendor::Qxt, Vendor::Ihuyi]
        .into_iter()
        .find(|v| name.starts_with(&format!("SHIMING_{}_", v.as_str().to_ascii_uppercase())))?;
    if !vendors.contains(&vendor) {
        return None;
    }
    let (w, q, i) = (&settings.wapi, &settings.qxt, &settings.ihuyi);
    if let Some(url) = sandbox_url {
        return match name {
            // The answer format is not a credential: the sandbox speaks all three.
            "SHIMING_WAPI_FORMAT" => w.format.clone(),
            "SHIMING_WAPI_APPID" => Some(sandbox::WAPI_APPID.into()),
            "SHIMING_WAPI_SECRET" => Some(sandbox::WAPI_SECRET.into()),
            "SHIMING_WAPI_AUTH" => Some(sandbox::WAPI_AUTH.into()),
            "SHIMING_QXT_APIKEY" => Some(sandbox::QXT_APIKEY.into()),
            "SHIMING_IHUYI_ACCOUNT" => Some(sandbox::IHUYI_ACCOUNT.into()),
            "SHIMING_IHUYI_APIKEY" => Some(sandbox::IHUYI_APIKEY.into()),
            n if n.ends_with("_ENDPOINT") => Some(url.to_string()),
            _ => None,
        };
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

/// The runtime `batch` runs on: one thread. A batch's work per row is short bursts of CPU
/// between socket events; on several worker threads every answer tended to wake a parked
/// worker (a futex wake and a context switch) and finished rows contended for the sink's
/// lock: about a fifth of the batch's CPU at zero latency. One thread runs the requests, the
/// sink and (when unconfigured) the sandbox emulator; the input is read on a thread of its
/// own, which hands rows over in chunks.
pub(crate) fn batch_runtime() -> Result<tokio::runtime::Runtime, SessionError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SessionError(format!("cannot start the async runtime: {e}")))
}

/// The runtime the other commands run on: multi-threaded, since the sandbox emulator serves
/// on it while the client waits.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, SessionError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| SessionError(format!("cannot start the async runtime: {e}")))
}
