//! The guarantee shiming makes about logs, end to end: with
//! `shiming::RECOMMENDED_LOG_DIRECTIVES` added to a filter that is otherwise TRACE for
//! everything, no secret and no unmasked person reaches the logs — not one line, ureq's and
//! ureq-proto's included — from either verifier, POST or GET, in every auth and password
//! mode. (Without the directives ureq leaks at DEBUG/TRACE: `secrets.rs` shows how.)
//!
//! A test binary of its own, because the subscriber (and its filter) is process-wide; the
//! capture, the sentinels and the checks are `secrets.rs`'s.

#[path = "secrets/capture.rs"]
mod capture;
#[allow(dead_code)]
#[path = "secrets/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "transports/flavor.rs"]
mod flavor;

use common::*;
use flavor::{Blocking, Flavor};
use shiming::{Method, RECOMMENDED_LOG_DIRECTIVES};
use tracing_subscriber::EnvFilter;

/// Everything at TRACE, then the recommended directives: what a user following the docs has.
fn filter() -> String {
    format!("trace,{RECOMMENDED_LOG_DIRECTIVES}")
}

/// Installs the process-wide subscriber with [`filter`] (once), the `log` bridge included,
/// and routes this thread's output into a fresh buffer.
fn capture() -> Buffer {
    common::capture(&filter())
}

/// Every line of the logs is clean, and the capture was not vacuous.
#[track_caller]
fn assert_every_line_clean(buffer: &Buffer) -> String {
    let text = assert_logs_clean_in(buffer, str::to_owned);
    for expected in ["shiming.call", "shiming.attempt", "139****4321"] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the logs"
        );
    }
    assert!(
        !text.contains(WIRE_DUMP) && !text.contains(" ureq::"),
        "the directives silence ureq's request logs:\n{text}"
    );
    text
}

/// Every way of configuring a client with GET.
fn all_gets() -> Vec<Variant> {
    Variant::all_posts()
        .into_iter()
        .map(|variant| Variant {
            method: Method::Get,
            ..variant
        })
        .collect()
}

/// The blocking verifier is the one whose transport (ureq) dumps the wire at TRACE.
#[test]
fn blocking_wire_dumps_at_trace_keep_secret_and_person_out() {
    let logs = capture();
    for variant in Variant::all_posts().into_iter().chain(all_gets()) {
        let emu = emulator(variant.emulator_auth(), SECRET, QXT_KEY);
        exercise(
            &Blocking::new(variant.config(emu.base_url(), SECRET, QXT_KEY)).expect("a verifier"),
        );
        let ledger = emu.ledger();
        assert!(
            ledger.wapi.billed > 0 && ledger.qxt.billed > 0,
            "{variant:?}: {ledger:?}"
        );
    }
    assert_every_line_clean(&logs);
}

/// GET puts the name, the number and the signature — in wapi Hash mode and for an ihuyi
/// static password, the secret itself; QXT's apikey always — into the URL. Logs still carry
/// none of it, and the verifier warns (once per process and vendor) that POST would keep it
/// out of URLs — without quoting it.
#[test]
fn get_requests_keep_secret_and_person_out_of_logs() {
    let logs = capture();
    for variant in all_gets() {
        let emu = emulator(variant.emulator_auth(), SECRET, QXT_KEY);
        let config = || variant.config(emu.base_url(), SECRET, QXT_KEY);
        each_flavor(config, |run| run());
        assert!(emu.ledger().wapi.billed > 0, "{variant:?}");
    }
    assert_every_line_clean(&logs);
    let warnings: Vec<String> = everything()
        .text()
        .lines()
        .filter(|line| line.contains("WARN") && line.contains("requests use GET"))
        .map(str::to_owned)
        .collect();
    for vendor in ["wapi", "qxt", "ihuyi"] {
        let warned = warnings
            .iter()
            .filter(|line| line.contains(&format!("vendor={vendor}")))
            .count();
        assert_eq!(warned, 1, "one GET warning for {vendor}: {warnings:#?}");
    }
    for line in &warnings {
        assert!(line.contains("Method::Post"), "recommends POST: {line}");
        assert_no_secret("the GET warning", line);
        assert_no_person("the GET warning", line);
    }
}

/// The default configuration, both verifiers, every mode: every line clean.
#[test]
fn post_requests_of_both_verifiers_keep_secret_and_person_out_of_logs() {
    let logs = capture();
    for variant in Variant::all_posts() {
        let emu = emulator(variant.emulator_auth(), SECRET, QXT_KEY);
        each_flavor(
            || variant.config(emu.base_url(), SECRET, QXT_KEY),
            |run| run(),
        );
    }
    let text = assert_every_line_clean(&logs);
    assert!(
        text.contains(" TRACE ") && text.contains("hyper_util::"),
        "TRACE stays on for everything else (the async transport's records are here)"
    );
}

/// The directives are meant to be appended to the user's own: for the same target the later
/// directive wins, so a broad `ureq=trace` before them is overridden.
#[test]
fn appended_directives_override_the_users_broader_ones() {
    use tracing_subscriber::layer::SubscriberExt;
    let users = "trace,ureq=trace,ureq_proto=trace";
    let filter = EnvFilter::try_new(format!("{users},{RECOMMENDED_LOG_DIRECTIVES}"))
        .expect("valid directives");
    let subscriber = tracing_subscriber::registry().with(filter);
    tracing::subscriber::with_default(subscriber, || {
        assert!(!tracing::enabled!(target: "ureq_proto::util", tracing::Level::TRACE));
        assert!(!tracing::enabled!(target: "ureq::run", tracing::Level::DEBUG));
        assert!(tracing::enabled!(target: "ureq::run", tracing::Level::INFO));
        assert!(tracing::enabled!(target: "shiming", tracing::Level::TRACE));
    });
}
