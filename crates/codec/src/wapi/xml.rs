//! wapi's XML answers: `<anyroot><codeid>…</codeid><message>…</message><retdata>…</retdata>
//! <time>…</time></anyroot>`, read with quick-xml's borrowing event reader into the same
//! envelope the JSON path produces. The envelope is a [`Sink`] this reader fills by element
//! name, so the dependency runs one way: `envelope.rs` uses this file, never the reverse.
//!
//! Text may come plain, as CDATA, or with entity and character references (which quick-xml
//! reports as separate events); the pieces are joined, and each value goes through
//! [`lenient::scalar`] exactly like a JSON value (which also drops the indentation of
//! pretty-printed XML). Line ends are left as sent: every value we read is a single-line
//! token, and skipping XML's EOL normalisation saves a pass over each text. Elements we do not
//! know, and anything nested deeper than a `retdata` child, are skipped.
//!
//! Errors are our own fixed words and a byte position, never quick-xml's message: that one
//! quotes tag names, and a tag name cut short by a missing `>` is body content (a mobile
//! number, a name) — fuzzing finding C2.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, Event};
use quick_xml::reader::Reader;

use crate::error::{DecodeErrorKind, Failure};
use crate::lenient;

/// A top-level element of the envelope whose text we keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Top {
    Codeid,
    Message,
    Time,
}

/// What the reader fills: the envelope's top-level values and the `retdata` children it
/// keeps, each value already through [`lenient::scalar`].
pub(crate) trait Sink<'a>: Default {
    /// A `retdata` child the sink keeps.
    type Field: Copy;
    /// The field an element inside `retdata` is, by its local name; `None` skips it.
    fn field(name: &str) -> Option<Self::Field>;
    /// A `retdata` element opened (it exists, even if it stays empty).
    fn open_retdata(&mut self);
    /// A top-level value.
    fn set_top(&mut self, top: Top, value: Option<Cow<'a, str>>);
    /// A `retdata` child's value.
    fn set_field(&mut self, field: Self::Field, value: Option<Cow<'a, str>>);
}

/// Where the text being collected goes.
enum Target<F> {
    Top(Top),
    /// A `retdata` child we keep.
    Ret(F),
    /// An element we skip (its text is not collected).
    Skip,
}

/// Parses a wapi XML answer from its (trimmed) bytes.
pub(crate) fn parse<'a, S: Sink<'a>>(xml: &'a [u8]) -> Result<S, Failure> {
    parse_events(xml).map_err(|failure| match std::str::from_utf8(xml) {
        // quick-xml reports bad UTF-8 as a syntax or encoding error; name it plainly.
        Err(e) => crate::body::not_utf8(&e),
        Ok(_) => failure,
    })
}

fn parse_events<'a, S: Sink<'a>>(xml: &'a [u8]) -> Result<S, Failure> {
    let mut reader = Reader::from_reader(xml);
    // A stray `&` in a message is a sender bug we can live with.
    reader.config_mut().allow_dangling_amp = true;

    let mut envelope = S::default();
    let mut depth = 0usize;
    let mut seen_root = false;
    let mut in_retdata = false;
    // The element whose text we are collecting, and the depth its text lives at.
    let mut target: Option<(Target<S::Field>, usize)> = None;
    let mut collected: Option<Cow<'_, str>> = None;

    loop {
        let event = reader.read_event().map_err(|error| {
            Failure::new(
                DecodeErrorKind::Malformed,
                format!(
                    "xml syntax error at byte {}: {}",
                    reader.error_position(),
                    describe(&error)
                ),
            )
        })?;
        match event {
            Event::Start(_) | Event::Empty(_) if depth == 0 && seen_root => {
                return Err(Failure::new(
                    DecodeErrorKind::Malformed,
                    "xml has more than one root element",
                ));
            }
            Event::Start(start) => {
                depth += 1;
                let name = start.local_name();
                open(
                    name.as_ref(),
                    depth,
                    &mut seen_root,
                    &mut in_retdata,
                    &mut target,
                    &mut envelope,
                );
            }
            Event::Empty(start) => {
                let name = start.local_name();
                open(
                    name.as_ref(),
                    depth + 1,
                    &mut seen_root,
                    &mut in_retdata,
                    &mut target,
                    &mut envelope,
                );
                close(
                    depth + 1,
                    &mut in_retdata,
                    &mut target,
                    &mut collected,
                    &mut envelope,
                );
            }
            Event::End(_) => {
                close(
                    depth,
                    &mut in_retdata,
                    &mut target,
                    &mut collected,
                    &mut envelope,
                );
                depth = depth.saturating_sub(1);
            }
            Event::Text(text) if collecting(&target, depth) => {
                append(&mut collected, text.into_inner())
            }
            Event::CData(cdata) if collecting(&target, depth) => {
                append(&mut collected, cdata.into_inner())
            }
            Event::GeneralRef(reference) if collecting(&target, depth) => {
                append(&mut collected, resolve(&reference)?);
            }
            Event::Text(text) if depth == 0 && !text.trim().is_empty() => {
                return Err(Failure::new(
                    DecodeErrorKind::Malformed,
                    "text outside the root element",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(Failure::new(
            DecodeErrorKind::Malformed,
            "xml has no root element",
        ));
    }
    if depth != 0 {
        return Err(Failure::new(
            DecodeErrorKind::Malformed,
            "xml ends inside an element (truncated?)",
        ));
    }
    Ok(envelope)
}

fn collecting<F>(target: &Option<(Target<F>, usize)>, depth: usize) -> bool {
    matches!(target, Some((t, at)) if *at == depth && !matches!(t, Target::Skip))
}

/// An element opened at `depth` (the root is depth 1).
fn open<'a, S: Sink<'a>>(
    name: &str,
    depth: usize,
    seen_root: &mut bool,
    in_retdata: &mut bool,
    target: &mut Option<(Target<S::Field>, usize)>,
    envelope: &mut S,
) {
    match depth {
        1 => *seen_root = true,
        2 => {
            let t = match name {
                "codeid" => Target::Top(Top::Codeid),
                "message" => Target::Top(Top::Message),
                "time" => Target::Top(Top::Time),
                "retdata" => {
                    *in_retdata = true;
                    envelope.open_retdata();
                    Target::Skip
                }
                _ => Target::Skip,
            };
            *target = Some((t, 2));
        }
        3 if *in_retdata => {
            *target = Some((S::field(name).map_or(Target::Skip, Target::Ret), 3));
        }
        _ => {}
    }
}

/// The element at `depth` closed: store what was collected for it.
fn close<'a, S: Sink<'a>>(
    depth: usize,
    in_retdata: &mut bool,
    target: &mut Option<(Target<S::Field>, usize)>,
    collected: &mut Option<Cow<'a, str>>,
    envelope: &mut S,
) {
    if depth == 2 {
        *in_retdata = false;
    }
    let Some((_, at)) = target else { return };
    if *at != depth {
        return;
    }
    let Some((t, _)) = target.take() else { return };
    let value = Some(lenient::scalar(
        collected.take().unwrap_or(Cow::Borrowed("")),
    ));
    match t {
        Target::Top(top) => envelope.set_top(top, value),
        Target::Ret(field) => envelope.set_field(field, value),
        Target::Skip => {}
    }
    // Back inside retdata after one of its children closed: keep collecting its siblings.
    if depth == 3 && *in_retdata {
        *target = Some((Target::Skip, 2));
    }
}

/// Joins text pieces, borrowing when there is only one.
fn append<'a>(collected: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match collected {
        None => *collected = Some(piece),
        Some(existing) => existing.to_mut().push_str(&piece),
    }
}

/// `&amp;` → `&`, `&#x4E00;` → `一`; an entity XML does not predefine (`&nbsp;` from an
/// HTML-minded sender) is kept as written.
fn resolve(reference: &BytesRef<'_>) -> Result<Cow<'static, str>, Failure> {
    let invalid = || {
        Failure::new(
            DecodeErrorKind::Malformed,
            "xml has an invalid character reference",
        )
    };
    if let Some(c) = reference.resolve_char_ref().map_err(|_| invalid())? {
        return Ok(Cow::Owned(c.to_string()));
    }
    let name: &str = reference;
    Ok(match quick_xml::escape::resolve_predefined_entity(name) {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(format!("&{name};")),
    })
}

/// What went wrong, in our words. Exhaustive on purpose where quick-xml's enums are, so an
/// upgrade that adds a case must be read here before it compiles; the variants' payloads
/// (tag names, attribute text, entity names) are body content and are never shown.
fn describe(error: &quick_xml::Error) -> &'static str {
    use quick_xml::Error;
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match error {
        Error::Syntax(syntax) => match syntax {
            SyntaxError::InvalidBangMarkup => "unknown markup after `<!`",
            SyntaxError::UnclosedPI => "unclosed processing instruction",
            SyntaxError::UnclosedXmlDecl => "unclosed XML declaration",
            SyntaxError::UnclosedComment => "unclosed comment",
            SyntaxError::UnclosedDoctype => "unclosed DOCTYPE",
            SyntaxError::UnclosedCData => "unclosed CDATA section",
            SyntaxError::UnclosedTag => "unclosed tag, no `>` before the end",
            SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue => "unclosed attribute value",
        },
        Error::IllFormed(ill) => match ill {
            IllFormedError::MissingDeclVersion(_) | IllFormedError::UnknownVersion => {
                "XML declaration without a known version"
            }
            IllFormedError::MissingDoctypeName => "DOCTYPE without a name",
            IllFormedError::MissingEndTag(_) => "an element is never closed",
            IllFormedError::UnmatchedEndTag(_) => "end tag without a start tag",
            IllFormedError::MismatchedEndTag { .. } => "end tag does not match the open element",
            IllFormedError::DoubleHyphenInComment => "`--` inside a comment",
            IllFormedError::UnclosedReference => "unclosed entity or character reference",
        },
        Error::InvalidAttr(_) => "malformed attribute",
        Error::Escape(_) => "invalid entity or character reference",
        Error::Encoding(_) => "invalid text encoding",
        Error::Namespace(_) => "invalid namespace prefix",
        Error::Io(_) => "read error",
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Failure;
    use crate::wapi::envelope::{Envelope, Key};

    fn parse(xml: &[u8]) -> Result<Envelope<'_>, Failure> {
        super::parse(xml)
    }

    fn fields(xml: &str) -> Result<Vec<Option<String>>, String> {
        parse(xml.as_bytes())
            .map(|e| {
                let r = e.retdata.unwrap_or_default();
                vec![
                    e.codeid.map(|c| c.into_owned()),
                    e.message.map(|c| c.into_owned()),
                    e.time.map(|c| c.into_owned()),
                    r.get(Key::Status).map(str::to_owned),
                    r.get(Key::Name).map(str::to_owned),
                ]
            })
            .map_err(|f| f.detail)
    }

    fn some(v: &[&str]) -> Vec<Option<String>> {
        v.iter()
            .map(|s| (!s.is_empty()).then(|| s.to_string()))
            .collect()
    }

    #[test]
    fn reads_any_root_cdata_and_entities() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n  <codeid>10000</codeid>\n  <message><![CDATA[返回成功]]></message>\n  <retdata>\n    <bank_status>01</bank_status>\n    <bank_name>张&amp;三&#x4E00;</bank_name>\n  </retdata>\n  <time>1700000000</time>\n</response>";
        assert_eq!(
            fields(xml),
            Ok(some(&["10000", "返回成功", "1700000000", "01", "张&三一"]))
        );
    }

    #[test]
    fn empty_and_self_closing_retdata() {
        assert_eq!(
            fields("<root><codeid>10025</codeid><message/><retdata/></root>"),
            Ok(vec![
                Some("10025".into()),
                Some(String::new()),
                None,
                None,
                None
            ])
        );
        assert_eq!(
            fields("<root><codeid>10025</codeid><retdata></retdata></root>").map(|f| f[3].clone()),
            Ok(None)
        );
    }

    #[test]
    fn skips_unknown_and_deeper_elements() {
        let xml = "<r><extra><codeid>1</codeid></extra><codeid>10000</codeid><retdata><item><bank_status>02</bank_status></item><bank_status>01</bank_status><x/></retdata></r>";
        assert_eq!(
            fields(xml).map(|f| (f[0].clone(), f[3].clone())),
            Ok((Some("10000".into()), Some("01".into())))
        );
    }

    #[test]
    fn names_bad_utf8_as_such() {
        let error = parse(b"<root><codeid>1\xff</codeid></root>")
            .map(|_| ())
            .map_err(|f| f.kind);
        assert_eq!(error, Err(crate::DecodeErrorKind::NotUtf8));
    }

    #[test]
    fn syntax_errors_are_described_in_our_words() {
        for (xml, detail) in [
            (
                "<r><bank_mobile18612345678</bank_mobile></r>",
                "end tag does not match the open element",
            ),
            (
                "<r></bank_name 张三></r>",
                "end tag does not match the open element",
            ),
            ("<r><codeid", "unclosed tag, no `>` before the end"),
            ("<r><![CDATA[张三", "unclosed CDATA section"),
        ] {
            let found = fields(xml).expect_err(xml);
            assert!(found.starts_with("xml syntax error at byte "), "{found}");
            assert!(found.ends_with(detail), "{xml}: {found}");
        }
    }

    #[test]
    fn refuses_truncated_or_rootless_documents() {
        assert!(fields("<root><codeid>10000</codeid>").is_err());
        assert!(fields("<?xml version=\"1.0\"?>").is_err());
        assert!(fields("<a></b>").is_err());
        assert!(fields("<a/><b/>").is_err());
        assert!(fields("<a>&#0;</a>").is_ok());
        assert!(fields("<a><codeid>&#xFFFFFFFF;</codeid></a>").is_err());
    }
}
