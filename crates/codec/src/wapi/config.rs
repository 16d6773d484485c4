//! A wapi account: where its API lives, how it signs, what format it asks for.

use std::fmt;
use std::str::FromStr;

use shiming_sign::Secret;
use shiming_sign::wapi::AuthMode;

use crate::UnixTime;
use crate::endpoint::BaseUrl;
use crate::error::{BuildError, BuildErrorKind};
use crate::form::{self, Method};
use crate::transport::HttpRequest;

/// The JSONP function name used when `jsonp` is chosen without one.
pub const DEFAULT_JSONP_CALLBACK: &str = "shiming_cb";

/// The answer format requested with the `format` parameter. The decoder recognises all three
/// on its own, so this only changes what the vendor is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum WapiFormat {
    /// `format=json` (the default).
    #[default]
    Json,
    /// `format=xml`.
    Xml,
    /// `format=jsonp&callback=<callback>`: the answer is `callback({…});`.
    Jsonp {
        /// The JavaScript function name the answer is wrapped in.
        callback: String,
    },
}

impl WapiFormat {
    /// JSONP wrapped in `callback`.
    pub fn jsonp(callback: impl Into<String>) -> Self {
        WapiFormat::Jsonp {
            callback: callback.into(),
        }
    }

    /// The value of the `format` parameter.
    pub fn as_str(&self) -> &'static str {
        match self {
            WapiFormat::Json => "json",
            WapiFormat::Xml => "xml",
            WapiFormat::Jsonp { .. } => "jsonp",
        }
    }

    fn callback(&self) -> Option<&str> {
        match self {
            WapiFormat::Jsonp { callback } => Some(callback),
            _ => None,
        }
    }
}

impl fmt::Display for WapiFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WapiFormat::Jsonp { callback } => write!(f, "jsonp:{callback}"),
            other => f.write_str(other.as_str()),
        }
    }
}

impl FromStr for WapiFormat {
    type Err = BuildError;
    /// `json`, `xml`, `jsonp` (callback [`DEFAULT_JSONP_CALLBACK`]) or `jsonp:<callback>`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (name, callback) = s.split_once(':').map_or((s, None), |(n, c)| (n, Some(c)));
        let format = match (name.to_ascii_lowercase().as_str(), callback) {
            ("json", None) => WapiFormat::Json,
            ("xml", None) => WapiFormat::Xml,
            ("jsonp", None) => WapiFormat::jsonp(DEFAULT_JSONP_CALLBACK),
            ("jsonp", Some(callback)) => WapiFormat::jsonp(callback),
            _ => {
                return Err(BuildError::new(
                    BuildErrorKind::InvalidField,
                    "format",
                    format!("format {s:?} is not json, xml, jsonp or jsonp:<callback>"),
                ));
            }
        };
        validate_callback(&format)?;
        Ok(format)
    }
}

/// A JSONP callback must be a plain JavaScript name: it is echoed into the answer, and
/// anything else is refused by the vendor or becomes an injection vector in browsers.
fn validate_callback(format: &WapiFormat) -> Result<(), BuildError> {
    let Some(callback) = format.callback() else {
        return Ok(());
    };
    let valid = (1..=64).contains(&callback.len())
        && callback.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && callback
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if valid {
        Ok(())
    } else {
        Err(BuildError::new(
            BuildErrorKind::InvalidField,
            "callback",
            format!(
                "JSONP callback {callback:?} must be a JavaScript name ([A-Za-z_$][A-Za-z0-9_$.]*, at most 64)"
            ),
        ))
    }
}

/// A wapi account. Debug shows everything but the secret.
#[derive(Debug)]
pub struct WapiConfig {
    /// The account's API host (`https://xxxx.api.storeapi.net`), optionally with a path prefix.
    pub base_url: BaseUrl,
    /// The application id (`appid`).
    pub appid: String,
    /// The application secret: signs requests (MD5 mode) or is sent as `sign` (hash mode).
    pub secret: Secret,
    /// How the application verifies requests (set in wapi's console); MD5 by default.
    pub auth: AuthMode,
    /// The answer format to ask for.
    pub format: WapiFormat,
    /// POST (default) or GET.
    pub method: Method,
    /// Ask for test data (`debug=1`, code 10024, not billed).
    pub debug: bool,
}

impl WapiConfig {
    /// An account with MD5 signing, JSON answers, POST and no debug.
    pub fn new(
        base_url: &str,
        appid: impl Into<String>,
        secret: Secret,
    ) -> Result<Self, BuildError> {
        let appid = appid.into();
        form::require("appid", &appid)?;
        Ok(WapiConfig {
            base_url: BaseUrl::parse(base_url)?,
            appid,
            secret,
            auth: AuthMode::Md5,
            format: WapiFormat::Json,
            method: Method::Post,
            debug: false,
        })
    }

    /// Sets how requests are signed.
    pub fn with_auth(mut self, auth: AuthMode) -> Self {
        self.auth = auth;
        self
    }

    /// Sets the answer format to ask for.
    pub fn with_format(mut self, format: WapiFormat) -> Self {
        self.format = format;
        self
    }

    /// Sets POST or GET.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Asks for test data (`debug=1`).
    pub fn with_debug(mut self, debug: bool) -> Self {
        self.debug = debug;
        self
    }

    /// Builds a signed request for `path` with the operation's own parameters.
    ///
    /// Parameters are sent in byte order of their keys (the order they are signed in), empty
    /// values left out, `sign` last.
    pub(crate) fn request(
        &self,
        path: &str,
        inputs: &[(&'static str, &str)],
        now: UnixTime,
    ) -> Result<HttpRequest, BuildError> {
        form::require("appid", &self.appid)?;
        validate_callback(&self.format)?;
        let time = now.0.to_string();
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(inputs.len() + 6);
        params.push(("appid", &self.appid));
        params.push(("format", self.format.as_str()));
        params.push(("time", &time));
        if let Some(callback) = self.format.callback() {
            params.push(("callback", callback));
        }
        if self.debug {
            params.push(("debug", "1"));
        }
        params.extend_from_slice(inputs);
        params.retain(|(_, value)| !value.is_empty());
        params.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let signature = shiming_sign::wapi::sign(self.auth, &params, &self.secret);
        params.push(("sign", signature.value()));
        form::request(self.method, &self.base_url, path, &params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_configuration_text() {
        assert_eq!("json".parse::<WapiFormat>().ok(), Some(WapiFormat::Json));
        assert_eq!(" XML ".parse::<WapiFormat>().ok(), Some(WapiFormat::Xml));
        assert_eq!(
            "jsonp".parse::<WapiFormat>().ok(),
            Some(WapiFormat::jsonp(DEFAULT_JSONP_CALLBACK))
        );
        assert_eq!(
            "jsonp:cb_1".parse::<WapiFormat>().ok(),
            Some(WapiFormat::jsonp("cb_1"))
        );
        for bad in ["yaml", "jsonp:", "jsonp:1cb", "jsonp:a(b)", "json:cb"] {
            assert!(bad.parse::<WapiFormat>().is_err(), "{bad}");
        }
    }

    #[test]
    fn configs_refuse_bad_base_urls_and_empty_appids() {
        let secret = || Secret::new("s");
        assert_eq!(
            WapiConfig::new("ftp://x", "1", secret())
                .map(|_| ())
                .map_err(|e| e.field()),
            Err("base_url")
        );
        assert_eq!(
            WapiConfig::new("https://x", " ", secret())
                .map(|_| ())
                .map_err(|e| e.field()),
            Err("appid")
        );
    }
}
