//! ihuyi `Submit.json` and `GetNum.json` over real HTTP: static and dynamic passwords, every
//! code, billing and balance.

mod common;

use common::*;
use shiming_emulator::directory::{MOBILE_MATCH, MOBILE_NEW, MOBILE_NOT_FOUND, MOBILE_PORTED};
use shiming_emulator::{Emulator, EmulatorConfig, FAULT_HEADER, Vendor, magic, sandbox};

fn static_submit(mobile: &str) -> Vec<(String, String)> {
    owned(&[
        ("account", sandbox::IHUYI_ACCOUNT),
        ("password", sandbox::IHUYI_APIKEY),
        ("mobile", mobile),
    ])
}

/// The document's recipe, spelled out: md5(account + apikey + "operzwsc" + mobile + time).
fn dynamic_submit(mobile: &str, time: i64, apikey: &str) -> Vec<(String, String)> {
    let account = sandbox::IHUYI_ACCOUNT;
    let password = md5_hex(&format!("{account}{apikey}operzwsc{mobile}{time}"));
    owned(&[
        ("account", account),
        ("password", &password),
        ("mobile", mobile),
        ("time", &time.to_string()),
    ])
}

fn dynamic_get_num(time: i64) -> Vec<(String, String)> {
    let account = sandbox::IHUYI_ACCOUNT;
    let apikey = sandbox::IHUYI_APIKEY;
    let password = md5_hex(&format!("{account}{apikey}operzwsc{time}"));
    owned(&[
        ("account", account),
        ("password", &password),
        ("time", &time.to_string()),
    ])
}

#[test]
fn static_and_dynamic_passwords_succeed_and_bill() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let base = emulator.base_url();
    let json = post(base, IHUYI_SUBMIT, &static_submit(MOBILE_PORTED.number)).json();
    assert_eq!(json["code"], 2, "{json}");
    assert_eq!(json["msg"], "提交成功");
    let serial = json["idcardid"].as_str().unwrap();
    assert_eq!(serial.len(), 14, "{serial}");
    assert_eq!(json["result"]["status"], 2);
    let info = &json["result"]["info"];
    assert_eq!(
        (info["operator"].as_i64(), info["operator_real"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(info["is_xhzw"], 1);
    assert_eq!(info["time_online"], 4);
    let json = get(
        base,
        IHUYI_SUBMIT,
        &dynamic_submit(MOBILE_NEW.number, now(), sandbox::IHUYI_APIKEY),
    )
    .json();
    assert_eq!(json["code"], 2, "{json}");
    assert_eq!(json["result"]["info"]["time_online"], 1);
    assert_eq!(json["result"]["info"]["is_xhzw"], 0);
    let ledger = emulator.ledger();
    assert_eq!(ledger.ihuyi.operation("mobile_status").billed, 2);
    assert_eq!(ledger.ihuyi.balance, shiming_emulator::DEFAULT_BALANCE - 2);
}

#[test]
fn password_codes() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let base = emulator.base_url();
    let mobile = MOBILE_MATCH.number;
    let stale = dynamic_submit(mobile, now() - 11 * 60, sandbox::IHUYI_APIKEY);
    assert_eq!(get(base, IHUYI_SUBMIT, &stale).code(), 40501);
    let wrong_key = dynamic_submit(mobile, now(), "not-the-key");
    assert_eq!(get(base, IHUYI_SUBMIT, &wrong_key).code(), 40502);
    let mut other_mobile = dynamic_submit(mobile, now(), sandbox::IHUYI_APIKEY);
    other_mobile
        .iter_mut()
        .find(|(k, _)| k == "mobile")
        .unwrap()
        .1 = MOBILE_NEW.number.into();
    assert_eq!(
        get(base, IHUYI_SUBMIT, &other_mobile).code(),
        40502,
        "mobile is in the digest"
    );
    let mut no_time = dynamic_submit(mobile, now(), sandbox::IHUYI_APIKEY);
    no_time.retain(|(k, _)| k != "time");
    assert_eq!(get(base, IHUYI_SUBMIT, &no_time).code(), 405);
    let mut wrong_account = static_submit(mobile);
    wrong_account[0].1 = "someone".into();
    assert_eq!(get(base, IHUYI_SUBMIT, &wrong_account).code(), 405);
    let mut no_account = static_submit(mobile);
    no_account.remove(0);
    assert_eq!(get(base, IHUYI_SUBMIT, &no_account).code(), 401);
    let mut no_password = static_submit(mobile);
    no_password.remove(1);
    assert_eq!(get(base, IHUYI_SUBMIT, &no_password).code(), 402);
    let mut no_mobile = static_submit(mobile);
    no_mobile.remove(2);
    let json = get(base, IHUYI_SUBMIT, &no_mobile).json();
    assert_eq!(json["code"], 407);
    assert_eq!(json["idcardid"], "0");
    assert_eq!(
        get(base, IHUYI_SUBMIT, &static_submit("2860000000")).code(),
        4071
    );
    assert_eq!(
        get(base, IHUYI_SUBMIT, &static_submit(MOBILE_NOT_FOUND.number)).code(),
        408
    );
    assert_eq!(emulator.ledger().ihuyi.billed, 0);
}

#[test]
fn every_code_by_magic_mobile() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let base = emulator.base_url();
    for (code, mobile) in magic::ihuyi::ALL {
        let json = get(base, IHUYI_SUBMIT, &static_submit(mobile)).json();
        assert_eq!(json["code"].as_i64(), Some(*code), "{mobile}: {json}");
        assert!(!json["msg"].as_str().unwrap().is_empty());
    }
    assert_eq!(emulator.ledger().ihuyi.billed, 0);
    let json = get(
        base,
        IHUYI_SUBMIT,
        &static_submit(magic::ihuyi::QUERY_FAILED),
    )
    .json();
    assert_eq!(
        (json["code"].as_i64(), json["result"]["status"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(emulator.ledger().ihuyi.billed, 1);
    for code in [401, 402, 407] {
        let header = format!("code={code}");
        let answer = get_with(
            base,
            IHUYI_SUBMIT,
            &static_submit(MOBILE_MATCH.number),
            &[(FAULT_HEADER, &header)],
        );
        assert_eq!(answer.code(), code);
    }
}

#[test]
fn spent_balance_is_4051_and_get_num_reports_the_balance() {
    let emulator =
        Emulator::start_blocking(EmulatorConfig::default().balance(Vendor::Ihuyi, 2)).unwrap();
    let base = emulator.base_url();
    let static_get_num = owned(&[
        ("account", sandbox::IHUYI_ACCOUNT),
        ("password", sandbox::IHUYI_APIKEY),
    ]);
    let json = post(base, IHUYI_GETNUM, &static_get_num).json();
    assert_eq!(
        (
            json["code"].as_i64(),
            json["msg"].as_str(),
            json["num"].as_i64()
        ),
        (Some(2), Some("查询成功"), Some(2))
    );
    assert_eq!(
        get(base, IHUYI_SUBMIT, &static_submit(MOBILE_MATCH.number)).code(),
        2
    );
    assert_eq!(
        get(base, IHUYI_GETNUM, &dynamic_get_num(now())).json()["num"],
        1
    );
    assert_eq!(
        get(base, IHUYI_SUBMIT, &static_submit(MOBILE_MATCH.number)).code(),
        2
    );
    assert_eq!(
        get(base, IHUYI_SUBMIT, &static_submit(MOBILE_MATCH.number)).code(),
        4051
    );
    let answer = get_with(
        base,
        IHUYI_GETNUM,
        &static_get_num,
        &[(FAULT_HEADER, "string-numbers")],
    );
    let json = answer.json();
    assert_eq!(
        (json["code"].as_str(), json["num"].as_str()),
        (Some("2"), Some("0"))
    );
    let stale = dynamic_get_num(now() - 3600);
    let json = get(base, IHUYI_GETNUM, &stale).json();
    assert_eq!(
        (json["code"].as_i64(), json["num"].as_i64()),
        (Some(40501), Some(0))
    );
    let mut wrong = dynamic_get_num(now());
    wrong[1].1 = md5_hex("nonsense");
    assert_eq!(get(base, IHUYI_GETNUM, &wrong).code(), 40502);
    let ledger = emulator.ledger();
    let get_num = ledger.ihuyi.operation("balance");
    assert_eq!((get_num.requests, get_num.billed), (5, 0));
    assert_eq!(ledger.ihuyi.operation("mobile_status").billed, 2);
}
