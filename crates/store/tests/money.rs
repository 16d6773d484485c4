//! The spend ledger and budgets: exact sums by day and vendor, and reservations that never
//! let a budget pass its cap, whether from threads sharing one `Store` or from separate
//! connections to one file.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use shiming_codec::Vendor;
use shiming_store::{
    Billing, BudgetKey, Check, Date, ReserveError, Settlement, SpendBy, SpendEntry, Store,
    StoreOptions, Yuan,
};

fn day(n: u64) -> SystemTime {
    // 2026-01-01T10:00:00Z plus n days.
    UNIX_EPOCH + Duration::from_secs(1_767_225_600 + 36_000 + n * 86_400)
}

fn date(d: u8) -> Date {
    Date::new(2026, 1, d).expect("a date")
}

#[test]
fn spend_by_day_and_by_vendor() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("s.sqlite"), StoreOptions::new()).expect("a store");
    let entries = [
        (0, Vendor::Wapi, Check::IdTwoElements, 60, Billing::Billed),
        (0, Vendor::Qxt, Check::MobileTwoElements, 9, Billing::Billed),
        (
            0,
            Vendor::Wapi,
            Check::MobileTwoElements,
            9,
            Billing::PossiblyBilled,
        ),
        (1, Vendor::Ihuyi, Check::MobileStatus, 5, Billing::Billed),
        (2, Vendor::Wapi, Check::IdTwoElements, 60, Billing::Billed),
    ];
    for (d, vendor, check, fen, billing) in entries {
        store
            .record_spend(&SpendEntry {
                at: day(d),
                vendor,
                check,
                price: Yuan::from_fen(fen),
                billing,
            })
            .expect("record");
    }
    let by_day = store.spend(None, SpendBy::Day).expect("spend");
    let days: Vec<_> = by_day
        .iter()
        .map(|r| {
            (
                r.day,
                r.billed_calls,
                r.possibly_billed_calls,
                r.billed.to_string(),
                r.possibly_billed.to_string(),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            (Some(date(1)), 2, 1, "0.69".into(), "0.09".into()),
            (Some(date(2)), 1, 0, "0.05".into(), "0.00".into()),
            (Some(date(3)), 1, 0, "0.60".into(), "0.00".into()),
        ]
    );
    let since = store.spend(Some(date(2)), SpendBy::Vendor).expect("spend");
    let vendors: Vec<_> = since
        .iter()
        .map(|r| (r.vendor, r.billed_calls, r.billed))
        .collect();
    assert_eq!(
        vendors,
        [
            (Some(Vendor::Wapi), 1, Yuan::from_fen(60)),
            (Some(Vendor::Ihuyi), 1, Yuan::from_fen(5)),
        ]
    );
    // A thousand 0.09-yuan calls sum to exactly 90 yuan.
    for _ in 0..1000 {
        store
            .record_spend(&SpendEntry {
                at: day(9),
                vendor: Vendor::Qxt,
                check: Check::MobileTwoElements,
                price: "0.09".parse().expect("yuan"),
                billing: Billing::Billed,
            })
            .expect("record");
    }
    let last = store.spend(Some(date(10)), SpendBy::Day).expect("spend");
    assert_eq!(last[0].billed.to_string(), "90.00");
    assert_eq!(
        serde_json::to_value(&last[0]).expect("json")["billed"],
        "90.00"
    );
}

#[test]
fn daily_budgets_are_separate_per_day_and_name() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("s.sqlite"), StoreOptions::new()).expect("a store");
    let cap = Yuan::from_fen(100);
    let price = Yuan::from_fen(60);
    let acme1 = BudgetKey::daily("acme", date(1));
    let r = store
        .reserve(&acme1, cap, price, day(0))
        .expect("first fits");
    let refused = store
        .reserve(&acme1, cap, price, day(0))
        .expect_err("second does not");
    match refused {
        ReserveError::Refused(why) => {
            assert_eq!((why.committed, why.price, why.cap), (price, price, cap));
            assert!(why.to_string().contains("acme"), "{why}");
        }
        ReserveError::Store(e) => panic!("{e}"),
    }
    // Another day and another tenant have their own room.
    store
        .reserve(&BudgetKey::daily("acme", date(2)), cap, price, day(1))
        .expect("next day")
        .price();
    let other = store
        .reserve(&BudgetKey::daily("other", date(1)), cap, price, day(0))
        .expect("other tenant");
    store.settle(other, Settlement::NotBilled).expect("settle");
    // A possibly billed call keeps counting; a not billed one frees its price.
    store.settle(r, Settlement::PossiblyBilled).expect("settle");
    assert_eq!(store.committed(&acme1).expect("committed"), price);
    assert_eq!(
        store
            .committed(&BudgetKey::daily("other", date(1)))
            .expect("committed"),
        Yuan::ZERO
    );
}

/// Threads on one `Store` and on a second connection to the same file race for one cap.
#[test]
fn racing_threads_and_connections_never_pass_the_cap() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("s.sqlite");
    let one = Arc::new(Store::open(&path, StoreOptions::new()).expect("a store"));
    let two = Arc::new(Store::open(&path, StoreOptions::new()).expect("a second connection"));
    let cap = Yuan::from_fen(500);
    let budget = BudgetKey::total("run-1");
    let threads: Vec<_> = (0..6)
        .map(|i| {
            let store = if i % 2 == 0 { one.clone() } else { two.clone() };
            let budget = budget.clone();
            std::thread::spawn(move || {
                let mut kept = 0u64;
                for n in 0u64.. {
                    // Prices 0.07, 0.09, 0.11 yuan: the last call may not fit exactly.
                    let price = Yuan::from_fen(7 + 2 * ((n + i) % 3));
                    match store.reserve(&budget, cap, price, day(0)) {
                        Ok(r) => {
                            let settle = if n % 4 == 3 {
                                Settlement::NotBilled
                            } else {
                                Settlement::Billed
                            };
                            if settle == Settlement::Billed {
                                kept += r.price().units();
                            }
                            store.settle(r, settle).expect("settle");
                        }
                        Err(ReserveError::Refused(_)) if n > 1000 => break,
                        Err(ReserveError::Refused(_)) => {
                            // Released room may appear again; try a few more times.
                            if n % 50 == 49 {
                                break;
                            }
                        }
                        Err(ReserveError::Store(e)) => panic!("{e}"),
                    }
                }
                kept
            })
        })
        .collect();
    let kept: u64 = threads
        .into_iter()
        .map(|t| t.join().expect("a thread"))
        .sum();
    let committed = one.committed(&budget).expect("committed");
    assert_eq!(committed.units(), kept);
    assert!(committed <= cap, "{committed} > {cap}");
    assert!(
        committed.units() + Yuan::from_fen(11).units() > cap.units(),
        "the cap was nearly used: {committed}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any sequence of prices and settlements: what is committed never passes the cap, and
    /// equals the reservations kept.
    #[test]
    fn committed_never_exceeds_the_cap(
        cap in 0u64..5_000,
        calls in proptest::collection::vec((1u64..2_000, 0u8..3), 1..40),
    ) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = Store::open(&dir.path().join("s.sqlite"), StoreOptions::new()).expect("a store");
        let budget = BudgetKey::total("p");
        let cap = Yuan::from_units(cap);
        let mut expected = 0u64;
        for (price, settle) in calls {
            let price = Yuan::from_units(price);
            match store.reserve(&budget, cap, price, day(0)) {
                Ok(r) => {
                    prop_assert!(expected + price.units() <= cap.units());
                    let settlement = [Settlement::Billed, Settlement::PossiblyBilled, Settlement::NotBilled][usize::from(settle)];
                    if settlement != Settlement::NotBilled {
                        expected += price.units();
                    }
                    store.settle(r, settlement).expect("settle");
                }
                Err(ReserveError::Refused(_)) => prop_assert!(expected + price.units() > cap.units()),
                Err(ReserveError::Store(e)) => panic!("{e}"),
            }
            prop_assert_eq!(store.committed(&budget).expect("committed").units(), expected);
        }
    }
}
