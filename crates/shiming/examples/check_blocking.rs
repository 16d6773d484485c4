//! The blocking verifier: a mobile two-element check with failover (wapi, then QXT), over
//! ureq, no async runtime needed.
//!
//! Runs against shiming's local vendor emulator (sandbox accounts, nothing billed), started
//! in-process: `cargo run -p shiming --example check_blocking`. For a real
//! vendor, build the config from your account instead (`VerifierConfig::from_env()` reads the
//! `SHIMING_*` variables) — every answered check is then billed.
#![allow(clippy::print_stdout)]

use shiming::blocking::Verifier;
use shiming::codec::qxt::QxtConfig;
use shiming::codec::wapi::WapiConfig;
use shiming::{RetryPolicy, Secret, Vendor, VerifierConfig};
use shiming_emulator::{Emulator, EmulatorConfig, directory, sandbox};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start_blocking(EmulatorConfig::default())?;
    let base_url = emulator.base_url();

    let wapi = WapiConfig::new(
        base_url,
        sandbox::WAPI_APPID,
        Secret::new(sandbox::WAPI_SECRET),
    )?;
    let qxt = QxtConfig::new(Secret::new(sandbox::QXT_APIKEY)).with_base_url(base_url)?;
    let config = VerifierConfig::new()
        .wapi(wapi)
        .qxt(qxt)
        // Failover moves on only after trouble that cannot have been billed.
        .mobile_vendors([Vendor::Wapi, Vendor::Qxt])
        .retry(RetryPolicy::default().max_attempts(2));
    let verifier = Verifier::new(config)?;

    for person in [directory::MOBILE_MATCH, directory::MOBILE_MATCH_2] {
        let checked = verifier.mobile_two_elements(person.name, person.number)?;
        println!(
            "{} answered {:?} (code {}, billed: {}, {} request(s))",
            checked.vendor, checked.answer.verdict, checked.code, checked.billed, checked.attempts
        );
    }
    emulator.shutdown();
    Ok(())
}
