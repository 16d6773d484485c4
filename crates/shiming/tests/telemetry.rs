//! What the `tracing` spans carry: vendor, operation, attempt, elapsed time, vendor code, and
//! personal data only masked; never a secret, a signature or a raw number.
//!
//! A test binary of its own: `tracing` caches per-callsite interest process-wide, so another
//! test thread hitting the same spans without a subscriber could hide them from this one.

#[path = "secrets/capture.rs"]
mod capture;
#[allow(dead_code)]
#[path = "transports/flavor.rs"]
mod flavor;
#[allow(dead_code)]
#[path = "transports/world.rs"]
mod world;

use capture::Captured;
use flavor::{Blocking, Flavor};
use shiming::Vendor;
use shiming_emulator::{directory, magic, sandbox};
use tracing_subscriber::fmt::format::FmtSpan;
use world::World;

#[test]
fn spans_carry_the_call_and_mask_the_person() {
    let world = World::start();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();

    // The blocking flavor keeps every span on this thread, inside the default subscriber.
    tracing::subscriber::with_default(subscriber, || {
        let verifier = Blocking::new(world.config()).expect("a verifier");
        let person = directory::MOBILE_MATCH;
        verifier
            .mobile_two_elements(person.name, person.number)
            .expect("answered");
        verifier
            .id_two_elements(directory::ID_MATCH.name, directory::ID_MATCH.number)
            .expect("answered");
        verifier
            .mobile_two_elements_with(Vendor::Qxt, "张三", magic::qxt::SYSTEM_ERROR)
            .expect_err("QXT -8");
    });

    let text = captured.text();
    for expected in [
        "shiming.call",
        "shiming.attempt",
        "check=\"mobile_two_elements\"",
        "operation=\"id_two_elements\"",
        "vendor=\"wapi\"",
        "vendor=\"qxt\"",
        "attempt=3",
        "code=\"10000\"",
        "code=\"-8\"",
        "elapsed_us=",
        "张*",
        "186****8888",
        "362536********4456",
        "outcome=\"answered\"",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    for forbidden in [
        directory::MOBILE_MATCH.number,
        directory::ID_MATCH.number,
        "张三",
        sandbox::WAPI_SECRET,
        sandbox::QXT_APIKEY,
        "sign=",
        "apikey=",
    ] {
        assert!(
            !text.contains(forbidden),
            "{forbidden:?} leaked into:\n{text}"
        );
    }
}
