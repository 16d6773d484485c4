//! Every case, written once and run against both transports (see `main.rs`).

use crate::flavor::Flavor;
use crate::world::{LateClock, World, closed_port_url, config_at};
use shiming::codec::taxonomy::classify_message;
use shiming::codec::wapi::WapiConfig;
use shiming::{
    ErrorKind, Kind, RetryPolicy, Secret, StatusAnswer, TransportSettings, Vendor, Verdict,
};
use shiming_emulator::{directory, magic, sandbox};
use std::time::Duration;

/// Attempts per vendor in [`World::config`] (the default policy).
const MAX_ATTEMPTS: u32 = 3;

pub(crate) fn every_operation_answers<F: Flavor>() {
    let world = World::start();
    let verifier = F::over(world.config());

    let person = directory::MOBILE_MATCH;
    let checked = verifier.check_mobile(person).expect("wapi answers");
    assert_eq!(
        (checked.vendor, checked.answer.verdict),
        (Vendor::Wapi, Verdict::Match)
    );
    assert_eq!(
        (checked.code.as_str(), checked.billed, checked.attempts),
        ("10000", true, 1)
    );

    let person = directory::MOBILE_MISMATCH;
    let checked = verifier
        .mobile_two_elements_with(Vendor::Qxt, person.name, person.number)
        .expect("QXT answers");
    assert_eq!(
        (checked.vendor, checked.answer.verdict),
        (Vendor::Qxt, Verdict::Mismatch)
    );
    assert_eq!((checked.code.as_str(), checked.billed), ("0", true));

    let person = directory::ID_MATCH;
    let checked = verifier
        .id_two_elements(person.name, person.number)
        .expect("wapi answers");
    assert_eq!(checked.answer.verdict, Verdict::Match);

    let checked = verifier
        .mobile_status(directory::MOBILE_PORTED.number)
        .expect("ihuyi answers");
    assert_eq!(
        (checked.vendor, checked.code.as_str()),
        (Vendor::Ihuyi, "2")
    );
    let StatusAnswer::Found(status) = checked.answer else {
        panic!("a found status, got {:?}", checked.answer);
    };
    assert_eq!(status.ported, Some(true));

    let before = verifier.balance().expect("ihuyi answers").answer.remaining;
    verifier
        .mobile_status(directory::MOBILE_MATCH.number)
        .expect("ihuyi answers");
    let after = verifier.balance().expect("ihuyi answers").answer.remaining;
    assert_eq!(before - after, 1, "a status check costs one call");

    for (vendor, operation) in [
        (Vendor::Wapi, "mobile_two_elements"),
        (Vendor::Qxt, "mobile_two_elements"),
        (Vendor::Wapi, "id_two_elements"),
    ] {
        let ledger = world.ledger(vendor, operation);
        assert_eq!(
            (ledger.requests, ledger.billed),
            (1, 1),
            "{vendor} {operation}"
        );
    }
    assert_eq!(world.ledger(Vendor::Ihuyi, "mobile_status").billed, 2);
    assert_eq!(world.ledger(Vendor::Ihuyi, "balance").billed, 0);
}

pub(crate) fn verdicts_are_answers_not_errors<F: Flavor>() {
    let world = World::start();
    let verifier = F::over(world.config());
    let nobody = directory::MOBILE_NOT_FOUND;
    for vendor in [Vendor::Wapi, Vendor::Qxt] {
        let checked = verifier
            .mobile_two_elements_with(vendor, nobody.name, nobody.number)
            .expect("not found is an answer");
        assert_eq!(checked.answer.verdict, Verdict::NotFound, "{vendor}");
        assert!(!checked.billed, "{vendor}: not found is not billed");
    }
    let checked = verifier.mobile_status(nobody.number).expect("an answer");
    assert_eq!(checked.answer, StatusAnswer::NotFound);
}

/// Every documented code the emulator can be made to answer, through the whole stack: the
/// error's kind is the taxonomy's, retries happen exactly when the code is unbilled and
/// retryable, and the emulator's ledger saw exactly that many requests.
pub(crate) fn every_documented_refusal_maps_to_its_kind<F: Flavor>() {
    let world = World::start();
    let verifier = F::over(world.config());
    let mut requests = std::collections::BTreeMap::<(Vendor, &str), u64>::new();
    let mut check =
        |vendor: Vendor, operation: &'static str, code: i64, result: Result<_, shiming::Error>| {
            let sent = match result {
                Ok(checked) => {
                    let checked: shiming::Checked<()> = checked;
                    let info = shiming::codec::classify(vendor, &code.to_string());
                    assert_eq!(info.kind, None, "{vendor} {code} answered");
                    assert!(
                        !checked.billed,
                        "{vendor} {code}: magic codes are never billed"
                    );
                    checked.attempts
                }
                Err(error) => {
                    let error: shiming::Error = error;
                    let info = classify_message(
                        vendor,
                        &code.to_string(),
                        error.vendor_message().unwrap_or(""),
                    );
                    let kind = info.kind.expect("a refusal kind");
                    assert_eq!(
                        error.kind(),
                        ErrorKind::Vendor(kind),
                        "{vendor} {code}: {error}"
                    );
                    assert_eq!(error.vendor(), Some(vendor));
                    assert_eq!(error.vendor_code(), Some(code.to_string().as_str()));
                    assert!(!error.may_have_been_billed(), "{vendor} {code}");
                    let expected = if kind == Kind::ClockSkew {
                        // The magic input forces 10004 / 40501 while the emulator's clock
                        // agrees with ours: there is nothing to correct, so no second request.
                        1
                    } else if info.retryable {
                        MAX_ATTEMPTS
                    } else {
                        1
                    };
                    assert_eq!(error.attempts(), expected, "{vendor} {code}: {error}");
                    error.attempts()
                }
            };
            *requests.entry((vendor, operation)).or_default() += u64::from(sent);
        };

    use magic::{ihuyi, qxt, wapi};
    for (vendor, operation, table) in [
        (Vendor::Wapi, "mobile_two_elements", wapi::mobile::ALL),
        (Vendor::Wapi, "id_two_elements", wapi::id::ALL),
        (Vendor::Qxt, "mobile_two_elements", qxt::ALL),
        (Vendor::Ihuyi, "mobile_status", ihuyi::ALL),
    ] {
        for &(code, input) in table {
            let result = match operation {
                "id_two_elements" => unit(verifier.id_two_elements("张三", input)),
                "mobile_status" => unit(verifier.mobile_status(input)),
                _ => unit(verifier.mobile_two_elements_with(vendor, "张三", input)),
            };
            check(vendor, operation, code, result);
        }
    }
    for ((vendor, operation), sent) in requests {
        let ledger = world.ledger(vendor, operation);
        assert_eq!(
            ledger.requests, sent,
            "{vendor} {operation}: requests the server counted"
        );
        assert_eq!(ledger.billed, 0, "{vendor} {operation}");
    }
}

pub(crate) fn input_and_configuration_errors_send_nothing<F: Flavor>() {
    let world = World::start();
    let verifier = F::over(world.config());
    let error = verifier
        .mobile_two_elements("", directory::MOBILE_MATCH.number)
        .expect_err("an empty name is refused");
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.attempts(), 0);
    let error = verifier
        .mobile_two_elements_with(Vendor::Ihuyi, "张三", directory::MOBILE_MATCH.number)
        .expect_err("ihuyi has no two-element check");
    assert_eq!(error.kind(), ErrorKind::NotConfigured);
    assert_eq!(
        world.ledger(Vendor::Wapi, "mobile_two_elements").requests,
        0
    );

    let mut config = world.config();
    config.wapi = None;
    config.ihuyi = None;
    let only_qxt = F::over(config);
    let error = only_qxt.balance().expect_err("ihuyi is not configured");
    assert_eq!(
        (error.kind(), error.vendor()),
        (ErrorKind::NotConfigured, Some(Vendor::Ihuyi))
    );
    let checked = only_qxt
        .check_mobile(directory::MOBILE_MATCH)
        .expect("the chain is QXT alone");
    assert_eq!(checked.vendor, Vendor::Qxt);

    let error = F::new(world.config().mobile_vendors([Vendor::Qxt, Vendor::Qxt]))
        .err()
        .expect("a vendor twice in the chain is refused");
    assert_eq!(error.kind(), ErrorKind::NotConfigured);
}

pub(crate) fn error_pages_are_retried_and_counted_by_the_server<F: Flavor>() {
    let world = World::with_faults("502,times=2");
    let verifier = F::over(world.config());
    let person = directory::MOBILE_MATCH;
    let checked = verifier
        .mobile_two_elements_with(Vendor::Wapi, person.name, person.number)
        .expect("the third attempt is answered");
    assert_eq!(checked.attempts, 3);
    let ledger = world.ledger(Vendor::Wapi, "mobile_two_elements");
    assert_eq!((ledger.requests, ledger.faulted, ledger.billed), (3, 2, 1));
}

pub(crate) fn persistent_error_pages_become_decode_errors<F: Flavor>() {
    let world = World::with_faults("502");
    let verifier = F::over(world.config());
    let error = verifier
        .mobile_status(directory::MOBILE_MATCH.number)
        .expect_err("never answered");
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.attempts(), MAX_ATTEMPTS);
    assert!(!error.may_have_been_billed());
    assert!(error.retryable());
    assert_eq!(world.ledger(Vendor::Ihuyi, "mobile_status").requests, 3);
}

pub(crate) fn a_broken_connection_after_sending_is_not_retried<F: Flavor>() {
    let world = World::with_faults("reset");
    let verifier = F::over(world.config());
    let error = verifier
        .id_two_elements(directory::ID_MATCH.name, directory::ID_MATCH.number)
        .expect_err("reset");
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.may_have_been_billed(), "{error}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(world.ledger(Vendor::Wapi, "id_two_elements").requests, 1);
}

pub(crate) fn clock_skew_is_corrected_once_and_remembered<F: Flavor>() {
    let world = World::start();
    let config = world.config().clock(LateClock { behind: 3_600 });
    let verifier = F::over(config);
    let person = directory::MOBILE_MATCH;

    // wapi: 10004, learned from the answer's `time` field.
    let checked = verifier
        .mobile_two_elements_with(Vendor::Wapi, person.name, person.number)
        .expect("answered after the correction");
    assert_eq!(checked.attempts, 2);
    let checked = verifier
        .id_two_elements(directory::ID_MATCH.name, directory::ID_MATCH.number)
        .expect("the offset is kept for later calls");
    assert_eq!(checked.attempts, 1);

    // ihuyi: 40501, learned from the HTTP Date header.
    let checked = verifier
        .mobile_status(person.number)
        .expect("answered after the correction");
    assert_eq!(checked.attempts, 2);
    assert_eq!(verifier.balance().expect("answered").attempts, 1);

    let wapi = world.ledger(Vendor::Wapi, "mobile_two_elements");
    assert_eq!((wapi.requests, wapi.billed), (2, 1));
    let ihuyi = world.ledger(Vendor::Ihuyi, "mobile_status");
    assert_eq!((ihuyi.requests, ihuyi.billed), (2, 1));
}

pub(crate) fn failover_moves_on_after_unbilled_upstream_trouble<F: Flavor>() {
    let world = World::start();
    let verifier = F::over(world.config());
    let checked = verifier
        .mobile_two_elements("张三", magic::wapi::mobile::SERVER_ERROR)
        .expect("QXT answers when wapi keeps failing");
    assert_eq!(checked.vendor, Vendor::Qxt);
    assert_eq!(checked.attempts, MAX_ATTEMPTS + 1);
    assert_eq!(
        world.ledger(Vendor::Wapi, "mobile_two_elements").requests,
        3
    );
    assert_eq!(world.ledger(Vendor::Qxt, "mobile_two_elements").requests, 1);

    // Nothing listens where wapi should be: connect errors, then QXT.
    let mut config = world.config();
    config.wapi = Some(
        WapiConfig::new(
            &closed_port_url(),
            sandbox::WAPI_APPID,
            Secret::new(sandbox::WAPI_SECRET),
        )
        .expect("a valid config"),
    );
    let verifier = F::over(config);
    let person = directory::MOBILE_MATCH;
    let checked = verifier.check_mobile(person).expect("QXT answers");
    assert_eq!(
        (checked.vendor, checked.attempts),
        (Vendor::Qxt, MAX_ATTEMPTS + 1)
    );
}

pub(crate) fn failover_never_moves_on_after_a_verdict_a_refusal_or_a_possible_bill<F: Flavor>() {
    let world = World::start();
    let verifier = F::over(world.config());
    let person = directory::MOBILE_MISMATCH;
    let checked = verifier
        .check_mobile(person)
        .expect("a mismatch is an answer");
    assert_eq!(
        (checked.vendor, checked.answer.verdict),
        (Vendor::Wapi, Verdict::Mismatch)
    );
    for mobile in [
        magic::wapi::mobile::RATE_LIMITED,
        magic::wapi::mobile::BALANCE_EXHAUSTED,
        magic::wapi::mobile::SIGN_INVALID,
    ] {
        let error = verifier
            .mobile_two_elements("张三", mobile)
            .expect_err("a refusal");
        assert_eq!(error.vendor(), Some(Vendor::Wapi), "{error}");
    }
    assert_eq!(world.ledger(Vendor::Qxt, "mobile_two_elements").requests, 0);

    // A timeout after sending may have been billed: reported, unless the caller opts in.
    let slow_first = || World::with_faults("latency=1500,times=1");
    let options = TransportSettings::default().timeout(Duration::from_millis(400));
    let world = slow_first();
    let verifier = F::over(world.config().transport(options.clone()));
    let error = verifier
        .check_mobile(person)
        .expect_err("the timeout is reported");
    assert!(
        error.is_timeout() && error.may_have_been_billed(),
        "{error}"
    );
    assert_eq!((error.vendor(), error.attempts()), (Some(Vendor::Wapi), 1));
    assert_eq!(world.ledger(Vendor::Qxt, "mobile_two_elements").requests, 0);

    let world = slow_first();
    let config = world
        .config()
        .transport(options)
        .failover_when_possibly_billed(true);
    let verifier = F::over(config);
    let checked = verifier
        .check_mobile(person)
        .expect("the opt-in moves on to QXT");
    assert_eq!((checked.vendor, checked.attempts), (Vendor::Qxt, 2));
}

pub(crate) fn an_oversized_body_is_an_error_not_an_allocation<F: Flavor>() {
    let world = World::with_faults("oversized=2000000");
    let config = world
        .config()
        .transport(TransportSettings::default().max_response_bytes(64 * 1024));
    let verifier = F::over(config);
    let person = directory::MOBILE_MATCH;
    let error = verifier
        .mobile_two_elements_with(Vendor::Qxt, person.name, person.number)
        .expect_err("too large");
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(
        !error.retryable() && error.may_have_been_billed(),
        "{error}"
    );
    assert_eq!(error.attempts(), 1);
    // The vendor answered (and billed) before the body was refused: that is why it is not retried.
    let ledger = world.ledger(Vendor::Qxt, "mobile_two_elements");
    assert_eq!((ledger.requests, ledger.billed), (1, 1));
}

pub(crate) fn timeouts_are_reported_not_retried_unless_opted_in<F: Flavor>() {
    let world = World::with_faults("latency=1000");
    let options = TransportSettings::default().timeout(Duration::from_millis(300));
    let verifier = F::over(world.config().transport(options.clone()));
    let error = verifier.balance().expect_err("times out");
    assert!(error.is_timeout() && !error.is_connect(), "{error}");
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(error.attempts(), 1);

    let retry = RetryPolicy::default()
        .delays(Duration::from_millis(1), Duration::from_millis(1))
        .max_attempts(2)
        .retry_timeouts_after_send(true);
    let verifier = F::over(world.config().transport(options).retry(retry));
    let error = verifier.balance().expect_err("times out twice");
    assert_eq!(error.attempts(), 2);
    assert_eq!(world.ledger(Vendor::Ihuyi, "balance").requests, 3);
}

pub(crate) fn connect_failures_are_retried_and_never_billed<F: Flavor>() {
    let verifier = F::over(config_at(&closed_port_url()));
    let error = verifier
        .id_two_elements(directory::ID_MATCH.name, directory::ID_MATCH.number)
        .expect_err("nothing listens");
    assert!(error.is_connect(), "{error}");
    assert!(!error.may_have_been_billed());
    assert_eq!(error.attempts(), MAX_ATTEMPTS);
}

pub(crate) fn extra_root_certificates_reach_the_transport<F: Flavor>() {
    let options = TransportSettings::default().add_root_certificates_pem(b"not a certificate");
    let error = F::new(config_at("https://127.0.0.1:1").transport(options))
        .err()
        .expect("the transport refuses a PEM without certificates");
    assert_eq!(error.kind(), ErrorKind::NotConfigured);
    assert!(
        error.to_string().contains("root certificate PEM #1"),
        "{error}"
    );
}

/// An answer with its payload dropped, for checks that look only at the envelope.
fn unit<T>(
    result: Result<shiming::Checked<T>, shiming::Error>,
) -> Result<shiming::Checked<()>, shiming::Error> {
    result.map(|checked| checked.map(|_| ()))
}
