//! Fault injection over real sockets: per request (header, magic input) and global (config,
//! control endpoint), with what is and is not billed.

mod common;

use common::*;
use shiming_emulator::directory::MOBILE_MATCH;
use shiming_emulator::{
    BlockingEmulator, Emulator, EmulatorConfig, FAULT_HEADER, Faults, magic, sandbox,
};
use std::io::ErrorKind;
use std::time::{Duration, Instant};

fn start() -> BlockingEmulator {
    Emulator::start_blocking(EmulatorConfig::default()).expect("emulator starts")
}

fn match_query() -> String {
    format!("{WAPI_MOBILE}?{}", query(&mobile_match_with(&[])))
}

/// The matching wapi mobile check, with `spec` in the fault header.
fn faulted_match(emulator: &BlockingEmulator, spec: &str) -> Answer {
    get_with(
        emulator.base_url(),
        WAPI_MOBILE,
        &mobile_match_with(&[]),
        &[(FAULT_HEADER, spec)],
    )
}

/// QXT parameters with the sandbox key and a magic `mobile`.
fn qxt_params(mobile: &str) -> Vec<(String, String)> {
    owned(&[
        ("apikey", sandbox::QXT_APIKEY),
        ("mobile", mobile),
        ("name", "x"),
    ])
}

fn fault_header(spec: &str) -> String {
    format!("{FAULT_HEADER}: {spec}\r\n")
}

fn assert_reset(outcome: (Vec<u8>, Option<std::io::Error>)) {
    let (received, error) = outcome;
    assert!(
        received.is_empty(),
        "got bytes: {:?}",
        String::from_utf8_lossy(&received)
    );
    let error = error.expect("the connection must fail, not end cleanly");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
}

#[test]
fn reset_closes_with_rst_and_bills_nothing() {
    let emulator = start();
    let outcome = raw_exchange(
        emulator.base_url(),
        &raw_get(&match_query(), &fault_header("reset")),
    );
    assert_reset(outcome);
    let query = format!(
        "{QXT}?apikey={}&mobile={}&name=x",
        sandbox::QXT_APIKEY,
        magic::fault::mobile::RESET
    );
    assert_reset(raw_exchange(emulator.base_url(), &raw_get(&query, "")));
    // ureq sees a transport error, not an answer.
    let params = qxt_params(magic::fault::mobile::RESET);
    assert!(
        agent()
            .get(format!("{}{QXT}", emulator.base_url()))
            .query_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .call()
            .is_err()
    );
    let ledger = emulator.ledger();
    let wapi = ledger.wapi.operation("mobile_two_elements");
    assert_eq!((wapi.requests, wapi.faulted, wapi.billed), (1, 1, 0));
    assert_eq!(ledger.qxt.operation("mobile_two_elements").faulted, 2);
}

#[test]
fn bad_gateway_is_an_html_page() {
    let emulator = start();
    let answer = faulted_match(&emulator, "502");
    assert_eq!(answer.status, 502);
    assert!(answer.content_type.starts_with("text/html"));
    assert!(
        answer.body.contains("<h1>502 Bad Gateway</h1>"),
        "{}",
        answer.body
    );
    let id_params = wapi_params(&[
        ("bank_name", "张三"),
        ("bank_id", magic::fault::id::BAD_GATEWAY),
    ]);
    assert_eq!(get(emulator.base_url(), WAPI_ID, &id_params).status, 502);
    assert_eq!(emulator.ledger().wapi.billed, 0);
}

#[test]
fn truncated_body_announces_more_than_it_sends_and_is_billed() {
    let emulator = start();
    let (raw, _) = raw_exchange(
        emulator.base_url(),
        &raw_get(&match_query(), &fault_header("truncate")),
    );
    let (head, body) = split_head(&raw);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let announced: usize = header_value(&head, "content-length")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        !body.is_empty() && body.len() < announced,
        "{} of {announced}",
        body.len()
    );
    assert_eq!(body.len(), announced / 2);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    // Delivery faults strike after the vendor decided: the call is billed.
    assert_eq!(emulator.ledger().wapi.billed, 1);
}

#[test]
fn slow_body_trickles_a_complete_answer() {
    let emulator = start();
    let started = Instant::now();
    let (raw, error) = raw_exchange(
        emulator.base_url(),
        &raw_get(&match_query(), &fault_header("slow-body=400")),
    );
    assert!(error.is_none());
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    let (head, body) = split_head(&raw);
    assert_eq!(
        header_value(&head, "content-length").unwrap(),
        body.len().to_string()
    );
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["codeid"], 10000);
}

#[test]
fn oversized_body_is_valid_json_padded_to_size() {
    let emulator = start();
    let answer = faulted_match(&emulator, "oversized=300000");
    assert_eq!(answer.body.len(), 300_000);
    assert_eq!(answer.code(), 10000);
    let answer = get(
        emulator.base_url(),
        QXT,
        &qxt_params(magic::fault::mobile::OVERSIZED),
    );
    assert_eq!(
        answer.body.len() as u64,
        shiming_emulator::DEFAULT_OVERSIZED_BYTES
    );
}

#[test]
fn wrong_content_type_keeps_the_body() {
    let emulator = start();
    let answer = faulted_match(&emulator, "wrong-content-type");
    assert!(
        answer.content_type.starts_with("text/html"),
        "{}",
        answer.content_type
    );
    assert_eq!(answer.code(), 10000);
}

#[test]
fn latency_and_jitter_delay_the_answer() {
    let emulator = start();
    let started = Instant::now();
    let answer = faulted_match(&emulator, "latency=250,jitter=50");
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert_eq!(answer.code(), 10000);
}

#[test]
fn forced_code_and_numbers_as_strings() {
    let emulator = start();
    let answer = faulted_match(&emulator, "code=10021");
    assert_eq!(answer.code(), 10021);
    let answer = faulted_match(&emulator, "string-numbers");
    let json = answer.json();
    assert_eq!(json["codeid"], "10000");
    assert_eq!(json["retdata"]["bank_idCode"], "440300");
    assert_eq!(
        emulator
            .ledger()
            .wapi
            .operation("mobile_two_elements")
            .faulted,
        2
    );
}

#[test]
fn a_bad_fault_header_is_a_400_naming_the_problem() {
    let emulator = start();
    let answer = get_with(
        emulator.base_url(),
        WAPI_MOBILE,
        &[],
        &[(FAULT_HEADER, "explode")],
    );
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("explode"), "{}", answer.body);
}

#[test]
fn global_faults_from_config_and_control_endpoint() {
    let emulator = Emulator::start_blocking(
        EmulatorConfig::default().faults(Faults::parse("502,times=1").unwrap()),
    )
    .unwrap();
    let base = emulator.base_url();
    let params = mobile_match_with(&[]);
    assert_eq!(get(base, WAPI_MOBILE, &params).status, 502);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);

    let view = post_raw(
        base,
        "/__emulator/faults",
        "application/json",
        r#"{"spec":"502,times=2"}"#,
    )
    .json();
    assert_eq!(view["spec"], "502,times=2");
    assert_eq!(view["active"], true);
    assert_eq!(get(base, WAPI_MOBILE, &params).status, 502);
    assert_eq!(get(base, QXT, &[]).status, 502);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);
    let view = get(base, "/__emulator/faults", &[]).json();
    assert_eq!(view["active"], false);

    // Plain-text spec; a header overrides the global plan for its request.
    post_raw(base, "/__emulator/faults", "text/plain", "code=10021");
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10021);
    assert_eq!(
        get_with(base, WAPI_MOBILE, &params, &[(FAULT_HEADER, "none")]).code(),
        10000
    );
    emulator.set_faults(Faults::parse("code=10021,rate=0").unwrap());
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);
    let answer = agent()
        .delete(format!("{base}/__emulator/faults"))
        .call()
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(emulator.faults(), Faults::none());
    let bad = post_raw(base, "/__emulator/faults", "text/plain", "latency=soon");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("soon"));
}

#[test]
fn rate_applies_faults_to_a_share_of_requests() {
    let emulator = start();
    emulator.set_faults(Faults::parse("502,rate=0.5").unwrap());
    let params = owned(&[
        ("apikey", sandbox::QXT_APIKEY),
        ("mobile", MOBILE_MATCH.number),
        ("name", MOBILE_MATCH.name),
    ]);
    let failed = (0..200)
        .filter(|_| get(emulator.base_url(), QXT, &params).status == 502)
        .count();
    assert!((60..=140).contains(&failed), "{failed} of 200");
}
