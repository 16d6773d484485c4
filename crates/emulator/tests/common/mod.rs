//! Helpers shared by the integration tests: a real HTTP client (ureq) against the emulator on
//! 127.0.0.1, and request builders that sign as the vendor documents describe.

#![allow(dead_code, unreachable_pub)]

use md5::{Digest, Md5};
use shiming_emulator::directory::MOBILE_MATCH;
use shiming_emulator::sandbox;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }

    /// wapi `codeid` (number) / QXT and ihuyi `code`, whichever is present.
    pub fn code(&self) -> i64 {
        let json = self.json();
        let code = json.get("codeid").or_else(|| json.get("code"));
        code.and_then(serde_json::Value::as_i64)
            .unwrap_or_else(|| panic!("no numeric code: {}", self.body))
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("HTTP request failed");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .expect("body");
    Answer {
        status,
        content_type,
        body,
    }
}

pub fn get(base: &str, path: &str, params: &[(String, String)]) -> Answer {
    get_with(base, path, params, &[])
}

pub fn get_with(
    base: &str,
    path: &str,
    params: &[(String, String)],
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = agent().get(format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    answer(
        request
            .query_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .call(),
    )
}

pub fn post(base: &str, path: &str, params: &[(String, String)]) -> Answer {
    answer(
        agent()
            .post(format!("{base}{path}"))
            .send_form(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
    )
}

/// A raw body with a content type of our choice (control endpoints, odd clients).
pub fn post_raw(base: &str, path: &str, content_type: &str, body: &str) -> Answer {
    answer(
        agent()
            .post(format!("{base}{path}"))
            .content_type(content_type)
            .send(body),
    )
}

pub fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs(),
    )
    .expect("fits in i64")
}

pub fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

pub fn owned(params: &[(&str, &str)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// wapi MD5 signing as the documents spell it out: all parameters but `sign`, keys sorted,
/// empty values skipped, key+value concatenated, secret appended, lowercase hex MD5.
pub fn wapi_sign(params: &[(String, String)], secret: &str) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "sign").collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut text = String::new();
    for (key, value) in sorted {
        if !value.is_empty() {
            text.push_str(key);
            text.push_str(value);
        }
    }
    text.push_str(secret);
    md5_hex(&text)
}

/// Sandbox-signed wapi parameters (appid, time = now, format json) plus `extra`.
pub fn wapi_params(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    wapi_params_at(extra, now(), sandbox::WAPI_SECRET)
}

pub fn wapi_params_at(extra: &[(&str, &str)], time: i64, secret: &str) -> Vec<(String, String)> {
    let mut params = owned(&[("appid", sandbox::WAPI_APPID), ("format", "json")]);
    params.push(("time".into(), time.to_string()));
    for (key, value) in extra {
        params.retain(|(k, _)| k != key);
        params.push(((*key).to_owned(), (*value).to_owned()));
    }
    let sign = wapi_sign(&params, secret);
    params.push(("sign".into(), sign));
    params
}

/// The directory's matching mobile check, as wapi parameters before signing.
pub const MOBILE_MATCH_PARAMS: [(&str, &str); 2] = [
    ("bank_name", MOBILE_MATCH.name),
    ("mobile", MOBILE_MATCH.number),
];

/// [`MOBILE_MATCH_PARAMS`] and `extra`, signed like [`wapi_params`].
pub fn mobile_match_with(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params = MOBILE_MATCH_PARAMS.to_vec();
    params.extend_from_slice(extra);
    wapi_params(&params)
}

/// [`MOBILE_MATCH_PARAMS`] signed with `secret` at `time`.
pub fn mobile_match_at(time: i64, secret: &str) -> Vec<(String, String)> {
    wapi_params_at(&MOBILE_MATCH_PARAMS, time, secret)
}

pub const WAPI_MOBILE: &str = "/pyi/108/244";
pub const WAPI_ID: &str = "/pyi/62/169";
pub const QXT: &str = "/Phone_TwoElements";
pub const IHUYI_SUBMIT: &str = "/idcard/operzwsc/Submit.json";
pub const IHUYI_GETNUM: &str = "/idcard/operzwsc/GetNum.json";

/// One raw HTTP/1.1 exchange: what the socket delivered, byte for byte, or the read error.
pub fn raw_exchange(base: &str, request: &str) -> (Vec<u8>, Option<std::io::Error>) {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("read timeout");
    stream.write_all(request.as_bytes()).expect("send request");
    let mut received = Vec::new();
    let mut buffer = [0u8; 65536];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (received, None),
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(error) => return (received, Some(error)),
        }
    }
}

/// A GET request line with headers, closing the connection after the answer.
pub fn raw_get(path_and_query: &str, extra_headers: &str) -> String {
    format!(
        "GET {path_and_query} HTTP/1.1\r\nHost: emulator\r\nConnection: close\r\n{extra_headers}\r\n"
    )
}

/// Splits a raw HTTP answer into head and body.
pub fn split_head(raw: &[u8]) -> (String, Vec<u8>) {
    let at = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("no end of headers");
    (
        String::from_utf8_lossy(&raw[..at]).into_owned(),
        raw[at + 4..].to_vec(),
    )
}

pub fn header_value(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// A query string, percent-encoded.
pub fn query(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
