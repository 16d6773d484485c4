//! Configurations that put a secret into request URLs, and the warning they earn.
//!
//! With [`Method::Get`] every parameter travels in the query string. For three settings one of
//! those parameters is the account's secret itself: wapi in Hash mode (`sign` = the secret),
//! QXT (`apikey`, always) and ihuyi with a static password (`password` = the APIKEY). URLs end
//! up in proxy and server access logs and in HTTP clients' own logs (ureq logs the whole URL
//! at DEBUG when its TRACE level is on). The verifier still sends what it was told to — some
//! deployments need GET — but says once per process and vendor that POST keeps it out.

use crate::codec::Vendor;
use std::sync::atomic::{AtomicBool, Ordering};

/// One vendor whose configured requests carry its secret in the URL, and which secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlSecret {
    pub(crate) vendor: Vendor,
    /// The secret, named as the vendor's parameter (never its value).
    pub(crate) what: &'static str,
}

/// One flag per vendor: has its warning been given?
type Warned = [AtomicBool; Vendor::ALL.len()];

/// The flags of this process.
static WARNED: Warned = [const { AtomicBool::new(false) }; Vendor::ALL.len()];

/// True the first time it is asked about `vendor` in `warned`.
fn first_time(warned: &Warned, vendor: Vendor) -> bool {
    let index = vendor.index();
    !warned[index].swap(true, Ordering::Relaxed)
}

/// Warns (once per process and vendor, so that a program building many verifiers is not
/// flooded) about every vendor of the configuration that would send its secret in URLs.
pub(crate) fn warn_once(found: &[UrlSecret]) {
    for secret in found {
        if first_time(&WARNED, secret.vendor) {
            tracing::warn!(
                vendor = %secret.vendor,
                "{} requests use GET, so {} travels in every request URL, where proxies, \
                 servers and HTTP client logs keep it (and the checked person's data); use \
                 Method::Post (the default) to keep them in the body",
                secret.vendor,
                secret.what,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Method;
    use crate::codec::ihuyi::{IhuyiConfig, PasswordMode};
    use crate::codec::qxt::QxtConfig;
    use crate::codec::wapi::{AuthMode, WapiConfig};
    use crate::sign::Secret;

    const URL: &str = "http://127.0.0.1:9";

    fn wapi(method: Method, auth: AuthMode) -> WapiConfig {
        WapiConfig::new(URL, "app", Secret::new("s"))
            .expect("valid")
            .with_method(method)
            .with_auth(auth)
    }

    fn qxt(method: Method) -> QxtConfig {
        QxtConfig::new(Secret::new("k")).with_method(method)
    }

    fn ihuyi(method: Method, password: PasswordMode) -> IhuyiConfig {
        IhuyiConfig::new("acct", Secret::new("k"))
            .with_method(method)
            .with_password_mode(password)
    }

    /// The configured vendors of these accounts whose GET requests carry a secret in URLs.
    fn url_secrets(
        wapi: Option<WapiConfig>,
        qxt: Option<QxtConfig>,
        ihuyi: Option<IhuyiConfig>,
    ) -> Vec<UrlSecret> {
        let mut config = crate::VerifierConfig::new();
        config.wapi = wapi;
        config.qxt = qxt;
        config.ihuyi = ihuyi;
        crate::vendors::url_secrets(&config)
    }

    fn vendors(found: Vec<UrlSecret>) -> Vec<Vendor> {
        found.into_iter().map(|s| s.vendor).collect()
    }

    #[test]
    fn post_never_puts_a_secret_in_the_url() {
        for auth in [AuthMode::Md5, AuthMode::Hash] {
            for password in [PasswordMode::Dynamic, PasswordMode::Static] {
                let found = url_secrets(
                    Some(wapi(Method::Post, auth)),
                    Some(qxt(Method::Post)),
                    Some(ihuyi(Method::Post, password)),
                );
                assert!(found.is_empty(), "{auth:?} {password:?}: {found:?}");
            }
        }
        assert!(url_secrets(None, None, None).is_empty());
    }

    #[test]
    fn get_puts_the_secret_in_the_url_only_where_it_is_sent_as_is() {
        // MD5 signatures and dynamic passwords are digests: the secret stays home.
        let found = url_secrets(
            Some(wapi(Method::Get, AuthMode::Md5)),
            None,
            Some(ihuyi(Method::Get, PasswordMode::Dynamic)),
        );
        assert!(found.is_empty(), "{found:?}");
        let found = url_secrets(
            Some(wapi(Method::Get, AuthMode::Hash)),
            Some(qxt(Method::Get)),
            Some(ihuyi(Method::Get, PasswordMode::Static)),
        );
        assert_eq!(vendors(found), [Vendor::Wapi, Vendor::Qxt, Vendor::Ihuyi]);
        let found = url_secrets(None, Some(qxt(Method::Get)), None);
        assert_eq!(vendors(found), [Vendor::Qxt]);
    }

    #[test]
    fn the_warning_is_given_once_per_vendor() {
        let warned: Warned = Default::default();
        assert!(first_time(&warned, Vendor::Ihuyi));
        assert!(!first_time(&warned, Vendor::Ihuyi));
        assert!(first_time(&warned, Vendor::Qxt));
        assert!(!first_time(&warned, Vendor::Qxt));
        assert!(first_time(&warned, Vendor::Wapi));
        assert!(!first_time(&warned, Vendor::Ihuyi));
    }
}
