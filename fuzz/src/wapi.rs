//! wapi's three answer formats: one property per format, and one structured target that
//! renders the same answer as json, jsonp and xml and asks for one decode.
//!
//! The wapi decoder recognises the format from the body itself, so the per-format targets
//! differ in their seeds (the codec's fixtures of that format) and in the property they add:
//!
//! - **json**: a JSON body wrapped as `shiming_cb(<body>);` decodes exactly like the body, and
//!   writing its keys bare changes nothing ([`decode::bare_keys_agree`]).
//! - **jsonp**: a body of the documented shape `name(<payload>);` (`name` a JavaScript name,
//!   as `WapiConfig` accepts for `callback`) decodes exactly like `<payload>` sent as JSON.
//! - **xml**: adding an XML declaration to a declaration-less document changes nothing.

use arbitrary::Arbitrary;
use serde_json::{Map, Value};
use shiming_codec::{DecodeErrorKind, Operation, TwoElementAnswer};

use crate::decode::{self, Summary, decode_plain, summary};
use crate::frame::Framed;

/// A wapi two-element operation (mobile + name, or ID number + name).
pub trait WapiCheck: Operation<Output = TwoElementAnswer> {}
impl<O: Operation<Output = TwoElementAnswer>> WapiCheck for O {}

/// The json target: common properties, then JSON and its JSONP wrapping agree.
pub fn json_target(operation: &impl WapiCheck, data: &[u8]) {
    let reference = decode::check_reference(operation, data, decode::wapi_rules);
    decode::bare_keys_agree(operation, data);
    let Ok(text) = std::str::from_utf8(Framed::parse(data).body) else {
        return;
    };
    let text = text.trim();
    if text.starts_with('{') {
        let wrapped = format!("shiming_cb({text});");
        assert_eq!(
            decode_plain(operation, wrapped.as_bytes()),
            reference,
            "JSON and its JSONP wrapping decode differently"
        );
    }
}

/// The jsonp target: common properties, then a documented-shape JSONP body and its payload
/// agree.
pub fn jsonp_target(operation: &impl WapiCheck, data: &[u8]) {
    let reference = decode::check_reference(operation, data, decode::wapi_rules);
    let Ok(text) = std::str::from_utf8(Framed::parse(data).body) else {
        return;
    };
    let Some(payload) = documented_jsonp_payload(text.trim()) else {
        return;
    };
    if payload.trim().starts_with('{') {
        assert_eq!(
            decode_plain(operation, payload.as_bytes()),
            reference,
            "JSONP and its payload decode differently"
        );
    }
}

/// `payload` of `name(payload);` where `name` is `[A-Za-z_$][A-Za-z0-9_$.]*`.
fn documented_jsonp_payload(text: &str) -> Option<&str> {
    let open = text.find('(')?;
    let name = &text[..open];
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if !valid {
        return None;
    }
    text.strip_suffix(");")?.get(open + 1..)
}

/// The xml target: common properties, then an added XML declaration changes nothing (error
/// positions shift with it, so errors are compared by kind).
pub fn xml_target(operation: &impl WapiCheck, data: &[u8]) {
    let reference = decode::check_reference(operation, data, decode::wapi_rules);
    let body = Framed::parse(data).body;
    let body = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii();
    let is_candidate = body.starts_with(b"<")
        && !body.starts_with(b"<?")
        && !contains(body, b"<?xml")
        && !matches!(reference, Err((DecodeErrorKind::UnrecognizedFormat, _)));
    if !is_candidate {
        return;
    }
    let declared = [b"<?xml version=\"1.0\"?>\n".as_slice(), body].concat();
    let declared = decode_plain(operation, &declared);
    match (&reference, &declared) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "an XML declaration changed the answer"),
        (Err((a, _)), Err((b, _))) => {
            assert_eq!(a, b, "an XML declaration changed the error kind")
        }
        _ => panic!("an XML declaration changed the outcome: {reference:?} became {declared:?}"),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// The structured target: one answer, three renderings.

/// Codes the generator prefers: every one the decoder treats specially, and a few refusals.
const CODES: &[&str] = &[
    "10000", "10024", "10025", "10019", "10001", "10003", "10004", "10005", "10026",
];
/// Messages the generator prefers, including the 10019 rate-limit marker and XML specials.
const MESSAGES: &[&str] = &[
    "返回成功",
    "相同姓名或号码核验过于频繁,请稍后再试",
    "调试模式数据",
    "查无数据",
    "a & b <c> \"d\" 'e'",
    "]]>",
];
/// Every `retdata` key the decoder keeps.
const KEYS: &[&str] = &[
    "bank_status",
    "bank_msg",
    "bank_name",
    "bank_mobile",
    "bank_mobileType",
    "bank_provider",
    "bank_province",
    "bank_city",
    "bank_addrCode",
    "bank_idCode",
    "bank_telCode",
    "bank_area",
    "bank_birthday",
    "bank_idCard",
    "bank_sex",
];
/// `bank_status` values worth trying (documented, PHP-cast and wrong ones).
const STATUSES: &[&str] = &["01", "02", "1", "2", "03", "一致", ""];
const ROOTS: &[&str] = &["root", "response", "result", "Data"];
/// Non-ASCII whitespace (ideographic, no-break, em, medium mathematical space): what a
/// full-width input method or a copy from a web page leaves around a value.
const UNICODE_SPACES: &[&str] = &["\u{3000}", "\u{a0}", "\u{2003}", "\u{205f}"];
const CALLBACKS: &[&str] = &["shiming_cb", "cb", "jQuery1_2", "window.cb", "$"];

/// A wapi answer as the fuzzer imagines it.
#[derive(Debug, Arbitrary)]
pub struct Answer {
    /// Decode with the ID check instead of the mobile check.
    pub id_check: bool,
    /// `codeid`, when present.
    pub codeid: Option<Code>,
    /// `message`, when present.
    pub message: Option<Text>,
    /// `retdata`.
    pub retdata: RetData,
    /// `time`, when present.
    pub time: Option<Scalar>,
    /// How the renderings look.
    pub style: Style,
}

/// A `codeid` value.
#[derive(Debug, Arbitrary)]
pub enum Code {
    /// One of [`CODES`], as a JSON number or string.
    Known(u8, bool),
    /// One of [`CODES`] (a JSON string) with one of [`UNICODE_SPACES`] before or after it.
    Padded(u8, u8, bool),
    /// Any integer (a JSON number).
    Number(i64),
    /// Any text (a JSON string).
    Text(String),
}

/// A string value.
#[derive(Debug, Arbitrary)]
pub enum Text {
    /// One of a list of interesting values.
    Known(u8),
    /// Anything.
    Free(String),
}

/// A scalar value.
#[derive(Debug, Arbitrary)]
pub enum Scalar {
    /// A JSON number.
    Number(u32),
    /// A JSON string.
    Text(Text),
    /// JSON `null`; an empty element in XML.
    Null,
}

/// `retdata` in the shapes PHP backends send.
#[derive(Debug, Arbitrary)]
pub enum RetData {
    /// Left out.
    Absent,
    /// `null` / `<retdata/>`.
    Null,
    /// `[]` / `<retdata></retdata>`.
    EmptyArray,
    /// A string / text content.
    Text(Text),
    /// An object / child elements; keys may repeat (the last one wins in every format).
    Object(Vec<(Key, Scalar)>),
}

/// A `retdata` key.
#[derive(Debug, Arbitrary)]
pub enum Key {
    /// One of [`KEYS`]; `bank_status` gets a value from [`STATUSES`] when its value is known.
    Known(u8),
    /// An undocumented key (`extra_<n>`), which the decoder must skip.
    Other(u16),
}

/// How the renderings look: pretty or compact, the XML root and text encodings, the JSONP
/// callback.
#[derive(Debug, Arbitrary)]
pub struct Style {
    /// Indented JSON and XML.
    pub pretty: bool,
    /// Start the XML with a declaration.
    pub declaration: bool,
    /// Index into the XML root names.
    pub root: u8,
    /// Index into the JSONP callbacks.
    pub callback: u8,
    /// Per XML text, in order: plain (escaped), CDATA, character references, or half and half.
    pub encodings: Vec<u8>,
}

fn pick<'a>(list: &[&'a str], index: u8) -> &'a str {
    list[usize::from(index) % list.len()]
}

/// Makes a string representable alike in JSON and XML: no control characters (XML 1.0 has no
/// `\0`, and quick-xml is not asked to normalise line ends), no surrounding ASCII whitespace
/// (the XML reader trims values because pretty-printed XML indents them).
fn portable(text: &str) -> String {
    let kept: String = text.chars().filter(|c| !c.is_ascii_control()).collect();
    kept.trim_matches(|c: char| c.is_ascii_whitespace())
        .to_owned()
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Known(i) => pick(MESSAGES, *i).to_owned(),
            Text::Free(s) => portable(s),
        }
    }
}

impl Code {
    fn json(&self) -> Value {
        match self {
            Code::Known(i, true) => Value::from(pick(CODES, *i)),
            Code::Known(i, false) => pick(CODES, *i)
                .parse::<i64>()
                .map_or(Value::Null, Value::from),
            Code::Padded(..) => Value::from(self.xml()),
            Code::Number(n) => Value::from(*n),
            Code::Text(s) => Value::from(portable(s)),
        }
    }

    fn xml(&self) -> String {
        match self {
            Code::Known(i, _) => pick(CODES, *i).to_owned(),
            Code::Padded(i, space, true) => {
                format!("{}{}", pick(UNICODE_SPACES, *space), pick(CODES, *i))
            }
            Code::Padded(i, space, false) => {
                format!("{}{}", pick(CODES, *i), pick(UNICODE_SPACES, *space))
            }
            Code::Number(n) => n.to_string(),
            Code::Text(s) => portable(s),
        }
    }
}

impl Scalar {
    fn json(&self, status: bool) -> Value {
        match self {
            Scalar::Number(n) => Value::from(*n),
            Scalar::Text(Text::Known(i)) if status => Value::from(pick(STATUSES, *i)),
            Scalar::Text(t) => Value::from(t.render()),
            Scalar::Null => Value::Null,
        }
    }

    fn xml(&self, status: bool) -> Option<String> {
        match self {
            Scalar::Number(n) => Some(n.to_string()),
            Scalar::Text(Text::Known(i)) if status => Some(pick(STATUSES, *i).to_owned()),
            Scalar::Text(t) => Some(t.render()),
            Scalar::Null => None,
        }
    }
}

impl Key {
    fn name(&self) -> String {
        match self {
            Key::Known(i) => pick(KEYS, *i).to_owned(),
            Key::Other(n) => format!("extra_{n}"),
        }
    }
}

impl Answer {
    /// The answer as a JSON object.
    pub fn json(&self) -> String {
        let mut top = Map::new();
        if let Some(code) = &self.codeid {
            top.insert("codeid".into(), code.json());
        }
        if let Some(message) = &self.message {
            top.insert("message".into(), Value::from(message.render()));
        }
        match &self.retdata {
            RetData::Absent => {}
            RetData::Null => {
                top.insert("retdata".into(), Value::Null);
            }
            RetData::EmptyArray => {
                top.insert("retdata".into(), Value::Array(Vec::new()));
            }
            RetData::Text(t) => {
                top.insert("retdata".into(), Value::from(t.render()));
            }
            RetData::Object(pairs) => {
                let mut object = Map::new();
                for (key, value) in pairs {
                    let name = key.name();
                    let value = value.json(name == "bank_status");
                    object.insert(name, value);
                }
                top.insert("retdata".into(), Value::Object(object));
            }
        }
        if let Some(time) = &self.time {
            top.insert("time".into(), time.json(false));
        }
        let top = Value::Object(top);
        let rendered = if self.style.pretty {
            serde_json::to_string_pretty(&top)
        } else {
            serde_json::to_string(&top)
        };
        rendered.unwrap_or_default()
    }

    /// The answer as JSONP.
    pub fn jsonp(&self) -> String {
        format!("{}({});", pick(CALLBACKS, self.style.callback), self.json())
    }

    /// The answer as an XML document.
    pub fn xml(&self) -> String {
        let mut xml = Xml {
            out: String::new(),
            encodings: self.style.encodings.iter().cycle(),
            pretty: self.style.pretty,
        };
        if self.style.declaration {
            xml.out
                .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        }
        let root = pick(ROOTS, self.style.root);
        xml.open(root, 0);
        if let Some(code) = &self.codeid {
            xml.element("codeid", Some(&code.xml()), 1);
        }
        if let Some(message) = &self.message {
            xml.element("message", Some(&message.render()), 1);
        }
        match &self.retdata {
            RetData::Absent => {}
            RetData::Null => xml.element("retdata", None, 1),
            RetData::EmptyArray => xml.element("retdata", Some(""), 1),
            RetData::Text(t) => xml.element("retdata", Some(&t.render()), 1),
            RetData::Object(pairs) => {
                xml.open("retdata", 1);
                for (key, value) in pairs {
                    let name = key.name();
                    let value = value.xml(name == "bank_status");
                    xml.element(&name, value.as_deref(), 2);
                }
                xml.close("retdata", 1);
            }
        }
        if let Some(time) = &self.time {
            xml.element("time", time.xml(false).as_deref(), 1);
        }
        xml.close(root, 0);
        xml.out
    }
}

/// A tiny XML writer: enough to render an [`Answer`] every legal way we care about.
struct Xml<'a, I: Iterator<Item = &'a u8>> {
    out: String,
    encodings: I,
    pretty: bool,
}

impl<'a, I: Iterator<Item = &'a u8>> Xml<'a, I> {
    fn indent(&mut self, depth: usize) {
        if self.pretty {
            self.out.push('\n');
            self.out.push_str(&"  ".repeat(depth));
        }
    }

    fn open(&mut self, name: &str, depth: usize) {
        self.indent(depth);
        self.out.push_str(&format!("<{name}>"));
    }

    fn close(&mut self, name: &str, depth: usize) {
        self.indent(depth);
        self.out.push_str(&format!("</{name}>"));
    }

    /// `<name/>` for `None`, else `<name>text</name>` with the next text encoding.
    fn element(&mut self, name: &str, text: Option<&str>, depth: usize) {
        self.indent(depth);
        let Some(text) = text else {
            self.out.push_str(&format!("<{name}/>"));
            return;
        };
        self.out.push_str(&format!("<{name}>"));
        let encoding = self.encodings.next().copied().unwrap_or(0);
        match encoding % 4 {
            0 => self.out.push_str(&escaped(text)),
            1 => self.out.push_str(&cdata(text)),
            2 => self.out.push_str(&char_refs(text)),
            _ => {
                let middle = text.char_indices().nth(text.chars().count() / 2);
                let (head, tail) = text.split_at(middle.map_or(text.len(), |(i, _)| i));
                self.out.push_str(&escaped(head));
                self.out.push_str(&cdata(tail));
            }
        }
        self.out.push_str(&format!("</{name}>"));
    }
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn cdata(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    // `]]>` cannot appear inside CDATA: end the section between `]]` and `>`.
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

fn char_refs(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("&#x{:X};", u32::from(c))
            }
        })
        .collect()
}

/// The structured target: json, jsonp and xml renderings of one answer decode alike (jsonp
/// exactly like json; xml to the same reply, or the same error kind), and each satisfies the
/// common properties.
pub fn formats_agree(answer: &Answer) {
    if answer.id_check {
        agree(
            &shiming_codec::wapi::IdTwoElements::new("张三", "11010519491231002X"),
            answer,
        );
    } else {
        agree(
            &shiming_codec::wapi::MobileTwoElements::new("张三", "18688888888"),
            answer,
        );
    }
}

fn agree(operation: &impl WapiCheck, answer: &Answer) {
    let json = answer.json();
    let jsonp = answer.jsonp();
    let xml = answer.xml();
    let decoded: [Summary<TwoElementAnswer>; 3] = [&json, &jsonp, &xml].map(|body| {
        let result = operation.decode(&crate::frame::plain(body.as_bytes()));
        match &result {
            Ok(reply) => decode::wapi_rules(reply),
            Err(error) => decode::check_error(error),
        }
        summary(result)
    });
    let [json_result, jsonp_result, xml_result] = decoded;
    assert_eq!(
        json_result, jsonp_result,
        "json and jsonp disagree\njson:  {json}\njsonp: {jsonp}"
    );
    match (&json_result, &xml_result) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "json and xml disagree\njson: {json}\nxml:  {xml}"),
        (Err((a, _)), Err((b, _))) => assert_eq!(
            a, b,
            "json and xml fail differently\njson: {json}\nxml:  {xml}"
        ),
        _ => panic!(
            "json and xml disagree\njson: {json} → {json_result:?}\nxml:  {xml} → {xml_result:?}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_jsonp_shape() {
        assert_eq!(
            documented_jsonp_payload("cb({\"a\":1});"),
            Some("{\"a\":1}")
        );
        assert_eq!(documented_jsonp_payload("window.cb({});"), Some("{}"));
        assert_eq!(documented_jsonp_payload("cb ({});"), None);
        assert_eq!(documented_jsonp_payload("1cb({});"), None);
        assert_eq!(documented_jsonp_payload("cb({})"), None);
        assert_eq!(documented_jsonp_payload("cb();"), Some(""));
    }

    #[test]
    fn xml_text_encodings_round_trip_specials() {
        assert_eq!(cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
        assert_eq!(char_refs("a 一"), "a&#x20;&#x4E00;");
        assert_eq!(portable(" \t a\u{0}b \n"), "ab");
    }
}
