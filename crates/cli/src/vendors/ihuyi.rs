//! ihuyi (互亿无线): its `[ihuyi]` table and `SHIMING_IHUYI_*` variables, and how they become
//! the facade's [`IhuyiConfig`].

use super::Credential;
use super::{Required, Var, override_with};
use crate::commands::secret_source::{self, SecretSource, Secrets};
use crate::commands::sign::{Printed, now, print_signature, secret as sign_secret, usage};
use crate::global::GlobalArgs;
use crate::setting::{ConfigError, Hidden, check_endpoint};
use serde::Deserialize;
use shiming::codec::ihuyi::IhuyiConfig;
use shiming::sign::ihuyi as signer;
use shiming::sign::{Secret, UnixTime};
use shiming_emulator::EmulatorConfig;
use shiming_emulator::sandbox;
use std::process::ExitCode;

/// Every variable of the vendor.
pub(super) const VARIABLES: &[&str] = &[
    "SHIMING_IHUYI_ACCOUNT",
    "SHIMING_IHUYI_APIKEY",
    "SHIMING_IHUYI_ENDPOINT",
];

/// The variables that supply the credentials, for messages.
pub(super) const CREDENTIALS: &str = "SHIMING_IHUYI_ACCOUNT and SHIMING_IHUYI_APIKEY";

/// Settings of the ihuyi account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IhuyiSettings {
    /// APIID.
    pub(crate) account: Option<String>,
    /// APIKEY.
    pub(crate) apikey: Option<Hidden>,
    /// Base URL.
    pub(crate) endpoint: Option<String>,
}

impl IhuyiSettings {
    /// Applies the variables over the file's values and checks them.
    pub(super) fn apply_env(&mut self, var: &Var<'_>) -> Result<(), ConfigError> {
        override_with(&mut self.account, var("SHIMING_IHUYI_ACCOUNT"));
        override_with(&mut self.apikey, var("SHIMING_IHUYI_APIKEY").map(Hidden));
        override_with(&mut self.endpoint, var("SHIMING_IHUYI_ENDPOINT"));
        match &self.endpoint {
            Some(url) => check_endpoint("ihuyi endpoint", url),
            None => Ok(()),
        }
    }

    /// Whether any setting is given.
    pub(super) fn any_set(&self) -> bool {
        self.account.is_some() || self.apikey.is_some() || self.endpoint.is_some()
    }

    /// What a call needs, and whether it is set.
    pub(super) fn required(&self) -> Vec<Required> {
        vec![
            (
                "SHIMING_IHUYI_ACCOUNT (account in [ihuyi])",
                self.account.is_some(),
            ),
            (
                "SHIMING_IHUYI_APIKEY (apikey in [ihuyi])",
                self.apikey.is_some(),
            ),
        ]
    }

    /// The account's config; `endpoint` (`--endpoint`) beats the account's own, and without
    /// either the documented host is used.
    pub(super) fn config(&self, endpoint: Option<&str>) -> Result<IhuyiConfig, String> {
        let (Some(account), Some(apikey)) = (&self.account, &self.apikey) else {
            return Err(format!("ihuyi is not configured: set {CREDENTIALS}"));
        };
        with_endpoint(
            IhuyiConfig::new(account.trim(), Secret::new(apikey.expose())),
            endpoint.or(self.endpoint.as_deref()),
        )
    }

    /// The sandbox account at `url`.
    pub(super) fn sandbox(url: &str) -> Result<IhuyiConfig, String> {
        with_endpoint(
            IhuyiConfig::new(sandbox::IHUYI_ACCOUNT, Secret::new(sandbox::IHUYI_APIKEY)),
            Some(url),
        )
    }
}

fn with_endpoint(config: IhuyiConfig, endpoint: Option<&str>) -> Result<IhuyiConfig, String> {
    match endpoint {
        Some(url) => config
            .with_base_url(url)
            .map_err(|e| format!("ihuyi endpoint: {e}")),
        None => Ok(config),
    }
}

/// The ihuyi account `shiming serve` accepts.
#[derive(Debug, clap::Args)]
pub(crate) struct IhuyiServeArgs {
    /// ihuyi account (APIID) to accept.
    #[arg(long, env = "SHIMING_IHUYI_ACCOUNT", hide_env_values = true)]
    ihuyi_account: Option<String>,
    /// Where the ihuyi APIKEY to accept comes from: `env:NAME` or `-` (stdin). Default:
    /// $SHIMING_IHUYI_APIKEY.
    #[arg(long, value_name = "env:NAME|-", value_parser = secret_source::parse)]
    ihuyi_apikey: Option<SecretSource>,
}

impl IhuyiServeArgs {
    /// Adds the account to `config`, noting each credential in `credentials`.
    pub(super) fn configure(
        self,
        config: EmulatorConfig,
        secrets: &mut Secrets,
        credentials: &mut Vec<Credential>,
    ) -> Result<EmulatorConfig, String> {
        let account = Credential::new(
            "SHIMING_IHUYI_ACCOUNT",
            self.ihuyi_account,
            sandbox::IHUYI_ACCOUNT,
        );
        let apikey = Credential::secret(
            secrets,
            "--ihuyi-apikey",
            self.ihuyi_apikey.as_ref(),
            "SHIMING_IHUYI_APIKEY",
            sandbox::IHUYI_APIKEY,
        )?;
        let config = config
            .ihuyi_account(account.value.clone())
            .ihuyi_apikey(apikey.value.clone());
        credentials.extend([account, apikey]);
        Ok(config)
    }
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

/// Runs `sign ihuyi`.
pub(super) fn sign(global: &GlobalArgs, args: IhuyiSignArgs) -> ExitCode {
    if args.account.is_empty() {
        return usage("--account must not be empty");
    }
    let apikey = match sign_secret("--apikey", args.apikey.as_ref(), "SHIMING_IHUYI_APIKEY") {
        Ok(apikey) => apikey,
        Err(code) => return code,
    };
    let time = args.time.unwrap_or_else(now);
    let signature = signer::dynamic_password(
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
