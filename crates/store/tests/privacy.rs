//! No plaintext personal data at rest: after many answers, the store file and its -wal and
//! -shm files contain none of the names, mobiles or ID numbers checked — while the WAL holds
//! the writes, and after they were checkpointed into the main file.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use shiming_codec::Vendor;
use shiming_store::{Answer, BudgetKey, Outcome, SpendEntry, Store, StoreOptions, Subject, Yuan};

const SURNAMES: [char; 10] = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const GIVEN: [char; 10] = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];

struct People {
    names: Vec<String>,
    mobiles: Vec<String>,
    ids: Vec<String>,
}

fn people() -> People {
    let mut names = Vec::new();
    let mut mobiles = Vec::new();
    let mut ids = Vec::new();
    for i in 0..500usize {
        names.push(format!(
            "{}{}{}",
            SURNAMES[i % 10],
            GIVEN[(i / 10) % 10],
            GIVEN[(i / 100) % 10]
        ));
        mobiles.push(format!(
            "1{}{:09}",
            3 + i % 6,
            100_000_007 * (i + 1) % 1_000_000_000
        ));
        let body = format!(
            "110105{}{:02}{:02}{:03}",
            1950 + i % 50,
            1 + i % 12,
            1 + i % 28,
            i % 1000
        );
        let check = shiming_numbers::id_number::check_character(&body).expect("17 digits");
        ids.push(format!("{body}{check}"));
    }
    People {
        names,
        mobiles,
        ids,
    }
}

/// Every maximal run of ASCII digits (with a trailing X or x) of at least 11 characters.
fn digit_runs(bytes: &[u8]) -> HashSet<String> {
    let mut runs = HashSet::new();
    let mut start = None;
    for (i, &b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        let part = b.is_ascii_digit() || (start.is_some() && (b == b'X' || b == b'x'));
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 11 {
                    runs.insert(String::from_utf8_lossy(&bytes[s..i]).into_owned());
                }
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// Every maximal run of UTF-8 encoded characters outside ASCII (names are Chinese).
fn cjk_runs(bytes: &[u8]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let mut j = i;
        while j + 3 <= bytes.len() {
            match std::str::from_utf8(&bytes[j..j + 3]) {
                Ok(s) if !s.is_ascii() => j += 3,
                _ => break,
            }
        }
        if j > i {
            runs.push(String::from_utf8_lossy(&bytes[i..j]).into_owned());
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

fn assert_clean(dir: &Path, people: &People, when: &str) {
    let mut scanned = 0;
    for suffix in ["", "-wal", "-shm"] {
        let path = dir.join(format!("store.sqlite{suffix}"));
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        scanned += bytes.len();
        let digits = digit_runs(&bytes);
        for needle in people.mobiles.iter().chain(&people.ids) {
            assert!(
                !digits.iter().any(|run| run.contains(needle.as_str())),
                "{when}: a test mobile or ID number is in {}",
                path.display()
            );
        }
        let text = cjk_runs(&bytes);
        for name in &people.names {
            assert!(
                !text.iter().any(|run| run.contains(name.as_str())),
                "{when}: a test name is in {}",
                path.display()
            );
        }
    }
    assert!(
        scanned > 100_000,
        "{when}: the files hold the writes ({scanned} bytes)"
    );
}

#[test]
fn no_name_mobile_or_id_number_in_the_files() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("store.sqlite");
    let people = people();
    let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    let store = Store::open(&path, StoreOptions::new()).expect("a store");
    let answer = |outcome| Answer {
        outcome,
        vendor: Vendor::Wapi,
        code: "10000".into(),
        checked_at: now,
        details: serde_json::json!({"carrier": "联通", "area": "广西 钦州"}),
    };
    for i in 0..people.names.len() {
        let (name, mobile, id) = (&people.names[i], &people.mobiles[i], &people.ids[i]);
        store
            .remember(
                &Subject::mobile_two_elements(name.as_str(), mobile.as_str()),
                &answer(Outcome::Match),
            )
            .expect("remember");
        store
            .remember(
                &Subject::id_two_elements(name.as_str(), id.as_str()),
                &answer(Outcome::Mismatch),
            )
            .expect("remember");
        store
            .remember(
                &Subject::mobile_status(mobile.as_str()),
                &answer(Outcome::StatusFound),
            )
            .expect("remember");
        store
            .record_spend(&SpendEntry {
                at: now,
                vendor: Vendor::Wapi,
                check: shiming_store::Check::MobileTwoElements,
                price: Yuan::from_fen(9),
                billing: shiming_store::Billing::Billed,
            })
            .expect("spend");
        let reservation = store
            .reserve(
                &BudgetKey::total("run"),
                Yuan::from_units(u64::MAX / 2),
                Yuan::from_fen(9),
                now,
            )
            .expect("reserve");
        store
            .settle(reservation, shiming_store::Settlement::Billed)
            .expect("settle");
    }
    // Forgetting overwrites the deleted rows (secure_delete) rather than leaving them.
    store
        .forget_mobile(&people.mobiles[0], None)
        .expect("forget");
    assert!(
        std::fs::metadata(dir.path().join("store.sqlite-wal"))
            .expect("a WAL")
            .len()
            > 0
    );
    assert_clean(dir.path(), &people, "before checkpoint");

    // Checkpoint everything into the main file, then look again.
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
    }
    assert_clean(dir.path(), &people, "after checkpoint");
    drop(store);
    assert_clean(dir.path(), &people, "after close");

    // The scanners do find plaintext when it is there (the test can fail).
    let mut planted = std::fs::read(&path).expect("read");
    planted.extend_from_slice(people.mobiles[7].as_bytes());
    planted.extend_from_slice(b"\0");
    planted.extend_from_slice(people.names[7].as_bytes());
    assert!(digit_runs(&planted).contains(&people.mobiles[7]));
    assert!(
        cjk_runs(&planted)
            .iter()
            .any(|r| r.contains(&people.names[7]))
    );
}
