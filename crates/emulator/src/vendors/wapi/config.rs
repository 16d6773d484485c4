//! wapi's configuration: the account's credentials, its signing mode and which code a spent
//! balance answers, with their builder methods on [`EmulatorConfig`].

use crate::config::EmulatorConfig;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the wapi account verifies `sign` (set per application in the vendor's console).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WapiAuth {
    /// `sign` = lowercase hex MD5 of the sorted non-empty parameters followed by the secret.
    #[default]
    Md5,
    /// `sign` = the secret itself.
    Hash,
}

impl FromStr for WapiAuth {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "md5" => Ok(WapiAuth::Md5),
            "hash" => Ok(WapiAuth::Hash),
            other => Err(format!("wapi auth mode must be md5 or hash, not {other:?}")),
        }
    }
}

/// Which documented wapi code answers once the balance is spent: both exist (10018 次数不足
/// for a per-API call quota, 10022 帐户余额不足 for a money wallet) and the document does not say
/// which an account gets, so it is configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WapiExhaustion {
    /// Codeid 10018 (次数不足).
    #[default]
    Quota,
    /// Codeid 10022 (帐户余额不足,请充值!).
    Wallet,
}

impl WapiExhaustion {
    pub(crate) fn code(self) -> i64 {
        match self {
            WapiExhaustion::Quota => 10018,
            WapiExhaustion::Wallet => 10022,
        }
    }
}

/// The documented sandbox account: what the emulator accepts when nothing else is configured.
pub(crate) mod sandbox {
    /// wapi application id of the sandbox account.
    pub const APPID: &str = "sandbox";
    /// wapi application secret (32 characters, like a real one).
    pub const SECRET: &str = "sandbox-wapi-secret-0123456789ab";
    /// wapi authentication mode of the sandbox account, as `SHIMING_WAPI_AUTH` spells it.
    pub const AUTH: &str = "md5";
}

/// The wapi account the emulator accepts (`Debug` masks the secret).
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) appid: String,
    pub(crate) secret: String,
    pub(crate) auth: WapiAuth,
    pub(crate) exhaustion: WapiExhaustion,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            appid: sandbox::APPID.to_owned(),
            secret: sandbox::SECRET.to_owned(),
            auth: WapiAuth::Md5,
            exhaustion: WapiExhaustion::Quota,
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("wapi")
            .field("appid", &self.appid)
            .field("secret", &"***")
            .field("auth", &self.auth)
            .field("exhaustion", &self.exhaustion)
            .finish()
    }
}

impl EmulatorConfig {
    /// wapi application id accepted.
    pub fn wapi_appid(self, appid: impl Into<String>) -> Self {
        self.with_settings(|wapi: &mut Settings| wapi.appid = appid.into())
    }

    /// wapi application secret accepted.
    pub fn wapi_secret(self, secret: impl Into<String>) -> Self {
        self.with_settings(|wapi: &mut Settings| wapi.secret = secret.into())
    }

    /// wapi authentication mode of the account.
    pub fn wapi_auth(self, auth: WapiAuth) -> Self {
        self.with_settings(|wapi: &mut Settings| wapi.auth = auth)
    }

    /// Which wapi code answers once the wapi balance is spent (default 10018).
    pub fn wapi_exhaustion(self, exhaustion: WapiExhaustion) -> Self {
        self.with_settings(|wapi: &mut Settings| wapi.exhaustion = exhaustion)
    }
}
