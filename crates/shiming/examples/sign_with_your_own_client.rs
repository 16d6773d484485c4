//! Only the signer, under an HTTP client of your own (here a bare `ureq` agent): what to do
//! when you keep your HTTP stack and want shiming's signatures, byte for byte.
//!
//! Builds wapi's mobile two-element request by hand — parameters sorted by key, empty ones
//! left out, `sign` from `shiming_sign::wapi::sign` — and POSTs it to shiming's local vendor
//! emulator, which checks the signature independently:
//! `cargo run -p shiming --example sign_with_your_own_client`. (The codec's `Operation`s
//! build this request for you, and decode the answer, if you want no more than the I/O.)
#![allow(clippy::print_stdout)]

use std::time::{SystemTime, UNIX_EPOCH};

use shiming::sign::{Secret, UnixTime, wapi};
use shiming_emulator::{Emulator, EmulatorConfig, directory, sandbox};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start_blocking(EmulatorConfig::default())?;
    let secret = Secret::new(sandbox::WAPI_SECRET);
    let person = directory::MOBILE_MATCH;

    // wapi refuses a request whose `time` is off by more than its window: use the real clock.
    let now = UnixTime(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs());
    let time = now.to_string();
    let mut params = vec![
        ("appid", sandbox::WAPI_APPID),
        ("bank_name", person.name),
        ("format", "json"),
        ("mobile", person.number),
        ("time", time.as_str()),
    ];
    params.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let signature = wapi::sign(wapi::AuthMode::Md5, &params, &secret);
    // What was hashed, secret masked: compare it with the vendor's when you get a 10003.
    println!("signed: {}", signature.canonical_masked());

    let mut form = form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(params.iter().copied());
    form.append_pair("sign", signature.value());
    let body = form.finish();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/pyi/108/244", emulator.base_url());
    let mut response = agent
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .send(body.as_bytes())?;
    println!(
        "{} {}",
        response.status(),
        response.body_mut().read_to_string()?
    );
    emulator.shutdown();
    Ok(())
}
