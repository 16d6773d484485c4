//! Tenants and their API keys: `Authorization: Bearer KEY` against the SHA-256 digests in
//! `gateway.toml`. The key itself is never stored; comparison takes the same time whichever
//! byte differs and whichever tenant matches.

use crate::config::{Check, ConfigError, TenantConfig, check_tenants};
use crate::money::Units;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One tenant, ready to authenticate.
#[derive(Debug)]
pub(crate) struct Tenant {
    /// Its name (metrics, audit, status page).
    pub(crate) name: String,
    digest: [u8; 32],
    /// Requests per second.
    pub(crate) qps: u32,
    /// What it may spend per UTC day.
    pub(crate) daily_budget: Units,
    /// Checks it may run.
    pub(crate) checks: BTreeSet<Check>,
    /// Refuse requests without a `Purpose` header.
    pub(crate) require_purpose: bool,
}

/// Every tenant; replaced whole on reload.
#[derive(Debug, Default)]
pub(crate) struct Tenants {
    all: Vec<Arc<Tenant>>,
}

impl Tenants {
    /// Checks and converts the configured tenants.
    pub(crate) fn new(configs: &[TenantConfig]) -> Result<Tenants, ConfigError> {
        check_tenants(configs)?;
        let mut all = Vec::with_capacity(configs.len());
        for config in configs {
            let mut digest = [0u8; 32];
            hex::decode_to_slice(config.key_sha256.trim(), &mut digest).map_err(|_| {
                ConfigError(format!("tenant {:?}: key_sha256 is not hex", config.name))
            })?;
            all.push(Arc::new(Tenant {
                name: config.name.clone(),
                digest,
                qps: config.qps,
                daily_budget: config.daily_budget(),
                checks: config.checks.iter().copied().collect(),
                require_purpose: config.require_purpose,
            }));
        }
        Ok(Tenants { all })
    }

    /// The tenant whose key is `key`, comparing against every tenant in constant time.
    pub(crate) fn authenticate(&self, key: &str) -> Option<Arc<Tenant>> {
        let presented: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        let mut found = None;
        for tenant in &self.all {
            if constant_time_eq(&presented, &tenant.digest) {
                found = Some(Arc::clone(tenant));
            }
        }
        found
    }

    /// Tenant names, in configuration order (status page).
    pub(crate) fn names(&self) -> Vec<String> {
        self.all.iter().map(|t| t.name.clone()).collect()
    }

    /// A tenant's daily budget, by name.
    pub(crate) fn budget_of(&self, name: &str) -> Option<Units> {
        self.all
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.daily_budget)
    }

    /// How many tenants there are.
    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }
}

/// Equal or not, looking at every byte: no early exit a timer could see.
fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from turning the fold back into an early-exit compare.
    std::hint::black_box(difference) == 0
}

/// The key out of an `Authorization` header value (`Bearer KEY`, scheme case-insensitive).
pub(crate) fn bearer(header: &str) -> Option<&str> {
    let (scheme, key) = header.trim().split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then_some(key)
}

/// A new random API key (32 random bytes, hex) and its SHA-256 (hex), for `hash-key`.
pub fn new_key() -> Result<(String, String), getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let key = format!("shk_{}", hex::encode(bytes));
    let digest = hex::encode(Sha256::digest(key.as_bytes()));
    Ok((key, digest))
}

/// The SHA-256 (hex) of a key, as `key_sha256` wants it.
pub fn key_digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn tenant(name: &str, key: &str) -> TenantConfig {
        toml::from_str(&format!(
            "name = \"{name}\"\nkey_sha256 = \"{}\"\nqps = 5\ndaily_budget_yuan = 1.5\nchecks = [\"mobile\"]",
            key_digest(key)
        ))
        .unwrap()
    }

    #[test]
    fn keys_authenticate_their_tenant_only() {
        let tenants = Tenants::new(&[tenant("a", "key-a"), tenant("b", "key-b")]).unwrap();
        assert_eq!(tenants.authenticate("key-b").unwrap().name, "b");
        assert!(tenants.authenticate("key-c").is_none());
        assert!(tenants.authenticate("").is_none());
        assert_eq!(
            tenants.authenticate("key-a").unwrap().daily_budget,
            Units(15000)
        );
        assert_eq!(bearer("Bearer  abc "), Some("abc"));
        assert_eq!(bearer("bearer abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
    }

    #[test]
    fn new_keys_are_random_and_hash_to_their_digest() {
        let (key, digest) = new_key().unwrap();
        let (other, _) = new_key().unwrap();
        assert_ne!(key, other);
        assert_eq!(key_digest(&key), digest);
        assert_eq!(digest.len(), 64);
    }
}
