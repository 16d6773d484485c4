//! One case per emulator fault, written once, run for both transports (see `fault_matrix.rs`)
//! and, inside each case, for every operation of [`Op::ALL`].
//!
//! Each case arms the fault as the emulator's global plan, zeroes the ledger, makes ONE call
//! through a fresh verifier and then checks three things: the typed outcome (answer, or an
//! error of the right kind with the right money flags), the number of requests the call says
//! it sent, and what the emulator's ledger counted — requests, faults, billed calls. The ledger
//! is what proves "no retry of a call that may have been billed": a retry would be a second
//! request on it. Finally the same verifier makes a clean call, which must be answered: no
//! fault may leave a transport with a poisoned connection pool.
//!
//! The table in `docs/fault-matrix.md` is this file in prose; keep them together.

use crate::flavor::Flavor;
use crate::ops::{Op, Outcome, ledger};
use crate::world::World;
use shiming::{Error, ErrorKind, Kind, TransportSettings, Vendor};
use shiming_emulator::{EmulatorConfig, Faults, OperationLedger, RateLimit, WapiExhaustion};
use shiming_emulator::{Vendor as EmulatorVendor, directory};
use shiming_test_support::vendor_codes::balance_used_up;
use std::time::Duration;

/// Attempts per vendor in `World::config` (the default retry policy).
const MAX_ATTEMPTS: u32 = 3;

/// What one faulted call came to, and what the emulator saw of it.
struct Strike {
    op: Op,
    result: Result<Outcome, Error>,
    ledger: OperationLedger,
}

/// Runs `op` once with `spec` as the emulator's fault plan, then once more without it.
fn strike<F: Flavor>(world: &World, op: Op, spec: &str, options: TransportSettings) -> Strike {
    let verifier = F::over(op.config(world, options));
    world.emulator.reset_ledger();
    world
        .emulator
        .set_faults(Faults::parse(spec).expect("a valid fault spec"));
    let result = op.call(&verifier);
    world.emulator.set_faults(Faults::none());
    let counted = ledger(world, op);
    let clean = op
        .call(&verifier)
        .unwrap_or_else(|e| panic!("{op:?} after `{spec}`: the next clean call fails: {e}"));
    assert_eq!(clean.attempts, 1, "{op:?} after `{spec}`");
    Strike {
        op,
        result,
        ledger: counted,
    }
}

impl Strike {
    /// The call was answered after `attempts` requests, and billed as the operation is.
    fn answered(&self, attempts: u32) -> &Outcome {
        let op = self.op;
        let outcome = match &self.result {
            Ok(outcome) => outcome,
            Err(error) => panic!("{op:?}: expected an answer, got {error} ({error:?})"),
        };
        assert_eq!(outcome.vendor, op.vendor(), "{op:?}");
        assert_eq!(outcome.attempts, attempts, "{op:?}: attempts");
        assert_eq!(outcome.billed, op.billed_when_answered(), "{op:?}: billed");
        outcome
    }

    /// The call failed with `kind` after `attempts` requests.
    fn failed(&self, kinds: &[ErrorKind], attempts: u32, may_have_been_billed: bool) -> &Error {
        let op = self.op;
        let error = match &self.result {
            Ok(outcome) => panic!("{op:?}: expected an error, got {outcome:?}"),
            Err(error) => error,
        };
        assert!(kinds.contains(&error.kind()), "{op:?}: {error:?}");
        assert_eq!(error.vendor(), Some(op.vendor()), "{op:?}: {error}");
        assert_eq!(error.attempts(), attempts, "{op:?}: attempts: {error}");
        assert_eq!(
            error.may_have_been_billed(),
            may_have_been_billed,
            "{op:?}: may_have_been_billed: {error:?}"
        );
        error
    }

    /// The emulator counted `requests` requests (`faulted` of them struck) and `billed` calls.
    fn counted(&self, requests: u64, faulted: u64, billed: u64) {
        let l = &self.ledger;
        assert_eq!(
            (l.requests, l.faulted, l.billed),
            (requests, faulted, billed),
            "{:?}: ledger (requests, faulted, billed)",
            self.op
        );
    }
}

/// 1 when a successful answer of `op` is billed, else 0.
fn bill(op: Op) -> u64 {
    u64::from(op.billed_when_answered())
}

/// Strikes every operation with `spec` in a fresh world and hands each strike to `check`.
fn strike_every_op<F: Flavor>(spec: &str, options: TransportSettings, check: impl Fn(&Strike)) {
    let world = World::start();
    for op in Op::ALL {
        check(&strike::<F>(&world, op, spec, options.clone()));
    }
}

/// Every operation is answered at once despite `spec`, the fault counted and the answer
/// billed as usual.
fn answered_at_once<F: Flavor>(spec: &str) {
    strike_every_op::<F>(spec, defaults(), |s| {
        s.answered(1);
        s.counted(1, 1, bill(s.op));
    });
}

fn defaults() -> TransportSettings {
    TransportSettings::default()
}

fn total_timeout(ms: u64) -> TransportSettings {
    TransportSettings::default().timeout(Duration::from_millis(ms))
}

// --- connection faults: strike before the vendor logic, nothing is billed ------------------

/// A reset after the request was sent: the client cannot tell whether the vendor billed it
/// (the emulator resets before its logic, a real vendor may not), so it reports and never
/// retries. The ledger shows the one request and no bill.
pub(crate) fn connection_reset<F: Flavor>() {
    strike_every_op::<F>("reset", defaults(), |s| {
        let error = s.failed(&[ErrorKind::Transport], 1, true);
        assert!(
            !error.is_connect(),
            "{:?}: the request was sent: {error}",
            s.op
        );
        s.counted(1, 1, 0);
    });
}

/// One nginx 502 page: certainly unbilled (a 5xx page that is not 504), so it is retried and
/// the retry is answered and billed once.
pub(crate) fn bad_gateway_once<F: Flavor>() {
    strike_every_op::<F>("502,times=1", defaults(), |s| {
        s.answered(2);
        s.counted(2, 1, bill(s.op));
    });
}

/// 502 pages on every attempt: retried up to the budget, then a decode error that says
/// nothing was billed and that trying later may help; its message quotes the page.
pub(crate) fn bad_gateway_persistent<F: Flavor>() {
    strike_every_op::<F>("502", defaults(), |s| {
        let error = s.failed(&[ErrorKind::Decode], MAX_ATTEMPTS, false);
        assert!(error.retryable(), "{:?}: {error}", s.op);
        assert!(error.to_string().contains("502"), "{:?}: {error}", s.op);
        s.counted(u64::from(MAX_ATTEMPTS), u64::from(MAX_ATTEMPTS), 0);
    });
}

/// Full Content-Length, half the body, then the connection closes: the vendor answered and
/// billed, the answer is lost. Reported once, flagged as possibly billed, never retried.
pub(crate) fn truncated_body<F: Flavor>() {
    strike_every_op::<F>("truncate", defaults(), |s| {
        s.failed(&[ErrorKind::Transport], 1, true);
        s.counted(1, 1, bill(s.op));
    });
}

/// A body that trickles in (20 pieces over 200 ms) is still one answer.
pub(crate) fn slow_body_within_the_timeout<F: Flavor>() {
    answered_at_once::<F>("slow-body=200");
}

/// A body still trickling when the total timeout strikes: the headers came, so the vendor
/// answered and billed; a timeout after sending is reported, not retried.
pub(crate) fn slow_body_past_the_timeout<F: Flavor>() {
    strike_every_op::<F>("slow-body=3000", total_timeout(400), |s| {
        let error = s.failed(&[ErrorKind::Transport], 1, true);
        assert!(error.is_timeout(), "{:?}: {error:?}", s.op);
        s.counted(1, 1, bill(s.op));
    });
}

/// A 2 MB answer against the default 1 MiB cap: refused without reading it all, not
/// retryable (the vendor would send it again) and possibly billed (it was).
pub(crate) fn oversized_body<F: Flavor>() {
    strike_every_op::<F>("oversized=2000000", defaults(), |s| {
        let error = s.failed(&[ErrorKind::Transport], 1, true);
        assert!(!error.retryable(), "{:?}: {error:?}", s.op);
        s.counted(1, 1, bill(s.op));
    });
}

/// The valid answer padded with trailing spaces, under the cap: JSON, XML and JSONP decoders
/// all ignore trailing whitespace.
pub(crate) fn padded_body_under_the_cap<F: Flavor>() {
    answered_at_once::<F>("oversized=65536");
}

/// `text/html` on a valid answer: the body decides, not the label.
pub(crate) fn wrong_content_type<F: Flavor>() {
    answered_at_once::<F>("wrong-content-type");
}

/// PHP-style answers: keys unquoted as the QXT document shows them, numbers as strings.
pub(crate) fn php_quirks<F: Flavor>() {
    for spec in [
        "unquoted-keys",
        "string-numbers",
        "unquoted-keys,string-numbers",
    ] {
        answered_at_once::<F>(spec);
    }
}

/// A slow vendor within the timeout is just slow.
pub(crate) fn latency_within_the_timeout<F: Flavor>() {
    answered_at_once::<F>("latency=100");
}

/// No answer before the total timeout: the request was sent and may be billed (the emulator
/// bills once its latency passes, after the client gave up), so it is reported, not retried.
pub(crate) fn latency_past_the_timeout<F: Flavor>() {
    strike_every_op::<F>("latency=1200", total_timeout(250), |s| {
        let op = s.op;
        let error = s.failed(&[ErrorKind::Transport], 1, true);
        assert!(
            error.is_timeout() && !error.is_connect(),
            "{op:?}: {error:?}"
        );
        // Whether the bill lands before we look depends on the emulator's timing; the request
        // count does not.
        assert_eq!(s.ledger.requests, 1, "{op:?}");
        assert!(s.ledger.billed <= bill(op), "{op:?}");
    });
}

// --- vendor-side conditions -------------------------------------------------------------

/// The VENDOR's clock is off by an hour, either way (not ours: `World` uses the real clock).
/// wapi (10004, learned from the answer's `time`) is corrected with exactly one extra
/// request, unbilled; the offset is kept, so the next call of the same verifier needs one
/// request. QXT signs no time and never notices.
pub(crate) fn vendor_clock_skew<F: Flavor>() {
    clock_skew_of::<F>(|op| op.vendor() != Vendor::Ihuyi);
}

/// The same for ihuyi (40501), whose answers carry no time: the client can only learn the
/// vendor's clock from the HTTP `Date` header, which the emulator writes on its own clock.
pub(crate) fn vendor_clock_skew_ihuyi<F: Flavor>() {
    clock_skew_of::<F>(|op| op.vendor() == Vendor::Ihuyi);
}

fn clock_skew_of<F: Flavor>(which: fn(Op) -> bool) {
    for offset in [3_600, -3_600] {
        let world = World::with(EmulatorConfig::default().clock_offset_secs(offset));
        for op in Op::ALL.into_iter().filter(|op| which(*op)) {
            let verifier = F::over(op.config(&world, defaults()));
            world.emulator.reset_ledger();
            let first = op
                .call(&verifier)
                .unwrap_or_else(|e| panic!("{op:?} offset {offset}: {e:?}"));
            let extra = u32::from(op.has_clock());
            assert_eq!(first.attempts, 1 + extra, "{op:?} offset {offset}");
            assert_eq!(first.billed, op.billed_when_answered(), "{op:?}");
            let l = ledger(&world, op);
            assert_eq!(
                (l.requests, l.billed),
                (u64::from(1 + extra), bill(op)),
                "{op:?} offset {offset}: only the corrected request is billed"
            );
            let second = op.call(&verifier).expect("answered");
            assert_eq!(
                second.attempts, 1,
                "{op:?} offset {offset}: the offset is kept"
            );
        }
    }
}

/// wapi refuses the second check of a number within its window (10019 频繁): a refusal that
/// protects the person checked, so it is neither retried nor failed over to QXT. QXT and
/// ihuyi have no such limit (their documents are silent).
pub(crate) fn rate_limit<F: Flavor>() {
    let once_a_minute = RateLimit {
        max_checks: 1,
        window: Duration::from_secs(60),
    };
    let world = World::with(EmulatorConfig::default().rate_limit(Some(once_a_minute)));
    for op in Op::ALL {
        let verifier = F::over(op.config(&world, defaults()));
        world.emulator.reset_ledger(); // forgets the windows too
        op.call(&verifier).expect("the first check is answered");
        let second = Strike {
            op,
            result: op.call(&verifier),
            ledger: OperationLedger::default(),
        };
        let l = ledger(&world, op);
        if op.rate_limited() {
            let error = second.failed(&[ErrorKind::Vendor(Kind::RateLimited)], 1, false);
            assert_eq!(error.vendor_code(), Some("10019"), "{op:?}");
            assert!(!error.retryable(), "{op:?}: {error}");
            assert_eq!((l.requests, l.billed), (2, 1), "{op:?}");
        } else {
            second.answered(1);
            assert_eq!((l.requests, l.billed), (2, 2 * bill(op)), "{op:?}");
        }
    }

    // Through the failover chain: wapi's refusal ends the call, QXT is never asked.
    world.emulator.reset_ledger();
    let verifier = F::over(world.config());
    let person = directory::MOBILE_MATCH;
    verifier.check_mobile(person).expect("answered");
    let error = verifier.check_mobile(person).expect_err("rate limited");
    assert_eq!(
        (error.kind(), error.vendor(), error.attempts()),
        (ErrorKind::Vendor(Kind::RateLimited), Some(Vendor::Wapi), 1),
        "{error}"
    );
    assert_eq!(world.ledger(Vendor::Qxt, "mobile_two_elements").requests, 0);
}

/// Each vendor's balance runs out mid-sequence: the call that finds it empty is refused
/// `insufficient_balance` (wapi 10018 or 10022, QXT -5, ihuyi 4051), unbilled, not retried,
/// and the mobile chain does not fail over (a person must top up). A balance query itself
/// is never billed, so it keeps answering.
pub(crate) fn balance_running_out<F: Flavor>() {
    let world = World::start();
    for exhaustion in [WapiExhaustion::Quota, WapiExhaustion::Wallet] {
        world.emulator.set_wapi_exhaustion(exhaustion);
        for op in Op::ALL {
            let verifier = F::over(op.config(&world, defaults()));
            world.emulator.set_balance(emulator_vendor(op.vendor()), 1);
            world.emulator.reset_ledger();
            let first = op.call(&verifier).expect("the last call is answered");
            assert_eq!(first.billed, op.billed_when_answered(), "{op:?}");
            let second = Strike {
                op,
                result: op.call(&verifier),
                ledger: ledger(&world, op),
            };
            if op.billed_when_answered() {
                let error =
                    second.failed(&[ErrorKind::Vendor(Kind::InsufficientBalance)], 1, false);
                let quota = exhaustion == WapiExhaustion::Quota;
                let expected = balance_used_up(op.vendor().as_str(), quota);
                assert_eq!(error.vendor_code(), Some(expected), "{op:?}");
                assert!(!error.retryable(), "{op:?}: {error}");
                assert_eq!((second.ledger.requests, second.ledger.billed), (2, 1));
            } else {
                second.answered(1);
                assert_eq!(second.ledger.billed, 0, "{op:?}");
            }
        }
    }

    // The chain stops at wapi's empty balance instead of spending QXT's.
    world.emulator.set_balance(EmulatorVendor::Wapi, 0);
    world.emulator.reset_ledger();
    let verifier = F::over(world.config());
    let person = directory::MOBILE_MATCH;
    let error = verifier.check_mobile(person).expect_err("wapi is empty");
    assert_eq!(
        (error.kind(), error.vendor()),
        (
            ErrorKind::Vendor(Kind::InsufficientBalance),
            Some(Vendor::Wapi)
        ),
        "{error}"
    );
    assert_eq!(world.ledger(Vendor::Qxt, "mobile_two_elements").requests, 0);
}

fn emulator_vendor(vendor: Vendor) -> EmulatorVendor {
    match vendor {
        Vendor::Wapi => EmulatorVendor::Wapi,
        Vendor::Qxt => EmulatorVendor::Qxt,
        Vendor::Ihuyi => EmulatorVendor::Ihuyi,
        other => panic!("the emulator does not stand in for {other}"),
    }
}
