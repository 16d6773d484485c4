//! `shiming sign wapi|ihuyi`: shows what a signature was computed over, for the day a vendor
//! answers "sign mismatch" (wapi 10003, ihuyi 40502).
//!
//! Prints the canonical string with the secret replaced by `***`, and the digest. A secret is
//! never printed: in wapi Hash mode (and for an ihuyi static password) the `sign` value IS the
//! secret, so the command says so instead of echoing it. Pass the `sign=` you actually sent
//! and the command also tells whether it matches (exit 1 when it does not).
//!
//! Nor is a secret ever taken from the command line, where `ps` shows it: `--secret` and
//! `--apikey` name a source (`env:NAME`, or `-` for stdin) and default to `SHIMING_WAPI_SECRET`
//! / `SHIMING_IHUYI_APIKEY` (see `secret_source`). For the same reason a `sign=` parameter is
//! refused in Hash mode, where it would be the secret itself.

use super::secret_source::{SecretSource, Secrets};
use crate::global::{GlobalArgs, OutputFormat};
use crate::{exit, stdout};
use serde_json::json;
use shiming::sign::Secret;
use std::process::ExitCode;

pub(crate) fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(exit::USAGE)
}

/// The secret behind `flag`, or the usage error to print.
pub(crate) fn secret(
    flag: &str,
    source: Option<&SecretSource>,
    variable: &str,
) -> Result<Secret, ExitCode> {
    match Secrets::default().resolve(flag, source, variable) {
        Ok(Some(value)) => Ok(Secret::new(value)),
        Ok(None) => Err(usage(&format!(
            "no secret: set {variable}, or pass {flag} env:NAME or {flag} - (stdin)"
        ))),
        Err(message) => Err(usage(&message)),
    }
}

/// A signature as the command shows it.
pub(crate) struct Printed {
    /// The vendor's name.
    pub(crate) vendor: &'static str,
    /// The signing mode.
    pub(crate) mode: &'static str,
    /// What was signed, the secret masked.
    pub(crate) canonical: String,
    /// `None` when the value is the secret itself.
    pub(crate) value: Option<String>,
    /// The request parameter that carries the signature.
    pub(crate) parameter: &'static str,
    /// The secret, named (never its value).
    pub(crate) what_is_secret: &'static str,
    /// The signed time, when the vendor signs one.
    pub(crate) time: Option<u64>,
    /// Whether the signature the user sent matches.
    pub(crate) matches: Option<bool>,
}

/// Prints the signature; exit 1 when the one sent differs.
pub(crate) fn print_signature(global: &GlobalArgs, p: &Printed) -> ExitCode {
    match global.output {
        OutputFormat::Json => stdout::json(&json!({
            "vendor": p.vendor,
            "mode": p.mode,
            "canonical": p.canonical,
            p.parameter: p.value,
            "value_is_secret": p.value.is_none(),
            "time": p.time,
            "matches": p.matches,
        })),
        OutputFormat::Human => {
            stdout::line(&format!("{} {} signature", p.vendor, p.mode));
            if let Some(time) = p.time {
                stdout::line(&format!("time:      {time}"));
            }
            stdout::line(&format!("canonical: {}", p.canonical));
            match &p.value {
                Some(value) => {
                    stdout::line(&format!("{}:{} {value}", p.parameter, pad(p.parameter)))
                }
                None => stdout::line(&format!(
                    "{}:{} {} itself (not printed)",
                    p.parameter,
                    pad(p.parameter),
                    p.what_is_secret
                )),
            }
            match p.matches {
                Some(true) => stdout::line(&format!("the {} you sent matches", p.parameter)),
                Some(false) => stdout::line(&format!(
                    "the {} you sent DIFFERS: compare your canonical string with the one above",
                    p.parameter
                )),
                None => {}
            }
        }
    }
    match p.matches {
        Some(false) => ExitCode::from(exit::NEGATIVE),
        _ => ExitCode::from(exit::OK),
    }
}

fn pad(label: &str) -> String {
    " ".repeat("canonical".len().saturating_sub(label.len()))
}

/// The current unix time in seconds.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
