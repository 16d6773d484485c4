//! An ihuyi account and how its password is formed.

use shiming_sign::ihuyi::PasswordMode;
use shiming_sign::{Secret, UnixTime};

use crate::endpoint::BaseUrl;
use crate::error::BuildError;
use crate::form::{self, Method};
use crate::transport::HttpRequest;

/// The documented HTTPS endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.ihuyi.com";

/// An ihuyi account. Debug shows everything but the key.
#[derive(Debug)]
pub struct IhuyiConfig {
    /// Where the API lives; [`DEFAULT_BASE_URL`] unless overridden.
    pub base_url: BaseUrl,
    /// The APIID, sent as `account`.
    pub account: String,
    /// The APIKEY: the static password, or the secret in the dynamic one.
    pub apikey: Secret,
    /// Dynamic (default) or static password.
    pub password: PasswordMode,
    /// POST (default) or GET.
    pub method: Method,
}

impl IhuyiConfig {
    /// An account at the documented endpoint, with dynamic passwords and POST.
    pub fn new(account: impl Into<String>, apikey: Secret) -> Self {
        IhuyiConfig {
            base_url: BaseUrl::trusted(DEFAULT_BASE_URL),
            account: account.into(),
            apikey,
            password: PasswordMode::Dynamic,
            method: Method::Post,
        }
    }

    /// Sends requests to `base_url` instead of the documented endpoint.
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, BuildError> {
        self.base_url = BaseUrl::parse(base_url)?;
        Ok(self)
    }

    /// Sets how the password is formed.
    pub fn with_password_mode(mut self, password: PasswordMode) -> Self {
        self.password = password;
        self
    }

    /// Sets POST or GET.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Builds a request to `path`: `account`, `password`, then `mobile` (Submit only) and
    /// `time` (dynamic passwords only), in the document's order.
    pub(crate) fn request(
        &self,
        path: &str,
        mobile: Option<&str>,
        now: UnixTime,
    ) -> Result<HttpRequest, BuildError> {
        form::require("account", &self.account)?;
        form::require("apikey", self.apikey.expose())?;
        let signature =
            shiming_sign::ihuyi::password(self.password, &self.account, &self.apikey, mobile, now);
        let time = now.0.to_string();
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(4);
        params.push(("account", &self.account));
        params.push(("password", signature.value()));
        if let Some(mobile) = mobile {
            params.push(("mobile", mobile));
        }
        if self.password == PasswordMode::Dynamic {
            params.push(("time", &time));
        }
        form::request(self.method, &self.base_url, path, &params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_base_url_is_valid_and_normalized() {
        assert_eq!(
            BaseUrl::parse(DEFAULT_BASE_URL).ok(),
            Some(BaseUrl::trusted(DEFAULT_BASE_URL))
        );
    }
}
