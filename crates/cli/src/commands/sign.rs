//! `shiming sign wapi|ihuyi`: shows what a signature was computed over, for the day a vendor
//! answers "sign mismatch" (wapi 10003, ihuyi 40502).
//!
//! Prints the canonical string with the secret replaced by `***`, and the digest. A secret is
//! never printed: in wapi Hash mode (and for an ihuyi static password) the `sign` value IS the
//! secret, so the command says so instead of echoing it. Pass the `sign=` you actually sent
//! and the command also tells whether it matches (exit 1 when it does not).

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
    /// Application secret (default: $SHIMING_WAPI_SECRET, which keeps it out of shell history).
    #[arg(long, env = "SHIMING_WAPI_SECRET", hide_env_values = true)]
    secret: String,
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
    /// APIKEY (default: $SHIMING_IHUYI_APIKEY).
    #[arg(long, env = "SHIMING_IHUYI_APIKEY", hide_env_values = true)]
    apikey: String,
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

fn run_wapi(global: &GlobalArgs, args: WapiSignArgs) -> ExitCode {
    if args.secret.is_empty() {
        return usage("--secret is empty");
    }
    let mut params = Vec::with_capacity(args.params.len());
    for param in &args.params {
        match param.split_once('=') {
            Some((key, value)) if !key.is_empty() => params.push((key, value)),
            _ => return usage(&format!("`{param}` is not KEY=VALUE")),
        }
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
    let secret = Secret::new(args.secret);
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
    if args.apikey.is_empty() || args.account.is_empty() {
        return usage("--account and --apikey must not be empty");
    }
    let time = args.time.unwrap_or_else(now);
    let apikey = Secret::new(args.apikey);
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
