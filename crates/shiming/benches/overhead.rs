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

use criterion::{Criterion, criterion_group, criterion_main};
use shiming::codec::Operation;
use shiming::codec::wapi::{MobileTwoElements, WapiConfig};
use shiming::{Clock, Secret, SystemClock, Vendor, VerifierConfig};
use shiming_emulator::{Emulator, EmulatorConfig, directory, sandbox};
use std::hint::black_box;
use std::time::Duration;

fn wapi_config(base_url: &str) -> WapiConfig {
    WapiConfig::new(
        base_url,
        sandbox::WAPI_APPID,
        Secret::new(sandbox::WAPI_SECRET),
    )
    .expect("a valid wapi config")
}

fn overhead(c: &mut Criterion) {
    // No rate limit: the benchmark asks about the same number thousands of times.
    let emulator = Emulator::start_blocking(EmulatorConfig::default().rate_limit(None))
        .expect("the emulator starts");
    let base_url = emulator.base_url().to_owned();
    let person = directory::MOBILE_MATCH;

    // The exact request a shiming call sends, prepared once for the bare clients.
    let check = MobileTwoElements::new(person.name, person.number);
    let request = check
        .prepare(&wapi_config(&base_url), SystemClock.now())
        .expect("a request");
    let url = request.uri().to_string();
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .expect("a form content type")
        .to_owned();
    let body = request.body().clone();
    let config = || VerifierConfig::new().wapi(wapi_config(&base_url));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (verifier, bare_reqwest) = {
        let _context = runtime.enter();
        let verifier = shiming::Verifier::new(config()).expect("an async verifier");
        shiming_test_support::install_ring_provider();
        let bare = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        (verifier, bare)
    };
    let blocking = shiming::blocking::Verifier::new(config()).expect("a blocking verifier");
    let bare_ureq: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();

    let mut group = c.benchmark_group("wapi_mobile_two_elements");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));

    group.bench_function("async/bare_reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = bare_reqwest
                    .post(&url)
                    .header(http::header::CONTENT_TYPE, &content_type)
                    .body(body.clone())
                    .send()
                    .await
                    .expect("sent");
                black_box(response.bytes().await.expect("read"))
            })
        });
    });
    group.bench_function("async/shiming", |b| {
        b.iter(|| {
            let checked = runtime
                .block_on(verifier.mobile_two_elements_with(
                    Vendor::Wapi,
                    person.name,
                    person.number,
                ))
                .expect("answered");
            black_box(checked)
        });
    });
    group.bench_function("blocking/bare_ureq", |b| {
        b.iter(|| {
            let mut response = bare_ureq
                .post(&url)
                .header(http::header::CONTENT_TYPE, &content_type)
                .send(&body[..])
                .expect("sent");
            black_box(response.body_mut().read_to_vec().expect("read"))
        });
    });
    let bare_ureq_with_timeouts: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(shiming::DEFAULT_TIMEOUT))
        .timeout_connect(Some(shiming::DEFAULT_CONNECT_TIMEOUT))
        .build()
        .into();
    group.bench_function("blocking/bare_ureq_with_timeouts", |b| {
        b.iter(|| {
            let mut response = bare_ureq_with_timeouts
                .post(&url)
                .header(http::header::CONTENT_TYPE, &content_type)
                .send(&body[..])
                .expect("sent");
            black_box(response.body_mut().read_to_vec().expect("read"))
        });
    });
    group.bench_function("blocking/shiming", |b| {
        b.iter(|| {
            let checked = blocking
                .mobile_two_elements_with(Vendor::Wapi, person.name, person.number)
                .expect("answered");
            black_box(checked)
        });
    });

    // The facade's own cost: the same call over a client that answers from memory.
    let answer = {
        let mut response = bare_ureq.run(request).expect("sent");
        let bytes = response.body_mut().read_to_vec().expect("read");
        let mut canned = http::Response::new(bytes);
        *canned.status_mut() = response.status();
        canned
    };
    let canned = answer.clone();
    let no_io_blocking = shiming::blocking::Verifier::with_client(config(), move |_request| {
        Ok::<_, shiming::codec::transport::TransportError>(canned.clone())
    })
    .expect("a verifier");
    group.bench_function("no_io/blocking_shiming", |b| {
        b.iter(|| {
            black_box(
                no_io_blocking
                    .mobile_two_elements_with(Vendor::Wapi, person.name, person.number)
                    .expect("answered"),
            )
        });
    });
    let no_io_async = shiming::Verifier::with_client(config(), move |_request| {
        let response = answer.clone();
        async move { Ok::<_, shiming::codec::transport::TransportError>(response) }
    })
    .expect("a verifier");
    group.bench_function("no_io/async_shiming", |b| {
        b.iter(|| {
            black_box(
                runtime
                    .block_on(no_io_async.mobile_two_elements_with(
                        Vendor::Wapi,
                        person.name,
                        person.number,
                    ))
                    .expect("answered"),
            )
        });
    });
    group.finish();
    emulator.shutdown();
}

/// The same pairs against a vendor 20 ms away: shiming's transports as they are (ureq with
/// its timeouts, reqwest without a URL cache) against the bare clients without timeouts.
fn vendor_latency(c: &mut Criterion) {
    let emulator = Emulator::start_blocking(
        EmulatorConfig::default()
            .rate_limit(None)
            .latency(Duration::from_millis(20)),
    )
    .expect("the emulator starts");
    let base_url = emulator.base_url().to_owned();
    let person = directory::MOBILE_MATCH;
    let request = MobileTwoElements::new(person.name, person.number)
        .prepare(&wapi_config(&base_url), SystemClock.now())
        .expect("a request");
    let url = request.uri().to_string();
    let body = request.body().clone();
    let content_type = "application/x-www-form-urlencoded";
    let config = || VerifierConfig::new().wapi(wapi_config(&base_url));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (verifier, bare_reqwest) = {
        let _context = runtime.enter();
        shiming_test_support::install_ring_provider();
        let verifier = shiming::Verifier::new(config()).expect("an async verifier");
        let bare = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        (verifier, bare)
    };
    let blocking = shiming::blocking::Verifier::new(config()).expect("a blocking verifier");
    let bare_ureq: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();

    let mut group = c.benchmark_group("vendor_latency_20ms");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("async/bare_reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = bare_reqwest
                    .post(&url)
                    .header(http::header::CONTENT_TYPE, content_type)
                    .body(body.clone())
                    .send()
                    .await
                    .expect("sent");
                black_box(response.bytes().await.expect("read"))
            })
        });
    });
    group.bench_function("async/shiming", |b| {
        b.iter(|| {
            black_box(
                runtime
                    .block_on(verifier.mobile_two_elements_with(
                        Vendor::Wapi,
                        person.name,
                        person.number,
                    ))
                    .expect("answered"),
            )
        });
    });
    group.bench_function("blocking/bare_ureq", |b| {
        b.iter(|| {
            let mut response = bare_ureq
                .post(&url)
                .header(http::header::CONTENT_TYPE, content_type)
                .send(&body[..])
                .expect("sent");
            black_box(response.body_mut().read_to_vec().expect("read"))
        });
    });
    group.bench_function("blocking/shiming", |b| {
        b.iter(|| {
            black_box(
                blocking
                    .mobile_two_elements_with(Vendor::Wapi, person.name, person.number)
                    .expect("answered"),
            )
        });
    });
    group.finish();
    emulator.shutdown();
}

criterion_group!(benches, overhead, vendor_latency);
criterion_main!(benches);
