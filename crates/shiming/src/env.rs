//! `VerifierConfig::from_env`: the `SHIMING_*` variables the CLI and the sandbox share.
//!
//! The rules live in [`VerifierConfig::from_lookup`], a pure function over any variable source, so they are
//! tested without touching the process environment (which Rust 2024 makes `unsafe` to set).

use crate::codec::Vendor;
use crate::codec::ihuyi::IhuyiConfig;
use crate::codec::qxt::QxtConfig;
use crate::codec::wapi::{AuthMode, WapiConfig, WapiFormat};
use crate::config::VerifierConfig;
use crate::error::Error;
use crate::sign::Secret;

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
/// QXT apikey.
pub const QXT_APIKEY: &str = "SHIMING_QXT_APIKEY";
/// QXT base URL (default from QXT's document).
pub const QXT_ENDPOINT: &str = "SHIMING_QXT_ENDPOINT";
/// ihuyi APIID.
pub const IHUYI_ACCOUNT: &str = "SHIMING_IHUYI_ACCOUNT";
/// ihuyi APIKEY.
pub const IHUYI_APIKEY: &str = "SHIMING_IHUYI_APIKEY";
/// ihuyi base URL (default from ihuyi's document).
pub const IHUYI_ENDPOINT: &str = "SHIMING_IHUYI_ENDPOINT";

impl VerifierConfig {
    /// Reads the vendor settings from the `SHIMING_*` environment variables
    /// (`SHIMING_WAPI_APPID`, `_SECRET`, `_AUTH`, `_FORMAT`, `_ENDPOINT`;
    /// `SHIMING_QXT_APIKEY`, `_ENDPOINT`; `SHIMING_IHUYI_ACCOUNT`, `_APIKEY`, `_ENDPOINT`).
    ///
    /// A vendor is configured when any of its credential variables is set;
    /// [`vendors`](Self::vendors) tells which were found. Half a vendor (an appid without a
    /// secret, wapi without an endpoint), a bad URL or an unknown mode is an error naming the
    /// variable (never its value when secret). Everything else keeps its default.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (a map, a file,
    /// a test fixture). Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut config = VerifierConfig::new();
        config.wapi = wapi(&get)?;
        config.qxt = qxt(&get)?;
        config.ihuyi = ihuyi(&get)?;
        Ok(config)
    }
}

type Get<'a> = dyn Fn(&str) -> Option<String> + 'a;

fn wapi(get: &Get<'_>) -> Result<Option<WapiConfig>, Error> {
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

fn qxt(get: &Get<'_>) -> Result<Option<QxtConfig>, Error> {
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

fn ihuyi(get: &Get<'_>) -> Result<Option<IhuyiConfig>, Error> {
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

fn missing(vendor: Vendor, absent: &str, present: &str) -> Error {
    Error::not_configured(
        Some(vendor),
        format!("{present} is set but {absent} is not: set both or neither"),
    )
}

fn bad(vendor: Vendor, variable: &str, error: impl std::fmt::Display) -> Error {
    Error::not_configured(Some(vendor), format!("{variable}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<VerifierConfig, Error> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        VerifierConfig::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_no_vendor() {
        let config = from(&[]).expect("empty is fine");
        assert!(config.vendors().is_empty());
    }

    #[test]
    fn reads_every_vendor() {
        let config = from(&[
            (WAPI_APPID, "1"),
            (WAPI_SECRET, "wapi-secret"),
            (WAPI_AUTH, "HASH"),
            (WAPI_FORMAT, "jsonp:cb"),
            (WAPI_ENDPOINT, "https://demo.api.storeapi.net/"),
            (QXT_APIKEY, "qxt-key"),
            (IHUYI_ACCOUNT, "acct"),
            (IHUYI_APIKEY, "ihuyi-key"),
            (IHUYI_ENDPOINT, "http://127.0.0.1:8080"),
        ])
        .expect("complete");
        assert_eq!(config.vendors(), Vendor::ALL.to_vec());
        let wapi = config.wapi.as_ref().expect("wapi");
        assert_eq!(wapi.auth, AuthMode::Hash);
        assert_eq!(wapi.format, WapiFormat::jsonp("cb"));
        assert_eq!(wapi.base_url.as_str(), "https://demo.api.storeapi.net");
        let qxt = config.qxt.as_ref().expect("qxt");
        assert_eq!(qxt.base_url.as_str(), crate::codec::qxt::DEFAULT_BASE_URL);
        let ihuyi = config.ihuyi.as_ref().expect("ihuyi");
        assert_eq!(ihuyi.base_url.as_str(), "http://127.0.0.1:8080");
        let debug = format!("{config:?}");
        for secret in ["wapi-secret", "qxt-key", "ihuyi-key"] {
            assert!(!debug.contains(secret), "{secret} leaked into {debug}");
        }
    }

    #[test]
    fn half_a_vendor_is_an_error_naming_the_variable() {
        for (pairs, missing) in [
            (vec![(WAPI_APPID, "1")], WAPI_SECRET),
            (vec![(WAPI_SECRET, "s")], WAPI_APPID),
            (vec![(WAPI_APPID, "1"), (WAPI_SECRET, "s")], WAPI_ENDPOINT),
            (vec![(QXT_ENDPOINT, "https://x.example")], QXT_APIKEY),
            (vec![(IHUYI_APIKEY, "k")], IHUYI_ACCOUNT),
            (vec![(IHUYI_ENDPOINT, "https://x.example")], IHUYI_ACCOUNT),
        ] {
            let error = from(&pairs).expect_err(missing);
            assert_eq!(error.kind(), ErrorKind::NotConfigured);
            assert!(error.to_string().contains(missing), "{error}");
        }
    }

    #[test]
    fn bad_values_are_errors_without_secrets() {
        let wapi = [
            (WAPI_APPID, "1"),
            (WAPI_SECRET, "top-secret"),
            (WAPI_ENDPOINT, "https://h.example"),
        ];
        for (variable, value) in [
            (WAPI_AUTH, "sha1"),
            (WAPI_FORMAT, "yaml"),
            (WAPI_ENDPOINT, "ftp://h.example"),
        ] {
            let mut pairs = wapi.to_vec();
            pairs.push((variable, value));
            let error = from(&pairs).expect_err(variable);
            let text = error.to_string();
            assert!(text.contains(variable), "{text}");
            assert!(!text.contains("top-secret"), "{text}");
        }
        let error = from(&[(QXT_APIKEY, "k"), (QXT_ENDPOINT, "nope")]).expect_err("bad url");
        assert!(error.to_string().contains(QXT_ENDPOINT));
    }

    #[test]
    fn blank_values_count_as_unset() {
        let config = from(&[(QXT_APIKEY, "  "), (WAPI_APPID, "")]).expect("blank is unset");
        assert!(config.vendors().is_empty());
    }
}
