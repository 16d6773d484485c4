//! The async verifier: one mobile two-element check and one ID-card check, over reqwest.
//!
//! Runs against shiming's local vendor emulator (sandbox accounts, nothing billed), started
//! in-process: `cargo run -p shiming --example check_async`. For a real vendor, build the
//! config from your account instead (`VerifierConfig::from_env()` reads the `SHIMING_*`
//! variables) — every answered check is then billed.
#![allow(clippy::print_stdout)]

use std::time::Duration;

use shiming::codec::wapi::WapiConfig;
use shiming::{Secret, TransportSettings, Verdict, Verifier, VerifierConfig};
use shiming_emulator::{Emulator, EmulatorConfig, directory, sandbox};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default()).await?;

    // wapi's host is per account; the emulator plays it on 127.0.0.1.
    let wapi = WapiConfig::new(
        emulator.base_url(),
        sandbox::WAPI_APPID,
        Secret::new(sandbox::WAPI_SECRET),
    )?;
    let config = VerifierConfig::new()
        .wapi(wapi)
        .transport(TransportSettings::default().timeout(Duration::from_secs(10)));
    // Build one verifier and share it (`Arc`, or clone its handle): it owns the pool.
    let verifier = Verifier::new(config)?;

    let person = directory::MOBILE_MATCH;
    let checked = verifier
        .mobile_two_elements(person.name, person.number)
        .await?;
    let verdict = match checked.answer.verdict {
        Verdict::Match => "the mobile number belongs to this name",
        Verdict::Mismatch => "the mobile number belongs to someone else",
        Verdict::NotFound => "no record",
    };
    println!(
        "mobile check by {}: {verdict} (billed: {})",
        checked.vendor, checked.billed
    );

    let person = directory::ID_MATCH;
    match verifier.id_two_elements(person.name, person.number).await {
        Ok(checked) => println!("ID check: {:?}", checked.answer.verdict),
        // Errors say whether the call may have been billed before you decide to retry.
        Err(error) => println!(
            "ID check failed: {error} (may have been billed: {})",
            error.may_have_been_billed()
        ),
    }
    Ok(())
}
