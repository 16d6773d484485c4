//! What shiming costs on top of the HTTP request itself.
//!
//! Each pair sends the same prepared bytes (a signed wapi mobile two-element request) to the
//! same loopback emulator: once with the bare client (reqwest or ureq, the body read and
//! dropped), once through a shiming verifier (build, sign, send, size check, decode, policy,
//! spans). The target is shiming ≤ 1.05× the bare call. Kept short: the machine is shared.
//!
//! Two more lines explain the ratios:
//! - `blocking/bare_ureq_with_timeouts` is the bare ureq agent configured with the connect and
//!   total timeouts every real client needs (shiming-ureq sets them); ureq 3 is markedly
//!   slower on loopback once a timeout is set, which is not the facade's cost.
//! - `no_io/*` runs a verifier over a closure client that returns a canned answer: the
//!   facade's and codec's own CPU time per call (sign, encode, decode, policy, spans).
//!
//! A second group, `vendor_latency_20ms`, sends the same calls to an emulator that waits
//! 20 ms before every answer (a near vendor; real ones answer in 30–300 ms). It is the yardstick
//! for code whose only reason would be loopback speed: a saving that does not show here does
//! not matter to a user.
//!
//! Run: `cargo bench -p shiming --bench overhead`.

mod common;

use common::{Bench, blocking_check};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use shiming_emulator::EmulatorConfig;
use std::hint::black_box;
use std::time::Duration;

/// A group `name` timing the pairs both groups have: each bare client, and the verifier over
/// the transport built on it, sending the same request. `samples` samples after `warm_up`,
/// measured for `measurement`.
fn pairs<'c>(
    c: &'c mut Criterion,
    name: &str,
    bench: &Bench,
    (samples, warm_up, measurement): (usize, Duration, Duration),
) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(samples)
        .warm_up_time(warm_up)
        .measurement_time(measurement);
    let clients = &bench.clients;
    group.bench_function("async/bare_reqwest", |b| {
        b.iter(|| bench.reqwest_call(&clients.bare_reqwest));
    });
    group.bench_function("async/shiming", |b| {
        b.iter(|| black_box(bench.async_check(&clients.verifier)));
    });
    group.bench_function("blocking/bare_ureq", |b| {
        b.iter(|| bench.ureq_call(&clients.bare_ureq));
    });
    group.bench_function("blocking/shiming", |b| {
        b.iter(|| black_box(blocking_check(&clients.blocking)));
    });
    group
}

fn overhead(c: &mut Criterion) {
    let bench = Bench::start(EmulatorConfig::default()).expect("the emulator and clients start");

    let timing = (40, Duration::from_millis(500), Duration::from_secs(2));
    let mut group = pairs(c, "wapi_mobile_two_elements", &bench, timing);
    let bare_ureq_with_timeouts: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(shiming::DEFAULT_TIMEOUT))
        .timeout_connect(Some(shiming::DEFAULT_CONNECT_TIMEOUT))
        .build()
        .into();
    group.bench_function("blocking/bare_ureq_with_timeouts", |b| {
        b.iter(|| bench.ureq_call(&bare_ureq_with_timeouts));
    });

    // The facade's own cost: the same call over a client that answers from memory.
    let answer = bench.ureq_run(bench.http_request());
    let canned = answer.clone();
    let no_io_blocking =
        shiming::blocking::Verifier::with_client(bench.config(), move |_request| {
            Ok::<_, shiming::codec::transport::TransportError>(canned.clone())
        })
        .expect("a verifier");
    group.bench_function("no_io/blocking_shiming", |b| {
        b.iter(|| black_box(blocking_check(&no_io_blocking)));
    });
    let no_io_async = shiming::Verifier::with_client(bench.config(), move |_request| {
        let response = answer.clone();
        async move { Ok::<_, shiming::codec::transport::TransportError>(response) }
    })
    .expect("a verifier");
    group.bench_function("no_io/async_shiming", |b| {
        b.iter(|| black_box(bench.async_check(&no_io_async)));
    });
    group.finish();
    bench.emulator.shutdown();
}

/// The same pairs against a vendor 20 ms away: shiming's transports as they are (ureq with
/// its timeouts, reqwest without a URL cache) against the bare clients without timeouts.
fn vendor_latency(c: &mut Criterion) {
    let emulator = EmulatorConfig::default().latency(Duration::from_millis(20));
    let bench = Bench::start(emulator).expect("the emulator and clients start");

    let timing = (10, Duration::from_millis(300), Duration::from_secs(3));
    pairs(c, "vendor_latency_20ms", &bench, timing).finish();
    bench.emulator.shutdown();
}

criterion_group!(benches, overhead, vendor_latency);
criterion_main!(benches);
