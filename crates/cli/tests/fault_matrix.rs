//! The fault matrix through the `shiming` binary: every emulator fault against every one-shot
//! command (exit code, JSON error kind, requests and bills on the emulator's ledger) and
//! against `shiming batch` for every check (every input row exactly once, a summary that adds
//! up, billing that agrees with the vendor's ledger), plus the vendor-side conditions a batch
//! meets mid-way: a balance running out (stop, top up, `--resume`), a rate limit, the
//! vendor's clock, a vendor that keeps failing.
//!
//! The library-level matrix (both transports) is `crates/shiming/tests/fault_matrix.rs`; the
//! table of expected outcomes is `docs/fault-matrix.md`. `batch.rs` already proves magic-number
//! faults mixed into one file, random 502s, an auth stop and kill -9; this file proves each
//! fault on its own, for every check and command.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions may unwrap too

mod common;

use common::*;
use serde_json::Value;
use shiming_emulator::directory::{self, ID_MATCH_2, MOBILE_MATCH, Verdict};
use shiming_emulator::{BlockingEmulator, EmulatorConfig, Faults, Vendor, WapiExhaustion};
use shiming_test_support::vendor_codes::balance_used_up;
use std::path::Path;

// --- the one-shot commands -----------------------------------------------------------------

/// A one-shot command, for a person the emulator answers with a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    MobileWapi,
    MobileQxt,
    /// `--vendor auto`: wapi, failing over to QXT.
    MobileAuto,
    Id,
    Status,
    Balance,
}

impl Cmd {
    const ALL: [Cmd; 6] = [
        Cmd::MobileWapi,
        Cmd::MobileQxt,
        Cmd::MobileAuto,
        Cmd::Id,
        Cmd::Status,
        Cmd::Balance,
    ];

    fn args(self) -> Vec<&'static str> {
        let mobile = ["--name", MOBILE_MATCH.name, "--mobile", MOBILE_MATCH.number];
        let mut args = match self {
            Cmd::MobileWapi | Cmd::MobileQxt | Cmd::MobileAuto => {
                let mut args = vec!["mobile-check"];
                args.extend(mobile);
                args
            }
            Cmd::Id => vec![
                "id-check",
                "--name",
                ID_MATCH_2.name,
                "--id",
                ID_MATCH_2.number,
            ],
            Cmd::Status => vec!["mobile-status", "--mobile", MOBILE_MATCH.number],
            Cmd::Balance => vec!["balance"],
        };
        match self {
            Cmd::MobileWapi => args.extend(["--vendor", "wapi"]),
            Cmd::MobileQxt => args.extend(["--vendor", "qxt"]),
            _ => {}
        }
        args
    }

    /// The vendor asked first.
    fn vendor(self) -> Vendor {
        match self {
            Cmd::MobileWapi | Cmd::MobileAuto | Cmd::Id => Vendor::Wapi,
            Cmd::MobileQxt => Vendor::Qxt,
            Cmd::Status | Cmd::Balance => Vendor::Ihuyi,
        }
    }

    /// Calls billed by one answer (a balance query is free).
    fn bill(self) -> u64 {
        u64::from(self != Cmd::Balance)
    }

    /// Whether the vendor has a rate limit (wapi only).
    fn rate_limited(self) -> bool {
        self.vendor() == Vendor::Wapi
    }
}

/// The outcome a command must come to.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exit 0 after `attempts` requests.
    Answered { attempts: u64 },
    /// Exit `exit`, error kind `kind`.
    Failed { exit: i32, kind: &'static str },
}

/// Requests and bills over every vendor.
fn totals(emu: &BlockingEmulator) -> (u64, u64) {
    let l = emu.ledger();
    (
        l.wapi.requests + l.qxt.requests + l.ihuyi.requests,
        l.wapi.billed + l.qxt.billed + l.ihuyi.billed,
    )
}

/// Runs `cmd` with `spec` armed (once with `--output json`, once human) and checks the exit
/// code, the error kind, and the requests and bills the emulator counted for each run.
fn strike(emu: &BlockingEmulator, cmd: Cmd, spec: &str, expect: Expect, ledger: (u64, u64)) {
    let home = tempdir();
    let env = credentials(emu.base_url());
    for json in [true, false] {
        emu.reset_ledger();
        emu.set_faults(Faults::parse(spec).unwrap());
        let mut args = cmd.args();
        if json {
            args.extend(["--output", "json"]);
        }
        let r = run(home.path(), &args, &env);
        emu.set_faults(Faults::none());
        let what = format!("{cmd:?} `{spec}` json={json}: {r:?}");
        assert!(!r.stderr.contains("panicked"), "{what}");
        match expect {
            Expect::Answered { attempts } => {
                assert_eq!(r.code, 0, "{what}");
                if json {
                    assert_eq!(r.json()["attempts"], attempts, "{what}");
                    assert_eq!(r.json()["billed"], cmd.bill() == 1, "{what}");
                }
            }
            Expect::Failed { exit, kind } => {
                assert_eq!(r.code, exit, "{what}");
                if json {
                    let error = &r.json()["error"];
                    assert_eq!(error["kind"], kind, "{what}");
                    // Every transport fault here strikes once the request is out: the vendor
                    // may have billed it — except a balance query, which is never billed.
                    let maybe = kind == "transport" && cmd.bill() == 1;
                    assert_eq!(error["may_have_been_billed"], maybe, "{what}");
                } else {
                    assert!(r.stderr.contains(&format!("error: {kind}")), "{what}");
                }
            }
        }
        assert_eq!(totals(emu), ledger, "{what}: (requests, billed)");
    }
}

/// Each fault against each command; `expect(cmd)` gives the outcome and the ledger.
fn one_shot_matrix(spec: &str, expect: impl Fn(Cmd) -> (Expect, (u64, u64))) {
    let emu = emulator();
    for cmd in Cmd::ALL {
        let (outcome, ledger) = expect(cmd);
        strike(&emu, cmd, spec, outcome, ledger);
    }
}

const TRANSPORT: Expect = Expect::Failed {
    exit: 4,
    kind: "transport",
};

#[test]
fn one_shot_connection_reset_exits_4_without_retry_or_failover() {
    one_shot_matrix("reset", |_| (TRANSPORT, (1, 0)));
}

#[test]
fn one_shot_bad_gateway_once_is_retried_and_answered() {
    one_shot_matrix("502,times=1", |cmd| {
        (Expect::Answered { attempts: 2 }, (2, cmd.bill()))
    });
}

#[test]
fn one_shot_bad_gateway_persistent_exits_4_decode_after_the_retry_budget() {
    one_shot_matrix("502", |cmd| {
        let decode = Expect::Failed {
            exit: 4,
            kind: "decode",
        };
        // An error page is certainly unbilled upstream trouble: auto fails over to QXT,
        // which has the same 502s.
        let requests = if cmd == Cmd::MobileAuto { 6 } else { 3 };
        (decode, (requests, 0))
    });
}

#[test]
fn one_shot_truncated_and_oversized_answers_exit_4_billed_once_never_retried() {
    for spec in ["truncate", "oversized"] {
        one_shot_matrix(spec, |cmd| (TRANSPORT, (1, cmd.bill())));
    }
}

#[test]
fn one_shot_slow_mislabelled_and_quirky_answers_are_answered() {
    for spec in [
        "slow-body=200",
        "wrong-content-type",
        "unquoted-keys,string-numbers",
        "latency=100",
        "oversized=65536",
    ] {
        one_shot_matrix(spec, |cmd| {
            (Expect::Answered { attempts: 1 }, (1, cmd.bill()))
        });
    }
}

#[test]
fn one_shot_vendor_clock_skew_is_corrected_with_one_extra_request() {
    let emu = emulator_with(EmulatorConfig::default().clock_offset_secs(3_600));
    for cmd in [Cmd::MobileWapi, Cmd::MobileQxt, Cmd::MobileAuto, Cmd::Id] {
        let extra = u64::from(cmd.vendor() == Vendor::Wapi);
        let answered = Expect::Answered {
            attempts: 1 + extra,
        };
        strike(&emu, cmd, "none", answered, (1 + extra, 1));
    }
}

#[test]
fn one_shot_vendor_clock_skew_is_corrected_for_ihuyi() {
    let emu = emulator_with(EmulatorConfig::default().clock_offset_secs(3_600));
    for cmd in [Cmd::Status, Cmd::Balance] {
        strike(
            &emu,
            cmd,
            "none",
            Expect::Answered { attempts: 2 },
            (2, cmd.bill()),
        );
    }
}

#[test]
fn one_shot_rate_limit_exits_3_without_retry_or_failover() {
    let emu = emulator_with(checks_per_minute(1));
    let home = tempdir();
    let env = credentials(emu.base_url());
    for cmd in Cmd::ALL {
        for json in [true, false] {
            emu.reset_ledger(); // forgets the windows
            let mut args = cmd.args();
            args.extend(["--output", if json { "json" } else { "human" }]);
            let first = run(home.path(), &args, &env);
            assert_eq!(first.code, 0, "{cmd:?}: {first:?}");
            let second = run(home.path(), &args, &env);
            let what = format!("{cmd:?}: {second:?}");
            if cmd.rate_limited() {
                assert_eq!(second.code, 3, "{what}");
                if json {
                    let error = &second.json()["error"];
                    assert_eq!(error["kind"], "rate_limited", "{what}");
                    assert_eq!(error["vendor"], "wapi", "{what}");
                    assert_eq!(error["retryable"], false, "{what}");
                }
                assert_eq!(totals(&emu), (2, 1), "{what}");
            } else {
                assert_eq!(second.code, 0, "{what}");
                assert_eq!(totals(&emu), (2, 2 * cmd.bill()), "{what}");
            }
        }
    }
}

#[test]
fn one_shot_empty_balance_exits_3_without_failover() {
    let emu = emulator();
    let home = tempdir();
    let env = credentials(emu.base_url());
    for exhaustion in [WapiExhaustion::Quota, WapiExhaustion::Wallet] {
        emu.set_wapi_exhaustion(exhaustion);
        for cmd in Cmd::ALL {
            for vendor in [Vendor::Wapi, Vendor::Qxt, Vendor::Ihuyi] {
                emu.set_balance(vendor, 1_000);
            }
            emu.set_balance(cmd.vendor(), 1);
            emu.reset_ledger();
            let mut args = cmd.args();
            args.extend(["--output", "json"]);
            let first = run(home.path(), &args, &env);
            assert_eq!(first.code, 0, "{cmd:?}: {first:?}");
            let second = run(home.path(), &args, &env);
            let what = format!("{cmd:?} {exhaustion:?}: {second:?}");
            if cmd == Cmd::Balance {
                assert_eq!(second.code, 0, "{what}");
                assert_eq!(second.json()["details"]["balance"], 1, "{what}");
                continue;
            }
            assert_eq!(second.code, 3, "{what}");
            let error = &second.json()["error"];
            assert_eq!(error["kind"], "insufficient_balance", "{what}");
            let quota = exhaustion == WapiExhaustion::Quota;
            let code = balance_used_up(cmd.vendor().as_str(), quota);
            assert_eq!(error["vendor_code"], code, "{what}");
            // Not retried, and QXT's balance is not spent in wapi's place.
            assert_eq!(totals(&emu), (2, 1), "{what}");
        }
    }
}

// --- batch ---------------------------------------------------------------------------------

/// A batch check and the vendor it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    MobileWapi,
    MobileQxt,
    Id,
    Status,
}

impl Check {
    const ALL: [Check; 4] = [
        Check::MobileWapi,
        Check::MobileQxt,
        Check::Id,
        Check::Status,
    ];

    fn args(self) -> &'static [&'static str] {
        match self {
            Check::MobileWapi => &["--check", "mobile", "--vendor", "wapi"],
            Check::MobileQxt => &["--check", "mobile", "--vendor", "qxt"],
            Check::Id => &["--check", "id"],
            Check::Status => &["--check", "mobile-status"],
        }
    }

    fn vendor(self) -> Vendor {
        match self {
            Check::MobileWapi | Check::Id => Vendor::Wapi,
            Check::MobileQxt => Vendor::Qxt,
            Check::Status => Vendor::Ihuyi,
        }
    }

    /// Whether the emulator bills this row when it answers it (not found is free).
    fn billable(self, (name, mobile, id): &(String, String, String)) -> bool {
        match self {
            Check::MobileWapi | Check::MobileQxt => {
                directory::mobile_verdict(name, mobile) != Verdict::NotFound
            }
            Check::Id => directory::id_verdict(name, id) != Verdict::NotFound,
            Check::Status => directory::mobile_known(mobile),
        }
    }
}

/// `distinct` people, then 2 rows repeating earlier ones and 1 row refused offline.
fn batch_input(distinct: usize) -> Vec<(String, String, String)> {
    let mut rows = people(distinct);
    rows.push(rows[0].clone());
    rows.push(rows[1].clone());
    rows.push((
        "钱多多".into(),
        "15412345678".into(),
        "110105199003071230".into(),
    ));
    rows
}

/// What one batch run produced.
struct BatchRun {
    run: Run,
    summary: Value,
    lines: Vec<Value>,
}

fn run_batch(
    home: &Path,
    emu: &BlockingEmulator,
    rows: &[(String, String, String)],
    check: Check,
    extra: &[&str],
) -> BatchRun {
    let input = home.join("in.csv");
    if !input.exists() {
        write_csv(&input, rows);
    }
    let out = home.join("out.jsonl");
    let mut args = vec![
        "--output",
        "json",
        "batch",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if !extra.contains(&"--concurrency") {
        args.extend(["--concurrency", "8"]);
    }
    args.extend_from_slice(check.args());
    args.extend_from_slice(extra);
    let run = run(home, &args, &credentials(emu.base_url()));
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    let summary = run.json();
    let lines = read_json_lines(&out);
    BatchRun {
        run,
        summary,
        lines,
    }
}

fn count(summary: &Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("summary has no {key}: {summary}"))
}

impl BatchRun {
    /// Every row written at most once, and the summary's counts add up to the rows written.
    fn assert_adds_up(&self) {
        let s = &self.summary;
        let mut numbers = row_numbers(&self.lines);
        let written = numbers.len();
        numbers.dedup();
        assert_eq!(
            numbers.len(),
            written,
            "a row written twice: {:?}",
            self.run
        );
        assert_eq!(count(s, "rows"), written as u64, "{s}");
        let parts: u64 = [
            "match",
            "mismatch",
            "not_found",
            "answered",
            "errors",
            "refused",
            "unknown",
        ]
        .iter()
        .map(|k| count(s, k))
        .sum();
        assert_eq!(parts, count(s, "rows"), "the summary's parts add up: {s}");
        let by_kind: u64 = s["errors_by_kind"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(by_kind, count(s, "errors"), "{s}");
        let billed_rows = self.lines.iter().filter(|l| l["billed"] == true).count();
        assert_eq!(billed_rows as u64, count(s, "billed"), "{s}");
        // `possibly_billed`: the rows written `maybe`, plus the lost first send of each row
        // resent after a crash.
        let maybe_rows = self.lines.iter().filter(|l| l["billed"] == "maybe").count();
        assert_eq!(
            maybe_rows as u64 + count(s, "resent"),
            count(s, "possibly_billed"),
            "{s}"
        );
        for line in &self.lines {
            assert!(
                line["billed"].is_boolean() || line["billed"] == "maybe",
                "{line}"
            );
        }
        assert!(
            s["cost_yuan_max"].as_f64().unwrap() >= s["cost_yuan"].as_f64().unwrap(),
            "{s}"
        );
    }

    /// The whole input is in the output, each row exactly once.
    fn assert_complete(&self, rows: usize) {
        // Exit 0 only when every row has an answer or an offline refusal; 5 when some have
        // none. The job stays open (for --resume) while a failure that cost nothing remains.
        let unanswered = count(&self.summary, "errors") + count(&self.summary, "unknown");
        let expected = if unanswered == 0 { 0 } else { 5 };
        assert_eq!(self.run.code, expected, "{:?}", self.run);
        assert_eq!(
            self.summary["complete"],
            count(&self.summary, "errors_unbilled") == 0,
            "{}",
            self.summary
        );
        assert_json_rows_once(&self.lines, rows);
        self.assert_adds_up();
    }

    fn error_kinds(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| l["error_kind"].as_str().map(str::to_string))
            .collect()
    }
}

/// How the sent rows of a faulted batch end.
#[derive(Debug, Clone, Copy)]
enum Rows {
    /// Every sent row answered.
    Answered,
    /// Some rows may fail with this kind after the retry budget; the rest are answered.
    SomeFail(&'static str),
    /// Every sent row fails with this kind after `attempts` requests each; `billed_lost` when
    /// the fault strikes after the vendor answered (and billed).
    AllFail {
        kind: &'static str,
        attempts: u64,
        billed_lost: bool,
    },
}

/// Runs every check as a batch with `spec` armed on every request, and checks the rows, the
/// summary and the money.
fn batch_matrix(spec: &str, expect: Rows) {
    const DISTINCT: usize = 16;
    let rows = batch_input(DISTINCT);
    for check in Check::ALL {
        let home = tempdir();
        let emu = emulator_with(EmulatorConfig::default().faults(Faults::parse(spec).unwrap()));
        let batch = run_batch(home.path(), &emu, &rows, check, &[]);
        let what = format!("{check:?} `{spec}`: {:?}", batch.run);
        batch.assert_complete(rows.len());
        let s = &batch.summary;
        assert_eq!(count(s, "refused"), 1, "{what}");
        let billable = |person: &(String, String, String)| u64::from(check.billable(person));
        let ledger = emu.ledger().vendor(check.vendor()).clone();
        match expect {
            Rows::Answered => {
                assert_eq!(count(s, "errors"), 0, "{what}");
                assert_eq!(count(s, "duplicates"), 2, "{what}");
                let expected: u64 = rows[..DISTINCT].iter().map(billable).sum();
                assert_eq!(count(s, "billed"), expected, "{what}");
                assert_eq!(ledger.billed, expected, "{what}");
            }
            Rows::SomeFail(kind) => {
                let kinds = s["errors_by_kind"].as_object().unwrap();
                assert!(kinds.keys().all(|k| k == kind), "{what}");
                assert_eq!(ledger.billed, count(s, "billed"), "{what}");
            }
            Rows::AllFail {
                kind,
                attempts,
                billed_lost,
            } => {
                assert_eq!(count(s, "errors"), DISTINCT as u64 + 2, "{what}");
                assert_eq!(s["errors_by_kind"][kind], DISTINCT as u64 + 2, "{what}");
                assert_eq!(count(s, "billed"), 0, "{what}");
                // An error is not an answer to copy: a repeated row is sent again, unless it
                // arrived while its twin was in flight and took over its result.
                let mut sent: Vec<&(String, String, String)> = rows[..DISTINCT].iter().collect();
                for (i, twin) in rows[..2].iter().enumerate() {
                    let line = batch
                        .lines
                        .iter()
                        .find(|l| l["row"] == DISTINCT as u64 + 1 + i as u64)
                        .unwrap();
                    let copied = line["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with("duplicate of row"));
                    if !copied {
                        sent.push(twin);
                    }
                }
                assert_eq!(ledger.requests, attempts * sent.len() as u64, "{what}");
                // What the vendor billed and we could not record: the answers lost on the way.
                let lost: u64 = if billed_lost {
                    sent.iter().map(|p| billable(p)).sum()
                } else {
                    0
                };
                assert_eq!(ledger.billed, lost, "{what}");
                // Whatever the vendor billed, the summary bounds it.
                assert!(
                    ledger.billed <= count(s, "billed") + count(s, "possibly_billed"),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn batch_connection_reset_writes_every_row_once_and_sends_each_once() {
    batch_matrix(
        "reset",
        Rows::AllFail {
            kind: "transport",
            attempts: 1,
            billed_lost: false,
        },
    );
}

#[test]
fn batch_bad_gateway_pages_are_decode_errors_never_billed() {
    batch_matrix(
        "502",
        Rows::AllFail {
            kind: "decode",
            attempts: 3,
            billed_lost: false,
        },
    );
    batch_matrix("502,rate=0.4", Rows::SomeFail("decode"));
}

#[test]
fn batch_truncated_and_oversized_answers_are_transport_errors_the_vendor_billed() {
    for spec in ["truncate", "oversized"] {
        batch_matrix(
            spec,
            Rows::AllFail {
                kind: "transport",
                attempts: 1,
                billed_lost: true,
            },
        );
    }
}

#[test]
fn batch_slow_mislabelled_and_quirky_answers_are_answered() {
    for spec in [
        "slow-body=100",
        "wrong-content-type",
        "unquoted-keys,string-numbers",
        "latency=20",
        "oversized=65536",
    ] {
        batch_matrix(spec, Rows::Answered);
    }
}

/// The vendor's balance runs out mid-batch: the batch stops (exit 3) with every written row
/// once and nothing billed that was not recorded; after a top-up, `--resume` finishes the job
/// — the refused rows checked again, nothing billed twice.
#[test]
fn batch_balance_running_out_stops_then_resume_finishes_every_row() {
    const ROWS: usize = 40;
    const BALANCE: u64 = 10;
    for (check, exhaustion) in [
        (Check::MobileWapi, WapiExhaustion::Quota),
        (Check::Id, WapiExhaustion::Wallet),
        (Check::MobileQxt, WapiExhaustion::Quota),
        (Check::Status, WapiExhaustion::Quota),
    ] {
        let home = tempdir();
        let emu = emulator_with(EmulatorConfig::default().wapi_exhaustion(exhaustion));
        emu.set_balance(check.vendor(), BALANCE);
        let rows = people(ROWS);
        let billable_rows: Vec<_> = rows.iter().filter(|r| check.billable(r)).collect();
        assert!(
            billable_rows.len() as u64 > BALANCE,
            "the balance runs out mid-way"
        );

        let stopped = run_batch(home.path(), &emu, &rows, check, &[]);
        let what = format!("{check:?}: {:?}", stopped.run);
        assert_eq!(stopped.run.code, 3, "{what}");
        assert_eq!(stopped.summary["complete"], false, "{what}");
        assert!(
            stopped.run.stderr.contains("insufficient_balance"),
            "{what}"
        );
        assert!(stopped.run.stderr.contains("--resume"), "{what}");
        stopped.assert_adds_up();
        assert!(stopped.lines.len() < ROWS, "{what}");
        assert!(
            stopped
                .error_kinds()
                .iter()
                .any(|k| k == "insufficient_balance"),
            "{what}"
        );
        let ledger = emu.ledger().vendor(check.vendor()).clone();
        assert_eq!(ledger.billed, BALANCE, "{what}");
        assert_eq!(count(&stopped.summary, "billed"), BALANCE, "{what}");
        // Concurrency 8: rows already in flight when the refusal came back finish; nothing
        // else is sent.
        assert!(ledger.requests <= stopped.lines.len() as u64, "{what}");

        emu.set_balance(check.vendor(), 1_000);
        let finished = run_batch(home.path(), &emu, &rows, check, &["--resume"]);
        let what = format!("{check:?} resumed: {:?}", finished.run);
        finished.assert_complete(ROWS);
        assert!(
            finished.error_kinds().is_empty(),
            "refused rows were checked again: {what}"
        );
        let ledger = emu.ledger().vendor(check.vendor()).clone();
        assert_eq!(ledger.billed, billable_rows.len() as u64, "{what}");
        assert_eq!(count(&finished.summary, "billed"), ledger.billed, "{what}");
        assert!(count(&finished.summary, "resumed") > 0, "{what}");
    }
}

/// wapi's rate limit mid-batch: the refused rows are written as `rate_limited` (not retried,
/// the batch goes on), every row once, billing agrees.
#[test]
fn batch_rate_limit_refuses_rows_without_stopping_or_retrying() {
    let home = tempdir();
    let emu = emulator_with(checks_per_minute(1));
    let mut rows = people(12);
    // Five more people sharing one number: not duplicates (the names differ), but the number
    // is checked again within the window.
    let shared = rows[0].1.clone();
    for name in ["周一", "吴二", "郑三", "冯四", "褚五"] {
        rows.push((name.into(), shared.clone(), String::new()));
    }
    let batch = run_batch(
        home.path(),
        &emu,
        &rows,
        Check::MobileWapi,
        &["--concurrency", "1"],
    );
    batch.assert_complete(rows.len());
    let s = &batch.summary;
    assert_eq!(s["errors_by_kind"]["rate_limited"], 5, "{s}");
    let ledger = emu.ledger().wapi;
    assert_eq!(ledger.requests, rows.len() as u64, "one request per row");
    assert_eq!(ledger.billed, count(s, "billed"), "{s}");
}

/// The vendor's clock is an hour ahead: the first requests learn the offset (one extra,
/// unbilled request each), the rest start corrected; nothing stops, billing agrees.
#[test]
fn batch_vendor_clock_skew_is_learned_once_for_the_whole_batch() {
    const ROWS: usize = 30;
    for check in [Check::MobileWapi, Check::Id, Check::MobileQxt] {
        let home = tempdir();
        let emu = emulator_with(EmulatorConfig::default().clock_offset_secs(3_600));
        let rows = people(ROWS);
        let batch = run_batch(home.path(), &emu, &rows, check, &[]);
        batch.assert_complete(ROWS);
        let ledger = emu.ledger().vendor(check.vendor()).clone();
        let what = format!("{check:?}: {}", batch.summary);
        assert_eq!(count(&batch.summary, "errors"), 0, "{what}");
        assert_eq!(ledger.billed, count(&batch.summary, "billed"), "{what}");
        if check.vendor() == Vendor::Wapi {
            // At most one correction per row in flight before the offset was learned.
            assert!(ledger.requests > ROWS as u64, "{what}");
            assert!(ledger.requests <= ROWS as u64 + 8, "{what}");
        } else {
            assert_eq!(ledger.requests, ROWS as u64, "{what}");
        }
    }
}

#[test]
fn batch_vendor_clock_skew_is_learned_for_ihuyi() {
    let home = tempdir();
    let emu = emulator_with(EmulatorConfig::default().clock_offset_secs(3_600));
    let rows = people(20);
    let batch = run_batch(home.path(), &emu, &rows, Check::Status, &[]);
    batch.assert_complete(rows.len());
}

/// A vendor that resets every connection: after 50 failures in a row the batch stops (exit 4)
/// instead of burning through the file; `--resume` keeps the failed rows as they are (they
/// may have been billed) and sends only the rows never sent.
#[test]
fn batch_a_vendor_that_keeps_failing_stops_and_resume_sends_only_unsent_rows() {
    const ROWS: usize = 90;
    let home = tempdir();
    let emu = emulator_with(EmulatorConfig::default().faults(Faults::parse("reset").unwrap()));
    let rows = people(ROWS);
    let stopped = run_batch(home.path(), &emu, &rows, Check::MobileWapi, &[]);
    let what = format!("{:?}", stopped.run);
    assert_eq!(stopped.run.code, 4, "{what}");
    assert!(stopped.run.stderr.contains("--resume"), "{what}");
    stopped.assert_adds_up();
    let failed = stopped.lines.len();
    assert!((50..ROWS).contains(&failed), "{what}");
    assert!(
        stopped.error_kinds().iter().all(|k| k == "transport"),
        "{what}"
    );
    let sent = emu.ledger().wapi.requests;
    assert_eq!(sent, failed as u64, "each row sent once, never retried");

    emu.set_faults(Faults::none());
    let finished = run_batch(home.path(), &emu, &rows, Check::MobileWapi, &["--resume"]);
    finished.assert_complete(ROWS);
    let ledger = emu.ledger().wapi;
    assert_eq!(
        ledger.requests - sent,
        (ROWS - failed) as u64,
        "only rows never sent were sent: {:?}",
        finished.run
    );
    assert_eq!(
        finished.error_kinds().len(),
        failed,
        "the possibly billed rows keep their error"
    );
    assert_eq!(ledger.billed, count(&finished.summary, "billed"));
}

/// After a delivery fault (the vendor answered and billed, the answer was lost) the batch
/// writes the row as a transport error with `billed` = `maybe` — it does not know — and the
/// summary counts those rows in `possibly_billed`, so the vendor's invoice lies between
/// `billed` and `billed + possibly_billed`, and the cost between `cost_yuan` and
/// `cost_yuan_max`.
#[test]
fn batch_summary_reconciles_with_the_vendor_after_lost_answers() {
    let home = tempdir();
    let emu = emulator_with(EmulatorConfig::default().faults(Faults::parse("truncate").unwrap()));
    let rows = people(12);
    let batch = run_batch(home.path(), &emu, &rows, Check::MobileWapi, &[]);
    batch.assert_complete(rows.len());
    let s = &batch.summary;
    let possibly = count(s, "possibly_billed");
    assert_eq!(possibly, count(s, "errors"), "{s}");
    assert!(
        count(s, "billed") + possibly >= emu.ledger().wapi.billed,
        "{s}"
    );
    let maybe_rows = batch.lines.iter().filter(|l| l["billed"] == "maybe");
    assert_eq!(maybe_rows.count() as u64, possibly, "{s}");
    // The default wapi mobile price is 0.6 yuan: the upper bound prices every lost answer.
    let (cost, max) = (
        s["cost_yuan"].as_f64().unwrap(),
        s["cost_yuan_max"].as_f64().unwrap(),
    );
    assert!((max - cost - 0.6 * possibly as f64).abs() < 0.005, "{s}");
}
