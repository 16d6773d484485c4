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
    /// Validates `url` (surrounding whitespace is ignored). `http::Uri` parses it; this adds
    /// only what a vendor base needs on top: http(s), a host, no query, fragment or
    /// credentials, and no trailing slash.
    pub fn parse(url: &str) -> Result<Self, BuildError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(BuildError::missing("base_url"));
        }
        // A URL with `@` may carry `user:password@`: it is never echoed.
        let shown = if url.contains('@') {
            "(not shown: it contains '@')".to_owned()
        } else {
            format!("{url:?}")
        };
        let invalid = |why: &str| {
            BuildError::new(
                BuildErrorKind::InvalidBaseUrl,
                "base_url",
                format!("base URL {shown} {why}"),
            )
        };
        // `http::Uri` drops a fragment silently; the codec owns the query.
        if url.contains(['?', '#']) {
            return Err(invalid("must not have a query or fragment"));
        }
        let uri = http::Uri::try_from(url).map_err(|_| invalid("is not a valid URL"))?;
        let scheme = match uri.scheme_str() {
            None => return Err(invalid("must start with http:// or https://")),
            Some(scheme) if scheme.eq_ignore_ascii_case("http") => "http",
            Some(scheme) if scheme.eq_ignore_ascii_case("https") => "https",
            Some(_) => return Err(invalid("must use http or https")),
        };
        let authority = uri.authority().ok_or_else(|| invalid("has no host"))?;
        if authority.as_str().contains('@') {
            return Err(BuildError::new(
                BuildErrorKind::InvalidBaseUrl,
                "base_url",
                "base URL must not contain user credentials (user:password@)",
            ));
        }
        if authority.host().is_empty() {
            return Err(invalid("has no host"));
        }
        let path = uri.path().trim_end_matches('/');
        Ok(BaseUrl {
            normalized: format!("{scheme}://{authority}{path}"),
        })
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
            "https://user:p w@h.example/",
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
        // Unparsable with credentials in it: refused without echoing them either.
        let error = BaseUrl::parse("https://user:p w@h.example/").expect_err("credentials");
        assert!(!error.to_string().contains("p w"), "{error}");
    }
}
