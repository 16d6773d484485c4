//! `gateway.toml`: where to listen, where the shared state lives, the tenants, the limits.
//!
//! ```toml
//! listen = "127.0.0.1:8080"
//! store = "sqlite:/var/lib/shiming/gateway.db"   # or "redis://127.0.0.1:6379", or "memory"
//! hmac_key_file = "/etc/shiming/gateway.key"     # Redis: shared by every gateway (32+ bytes)
//! audit = "/var/log/shiming/audit.jsonl"         # or "stdout" (default: no audit)
//!
//! [tls]                                           # optional: plain HTTP behind a proxy without it
//! cert = "/etc/shiming/cert.pem"
//! key = "/etc/shiming/key.pem"
//!
//! [limits]                                        # defaults shown
//! max_body_bytes = 16384
//! max_header_bytes = 16384
//! request_timeout_secs = 60
//!
//! [prices]                                        # yuan per billed call, reserved from budgets
//! wapi_mobile = 0.6
//!
//! [[tenants]]
//! name = "signup"
//! key_sha256 = "…64 hex digits…"
//! qps = 20
//! daily_budget_yuan = 500
//! checks = ["mobile", "id", "status", "balance"]
//! require_purpose = true
//! ```
//!
//! Parsing is pure (a string in, a typed config or an error naming the field out), so every
//! rule is tested without files.

use crate::money::Units;
use serde::Deserialize;
use shiming::vendors;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GatewayConfig {
    /// Address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// Where the verdict cache, rate limits and budgets live.
    pub store: StoreUrl,
    /// The HMAC key file for cache keys in Redis (shared by every gateway on that Redis).
    pub hmac_key_file: Option<PathBuf>,
    /// Where the audit trail goes.
    pub audit: AuditTarget,
    /// Certificate and key files; `None` serves plain HTTP.
    pub tls: Option<TlsFiles>,
    /// Request size and time limits.
    pub limits: Limits,
    /// Yuan per billed call.
    pub prices: Prices,
    /// How long an answer is served from the cache, per check.
    pub cache_ttl: CacheTtl,
    /// Who may call, and how much.
    pub tenants: Vec<TenantConfig>,
}

/// Where the shared state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// This process only, forgotten on exit (tests, the sandbox).
    Memory,
    /// A shiming-store SQLite file (rate limits stay in this process).
    Sqlite(PathBuf),
    /// A Redis server shared by several gateways (`redis://HOST:PORT[/DB]`).
    Redis(String),
}

/// Where audit lines go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditTarget {
    /// Nowhere.
    Off,
    /// Standard output, after the `listening on` line.
    Stdout,
    /// Appended to this file (created owner-only).
    File(PathBuf),
}

/// TLS certificate chain and private key, PEM files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    /// Certificate chain (PEM).
    pub cert: PathBuf,
    /// Private key (PEM).
    pub key: PathBuf,
}

/// Bounds on what one request may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest request body; a larger one is a 413.
    pub max_body_bytes: usize,
    /// Largest request head (request line and headers); at least 8192.
    pub max_header_bytes: usize,
    /// Whole-request deadline, above the vendor timeout (30 s) so a vendor call is answered.
    pub request_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024,
            max_header_bytes: 16 * 1024,
            request_timeout_secs: 60,
        }
    }
}

impl Limits {
    /// The request deadline.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

/// Yuan per billed call, per vendor and check: `[prices]`, keyed `<vendor>_<check>` as the
/// command's ([`shiming::Prices`]; an unknown key or a price below 0 is an error naming it).
///
/// Defaults are the prices the vendors' documents state (wapi's smallest package, the CLI's
/// defaults too). Budgets need a price for every call, so a vendor and check without one is
/// reserved at the dearest listed price of the same check (QXT's mobile check at wapi's), or
/// at 0.1 yuan when no vendor lists one (ihuyi's status check) — set yours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices(shiming::Prices);

/// The reserve of a check no vendor lists a price for.
const UNLISTED_YUAN: f64 = 0.1;

impl Prices {
    /// `given`, with every vendor and check it leaves unpriced at its budget default (see
    /// [`Prices`]).
    pub fn for_budgets(given: shiming::Prices) -> Prices {
        let listed = shiming::Prices::listed();
        let mut defaults = shiming::Prices::none();
        for (vendor, check) in vendors::offered() {
            let dearest = vendors::offering(check)
                .into_iter()
                .filter_map(|offering| listed.get(offering, check))
                .reduce(f64::max);
            // Every pair comes from the registry and the price is finite: this cannot fail.
            let _ = defaults.set(vendor, check, dearest.unwrap_or(UNLISTED_YUAN));
        }
        Prices(given.or(defaults))
    }

    /// The price of one billed call of `check` at `vendor` (zero when that vendor does not
    /// offer it, or the check is never billed).
    pub fn of(&self, check: Check, vendor: shiming::Vendor) -> Units {
        check
            .checked()
            .and_then(|checked| self.0.get(vendor, checked))
            .map(Units::from_yuan)
            .unwrap_or_default()
    }

    /// What to reserve before a check: the dearest vendor it may end up at, so failover can
    /// never spend more than was reserved.
    pub fn to_reserve(&self, check: Check, vendors: &[shiming::Vendor]) -> Units {
        vendors
            .iter()
            .map(|vendor| self.of(check, *vendor))
            .max()
            .unwrap_or_default()
    }
}

impl Default for Prices {
    fn default() -> Self {
        Prices::for_budgets(shiming::Prices::listed())
    }
}

impl<'de> Deserialize<'de> for Prices {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        shiming::Prices::deserialize(deserializer).map(Prices::for_budgets)
    }
}

/// Days an answer stays in the cache, per check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheTtl {
    /// Mobile two-element answers.
    pub mobile_days: u32,
    /// ID-card two-element answers.
    pub id_days: u32,
    /// Mobile status answers.
    pub status_days: u32,
}

impl Default for CacheTtl {
    fn default() -> Self {
        CacheTtl {
            mobile_days: 30,
            id_days: 365,
            status_days: 7,
        }
    }
}

/// A check a tenant may be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// `POST /v1/mobile/two-elements`.
    Mobile,
    /// `POST /v1/idcard/two-elements`.
    Id,
    /// `POST /v1/mobile/status`.
    Status,
    /// `GET /v1/balance`.
    Balance,
}

impl Check {
    /// The vendor check this is; the balance is none (never billed, never cached).
    pub fn checked(self) -> Option<shiming::Check> {
        match self {
            Check::Mobile => Some(shiming::Check::MobileTwoElements),
            Check::Id => Some(shiming::Check::IdTwoElements),
            Check::Status => Some(shiming::Check::MobileStatus),
            Check::Balance => None,
        }
    }

    /// The name used in the config, metrics and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Mobile => "mobile",
            Check::Id => "id",
            Check::Status => "status",
            Check::Balance => "balance",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `[[tenants]]` entry.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    /// Shown in metrics, the audit trail and the status page.
    pub name: String,
    /// SHA-256 of the tenant's API key, 64 hex digits (`shiming gateway hash-key`).
    pub key_sha256: String,
    /// Requests per second.
    pub qps: u32,
    /// Yuan per UTC day this tenant may spend.
    pub daily_budget_yuan: f64,
    /// The checks it may run.
    pub checks: Vec<Check>,
    /// Refuse requests without a `Purpose` header.
    #[serde(default)]
    pub require_purpose: bool,
}

impl fmt::Debug for TenantConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The digest is not the key, but there is no reason to print it either.
        f.debug_struct("TenantConfig")
            .field("name", &self.name)
            .field("qps", &self.qps)
            .field("daily_budget_yuan", &self.daily_budget_yuan)
            .field("checks", &self.checks)
            .field("require_purpose", &self.require_purpose)
            .finish_non_exhaustive()
    }
}

impl TenantConfig {
    /// The daily budget in [`Units`].
    pub fn daily_budget(&self) -> Units {
        Units::from_yuan(self.daily_budget_yuan)
    }
}

/// Why a configuration was refused; names the file or field at fault.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub(crate) String);

/// The file as written, before checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: SocketAddr,
    #[serde(default)]
    store: Option<String>,
    #[serde(default)]
    hmac_key_file: Option<PathBuf>,
    #[serde(default)]
    audit: Option<String>,
    #[serde(default)]
    tls: Option<TlsFiles>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    prices: Prices,
    #[serde(default)]
    cache_ttl: CacheTtl,
    #[serde(default)]
    tenants: Vec<TenantConfig>,
}

impl GatewayConfig {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<GatewayConfig, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
        GatewayConfig::parse(&text)
            .map_err(|ConfigError(message)| ConfigError(format!("{}: {message}", path.display())))
    }

    /// Parses and checks the text of a configuration file.
    pub fn parse(text: &str) -> Result<GatewayConfig, ConfigError> {
        let file: FileConfig = toml::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
        let store = match file.store.as_deref().map(str::trim) {
            None | Some("memory") => StoreUrl::Memory,
            Some(url) if url.starts_with("sqlite:") => {
                let path = &url["sqlite:".len()..];
                if path.is_empty() {
                    return Err(ConfigError("store = \"sqlite:PATH\" needs a path".into()));
                }
                StoreUrl::Sqlite(PathBuf::from(path))
            }
            Some(url) if url.starts_with("redis://") => StoreUrl::Redis(url.to_string()),
            Some(other) => {
                return Err(ConfigError(format!(
                    "store must be \"sqlite:PATH\", \"redis://HOST:PORT\" or \"memory\", not {other:?}"
                )));
            }
        };
        if matches!(store, StoreUrl::Redis(_)) && file.hmac_key_file.is_none() {
            return Err(ConfigError(
                "store = \"redis://…\" needs hmac_key_file: the key every gateway on that Redis \
                 hashes cache keys with (32 or more random bytes)"
                    .into(),
            ));
        }
        let audit = match file.audit.as_deref() {
            None | Some("") | Some("off") => AuditTarget::Off,
            Some("stdout") | Some("-") => AuditTarget::Stdout,
            Some(path) => AuditTarget::File(PathBuf::from(path)),
        };
        if file.limits.max_header_bytes < 8192 {
            return Err(ConfigError(
                "limits.max_header_bytes must be at least 8192".into(),
            ));
        }
        if file.limits.max_body_bytes == 0 || file.limits.request_timeout_secs == 0 {
            return Err(ConfigError(
                "limits.max_body_bytes and limits.request_timeout_secs must be above 0".into(),
            ));
        }
        check_tenants(&file.tenants)?;
        Ok(GatewayConfig {
            listen: file.listen,
            store,
            hmac_key_file: file.hmac_key_file,
            audit,
            tls: file.tls,
            limits: file.limits,
            prices: file.prices,
            cache_ttl: file.cache_ttl,
            tenants: file.tenants,
        })
    }
}

/// Names unique, digests well-formed, numbers sensible.
pub(crate) fn check_tenants(tenants: &[TenantConfig]) -> Result<(), ConfigError> {
    let mut names = std::collections::BTreeSet::new();
    for tenant in tenants {
        let name = &tenant.name;
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(ConfigError(format!(
                "tenant name {name:?}: use 1 to 64 letters, digits, '-', '_' or '.'"
            )));
        }
        if !names.insert(name.as_str()) {
            return Err(ConfigError(format!("tenant {name:?} is listed twice")));
        }
        let digest = tenant.key_sha256.trim();
        if digest.len() != 64 || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ConfigError(format!(
                "tenant {name:?}: key_sha256 must be 64 hex digits (the SHA-256 of the key; \
                 `shiming gateway hash-key` makes both)"
            )));
        }
        if tenant.qps == 0 {
            return Err(ConfigError(format!(
                "tenant {name:?}: qps must be at least 1"
            )));
        }
        if !(tenant.daily_budget_yuan.is_finite() && tenant.daily_budget_yuan >= 0.0) {
            return Err(ConfigError(format!(
                "tenant {name:?}: daily_budget_yuan must be 0 or more"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const KEY: &str = "a3f1c6e0b5d24c8f9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e";

    #[test]
    fn a_full_file_parses() {
        let text = format!(
            "listen = \"127.0.0.1:0\"\nstore = \"sqlite:/tmp/x.db\"\naudit = \"stdout\"\n\
             [[tenants]]\nname = \"signup\"\nkey_sha256 = \"{KEY}\"\nqps = 20\n\
             daily_budget_yuan = 500\nchecks = [\"mobile\", \"id\"]\n"
        );
        let config = GatewayConfig::parse(&text).unwrap();
        assert_eq!(config.store, StoreUrl::Sqlite("/tmp/x.db".into()));
        assert_eq!(config.audit, AuditTarget::Stdout);
        assert_eq!(config.tenants[0].checks, vec![Check::Mobile, Check::Id]);
        assert!(!config.tenants[0].require_purpose);
        assert_eq!(config.limits, Limits::default());
        assert!(
            !format!("{config:?}").contains(KEY),
            "Debug hides the digest"
        );
    }

    #[test]
    fn prices_default_as_they_always_did_and_can_be_overridden() {
        use shiming::Vendor;
        let yuan = |prices: &Prices, check, vendor| prices.of(check, vendor).yuan();
        let defaults = Prices::default();
        assert_eq!(yuan(&defaults, Check::Mobile, Vendor::Wapi), 0.6);
        assert_eq!(yuan(&defaults, Check::Id, Vendor::Wapi), 0.16);
        assert_eq!(yuan(&defaults, Check::Mobile, Vendor::Qxt), 0.6);
        assert_eq!(yuan(&defaults, Check::Status, Vendor::Ihuyi), 0.1);
        assert_eq!(yuan(&defaults, Check::Id, Vendor::Qxt), 0.0);
        assert_eq!(yuan(&defaults, Check::Balance, Vendor::Ihuyi), 0.0);
        let text =
            "listen = \"127.0.0.1:0\"\n[prices]\nwapi_mobile = 0.45\nihuyi_mobile_status = 0";
        let prices = GatewayConfig::parse(text).unwrap().prices;
        assert_eq!(yuan(&prices, Check::Mobile, Vendor::Wapi), 0.45);
        assert_eq!(yuan(&prices, Check::Mobile, Vendor::Qxt), 0.6);
        assert_eq!(yuan(&prices, Check::Status, Vendor::Ihuyi), 0.0);
        assert_eq!(
            prices.to_reserve(Check::Mobile, &[Vendor::Wapi, Vendor::Qxt]),
            Units::from_yuan(0.6)
        );
    }

    #[test]
    fn mistakes_name_the_field() {
        let cases = [
            ("listen = \"x\"", "listen"),
            (
                "listen = \"127.0.0.1:0\"\nstore = \"postgres://x\"",
                "store",
            ),
            (
                "listen = \"127.0.0.1:0\"\nstore = \"redis://127.0.0.1:1\"",
                "hmac_key_file",
            ),
            ("listen = \"127.0.0.1:0\"\nlisten2 = 1", "listen2"),
            (
                "listen = \"127.0.0.1:0\"\n[prices]\nwapj_mobile = 0.4",
                "wapj_mobile",
            ),
            (
                "listen = \"127.0.0.1:0\"\n[prices]\nwapi_mobile = -1",
                "wapi_mobile",
            ),
            (
                "listen = \"127.0.0.1:0\"\n[prices]\nihuyi_id = 1",
                "ihuyi_id",
            ),
            (
                "listen = \"127.0.0.1:0\"\n[[tenants]]\nname = \"a\"\nkey_sha256 = \"abc\"\nqps = 1\ndaily_budget_yuan = 1\nchecks = []",
                "key_sha256",
            ),
            (
                "listen = \"127.0.0.1:0\"\n[[tenants]]\nname = \"a\"\nkey_sha256 = \"k\"\nqps = 1\ndaily_budget_yuan = 1\nchecks = [\"bank\"]",
                "bank",
            ),
        ];
        for (text, needle) in cases {
            let error = GatewayConfig::parse(text).unwrap_err().to_string();
            assert!(error.contains(needle), "{text}: {error}");
        }
    }
}
