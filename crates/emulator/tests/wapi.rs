//! wapi `/pyi/108/244` and `/pyi/62/169` over real HTTP: formats, methods, authentication,
//! every documented code, debug, not found, billing, balance and rate limit.

mod common;

use common::*;
use shiming_emulator::directory::{
    ID_MATCH, ID_MATCH_FEMALE, ID_MISMATCH, ID_NOT_FOUND, MOBILE_MATCH, MOBILE_MISMATCH,
    MOBILE_NOT_FOUND,
};
use shiming_emulator::magic;
use shiming_emulator::{
    BlockingEmulator, Emulator, EmulatorConfig, RateLimit, Vendor, WapiAuth, WapiExhaustion,
    sandbox,
};
use std::time::Duration;

fn start(config: EmulatorConfig) -> BlockingEmulator {
    Emulator::start_blocking(config).expect("emulator starts")
}

fn mobile_check(name: &str, mobile: &str) -> Vec<(String, String)> {
    wapi_params(&[("bank_name", name), ("mobile", mobile)])
}

/// The wapi mobile check of `name` and `mobile`, sent by GET.
fn get_mobile(base: &str, name: &str, mobile: &str) -> Answer {
    get(base, WAPI_MOBILE, &mobile_check(name, mobile))
}

fn id_check(name: &str, id: &str) -> Vec<(String, String)> {
    wapi_params(&[("bank_name", name), ("bank_id", id)])
}

/// The wapi ID check of `name` and `id`, sent by GET.
fn get_id(base: &str, name: &str, id: &str) -> Answer {
    get(base, WAPI_ID, &id_check(name, id))
}

fn assert_server_time(json: &serde_json::Value) {
    let time: i64 = json["time"]
        .as_str()
        .expect("time is a string")
        .parse()
        .expect("time is digits");
    assert!((time - now()).abs() <= 5, "server time {time} far from now");
}

#[test]
fn mobile_match_by_get_and_post_is_billed() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    let params = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    for answer in [
        get(base, WAPI_MOBILE, &params),
        post(base, WAPI_MOBILE, &params),
    ] {
        assert_eq!(answer.status, 200);
        assert!(answer.content_type.starts_with("application/json"));
        let json = answer.json();
        assert_eq!(json["codeid"], 10000, "{}", answer.body);
        assert_eq!(json["message"], "返回成功");
        let retdata = &json["retdata"];
        assert_eq!(retdata["bank_status"], "01");
        assert_eq!(retdata["bank_msg"], "一致");
        assert_eq!(retdata["bank_name"], MOBILE_MATCH.name);
        assert_eq!(retdata["bank_mobile"], MOBILE_MATCH.number);
        assert_eq!(retdata["bank_mobileType"], "联通");
        assert_eq!(retdata["bank_province"], "广东");
        assert_eq!(retdata["bank_idCode"], 440300);
        assert_server_time(&json);
    }
    let ledger = emulator.ledger();
    let op = ledger.wapi.operation("mobile_two_elements");
    assert_eq!((op.requests, op.billed), (2, 2));
    assert_eq!(ledger.wapi.balance, shiming_emulator::DEFAULT_BALANCE - 2);
}

#[test]
fn mismatch_is_02_and_billed_not_found_is_10025_and_free() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    let json = get_mobile(base, MOBILE_MISMATCH.name, MOBILE_MISMATCH.number).json();
    assert_eq!(
        (
            json["codeid"].as_i64(),
            json["retdata"]["bank_status"].as_str()
        ),
        (Some(10000), Some("02"))
    );
    assert_eq!(json["retdata"]["bank_msg"], "不一致");
    let answer = get_mobile(base, MOBILE_NOT_FOUND.name, MOBILE_NOT_FOUND.number);
    let json = answer.json();
    assert_eq!(json["codeid"], 10025);
    assert_eq!(json["message"], "查无数据");
    assert_eq!(json["retdata"], serde_json::json!([]));
    assert_server_time(&json);
    // Another name on a matching number is a mismatch.
    let json = get_mobile(base, "李雷", MOBILE_MATCH.number).json();
    assert_eq!(json["retdata"]["bank_status"], "02");
    let op = emulator.ledger().wapi.operation("mobile_two_elements");
    assert_eq!((op.requests, op.billed), (3, 2));
}

#[test]
fn id_card_verdicts_and_details() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    let json = post(base, WAPI_ID, &id_check(ID_MATCH.name, ID_MATCH.number)).json();
    assert_eq!(json["codeid"], 10000);
    assert_eq!(json["retdata"]["bank_status"], "01");
    assert_eq!(json["retdata"]["bank_idCard"], ID_MATCH.number);
    let json = get_id(base, ID_MATCH_FEMALE.name, ID_MATCH_FEMALE.number).json();
    assert_eq!(json["retdata"]["bank_sex"], "女");
    assert_eq!(json["retdata"]["bank_birthday"], "1997年05月05日");
    assert_eq!(json["retdata"]["bank_area"], "浙江省苍南县");
    let json = get_id(base, ID_MISMATCH.name, ID_MISMATCH.number).json();
    assert_eq!(json["retdata"]["bank_status"], "02");
    let json = get_id(base, ID_NOT_FOUND.name, ID_NOT_FOUND.number).json();
    assert_eq!(json["codeid"], 10025);
    let json = get_id(base, "张三", "12345").json();
    assert_eq!(json["codeid"], 10019);
    assert!(!json["message"].as_str().unwrap().contains("频繁"));
    let op = emulator.ledger().wapi.operation("id_two_elements");
    assert_eq!((op.requests, op.billed), (5, 3));
}

#[test]
fn deterministic_rule_answers_any_input_the_same_way() {
    let emulator = start(EmulatorConfig::default());
    for index in 0..20 {
        let mobile = format!("1370000{index:04}");
        let expected = shiming_emulator::directory::mobile_verdict("路人", &mobile);
        let json = get_mobile(emulator.base_url(), "路人", &mobile).json();
        let seen = match (
            json["codeid"].as_i64(),
            json["retdata"]["bank_status"].as_str(),
        ) {
            (Some(10000), Some("01")) => shiming_emulator::directory::Verdict::Match,
            (Some(10000), Some("02")) => shiming_emulator::directory::Verdict::Mismatch,
            (Some(10025), _) => shiming_emulator::directory::Verdict::NotFound,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(seen, expected, "{mobile}");
    }
}

#[test]
fn xml_and_jsonp_formats() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    let params = mobile_match_with(&[("format", "xml")]);
    let answer = get(base, WAPI_MOBILE, &params);
    assert!(
        answer.content_type.starts_with("text/xml"),
        "{}",
        answer.content_type
    );
    assert!(answer.body.starts_with("<?xml"), "{}", answer.body);
    assert!(answer.body.contains("<codeid>10000</codeid>"));
    assert!(
        answer
            .body
            .contains("<bank_status><![CDATA[01]]></bank_status>")
    );
    assert!(answer.body.contains("<time><![CDATA["));
    // Errors come in the requested format too.
    let mut bad = params.clone();
    bad.retain(|(k, _)| k != "sign");
    let answer = get(base, WAPI_MOBILE, &bad);
    assert!(
        answer.body.contains("<codeid>10002</codeid>"),
        "{}",
        answer.body
    );

    let params = mobile_match_with(&[("format", "jsonp"), ("callback", "handle_answer")]);
    let answer = post(base, WAPI_MOBILE, &params);
    assert!(answer.content_type.starts_with("application/javascript"));
    let inner = answer
        .body
        .strip_prefix("handle_answer(")
        .and_then(|rest| rest.strip_suffix(");"))
        .unwrap_or_else(|| panic!("not jsonp: {}", answer.body));
    let json: serde_json::Value = serde_json::from_str(inner).unwrap();
    assert_eq!(json["codeid"], 10000);
}

#[test]
fn authentication_codes() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    let good = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    let without = |key: &str| -> Vec<(String, String)> {
        good.iter().filter(|(k, _)| k != key).cloned().collect()
    };
    assert_eq!(get(base, WAPI_MOBILE, &without("appid")).code(), 10001);
    assert_eq!(get(base, WAPI_MOBILE, &without("sign")).code(), 10002);
    let wrong_secret = mobile_match_at(now(), "not-the-secret");
    assert_eq!(get(base, WAPI_MOBILE, &wrong_secret).code(), 10003);
    let mut tampered = good.clone();
    tampered
        .iter_mut()
        .find(|(k, _)| k == "bank_name")
        .unwrap()
        .1 = "李四".into();
    assert_eq!(get(base, WAPI_MOBILE, &tampered).code(), 10003);
    let mut upper = good.clone();
    let sign = &mut upper.iter_mut().find(|(k, _)| k == "sign").unwrap().1;
    *sign = sign.to_uppercase();
    assert_eq!(
        get(base, WAPI_MOBILE, &upper).code(),
        10003,
        "sign is lowercase hex"
    );
    let stale = mobile_match_at(now() - 11 * 60, sandbox::WAPI_SECRET);
    assert_eq!(get(base, WAPI_MOBILE, &stale).code(), 10004);
    let future = mobile_match_at(now() + 11 * 60, sandbox::WAPI_SECRET);
    assert_eq!(get(base, WAPI_MOBILE, &future).code(), 10004);
    let nine_minutes_off = mobile_match_at(now() - 9 * 60, sandbox::WAPI_SECRET);
    assert_eq!(get(base, WAPI_MOBILE, &nine_minutes_off).code(), 10000);
    let mut no_time: Vec<_> = without("time");
    no_time.retain(|(k, _)| k != "sign");
    let sign = wapi_sign(&no_time, sandbox::WAPI_SECRET);
    no_time.push(("sign".into(), sign));
    assert_eq!(
        get(base, WAPI_MOBILE, &no_time).code(),
        10000,
        "time is optional"
    );
    let text_time = mobile_match_with(&[("time", "soon")]);
    assert_eq!(get(base, WAPI_MOBILE, &text_time).code(), 10017);
    let mut wrong_appid = without("sign");
    wrong_appid
        .iter_mut()
        .find(|(k, _)| k == "appid")
        .unwrap()
        .1 = "someone-else".into();
    let sign = wapi_sign(&wrong_appid, sandbox::WAPI_SECRET);
    wrong_appid.push(("sign".into(), sign));
    assert_eq!(get(base, WAPI_MOBILE, &wrong_appid).code(), 10005);
    let missing_name = wapi_params(&[("mobile", MOBILE_MATCH.number)]);
    assert_eq!(get(base, WAPI_MOBILE, &missing_name).code(), 10015);
    let missing_id = wapi_params(&[("bank_name", "张三"), ("mobile", MOBILE_MATCH.number)]);
    assert_eq!(get(base, WAPI_ID, &missing_id).code(), 10015);
    assert_eq!(get(base, "/pyi/1/2", &good).code(), 10009);
    assert_eq!(emulator.ledger().wapi.billed, 2);
}

#[test]
fn every_parameter_takes_part_in_the_signature_and_empty_ones_do_not() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    // `callback` is signed like any other parameter…
    let mut unsigned_extra = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    unsigned_extra.push(("callback".into(), "cb".into()));
    assert_eq!(get(base, WAPI_MOBILE, &unsigned_extra).code(), 10003);
    // …but an empty value is left out of it.
    let mut empty_extra = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    empty_extra.push(("callback".into(), String::new()));
    assert_eq!(get(base, WAPI_MOBILE, &empty_extra).code(), 10000);
}

#[test]
fn a_post_without_the_form_content_type_is_not_read() {
    let emulator = start(EmulatorConfig::default());
    let body = query(&mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number));
    let answer = post_raw(emulator.base_url(), WAPI_MOBILE, "text/plain", &body);
    assert_eq!(answer.code(), 10001);
    let answer = post_raw(
        emulator.base_url(),
        WAPI_MOBILE,
        "application/x-www-form-urlencoded;charset=utf-8",
        &body,
    );
    assert_eq!(answer.code(), 10000);
}

#[test]
fn hash_mode_takes_the_secret_as_sign() {
    let emulator = start(EmulatorConfig::default().wapi_auth(WapiAuth::Hash));
    let base = emulator.base_url();
    let mut params = owned(&[
        ("appid", sandbox::WAPI_APPID),
        ("bank_name", MOBILE_MATCH.name),
        ("mobile", MOBILE_MATCH.number),
        ("sign", sandbox::WAPI_SECRET),
    ]);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);
    params.last_mut().unwrap().1 = "wrong".into();
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10003);
    // An MD5 signature is not the secret.
    let md5 = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    assert_eq!(get(base, WAPI_MOBILE, &md5).code(), 10003);
}

#[test]
fn debug_answers_10024_with_plausible_data_and_no_bill() {
    let emulator = start(EmulatorConfig::default());
    let params = mobile_match_with(&[("debug", "1")]);
    let json = get(emulator.base_url(), WAPI_MOBILE, &params).json();
    assert_eq!(json["codeid"], 10024);
    assert_eq!(json["message"], "调试模式数据");
    assert_eq!(json["retdata"]["bank_status"], "01");
    let params = wapi_params(&[
        ("bank_name", "张三"),
        ("bank_id", ID_MATCH.number),
        ("debug", "1"),
    ]);
    let json = get(emulator.base_url(), WAPI_ID, &params).json();
    assert_eq!(json["codeid"], 10024);
    assert_eq!(json["retdata"]["bank_status"], "01");
    assert_eq!(emulator.ledger().wapi.billed, 0);
}

#[test]
fn every_documented_code_is_reachable_by_magic_input() {
    let emulator = start(EmulatorConfig::default());
    let base = emulator.base_url();
    for (code, mobile) in magic::wapi::mobile::ALL {
        let json = get_mobile(base, "张三", mobile).json();
        assert_eq!(json["codeid"].as_i64(), Some(*code), "{mobile}: {json}");
        assert!(!json["message"].as_str().unwrap().is_empty());
        assert!(json["time"].is_string(), "time on every answer: {json}");
    }
    for (code, id) in magic::wapi::id::ALL {
        let json = post(base, WAPI_ID, &id_check("张三", id)).json();
        assert_eq!(json["codeid"].as_i64(), Some(*code), "{id}: {json}");
    }
    let json = get_mobile(base, "张三", magic::wapi::mobile::IP_NOT_ALLOWED).json();
    assert!(
        json["message"].as_str().unwrap().ends_with("127.0.0.1"),
        "{json}"
    );
    let json = get_mobile(base, "张三", magic::wapi::mobile::RATE_LIMITED).json();
    assert!(json["message"].as_str().unwrap().contains("频繁"));
    let json = get_mobile(base, "张三", magic::wapi::OTHER_INFO_MOBILE).json();
    assert_eq!(json["codeid"], 10019);
    assert_eq!(json["message"], magic::wapi::OTHER_INFO_MESSAGE);
    let json = get_id(base, "张三", magic::wapi::OTHER_INFO_ID).json();
    assert_eq!(json["message"], magic::wapi::OTHER_INFO_MESSAGE);
    // Magic inputs are answered only after authentication, and never billed.
    let unsigned = wapi_params_at(
        &[
            ("bank_name", "张三"),
            ("mobile", magic::wapi::mobile::SERVER_ERROR),
        ],
        now(),
        "wrong",
    );
    assert_eq!(get(base, WAPI_MOBILE, &unsigned).code(), 10003);
    assert_eq!(emulator.ledger().wapi.billed, 0);
}

#[test]
fn spent_balance_answers_10018_or_10022() {
    let emulator = start(EmulatorConfig::default().balance(Vendor::Wapi, 1));
    let base = emulator.base_url();
    let params = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10018);
    assert_eq!(get_id(base, ID_MATCH.name, ID_MATCH.number).code(), 10018);
    emulator.set_wapi_exhaustion(WapiExhaustion::Wallet);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10022);
    let ledger = emulator.ledger();
    assert_eq!((ledger.wapi.balance, ledger.wapi.billed), (0, 1));
    emulator.set_balance(Vendor::Wapi, 5);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);
    assert_eq!(emulator.ledger().wapi.balance, 4);
}

#[test]
fn repeated_checks_of_one_number_are_rate_limited() {
    let limit = RateLimit {
        max_checks: 3,
        window: Duration::from_secs(60),
    };
    let emulator = start(EmulatorConfig::default().rate_limit(Some(limit)));
    let base = emulator.base_url();
    let params = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    for _ in 0..3 {
        assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10000);
    }
    let json = get(base, WAPI_MOBILE, &params).json();
    assert_eq!(json["codeid"], 10019);
    assert!(json["message"].as_str().unwrap().contains("频繁"), "{json}");
    assert_eq!(json["retdata"], serde_json::json!([]));
    let other = mobile_check(MOBILE_MISMATCH.name, MOBILE_MISMATCH.number);
    assert_eq!(get(base, WAPI_MOBILE, &other).code(), 10000);
    assert_eq!(emulator.ledger().wapi.billed, 4);
    emulator.reset_ledger();
    assert_eq!(
        get(base, WAPI_MOBILE, &params).code(),
        10000,
        "reset forgets windows"
    );
}

#[test]
fn the_default_rate_limit_does_not_bite_ordinary_tests() {
    let emulator = start(EmulatorConfig::default());
    let params = mobile_check(MOBILE_MATCH.name, MOBILE_MATCH.number);
    for _ in 0..30 {
        assert_eq!(get(emulator.base_url(), WAPI_MOBILE, &params).code(), 10000);
    }
}

#[test]
fn clock_skew_is_reported_through_time_and_recoverable() {
    let emulator = start(EmulatorConfig::default().clock_offset_secs(-900));
    let base = emulator.base_url();
    let json = get_mobile(base, MOBILE_MATCH.name, MOBILE_MATCH.number).json();
    assert_eq!(json["codeid"], 10004);
    let server_time: i64 = json["time"].as_str().unwrap().parse().unwrap();
    assert!((server_time - (now() - 900)).abs() <= 5);
    // A client that re-signs with the server's clock gets through.
    let retry = mobile_match_at(server_time, sandbox::WAPI_SECRET);
    assert_eq!(get(base, WAPI_MOBILE, &retry).code(), 10000);
    emulator.set_clock_offset_secs(0);
    assert_eq!(
        get_mobile(base, MOBILE_MATCH.name, MOBILE_MATCH.number).code(),
        10000
    );
}

#[test]
fn other_methods_are_refused_and_unknown_paths_are_404() {
    let emulator = start(EmulatorConfig::default());
    let (raw, _) = raw_exchange(
        emulator.base_url(),
        &format!(
            "PUT {WAPI_MOBILE} HTTP/1.1\r\nHost: e\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    let (head, _) = split_head(&raw);
    assert!(head.starts_with("HTTP/1.1 405"), "{head}");
    assert_eq!(get(emulator.base_url(), "/nowhere", &[]).status, 404);
}
