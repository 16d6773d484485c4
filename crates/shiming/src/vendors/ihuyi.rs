//! ihuyi in the facade: its APIKEY and its URL secret.

use super::{Get, Offers, bad, missing};
use crate::codec::ihuyi::IhuyiConfig;
use crate::codec::{Check, Vendor};
use crate::error::Error;
use crate::sign::Secret;

/// Its check (its document states no price) and its balance query.
pub(super) const OFFERS: Offers = Offers::checks(&[(Check::MobileStatus, None)]).and_balance();

/// The account's APIKEY.
pub(super) fn secret(config: &IhuyiConfig) -> &str {
    config.apikey.expose()
}

/// What GET would put in URLs: a static password is the APIKEY itself.
#[cfg(any(feature = "async", feature = "blocking"))]
pub(super) fn url_secret(config: &IhuyiConfig) -> Option<&'static str> {
    use crate::codec::Method;
    use crate::codec::ihuyi::PasswordMode;
    (config.method == Method::Get && config.password == PasswordMode::Static)
        .then_some("the APIKEY (a static `password` is the APIKEY itself)")
}

/// The `SHIMING_*` variables of the account (re-exported by [`crate::env`]).
pub(super) mod variables {
    /// ihuyi APIID.
    pub const IHUYI_ACCOUNT: &str = "SHIMING_IHUYI_ACCOUNT";
    /// ihuyi APIKEY.
    pub const IHUYI_APIKEY: &str = "SHIMING_IHUYI_APIKEY";
    /// ihuyi base URL (default from ihuyi's document).
    pub const IHUYI_ENDPOINT: &str = "SHIMING_IHUYI_ENDPOINT";
}

use variables::*;

/// The account the variables describe: `None` when none of its variables is set.
pub(super) fn from_variables(get: &Get<'_>) -> Result<Option<IhuyiConfig>, Error> {
    let (account, apikey) = match (get(IHUYI_ACCOUNT), get(IHUYI_APIKEY)) {
        (None, None) => {
            if get(IHUYI_ENDPOINT).is_some() {
                return Err(missing(Vendor::Ihuyi, IHUYI_ACCOUNT, IHUYI_ENDPOINT));
            }
            return Ok(None);
        }
        (Some(account), Some(apikey)) => (account, Secret::new(apikey)),
        (None, Some(_)) => return Err(missing(Vendor::Ihuyi, IHUYI_ACCOUNT, IHUYI_APIKEY)),
        (Some(_), None) => return Err(missing(Vendor::Ihuyi, IHUYI_APIKEY, IHUYI_ACCOUNT)),
    };
    let mut config = IhuyiConfig::new(account.trim(), apikey);
    if let Some(endpoint) = get(IHUYI_ENDPOINT) {
        config = config
            .with_base_url(&endpoint)
            .map_err(|e| bad(Vendor::Ihuyi, IHUYI_ENDPOINT, e))?;
    }
    Ok(Some(config))
}
