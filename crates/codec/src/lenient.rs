//! Deserializers for what PHP backends really send: codes as numbers or strings, scalars where
//! strings were documented, `[]` or `null` where an object was documented.
//!
//! All of them borrow from the input when they can (`Cow::Borrowed`), so a typed decode costs
//! no more allocations than the answer needs. Their errors name the field's expectation and
//! never quote the value (which could be personal data).
//!
//! Every scalar they yield goes through [`scalar`], the one normalization all formats share
//! (the XML reader calls it too), so a value cannot read differently in JSON and XML.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Prefix of the errors raised here, so the decode error may show them (they hold no values).
pub(crate) const OWN_ERROR_PREFIX: &str = "shiming: ";

/// Surrounding whitespace removed from a scalar read from an answer, whatever its format.
///
/// Whitespace means Unicode whitespace (`char::is_whitespace`), not only ASCII: a full-width
/// space (U+3000) from a Chinese input method or a no-break space (U+00A0) copied from a web
/// page is padding, not part of a code, status or count. JSON and JSONP values get this in the
/// deserializers below and XML text in `wapi/xml.rs` (where it also removes the indentation
/// of pretty-printed documents); nothing else trims, so the formats cannot drift apart again
/// (fuzzing finding C1: JSON trimmed Unicode whitespace, XML only ASCII).
pub(crate) fn scalar(value: Cow<'_, str>) -> Cow<'_, str> {
    match value {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(mut s) => {
            let end = s.trim_end().len();
            s.truncate(end);
            let start = s.len() - s.trim_start().len();
            s.drain(..start);
            Cow::Owned(s)
        }
    }
}

/// A vendor code: a JSON integer or a string, as text ([`scalar`]-normalized). Anything else
/// is an error.
pub(crate) fn code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(CodeVisitor)
        .map(|code| Some(scalar(code)))
}

struct CodeVisitor;

impl<'de> Visitor<'de> for CodeVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a code (integer or string)")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // `10000.0` is still code 10000; a fractional code is not a code.
        if v.fract() == 0.0 && v.abs() < 1e15 {
            Ok(Cow::Owned(format!("{v:.0}")))
        } else {
            Err(E::custom(format!(
                "{OWN_ERROR_PREFIX}code is a fractional number"
            )))
        }
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(E::custom(format!("{OWN_ERROR_PREFIX}code is a boolean")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(E::custom(format!("{OWN_ERROR_PREFIX}code is null")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom(format!(
            "{OWN_ERROR_PREFIX}code is an array"
        )))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom(format!(
            "{OWN_ERROR_PREFIX}code is an object"
        )))
    }
}

/// A scalar as text (strings [`scalar`]-normalized, numbers and booleans formatted); `null`,
/// arrays and objects — PHP's way of saying "nothing here" — become `None`.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    raw_text(d).map(|value| value.map(scalar))
}

/// [`text`] without the normalization: for map keys, which must match exactly (a key
/// `" bank_status"` is not `bank_status`, as `codeid` must be spelled exactly too).
pub(crate) fn raw_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(TextVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or null")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(if v { "true" } else { "false" })))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// An object decoded as `T`; `[]` (PHP's empty array), `null`, strings and numbers — which the
/// wapi documents allow for `retdata` — become `None`. A non-empty array is skipped too: no
/// document describes one, and its absence is reported by the caller where it matters.
pub(crate) fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, [] or null")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Parses an unsigned integer sent as a number or as a string (`123`, `"123"`); the value
/// arrives [`scalar`]-normalized, so padding was already removed.
pub(crate) fn parse_u64(text: &str) -> Option<u64> {
    text.parse().ok()
}

/// An owned value for a public model; empty strings (PHP's "nothing") become `None`.
pub(crate) fn owned(value: Option<Cow<'_, str>>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(default, borrow, deserialize_with = "super::code")]
        code: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "super::text")]
        text: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "super::object")]
        object: Option<Inner<'a>>,
    }

    #[derive(Deserialize)]
    struct Inner<'a> {
        #[serde(default, borrow, deserialize_with = "super::text")]
        a: Option<Cow<'a, str>>,
    }

    type Probed = (Option<String>, Option<String>, Option<Option<String>>);

    fn probe(json: &str) -> Result<Probed, String> {
        serde_json::from_str::<Probe<'_>>(json)
            .map(|p| {
                (
                    p.code.map(Cow::into_owned),
                    p.text.map(Cow::into_owned),
                    p.object.map(|o| o.a.map(Cow::into_owned)),
                )
            })
            .map_err(|e| e.to_string())
    }

    #[test]
    fn codes_are_numbers_or_strings() {
        assert_eq!(
            probe(r#"{"code":10000}"#).map(|p| p.0),
            Ok(Some("10000".into()))
        );
        assert_eq!(
            probe(r#"{"code":"10000"}"#).map(|p| p.0),
            Ok(Some("10000".into()))
        );
        assert_eq!(
            probe(r#"{"code":" -4 "}"#).map(|p| p.0),
            Ok(Some("-4".into()))
        );
        assert_eq!(probe(r#"{"code":-4}"#).map(|p| p.0), Ok(Some("-4".into())));
        assert_eq!(probe(r#"{"code":2.0}"#).map(|p| p.0), Ok(Some("2".into())));
        for bad in [
            r#"{"code":{}}"#,
            r#"{"code":[]}"#,
            r#"{"code":true}"#,
            r#"{"code":null}"#,
            r#"{"code":1.5}"#,
        ] {
            let error = probe(bad).expect_err(bad);
            assert!(error.starts_with(super::OWN_ERROR_PREFIX), "{error}");
        }
    }

    #[test]
    fn codes_and_texts_lose_unicode_padding() {
        for padded in [
            r#"{"code":"\u300010000","text":"\u00a0一致\u2003"}"#,
            "{\"code\":\"10000\u{3000}\",\"text\":\"\u{205f}一致\\n\"}",
        ] {
            assert_eq!(
                probe(padded).map(|p| (p.0, p.1)),
                Ok((Some("10000".into()), Some("一致".into()))),
                "{padded}"
            );
        }
        assert_eq!(
            probe(r#"{"code":"\u00a0","text":" "}"#).map(|p| (p.0, p.1)),
            Ok((Some(String::new()), Some(String::new())))
        );
    }

    #[test]
    fn scalar_trims_borrowed_and_owned_alike() {
        use super::scalar;
        for (input, expected) in [
            ("\u{3000}10000", "10000"),
            (" 01\u{a0}", "01"),
            ("\u{85}a b\t", "a b"),
            ("\u{2003}", ""),
            ("张三", "张三"),
        ] {
            assert_eq!(scalar(Cow::Borrowed(input)), expected);
            assert_eq!(scalar(Cow::Owned(input.to_owned())), expected);
        }
        assert!(matches!(scalar(Cow::Borrowed(" x ")), Cow::Borrowed("x")));
    }

    #[test]
    fn text_accepts_scalars_and_drops_containers() {
        assert_eq!(
            probe(r#"{"text":"一致"}"#).map(|p| p.1),
            Ok(Some("一致".into()))
        );
        assert_eq!(
            probe(r#"{"text":"\u4e00"}"#).map(|p| p.1),
            Ok(Some("一".into()))
        );
        assert_eq!(
            probe(r#"{"text":535000}"#).map(|p| p.1),
            Ok(Some("535000".into()))
        );
        assert_eq!(probe(r#"{"text":null}"#).map(|p| p.1), Ok(None));
        assert_eq!(probe(r#"{"text":[1,[2]]}"#).map(|p| p.1), Ok(None));
        assert_eq!(probe(r#"{"text":{"x":{}}}"#).map(|p| p.1), Ok(None));
    }

    #[test]
    fn objects_may_be_empty_arrays_or_null() {
        assert_eq!(
            probe(r#"{"object":{"a":"x"}}"#).map(|p| p.2),
            Ok(Some(Some("x".into())))
        );
        assert_eq!(probe(r#"{"object":[]}"#).map(|p| p.2), Ok(None));
        assert_eq!(probe(r#"{"object":null}"#).map(|p| p.2), Ok(None));
        assert_eq!(probe(r#"{"object":"err"}"#).map(|p| p.2), Ok(None));
        assert_eq!(probe(r#"{"object":[{"a":1}]}"#).map(|p| p.2), Ok(None));
        assert_eq!(probe(r#"{}"#).map(|p| p.2), Ok(None));
    }

    #[test]
    fn borrows_when_there_is_nothing_to_unescape() {
        let json = r#"{"text":"plain"}"#;
        let probe: super::tests::Probe<'_> = serde_json::from_str(json).expect("parses");
        assert!(matches!(probe.text, Some(Cow::Borrowed("plain"))));
    }
}
