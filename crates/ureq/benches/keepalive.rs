//! What `UreqClient` costs over a bare ureq agent on a keep-alive loopback call.
//!
//! Every line POSTs the same form to one local keep-alive server and reads the whole
//! 300-byte answer (`support/loopback.rs`):
//!
//! - `bare_ureq/default`: `ureq::Agent` with ureq's default configuration (no timeouts). The
//!   baseline; the target is `shiming_ureq/client` ≤ 1.05× this line.
//! - `shiming_ureq/client`: `UreqClient::new()` (10 s connect, 30 s total timeouts, 1 MiB cap).
//! - `bare_ureq/with_timeouts`: a bare agent with the same timeouts and ureq's own resolver and
//!   connector, i.e. the client before the fix: ureq then looks the host up on a new thread on
//!   every call, pooled connection or not (see `src/resolve.rs`).
//!
//! Run: `cargo bench -p shiming-ureq --bench keepalive`. On a busy machine compare the
//! medians, or run `cargo run --release -p shiming-ureq --example keepalive_ratio`, which
//! interleaves the three clients and is steadier. Kept short: the machine is shared.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "support/loopback.rs"]
mod loopback;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use shiming_ureq::UreqClient;

fn keepalive(c: &mut Criterion) {
    let url = loopback::keep_alive_server();
    let bare = loopback::bare_agent();
    let client = UreqClient::new().unwrap();
    let bare_with_timeouts = loopback::bare_agent_with_timeouts();

    let mut group = c.benchmark_group("keepalive_post_300b");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("bare_ureq/default", |b| {
        b.iter(|| black_box(loopback::bare_call(&bare, &url)));
    });
    group.bench_function("shiming_ureq/client", |b| {
        b.iter(|| black_box(loopback::client_call(&client, &url)));
    });
    group.bench_function("bare_ureq/with_timeouts", |b| {
        b.iter(|| black_box(loopback::bare_call(&bare_with_timeouts, &url)));
    });
    group.finish();
}

criterion_group!(benches, keepalive);
criterion_main!(benches);
