//! `pacing`: does `shiming batch --qps R` keep to the vendor's quota? Vendors count calls per
//! second, so two numbers matter: achieved ÷ R (≥ 0.98: a quota paid for is used) and the most
//! requests in any one-second window (never above R: over it, the vendor refuses, or bills a
//! refusal).
//!
//! The batch runs against `shiming serve` at a realistic 20 ms latency while this thread reads
//! the emulator's request counter every 5 ms. The window count is computed from those samples,
//! so it can miss a request at a window's edge (at most one at R = 50, where requests are
//! 20 ms apart): the row reports what it saw and says so.

use super::process_rows::ProcessContext;
use super::stats::Spread;
use super::table::{Row, Target, Unit, per_second};
use super::wire;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The quota, the emulator's latency, and the batch's concurrency.
const QPS: f64 = 50.0;
const LATENCY_MS: u64 = 20;
const CONCURRENCY: usize = 8;

/// `(seconds since start, requests so far)` every few milliseconds until `done`.
fn sample(host: String, done: Arc<AtomicBool>) -> Vec<(f64, u64)> {
    let started = Instant::now();
    let mut samples = Vec::new();
    while !done.load(Ordering::SeqCst) {
        if let Ok(ledger) = wire::get_json(&host, "/__emulator/ledger")
            && let Some(n) =
                ledger["wapi"]["operations"]["mobile_two_elements"]["requests"].as_u64()
        {
            samples.push((started.elapsed().as_secs_f64(), n));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    samples
}

/// The rate between the first and the last request seen, and the most requests seen in any
/// window shorter than one second (vendors count per second: a request at 0.00 s and one at
/// 1.00 s fall in different seconds).
fn analyse(samples: &[(f64, u64)]) -> Option<(f64, u64)> {
    let first = samples.iter().position(|(_, n)| *n > samples[0].1)?;
    let last = samples
        .iter()
        .rposition(|(_, n)| *n < samples[samples.len() - 1].1)?
        + 1;
    let (t0, n0) = samples[first - 1];
    let (t1, n1) = samples[last];
    let rate = (n1 - n0) as f64 / (t1 - t0);
    let mut most = 0;
    for (i, (t, n)) in samples.iter().enumerate() {
        // The latest sample less than one second after this one.
        let end = samples[i..]
            .iter()
            .take_while(|(u, _)| *u < t + 1.0)
            .last()
            .map_or(*n, |(_, m)| *m);
        most = most.max(end - n);
    }
    Some((rate, most))
}

/// The pacing rows.
pub(crate) fn pacing_rows(ctx: &ProcessContext<'_>) -> Vec<Row> {
    const WHAT: &str = "batch --qps 50 at 20 ms latency: achieved ÷ R";
    const WINDOW: &str = "most requests in any one-second window (R = 50)";
    let measure = || -> Result<Vec<Row>, String> {
        let rows = ctx.plan.pacing_rows;
        let serve = ctx.serve(LATENCY_MS, "serve-pacing")?;
        let input = ctx.input(rows)?;
        let rounds = ctx.plan.rounds.min(3);
        let (mut ratios, mut windows) = (Vec::new(), Vec::new());
        for round in 1..=rounds {
            let done = Arc::new(AtomicBool::new(false));
            let sampler = {
                let (host, done) = (serve.host.clone(), done.clone());
                std::thread::spawn(move || sample(host, done))
            };
            let qps = QPS.to_string();
            let batch = ctx.batch_with(
                &serve,
                &input,
                rows,
                CONCURRENCY,
                &["--qps", &qps, "--no-cache"],
            );
            done.store(true, Ordering::SeqCst);
            let samples = sampler.join().map_err(|_| "the sampler panicked")?;
            batch?;
            let (rate, most) = analyse(&samples).ok_or("too few samples")?;
            eprintln!(
                "  pacing: round {round}/{rounds}: {} (R = {QPS}), at most {most} in a second",
                per_second(rate)
            );
            ratios.push(rate / QPS);
            windows.push(most as f64);
        }
        let detail = format!(
            "{rows} rows, --concurrency {CONCURRENCY}, emulator latency {LATENCY_MS} ms; the \
             emulator's request counter sampled every 5 ms"
        );
        Ok(vec![
            Row::measured(
                "pacing",
                WHAT,
                Unit::Ratio,
                Spread::of(&ratios).ok_or("no rounds")?,
                Target::AtLeast(0.98),
                detail.clone(),
            ),
            Row::measured(
                "pacing",
                WINDOW,
                Unit::Count,
                Spread::of(&windows).ok_or("no rounds")?,
                Target::AtMost(QPS),
                detail,
            ),
        ])
    };
    measure().unwrap_or_else(|why| vec![Row::error("pacing", WHAT, &why)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_even_pace_is_its_rate_and_never_more_than_r_a_second() {
        // 50 requests a second for 4 seconds, sampled every 5 ms.
        let samples: Vec<(f64, u64)> = (0..1000)
            .map(|i| {
                let t = f64::from(i) * 0.005;
                (t, ((t - 0.5).max(0.0) * 50.0).ceil().min(200.0) as u64)
            })
            .collect();
        let (rate, most) = analyse(&samples).unwrap();
        assert!((rate - 50.0).abs() < 1.0, "{rate}");
        assert_eq!(most, 50);
    }
}
