//! Every vendor the facade knows, registered in one place.
//!
//! What differs between vendors beyond the codec — which checks it offers and at what list
//! price, which secret an account holds, which GET configuration puts it in URLs, which
//! answer fields get scrubbed, which details the verdict store keeps — lives in the vendor's
//! module (`vendors/wapi.rs`, …). The rest of the facade, and the crates above it (the
//! command, the gateway), call the functions below instead of matching on vendors.

mod ihuyi;
mod qxt;
mod wapi;

use crate::codec::{Check, Vendor};
use crate::config::VerifierConfig;
use crate::error::Error;

/// The vendors' own types the crate root re-exports (`shiming::WapiConfig`, …).
pub(crate) mod reexports {
    pub use crate::codec::ihuyi::{
        BalanceAnswer, Carrier, IhuyiConfig, OperatorStatus, PasswordMode, StatusAnswer, Tenure,
    };
    pub use crate::codec::qxt::QxtConfig;
    pub use crate::codec::wapi::{AuthMode, WapiConfig, WapiFormat};
}

/// What a vendor offers: its checks, each with the per-call price its documents state (yuan),
/// and whether it reports a balance.
struct Offers {
    checks: &'static [(Check, Option<f64>)],
    balance: bool,
}

impl Offers {
    /// These checks, each with its list price (`None`: the documents state none).
    const fn checks(checks: &'static [(Check, Option<f64>)]) -> Offers {
        Offers {
            checks,
            balance: false,
        }
    }

    /// And a balance query.
    const fn and_balance(self) -> Offers {
        Offers {
            balance: true,
            ..self
        }
    }
}

/// What `vendor` offers (nothing, for a vendor this facade does not speak).
fn offers_of(vendor: Vendor) -> Offers {
    match vendor {
        Vendor::Wapi => wapi::OFFERS,
        Vendor::Qxt => qxt::OFFERS,
        Vendor::Ihuyi => ihuyi::OFFERS,
        _ => Offers::checks(&[]),
    }
}

/// Whether `vendor` offers `check`.
pub fn offers(vendor: Vendor, check: Check) -> bool {
    offers_of(vendor)
        .checks
        .iter()
        .any(|(offered, _)| *offered == check)
}

/// The vendors offering `check`, in [`Vendor::ALL`] order: the default failover order
/// (see [`VerifierConfig::mobile_chain`]).
pub fn offering(check: Check) -> Vec<Vendor> {
    Vendor::ALL
        .into_iter()
        .filter(|vendor| offers(*vendor, check))
        .collect()
}

/// Every vendor with each check it offers, vendor by vendor ([`Vendor::ALL`] order).
pub fn offered() -> impl Iterator<Item = (Vendor, Check)> {
    Vendor::ALL.into_iter().flat_map(|vendor| {
        Check::ALL
            .into_iter()
            .filter(move |check| offers(vendor, *check))
            .map(move |check| (vendor, check))
    })
}

/// The per-call price of `check` at `vendor` its documents state, in yuan; `None` when they
/// state none or the vendor does not offer the check.
pub fn list_price(vendor: Vendor, check: Check) -> Option<f64> {
    offers_of(vendor)
        .checks
        .iter()
        .find(|(offered, _)| *offered == check)
        .and_then(|(_, price)| *price)
}

/// The vendors that report an account balance (`balance()` of the verifiers).
pub fn reporting_balance() -> Vec<Vendor> {
    Vendor::ALL
        .into_iter()
        .filter(|vendor| offers_of(*vendor).balance)
        .collect()
}

/// The vendor called `name` in configuration, flags and JSON ([`Vendor::as_str`]).
pub fn named(name: &str) -> Option<Vendor> {
    Vendor::ALL
        .into_iter()
        .find(|vendor| vendor.as_str() == name)
}

/// `vendors`' names as prose: `wapi, qxt and ihuyi` with `conjunction` "and".
pub fn prose(vendors: &[Vendor], conjunction: &str) -> String {
    let names: Vec<&str> = vendors.iter().map(|vendor| vendor.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
        None => String::new(),
    }
}

// The registry's part of the configuration: the default order comes from the offers above.
impl VerifierConfig {
    /// The failover order of [`mobile_two_elements`](crate#verifiers):
    /// [`mobile_vendors`](Self::mobile_vendors), or when that is empty the vendors offering
    /// the check ([`vendors::offering`](crate::vendors::offering)) among those configured.
    pub fn mobile_chain(&self) -> Vec<Vendor> {
        if self.mobile_vendors.is_empty() {
            offering(Check::MobileTwoElements)
                .into_iter()
                .filter(|vendor| self.has(*vendor))
                .collect()
        } else {
            self.mobile_vendors.clone()
        }
    }
}

/// The `SHIMING_*` variables of every vendor ([`crate::env`] re-exports them).
pub(crate) mod variables {
    pub use super::ihuyi::variables::*;
    pub use super::qxt::variables::*;
    pub use super::wapi::variables::*;
}

/// A variable source; blank values already count as unset.
type Get<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Every vendor's account the variables describe (see `VerifierConfig::from_lookup`).
pub(crate) fn from_variables(get: &Get<'_>) -> Result<VerifierConfig, Error> {
    let mut config = VerifierConfig::new();
    config.wapi = wapi::from_variables(get)?;
    config.qxt = qxt::from_variables(get)?;
    config.ihuyi = ihuyi::from_variables(get)?;
    Ok(config)
}

/// Half an account: `present` is set, `absent` is not.
fn missing(vendor: Vendor, absent: &str, present: &str) -> Error {
    Error::not_configured(
        Some(vendor),
        format!("{present} is set but {absent} is not: set both or neither"),
    )
}

/// A variable whose value is wrong.
fn bad(vendor: Vendor, variable: &str, error: impl std::fmt::Display) -> Error {
    Error::not_configured(Some(vendor), format!("{variable}: {error}"))
}

/// The secret of every configured account, for the redactor.
pub(crate) fn secrets(config: &VerifierConfig) -> Vec<&str> {
    [
        config.wapi.as_ref().map(wapi::secret),
        config.qxt.as_ref().map(qxt::secret),
        config.ihuyi.as_ref().map(ihuyi::secret),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(any(feature = "async", feature = "blocking"))]
pub(crate) use with_transports::*;

/// The operation of the ID-card two-element check (wapi alone offers it).
#[cfg(any(feature = "async", feature = "blocking"))]
pub(crate) use crate::codec::wapi::IdTwoElements as IdCheck;

/// The operations of the status and balance checks (ihuyi alone offers them).
#[cfg(any(feature = "async", feature = "blocking"))]
pub(crate) use crate::codec::ihuyi::{Balance as BalanceCheck, MobileStatus as StatusCheck};

/// Evaluates `$body` with `$operation` bound to `$vendor`'s mobile two-element operation
/// for `$name` and `$mobile`; a vendor without the check is an error. A macro, because each
/// vendor's operation is a type of its own (`Core` turns it into an exchange).
#[cfg(any(feature = "async", feature = "blocking"))]
macro_rules! with_mobile_operation {
    ($vendor:expr, $name:expr, $mobile:expr, |$operation:ident| $body:expr) => {
        match $vendor {
            $crate::codec::Vendor::Wapi => {
                let $operation = $crate::codec::wapi::MobileTwoElements::new($name, $mobile);
                $body
            }
            $crate::codec::Vendor::Qxt => {
                let $operation = $crate::codec::qxt::MobileTwoElements::new($name, $mobile);
                $body
            }
            vendor => Err($crate::core::not_offered(vendor, "mobile two-element")),
        }
    };
}

#[cfg(any(feature = "async", feature = "blocking"))]
pub(crate) use with_mobile_operation;

#[cfg(any(feature = "async", feature = "blocking"))]
mod with_transports {
    use super::{ihuyi, qxt, wapi};
    use crate::codec::ihuyi::IhuyiConfig;
    use crate::codec::qxt::QxtConfig;
    use crate::codec::redact::Redactor;
    use crate::codec::wapi::WapiConfig;
    use crate::codec::{TwoElementDetails, Vendor};
    use crate::config::VerifierConfig;
    use crate::url_secrets::UrlSecret;

    /// The configured accounts of a verifier.
    #[derive(Debug)]
    pub(crate) struct Accounts {
        wapi: Option<WapiConfig>,
        qxt: Option<QxtConfig>,
        ihuyi: Option<IhuyiConfig>,
    }

    impl Accounts {
        /// The accounts of `config`.
        pub(crate) fn of(config: VerifierConfig) -> Accounts {
            Accounts {
                wapi: config.wapi,
                qxt: config.qxt,
                ihuyi: config.ihuyi,
            }
        }
    }

    /// A vendor's account config, as the operations of the vendor take it.
    pub(crate) trait Account {
        /// The vendor.
        const VENDOR: Vendor;
        /// The account among `accounts`, if configured.
        fn of(accounts: &Accounts) -> Option<&Self>;
    }

    impl Account for WapiConfig {
        const VENDOR: Vendor = Vendor::Wapi;
        fn of(accounts: &Accounts) -> Option<&Self> {
            accounts.wapi.as_ref()
        }
    }

    impl Account for QxtConfig {
        const VENDOR: Vendor = Vendor::Qxt;
        fn of(accounts: &Accounts) -> Option<&Self> {
            accounts.qxt.as_ref()
        }
    }

    impl Account for IhuyiConfig {
        const VENDOR: Vendor = Vendor::Ihuyi;
        fn of(accounts: &Accounts) -> Option<&Self> {
            accounts.ihuyi.as_ref()
        }
    }

    /// The configured vendors whose GET requests would carry a secret in the URL.
    pub(crate) fn url_secrets(config: &VerifierConfig) -> Vec<UrlSecret> {
        [
            (
                Vendor::Wapi,
                config.wapi.as_ref().and_then(wapi::url_secret),
            ),
            (Vendor::Qxt, config.qxt.as_ref().and_then(qxt::url_secret)),
            (
                Vendor::Ihuyi,
                config.ihuyi.as_ref().and_then(ihuyi::url_secret),
            ),
        ]
        .into_iter()
        .filter_map(|(vendor, what)| what.map(|what| UrlSecret { vendor, what }))
        .collect()
    }

    /// Scrubs a two-element answer's details: fully, except the vendor's echo of the person
    /// (kept for callers who compare it), which loses secrets only.
    pub(crate) fn scrub_details(details: &mut TwoElementDetails, redactor: &Redactor) {
        match details {
            TwoElementDetails::WapiMobile(d) => wapi::scrub_mobile(d, redactor),
            TwoElementDetails::WapiId(d) => wapi::scrub_id(d, redactor),
            TwoElementDetails::Qxt(d) => qxt::scrub(d, redactor),
            // A vendor this facade does not know yet: fail closed, every text fully.
            other => full(other.texts_mut(), redactor),
        }
    }

    /// Scrubs every text of `fields` fully.
    pub(super) fn full<'a>(
        fields: impl IntoIterator<Item = &'a mut Option<String>>,
        redactor: &Redactor,
    ) {
        for text in fields.into_iter().flatten() {
            redactor.scrub_in_place(text);
        }
    }

    /// Removes secrets only from every text of `fields` (the echoed person stays).
    pub(super) fn secrets_only<'a>(
        fields: impl IntoIterator<Item = &'a mut Option<String>>,
        redactor: &Redactor,
    ) {
        for text in fields.into_iter().flatten() {
            redactor.scrub_secrets_in_place(text);
        }
    }
}

#[cfg(feature = "store")]
pub(crate) use with_store::*;

#[cfg(feature = "store")]
mod with_store {
    use super::{qxt, wapi};
    use crate::codec::{TwoElementDetails, Vendor};

    /// The details of a two-element answer the verdict store keeps: only facts about the
    /// number's place and carrier, never the echoed name, number, birthday or sex.
    pub(crate) fn kept_details(details: &TwoElementDetails) -> serde_json::Value {
        match details {
            TwoElementDetails::WapiMobile(d) => wapi::kept_mobile(d),
            TwoElementDetails::WapiId(d) => wapi::kept_id(d),
            TwoElementDetails::Qxt(d) => qxt::kept(d),
            // A vendor this facade does not know yet: keep nothing.
            _ => serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    /// The details of a remembered two-element answer from `vendor` (an ID check, or a
    /// mobile check), from the kept fields `text` reads.
    pub(crate) fn recalled_details(
        id_check: bool,
        vendor: Vendor,
        text: &dyn Fn(&str) -> Option<String>,
    ) -> TwoElementDetails {
        match (id_check, vendor) {
            (true, _) => TwoElementDetails::WapiId(wapi::recalled_id(text)),
            (false, Vendor::Qxt) => TwoElementDetails::Qxt(qxt::recalled(text)),
            _ => TwoElementDetails::WapiMobile(wapi::recalled_mobile(text)),
        }
    }
}

#[cfg(all(test, any(feature = "async", feature = "blocking")))]
mod tests {
    use super::*;
    use crate::codec::Operation;

    fn vendor_of<O: Operation>() -> Vendor
    where
        O::Config: Account,
    {
        <O::Config as Account>::VENDOR
    }

    #[test]
    fn the_verifiers_operations_agree_with_the_registry() {
        assert_eq!(offering(Check::IdTwoElements), vec![vendor_of::<IdCheck>()]);
        assert_eq!(
            offering(Check::MobileStatus),
            vec![vendor_of::<StatusCheck>()]
        );
        assert_eq!(reporting_balance(), vec![vendor_of::<BalanceCheck>()]);
        for vendor in Vendor::ALL {
            let operation: Result<(), Error> =
                with_mobile_operation!(vendor, "张三", "13800138000", |operation| {
                    let _ = operation;
                    Ok(())
                });
            assert_eq!(
                operation.is_ok(),
                offers(vendor, Check::MobileTwoElements),
                "{vendor}"
            );
        }
    }

    #[test]
    fn names_and_prose() {
        for vendor in Vendor::ALL {
            assert_eq!(named(vendor.as_str()), Some(vendor));
        }
        assert_eq!(named("nobody"), None);
        assert_eq!(prose(&Vendor::ALL[..1], "or"), Vendor::ALL[0].as_str());
        assert_eq!(
            prose(&Vendor::ALL[..2], "or"),
            format!("{} or {}", Vendor::ALL[0], Vendor::ALL[1])
        );
    }
}
