//! The `overhead` comparison of `benches/overhead.rs`, interleaved, for a shared machine.
//!
//! The criterion benchmark times the bare client for 2.5 s and then shiming for 2.5 s; when
//! another process's build starts or stops between the two windows, the ratio swings (rounds
//! from 0.46× to 1.37× in one run). This runs every contender in turns of 200 calls, one turn
//! each in a row, and reports per pair the median of the per-turn ratios: load then hits both
//! sides of a ratio alike.
//!
//! Three more lines locate shiming's cost: `bare reqwest + timeouts` is the bare reqwest client
//! with the connect and total timeouts shiming-reqwest sets (reqwest arms a timer per request),
//! `bare ureq + codec` builds, signs and decodes with
//! `shiming-codec` around the bare agent (the codec's CPU in situ), and `bare ureq + spin 4 µs`
//! burns 4 µs of CPU before each bare call (does client-side work between calls cost more
//! than its own time, e.g. by letting the emulator's workers park? It does not).
//!
//! Run: `cargo bench -p shiming --bench overhead_ratio -- [turns]` (default 40).
#![allow(clippy::print_stdout)]

mod common;

use common::{Bench, blocking_check};
use shiming::codec::Operation;
use shiming::{Clock, SystemClock};
use shiming_emulator::EmulatorConfig;
use std::hint::black_box;
use std::time::{Duration, Instant};

const CALLS_PER_TURN: u32 = 200;

/// One call, answer dropped; panics on failure (this is a measurement, not a client).
type Call<'a> = Box<dyn Fn() + 'a>;

/// Burns `duration` of CPU without touching memory (stands in for client-side work).
fn spin(duration: Duration) {
    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` appends `--bench`; the one other argument is the number of turns.
    let turns: usize = match std::env::args().skip(1).find(|arg| arg != "--bench") {
        Some(turns) => turns.parse::<usize>()?.max(1),
        None => 40,
    };
    // The same prepared bytes for every bare call, as in the criterion benchmark.
    let bench = Bench::start(EmulatorConfig::default())?;
    let bare_reqwest_with_timeouts = {
        let _context = bench.runtime.enter();
        common::bare_reqwest()
            .connect_timeout(shiming::DEFAULT_CONNECT_TIMEOUT)
            .timeout(shiming::DEFAULT_TIMEOUT)
            .build()?
    };
    let (check, wapi) = (&bench.request.check, &bench.request.wapi);
    let clients = &bench.clients;

    // Pairs: (baseline, contender). The ratio is contender ÷ baseline per turn.
    let clients: [(&str, Call<'_>); 7] = [
        (
            "bare reqwest",
            Box::new(|| bench.reqwest_call(&clients.bare_reqwest)),
        ),
        (
            "shiming async",
            Box::new(|| {
                black_box(bench.async_check(&clients.verifier));
            }),
        ),
        (
            "bare reqwest + timeouts",
            Box::new(|| bench.reqwest_call(&bare_reqwest_with_timeouts)),
        ),
        (
            "bare ureq",
            Box::new(|| bench.ureq_call(&clients.bare_ureq)),
        ),
        (
            "shiming blocking",
            Box::new(|| {
                black_box(blocking_check(&clients.blocking));
            }),
        ),
        (
            "bare ureq + codec",
            Box::new(|| {
                let request = check.prepare(wapi, SystemClock.now()).expect("a request");
                let response = bench.ureq_run(request);
                black_box(check.decode(&response).expect("decoded"));
            }),
        ),
        (
            "bare ureq + spin 4 µs",
            Box::new(|| {
                spin(Duration::from_micros(4));
                bench.ureq_call(&clients.bare_ureq);
            }),
        ),
    ];
    // Which entry each contender is compared with.
    let baseline_of = [0, 0, 0, 3, 3, 3, 3];

    let mut per_call = vec![Vec::with_capacity(turns); clients.len()];
    for turn in 0..=turns {
        for ((_, call), times) in clients.iter().zip(&mut per_call) {
            let start = Instant::now();
            for _ in 0..CALLS_PER_TURN {
                call();
            }
            // Turn 0 warms up: connections opened, buffers allocated.
            if turn > 0 {
                times.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(CALLS_PER_TURN));
            }
        }
    }
    let names: Vec<&str> = clients.iter().map(|(name, _)| *name).collect();
    drop(clients);
    bench.emulator.shutdown();

    println!("{turns} turns of {CALLS_PER_TURN} calls per client, interleaved; µs per call");
    for (index, name) in names.iter().enumerate() {
        let times = &per_call[index];
        let baseline = &per_call[baseline_of[index]];
        let mut ratios: Vec<f64> = times.iter().zip(baseline).map(|(t, b)| t / b).collect();
        ratios.sort_by(f64::total_cmp);
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        println!(
            "{name:24} fastest {:6.1}  median {:6.1}  ÷ {:14} median of turn ratios {:.3}",
            sorted[0],
            sorted[sorted.len() / 2],
            names[baseline_of[index]],
            ratios[ratios.len() / 2],
        );
    }
    Ok(())
}
