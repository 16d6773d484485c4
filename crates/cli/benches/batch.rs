//! Batch benchmarks against the emulator on 127.0.0.1, running the release `shiming` binary
//! as a separate process (so its memory is measured alone).
//!
//! ```text
//! cargo bench -p shiming-cli --bench batch                 # both
//! cargo bench -p shiming-cli --bench batch -- throughput   # 100 ms latency, concurrency 64
//! cargo bench -p shiming-cli --bench batch -- memory       # peak RSS, 10k vs 1M rows
//! ```
//!
//! Targets (from the issue): throughput ≥ 97 % of concurrency ÷ latency; peak memory for
//! 1,000,000 rows ≤ 1.2 × that for 10,000. `SHIMING_BENCH_ROWS` scales the big run down
//! (e.g. 200000) on a slow machine; `SHIMING_BENCH_THROUGHPUT_ROWS` the throughput run.
#![allow(missing_docs, clippy::print_stdout, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::{command, credentials, people, write_csv};
use shiming_emulator::{Emulator, EmulatorConfig, Vendor};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const LATENCY_MS: u64 = 100;

fn main() {
    // `cargo bench` passes `--bench`; anything else selects a benchmark.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    if runs("throughput") {
        throughput();
    }
    if runs("memory") {
        memory();
    }
}

/// Requests in flight (`SHIMING_BENCH_CONCURRENCY`, default 64).
fn concurrency() -> u64 {
    env_rows("SHIMING_BENCH_CONCURRENCY", 64) as u64
}

fn env_rows(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn emulator(latency_ms: u64) -> shiming_emulator::BlockingEmulator {
    let config = EmulatorConfig::default()
        .latency(Duration::from_millis(latency_ms))
        .rate_limit(None)
        .balance(Vendor::Wapi, u64::MAX / 2);
    Emulator::start_blocking(config).unwrap()
}

/// Runs one batch; returns (wall time, peak RSS in KiB, summary).
fn batch(dir: &Path, input: &Path, base_url: &str) -> (Duration, u64, serde_json::Value) {
    let out = dir.join("out.csv");
    let _ = std::fs::remove_file(&out);
    let mut cmd = command(dir);
    cmd.args(["--output", "json", "batch"])
        .arg(input)
        .args([
            "--check",
            "mobile",
            "--vendor",
            "wapi",
            "--concurrency",
            &concurrency().to_string(),
            "--out",
        ])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    for (k, v) in credentials(base_url) {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    // VmHWM is the kernel's own high-water mark of the resident set: polling it misses
    // nothing but growth in the last few milliseconds before exit.
    while child.try_wait().unwrap().is_none() {
        if let Some(kib) = vm_hwm_kib(&status_path) {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = started.elapsed();
    let output = child.wait_with_output().unwrap();
    let summary = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (elapsed, peak_kib, summary)
}

fn vm_hwm_kib(status_path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status_path).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn throughput() {
    let rows = env_rows("SHIMING_BENCH_THROUGHPUT_ROWS", 10_000);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    write_csv(&input, &people(rows));
    let emu = emulator(LATENCY_MS);
    let (elapsed, _, summary) = batch(dir.path(), &input, emu.base_url());
    let ideal = concurrency() as f64 / (LATENCY_MS as f64 / 1000.0);
    let rate = rows as f64 / elapsed.as_secs_f64();
    println!(
        "throughput: {rows} rows, latency {LATENCY_MS} ms, concurrency {}: {:.2} s wall, \
         {rate:.1} rows/s (summary says {}), ideal {ideal:.0} rows/s → {:.1} % (target ≥ 97 %)",
        concurrency(),
        elapsed.as_secs_f64(),
        summary["rate"],
        100.0 * rate / ideal
    );
    assert_eq!(summary["rows"], rows as u64, "{summary}");
}

fn memory() {
    let big = env_rows("SHIMING_BENCH_ROWS", 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let emu = emulator(0);
    let mut peaks = Vec::new();
    for rows in [10_000, big] {
        let input = dir.path().join(format!("in-{rows}.csv"));
        write_csv(&input, &people(rows));
        let (elapsed, peak, summary) = batch(dir.path(), &input, emu.base_url());
        println!(
            "memory: {rows} rows in {:.1} s ({:.0} rows/s): peak RSS {peak} KiB",
            elapsed.as_secs_f64(),
            rows as f64 / elapsed.as_secs_f64()
        );
        let _ = std::io::stdout().flush();
        assert_eq!(summary["rows"], rows as u64, "{summary}");
        peaks.push(peak);
    }
    println!(
        "memory: peak({big}) / peak(10000) = {:.3} (target ≤ 1.2)",
        peaks[1] as f64 / peaks[0] as f64
    );
}
