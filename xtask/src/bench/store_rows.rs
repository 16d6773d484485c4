//! The `store` section: the verdict store's hit lookups (per second on one thread, p99 hit
//! time) and `RunDedup`'s rows per second and peak memory at the big vs the small input.
//! Each measurement is one run of shiming-store's `store_bench` example, so peak memory is
//! that measurement's own.

use super::options::Plan;
use super::stats::Spread;
use super::table::{Row, Target, Unit, nanos, per_second};
use std::path::Path;
use std::process::Command;

const SECTION: &str = "store";

/// Entries in the store the lookups hit (a busy installation's month of checks).
const ENTRIES: u64 = 100_000;

/// RunDedup must keep up with a batch many times over.
const DEDUP_MIN_ROWS_PER_S: f64 = 10_000.0;

/// Peak memory at the big input ÷ at the small one: flat means ≤ 1.2.
const DEDUP_MAX_MEMORY_RATIO: f64 = 1.2;

/// Runs `store_bench` with `args` and returns its JSON line.
fn run(binary: &Path, args: &[&str]) -> Result<serde_json::Value, String> {
    let output = Command::new(binary)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "store_bench {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("unreadable store_bench output: {e}"))
}

fn number(value: &serde_json::Value, field: &str) -> Result<f64, String> {
    value[field]
        .as_f64()
        .ok_or_else(|| format!("store_bench output has no `{field}`"))
}

/// Every row of the section.
pub(crate) fn rows(binary: Option<&Path>, plan: Plan) -> Vec<Row> {
    let Some(binary) = binary else {
        return vec![Row::error(SECTION, "store_bench", "not built")];
    };
    let mut rows = lookup_rows(binary, plan)
        .unwrap_or_else(|why| vec![Row::error(SECTION, "store lookups", &why)]);
    rows.extend(
        dedup_rows(binary, plan).unwrap_or_else(|why| vec![Row::error(SECTION, "RunDedup", &why)]),
    );
    rows
}

fn lookup_rows(binary: &Path, plan: Plan) -> Result<Vec<Row>, String> {
    let seconds = if plan.measure_s >= 2.0 { "2" } else { "1" };
    let (mut rates, mut p99s, mut p50s) = (Vec::new(), Vec::new(), Vec::new());
    let rounds = plan.rounds.to_string();
    let result = run(binary, &["lookups", &ENTRIES.to_string(), seconds, &rounds])?;
    let Some(each) = result["rounds"].as_array() else {
        return Err("store_bench output has no `rounds`".to_string());
    };
    for round in each {
        rates.push(number(round, "lookups_per_s")?);
        p99s.push(number(round, "p99_ns")?);
        p50s.push(number(round, "p50_ns")?);
    }
    eprintln!(
        "  store: lookups {:?}/s, p99 {:?} ns",
        rates.iter().map(|r| r.round()).collect::<Vec<_>>(),
        p99s
    );
    let p50 = Spread::of(&p50s).ok_or("no rounds")?;
    Ok(vec![
        Row::measured(
            SECTION,
            format!("store hit lookups, one thread, {ENTRIES} entries"),
            Unit::PerSecond,
            Spread::of(&rates).ok_or("no rounds")?,
            Target::None,
            format!(
                "SQLite WAL file of {:.1} MiB; median p50 {}",
                number(&result, "file_bytes")? / 1_048_576.0,
                nanos(p50.median)
            ),
        ),
        Row::measured(
            SECTION,
            format!("store hit time p99, {ENTRIES} entries"),
            Unit::Time,
            Spread::of(&p99s).ok_or("no rounds")?,
            Target::None,
            "HMAC of the subject + one indexed SELECT; a vendor call takes tens of ms",
        ),
    ])
}

fn dedup_rows(binary: &Path, plan: Plan) -> Result<Vec<Row>, String> {
    let (small, big) = plan.memory_rows;
    let small_run = run(binary, &["dedup", &small.to_string()])?;
    let big_run = run(binary, &["dedup", &big.to_string()])?;
    let peak = |r: &serde_json::Value| number(r, "peak_rss_kib");
    let (small_peak, big_peak) = (peak(&small_run)?, peak(&big_run)?);
    let rate = number(&big_run, "rows_per_s")?;
    eprintln!(
        "  store: RunDedup {big} rows at {}, peak {:.1} MiB vs {:.1} MiB at {small}",
        per_second(rate),
        big_peak / 1024.0,
        small_peak / 1024.0
    );
    Ok(vec![
        Row::measured(
            SECTION,
            format!("RunDedup rows per second at {big} rows"),
            Unit::PerSecond,
            Spread::of(&[rate]).ok_or("no rate")?,
            Target::AtLeast(DEDUP_MIN_ROWS_PER_S),
            format!(
                "{:.1} s; {small} rows: {}",
                number(&big_run, "seconds")?,
                per_second(number(&small_run, "rows_per_s")?)
            ),
        ),
        Row::measured(
            SECTION,
            format!("RunDedup peak memory at {big} rows ÷ at {small} rows"),
            Unit::Ratio,
            Spread::of(&[big_peak / small_peak]).ok_or("no peak")?,
            Target::AtMost(DEDUP_MAX_MEMORY_RATIO),
            format!(
                "{:.1} MiB vs {:.1} MiB (process VmHWM)",
                big_peak / 1024.0,
                small_peak / 1024.0
            ),
        ),
    ])
}
