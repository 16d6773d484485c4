//! A tiny ordered answer model and its JSON / JSONP / XML writers, including the styles real
//! back ends show: keys without quotes (QXT's document) and numbers as strings (PHP).
//!
//! Field order matters to people reading answers and to snapshot tests, so answers are
//! `Vec`s of `(key, value)` rather than maps.

use std::fmt::Write as _;

/// A value in an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Str(String),
    Obj(Vec<(&'static str, Value)>),
    /// PHP's empty array: `[]` in JSON (what wapi puts in `retdata` when there is no data).
    EmptyList,
    Null,
}

impl Value {
    pub(crate) fn str(text: impl Into<String>) -> Self {
        Value::Str(text.into())
    }
}

/// An answer: the top-level object's fields, in order.
pub(crate) type Fields = Vec<(&'static str, Value)>;

/// How the answer is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
    Jsonp(String),
}

impl Format {
    pub(crate) fn content_type(&self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
            Format::Jsonp(_) => "application/javascript; charset=utf-8",
        }
    }
}

/// Writing styles that real back ends show and decoders must survive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Style {
    pub(crate) unquoted_keys: bool,
    pub(crate) numbers_as_strings: bool,
}

/// Writes `fields` in `format`.
pub(crate) fn render(fields: &[(&'static str, Value)], format: &Format, style: Style) -> Vec<u8> {
    let mut out = String::with_capacity(384);
    match format {
        Format::Json => write_json_root(&mut out, fields, style),
        Format::Jsonp(callback) => {
            out.push_str(callback);
            out.push('(');
            write_json_root(&mut out, fields, style);
            out.push_str(");");
        }
        // XML has no types: numbers are text either way.
        Format::Xml => write_xml(&mut out, fields),
    }
    out.into_bytes()
}

fn write_json_root(out: &mut String, fields: &[(&'static str, Value)], style: Style) {
    if style.unquoted_keys {
        // QXT's document prints its answers as a JavaScript object literal, indented.
        write_object_pretty(out, fields, style, 0);
    } else {
        write_object(out, fields, style);
    }
}

fn write_object(out: &mut String, fields: &[(&'static str, Value)], style: Style) {
    out.push('{');
    for (index, (key, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_json_string(out, key);
        out.push(':');
        write_value(out, value, style);
    }
    out.push('}');
}

fn write_value(out: &mut String, value: &Value, style: Style) {
    match value {
        Value::Int(number) if style.numbers_as_strings => {
            let _ = write!(out, "\"{number}\"");
        }
        Value::Int(number) => {
            let _ = write!(out, "{number}");
        }
        Value::Str(text) => write_json_string(out, text),
        Value::Obj(fields) => write_object(out, fields, style),
        Value::EmptyList => out.push_str("[]"),
        Value::Null => out.push_str("null"),
    }
}

fn write_object_pretty(
    out: &mut String,
    fields: &[(&'static str, Value)],
    style: Style,
    depth: usize,
) {
    out.push_str("{\n");
    for (index, (key, value)) in fields.iter().enumerate() {
        indent(out, depth + 1);
        out.push_str(key);
        out.push_str(": ");
        match value {
            Value::Obj(inner) => write_object_pretty(out, inner, style, depth + 1),
            other => write_value(out, other, style),
        }
        if index + 1 < fields.len() {
            out.push(',');
        }
        out.push('\n');
    }
    indent(out, depth);
    out.push('}');
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if u32::from(control) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(control));
            }
            other => out.push(other),
        }
    }
    out.push('"');
}

fn write_xml(out: &mut String, fields: &[(&'static str, Value)]) {
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root>");
    write_xml_fields(out, fields);
    out.push_str("</root>");
}

fn write_xml_fields(out: &mut String, fields: &[(&'static str, Value)]) {
    for (key, value) in fields {
        out.push('<');
        out.push_str(key);
        out.push('>');
        match value {
            Value::Int(number) => {
                let _ = write!(out, "{number}");
            }
            Value::Str(text) => write_cdata(out, text),
            Value::Obj(inner) => write_xml_fields(out, inner),
            Value::EmptyList | Value::Null => {}
        }
        out.push_str("</");
        out.push_str(key);
        out.push('>');
    }
}

/// Strings go in CDATA, as PHP XML writers commonly do; a `]]>` inside is split across two
/// sections and characters XML 1.0 forbids are dropped, so any input gives well-formed XML.
fn write_cdata(out: &mut String, text: &str) {
    out.push_str("<![CDATA[");
    let mut rest = text;
    while let Some(at) = rest.find("]]>") {
        push_xml_chars(out, &rest[..at]);
        out.push_str("]]]]><![CDATA[>");
        rest = &rest[at + 3..];
    }
    push_xml_chars(out, rest);
    out.push_str("]]>");
}

fn push_xml_chars(out: &mut String, text: &str) {
    for character in text.chars() {
        let allowed = matches!(character, '\t' | '\n' | '\r')
            || (u32::from(character) >= 0x20 && !matches!(character, '\u{FFFE}' | '\u{FFFF}'));
        if allowed {
            out.push(character);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fields {
        vec![
            ("codeid", Value::Int(10000)),
            ("message", Value::str("返回成功")),
            (
                "retdata",
                Value::Obj(vec![("bank_status", Value::str("01"))]),
            ),
            ("time", Value::str("1604973925")),
        ]
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn json_is_compact_and_valid() {
        let json = text(render(&sample(), &Format::Json, Style::default()));
        assert_eq!(
            json,
            r#"{"codeid":10000,"message":"返回成功","retdata":{"bank_status":"01"},"time":"1604973925"}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["codeid"], 10000);
    }

    #[test]
    fn numbers_as_strings_and_jsonp() {
        let style = Style {
            numbers_as_strings: true,
            ..Style::default()
        };
        let jsonp = text(render(&sample(), &Format::Jsonp("cb".into()), style));
        assert!(jsonp.starts_with(r#"cb({"codeid":"10000","#), "{jsonp}");
        assert!(jsonp.ends_with("});"));
    }

    #[test]
    fn unquoted_keys_look_like_the_qxt_document() {
        let style = Style {
            unquoted_keys: true,
            ..Style::default()
        };
        let fields = vec![
            ("code", Value::Int(0)),
            ("result", Value::Obj(vec![("Mobile", Value::str("1"))])),
        ];
        let out = text(render(&fields, &Format::Json, style));
        assert_eq!(out, "{\n  code: 0,\n  result: {\n    Mobile: \"1\"\n  }\n}");
    }

    #[test]
    fn hostile_strings_stay_well_formed() {
        let fields = vec![
            ("a", Value::str("x\"\\\n\u{1}]]>y\u{0}")),
            ("b", Value::EmptyList),
            ("c", Value::Null),
        ];
        let json = text(render(&fields, &Format::Json, Style::default()));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["a"], "x\"\\\n\u{1}]]>y\u{0}");
        assert_eq!(parsed["b"], serde_json::json!([]));
        let xml = text(render(&fields, &Format::Xml, Style::default()));
        assert!(
            xml.contains("<a><![CDATA[x\"\\\n]]]]><![CDATA[>y]]></a><b></b><c></c>"),
            "{xml}"
        );
    }
}
