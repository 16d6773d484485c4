//! `CachedVerifier` (feature `store`) against the real emulator on 127.0.0.1 and a real store
//! file: repeats answered from the store, expiry, what is never kept, and identical checks
//! in flight sharing one vendor call.

#[allow(dead_code)]
#[path = "transports/world.rs"]
mod world;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use shiming::codec::ihuyi::StatusAnswer;
use shiming::{
    CachedVerifier, Checked, Clock, Origin, TwoElementAnswer, UnixTime, Vendor, Verdict, Verifier,
};
use shiming_emulator::{Emulator, EmulatorConfig, RunningEmulator, directory};
use shiming_store::{Check, SpendBy, Store, StoreOptions, Yuan};
use world::config_at;

/// A clock the test moves forward.
#[derive(Debug, Clone)]
struct TestClock(Arc<AtomicU64>);

impl Clock for TestClock {
    fn now(&self) -> UnixTime {
        UnixTime(self.0.load(Ordering::SeqCst))
    }
}

const START: u64 = 1_767_225_600;
const DAY: u64 = 86_400;

struct Setup {
    emulator: RunningEmulator,
    verifier: CachedVerifier,
    clock: Arc<AtomicU64>,
    _dir: tempfile::TempDir,
}

async fn setup(config: EmulatorConfig) -> Setup {
    let emulator = Emulator::start(config.rate_limit(None))
        .await
        .expect("the emulator starts");
    let verifier = Verifier::new(config_at(emulator.base_url())).expect("a verifier");
    let dir = tempfile::tempdir().expect("a temp dir");
    let store =
        Store::open(&dir.path().join("store.sqlite"), StoreOptions::new()).expect("a store");
    let clock = Arc::new(AtomicU64::new(START));
    Setup {
        verifier: CachedVerifier::new(verifier, Arc::new(store))
            .with_clock(TestClock(clock.clone()))
            .with_prices(|vendor, check| match (vendor, check) {
                (Vendor::Wapi, Check::IdTwoElements) => Some(Yuan::from_fen(16)),
                (Vendor::Wapi, _) => Some(Yuan::from_fen(60)),
                _ => None,
            }),
        emulator,
        clock,
        _dir: dir,
    }
}

impl Setup {
    /// A mobile two-element check through the cached verifier, which must answer.
    async fn mobile(&self, name: &str, mobile: &str) -> Checked<TwoElementAnswer> {
        let checked = self.verifier.mobile_two_elements(name, mobile).await;
        checked.expect("an answer")
    }

    /// An ID two-element check through the cached verifier, which must answer.
    async fn id(&self, name: &str, id_number: &str) -> Checked<TwoElementAnswer> {
        let checked = self.verifier.id_two_elements(name, id_number).await;
        checked.expect("an answer")
    }
}

fn requests(emulator: &RunningEmulator, vendor: shiming_emulator::Vendor, operation: &str) -> u64 {
    emulator
        .ledger()
        .vendor(vendor)
        .operation(operation)
        .requests
}

#[tokio::test]
async fn a_repeat_is_answered_from_the_store_until_it_expires() {
    let s = setup(EmulatorConfig::default()).await;
    let person = directory::MOBILE_MATCH_2;
    let first = s.mobile(person.name, person.number).await;
    assert_eq!(first.answer.verdict, Verdict::Match);
    assert!(first.billed);
    assert_eq!(first.origin, Origin::Vendor);

    s.clock.fetch_add(DAY, Ordering::SeqCst);
    // Another spelling of the same number.
    let second = s.mobile(person.name, "+86 138-0013-8000").await;
    assert_eq!(second.answer.verdict, Verdict::Match);
    assert!(!second.billed);
    assert_eq!(second.attempts, 0);
    assert_eq!(second.vendor, first.vendor);
    assert_eq!(second.code, first.code);
    assert_eq!(second.answer.carrier(), first.answer.carrier());
    let checked_at = UNIX_EPOCH + Duration::from_secs(START);
    assert_eq!(
        second.origin,
        Origin::Store {
            checked_at,
            expires_at: checked_at + Duration::from_secs(30 * DAY),
        }
    );
    let json = serde_json::to_value(&second).expect("json");
    assert_eq!(json["origin"]["source"], "store");
    assert_eq!(json["origin"]["checked_at"], START);
    assert!(
        serde_json::to_value(&first)
            .expect("json")
            .get("origin")
            .is_none()
    );
    let wapi = shiming_emulator::Vendor::Wapi;
    assert_eq!(requests(&s.emulator, wapi, "mobile_two_elements"), 1);
    let spend = s.verifier.store().spend(None, SpendBy::Day).expect("spend");
    assert_eq!(spend.len(), 1, "one call, one ledger day");
    assert_eq!(
        spend[0].billed_calls, 1,
        "the remembered answer cost nothing"
    );

    // 30 days after the first answer it has expired: the vendor is asked again.
    s.clock.fetch_add(29 * DAY, Ordering::SeqCst);
    let third = s.mobile(person.name, person.number).await;
    assert!(third.billed && third.origin.is_vendor());
    assert_eq!(requests(&s.emulator, wapi, "mobile_two_elements"), 2);
}

#[tokio::test]
async fn mismatches_and_statuses_are_kept_not_found_is_not() {
    let s = setup(EmulatorConfig::default()).await;
    let wapi = shiming_emulator::Vendor::Wapi;
    let ihuyi = shiming_emulator::Vendor::Ihuyi;

    let id = directory::ID_MISMATCH;
    for _ in 0..2 {
        let checked = s.id(id.name, id.number).await;
        assert_eq!(checked.answer.verdict, Verdict::Mismatch);
    }
    assert_eq!(requests(&s.emulator, wapi, "id_two_elements"), 1);

    let gone = directory::MOBILE_NOT_FOUND;
    for _ in 0..2 {
        let checked = s
            .verifier
            .mobile_two_elements_with(Vendor::Wapi, gone.name, gone.number)
            .await
            .expect("an answer");
        assert_eq!(checked.answer.verdict, Verdict::NotFound);
        assert!(checked.origin.is_vendor());
    }
    assert_eq!(requests(&s.emulator, wapi, "mobile_two_elements"), 2);

    let ported = directory::MOBILE_PORTED.number;
    let first = s.verifier.mobile_status(ported).await.expect("a status");
    let second = s.verifier.mobile_status(ported).await.expect("a status");
    assert_eq!(requests(&s.emulator, ihuyi, "mobile_status"), 1);
    assert!(second.origin.is_cached() && !second.billed);
    let (StatusAnswer::Found(a), StatusAnswer::Found(b)) = (&first.answer, &second.answer) else {
        panic!("both found: {first:?} {second:?}");
    };
    assert_eq!(
        (a.operator, a.operator_real, a.tenure, a.ported),
        (b.operator, b.operator_real, b.tenure, b.ported)
    );
    assert_eq!(b.serial, None, "the vendor's serial is not kept");
}

#[tokio::test]
async fn identical_checks_in_flight_share_one_vendor_call() {
    let s = setup(EmulatorConfig::default().latency(Duration::from_millis(300))).await;
    let person = directory::ID_MATCH;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let verifier = s.verifier.clone();
            tokio::spawn(async move { verifier.id_two_elements(person.name, person.number).await })
        })
        .collect();
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.expect("a task").expect("an answer"));
    }
    let wapi = shiming_emulator::Vendor::Wapi;
    assert_eq!(requests(&s.emulator, wapi, "id_two_elements"), 1);
    assert!(answers.iter().all(|a| a.answer.verdict == Verdict::Match));
    assert_eq!(
        answers.iter().filter(|a| a.billed).count(),
        1,
        "billed once"
    );
    assert_eq!(
        answers
            .iter()
            .filter(|a| a.origin == Origin::Shared)
            .count(),
        7
    );
    // Different people still run side by side.
    let (a, b) = tokio::join!(
        s.verifier
            .id_two_elements(directory::ID_MATCH_2.name, directory::ID_MATCH_2.number),
        s.verifier.id_two_elements(
            directory::ID_MATCH_FEMALE.name,
            directory::ID_MATCH_FEMALE.number
        ),
    );
    assert!(a.expect("an answer").billed && b.expect("an answer").billed);
    assert_eq!(requests(&s.emulator, wapi, "id_two_elements"), 3);
    // The ledger holds the three calls made, at their price: none for the waiting callers.
    let spend = s
        .verifier
        .store()
        .spend(None, SpendBy::Vendor)
        .expect("spend");
    assert_eq!(spend.len(), 1);
    assert_eq!(
        (spend[0].billed_calls, spend[0].billed),
        (3, Yuan::from_fen(48))
    );
}

#[tokio::test]
async fn errors_are_shared_and_never_kept() {
    let s = setup(EmulatorConfig::default().latency(Duration::from_millis(200))).await;
    // Only QXT in the chain is asked; a wrong-key QXT would be an auth refusal. Use a wapi
    // magic number that answers a server error instead.
    let mobile = shiming_emulator::magic::wapi::mobile::SERVER_ERROR;
    let (a, b) = tokio::join!(
        s.verifier
            .mobile_two_elements_with(Vendor::Wapi, "张三", mobile),
        s.verifier
            .mobile_two_elements_with(Vendor::Wapi, "张三", mobile),
    );
    let (a, b) = (a.expect_err("an error"), b.expect_err("an error"));
    assert_eq!(a.kind(), b.kind());
    assert_ne!(
        a.is_shared(),
        b.is_shared(),
        "one made the call, one waited"
    );
    let requests_after_two = requests(
        &s.emulator,
        shiming_emulator::Vendor::Wapi,
        "mobile_two_elements",
    );
    s.verifier
        .mobile_two_elements_with(Vendor::Wapi, "张三", mobile)
        .await
        .expect_err("still an error: nothing was remembered");
    assert!(
        requests(
            &s.emulator,
            shiming_emulator::Vendor::Wapi,
            "mobile_two_elements"
        ) > requests_after_two
    );
}
