//! wapi.cn: its `[wapi]` table and `SHIMING_WAPI_*` variables, and how they become the
//! facade's [`WapiConfig`].

use super::Credential;
use super::{Required, Var, override_with};
use crate::commands::secret_source::{self, SecretSource, Secrets};
use crate::commands::sign::{Printed, print_signature, secret as sign_secret, usage};
use crate::global::GlobalArgs;
use crate::setting::{ConfigError, Hidden, check_endpoint};
use serde::Deserialize;
use shiming::codec::wapi::{AuthMode, WapiConfig, WapiFormat};
use shiming::sign::Secret;
use shiming::sign::wapi as signer;
use shiming_emulator::EmulatorConfig;
use shiming_emulator::sandbox;
use std::process::ExitCode;

/// Every variable of the vendor.
pub(super) const VARIABLES: &[&str] = &[
    "SHIMING_WAPI_APPID",
    "SHIMING_WAPI_SECRET",
    "SHIMING_WAPI_AUTH",
    "SHIMING_WAPI_FORMAT",
    "SHIMING_WAPI_ENDPOINT",
];

/// The variables that supply the credentials, for messages.
pub(super) const CREDENTIALS: &str = "SHIMING_WAPI_APPID and SHIMING_WAPI_SECRET";

/// wapi signing mode (`SHIMING_WAPI_AUTH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum WapiAuth {
    /// MD5 over the sorted parameters and the secret (the default).
    Md5,
    /// The secret itself travels as `sign`.
    Hash,
}

impl WapiAuth {
    /// `md5` or `hash`, in any case.
    fn parse(text: &str) -> Option<WapiAuth> {
        match text.trim().to_ascii_lowercase().as_str() {
            "md5" => Some(WapiAuth::Md5),
            "hash" => Some(WapiAuth::Hash),
            _ => None,
        }
    }

    fn mode(self) -> AuthMode {
        match self {
            WapiAuth::Md5 => AuthMode::Md5,
            WapiAuth::Hash => AuthMode::Hash,
        }
    }
}

/// Settings of the wapi account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WapiSettings {
    /// Application id.
    pub(crate) appid: Option<String>,
    /// Application secret.
    pub(crate) secret: Option<Hidden>,
    /// Signing mode.
    pub(crate) auth: Option<WapiAuth>,
    /// Answer format: `json`, `xml`, `jsonp` or `jsonp:<callback>`.
    pub(crate) format: Option<String>,
    /// Base URL (wapi's host is per account).
    pub(crate) endpoint: Option<String>,
    /// `format`, parsed once when the variables are applied.
    #[serde(skip)]
    parsed_format: Option<WapiFormat>,
}

impl WapiSettings {
    /// Applies the variables over the file's values and checks them.
    pub(super) fn apply_env(&mut self, var: &Var<'_>) -> Result<(), ConfigError> {
        override_with(&mut self.appid, var("SHIMING_WAPI_APPID"));
        override_with(&mut self.secret, var("SHIMING_WAPI_SECRET").map(Hidden));
        if let Some(v) = var("SHIMING_WAPI_AUTH") {
            self.auth = Some(WapiAuth::parse(&v).ok_or_else(|| {
                ConfigError(format!(
                    "SHIMING_WAPI_AUTH must be md5 or hash, not `{}`",
                    v.trim().to_ascii_lowercase()
                ))
            })?);
        }
        override_with(&mut self.format, var("SHIMING_WAPI_FORMAT"));
        self.parsed_format = match &self.format {
            Some(format) => Some(format.parse::<WapiFormat>().map_err(|_| {
                ConfigError(format!(
                    "wapi format (SHIMING_WAPI_FORMAT or [wapi] format) must be json, xml, \
                     jsonp or jsonp:<callback>, not `{format}`"
                ))
            })?),
            None => None,
        };
        override_with(&mut self.endpoint, var("SHIMING_WAPI_ENDPOINT"));
        match &self.endpoint {
            Some(url) => check_endpoint("wapi endpoint", url),
            None => Ok(()),
        }
    }

    /// Whether any setting is given.
    pub(super) fn any_set(&self) -> bool {
        self.appid.is_some()
            || self.secret.is_some()
            || self.auth.is_some()
            || self.format.is_some()
            || self.endpoint.is_some()
    }

    /// What a call needs, and whether it is set (`--endpoint` stands for the endpoint).
    pub(super) fn required(&self, endpoint_flag: bool) -> Vec<Required> {
        vec![
            ("SHIMING_WAPI_APPID (appid in [wapi])", self.appid.is_some()),
            (
                "SHIMING_WAPI_SECRET (secret in [wapi])",
                self.secret.is_some(),
            ),
            (
                "SHIMING_WAPI_ENDPOINT (endpoint in [wapi]; wapi's host is per account)",
                self.endpoint.is_some() || endpoint_flag,
            ),
        ]
    }

    /// The account's config; `endpoint` (`--endpoint`) beats the account's own.
    pub(super) fn config(&self, endpoint: Option<&str>) -> Result<WapiConfig, String> {
        let (Some(appid), Some(secret), Some(endpoint)) = (
            &self.appid,
            &self.secret,
            endpoint.or(self.endpoint.as_deref()),
        ) else {
            return Err(format!(
                "wapi is not configured: set {CREDENTIALS} and SHIMING_WAPI_ENDPOINT"
            ));
        };
        let config = WapiConfig::new(endpoint, appid.trim(), Secret::new(secret.expose()))
            .map_err(|e| format!("wapi settings: {e}"))?;
        Ok(self.with_format(config.with_auth(self.auth.unwrap_or(WapiAuth::Md5).mode())))
    }

    /// The sandbox account at `url`, in the configured answer format (not a credential: the
    /// sandbox speaks all of them).
    pub(super) fn sandbox(&self, url: &str) -> Result<WapiConfig, String> {
        let auth = WapiAuth::parse(sandbox::WAPI_AUTH).unwrap_or(WapiAuth::Md5);
        let config = WapiConfig::new(url, sandbox::WAPI_APPID, Secret::new(sandbox::WAPI_SECRET))
            .map_err(|e| format!("sandbox URL: {e}"))?;
        Ok(self.with_format(config.with_auth(auth.mode())))
    }

    fn with_format(&self, config: WapiConfig) -> WapiConfig {
        match &self.parsed_format {
            Some(format) => config.with_format(format.clone()),
            None => config,
        }
    }
}

/// The wapi account `shiming serve` accepts.
#[derive(Debug, clap::Args)]
pub(crate) struct WapiServeArgs {
    /// wapi appid to accept.
    #[arg(long, env = "SHIMING_WAPI_APPID", hide_env_values = true)]
    wapi_appid: Option<String>,
    /// Where the wapi secret to accept comes from: `env:NAME` or `-` (stdin). Default:
    /// $SHIMING_WAPI_SECRET. Never the secret itself: command lines show in `ps`.
    #[arg(long, value_name = "env:NAME|-", value_parser = secret_source::parse)]
    wapi_secret: Option<SecretSource>,
    /// wapi authentication mode: md5 or hash.
    #[arg(long, env = "SHIMING_WAPI_AUTH", value_parser = parse_emulator_auth)]
    wapi_auth: Option<shiming_emulator::WapiAuth>,
}

fn parse_emulator_auth(text: &str) -> Result<shiming_emulator::WapiAuth, String> {
    text.parse()
}

impl WapiServeArgs {
    /// Adds the account to `config`, noting each credential in `credentials`.
    pub(super) fn configure(
        self,
        config: EmulatorConfig,
        secrets: &mut Secrets,
        credentials: &mut Vec<Credential>,
    ) -> Result<EmulatorConfig, String> {
        let appid = Credential::new("SHIMING_WAPI_APPID", self.wapi_appid, sandbox::WAPI_APPID);
        let secret = Credential::secret(
            secrets,
            "--wapi-secret",
            self.wapi_secret.as_ref(),
            "SHIMING_WAPI_SECRET",
            sandbox::WAPI_SECRET,
        )?;
        let auth = match self.wapi_auth {
            Some(auth) => auth,
            None => sandbox::WAPI_AUTH.parse()?,
        };
        let config = config
            .wapi_appid(appid.value.clone())
            .wapi_secret(secret.value.clone())
            .wapi_auth(auth);
        credentials.extend([appid, secret]);
        if self.wapi_auth.is_none() {
            credentials.push(Credential::new(
                "SHIMING_WAPI_AUTH",
                None,
                sandbox::WAPI_AUTH,
            ));
        }
        Ok(config)
    }
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

/// `--auth` of `sign wapi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AuthArg {
    Md5,
    Hash,
}

/// Runs `sign wapi`.
pub(super) fn sign(global: &GlobalArgs, args: WapiSignArgs) -> ExitCode {
    let secret = match sign_secret("--secret", args.secret.as_ref(), "SHIMING_WAPI_SECRET") {
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
            .any(|(k, v)| *k == signer::SIGN_PARAM && !v.is_empty())
    {
        return usage(
            "in Hash mode the sign value is the secret itself: leave sign=… off the command \
             line (it shows in ps) and compare the canonical string this command prints \
             with your request's parameters",
        );
    }
    let sent = params
        .iter()
        .find(|(k, _)| *k == signer::SIGN_PARAM)
        .map(|(_, v)| *v);
    if !params.iter().any(|(k, _)| *k == "time") {
        eprintln!("note: no time=… parameter; wapi requests carry one and it is signed");
    }
    let mode = match args.auth {
        AuthArg::Md5 => signer::AuthMode::Md5,
        AuthArg::Hash => signer::AuthMode::Hash,
    };
    let signature = signer::sign(mode, &params, &secret);
    let matches = sent.map(|s| s == signature.value());
    let mode_name = match mode {
        signer::AuthMode::Md5 => "md5",
        signer::AuthMode::Hash => "hash",
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
