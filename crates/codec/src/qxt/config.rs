//! A QXT account.

use shiming_sign::Secret;

use crate::endpoint::BaseUrl;
use crate::error::BuildError;
use crate::form::Method;

/// The documented HTTPS endpoint.
pub const DEFAULT_BASE_URL: &str = "https://ps.szqxt.com";

/// A QXT account. Debug shows everything but the key.
#[derive(Debug)]
pub struct QxtConfig {
    /// Where the API lives; [`DEFAULT_BASE_URL`] unless overridden (an emulator, a proxy).
    pub base_url: BaseUrl,
    /// The account key, sent as `apikey`.
    pub apikey: Secret,
    /// POST (default) or GET.
    pub method: Method,
}

impl QxtConfig {
    /// An account at the documented endpoint, using POST.
    pub fn new(apikey: Secret) -> Self {
        QxtConfig {
            base_url: default_base_url(),
            apikey,
            method: Method::Post,
        }
    }

    /// Sends requests to `base_url` instead of the documented endpoint.
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, BuildError> {
        self.base_url = BaseUrl::parse(base_url)?;
        Ok(self)
    }

    /// Sets POST or GET.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }
}

/// The documented endpoint (a test checks it passes [`BaseUrl::parse`] unchanged).
pub(crate) fn default_base_url() -> BaseUrl {
    BaseUrl::trusted(DEFAULT_BASE_URL)
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_base_url_is_valid_and_normalized() {
        assert_eq!(
            crate::BaseUrl::parse(super::DEFAULT_BASE_URL).ok(),
            Some(super::default_base_url())
        );
    }
}
