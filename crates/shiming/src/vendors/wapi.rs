//! wapi.cn in the facade: its secret, its URL secret, its answers' scrubbing and the details
//! the verdict store keeps.

use super::{Get, Offers, bad, missing};
use crate::codec::wapi::WapiConfig;
use crate::codec::wapi::{AuthMode, WapiFormat};
use crate::codec::{Check, Vendor};
use crate::error::Error;
use crate::sign::Secret;

/// Its checks, at the per-call price of the smallest package on wapi's product pages
/// (mobile 0.6, ID card 0.16 yuan).
pub(super) const OFFERS: Offers = Offers::checks(&[
    (Check::MobileTwoElements, Some(0.6)),
    (Check::IdTwoElements, Some(0.16)),
]);

/// The account's secret.
pub(super) fn secret(config: &WapiConfig) -> &str {
    config.secret.expose()
}

#[cfg(any(feature = "async", feature = "blocking"))]
pub(super) use with_transports::*;

#[cfg(any(feature = "async", feature = "blocking"))]
mod with_transports {
    use super::super::{full, secrets_only};
    use crate::codec::Method;
    use crate::codec::redact::Redactor;
    use crate::codec::wapi::{AuthMode, IdDetails, MobileDetails, WapiConfig};

    /// What GET would put in URLs: in Hash mode the secret is the signature.
    pub(in crate::vendors) fn url_secret(config: &WapiConfig) -> Option<&'static str> {
        (config.method == Method::Get && config.auth == AuthMode::Hash)
            .then_some("the application secret (Hash mode sends it as `sign`)")
    }

    /// Scrubs a mobile check's details.
    pub(in crate::vendors) fn scrub_mobile(d: &mut MobileDetails, r: &Redactor) {
        secrets_only([&mut d.name, &mut d.mobile], r);
        full(
            [
                &mut d.carrier,
                &mut d.provider,
                &mut d.province,
                &mut d.city,
                &mut d.area_code,
                &mut d.id_prefix,
                &mut d.telephone_code,
                &mut d.status,
                &mut d.message,
            ],
            r,
        );
    }

    /// Scrubs an ID check's details.
    pub(in crate::vendors) fn scrub_id(d: &mut IdDetails, r: &Redactor) {
        secrets_only([&mut d.name, &mut d.id_number], r);
        full(
            [
                &mut d.area,
                &mut d.birthday,
                &mut d.sex,
                &mut d.status,
                &mut d.message,
            ],
            r,
        );
    }
}

#[cfg(feature = "store")]
pub(super) use with_store::*;

#[cfg(feature = "store")]
mod with_store {
    use crate::codec::wapi::{IdDetails, MobileDetails};

    /// What the store keeps of a mobile check: carrier and place.
    pub(in crate::vendors) fn kept_mobile(d: &MobileDetails) -> serde_json::Value {
        serde_json::json!({
            "carrier": d.carrier.as_deref().or(d.provider.as_deref()),
            "province": d.province,
            "city": d.city,
        })
    }

    /// What the store keeps of an ID check: the area.
    pub(in crate::vendors) fn kept_id(d: &IdDetails) -> serde_json::Value {
        serde_json::json!({ "area": d.area })
    }

    /// A remembered mobile check's details.
    pub(in crate::vendors) fn recalled_mobile(
        text: &dyn Fn(&str) -> Option<String>,
    ) -> MobileDetails {
        MobileDetails {
            carrier: text("carrier"),
            province: text("province"),
            city: text("city"),
            ..MobileDetails::default()
        }
    }

    /// A remembered ID check's details.
    pub(in crate::vendors) fn recalled_id(text: &dyn Fn(&str) -> Option<String>) -> IdDetails {
        IdDetails {
            area: text("area"),
            ..IdDetails::default()
        }
    }
}

/// The `SHIMING_*` variables of the account (re-exported by [`crate::env`]).
pub(super) mod variables {
    /// wapi application id.
    pub const WAPI_APPID: &str = "SHIMING_WAPI_APPID";
    /// wapi application secret.
    pub const WAPI_SECRET: &str = "SHIMING_WAPI_SECRET";
    /// wapi auth mode: `md5` (default) or `hash`.
    pub const WAPI_AUTH: &str = "SHIMING_WAPI_AUTH";
    /// wapi answer format: `json` (default), `xml`, `jsonp` or `jsonp:<callback>`.
    pub const WAPI_FORMAT: &str = "SHIMING_WAPI_FORMAT";
    /// wapi base URL (per account; required when wapi is configured).
    pub const WAPI_ENDPOINT: &str = "SHIMING_WAPI_ENDPOINT";
}

use variables::*;

/// The account the variables describe: `None` when none of its variables is set.
pub(super) fn from_variables(get: &Get<'_>) -> Result<Option<WapiConfig>, Error> {
    let (appid, secret) = match (get(WAPI_APPID), get(WAPI_SECRET)) {
        (None, None) => return Ok(None),
        (Some(appid), Some(secret)) => (appid, Secret::new(secret)),
        (None, Some(_)) => return Err(missing(Vendor::Wapi, WAPI_APPID, WAPI_SECRET)),
        (Some(_), None) => return Err(missing(Vendor::Wapi, WAPI_SECRET, WAPI_APPID)),
    };
    let endpoint = get(WAPI_ENDPOINT).ok_or_else(|| {
        Error::not_configured(
            Some(Vendor::Wapi),
            format!(
                "{WAPI_ENDPOINT} must be set: the wapi API host is per account \
                 (e.g. https://xxxx.api.storeapi.net)"
            ),
        )
    })?;
    let mut config = WapiConfig::new(&endpoint, appid.trim(), secret)
        .map_err(|e| bad(Vendor::Wapi, WAPI_ENDPOINT, e))?;
    if let Some(auth) = get(WAPI_AUTH) {
        config = config.with_auth(parse_auth(&auth)?);
    }
    if let Some(format) = get(WAPI_FORMAT) {
        let format = format
            .parse::<WapiFormat>()
            .map_err(|e| bad(Vendor::Wapi, WAPI_FORMAT, e))?;
        config = config.with_format(format);
    }
    Ok(Some(config))
}

fn parse_auth(value: &str) -> Result<AuthMode, Error> {
    match value.trim().to_ascii_lowercase().as_str() {
        "md5" => Ok(AuthMode::Md5),
        "hash" => Ok(AuthMode::Hash),
        _ => Err(Error::not_configured(
            Some(Vendor::Wapi),
            format!("{WAPI_AUTH} must be md5 or hash, not {value:?}"),
        )),
    }
}
