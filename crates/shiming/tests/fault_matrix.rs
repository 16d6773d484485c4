//! The fault matrix: every emulator fault × every vendor operation × both transports, over
//! real HTTP on 127.0.0.1. Each fault must give the right typed outcome (an answer, or an
//! error of the right kind), no panic, no retry of a call that may have been billed — proved
//! on the emulator's ledger — and a verifier that still works afterwards.
//!
//! The expected outcomes are tabled in `docs/fault-matrix.md`. The cases live in
//! `fault_matrix/cases.rs`; the `transports` suite's flavors and world are reused as they are.
//! What that suite already proves for one operation (a reset, a persistent 502, an oversized
//! body, a client clock running late) is proved here for all of them, plus the faults it has
//! no case for (truncated, slow and padded bodies, wrong content type, PHP quirks, the
//! vendor's clock, the rate limit window, a balance running out).

#[allow(dead_code)]
#[path = "transports/flavor.rs"]
mod flavor;
#[allow(dead_code)]
#[path = "transports/world.rs"]
mod world;

#[path = "fault_matrix/cases.rs"]
mod cases;
#[path = "fault_matrix/ops.rs"]
mod ops;

macro_rules! suite {
    ($flavor:ty: $($(#[$meta:meta])* $case:ident),* $(,)?) => {
        $(
            #[test]
            $(#[$meta])*
            fn $case() {
                crate::cases::$case::<$flavor>();
            }
        )*
    };
}

macro_rules! both_transports {
    ($($(#[$meta:meta])* $case:ident),* $(,)?) => {
        mod async_reqwest {
            suite!(crate::flavor::Async: $($(#[$meta])* $case),*);
        }
        mod blocking_ureq {
            suite!(crate::flavor::Blocking: $($(#[$meta])* $case),*);
        }
    };
}

both_transports!(
    connection_reset,
    bad_gateway_once,
    bad_gateway_persistent,
    truncated_body,
    slow_body_within_the_timeout,
    slow_body_past_the_timeout,
    oversized_body,
    padded_body_under_the_cap,
    wrong_content_type,
    php_quirks,
    latency_within_the_timeout,
    latency_past_the_timeout,
    vendor_clock_skew,
    vendor_clock_skew_ihuyi,
    rate_limit,
    balance_running_out,
);
