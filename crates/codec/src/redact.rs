//! Keeping the request URL and its query out of error messages: GET requests carry
//! signatures and API keys in the query, and errors end up in logs.
//!
//! Every transport needs this (both of ours use it), and so does anyone who writes their own
//! client around another HTTP library, whose errors usually quote the URL.

use std::error::Error as StdError;

/// What replaces a secret-bearing string in a message.
const REDACTED: &str = "<redacted>";

/// Remembers the strings of one request that must never appear in an error: the URL and its
/// query (GET requests carry signatures and API keys there).
#[derive(Debug, Clone)]
pub struct Redactor {
    needles: Vec<String>,
}

impl Redactor {
    /// A redactor for one request's URI: the whole URI and its query are scrubbed.
    pub fn for_uri(uri: &http::Uri) -> Self {
        let mut needles = vec![uri.to_string()];
        if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
            needles.push(query.to_owned());
        }
        // Longest first, so the whole URL is replaced before its query is looked for.
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        needles.retain(|n| n.len() > 1);
        Redactor { needles }
    }

    /// `text` with every occurrence of the URI or its query replaced by `<redacted>`.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for needle in &self.needles {
            if text.contains(needle.as_str()) {
                text = text.replace(needle.as_str(), REDACTED);
            }
        }
        text
    }

    /// Whether the URI or its query appears in the Display of `error` or any of its sources
    /// (then the error must not be attached as a source, since callers may print the chain).
    pub fn mentioned_in_chain(&self, error: &(dyn StdError + 'static)) -> bool {
        let mut current = Some(error);
        while let Some(error) = current {
            let text = error.to_string();
            if self.needles.iter().any(|n| text.contains(n.as_str())) {
                return true;
            }
            current = error.source();
        }
        false
    }
}

/// The error and its sources joined by `": "`, skipping a source whose text its parent
/// already shows.
pub fn describe(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut last = text.clone();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !part.is_empty() && !last.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        last = part;
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_url_and_query() {
        let uri: http::Uri = "http://h.example/p?sign=abc123&appid=7".parse().unwrap();
        let redactor = Redactor::for_uri(&uri);
        assert_eq!(
            redactor.scrub("failed for http://h.example/p?sign=abc123&appid=7 now"),
            "failed for <redacted> now"
        );
        assert_eq!(
            redactor.scrub("query sign=abc123&appid=7"),
            "query <redacted>"
        );
        assert_eq!(redactor.scrub("nothing here"), "nothing here");
    }

    #[test]
    fn describe_joins_distinct_sources() {
        let inner = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let outer = std::io::Error::other(Wrapper(inner));
        assert_eq!(describe(&outer), "wrapper: refused");
    }

    #[derive(Debug)]
    struct Wrapper(std::io::Error);
    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("wrapper")
        }
    }
    impl StdError for Wrapper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }
}
