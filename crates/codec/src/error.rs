//! The two ways the codec can fail: building a request, and decoding a response.
//!
//! Both are opaque structs with a small public kind, so messages can improve without breaking
//! callers. Neither ever holds a secret; a decode error holds a short, masked excerpt of the
//! body so an operator can see what came back (an HTML 502 page, a truncated answer, …).

use std::fmt;

use http::StatusCode;

use crate::Vendor;
use crate::excerpt;
use crate::redact::Redactor;

/// What was wrong with the input or configuration when building a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// The base URL is not an absolute `http(s)://host[/prefix]` URL.
    InvalidBaseUrl,
    /// A required value (name, mobile, appid, …) is empty.
    MissingField,
    /// A value cannot be sent as given (a control character, a bad JSONP callback name, …).
    InvalidField,
}

/// A request could not be built. The message names the field and never contains its value
/// when that value is secret or personal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BuildError {
    kind: BuildErrorKind,
    field: &'static str,
    message: String,
}

impl BuildError {
    pub(crate) fn new(
        kind: BuildErrorKind,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        BuildError {
            kind,
            field,
            message: message.into(),
        }
    }

    pub(crate) fn missing(field: &'static str) -> Self {
        Self::new(
            BuildErrorKind::MissingField,
            field,
            format!("`{field}` is required and must not be empty"),
        )
    }

    /// What class of problem this is.
    pub fn kind(&self) -> BuildErrorKind {
        self.kind
    }

    /// The configuration or input field at fault (`base_url`, `name`, `mobile`, …).
    pub fn field(&self) -> &'static str {
        self.field
    }
}

/// Why a response body could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body is empty (or only whitespace).
    EmptyBody,
    /// The body is not UTF-8.
    NotUtf8,
    /// The body is not in any format the vendor uses (an HTML error page, plain text, …).
    UnrecognizedFormat,
    /// The body looks like the vendor's format but does not parse (truncated, bad syntax).
    Malformed,
    /// The body parses but lacks a field every answer has (`codeid`, `code`, …).
    MissingField,
    /// A field has a value of the wrong type or range (`codeid: {}`, `num: "abc"`).
    InvalidField,
}

impl DecodeErrorKind {
    fn describe(self) -> &'static str {
        match self {
            DecodeErrorKind::EmptyBody => "empty body",
            DecodeErrorKind::NotUtf8 => "body is not UTF-8",
            DecodeErrorKind::UnrecognizedFormat => "not a vendor answer",
            DecodeErrorKind::Malformed => "malformed answer",
            DecodeErrorKind::MissingField => "missing field",
            DecodeErrorKind::InvalidField => "invalid field",
        }
    }
}

/// A response body that is not a vendor answer. Carries the HTTP status and a short excerpt of
/// the body (long digit runs and name values masked) so the failure can be diagnosed from logs.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    vendor: Vendor,
    operation: &'static str,
    kind: DecodeErrorKind,
    detail: String,
    status: StatusCode,
    excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(
        vendor: Vendor,
        operation: &'static str,
        kind: DecodeErrorKind,
        detail: impl Into<String>,
        status: StatusCode,
        body: &[u8],
    ) -> Self {
        DecodeError {
            vendor,
            operation,
            kind,
            detail: detail.into(),
            status,
            excerpt: excerpt::of(body),
        }
    }

    /// The vendor whose answer failed to decode.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The operation name (`mobile_two_elements`, …).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What class of problem this is.
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// The HTTP status the body came with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The start of the body, lossily decoded, digit runs and name values masked.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// A short technical explanation (parser position, field name); never body content.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// This error with its excerpt rebuilt from `body` — the body it was decoded from — with
    /// `redactor` applied before the cut (configured secrets, the request's signature and the
    /// checked person replaced or masked), and its detail scrubbed too. The facade does this
    /// to every decode error before it leaves.
    pub fn redacted(mut self, redactor: &Redactor, body: &[u8]) -> Self {
        self.excerpt = excerpt::of_redacted(body, Some(redactor));
        self.detail = redactor.scrub(&self.detail);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.vendor,
            self.operation,
            self.kind.describe()
        )?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        write!(f, "; HTTP {}", self.status.as_u16())?;
        if self.excerpt.is_empty() {
            Ok(())
        } else {
            write!(f, "; body starts {:?}", self.excerpt)
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("vendor", &self.vendor)
            .field("operation", &self.operation)
            .field("kind", &self.kind)
            .field("detail", &self.detail)
            .field("status", &self.status.as_u16())
            .field("excerpt", &self.excerpt)
            .finish()
    }
}

/// A decode failure before the vendor and status are attached; decoders return this and the
/// operation wraps it with context.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) kind: DecodeErrorKind,
    pub(crate) detail: String,
}

impl Failure {
    pub(crate) fn new(kind: DecodeErrorKind, detail: impl Into<String>) -> Self {
        Failure {
            kind,
            detail: detail.into(),
        }
    }

    pub(crate) fn missing(field: &str) -> Self {
        Self::new(
            DecodeErrorKind::MissingField,
            format!("`{field}` is absent"),
        )
    }

    pub(crate) fn invalid(field: &str, why: &str) -> Self {
        Self::new(DecodeErrorKind::InvalidField, format!("`{field}` {why}"))
    }

    /// Describes a serde_json error by category and position only: its own message may quote
    /// a string from the body (a name), which must not reach logs.
    pub(crate) fn from_json(error: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let at = format!("line {} column {}", error.line(), error.column());
        match error.classify() {
            Category::Eof => Self::new(
                DecodeErrorKind::Malformed,
                format!("json ends early at {at}"),
            ),
            Category::Syntax | Category::Io => Self::new(
                DecodeErrorKind::Malformed,
                format!("json syntax error at {at}"),
            ),
            Category::Data => Self::new(
                DecodeErrorKind::InvalidField,
                format!("json value of the wrong type at {at}{}", data_hint(error)),
            ),
        }
    }

    pub(crate) fn into_error(
        self,
        vendor: Vendor,
        operation: &'static str,
        response: &http::Response<Vec<u8>>,
    ) -> DecodeError {
        DecodeError::new(
            vendor,
            operation,
            self.kind,
            self.detail,
            response.status(),
            response.body(),
        )
    }
}

/// serde's own data errors may quote a body string ("invalid type: string \"张三\""), so none
/// of serde's wording is passed on. What we show is our own: the errors our lenient
/// deserializers raise (they name the field, never the value), and for serde's missing and
/// duplicate field errors the field name — a `&'static str` of our structs, re-checked to be
/// a plain identifier — in our words. Everything else is category and position only.
fn data_hint(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |end| &text[..end]);
    if let Some(own) = message.strip_prefix(crate::lenient::OWN_ERROR_PREFIX) {
        return format!(": {own}");
    }
    for (serde_prefix, ours) in [
        ("missing field `", "is absent"),
        ("duplicate field `", "appears twice"),
    ] {
        let field = message
            .strip_prefix(serde_prefix)
            .and_then(|rest| rest.strip_suffix('`'))
            .filter(|field| is_field_name(field));
        if let Some(field) = field {
            return format!(": `{field}` {ours}");
        }
    }
    String::new()
}

/// A wire field name as our structs spell them (`codeid`, `Now_isp`): short, ASCII letters,
/// digits and `_`, no digit run that could be a number from the body.
fn is_field_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::Failure;

    fn detail(json: &str) -> String {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Probe<'a> {
            #[serde(borrow, deserialize_with = "crate::lenient::code")]
            codeid: Option<std::borrow::Cow<'a, str>>,
            #[serde(default)]
            count: u32,
        }
        let error = serde_json::from_str::<Probe<'_>>(json).expect_err(json);
        Failure::from_json(&error).detail
    }

    #[test]
    fn json_details_never_quote_the_body() {
        for (json, starts, ends) in [
            (
                r#"{"count":"张三18612345678"}"#,
                "json value of the wrong type at line 1 column ",
                "",
            ),
            (
                r#"{"codeid":"1","codeid":"2"}"#,
                "json value of the wrong type",
                ": `codeid` appears twice",
            ),
            (
                r#"{"count":1}"#,
                "json value of the wrong type",
                ": `codeid` is absent",
            ),
            (
                r#"{"codeid":true}"#,
                "json value of the wrong type",
                ": code is a boolean",
            ),
            (r#"{"codeid":"张三18612345678"#, "json ends early", ""),
            (r#"{"codeid":张三18612345678}"#, "json syntax error", ""),
        ] {
            let detail = detail(json);
            assert!(detail.starts_with(starts), "{json}: {detail}");
            assert!(detail.ends_with(ends), "{json}: {detail}");
            assert!(!detail.contains("张三"), "{json}: {detail}");
            assert!(!detail.contains("1234"), "{json}: {detail}");
        }
    }
}
