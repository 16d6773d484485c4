//! Request parameters as a PHP back end sees them (`$_REQUEST`): the query string, plus the
//! body when it is a form POST; for a repeated key the last value wins, body over query.

use axum::http::{HeaderMap, Method, header};
use std::collections::BTreeMap;

/// The decoded parameters of one request.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Collects query parameters and, for a POST whose Content-Type is
    /// `application/x-www-form-urlencoded`, the body's. A POST with another content type has
    /// its body ignored, as PHP does: the client then meets "appid missing" and learns why.
    pub(crate) fn from_request(
        method: &Method,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let mut pairs = Vec::new();
        if let Some(query) = query {
            pairs.extend(decode(query.as_bytes()));
        }
        if method == Method::POST && is_form(headers) {
            pairs.extend(decode(body));
        }
        Self { pairs }
    }

    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self {
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The value of `key` (last occurrence), possibly empty.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key` when present and not empty (vendors treat empty as absent).
    pub(crate) fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|value| !value.is_empty())
    }

    /// Every distinct key with its last value, sorted by key bytes (what wapi's MD5 signs).
    pub(crate) fn sorted(&self) -> BTreeMap<&str, &str> {
        // Inserting in order keeps the last value of a repeated key.
        self.pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

fn decode(bytes: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| {
            media
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn form_headers(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn body_wins_over_query_and_last_wins() {
        let params = Params::from_request(
            &Method::POST,
            Some("a=1&b=2&b=3"),
            &form_headers("application/x-www-form-urlencoded;charset=utf-8"),
            "b=4&c=%E5%BC%A0+%E4%B8%89".as_bytes(),
        );
        assert_eq!(params.get("a"), Some("1"));
        assert_eq!(params.get("b"), Some("4"));
        assert_eq!(params.get("c"), Some("张 三"));
        let sorted: Vec<_> = params.sorted().into_iter().collect();
        assert_eq!(sorted, vec![("a", "1"), ("b", "4"), ("c", "张 三")]);
    }

    #[test]
    fn body_of_other_content_types_and_get_is_ignored() {
        let json = form_headers("application/json");
        let params = Params::from_request(&Method::POST, None, &json, b"a=1");
        assert_eq!(params.get("a"), None);
        let form = form_headers("application/x-www-form-urlencoded");
        let params = Params::from_request(&Method::GET, None, &form, b"a=1");
        assert_eq!(params.get("a"), None);
    }

    #[test]
    fn empty_values_are_absent_for_non_empty() {
        let params = Params::from_pairs(&[("time", "")]);
        assert_eq!(params.get("time"), Some(""));
        assert_eq!(params.non_empty("time"), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        let params = Params::from_request(
            &Method::GET,
            Some("%%%&=&==&a=%ff%fe&&b"),
            &HeaderMap::new(),
            b"",
        );
        assert_eq!(params.get("b"), Some(""));
        assert!(params.get("a").is_some());
    }
}
