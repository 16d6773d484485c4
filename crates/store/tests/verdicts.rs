//! Remembering and looking up answers over a real store file: hits, expiry, normalisation,
//! forgetting, purging and statistics.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use shiming_codec::Vendor;
use shiming_store::{Answer, Check, Outcome, Store, StoreErrorKind, StoreOptions, Subject, Ttls};

const DAY: Duration = Duration::from_secs(86_400);

fn at(day: u64) -> SystemTime {
    // 2026-01-01 plus `day` days: a fixed, injected clock.
    UNIX_EPOCH + Duration::from_secs(1_767_225_600) + DAY * u32::try_from(day).expect("few days")
}

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("store.sqlite"), StoreOptions::new()).expect("a store")
}

/// Remembers a wapi match for `subject`, checked at `checked_at`.
fn remember_wapi_match(store: &Store, subject: &Subject, checked_at: SystemTime) {
    store
        .remember(subject, &answer(Outcome::Match, Vendor::Wapi, checked_at))
        .expect("remember");
}

fn answer(outcome: Outcome, vendor: Vendor, checked_at: SystemTime) -> Answer {
    Answer {
        outcome,
        vendor,
        code: "10000".into(),
        checked_at,
        details: serde_json::json!({"carrier": "移动"}),
    }
}

#[test]
fn a_repeat_hits_with_the_original_vendor_and_time_until_expiry() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = open(&dir);
    let who = Subject::mobile_two_elements("张三", "13800138000");
    assert_eq!(store.lookup(&who, at(0)).expect("lookup"), None);
    store
        .remember(&who, &answer(Outcome::Match, Vendor::Qxt, at(0)))
        .expect("remember");

    let hit = store.lookup(&who, at(29)).expect("lookup").expect("a hit");
    assert_eq!(hit.outcome, Outcome::Match);
    assert_eq!(hit.vendor, Vendor::Qxt);
    assert_eq!(hit.checked_at, at(0));
    assert_eq!(hit.expires_at, at(30));
    assert_eq!(hit.details["carrier"], "移动");
    // Mobile two-elements keep 30 days by default.
    assert_eq!(store.lookup(&who, at(30)).expect("lookup"), None);

    // Reopening the file finds the same answer: it is on disk, under the same key file.
    drop(store);
    let store = open(&dir);
    assert!(store.lookup(&who, at(1)).expect("lookup").is_some());
}

#[test]
fn defaults_per_check_and_configured_ttls() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = open(&dir);
    let id = Subject::id_two_elements("李四", "11010519491231002X");
    let status = Subject::mobile_status("13800138000");
    store
        .remember(&id, &answer(Outcome::Mismatch, Vendor::Wapi, at(0)))
        .expect("remember");
    store
        .remember(&status, &answer(Outcome::StatusFound, Vendor::Ihuyi, at(0)))
        .expect("remember");
    assert!(store.lookup(&id, at(364)).expect("lookup").is_some());
    assert!(store.lookup(&id, at(365)).expect("lookup").is_none());
    assert!(store.lookup(&status, at(6)).expect("lookup").is_some());
    assert!(store.lookup(&status, at(7)).expect("lookup").is_none());
    drop(store);

    // A shorter TTL applies at once to answers already kept.
    let short = Ttls {
        id_two_elements: DAY * 10,
        ..Ttls::default()
    };
    let store = Store::open(
        &dir.path().join("store.sqlite"),
        StoreOptions::new().ttl(short),
    )
    .expect("a store");
    let hit = store.lookup(&id, at(9)).expect("lookup").expect("a hit");
    assert_eq!(hit.expires_at, at(10));
    assert!(store.lookup(&id, at(10)).expect("lookup").is_none());
}

/// What is remembered under one spelling is found under the other.
fn assert_one_subject(store: &Store, remembered: &Subject, looked_up: &Subject) {
    remember_wapi_match(store, remembered, at(0));
    assert!(store.lookup(looked_up, at(1)).expect("lookup").is_some());
}

#[test]
fn spellings_of_one_person_are_one_subject() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = open(&dir);
    assert_one_subject(
        &store,
        &Subject::mobile_two_elements(" 阿卜杜•热合曼 ", "+86 138-0013-8000"),
        &Subject::mobile_two_elements("阿卜杜·热合曼", "13800138000"),
    );
    assert_one_subject(
        &store,
        &Subject::id_two_elements("Ｌｉ", "110105491231002"),
        &Subject::id_two_elements("Li", "11010519491231002x"),
    );

    // Another name for the number, or another check of it, is another subject.
    let other_name = Subject::mobile_two_elements("张三", "13800138000");
    assert!(store.lookup(&other_name, at(1)).expect("lookup").is_none());
    let status = Subject::mobile_status("13800138000");
    assert!(store.lookup(&status, at(1)).expect("lookup").is_none());
}

#[test]
fn an_outcome_that_does_not_fit_the_check_is_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = open(&dir);
    let error = store
        .remember(
            &Subject::mobile_status("13800138000"),
            &answer(Outcome::Match, Vendor::Ihuyi, at(0)),
        )
        .expect_err("a status subject cannot be a match");
    assert_eq!(error.kind(), StoreErrorKind::InvalidInput);
    assert!(error.to_string().contains("store.sqlite"), "{error}");

    let mut big = answer(Outcome::Match, Vendor::Wapi, at(0));
    big.details = serde_json::json!({"x": "y".repeat(5000)});
    let error = store
        .remember(&Subject::mobile_two_elements("张三", "13800138000"), &big)
        .expect_err("details are bounded");
    assert_eq!(error.kind(), StoreErrorKind::InvalidInput);
}

#[test]
fn forgetting_by_mobile_by_mobile_and_name_and_by_id() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = open(&dir);
    let remember = |s: &Subject, o: Outcome| {
        store
            .remember(s, &answer(o, Vendor::Wapi, at(0)))
            .expect("remember");
    };
    let zhang = Subject::mobile_two_elements("张三", "13800138000");
    let wang = Subject::mobile_two_elements("王五", "13800138000");
    let status = Subject::mobile_status("13800138000");
    let other = Subject::mobile_two_elements("张三", "13900139000");
    let id15 = Subject::id_two_elements("李四", "110105491231002");
    remember(&zhang, Outcome::Match);
    remember(&wang, Outcome::Mismatch);
    remember(&status, Outcome::StatusFound);
    remember(&other, Outcome::Match);
    remember(&id15, Outcome::Match);

    // By mobile and name: that person's answer and the number's status, not 王五's.
    assert_eq!(
        store
            .forget_mobile("+86 13800138000", Some("张三"))
            .expect("forget"),
        2
    );
    assert!(store.lookup(&zhang, at(1)).expect("lookup").is_none());
    assert!(store.lookup(&status, at(1)).expect("lookup").is_none());
    assert!(store.lookup(&wang, at(1)).expect("lookup").is_some());
    // By mobile alone: everything about the number.
    assert_eq!(
        store.forget_mobile("138 0013 8000", None).expect("forget"),
        1
    );
    assert!(store.lookup(&wang, at(1)).expect("lookup").is_none());
    assert!(store.lookup(&other, at(1)).expect("lookup").is_some());
    // By ID: the 18-digit form forgets what was asked with the 15-digit form.
    assert_eq!(store.forget_id("11010519491231002X").expect("forget"), 1);
    assert!(store.lookup(&id15, at(1)).expect("lookup").is_none());
    assert_eq!(store.forget_id("11010519491231002X").expect("forget"), 0);
}

#[test]
fn purge_and_stats() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = open(&dir);
    for day in 0..10u64 {
        let mobile = format!("1380013800{day}");
        remember_wapi_match(
            &store,
            &Subject::mobile_two_elements("张三", mobile.as_str()),
            at(day),
        );
    }
    remember_wapi_match(
        &store,
        &Subject::id_two_elements("李四", "11010519491231002X"),
        at(3),
    );
    let stats = store.stats().expect("stats");
    let mobile = &stats.per_check[0];
    assert_eq!(
        (mobile.check, mobile.entries),
        (Check::MobileTwoElements, 10)
    );
    assert_eq!(mobile.oldest, Some(at(0)));
    assert_eq!(stats.per_check[1].entries, 1);
    assert_eq!(stats.per_check[2].entries, 0);
    assert_eq!(stats.per_check[2].oldest, None);
    assert!(stats.file_bytes > 0);

    // Older than 5 days at day 10: mobiles of days 0..=4 and the ID answer of day 3 go.
    assert_eq!(
        store
            .purge(Some(DAY * 5 + Duration::from_secs(1)), at(10))
            .expect("purge"),
        6
    );
    // Mobiles of days 5, 6, 7 have expired on day 37.
    assert_eq!(store.purge_expired(at(37)).expect("purge"), 3);
    assert_eq!(store.purge(None, at(10)).expect("purge"), 2);
    let stats = store.stats().expect("stats");
    assert!(stats.per_check.iter().all(|c| c.entries == 0));
}

#[test]
fn the_default_key_file_sits_beside_the_store_owner_only() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let _store = open(&dir);
    let key: PathBuf = dir.path().join("store.sqlite.key");
    let metadata = std::fs::metadata(&key).expect("a key file");
    assert_eq!(metadata.len(), shiming_store::KEY_LEN as u64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
        let store_mode = std::fs::metadata(dir.path().join("store.sqlite"))
            .expect("the store")
            .permissions()
            .mode();
        assert_eq!(store_mode & 0o077, 0, "the store file is owner-only too");
    }
}

#[test]
fn debug_of_a_subject_is_masked() {
    let who = Subject::id_two_elements("张三丰", "11010519491231002X");
    let shown = format!("{who:?}");
    assert!(
        !shown.contains("张三丰") && !shown.contains("11010519491231002X"),
        "{shown}"
    );
}
