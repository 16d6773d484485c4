//! Validated vendor base URLs and how a vendor path is appended to them.

use std::fmt;
use std::str::FromStr;

use crate::error::{BuildError, BuildErrorKind};

/// An absolute `http://` or `https://` URL with a host and an optional path prefix, to which a
/// vendor path (`/pyi/108/244`) is appended.
///
/// Trailing slashes are dropped, so `https://h/`, `https://h` and `https://h/api/` +
/// `/x` give `https://h/x` and `https://h/api/x`. Query strings, fragments and user
/// credentials are refused: the codec owns the query, and credentials in a URL end up in logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// `scheme://authority[/prefix]`, no trailing slash, scheme lowercased.
    normalized: String,
}

impl BaseUrl {
    /// Validates `url` (surrounding whitespace is ignored).
    pub fn parse(url: &str) -> Result<Self, BuildError> {
        let url = url.trim();
        let invalid = |why: &str| {
            BuildError::new(
                BuildErrorKind::InvalidBaseUrl,
                "base_url",
                format!("base URL {url:?} {why}"),
            )
        };
        if url.is_empty() {
            return Err(BuildError::missing("base_url"));
        }
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid("must start with http:// or https://"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(invalid("must use http or https"));
        }
        if rest.contains(['?', '#']) {
            return Err(invalid("must not have a query or fragment"));
        }
        let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        if authority.contains('@') {
            // Not echoed: the part before `@` is a password.
            return Err(BuildError::new(
                BuildErrorKind::InvalidBaseUrl,
                "base_url",
                "base URL must not contain user credentials (user:password@)",
            ));
        }
        let host = authority
            .strip_prefix('[')
            .and_then(|v6| v6.split_once(']').map(|(h, _)| h))
            .unwrap_or_else(|| authority.split(':').next().unwrap_or(""));
        if host.is_empty() {
            return Err(invalid("has no host"));
        }
        let normalized = format!("{scheme}://{authority}{}", path.trim_end_matches('/'));
        // Let the http crate have the final word on characters, ports and IPv6 syntax.
        let uri =
            http::Uri::try_from(normalized.as_str()).map_err(|_| invalid("is not a valid URL"))?;
        if uri.host().is_none_or(str::is_empty) {
            return Err(invalid("has no host"));
        }
        Ok(BaseUrl { normalized })
    }

    /// A documented default, already normalized (its module's tests check it parses as is).
    pub(crate) fn trusted(url: &'static str) -> Self {
        BaseUrl {
            normalized: url.to_owned(),
        }
    }

    /// The normalized URL (no trailing slash).
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    /// `self` + `path`, with exactly one `/` between them.
    pub fn join(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        let mut url = String::with_capacity(self.normalized.len() + 1 + path.len());
        url.push_str(&self.normalized);
        url.push('/');
        url.push_str(path);
        url
    }
}

impl FromStr for BaseUrl {
    type Err = BuildError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.normalized)
    }
}

#[cfg(test)]
mod tests {
    use super::BaseUrl;
    use crate::BuildErrorKind;

    fn joined(base: &str, path: &str) -> String {
        BaseUrl::parse(base)
            .map(|b| b.join(path))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn appends_paths_across_slashes_and_prefixes() {
        assert_eq!(
            joined("https://h.example", "/pyi/108/244"),
            "https://h.example/pyi/108/244"
        );
        assert_eq!(
            joined("https://h.example/", "/pyi/108/244"),
            "https://h.example/pyi/108/244"
        );
        assert_eq!(
            joined("https://h.example//", "pyi"),
            "https://h.example/pyi"
        );
        assert_eq!(
            joined("http://h:8080/api/v1/", "/Phone_TwoElements"),
            "http://h:8080/api/v1/Phone_TwoElements"
        );
        assert_eq!(
            joined("  HTTPS://h.example/p \n", "/x"),
            "https://h.example/p/x"
        );
        assert_eq!(
            joined("http://127.0.0.1:3000", "/x"),
            "http://127.0.0.1:3000/x"
        );
        assert_eq!(joined("http://[::1]:3000/", "/x"), "http://[::1]:3000/x");
    }

    #[test]
    fn refuses_what_is_not_an_http_base() {
        for bad in [
            "",
            "h.example",
            "ftp://h.example",
            "https://",
            "https:///path",
            "https://:80/",
            "https://h.example/?a=1",
            "https://h.example/#x",
            "https://user:pw@h.example/",
            "https://h example/",
        ] {
            let error = BaseUrl::parse(bad).expect_err(bad);
            assert_eq!(error.field(), "base_url", "{bad}");
            assert!(
                matches!(
                    error.kind(),
                    BuildErrorKind::InvalidBaseUrl | BuildErrorKind::MissingField
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn credentials_never_echo_in_the_error() {
        let error = BaseUrl::parse("https://user:pw@h.example/").expect_err("credentials");
        assert!(error.to_string().contains("user credentials"));
        assert!(!error.to_string().contains("pw"));
    }
}
