//! The store's numbers for `cargo xtask bench --only store`, one measurement per process so
//! peak memory is the measurement's own. Prints one JSON line on stdout.
//!
//! ```text
//! store_bench lookups ENTRIES SECONDS ROUNDS  # per round: hits per second, hit-time p50/p99
//! store_bench dedup ROWS                # RunDedup rows per second and the process's peak RSS
//! ```

// The JSON line is this program's output.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use shiming_codec::Vendor;
use shiming_store::{Answer, Outcome, RunDedup, Store, StoreOptions, Subject};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| -> u64 {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| usage())
    };
    let result = match args.first().map(String::as_str) {
        Some("lookups") => lookups(number(1), number(2), number(3)),
        Some("dedup") => dedup(number(1)),
        _ => usage(),
    };
    match result {
        Ok(line) => println!("{line}"),
        Err(error) => {
            eprintln!("store_bench: {error}");
            std::process::exit(1);
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: store_bench lookups ENTRIES SECONDS ROUNDS | store_bench dedup ROWS");
    std::process::exit(2);
}

/// The i-th test subject: distinct mobiles, a few names.
fn subject(i: u64) -> Subject {
    const NAMES: [&str; 4] = ["张三", "李四", "王五", "赵六"];
    Subject::mobile_two_elements(
        NAMES[(i % 4) as usize],
        format!("13{:09}", i % 1_000_000_000),
    )
}

/// A cheap deterministic shuffle of 0..n (xorshift), so lookups do not walk the keys in order.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn lookups(entries: u64, seconds: u64, rounds: u64) -> Result<String, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.sqlite"), StoreOptions::new())?;
    let now = SystemTime::now();
    for i in 0..entries {
        store.remember(
            &subject(i),
            &Answer {
                outcome: Outcome::Match,
                vendor: Vendor::Wapi,
                code: "10000".into(),
                checked_at: now,
                details: serde_json::json!({"carrier": "移动", "province": "北京", "city": "北京"}),
            },
        )?;
    }
    // Filling the store takes longer than measuring it: fill once, measure `rounds` windows.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut rounds_out = Vec::new();
    for _ in 0..rounds {
        let mut times: Vec<u64> = Vec::new();
        let started = Instant::now();
        let budget = Duration::from_secs(seconds);
        while started.elapsed() < budget {
            for _ in 0..256 {
                let who = subject(next(&mut state) % entries);
                let t = Instant::now();
                let hit = store.lookup(&who, now)?;
                times.push(u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX));
                if hit.is_none() {
                    return Err("a remembered subject was not found".into());
                }
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        let count = times.len();
        times.sort_unstable();
        let at = |q: f64| times[((count as f64 * q) as usize).min(count - 1)];
        rounds_out.push(serde_json::json!({
            "lookups": count,
            "lookups_per_s": count as f64 / elapsed,
            "p50_ns": at(0.50),
            "p99_ns": at(0.99),
        }));
    }
    Ok(serde_json::json!({
        "entries": entries,
        "rounds": rounds_out,
        "file_bytes": store.stats()?.file_bytes,
    })
    .to_string())
}

fn dedup(rows: u64) -> Result<String, Box<dyn std::error::Error>> {
    let mut dedup = RunDedup::new()?;
    let started = Instant::now();
    let mut duplicates = 0u64;
    for row in 0..rows {
        // Every tenth row repeats an earlier subject.
        let i = if row % 10 == 9 { row / 2 } else { row };
        if dedup.first_seen(&subject(i), row)?.is_some() {
            duplicates += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok(serde_json::json!({
        "rows": rows,
        "duplicates": duplicates,
        "rows_per_s": rows as f64 / elapsed,
        "seconds": elapsed,
        "peak_rss_kib": peak_rss_kib(),
        "unix_time": SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    })
    .to_string())
}

/// `VmHWM` of this process (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
