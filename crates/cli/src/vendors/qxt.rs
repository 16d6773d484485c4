//! QXT (企讯通): its `[qxt]` table and `SHIMING_QXT_*` variables, and how they become the
//! facade's [`QxtConfig`].

use super::Credential;
use super::{Required, Var, override_with};
use crate::commands::secret_source::{self, SecretSource, Secrets};
use crate::setting::{ConfigError, Hidden, check_endpoint};
use serde::Deserialize;
use shiming::codec::qxt::QxtConfig;
use shiming::sign::Secret;
use shiming_emulator::EmulatorConfig;
use shiming_emulator::sandbox;

/// Every variable of the vendor.
pub(super) const VARIABLES: &[&str] = &["SHIMING_QXT_APIKEY", "SHIMING_QXT_ENDPOINT"];

/// The variables that supply the credentials, for messages.
pub(super) const CREDENTIALS: &str = "SHIMING_QXT_APIKEY";

/// Settings of the QXT account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QxtSettings {
    /// API key.
    pub(crate) apikey: Option<Hidden>,
    /// Base URL.
    pub(crate) endpoint: Option<String>,
}

impl QxtSettings {
    /// Applies the variables over the file's values and checks them.
    pub(super) fn apply_env(&mut self, var: &Var<'_>) -> Result<(), ConfigError> {
        override_with(&mut self.apikey, var("SHIMING_QXT_APIKEY").map(Hidden));
        override_with(&mut self.endpoint, var("SHIMING_QXT_ENDPOINT"));
        match &self.endpoint {
            Some(url) => check_endpoint("qxt endpoint", url),
            None => Ok(()),
        }
    }

    /// Whether any setting is given.
    pub(super) fn any_set(&self) -> bool {
        self.apikey.is_some() || self.endpoint.is_some()
    }

    /// What a call needs, and whether it is set.
    pub(super) fn required(&self) -> Vec<Required> {
        vec![(
            "SHIMING_QXT_APIKEY (apikey in [qxt])",
            self.apikey.is_some(),
        )]
    }

    /// The account's config; `endpoint` (`--endpoint`) beats the account's own, and without
    /// either the documented host is used.
    pub(super) fn config(&self, endpoint: Option<&str>) -> Result<QxtConfig, String> {
        let Some(apikey) = &self.apikey else {
            return Err(format!("qxt is not configured: set {CREDENTIALS}"));
        };
        with_endpoint(
            QxtConfig::new(Secret::new(apikey.expose())),
            endpoint.or(self.endpoint.as_deref()),
        )
    }

    /// The sandbox account at `url`.
    pub(super) fn sandbox(url: &str) -> Result<QxtConfig, String> {
        with_endpoint(QxtConfig::new(Secret::new(sandbox::QXT_APIKEY)), Some(url))
    }
}

fn with_endpoint(config: QxtConfig, endpoint: Option<&str>) -> Result<QxtConfig, String> {
    match endpoint {
        Some(url) => config
            .with_base_url(url)
            .map_err(|e| format!("qxt endpoint: {e}")),
        None => Ok(config),
    }
}

/// The QXT account `shiming serve` accepts.
#[derive(Debug, clap::Args)]
pub(crate) struct QxtServeArgs {
    /// Where the QXT apikey to accept comes from: `env:NAME` or `-` (stdin). Default:
    /// $SHIMING_QXT_APIKEY.
    #[arg(long, value_name = "env:NAME|-", value_parser = secret_source::parse)]
    qxt_apikey: Option<SecretSource>,
}

impl QxtServeArgs {
    /// Adds the account to `config`, noting each credential in `credentials`.
    pub(super) fn configure(
        self,
        config: EmulatorConfig,
        secrets: &mut Secrets,
        credentials: &mut Vec<Credential>,
    ) -> Result<EmulatorConfig, String> {
        let apikey = Credential::secret(
            secrets,
            "--qxt-apikey",
            self.qxt_apikey.as_ref(),
            "SHIMING_QXT_APIKEY",
            sandbox::QXT_APIKEY,
        )?;
        let config = config.qxt_apikey(apikey.value.clone());
        credentials.push(apikey);
        Ok(config)
    }
}
