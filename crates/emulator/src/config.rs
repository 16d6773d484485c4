//! Start-up configuration: accepted credentials, balances, rate limit, faults and clock.

use crate::faults::Faults;
use crate::sandbox;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

/// A vendor the emulator stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// wapi.cn: `/pyi/108/244` (mobile + name) and `/pyi/62/169` (ID number + name).
    Wapi,
    /// QXT: `/Phone_TwoElements` (mobile + name).
    Qxt,
    /// ihuyi: `/idcard/operzwsc/Submit.json` (operator status) and `GetNum.json` (balance).
    Ihuyi,
}

impl Vendor {
    /// Every vendor, in a stable order.
    pub const ALL: [Vendor; 3] = [Vendor::Wapi, Vendor::Qxt, Vendor::Ihuyi];

    /// Lowercase name, as in the ledger and the control endpoints.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Wapi => "wapi",
            Vendor::Qxt => "qxt",
            Vendor::Ihuyi => "ihuyi",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Vendor::Wapi => 0,
            Vendor::Qxt => 1,
            Vendor::Ihuyi => 2,
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// "Same name or number checked too often": more than `max_checks` checks of one number within
/// `window` (a fixed window opened by the first check) are answered as rate-limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Checks of one number allowed per window; the next one is refused.
    pub max_checks: u32,
    /// Length of the window.
    pub window: Duration,
}

impl Default for RateLimit {
    /// 100 checks of one number per 60 seconds: generous enough that ordinary tests never meet it.
    fn default() -> Self {
        Self {
            max_checks: 100,
            window: Duration::from_secs(60),
        }
    }
}

/// Default balance of every vendor account (billed calls left).
pub const DEFAULT_BALANCE: u64 = 1_000_000;

/// Everything the emulator needs at start. `Default` accepts the [`sandbox`] credentials.
#[derive(Clone)]
pub struct EmulatorConfig {
    pub(crate) addr: SocketAddr,
    pub(crate) wapi_appid: String,
    pub(crate) wapi_secret: String,
    pub(crate) wapi_auth: WapiAuth,
    pub(crate) qxt_apikey: String,
    pub(crate) ihuyi_account: String,
    pub(crate) ihuyi_apikey: String,
    pub(crate) balances: [u64; 3],
    pub(crate) wapi_exhaustion: WapiExhaustion,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) faults: Faults,
    pub(crate) clock_offset_secs: i64,
    pub(crate) time_tolerance_secs: i64,
    pub(crate) shutdown_grace: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            wapi_appid: sandbox::WAPI_APPID.to_owned(),
            wapi_secret: sandbox::WAPI_SECRET.to_owned(),
            wapi_auth: WapiAuth::Md5,
            qxt_apikey: sandbox::QXT_APIKEY.to_owned(),
            ihuyi_account: sandbox::IHUYI_ACCOUNT.to_owned(),
            ihuyi_apikey: sandbox::IHUYI_APIKEY.to_owned(),
            balances: [DEFAULT_BALANCE; 3],
            wapi_exhaustion: WapiExhaustion::Quota,
            rate_limit: Some(RateLimit::default()),
            faults: Faults::default(),
            clock_offset_secs: 0,
            // Both wapi ("时差不能超过10分钟") and, by our choice, ihuyi's dynamic password.
            time_tolerance_secs: 600,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

impl fmt::Debug for EmulatorConfig {
    // Secrets never appear in Debug output, even sandbox ones: the same type carries real ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("addr", &self.addr)
            .field("wapi_appid", &self.wapi_appid)
            .field("wapi_secret", &"***")
            .field("wapi_auth", &self.wapi_auth)
            .field("qxt_apikey", &"***")
            .field("ihuyi_account", &self.ihuyi_account)
            .field("ihuyi_apikey", &"***")
            .field("balances", &self.balances)
            .field("wapi_exhaustion", &self.wapi_exhaustion)
            .field("rate_limit", &self.rate_limit)
            .field("faults", &self.faults)
            .field("clock_offset_secs", &self.clock_offset_secs)
            .finish_non_exhaustive()
    }
}

impl EmulatorConfig {
    /// Address to listen on (default `127.0.0.1:0`: a free port, see `base_url()`).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// wapi application id accepted.
    pub fn wapi_appid(mut self, appid: impl Into<String>) -> Self {
        self.wapi_appid = appid.into();
        self
    }

    /// wapi application secret accepted.
    pub fn wapi_secret(mut self, secret: impl Into<String>) -> Self {
        self.wapi_secret = secret.into();
        self
    }

    /// wapi authentication mode of the account.
    pub fn wapi_auth(mut self, auth: WapiAuth) -> Self {
        self.wapi_auth = auth;
        self
    }

    /// QXT apikey accepted.
    pub fn qxt_apikey(mut self, apikey: impl Into<String>) -> Self {
        self.qxt_apikey = apikey.into();
        self
    }

    /// ihuyi APIID accepted.
    pub fn ihuyi_account(mut self, account: impl Into<String>) -> Self {
        self.ihuyi_account = account.into();
        self
    }

    /// ihuyi APIKEY accepted.
    pub fn ihuyi_apikey(mut self, apikey: impl Into<String>) -> Self {
        self.ihuyi_apikey = apikey.into();
        self
    }

    /// Starting balance (billed calls left) of one vendor's account.
    pub fn balance(mut self, vendor: Vendor, calls: u64) -> Self {
        self.balances[vendor.index()] = calls;
        self
    }

    /// Which wapi code answers once the wapi balance is spent (default 10018).
    pub fn wapi_exhaustion(mut self, exhaustion: WapiExhaustion) -> Self {
        self.wapi_exhaustion = exhaustion;
        self
    }

    /// Rate limit on repeated checks of one number; `None` turns it off (e.g. for benchmarks
    /// that replay one request).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Faults applied to every vendor request from the start (see [`Faults`]).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Shortcut: a fixed latency before every vendor answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.faults.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Offset of the emulator's clock from the machine's, in seconds (fakes vendor clock skew).
    pub fn clock_offset_secs(mut self, offset: i64) -> Self {
        self.clock_offset_secs = offset;
        self
    }

    /// How long `shutdown()` waits for requests in flight before closing connections.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }
}
