//! Strict JSON first, then one tolerant retry for JavaScript-style bare keys.

use crate::error::{DecodeError, Failure};
use crate::operation::{Operation, Reply};
use crate::transport::HttpResponse;
use crate::unquoted;

/// Decodes the answer of a JSON-only vendor (QXT, ihuyi) to `operation`: the body must be a
/// JSON object, read [`tolerant`]ly by `parse`; a failure becomes the operation's
/// [`DecodeError`].
pub(crate) fn decode<O: Operation>(
    operation: &O,
    response: &HttpResponse,
    parse: impl Fn(&str) -> Result<Result<Reply<O::Output>, Failure>, serde_json::Error>,
) -> Result<Reply<O::Output>, DecodeError> {
    object_text(response.body())
        .and_then(|text| tolerant(text, parse))
        .map_err(|failure| failure.into_error(operation.vendor(), operation.name(), response))
}

/// Runs `parse` on `text`; if strict JSON fails with a syntax error and quoting bare keys
/// changes the text, runs it once more on the quoted text.
///
/// `parse` deserializes and reads the answer in one go (the wire structs borrow from the text
/// they were parsed from, so they cannot outlive the quoted copy). The error reported is the
/// strict parser's: it points at the vendor's actual bytes.
pub(crate) fn tolerant<R>(
    text: &str,
    parse: impl Fn(&str) -> Result<Result<R, Failure>, serde_json::Error>,
) -> Result<R, Failure> {
    match parse(text) {
        Ok(read) => read,
        Err(strict) => {
            if strict.is_syntax()
                && let Some(quoted) = unquoted::quote_keys(text)
                && let Ok(read) = parse(&quoted)
            {
                return read;
            }
            Err(Failure::from_json(&strict))
        }
    }
}

/// The body of a JSON-only vendor as text, refusing what is plainly not a JSON object (an HTML
/// error page, plain text) with a clear reason before any parser runs.
fn object_text(body: &[u8]) -> Result<&str, Failure> {
    let text = crate::body::text(body)?;
    match crate::body::shape(text) {
        crate::body::Shape::Json => Ok(text),
        _ => Err(crate::body::unrecognized(text, "a json object")),
    }
}
