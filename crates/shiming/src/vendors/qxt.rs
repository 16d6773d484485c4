//! QXT in the facade: its apikey, its URL secret, its answers' scrubbing and the details the
//! verdict store keeps.

use super::{Get, Offers, bad, missing};
use crate::codec::qxt::QxtConfig;
use crate::codec::{Check, Vendor};
use crate::error::Error;
use crate::sign::Secret;

/// Its check; its document states no price.
pub(super) const OFFERS: Offers = Offers::checks(&[(Check::MobileTwoElements, None)]);

/// The account's apikey.
pub(super) fn secret(config: &QxtConfig) -> &str {
    config.apikey.expose()
}

#[cfg(any(feature = "async", feature = "blocking"))]
pub(super) use with_transports::*;

#[cfg(any(feature = "async", feature = "blocking"))]
mod with_transports {
    use super::super::{full, secrets_only};
    use crate::codec::Method;
    use crate::codec::qxt::{QxtConfig, QxtDetails};
    use crate::codec::redact::Redactor;

    /// What GET would put in URLs: the apikey is always a parameter.
    pub(in crate::vendors) fn url_secret(config: &QxtConfig) -> Option<&'static str> {
        (config.method == Method::Get).then_some("the `apikey`")
    }

    /// Scrubs a mobile check's details.
    pub(in crate::vendors) fn scrub(d: &mut QxtDetails, r: &Redactor) {
        secrets_only([&mut d.name, &mut d.mobile], r);
        full([&mut d.status, &mut d.area, &mut d.carrier], r);
    }
}

#[cfg(feature = "store")]
pub(super) use with_store::*;

#[cfg(feature = "store")]
mod with_store {
    use crate::codec::qxt::QxtDetails;

    /// What the store keeps of a mobile check: carrier and area.
    pub(in crate::vendors) fn kept(d: &QxtDetails) -> serde_json::Value {
        serde_json::json!({ "carrier": d.carrier, "area": d.area })
    }

    /// A remembered mobile check's details.
    pub(in crate::vendors) fn recalled(text: &dyn Fn(&str) -> Option<String>) -> QxtDetails {
        QxtDetails {
            carrier: text("carrier"),
            area: text("area"),
            ..QxtDetails::default()
        }
    }
}

/// The `SHIMING_*` variables of the account (re-exported by [`crate::env`]).
pub(super) mod variables {
    /// QXT apikey.
    pub const QXT_APIKEY: &str = "SHIMING_QXT_APIKEY";
    /// QXT base URL (default from QXT's document).
    pub const QXT_ENDPOINT: &str = "SHIMING_QXT_ENDPOINT";
}

use variables::*;

/// The account the variables describe: `None` when none of its variables is set.
pub(super) fn from_variables(get: &Get<'_>) -> Result<Option<QxtConfig>, Error> {
    let Some(apikey) = get(QXT_APIKEY) else {
        if get(QXT_ENDPOINT).is_some() {
            return Err(missing(Vendor::Qxt, QXT_APIKEY, QXT_ENDPOINT));
        }
        return Ok(None);
    };
    let mut config = QxtConfig::new(Secret::new(apikey));
    if let Some(endpoint) = get(QXT_ENDPOINT) {
        config = config
            .with_base_url(&endpoint)
            .map_err(|e| bad(Vendor::Qxt, QXT_ENDPOINT, e))?;
    }
    Ok(Some(config))
}
