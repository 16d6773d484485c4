//! QXT `/Phone_TwoElements` over real HTTP: every code, both methods, billing, styles.

mod common;

use common::*;
use shiming_emulator::directory::{MOBILE_MATCH, MOBILE_MISMATCH, MOBILE_NOT_FOUND};
use shiming_emulator::{Emulator, EmulatorConfig, FAULT_HEADER, Vendor, magic, sandbox};

fn check(apikey: &str, mobile: &str, name: &str) -> Vec<(String, String)> {
    owned(&[("apikey", apikey), ("mobile", mobile), ("name", name)])
}

#[test]
fn match_mismatch_and_not_found() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let base = emulator.base_url();
    let answer = post(
        base,
        QXT,
        &check(sandbox::QXT_APIKEY, MOBILE_MATCH.number, MOBILE_MATCH.name),
    );
    assert_eq!(answer.status, 200);
    let json = answer.json();
    assert_eq!(json["code"], 0);
    assert_eq!(json["reason"], "Succ");
    assert_eq!(json["result"]["Mobile"], MOBILE_MATCH.number);
    assert_eq!(json["result"]["Name"], MOBILE_MATCH.name);
    assert_eq!(json["result"]["Status"], "一致");
    assert_eq!(json["result"]["Area"], "广东-深圳");
    assert_eq!(json["result"]["Now_isp"], "中国联通");
    let json = get(
        base,
        QXT,
        &check(
            sandbox::QXT_APIKEY,
            MOBILE_MISMATCH.number,
            MOBILE_MISMATCH.name,
        ),
    )
    .json();
    assert_eq!(
        (json["code"].as_i64(), json["result"]["Status"].as_str()),
        (Some(0), Some("不一致"))
    );
    let json = get(
        base,
        QXT,
        &check(
            sandbox::QXT_APIKEY,
            MOBILE_NOT_FOUND.number,
            MOBILE_NOT_FOUND.name,
        ),
    )
    .json();
    assert_eq!(json["code"], -4);
    let op = emulator.ledger().qxt.operation("mobile_two_elements");
    assert_eq!((op.requests, op.billed), (3, 2));
}

#[test]
fn parameter_and_key_codes() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let base = emulator.base_url();
    let name = MOBILE_MATCH.name;
    let mobile = MOBILE_MATCH.number;
    assert_eq!(
        get(base, QXT, &owned(&[("mobile", mobile), ("name", name)])).code(),
        1
    );
    assert_eq!(get(base, QXT, &check("short", mobile, name)).code(), 1);
    assert_eq!(
        get(
            base,
            QXT,
            &owned(&[("apikey", sandbox::QXT_APIKEY), ("mobile", mobile)])
        )
        .code(),
        1
    );
    assert_eq!(
        get(
            base,
            QXT,
            &owned(&[("apikey", sandbox::QXT_APIKEY), ("name", name)])
        )
        .code(),
        1
    );
    let wrong_key = "0123456789abcdef0123456789abcdef";
    assert_eq!(get(base, QXT, &check(wrong_key, mobile, name)).code(), -1);
    assert_eq!(
        get(base, QXT, &check(sandbox::QXT_APIKEY, "1868888888", name)).code(),
        -2
    );
    assert_eq!(
        get(base, QXT, &check(sandbox::QXT_APIKEY, "186888888881", name)).code(),
        -2
    );
    assert_eq!(
        get(base, QXT, &check(sandbox::QXT_APIKEY, "12345678901", name)).code(),
        -3
    );
    assert_eq!(
        get(base, QXT, &check(sandbox::QXT_APIKEY, "1868888888x", name)).code(),
        -3
    );
    for (code, magic_mobile) in magic::qxt::ALL {
        assert_eq!(
            get(base, QXT, &check(sandbox::QXT_APIKEY, magic_mobile, name)).code(),
            *code
        );
    }
    assert_eq!(emulator.ledger().qxt.billed, 0);
}

#[test]
fn spent_balance_is_minus_5() {
    let emulator =
        Emulator::start_blocking(EmulatorConfig::default().balance(Vendor::Qxt, 1)).unwrap();
    let params = check(sandbox::QXT_APIKEY, MOBILE_MATCH.number, MOBILE_MATCH.name);
    assert_eq!(get(emulator.base_url(), QXT, &params).code(), 0);
    assert_eq!(get(emulator.base_url(), QXT, &params).code(), -5);
    assert_eq!(emulator.ledger().qxt.balance, 0);
}

#[test]
fn unquoted_keys_and_string_numbers_on_request() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let params = check(sandbox::QXT_APIKEY, MOBILE_MATCH.number, MOBILE_MATCH.name);
    let answer = get_with(
        emulator.base_url(),
        QXT,
        &params,
        &[(FAULT_HEADER, "unquoted-keys")],
    );
    assert!(
        answer
            .body
            .starts_with("{\n  code: 0,\n  reason: \"Succ\",\n  result: {\n    Mobile: "),
        "{}",
        answer.body
    );
    let answer = get_with(
        emulator.base_url(),
        QXT,
        &params,
        &[(FAULT_HEADER, "string-numbers")],
    );
    assert_eq!(answer.json()["code"], "0");
    // The same through magic mobiles, for clients that cannot set headers.
    let magic_params = check(
        sandbox::QXT_APIKEY,
        magic::fault::mobile::UNQUOTED_KEYS,
        "张三",
    );
    let answer = get(emulator.base_url(), QXT, &magic_params);
    assert!(answer.body.starts_with("{\n  code: "), "{}", answer.body);
}
