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

use super::secret_source::{self, SecretSource, Secrets};
use crate::global::{GlobalArgs, OutputFormat};
use crate::{exit, stdout};
use serde_json::json;
use shiming::sign::{Secret, UnixTime, ihuyi, wapi};
use std::process::ExitCode;

/// `shiming sign <vendor>`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SignCommand {
    /// wapi MD5 or Hash signature over KEY=VALUE parameters (all request parameters: appid,
    /// bank_name, mobile, format, time, …; a sign=… you sent is compared, not signed).
    Wapi(WapiSignArgs),
    /// ihuyi dynamic password (Submit with --mobile, GetNum without).
    Ihuyi(IhuyiSignArgs),
}

/// Arguments of `sign wapi`.
#[derive(Debug, clap::Args)]
pub(crate) struct WapiSignArgs {
    /// Where the application secret comes from: `env:NAME` (a variable) or `-` (one line of
    /// stdin). Default: $SHIMING_WAPI_SECRET. Never the secret itself: command lines show in
    /// `ps`.
    #[arg(long, value_name = "env:NAME|-", value_parser = secret_source::parse)]
    secret: Option<SecretSource>,
    /// Signing mode of the application.
    #[arg(long, value_enum, default_value_t = AuthArg::Md5)]
    auth: AuthArg,
    /// Request parameters as KEY=VALUE (values may contain `=`; empty values are left out
    /// of the signature, as wapi does).
    #[arg(value_name = "KEY=VALUE", required = true)]
    params: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AuthArg {
    Md5,
    Hash,
}

/// Arguments of `sign ihuyi`.
#[derive(Debug, clap::Args)]
pub(crate) struct IhuyiSignArgs {
    /// APIID (`account`; default: $SHIMING_IHUYI_ACCOUNT).
    #[arg(long, env = "SHIMING_IHUYI_ACCOUNT")]
    account: String,
    /// Where the APIKEY comes from: `env:NAME` (a variable) or `-` (one line of stdin).
    /// Default: $SHIMING_IHUYI_APIKEY. Never the key itself: command lines show in `ps`.
    #[arg(long, value_name = "env:NAME|-", value_parser = secret_source::parse)]
    apikey: Option<SecretSource>,
    /// The request's `time` (unix seconds); default: now.
    #[arg(long)]
    time: Option<u64>,
    /// The mobile number of a Submit request; leave out for GetNum (balance).
    #[arg(long)]
    mobile: Option<String>,
    /// The password you sent, to compare with the computed one.
    #[arg(long)]
    password: Option<String>,
}

/// Runs the subcommand.
pub(crate) fn run(global: &GlobalArgs, command: SignCommand) -> ExitCode {
    match command {
        SignCommand::Wapi(args) => run_wapi(global, args),
        SignCommand::Ihuyi(args) => run_ihuyi(global, args),
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(exit::USAGE)
}

/// The secret behind `flag`, or the usage error to print.
fn secret(flag: &str, source: Option<&SecretSource>, variable: &str) -> Result<Secret, ExitCode> {
    match Secrets::default().resolve(flag, source, variable) {
        Ok(Some(value)) => Ok(Secret::new(value)),
        Ok(None) => Err(usage(&format!(
            "no secret: set {variable}, or pass {flag} env:NAME or {flag} - (stdin)"
        ))),
        Err(message) => Err(usage(&message)),
    }
}

fn run_wapi(global: &GlobalArgs, args: WapiSignArgs) -> ExitCode {
    let secret = match secret("--secret", args.secret.as_ref(), "SHIMING_WAPI_SECRET") {
        Ok(secret) => secret,
        Err(code) => return code,
    };
    let mut params = Vec::with_capacity(args.params.len());
    for (index, param) in args.params.iter().enumerate() {
        match param.split_once('=') {
            Some((key, value)) if !key.is_empty() => params.push((key, value)),
            // Not repeated: it may be a secret typed in the wrong place.
            _ => {
                return usage(&format!(
                    "parameter {} is not KEY=VALUE (not repeated here: it could be a secret)",
                    index + 1
                ));
            }
        }
    }
    if args.auth == AuthArg::Hash
        && params
            .iter()
            .any(|(k, v)| *k == wapi::SIGN_PARAM && !v.is_empty())
    {
        return usage(
            "in Hash mode the sign value is the secret itself: leave sign=… off the command \
             line (it shows in ps) and compare the canonical string this command prints \
             with your request's parameters",
        );
    }
    let sent = params
        .iter()
        .find(|(k, _)| *k == wapi::SIGN_PARAM)
        .map(|(_, v)| *v);
    if !params.iter().any(|(k, _)| *k == "time") {
        eprintln!("note: no time=… parameter; wapi requests carry one and it is signed");
    }
    let mode = match args.auth {
        AuthArg::Md5 => wapi::AuthMode::Md5,
        AuthArg::Hash => wapi::AuthMode::Hash,
    };
    let signature = wapi::sign(mode, &params, &secret);
    let matches = sent.map(|s| s == signature.value());
    let mode_name = match mode {
        wapi::AuthMode::Md5 => "md5",
        wapi::AuthMode::Hash => "hash",
    };
    print_signature(
        global,
        &Printed {
            vendor: "wapi",
            mode: mode_name,
            canonical: signature.canonical_masked(),
            value: (!signature.value_is_secret()).then(|| signature.value().to_string()),
            parameter: "sign",
            what_is_secret: "the application secret",
            time: None,
            matches,
        },
    )
}

fn run_ihuyi(global: &GlobalArgs, args: IhuyiSignArgs) -> ExitCode {
    if args.account.is_empty() {
        return usage("--account must not be empty");
    }
    let apikey = match secret("--apikey", args.apikey.as_ref(), "SHIMING_IHUYI_APIKEY") {
        Ok(apikey) => apikey,
        Err(code) => return code,
    };
    let time = args.time.unwrap_or_else(now);
    let signature = ihuyi::dynamic_password(
        &args.account,
        &apikey,
        args.mobile.as_deref(),
        UnixTime(time),
    );
    let matches = args
        .password
        .as_deref()
        .map(|p| p.eq_ignore_ascii_case(signature.value()));
    print_signature(
        global,
        &Printed {
            vendor: "ihuyi",
            mode: if args.mobile.is_some() {
                "dynamic (Submit)"
            } else {
                "dynamic (GetNum)"
            },
            canonical: signature.canonical_masked(),
            value: (!signature.value_is_secret()).then(|| signature.value().to_string()),
            parameter: "password",
            what_is_secret: "the APIKEY",
            time: Some(time),
            matches,
        },
    )
}

struct Printed {
    vendor: &'static str,
    mode: &'static str,
    canonical: String,
    /// `None` when the value is the secret itself.
    value: Option<String>,
    parameter: &'static str,
    what_is_secret: &'static str,
    time: Option<u64>,
    matches: Option<bool>,
}

fn print_signature(global: &GlobalArgs, p: &Printed) -> ExitCode {
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

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
