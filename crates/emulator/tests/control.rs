//! The control endpoints and the library API: ledger, balance, clock, reset, async start and
//! graceful shutdown.

mod common;

use common::*;
use shiming_emulator::directory::MOBILE_MATCH;
use shiming_emulator::{Emulator, EmulatorConfig, FAULT_HEADER, Ledger, Vendor, sandbox};
use std::time::Duration;

#[test]
fn ledger_balance_clock_and_reset_over_http() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let base = emulator.base_url();
    let params = mobile_match_with(&[]);
    get(base, WAPI_MOBILE, &params);
    let answer = get(base, "/__emulator/ledger", &[]);
    assert!(answer.content_type.starts_with("application/json"));
    let ledger: Ledger = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(ledger, emulator.ledger());
    assert_eq!(ledger.wapi.requests, 1);
    assert_eq!(
        ledger
            .vendor(Vendor::Wapi)
            .operation("mobile_two_elements")
            .billed,
        1
    );
    for name in ["mobile_two_elements", "id_two_elements"] {
        assert!(ledger.wapi.operations.contains_key(name));
    }
    assert!(ledger.ihuyi.operations.contains_key("mobile_status"));
    assert!(ledger.ihuyi.operations.contains_key("balance"));

    let answer = post_raw(
        base,
        "/__emulator/balance",
        "application/json",
        r#"{"vendor":"wapi","balance":0,"wapi_exhaustion":"wallet"}"#,
    );
    let ledger: Ledger = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(ledger.wapi.balance, 0);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10022);
    let bad = post_raw(
        base,
        "/__emulator/balance",
        "application/json",
        r#"{"vendor":"nobody","balance":1}"#,
    );
    assert_eq!(bad.status, 400);
    assert!(
        bad.json()["error"].as_str().unwrap().contains("nobody"),
        "{}",
        bad.body
    );

    let clock = post_raw(
        base,
        "/__emulator/clock",
        "application/json",
        r#"{"offset_secs":3600}"#,
    )
    .json();
    assert_eq!(clock["offset_secs"], 3600);
    assert!((clock["now"].as_i64().unwrap() - (now() + 3600)).abs() <= 5);
    assert_eq!(get(base, WAPI_MOBILE, &params).code(), 10004);
    assert_eq!(
        get(base, "/__emulator/clock", &[]).json()["offset_secs"],
        3600
    );
    assert_eq!(
        post_raw(base, "/__emulator/clock", "application/json", "{}").status,
        400
    );

    let reset: Ledger =
        serde_json::from_str(&post_raw(base, "/__emulator/reset", "application/json", "").body)
            .unwrap();
    assert_eq!(reset.wapi.requests, 0);
    assert_eq!(reset.wapi.balance, 0, "reset keeps balances");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_start_serves_and_shuts_down_gracefully() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let base = emulator.base_url().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let addr = emulator.handle().local_addr();

    // A slow answer is in flight when shutdown starts: it still completes.
    let slow_base = base.clone();
    let in_flight = tokio::task::spawn_blocking(move || {
        let params = owned(&[
            ("apikey", sandbox::QXT_APIKEY),
            ("mobile", MOBILE_MATCH.number),
            ("name", MOBILE_MATCH.name),
        ]);
        get_with(&slow_base, QXT, &params, &[(FAULT_HEADER, "slow-body=600")])
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    emulator.shutdown().await;
    let answer = in_flight.await.unwrap();
    assert_eq!(answer.code(), 0);
    // Nothing listens any more.
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn blocking_emulator_stops_on_shutdown_and_on_drop() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let addr = emulator.handle().local_addr();
    emulator.shutdown();
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let addr = emulator.handle().local_addr();
    drop(emulator);
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn a_taken_port_is_an_error_not_a_panic() {
    let first = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let taken = first.handle().local_addr();
    let error = Emulator::start_blocking(EmulatorConfig::default().addr(taken)).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn config_debug_hides_secrets() {
    let config = EmulatorConfig::default()
        .wapi_secret("super-secret-value")
        .qxt_apikey("another-secret");
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("super-secret-value") && !debug.contains("another-secret"),
        "{debug}"
    );
    assert!(!debug.contains(sandbox::IHUYI_APIKEY));
    let emulator = Emulator::start_blocking(config).unwrap();
    let debug = format!("{emulator:?} {:?}", emulator.handle());
    assert!(
        !debug.contains("super-secret-value") && !debug.contains("another-secret"),
        "{debug}"
    );
    assert!(!debug.contains(sandbox::IHUYI_APIKEY), "{debug}");
}
