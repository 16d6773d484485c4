//! First look at a response body: BOM, whitespace, UTF-8, and which format it is in.

use crate::error::{DecodeErrorKind, Failure};

/// The body without BOM and surrounding ASCII whitespace; refuses an empty body.
pub(crate) fn trimmed(body: &[u8]) -> Result<&[u8], Failure> {
    // PHP files saved "UTF-8 with BOM" prepend it to every answer.
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii();
    if body.is_empty() {
        return Err(Failure::new(DecodeErrorKind::EmptyBody, ""));
    }
    Ok(body)
}

/// The body as text: BOM and surrounding whitespace removed, UTF-8 checked.
pub(crate) fn text(body: &[u8]) -> Result<&str, Failure> {
    let text = std::str::from_utf8(trimmed(body)?).map_err(|e| not_utf8(&e))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Failure::new(DecodeErrorKind::EmptyBody, ""));
    }
    Ok(text)
}

pub(crate) fn not_utf8(error: &std::str::Utf8Error) -> Failure {
    Failure::new(
        DecodeErrorKind::NotUtf8,
        format!("invalid UTF-8 at byte {}", error.valid_up_to()),
    )
}

/// Whether trimmed body bytes are an XML document (and not an HTML page).
pub(crate) fn is_xml(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'<') && !looks_like_html(bytes)
}

/// The formats a vendor answer can come in, recognised from the body itself (the decoder has no
/// configuration, and a proxy's error page must not be mistaken for an answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape<'a> {
    /// A JSON object.
    Json,
    /// An XML document.
    Xml,
    /// `callback( … )` with optional `;`: holds the text between the parentheses.
    Jsonp(&'a str),
    /// An HTML page (a gateway error, a login page): never a vendor answer.
    Html,
    /// Anything else.
    Other,
}

/// Recognises the shape of trimmed body text.
pub(crate) fn shape(text: &str) -> Shape<'_> {
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(b'{') => Shape::Json,
        Some(b'<') => {
            if looks_like_html(bytes) {
                Shape::Html
            } else {
                Shape::Xml
            }
        }
        Some(_) => jsonp_payload(text).map_or(Shape::Other, Shape::Jsonp),
        None => Shape::Other,
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|tag| {
            bytes
                .get(..tag.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(tag.as_bytes()))
        })
}

/// `name( payload )` + optional `;` → `payload`, where `name` is a JavaScript-ish identifier
/// path (`cb`, `jQuery123_456`, `window.cb`). Surrounding whitespace is already trimmed.
///
/// A body cut off before its `)` still counts as JSONP (payload = everything after `(`), so a
/// truncated answer is reported as malformed JSON rather than as an unknown format.
fn jsonp_payload(text: &str) -> Option<&str> {
    let open = text.find('(')?;
    let name = text[..open].trim_end();
    let valid_name = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if !valid_name {
        return None;
    }
    let close = text.trim_end_matches(';').trim_end();
    let inner = close.strip_suffix(')').unwrap_or(text);
    inner.get(open + 1..).map(str::trim)
}

/// Why trimmed body text that is no vendor answer was refused, in a few words.
pub(crate) fn unrecognized(text: &str, expected: &str) -> Failure {
    let detail = match shape(text) {
        Shape::Html => "an HTML page (gateway or server error page?)".to_owned(),
        _ if text.starts_with('[') => "a json array, not an answer object".to_owned(),
        _ => format!("not {expected}"),
    };
    Failure::new(DecodeErrorKind::UnrecognizedFormat, detail)
}

#[cfg(test)]
mod tests {
    use super::{Shape, shape, text};

    #[test]
    fn strips_bom_and_whitespace() {
        assert_eq!(text(b"\xEF\xBB\xBF \n{}\r\n").ok(), Some("{}"));
        assert!(text(b"\xEF\xBB\xBF \n").is_err());
        assert!(text(b"{\"a\":\"\xff\"}").is_err());
    }

    #[test]
    fn recognises_shapes() {
        assert_eq!(shape("{\"codeid\":1}"), Shape::Json);
        assert_eq!(shape("<?xml version=\"1.0\"?><root/>"), Shape::Xml);
        assert_eq!(shape("<!DOCTYPE html><html>"), Shape::Html);
        assert_eq!(shape("<HTML><body>502</body></HTML>"), Shape::Html);
        assert_eq!(shape("cb({\"a\":1});"), Shape::Jsonp("{\"a\":1}"));
        assert_eq!(
            shape("jQuery1_2 ( {\"a\":1} ) ;"),
            Shape::Jsonp("{\"a\":1}")
        );
        assert_eq!(shape("window.cb({})"), Shape::Jsonp("{}"));
        assert_eq!(shape("cb({\"a\":"), Shape::Jsonp("{\"a\":"));
        assert_eq!(shape("1cb({})"), Shape::Other);
        assert_eq!(shape("Bad Gateway"), Shape::Other);
        assert_eq!(shape("()"), Shape::Other);
        assert_eq!(shape("cb)("), Shape::Other);
        assert_eq!(shape("cb("), Shape::Jsonp(""));
    }
}
