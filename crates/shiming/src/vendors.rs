//! Every vendor the facade knows, registered in one place.
//!
//! What differs between vendors beyond the codec — which secret an account holds, which
//! GET configuration puts it in URLs, which answer fields get scrubbed, which details the
//! verdict store keeps — lives in the vendor's module (`vendors/wapi.rs`, …). The rest of the
//! facade calls the functions below instead of matching on vendors.

mod ihuyi;
mod qxt;
mod wapi;

use crate::codec::Vendor;
use crate::config::VerifierConfig;
use crate::error::Error;

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
/// for `$name` and `$mobile`; a vendor without the check is an error. A macro, so that the
/// async verifier may `.await` in `$body` and the blocking one need not.
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

    /// The vendors that offer the mobile two-element check, in default failover order.
    pub(crate) const MOBILE_TWO_ELEMENTS: [Vendor; 2] = [Vendor::Wapi, Vendor::Qxt];

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
