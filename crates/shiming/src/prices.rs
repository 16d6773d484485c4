//! `[prices]`: yuan per billed call, per vendor and check — the table the command's and the
//! gateway's configuration files share.
//!
//! A key is `<vendor>_<check>` (`mobile`, `id`, `mobile_status`), for every check a vendor
//! offers ([`vendors::offers`]), so the keys follow the vendor registry instead of a struct
//! field per vendor. An unknown key, a check the vendor does not offer, or a price below 0
//! is an error that names it.

use crate::codec::{Check, Vendor};
use crate::vendors::{self, offered};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;

/// Longest key an error message repeats (a configuration file is input too).
const MAX_KEY_IN_MESSAGE: usize = 40;

/// Yuan per billed call, per vendor and the checks it offers; a pair may be unpriced.
///
/// Deserialized from a `[prices]` table: the [listed](Prices::listed) prices with the
/// table's entries over them.
///
/// ```
/// use shiming::{Check, Prices, Vendor};
///
/// let prices: Prices = serde_json::from_str(r#"{"qxt_mobile": 0.3}"#)?;
/// assert_eq!(prices.get(Vendor::Qxt, Check::MobileTwoElements), Some(0.3));
/// assert_eq!(prices.get(Vendor::Wapi, Check::MobileTwoElements), Some(0.6));
/// let typo = serde_json::from_str::<Prices>(r#"{"wapj_mobile": 0.4}"#).unwrap_err();
/// assert!(typo.to_string().contains("wapj_mobile"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    yuan: [[Option<f64>; Check::ALL.len()]; Vendor::ALL.len()],
}

/// Why a price or a price key was refused.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PriceError {
    /// No vendor and check the registry knows is called this.
    UnknownKey(String),
    /// The vendor does not offer the check.
    NotOffered(Vendor, Check),
    /// Not a number of yuan, 0 or more.
    Invalid {
        /// The key (`wapi_mobile`).
        key: String,
        /// The refused value.
        yuan: f64,
    },
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceError::UnknownKey(key) => write!(
                f,
                "unknown price key `{key}`; the keys are {}",
                Prices::keys().join(", ")
            ),
            PriceError::NotOffered(vendor, check) => {
                write!(f, "{vendor} does not offer the {check} check")
            }
            PriceError::Invalid { key, yuan } => {
                write!(f, "{key} must be a price in yuan, 0 or more, not {yuan}")
            }
        }
    }
}

impl std::error::Error for PriceError {}

impl Default for Prices {
    /// The [listed](Prices::listed) prices.
    fn default() -> Self {
        Prices::listed()
    }
}

impl Prices {
    /// No price at all.
    pub fn none() -> Prices {
        Prices {
            yuan: [[None; Check::ALL.len()]; Vendor::ALL.len()],
        }
    }

    /// The prices the vendors' documents state ([`vendors::list_price`]); the other pairs
    /// are unpriced.
    pub fn listed() -> Prices {
        let mut prices = Prices::none();
        for (vendor, check) in offered() {
            prices.yuan[vendor.index()][check.index()] = vendors::list_price(vendor, check);
        }
        prices
    }

    /// Yuan per billed `check` at `vendor`, when known.
    pub fn get(&self, vendor: Vendor, check: Check) -> Option<f64> {
        self.yuan[vendor.index()][check.index()]
    }

    /// Sets the price of `check` at `vendor`.
    pub fn set(&mut self, vendor: Vendor, check: Check, yuan: f64) -> Result<(), PriceError> {
        if !vendors::offers(vendor, check) {
            return Err(PriceError::NotOffered(vendor, check));
        }
        if !(yuan.is_finite() && yuan >= 0.0) {
            return Err(PriceError::Invalid {
                key: Prices::key(vendor, check),
                yuan,
            });
        }
        self.yuan[vendor.index()][check.index()] = Some(yuan);
        Ok(())
    }

    /// Sets the price under `key` (`wapi_mobile`).
    pub fn set_key(&mut self, key: &str, yuan: f64) -> Result<(), PriceError> {
        let (vendor, check) = Prices::parse_key(key)?;
        self.set(vendor, check, yuan)
    }

    /// The key of `check` at `vendor`: `wapi_mobile`, `wapi_id`, `ihuyi_mobile_status`.
    pub fn key(vendor: Vendor, check: Check) -> String {
        format!("{vendor}_{}", key_suffix(check))
    }

    /// Every key, vendor by vendor ([`Vendor::ALL`] order).
    pub fn keys() -> Vec<String> {
        offered()
            .map(|(vendor, check)| Prices::key(vendor, check))
            .collect()
    }

    /// The vendor and check `key` names.
    pub fn parse_key(key: &str) -> Result<(Vendor, Check), PriceError> {
        offered()
            .find(|(vendor, check)| Prices::key(*vendor, *check) == key)
            .ok_or_else(|| PriceError::UnknownKey(key.chars().take(MAX_KEY_IN_MESSAGE).collect()))
    }

    /// Each pair's price, or `fallback`'s when this one has none.
    pub fn or(self, fallback: Prices) -> Prices {
        let mut prices = self;
        for (vendor, check) in offered() {
            let slot = &mut prices.yuan[vendor.index()][check.index()];
            *slot = slot.or(fallback.get(vendor, check));
        }
        prices
    }
}

/// The check's part of a key (the names the files have always used).
fn key_suffix(check: Check) -> &'static str {
    match check {
        Check::MobileTwoElements => "mobile",
        Check::IdTwoElements => "id",
        Check::MobileStatus => "mobile_status",
    }
}

impl<'de> Deserialize<'de> for Prices {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Table;
        impl<'de> Visitor<'de> for Table {
            type Value = Prices;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of prices in yuan, keyed <vendor>_<check>")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Prices, A::Error> {
                let mut prices = Prices::listed();
                while let Some((key, yuan)) = map.next_entry::<String, f64>()? {
                    prices
                        .set_key(&key, yuan)
                        .map_err(serde::de::Error::custom)?;
                }
                Ok(prices)
            }
        }
        deserializer.deserialize_map(Table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_and_check_index_covers_all() {
        for key in Prices::keys() {
            let (vendor, check) = Prices::parse_key(&key).expect("a listed key parses");
            assert_eq!(Prices::key(vendor, check), key);
        }
        let mut indexes: Vec<usize> = Check::ALL.into_iter().map(Check::index).collect();
        indexes.dedup();
        assert_eq!(indexes, [0, 1, 2]);
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let mut prices = Prices::none();
        let unknown = prices.set_key("wapj_mobile", 0.4).expect_err("a typo");
        assert!(unknown.to_string().contains("`wapj_mobile`"), "{unknown}");
        let key = Prices::keys().remove(0);
        let negative = prices.set_key(&key, -1.0).expect_err("negative");
        assert!(negative.to_string().starts_with(&key), "{negative}");
        assert!(prices.set_key(&key, f64::NAN).is_err());
        let long = "x".repeat(10_000);
        let message = prices.set_key(&long, 1.0).expect_err("unknown").to_string();
        assert!(message.len() < 400, "the key is cut: {message}");
    }

    #[test]
    fn a_check_not_offered_is_refused() {
        for vendor in Vendor::ALL {
            for check in Check::ALL {
                let set = Prices::none().set(vendor, check, 1.0);
                assert_eq!(set.is_ok(), vendors::offers(vendor, check));
            }
        }
    }

    #[test]
    fn or_fills_the_unpriced_pairs_only() {
        let mut given = Prices::none();
        let (vendor, check) = Prices::parse_key(&Prices::keys()[0]).expect("a key");
        given.set(vendor, check, 0.01).expect("offered");
        let mut all = Prices::none();
        for key in Prices::keys() {
            all.set_key(&key, 7.0).expect("offered");
        }
        let merged = given.or(all);
        assert_eq!(merged.get(vendor, check), Some(0.01));
        for key in Prices::keys().into_iter().skip(1) {
            let (v, c) = Prices::parse_key(&key).expect("a key");
            assert_eq!(merged.get(v, c), Some(7.0));
        }
    }
}
