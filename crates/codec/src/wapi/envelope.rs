//! The wapi answer envelope (`codeid`, `message`, `retdata`, `time`) as it comes off the wire,
//! borrowed from the body, and its reading as a [`Reply`].
//!
//! JSON and JSONP go through serde straight into these structs; XML fills the same structs
//! by element name (see `xml.rs`), so all three formats decode to one model.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::xml::{self, Sink, Top};
use crate::body::{self, Shape};
use crate::error::{DecodeError, Failure};
use crate::operation::{Outcome, Refusal, Reply, required_code};
use crate::taxonomy::wapi as codes;
use crate::transport::HttpResponse;
use crate::{TwoElementAnswer, TwoElementDetails, UnixTime, Vendor, Verdict, json, lenient};

/// The top level of every wapi answer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::code")]
    pub(crate) codeid: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    pub(crate) message: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::object")]
    pub(crate) retdata: Option<RetData<'a>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    pub(crate) time: Option<Cow<'a, str>>,
}

/// The XML reader fills the same struct by element name.
impl<'a> Sink<'a> for Envelope<'a> {
    type Field = Key;

    fn field(name: &str) -> Option<Key> {
        Key::from_wire(name)
    }

    fn open_retdata(&mut self) {
        self.retdata.get_or_insert_with(RetData::default);
    }

    fn set_top(&mut self, top: Top, value: Option<Cow<'a, str>>) {
        match top {
            Top::Codeid => self.codeid = value,
            Top::Message => self.message = value,
            Top::Time => self.time = value,
        }
    }

    fn set_field(&mut self, key: Key, value: Option<Cow<'a, str>>) {
        self.retdata
            .get_or_insert_with(RetData::default)
            .set(key, value);
    }
}

/// A `retdata` field we keep, by its wire name (JSON key and XML element name alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Status,
    Msg,
    Name,
    // mobile + name
    Mobile,
    MobileType,
    Provider,
    Province,
    City,
    AddrCode,
    IdCode,
    TelCode,
    // ID number + name
    Area,
    Birthday,
    IdCard,
    Sex,
}

impl Key {
    const COUNT: usize = 15;

    /// The key spelled `name` on the wire, as the documents spell it.
    pub(crate) fn from_wire(name: &str) -> Option<Key> {
        Some(match name {
            "bank_status" => Key::Status,
            "bank_msg" => Key::Msg,
            "bank_name" => Key::Name,
            "bank_mobile" => Key::Mobile,
            "bank_mobileType" => Key::MobileType,
            "bank_provider" => Key::Provider,
            "bank_province" => Key::Province,
            "bank_city" => Key::City,
            "bank_addrCode" => Key::AddrCode,
            "bank_idCode" => Key::IdCode,
            "bank_telCode" => Key::TelCode,
            "bank_area" => Key::Area,
            "bank_birthday" => Key::Birthday,
            "bank_idCard" => Key::IdCard,
            "bank_sex" => Key::Sex,
            _ => return None,
        })
    }
}

/// `retdata` of both two-element APIs: the union of their documented fields, borrowed from
/// the body where possible.
///
/// Boxed: the fields are 360 bytes, and serde moves a value through several `Result` and
/// `Option` layers on its way out of the deserializer; one allocation is cheaper than those
/// copies (they were a sixth of a JSON decode).
#[derive(Debug, Default)]
pub(crate) struct RetData<'a> {
    values: Box<[Option<Cow<'a, str>>; Key::COUNT]>,
}

impl<'a> RetData<'a> {
    pub(crate) fn set(&mut self, key: Key, value: Option<Cow<'a, str>>) {
        self.values[key as usize] = value;
    }

    pub(crate) fn get(&self, key: Key) -> Option<&str> {
        self.values[key as usize].as_deref()
    }

    pub(crate) fn take(&mut self, key: Key) -> Option<Cow<'a, str>> {
        self.values[key as usize].take()
    }
}

/// Deserialized through [`Key::from_wire`], so JSON and XML can never disagree on a name.
impl<'de: 'a, 'a> Deserialize<'de> for RetData<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RetDataVisitor(std::marker::PhantomData))
    }
}

struct RetDataVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for RetDataVisitor<'a> {
    type Value = RetData<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the retdata object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data = RetData::default();
        while let Some(key) = map.next_key_seed(RawText)? {
            match key.as_deref().and_then(Key::from_wire) {
                Some(key) => data.set(key, map.next_value_seed(Text)?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(data)
    }
}

/// [`lenient::text`] as a seed, for values read by hand.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        lenient::text(d)
    }
}

/// [`lenient::raw_text`] as a seed, for keys read by hand (matched exactly, never trimmed).
struct RawText;

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        lenient::raw_text(d)
    }
}

/// Decodes any wapi answer (json, jsonp or xml) and reads it as a [`Reply`]; `details` reads
/// the operation's details from `retdata` of an answered verdict.
pub(crate) fn decode(
    operation: &'static str,
    response: &HttpResponse,
    details: impl Fn(RetData<'_>) -> TwoElementDetails,
) -> Result<Reply<TwoElementAnswer>, DecodeError> {
    let answer = |verdict, debug, retdata: RetData<'_>| TwoElementAnswer {
        verdict,
        debug,
        details: details(retdata),
    };
    decode_text(response.body(), &answer)
        .map_err(|failure| failure.into_error(Vendor::Wapi, operation, response))
}

fn decode_text<T>(
    body: &[u8],
    answer: &impl Fn(Verdict, bool, RetData<'_>) -> T,
) -> Result<Reply<T>, Failure> {
    let bytes = body::trimmed(body)?;
    // XML goes to quick-xml as bytes: it checks UTF-8 itself, so checking first would be a
    // second pass over the body.
    if body::is_xml(bytes) {
        return read(xml::parse::<Envelope<'_>>(bytes)?, answer);
    }
    let text = body::text(bytes)?;
    match body::shape(text) {
        Shape::Json => json::tolerant(text, |t| {
            serde_json::from_str::<Envelope<'_>>(t).map(|e| read(e, answer))
        }),
        Shape::Jsonp(inner) => json::tolerant(inner, |t| {
            serde_json::from_str::<Envelope<'_>>(t).map(|e| read(e, answer))
        }),
        Shape::Xml => read(xml::parse::<Envelope<'_>>(text.as_bytes())?, answer),
        Shape::Html | Shape::Other => Err(body::unrecognized(text, "json, xml or jsonp")),
    }
}

/// Reads an envelope: code → taxonomy, verdict codes → the operation's answer.
fn read<T>(
    envelope: Envelope<'_>,
    answer: &impl Fn(Verdict, bool, RetData<'_>) -> T,
) -> Result<Reply<T>, Failure> {
    let code = required_code("codeid", envelope.codeid)?;
    let message = envelope.message.map(Cow::into_owned).unwrap_or_default();
    let server_time = envelope
        .time
        .and_then(|t| lenient::parse_u64(&t))
        .map(UnixTime);
    let info = codes::classify(&code, &message);
    let retdata = envelope.retdata.unwrap_or_default();
    let outcome = match code.as_ref() {
        codes::SUCCESS | codes::DEBUG => match verdict(retdata.get(Key::Status)) {
            Some(verdict) => Outcome::Answered(answer(verdict, code == codes::DEBUG, retdata)),
            // Billed (for 10000) but unreadable.
            None => Outcome::Refused(Refusal::UNREADABLE),
        },
        codes::NOT_FOUND => Outcome::Answered(answer(Verdict::NotFound, false, retdata)),
        _ => Outcome::Refused(Refusal::of(info)),
    };
    Ok(Reply {
        vendor: Vendor::Wapi,
        code: code.into_owned(),
        message,
        billed: info.billed,
        server_time,
        outcome,
    })
}

/// `bank_status`: `01` match, `02` mismatch (also without the leading zero, as a PHP integer
/// cast would send them). Padding is already gone ([`lenient::scalar`], in every format).
fn verdict(status: Option<&str>) -> Option<Verdict> {
    match status? {
        "01" | "1" => Some(Verdict::Match),
        "02" | "2" => Some(Verdict::Mismatch),
        _ => None,
    }
}
