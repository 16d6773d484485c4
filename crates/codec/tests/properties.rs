//! Properties: no decoder panics on any bytes, and every name survives request building.

use proptest::prelude::*;
use shiming_codec::transport::{HttpRequest, HttpResponse};
use shiming_codec::wapi::{WapiConfig, WapiFormat};
use shiming_codec::{Method, Operation, Secret, UnixTime, ihuyi, qxt, wapi};

const NOW: UnixTime = UnixTime(1_700_000_000);

fn response(status: u16, body: Vec<u8>) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body)
        .expect("valid response")
}

/// Runs every decoder on `body`; the assertion is simply that none of them panics, and that a
/// failure always carries the status it came with.
fn decode_everything(status: u16, body: Vec<u8>) {
    let response = response(status, body);
    let check = |result: Result<(), shiming_codec::DecodeError>| {
        if let Err(error) = result {
            assert_eq!(error.status().as_u16(), status);
            assert!(error.excerpt().chars().count() <= 161);
        }
    };
    check(
        wapi::MobileTwoElements::new("李雷", "13800138000")
            .decode(&response)
            .map(drop),
    );
    check(
        wapi::IdTwoElements::new("李雷", "11010519491231002X")
            .decode(&response)
            .map(drop),
    );
    check(
        qxt::MobileTwoElements::new("李雷", "13800138000")
            .decode(&response)
            .map(drop),
    );
    check(
        ihuyi::MobileStatus::new("13800138000")
            .decode(&response)
            .map(drop),
    );
    check(ihuyi::Balance.decode(&response).map(drop));
}

/// Bytes biased toward the shapes decoders branch on, so the fuzzing reaches deep paths.
fn interesting_bytes() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop_oneof![
        Just(&b""[..]),
        Just(&b"{"[..]),
        Just(&b"<"[..]),
        Just(&b"<root><codeid>"[..]),
        Just(&b"cb("[..]),
        Just(&b"\xEF\xBB\xBF{\"codeid\":"[..]),
        Just(&b"{\"code\":2,\"result\":"[..]),
        Just(&b"{code: 0, result: {"[..]),
    ];
    let tokens = prop::collection::vec(
        prop_oneof![
            Just("\"".to_string()),
            Just(":".to_string()),
            Just(",".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("</".to_string()),
            Just("/>".to_string()),
            Just("<![CDATA[".to_string()),
            Just("]]>".to_string()),
            Just("&amp;".to_string()),
            Just("&#x".to_string()),
            Just(";".to_string()),
            Just("retdata".to_string()),
            Just("codeid".to_string()),
            Just("10000".to_string()),
            Just("bank_status".to_string()),
            Just("\"01\"".to_string()),
            Just("null".to_string()),
            Just(")".to_string()),
            "[a-z_]{1,8}",
            "[0-9-]{1,12}",
            "\\PC{0,4}",
        ],
        0..40,
    );
    (prefix, tokens).prop_map(|(prefix, tokens)| {
        let mut bytes = prefix.to_vec();
        bytes.extend(tokens.concat().into_bytes());
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(
        status in prop_oneof![Just(200u16), Just(502u16), 100u16..600],
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        decode_everything(status, body);
    }

    #[test]
    fn decoders_never_panic_on_near_miss_answers(body in interesting_bytes()) {
        decode_everything(200, body);
    }

    #[test]
    fn names_round_trip_through_percent_encoding(
        name in prop_oneof!["[\\u{4e00}-\\u{9fff}·]{1,8}", "\\PC{1,12}"],
        use_get in any::<bool>(),
        format in prop_oneof![Just(WapiFormat::Json), Just(WapiFormat::Xml), Just(WapiFormat::jsonp("cb"))],
    ) {
        // Names are trimmed by nobody and must come back byte for byte; control characters
        // are refused at build time, so they are left out of the generator.
        prop_assume!(!name.trim().is_empty());
        let method = if use_get { Method::Get } else { Method::Post };
        let wapi_config = WapiConfig::new("https://demo.api.storeapi.net/p/", "1001", Secret::new("k"))
            .expect("valid")
            .with_method(method)
            .with_format(format);
        let qxt_config = qxt::QxtConfig::new(Secret::new("k")).with_method(method);

        let mobile = wapi::MobileTwoElements::new(name.clone(), "13800138000").prepare(&wapi_config, NOW).expect("builds");
        prop_assert_eq!(param(&mobile, "bank_name"), Some(name.clone()));
        let id = wapi::IdTwoElements::new(name.clone(), "11010519491231002X").prepare(&wapi_config, NOW).expect("builds");
        prop_assert_eq!(param(&id, "bank_name"), Some(name.clone()));
        let qxt = qxt::MobileTwoElements::new(name.clone(), "13800138000").prepare(&qxt_config, NOW).expect("builds");
        prop_assert_eq!(param(&qxt, "name"), Some(name));
    }
}

/// A wapi answer's content, to be rendered in each of the three formats.
#[derive(Debug, Clone)]
struct Answer {
    codeid: &'static str,
    code_as_number: bool,
    message: String,
    status: Option<&'static str>,
    name: Option<String>,
    city: Option<String>,
    time: u64,
    /// Whitespace to put before and after each string value when rendering padded: codeid,
    /// message, status, name, city, time.
    pads: Vec<(&'static str, &'static str)>,
}

/// Padding a sender might leave around a value: ASCII (also what pretty-printed XML indents
/// with) and the Unicode spaces a full-width input method or a web page copy leaves.
const PADS: &[&str] = &[
    "",
    " ",
    "\t",
    "\n  ",
    "\r\n",
    "\u{3000}",
    "\u{a0}",
    "\u{2003}",
    "\u{205f}",
    "\u{85}",
    "\u{2028}",
    " \u{3000} ",
];

fn answers() -> impl Strategy<Value = Answer> {
    // The values themselves, without padding (`pads` adds it when rendering).
    let text =
        "[\\u{4e00}-\\u{9fff}a-zA-Z0-9<>&'\"/ ]{0,10}".prop_map(|s: String| s.trim().to_string());
    (
        prop::sample::select(vec![
            "10000", "10024", "10025", "10003", "10019", "10004", "12345",
        ]),
        any::<bool>(),
        text.clone(),
        prop::option::of(prop::sample::select(vec!["01", "02", "03"])),
        prop::option::of(text.clone()),
        prop::option::of(text),
        1_500_000_000u64..2_000_000_000,
        prop::collection::vec((prop::sample::select(PADS), prop::sample::select(PADS)), 6),
    )
        .prop_map(
            |(codeid, code_as_number, message, status, name, city, time, pads)| Answer {
                codeid,
                code_as_number,
                message,
                status,
                name,
                city,
                time,
                pads,
            },
        )
}

impl Answer {
    /// `value` with the `index`th padding around it when `padded`.
    fn pad(&self, padded: bool, index: usize, value: &str) -> String {
        match self.pads.get(index) {
            Some((before, after)) if padded => format!("{before}{value}{after}"),
            _ => value.to_owned(),
        }
    }

    fn retdata_fields(&self, padded: bool) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        if let Some(status) = self.status {
            fields.push(("bank_status", self.pad(padded, 2, status)));
        }
        if let Some(name) = &self.name {
            fields.push(("bank_name", self.pad(padded, 3, name)));
        }
        if let Some(city) = &self.city {
            fields.push(("bank_city", self.pad(padded, 4, city)));
        }
        fields
    }

    fn json(&self, padded: bool) -> String {
        let mut retdata = serde_json::Map::new();
        for (key, value) in self.retdata_fields(padded) {
            retdata.insert(key.to_string(), value.into());
        }
        // A number has no padding; a code sent as a string may.
        let codeid: serde_json::Value = if self.code_as_number {
            self.codeid.parse::<u64>().expect("numeric").into()
        } else {
            self.pad(padded, 0, self.codeid).into()
        };
        let retdata = if retdata.is_empty() {
            serde_json::json!([])
        } else {
            retdata.into()
        };
        let message = self.pad(padded, 1, &self.message);
        let time = self.pad(padded, 5, &self.time.to_string());
        serde_json::json!({"codeid": codeid, "message": message, "retdata": retdata, "time": time})
            .to_string()
    }

    fn xml(&self, padded: bool) -> String {
        let escape = |s: &str| quick_xml::escape::escape(s).into_owned();
        let retdata: String = self
            .retdata_fields(padded)
            .iter()
            .enumerate()
            // Alternate plain escaped text and CDATA, both of which senders use.
            .map(|(i, (k, v))| {
                if i % 2 == 0 {
                    format!("<{k}>{}</{k}>", escape(v))
                } else {
                    format!("<{k}><![CDATA[{v}]]></{k}>")
                }
            })
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n  <codeid>{}</codeid>\n  <message>{}</message>\n  <retdata>{retdata}</retdata>\n  <time>{}</time>\n</response>\n",
            self.pad(padded, 0, self.codeid),
            escape(&self.pad(padded, 1, &self.message)),
            self.pad(padded, 5, &self.time.to_string()),
        )
    }
}

/// The decoded value of parameter `key`, from the query (GET) or the form body (POST).
fn param(request: &HttpRequest, key: &str) -> Option<String> {
    let encoded: &[u8] = if request.method() == http::Method::GET {
        request.uri().query().unwrap_or_default().as_bytes()
    } else {
        assert_eq!(
            request
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("application/x-www-form-urlencoded;charset=utf-8")
        );
        request.body()
    };
    let mut values = form_urlencoded::parse(encoded)
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned());
    let value = values.next();
    assert!(values.next().is_none(), "{key} sent twice");
    value
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// json, xml and jsonp are three spellings of one model: they must decode identically.
    #[test]
    fn json_xml_and_jsonp_decode_to_the_same_reply(answer in answers()) {
        let op = wapi::MobileTwoElements::new("李雷", "13800138000");
        let json = answer.json(false);
        let from_json = op.decode(&response(200, json.clone().into_bytes())).expect("json decodes");
        let from_xml = op.decode(&response(200, answer.xml(false).into_bytes())).expect("xml decodes");
        let from_jsonp = op.decode(&response(200, format!("cb({json});").into_bytes())).expect("jsonp decodes");
        prop_assert_eq!(&from_json, &from_xml);
        prop_assert_eq!(&from_json, &from_jsonp);
        prop_assert_eq!(from_json.server_time, Some(UnixTime(answer.time)));
        prop_assert_eq!(from_json.code.as_str(), answer.codeid);
    }

    /// Whitespace around any value — ASCII or Unicode (U+3000, U+00A0 …) — is padding in every
    /// format alike (fuzzing finding C1): each padded rendering decodes to the reply of the
    /// unpadded one.
    #[test]
    fn formats_agree_on_whitespace_padded_values(answer in answers()) {
        let op = wapi::MobileTwoElements::new("李雷", "13800138000");
        let decode = |body: String| op.decode(&response(200, body.into_bytes()));
        let plain = decode(answer.json(false)).expect("json decodes");
        let padded_json = answer.json(true);
        prop_assert_eq!(&decode(padded_json.clone()).expect("padded json decodes"), &plain);
        prop_assert_eq!(&decode(format!("cb({padded_json});")).expect("padded jsonp decodes"), &plain);
        prop_assert_eq!(&decode(answer.xml(true)).expect("padded xml decodes"), &plain);
    }
}

#[test]
fn every_truncation_of_every_fixture_decodes_or_fails_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut stack = vec![root];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let body = std::fs::read(&path).expect("readable");
            for cut in 0..=body.len() {
                decode_everything(200, body[..cut].to_vec());
                count += 1;
            }
        }
    }
    assert!(count > 1000, "only {count} truncations");
}
