//! The HTTP `Date` header follows the emulator's clock, offset included, on every response it
//! writes — answers, fault responses, control endpoints, unknown paths — and appears once
//! (hyper adds its own real-time `Date` only when a response has none). ihuyi's answers carry
//! no time field: `Date` is all a client has to learn a skewed vendor clock from.

mod common;

use common::*;
use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, FAULT_HEADER};
use std::time::UNIX_EPOCH;

/// How far a `Date` may be from the expected clock: a second boundary, a slow machine.
const SLACK_SECS: i64 = 5;

fn start(offset: i64) -> BlockingEmulator {
    Emulator::start_blocking(EmulatorConfig::default().clock_offset_secs(offset))
        .expect("emulator starts")
}

/// The `Date` of the answer to `request`, checking there is exactly one.
fn date_of(base: &str, request: &str) -> i64 {
    let (raw, _) = raw_exchange(base, request);
    let (head, _) = split_head(&raw);
    let dates: Vec<&str> = head
        .lines()
        .filter(|line| line.to_ascii_lowercase().starts_with("date:"))
        .collect();
    assert_eq!(dates.len(), 1, "exactly one Date header:\n{head}");
    let value = header_value(&head, "date").expect("a Date header");
    let time = httpdate::parse_http_date(&value)
        .unwrap_or_else(|e| panic!("{value:?} is not an HTTP date: {e}"));
    i64::try_from(
        time.duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs(),
    )
    .expect("fits in i64")
}

#[track_caller]
fn assert_near(what: &str, date: i64, expected: i64) {
    assert!(
        (date - expected).abs() <= SLACK_SECS,
        "{what}: Date is {date}, expected about {expected} ({:+} s)",
        date - expected
    );
}

#[test]
fn ihuyi_balance_carries_the_skewed_date() {
    for offset in [3_600, -3_600, 0] {
        let emulator = start(offset);
        let date = date_of(emulator.base_url(), &raw_get(IHUYI_GETNUM, ""));
        assert_near(&format!("GetNum, offset {offset}"), date, now() + offset);
    }
}

#[test]
fn every_kind_of_response_carries_the_skewed_date() {
    let emulator = start(3_600);
    let base = emulator.base_url();
    let faulted = |spec: &str| raw_get(IHUYI_SUBMIT, &format!("{FAULT_HEADER}: {spec}\r\n"));
    let cases = [
        ("an ihuyi refusal", raw_get(IHUYI_SUBMIT, "")),
        ("a wapi answer", raw_get(WAPI_MOBILE, "")),
        ("a QXT answer", raw_get(QXT, "")),
        ("a 502 page", faulted("502")),
        ("a truncated body", faulted("truncate")),
        ("a slow body", faulted("slow-body=100")),
        ("a padded body", faulted("oversized=70000")),
        ("a mislabeled body", faulted("wrong-content-type")),
        ("a bad fault header", faulted("explode")),
        ("a control endpoint", raw_get("/__emulator/ledger", "")),
        ("an unknown path", raw_get("/nowhere", "")),
    ];
    for (what, request) in cases {
        assert_near(what, date_of(base, &request), now() + 3_600);
    }
}

#[test]
fn the_date_follows_the_clock_changed_at_run_time() {
    let emulator = start(0);
    let base = emulator.base_url();
    assert_near("before", date_of(base, &raw_get(IHUYI_GETNUM, "")), now());
    emulator.set_clock_offset_secs(-900);
    assert_near(
        "after set_clock_offset_secs(-900)",
        date_of(base, &raw_get(IHUYI_GETNUM, "")),
        now() - 900,
    );
}
