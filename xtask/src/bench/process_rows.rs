//! The rows measured on whole processes: `shiming batch` against `shiming serve`, compared
//! with a plain load generator, with the ideal throughput at 100 ms latency, and with itself
//! on a 100× bigger input for memory.

use super::batch_run::{self, BatchRun, BatchSetup, RssProbe};
use super::loadgen::{Load, Loadgen};
use super::options::Plan;
use super::people;
use super::serve::Serve;
use super::stats::Spread;
use super::table::{Row, Target, Unit, nanos, per_second};
use super::wire::{self, BENCH_ACCOUNT};
use super::workdir::Workdir;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Latency of the emulator for the ideal-throughput row, and its concurrency (the issue's).
const LATENCY_MS: u64 = 100;
const LATENCY_CONCURRENCY: usize = 64;
/// Distinct pre-signed bodies the load generator cycles through.
const LOADGEN_BODIES: usize = 10_000;

/// What the process-level sections share.
#[derive(Debug)]
pub(crate) struct ProcessContext<'a> {
    /// The release `shiming`.
    pub(crate) shiming: &'a Path,
    /// shiming-reqwest's `bare_loadgen` example (the loadgen section's reference rows).
    pub(crate) bare_reqwest: Option<&'a Path>,
    /// Folders.
    pub(crate) workdir: &'a Workdir,
    /// Peak-memory measurement.
    pub(crate) probe: &'a RssProbe,
    /// Sizes.
    pub(crate) plan: Plan,
}

impl ProcessContext<'_> {
    pub(crate) fn serve(&self, latency_ms: u64, log: &str) -> Result<Serve, String> {
        Serve::start(
            self.shiming,
            BENCH_ACCOUNT,
            latency_ms,
            &self.workdir.work(),
            &self.workdir.log(log),
        )
    }

    pub(crate) fn input(&self, rows: usize) -> Result<std::path::PathBuf, String> {
        eprintln!("  generating {rows} fake people");
        people::write_csv(
            self.shiming,
            &self.workdir.work(),
            &self.workdir.data_dir(),
            rows,
        )
    }

    fn batch(
        &self,
        serve: &Serve,
        input: &Path,
        rows: usize,
        c: usize,
    ) -> Result<BatchRun, String> {
        // What reaches the emulator is what is measured: no verdict store.
        self.batch_with(serve, input, rows, c, &["--no-cache"])
    }

    /// [`batch`](Self::batch) with more flags.
    pub(crate) fn batch_with(
        &self,
        serve: &Serve,
        input: &Path,
        rows: usize,
        c: usize,
        extra: &[&str],
    ) -> Result<BatchRun, String> {
        let work = self.workdir.work();
        let setup = BatchSetup {
            shiming: self.shiming,
            serve,
            account: BENCH_ACCOUNT,
            work: &work,
            probe: self.probe,
        };
        batch_run::run_with(&setup, input, rows, c, extra)
    }
}

/// `shiming batch` at zero latency ÷ the load generator, same concurrency, same endpoint,
/// A B A B over the rounds. The load generator runs as long as the batch before it did.
pub(crate) fn loadgen_rows(ctx: &ProcessContext<'_>, loadgen: &Loadgen) -> Vec<Row> {
    const WHAT: &str = "batch at zero latency ÷ plain load generator (requests per second)";
    let measure = || -> Result<Vec<Row>, String> {
        let (rows, c) = (ctx.plan.loadgen_rows, ctx.plan.loadgen_concurrency);
        let serve = ctx.serve(0, "serve-loadgen")?;
        let input = ctx.input(rows)?;
        let people = people::read_pairs(&input, LOADGEN_BODIES)?;
        let (mut ratios, mut batch_rates, mut load_rates) = (Vec::new(), Vec::new(), Vec::new());
        let (mut own_rates, mut cpu_per_row) = (Vec::new(), Vec::new());
        let mut bare_rates = Vec::new();
        for round in 1..=ctx.plan.rounds {
            let batch = ctx.batch(&serve, &input, rows, c)?;
            let batch_rate = rows as f64 / batch.wall.as_secs_f64();
            let bodies = signed_now(&people);
            let seconds = batch.wall.as_secs_f64().round().clamp(2.0, 60.0) as u64;
            let before = serve.counters()?;
            let load = Load {
                host: &serve.host,
                bodies: &bodies,
                connections: c,
                seconds,
            };
            let load = loadgen.run(&load, &ctx.workdir.work())?;
            let after = serve.counters()?;
            // A wrong signature would be answered fast and count as "throughput": make sure
            // the load generator's requests were real, billed checks (10 % are "not found").
            let (sent, billed) = (
                after.requests - before.requests,
                after.billed - before.billed,
            );
            if sent == 0 || (billed as f64) < 0.8 * sent as f64 {
                return Err(format!(
                    "only {billed} of the load generator's {sent} requests were billed: are its \
                     signatures right?"
                ));
            }
            let bare = match ctx.bare_reqwest {
                Some(exe) => Some(bare_reqwest(
                    exe,
                    ctx,
                    &serve,
                    &Workload {
                        bodies: &bodies,
                        c,
                        seconds,
                    },
                )?),
                None => None,
            };
            eprintln!(
                "  loadgen: round {round}/{}: batch {} in {:.1} s, {} {}{}",
                ctx.plan.rounds,
                per_second(batch_rate),
                batch.wall.as_secs_f64(),
                loadgen.name(),
                per_second(load.per_second),
                bare.map(|rate| format!(", bare reqwest {}", per_second(rate)))
                    .unwrap_or_default()
            );
            bare_rates.extend(bare);
            ratios.push(batch_rate / load.per_second);
            batch_rates.push(batch_rate);
            own_rates.extend(batch.own_elapsed_s.map(|s| rows as f64 / s));
            cpu_per_row.extend(batch.cpu_s.map(|s| s / rows as f64));
            load_rates.push(load.per_second);
        }
        let spread = Spread::of(&ratios).ok_or("no rounds")?;
        let detail = format!(
            "batch {} ({rows} rows, --concurrency {c}; {} by its own clock; {}) vs {} {} \
             ({c} connections)",
            per_second(median(&batch_rates)),
            per_second(median(&own_rates)),
            cpu_text(&cpu_per_row),
            loadgen.name(),
            per_second(median(&load_rates)),
        );
        let mut rows = vec![Row::measured(
            "loadgen",
            WHAT,
            Unit::Ratio,
            spread,
            // Zero latency on loopback: information; what a user feels is the latency row.
            Target::None,
            detail,
        )];
        // The HTTP library's own ceiling, and what shiming's batch adds on top of it.
        if bare_rates.len() == batch_rates.len() {
            let ratio_of = |a: &[f64], b: &[f64]| {
                let ratios: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
                Spread::of(&ratios)
            };
            if let Some(spread) = ratio_of(&bare_rates, &load_rates) {
                rows.push(Row::measured(
                    "loadgen",
                    "bare reqwest on one thread ÷ plain load generator (the HTTP client's own \
                     ceiling)",
                    Unit::Ratio,
                    spread,
                    Target::None,
                    format!(
                        "bare reqwest {} ({c} in flight, one thread, same bodies) vs {} {}",
                        per_second(median(&bare_rates)),
                        loadgen.name(),
                        per_second(median(&load_rates)),
                    ),
                ));
            }
            if let Some(spread) = ratio_of(&batch_rates, &bare_rates) {
                rows.push(Row::measured(
                    "loadgen",
                    "batch ÷ bare reqwest on one thread (what a batch row costs beyond the \
                     request)",
                    Unit::Ratio,
                    spread,
                    Target::None,
                    format!(
                        "batch {} vs bare reqwest {}",
                        per_second(median(&batch_rates)),
                        per_second(median(&bare_rates)),
                    ),
                ));
            }
        }
        Ok(rows)
    };
    measure().unwrap_or_else(|why| vec![Row::error("loadgen", WHAT, &why)])
}

/// What `bare_loadgen` sends: these bodies, `c` in flight, for `seconds`.
#[derive(Clone, Copy)]
struct Workload<'a> {
    bodies: &'a [String],
    c: usize,
    seconds: u64,
}

/// The wapi mobile check of each person as shiming sends it, signed now (the emulator
/// accepts a `time` within 10 minutes of its clock).
fn signed_now(people: &[(String, String)]) -> Vec<String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    people
        .iter()
        .map(|(name, mobile)| wire::signed_body(BENCH_ACCOUNT, name, mobile, now))
        .collect()
}

/// Runs shiming-reqwest's `bare_loadgen` example (bare reqwest, one thread, `c` in flight)
/// against `serve` for `seconds` with `bodies`; its requests per second. Like the load
/// generator's, its requests must have been real, billed checks.
fn bare_reqwest(
    exe: &Path,
    ctx: &ProcessContext<'_>,
    serve: &Serve,
    work: &Workload<'_>,
) -> Result<f64, String> {
    let Workload { bodies, c, seconds } = *work;
    let file = ctx.workdir.work().join("bare-reqwest-bodies.txt");
    std::fs::write(&file, bodies.join("\n"))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let url = format!("http://{}{}", serve.host, wire::MOBILE_PATH);
    let before = serve.counters()?;
    let output = std::process::Command::new(exe)
        .arg(&url)
        .arg(&file)
        .args([c.to_string(), seconds.to_string()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let after = serve.counters()?;
    if !output.status.success() {
        return Err(format!(
            "bare_loadgen failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("bare_loadgen printed no report: {e}"))?;
    let requests = report["requests"].as_u64().unwrap_or(0);
    let elapsed = report["seconds"].as_f64().unwrap_or(0.0);
    let billed = after.billed - before.billed;
    if requests == 0 || elapsed <= 0.0 || (billed as f64) < 0.8 * requests as f64 {
        return Err(format!(
            "bare_loadgen: {billed} of {requests} requests billed in {elapsed} s"
        ));
    }
    Ok(requests as f64 / elapsed)
}

/// `shiming batch` at 100 ms latency and concurrency 64: achieved ÷ ideal (64 ÷ 0.1 s) rows
/// per second, wall clock from spawn to exit (start-up and the last wave included). In the
/// same rounds, bare reqwest (one thread, 64 in flight, the same signed requests) runs
/// against the same emulator for as long: how close the HTTP client and the emulator's timer
/// themselves come to the ideal, and so how much of the gap is the batch's own.
pub(crate) fn latency_rows(ctx: &ProcessContext<'_>) -> Vec<Row> {
    const WHAT: &str = "batch at 100 ms latency, concurrency 64: achieved ÷ ideal throughput";
    let measure = || -> Result<Vec<Row>, String> {
        let rows = ctx.plan.latency_rows;
        let serve = ctx.serve(LATENCY_MS, "serve-latency")?;
        let input = ctx.input(rows)?;
        let people = people::read_pairs(&input, LOADGEN_BODIES)?;
        let ideal = LATENCY_CONCURRENCY as f64 / (LATENCY_MS as f64 / 1000.0);
        // Not a pair (the ideal is a constant), so fewer rounds suffice.
        let rounds = ctx.plan.rounds.min(3);
        let (mut ratios, mut own, mut bare_ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 1..=rounds {
            let batch = ctx.batch(&serve, &input, rows, LATENCY_CONCURRENCY)?;
            let achieved = rows as f64 / batch.wall.as_secs_f64();
            let bare = match ctx.bare_reqwest {
                Some(exe) => {
                    let seconds = batch.wall.as_secs_f64().round().clamp(2.0, 60.0) as u64;
                    let bodies = signed_now(&people);
                    let bodies = Workload {
                        bodies: &bodies,
                        c: LATENCY_CONCURRENCY,
                        seconds,
                    };
                    Some(bare_reqwest(exe, ctx, &serve, &bodies)?)
                }
                None => None,
            };
            eprintln!(
                "  latency: round {round}/{rounds}: {} in {:.1} s (its own clock: {:.1} s){}",
                per_second(achieved),
                batch.wall.as_secs_f64(),
                batch.own_elapsed_s.unwrap_or(f64::NAN),
                bare.map(|rate| format!(", bare reqwest {}", per_second(rate)))
                    .unwrap_or_default()
            );
            ratios.push(achieved / ideal);
            own.extend(batch.own_elapsed_s.map(|s| rows as f64 / s));
            bare_ratios.extend(bare.map(|rate| (rate / ideal, achieved / rate)));
        }
        let spread = Spread::of(&ratios).ok_or("no rounds")?;
        let detail = format!(
            "{} vs ideal {} ({rows} rows, process start to exit; {} by the batch's own clock)",
            per_second(spread.median * ideal),
            per_second(ideal),
            per_second(median(&own)),
        );
        let mut table = vec![Row::measured(
            "latency",
            WHAT,
            Unit::Ratio,
            spread,
            Target::AtLeast(0.97),
            detail,
        )];
        let ceiling: Vec<f64> = bare_ratios.iter().map(|r| r.0).collect();
        let batch_over_bare: Vec<f64> = bare_ratios.iter().map(|r| r.1).collect();
        if let (Some(ceiling), Some(batch_over_bare)) =
            (Spread::of(&ceiling), Spread::of(&batch_over_bare))
        {
            table.push(Row::measured(
                "latency",
                "bare reqwest at 100 ms latency, 64 in flight: achieved ÷ ideal (the client's \
                 and the emulator's own ceiling)",
                Unit::Ratio,
                ceiling,
                Target::None,
                format!(
                    "{} vs ideal {}",
                    per_second(ceiling.median * ideal),
                    per_second(ideal)
                ),
            ));
            table.push(Row::measured(
                "latency",
                "batch ÷ bare reqwest at 100 ms latency (what the batch's own work costs)",
                Unit::Ratio,
                batch_over_bare,
                Target::None,
                "same emulator, same rounds; the batch's time includes start-up and its last, \
                 partly empty wave",
            ));
        }
        Ok(table)
    };
    measure().unwrap_or_else(|why| vec![Row::error("latency", WHAT, &why)])
}

/// Peak resident memory of `shiming batch` on the big input ÷ on 10 000 rows (zero latency).
pub(crate) fn memory_rows(ctx: &ProcessContext<'_>) -> Vec<Row> {
    let (small, big) = ctx.plan.memory_rows;
    let what = format!("batch peak memory at {big} rows ÷ at {small} rows");
    let measure = || -> Result<Row, String> {
        let serve = ctx.serve(0, "serve-memory")?;
        let mut peaks = Vec::new();
        let mut details = Vec::new();
        for rows in [small, big] {
            let input = ctx.input(rows)?;
            // With the verdict store on (a fresh one each run), as users run it.
            let batch = ctx.batch_with(&serve, &input, rows, ctx.plan.loadgen_concurrency, &[])?;
            let peak = batch
                .peak_kib
                .ok_or("the batch's peak memory could not be read")?;
            let rate = rows as f64 / batch.wall.as_secs_f64();
            eprintln!(
                "  memory: {rows} rows: peak {:.1} MiB, {:.1} s, {}",
                peak as f64 / 1024.0,
                batch.wall.as_secs_f64(),
                per_second(rate)
            );
            peaks.push(peak as f64);
            let cpu: Vec<f64> = batch.cpu_s.map(|s| s / rows as f64).into_iter().collect();
            details.push(format!(
                "{rows} rows: {:.1} MiB ({:.0} s, {}, {})",
                peak as f64 / 1024.0,
                batch.wall.as_secs_f64(),
                per_second(rate),
                cpu_text(&cpu)
            ));
        }
        let spread = Spread::of(&[peaks[1] / peaks[0]]).ok_or("no peak")?;
        Ok(Row::measured(
            "memory",
            what.clone(),
            Unit::Ratio,
            spread,
            Target::AtMost(1.2),
            details.join("; "),
        ))
    };
    vec![measure().unwrap_or_else(|why| Row::error("memory", what.clone(), &why))]
}

/// `38 µs CPU per row` (user + system of the batch process), when it was measured.
fn cpu_text(per_row_s: &[f64]) -> String {
    if per_row_s.is_empty() {
        "CPU per row unknown".to_string()
    } else {
        format!("{} CPU per row", nanos(median(per_row_s) * 1e9))
    }
}

fn median(values: &[f64]) -> f64 {
    Spread::of(values).map_or(f64::NAN, |s| s.median)
}
