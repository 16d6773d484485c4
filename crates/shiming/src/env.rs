//! `VerifierConfig::from_env`: the `SHIMING_*` variables the CLI and the sandbox share.
//!
//! The rules live in [`VerifierConfig::from_lookup`], a pure function over any variable source, so they are
//! tested without touching the process environment (which Rust 2024 makes `unsafe` to set).

use crate::config::VerifierConfig;
use crate::error::Error;

// The variables' names, defined with each vendor's reading of them.
pub use crate::vendors::variables::*;

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
        crate::vendors::from_variables(&get)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::codec::Vendor;
    use crate::codec::wapi::{AuthMode, WapiFormat};
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
