//! Real OS processes sharing one store file: two writing and reading at once, one killed
//! with SIGKILL in the middle of its writes, and several reserving against one budget.
//!
//! The children are this test binary re-invoked on its `child` test with `SHIMING_STORE_CHILD`
//! naming the role; the test does nothing without that variable.

// The children report their counts to the parent on stdout.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use shiming_codec::Vendor;
use shiming_store::{
    Answer, Billing, BudgetKey, Check, Outcome, ReserveError, Settlement, SpendBy, SpendEntry,
    Store, StoreOptions, Subject, Yuan,
};

const ROLE: &str = "SHIMING_STORE_CHILD";
const PATH: &str = "SHIMING_STORE_PATH";
const TAG: &str = "SHIMING_STORE_TAG";

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_767_225_600)
}

fn answer(outcome: Outcome) -> Answer {
    Answer {
        outcome,
        vendor: Vendor::Wapi,
        code: "10000".into(),
        checked_at: now(),
        details: serde_json::Value::Null,
    }
}

fn spawn(role: &str, path: &Path, tag: &str) -> Child {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .env(PATH, path)
        .env(TAG, tag)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn a child")
}

/// The `key=value` of a `RESULT` line (libtest may print `test child ... ` before the first).
fn result(line: &str) -> Option<&str> {
    line.find("RESULT ").map(|at| &line[at + "RESULT ".len()..])
}

/// Waits for a child and returns the values of its `RESULT key=value` lines.
fn finish(child: Child) -> Vec<(String, u64)> {
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter_map(result)
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim().parse().expect("a number")))
        .collect()
}

/// The children's side.
#[test]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let path = std::path::PathBuf::from(std::env::var(PATH).expect("a path"));
    let tag = std::env::var(TAG).expect("a tag");
    let store = Store::open(&path, StoreOptions::new()).expect("open in the child");
    match role.as_str() {
        "writer" => writer(&store, &tag),
        "endless" => endless(&store),
        "reserver" => reserver(&store),
        other => panic!("unknown role {other}"),
    }
}

/// Writes 300 answers of its own and reads the other writer's, with ledger entries.
fn writer(store: &Store, tag: &str) {
    let other = if tag == "a" { "b" } else { "a" };
    let mut seen_other = 0;
    for i in 0..300u32 {
        let mine = Subject::mobile_two_elements(format!("{tag}{i}"), format!("13{i:09}"));
        store
            .remember(&mine, &answer(Outcome::Match))
            .expect("remember");
        assert!(store.lookup(&mine, now()).expect("lookup").is_some());
        let theirs = Subject::mobile_two_elements(format!("{other}{i}"), format!("13{i:09}"));
        if store.lookup(&theirs, now()).expect("lookup").is_some() {
            seen_other += 1;
        }
        store
            .record_spend(&SpendEntry {
                at: now(),
                vendor: Vendor::Wapi,
                check: Check::MobileTwoElements,
                price: Yuan::from_fen(9),
                billing: Billing::Billed,
            })
            .expect("spend");
    }
    println!("RESULT seen_other={seen_other}");
}

/// Writes until killed, saying how far it got.
fn endless(store: &Store) {
    for i in 0u64.. {
        let who = Subject::mobile_status(format!("1{i:010}"));
        store
            .remember(&who, &answer(Outcome::StatusFound))
            .expect("remember");
        println!("RESULT written={}", i + 1);
    }
}

/// Reserves 0.09 yuan against a 9-yuan cap until refused, settling each.
fn reserver(store: &Store) {
    let budget = BudgetKey::total("shared");
    let (mut kept, mut released) = (0u64, 0u64);
    for i in 0u64.. {
        match store.reserve(&budget, Yuan::from_units(90_000), Yuan::from_fen(9), now()) {
            Ok(reservation) => {
                let settlement = match i % 3 {
                    0 => Settlement::Billed,
                    1 => Settlement::PossiblyBilled,
                    _ => Settlement::NotBilled,
                };
                store.settle(reservation, settlement).expect("settle");
                if settlement == Settlement::NotBilled {
                    released += 1;
                } else {
                    kept += 1;
                }
            }
            Err(ReserveError::Refused(_)) => break,
            Err(ReserveError::Store(e)) => panic!("store failed: {e}"),
        }
    }
    println!("RESULT kept={kept}");
    println!("RESULT released={released}");
}

#[test]
fn two_processes_write_and_read_one_store_at_once() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("shared.sqlite");
    // The key file is created by whichever child gets there first: both must agree on it.
    let a = spawn("writer", &path, "a");
    let b = spawn("writer", &path, "b");
    let (a, b) = (finish(a), finish(b));
    let seen = |r: &[(String, u64)]| r.iter().find(|(k, _)| k == "seen_other").map(|(_, v)| *v);
    assert!(seen(&a).is_some() && seen(&b).is_some());

    let store = Store::open(&path, StoreOptions::new()).expect("open");
    let stats = store.stats().expect("stats");
    assert_eq!(
        stats.per_check[0].entries, 600,
        "both writers' answers are there"
    );
    let spend = store.spend(None, SpendBy::Vendor).expect("spend");
    assert_eq!(spend[0].billed_calls, 600);
    assert_eq!(spend[0].billed, Yuan::from_fen(9 * 600));
    // Each process can read what the other wrote.
    for tag in ["a", "b"] {
        let who = Subject::mobile_two_elements(format!("{tag}299"), "13000000299");
        assert!(store.lookup(&who, now()).expect("lookup").is_some());
    }
}

#[cfg(unix)]
#[test]
fn a_writer_killed_with_sigkill_leaves_a_readable_store() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("killed.sqlite");
    let mut child = spawn("endless", &path, "k");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let started = Instant::now();
    let mut written = 0;
    // Let it write for a while, then kill it mid-stream.
    while written < 200 && started.elapsed() < Duration::from_secs(60) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(n) = result(&line).and_then(|r| r.strip_prefix("written=")) {
            written = n.parse().expect("a count");
        }
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "killed, not finished");
    assert!(written >= 200, "the child wrote before dying ({written})");

    let store = Store::open(&path, StoreOptions::new()).expect("reopen after SIGKILL");
    let kept = store.stats().expect("stats").per_check[2].entries;
    assert!(
        kept >= written,
        "{kept} answers kept, {written} acknowledged"
    );
    for i in 0..written {
        let who = Subject::mobile_status(format!("1{i:010}"));
        assert!(
            store.lookup(&who, now()).expect("lookup").is_some(),
            "answer {i}"
        );
    }
    // And the store still takes writes.
    store
        .remember(
            &Subject::mobile_status("19999999999"),
            &answer(Outcome::StatusFound),
        )
        .expect("write after recovery");
}

#[test]
fn reservations_across_processes_never_exceed_the_cap() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("budget.sqlite");
    let children: Vec<Child> = (0..3)
        .map(|i| spawn("reserver", &path, &i.to_string()))
        .collect();
    let mut kept = 0;
    for child in children {
        for (key, value) in finish(child) {
            if key == "kept" {
                kept += value;
            }
        }
    }
    // 9 yuan / 0.09 yuan: exactly 100 calls fit, released ones freeing room for others.
    assert_eq!(kept, 100);
    let store = Store::open(&path, StoreOptions::new()).expect("open");
    assert_eq!(
        store
            .committed(&BudgetKey::total("shared"))
            .expect("committed"),
        Yuan::from_units(90_000)
    );
}
