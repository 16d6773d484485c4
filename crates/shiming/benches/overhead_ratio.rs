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

use shiming::codec::Operation;
use shiming::codec::wapi::{MobileTwoElements, WapiConfig};
use shiming::{Clock, Secret, SystemClock, Vendor, VerifierConfig};
use shiming_emulator::{Emulator, EmulatorConfig, directory, sandbox};
use std::hint::black_box;
use std::time::{Duration, Instant};

const CALLS_PER_TURN: u32 = 200;

/// One call, answer dropped; panics on failure (this is a measurement, not a client).
type Call<'a> = Box<dyn Fn() + 'a>;

fn wapi_config(base_url: &str) -> Result<WapiConfig, Box<dyn std::error::Error>> {
    Ok(WapiConfig::new(
        base_url,
        sandbox::WAPI_APPID,
        Secret::new(sandbox::WAPI_SECRET),
    )?)
}

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
    let emulator = Emulator::start_blocking(EmulatorConfig::default().rate_limit(None))?;
    let base_url = emulator.base_url().to_owned();
    let person = directory::MOBILE_MATCH;
    let check = MobileTwoElements::new(person.name, person.number);
    let wapi = wapi_config(&base_url)?;
    // The same prepared bytes for every bare call, as in the criterion benchmark.
    let request = check.prepare(&wapi, SystemClock.now())?;
    let url = request.uri().to_string();
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or("a form content type")?
        .to_owned();
    let body = request.body().clone();
    let config = || wapi_config(&base_url).map(|wapi| VerifierConfig::new().wapi(wapi));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (verifier, bare_reqwest, bare_reqwest_with_timeouts) = {
        let _context = runtime.enter();
        let verifier = shiming::Verifier::new(config()?)?;
        shiming_test_support::install_ring_provider();
        let bare = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let with_timeouts = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(shiming::DEFAULT_CONNECT_TIMEOUT)
            .timeout(shiming::DEFAULT_TIMEOUT)
            .build()?;
        (verifier, bare, with_timeouts)
    };
    let reqwest_call = |client: &reqwest::Client| {
        runtime.block_on(async {
            let response = client
                .post(&url)
                .header(http::header::CONTENT_TYPE, &content_type)
                .body(body.clone())
                .send()
                .await
                .expect("sent");
            black_box(response.bytes().await.expect("read"));
        });
    };
    let blocking = shiming::blocking::Verifier::new(config()?)?;
    let bare_ureq: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let ureq_call = |request: http::Request<Vec<u8>>| {
        let mut response = bare_ureq.run(request).expect("sent");
        let bytes = response.body_mut().read_to_vec().expect("read");
        let mut answer = http::Response::new(bytes);
        *answer.status_mut() = response.status();
        answer
    };
    let bare_ureq_call = || {
        let mut response = bare_ureq
            .post(&url)
            .header(http::header::CONTENT_TYPE, &content_type)
            .send(&body[..])
            .expect("sent");
        black_box(response.body_mut().read_to_vec().expect("read"));
    };

    // Pairs: (baseline, contender). The ratio is contender ÷ baseline per turn.
    let clients: [(&str, Call<'_>); 7] = [
        ("bare reqwest", Box::new(|| reqwest_call(&bare_reqwest))),
        (
            "shiming async",
            Box::new(|| {
                let checked = runtime.block_on(verifier.mobile_two_elements_with(
                    Vendor::Wapi,
                    person.name,
                    person.number,
                ));
                black_box(checked.expect("answered"));
            }),
        ),
        (
            "bare reqwest + timeouts",
            Box::new(|| reqwest_call(&bare_reqwest_with_timeouts)),
        ),
        ("bare ureq", Box::new(bare_ureq_call)),
        (
            "shiming blocking",
            Box::new(|| {
                let checked =
                    blocking.mobile_two_elements_with(Vendor::Wapi, person.name, person.number);
                black_box(checked.expect("answered"));
            }),
        ),
        (
            "bare ureq + codec",
            Box::new(|| {
                let request = check.prepare(&wapi, SystemClock.now()).expect("a request");
                let response = ureq_call(request);
                black_box(check.decode(&response).expect("decoded"));
            }),
        ),
        (
            "bare ureq + spin 4 µs",
            Box::new(|| {
                spin(Duration::from_micros(4));
                bare_ureq_call();
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
    emulator.shutdown();

    println!("{turns} turns of {CALLS_PER_TURN} calls per client, interleaved; µs per call");
    for (index, (name, _)) in clients.iter().enumerate() {
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
            clients[baseline_of[index]].0,
            ratios[ratios.len() / 2],
        );
    }
    Ok(())
}
