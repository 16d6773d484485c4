//! `UreqClient` against a bare ureq agent, interleaved, on keep-alive loopback calls.
//!
//! The criterion bench (`benches/keepalive.rs`) runs one client after the other, so a build
//! starting on the shared machine halfway through skews the ratio. This runs the clients in
//! turns of 200 calls each and reports, per client, the fastest and the median turn and their
//! ratios to the bare agent: noise then hits all of them alike.
//!
//! Run: `cargo run --release -p shiming-ureq --example keepalive_ratio [turns]` (default 50
//! turns per client, a few seconds).
#![allow(clippy::print_stdout)]

#[path = "../benches/support/loopback.rs"]
mod loopback;

use std::hint::black_box;
use std::time::Instant;

use shiming_ureq::UreqClient;

const CALLS_PER_TURN: u32 = 200;

/// One keep-alive call, answer dropped.
type Call<'a> = Box<dyn Fn() + 'a>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let turns: usize = match std::env::args().nth(1) {
        Some(turns) => turns.parse::<usize>()?.max(1),
        None => 50,
    };
    let url = loopback::keep_alive_server();
    let bare = loopback::bare_agent();
    let client = UreqClient::new()?;
    let bare_with_timeouts = loopback::bare_agent_with_timeouts();
    let clients: [(&str, Call<'_>); 3] = [
        (
            "bare ureq (default config)",
            Box::new(|| drop(black_box(loopback::bare_call(&bare, &url)))),
        ),
        (
            "UreqClient",
            Box::new(|| drop(black_box(loopback::client_call(&client, &url)))),
        ),
        (
            "bare ureq + UreqClient's timeouts",
            Box::new(|| drop(black_box(loopback::bare_call(&bare_with_timeouts, &url)))),
        ),
    ];

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

    // The fastest turn is the one least disturbed by other work on the machine: its ratio is
    // the steadiest; the median shows what a typical turn cost.
    let mut baseline = None;
    println!(
        "{turns} turns of {CALLS_PER_TURN} calls per client, µs per call (ratio to the first)"
    );
    for ((name, _), mut times) in clients.iter().zip(per_call) {
        times.sort_by(f64::total_cmp);
        let (fastest, median) = (times[0], times[times.len() / 2]);
        let (base_fastest, base_median) = *baseline.get_or_insert((fastest, median));
        println!(
            "{name:34} fastest {fastest:7.1} ({:.3})  median {median:7.1} ({:.3})",
            fastest / base_fastest,
            median / base_median
        );
    }
    Ok(())
}
