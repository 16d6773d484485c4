//! One integration suite, run against BOTH transports over real HTTP on 127.0.0.1: the
//! emulator stands in for the vendors and its ledger counts what reached the server.
//!
//! Each case in `cases.rs` is generic over [`flavor::Flavor`]; the macro below instantiates
//! every case once for the async verifier (reqwest) and once for the blocking one (ureq).

mod cases;
mod closures;
mod flavor;
mod world;

macro_rules! suite {
    ($flavor:ty: $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                crate::cases::$case::<$flavor>();
            }
        )*
    };
}

macro_rules! both_transports {
    ($($case:ident),* $(,)?) => {
        mod async_reqwest {
            suite!(crate::flavor::Async: $($case),*);
        }
        mod blocking_ureq {
            suite!(crate::flavor::Blocking: $($case),*);
        }
    };
}

both_transports!(
    every_operation_answers,
    verdicts_are_answers_not_errors,
    every_documented_refusal_maps_to_its_kind,
    input_and_configuration_errors_send_nothing,
    error_pages_are_retried_and_counted_by_the_server,
    persistent_error_pages_become_decode_errors,
    a_broken_connection_after_sending_is_not_retried,
    clock_skew_is_corrected_once_and_remembered,
    failover_moves_on_after_unbilled_upstream_trouble,
    failover_never_moves_on_after_a_verdict_a_refusal_or_a_possible_bill,
    an_oversized_body_is_an_error_not_an_allocation,
    timeouts_are_reported_not_retried_unless_opted_in,
    connect_failures_are_retried_and_never_billed,
    extra_root_certificates_reach_the_transport,
);
