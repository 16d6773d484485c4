//! Turns resolved settings into a ready `shiming::Verifier`, or the built-in sandbox.
//!
//! The sandbox is never mixed with a real account, and never chosen by accident: it starts
//! only when no vendor setting exists at all (see `config::presence`), or with `--sandbox`.
//! Otherwise every vendor a command uses must be configured completely, and a partly
//! configured vendor anywhere is an error before any request. Its one stderr line starts with
//! `sandbox:` so scripts can tell, and every JSON result says `"sandbox": true`.

use crate::cache::Checker;
use crate::config::Settings;
use crate::global::GlobalArgs;
use shiming::Verifier;
use shiming::codec::Vendor;
use shiming_emulator::{Emulator, EmulatorConfig, RunningEmulator};

/// A verifier, and the in-process emulator behind it when in sandbox mode.
pub(crate) struct Session {
    /// The verifier, through the verdict store unless `--no-cache`.
    pub(crate) checker: Checker,
    /// The in-process emulator (sandbox), kept alive as long as the session.
    pub(crate) emulator: Option<RunningEmulator>,
    /// Answers come from the sandbox accounts: made up, nothing charged.
    pub(crate) sandbox: bool,
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

pub(crate) use crate::vendors::Choice;

/// Where the answers will come from, decided before anything starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The real accounts of these vendors.
    Real(Vec<Vendor>),
    /// The sandbox accounts of these vendors: in-process, or at `--endpoint`.
    Sandbox(Vec<Vendor>, Option<String>),
}

impl Mode {
    /// Whether answers are made up.
    pub(crate) fn is_sandbox(&self) -> bool {
        matches!(self, Mode::Sandbox(..))
    }
}

/// Decides real account or sandbox for `choice`. Pure, so every rule is tested alone.
pub(crate) fn decide(
    global: &GlobalArgs,
    settings: &Settings,
    choice: Choice,
) -> Result<Mode, SessionError> {
    let wanted = choice.vendors();
    if global.sandbox {
        return Ok(Mode::Sandbox(wanted, settings.endpoint_override.clone()));
    }
    settings
        .check_no_partial_vendor()
        .map_err(|e| SessionError(e.0))?;
    if settings.nothing_configured() {
        if global.no_sandbox {
            return Err(SessionError(format!(
                "nothing is configured for {}: set {} (or the config file); --no-sandbox keeps \
                 the built-in sandbox off",
                names(&wanted),
                variables(&wanted)
            )));
        }
        return Ok(Mode::Sandbox(wanted, None));
    }
    let usable: Vec<Vendor> = wanted
        .iter()
        .copied()
        .filter(|v| settings.has_credentials(*v))
        .collect();
    if usable.is_empty() {
        return Err(SessionError(format!(
            "{} configured: set {} (or the config file). Other vendor settings exist, so \
             the built-in sandbox is not used; --sandbox asks for it",
            match wanted.len() {
                1 => format!("{} is not", names(&wanted)),
                _ => format!("neither {} is", names(&wanted).replace(" or ", " nor ")),
            },
            variables(&wanted)
        )));
    }
    Ok(Mode::Real(usable))
}

fn names(vendors: &[Vendor]) -> String {
    vendors
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn variables(vendors: &[Vendor]) -> String {
    vendors
        .iter()
        .map(|v| Settings::credential_variables(*v))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Resolves `choice` against `settings` and builds the verifier.
pub(crate) async fn open(
    global: &GlobalArgs,
    settings: &Settings,
    choice: Choice,
) -> Result<Session, SessionError> {
    let mode = decide(global, settings, choice)?;
    let mut emulator = None;
    let (vendors, sandbox_url) = match &mode {
        Mode::Real(vendors) => (vendors.clone(), None),
        Mode::Sandbox(vendors, at) => {
            let url = match at {
                Some(url) => url.trim_end_matches('/').to_string(),
                None => {
                    let running =
                        Emulator::start(EmulatorConfig::default())
                            .await
                            .map_err(|e| {
                                SessionError(format!("cannot start the sandbox emulator: {e}"))
                            })?;
                    let url = running.base_url().to_string();
                    emulator = Some(running);
                    url
                }
            };
            let why = if global.sandbox {
                "--sandbox"
            } else {
                "nothing is configured (no SHIMING_* vendor variable, no vendor table in a \
                 config file, no --endpoint)"
            };
            eprintln!(
                "sandbox: {why}; using the sandbox accounts of {} at {url} — answers are made \
                 up and no real account is charged",
                names(vendors)
            );
            (vendors.clone(), Some(url))
        }
    };

    let config = settings
        .verifier_config(&vendors, sandbox_url.as_deref())
        .map_err(SessionError)?;
    let verifier = Verifier::new(config).map_err(|e| SessionError(e.to_string()))?;
    let store = crate::cache::open(global, mode.is_sandbox()).map_err(SessionError)?;
    Ok(Session {
        checker: Checker::new(verifier, store, settings.accounts.prices),
        emulator,
        sandbox: mode.is_sandbox(),
    })
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
        // The verdict store's work runs on the blocking pool, one SQLite connection behind
        // a lock: more threads would only wait (and each costs memory).
        .max_blocking_threads(2)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FileConfig, resolve};
    use crate::global::OutputFormat;

    fn global(sandbox: bool, no_sandbox: bool) -> GlobalArgs {
        GlobalArgs {
            output: OutputFormat::Human,
            endpoint: None,
            config: None,
            no_sandbox,
            sandbox,
            no_cache: false,
            cache: None,
        }
    }

    fn settings(env: &[(&str, &str)]) -> Settings {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve(FileConfig::default(), &|k: &str| {
            env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
        .expect("resolve")
    }

    #[test]
    fn the_sandbox_only_when_nothing_is_configured() {
        let none = settings(&[]);
        let mode = decide(&global(false, false), &none, Choice::MobileAuto).expect("mode");
        assert!(mode.is_sandbox());
        assert!(decide(&global(false, true), &none, Choice::MobileAuto).is_err());

        // A misspelt secret leaves wapi half configured: an error, never the sandbox.
        let half = settings(&[
            ("SHIMING_WAPI_APPID", "1"),
            ("SHIMING_WAPI_ENDPOINT", "https://x.example"),
        ]);
        let err = decide(&global(false, false), &half, Choice::MobileAuto).unwrap_err();
        assert!(err.0.contains("SHIMING_WAPI_SECRET"), "{}", err.0);

        // wapi configured, ihuyi not: a status check is an error, not the sandbox.
        let wapi = settings(&[
            ("SHIMING_WAPI_APPID", "1"),
            ("SHIMING_WAPI_SECRET", "s"),
            ("SHIMING_WAPI_ENDPOINT", "https://x.example"),
        ]);
        let err = decide(&global(false, false), &wapi, Choice::One(Vendor::Ihuyi)).unwrap_err();
        assert!(err.0.contains("ihuyi is not configured"), "{}", err.0);
        assert_eq!(
            decide(&global(false, false), &wapi, Choice::MobileAuto).expect("real"),
            Mode::Real(vec![Vendor::Wapi])
        );
        // --sandbox asks for it whatever is configured.
        assert!(
            decide(&global(true, false), &wapi, Choice::MobileAuto)
                .expect("sandbox")
                .is_sandbox()
        );
    }

    #[test]
    fn an_endpoint_flag_alone_is_a_setting_not_a_sandbox() {
        let mut s = settings(&[]);
        s.endpoint_flag = true;
        s.endpoint_override = Some("http://127.0.0.1:9".into());
        let err = decide(&global(false, false), &s, Choice::One(Vendor::Qxt)).unwrap_err();
        assert!(err.0.contains("SHIMING_QXT_APIKEY"), "{}", err.0);
        let s = settings(&[("SHIMING_QXT_APIKEY", "k")]);
        let mut with_flag = s.clone();
        with_flag.endpoint_override = Some("http://127.0.0.1:9".into());
        let config = with_flag
            .verifier_config(&[Vendor::Qxt], None)
            .expect("config");
        assert_eq!(
            config.qxt.as_ref().map(|qxt| qxt.base_url.as_str()),
            Some("http://127.0.0.1:9"),
            "--endpoint beats the variable"
        );
    }
}
