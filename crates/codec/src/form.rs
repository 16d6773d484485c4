//! Form-encoded requests: one place that decides how parameters travel (query or body), how
//! they are percent-encoded, and which headers go with them.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::endpoint::BaseUrl;
use crate::error::{BuildError, BuildErrorKind};
use crate::transport::HttpRequest;

/// The `Content-Type` of every POST: the wapi documents require the charset parameter, and
/// declaring UTF-8 costs the other vendors nothing.
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=utf-8";

/// How parameters travel to the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Form body (`application/x-www-form-urlencoded;charset=utf-8`). The default: names, ID
    /// numbers and keys stay out of URLs, which proxies and servers log.
    #[default]
    Post,
    /// Query string. Every parameter, the signature or key included, ends up in the URL.
    Get,
}

impl Method {
    /// `"post"` or `"get"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "post",
            Method::Get => "get",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = BuildError;
    /// Accepts `post` or `get`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "post" => Ok(Method::Post),
            "get" => Ok(Method::Get),
            _ => Err(BuildError::new(
                BuildErrorKind::InvalidField,
                "method",
                format!("method {s:?} is neither post nor get"),
            )),
        }
    }
}

/// Builds the request for `params` (in the order given) sent to `base` + `path`.
///
/// Encoding is `application/x-www-form-urlencoded` over UTF-8 (space as `+`, everything but
/// `A-Za-z0-9*-._` percent-encoded), which is what PHP's `http_build_query` decodes.
pub(crate) fn request(
    method: Method,
    base: &BaseUrl,
    path: &str,
    params: &[(&str, &str)],
) -> Result<HttpRequest, BuildError> {
    let encoded = encode(params);
    let mut url = base.join(path);
    // Built in place rather than through `http::request::Builder`, which moves its parts
    // through a `Result` at every step; the URI takes the `String`'s buffer without a copy.
    let (http_method, body) = match method {
        Method::Post => (http::Method::POST, encoded.into_bytes()),
        Method::Get => {
            url.push('?');
            url.push_str(&encoded);
            (http::Method::GET, Vec::new())
        }
    };
    // Cannot fail for a validated BaseUrl and an encoded query; mapped rather than unwrapped
    // so a future change cannot turn it into a panic. The URL is not echoed (GET carries keys).
    let uri = http::Uri::try_from(url).map_err(|_| {
        BuildError::new(
            BuildErrorKind::InvalidBaseUrl,
            "base_url",
            "the base URL and vendor path do not form a valid request URI",
        )
    })?;
    let mut request = http::Request::new(body);
    *request.method_mut() = http_method;
    *request.uri_mut() = uri;
    if method == Method::Post {
        request.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(FORM_CONTENT_TYPE),
        );
    }
    Ok(request)
}

fn encode(params: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::with_capacity(128));
    for (key, value) in params {
        serializer.append_pair(key, value);
    }
    serializer.finish()
}

/// Refuses an empty required value, or one with control characters (which no vendor accepts and
/// which usually means a CSV column was mis-split).
pub(crate) fn require(field: &'static str, value: &str) -> Result<(), BuildError> {
    if value.trim().is_empty() {
        return Err(BuildError::missing(field));
    }
    if value.chars().any(char::is_control) {
        return Err(BuildError::new(
            BuildErrorKind::InvalidField,
            field,
            format!("`{field}` contains a control character"),
        ));
    }
    Ok(())
}
