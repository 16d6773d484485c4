//! The rows measured by the crates' criterion benchmarks: shiming's per-call overhead, typed
//! decoding, signing, offline validation.
//!
//! "Side by side in one run": a round runs the whole benchmark executable once, so the two
//! contenders of a pair are measured back to back (A B), and the rounds repeat that
//! (A B A B …). A row's figure is the median over rounds of the per-round ratio, so a burst
//! of load from another process spoils one round's ratio, not the result.

use super::build::BenchBinary;
use super::criterion::{self, Round, Timing};
use super::stats::Spread;
use super::table::{Row, Target, Unit, nanos};
use super::workdir::Workdir;
use std::time::Instant;

/// Runs `binary` for `count` rounds.
pub(crate) fn rounds(
    section: &str,
    binary: &BenchBinary,
    count: usize,
    timing: Timing,
    workdir: &Workdir,
) -> Result<Vec<Round>, String> {
    let log = workdir.log(section);
    let home = workdir.criterion_home(section);
    (1..=count)
        .map(|n| {
            let started = Instant::now();
            let round = criterion::run_round(binary, &home, timing, &log)?;
            eprintln!(
                "  {section}: round {n}/{count} in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            Ok(round)
        })
        .collect()
}

/// One side of a ratio: a criterion id and how the detail column names it.
type Side<'a> = (&'a str, &'a str);

/// `time(numerator) ÷ time(denominator)` per round, as a row.
fn ratio_row(
    section: &'static str,
    what: &str,
    rounds: &[Round],
    numerator: Side<'_>,
    denominator: Side<'_>,
    target: Target,
) -> Row {
    let measure = || -> Result<Row, String> {
        let mut ratios = Vec::new();
        let mut num_ns = Vec::new();
        let mut den_ns = Vec::new();
        for round in rounds {
            let n = round.get(numerator.0)?.ns_per_element();
            let d = round.get(denominator.0)?.ns_per_element();
            ratios.push(n / d);
            num_ns.push(n);
            den_ns.push(d);
        }
        let spread = Spread::of(&ratios).ok_or("no rounds")?;
        let (n, d) = (median(&num_ns), median(&den_ns));
        let detail = format!(
            "{} {} vs {} {}",
            numerator.1,
            nanos(n),
            denominator.1,
            nanos(d)
        );
        Ok(Row::measured(
            section,
            what,
            Unit::Ratio,
            spread,
            target,
            detail,
        ))
    };
    measure().unwrap_or_else(|why| Row::error(section, what, &why))
}

/// Operations per second on one core (criterion runs one thread) for `id`, as a row.
fn rate_row(section: &'static str, what: &str, rounds: &[Round], id: &str, target: Target) -> Row {
    let measure = || -> Result<Row, String> {
        let mut rates = Vec::new();
        let mut each = Vec::new();
        for round in rounds {
            let ns = round.get(id)?.ns_per_element();
            rates.push(1e9 / ns);
            each.push(ns);
        }
        let spread = Spread::of(&rates).ok_or("no rounds")?;
        let detail = format!("{} each (`{id}`)", nanos(median(&each)));
        Ok(Row::measured(
            section,
            what,
            Unit::PerSecond,
            spread,
            target,
            detail,
        ))
    };
    measure().unwrap_or_else(|why| Row::error(section, what, &why))
}

fn median(values: &[f64]) -> f64 {
    Spread::of(values).map_or(f64::NAN, |s| s.median)
}

/// shiming call vs the bare client, same bytes, same loopback emulator, answering at once and
/// after 20 ms (`crates/shiming/benches/overhead.rs`; its groups fix their own timings).
pub(crate) fn overhead_rows(rounds: &[Round]) -> Vec<Row> {
    const G: &str = "wapi_mobile_two_elements";
    let id = |name: &str| format!("{G}/{name}");
    // The same pairs against an emulator that answers after 20 ms, like a near vendor.
    let far = |name: &str| format!("vendor_latency_20ms/{name}");
    let (a_shiming, a_bare) = (id("async/shiming"), id("async/bare_reqwest"));
    let (b_shiming, b_bare) = (id("blocking/shiming"), id("blocking/bare_ureq"));
    let b_timeouts = id("blocking/bare_ureq_with_timeouts");
    let (no_io_async, no_io_blocking) = (id("no_io/async_shiming"), id("no_io/blocking_shiming"));
    let s = "overhead";
    vec![
        ratio_row(
            s,
            "async: shiming call ÷ bare reqwest request (time per call)",
            rounds,
            (&a_shiming, "shiming"),
            (&a_bare, "reqwest"),
            // Loopback microseconds: information, not a target (a vendor is tens of ms away).
            Target::None,
        ),
        ratio_row(
            s,
            "blocking: shiming call ÷ bare ureq request (time per call)",
            rounds,
            (&b_shiming, "shiming"),
            (&b_bare, "ureq"),
            // Loopback microseconds: information, not a target (a vendor is tens of ms away).
            Target::None,
        ),
        ratio_row(
            s,
            "blocking: shiming call ÷ bare ureq with the same timeouts set",
            rounds,
            (&b_shiming, "shiming"),
            (&b_timeouts, "ureq+timeouts"),
            Target::None,
        ),
        ratio_row(
            s,
            "async, vendor 20 ms away: shiming call ÷ bare reqwest request",
            rounds,
            (&far("async/shiming"), "shiming"),
            (&far("async/bare_reqwest"), "reqwest"),
            Target::AtMost(1.05),
        ),
        ratio_row(
            s,
            "blocking, vendor 20 ms away: shiming call ÷ bare ureq request",
            rounds,
            (&far("blocking/shiming"), "shiming"),
            (&far("blocking/bare_ureq"), "ureq"),
            Target::AtMost(1.05),
        ),
        ratio_row(
            s,
            "async: shiming's own CPU per call (no I/O) ÷ bare reqwest request",
            rounds,
            (&no_io_async, "no-I/O call"),
            (&a_bare, "reqwest"),
            Target::None,
        ),
        ratio_row(
            s,
            "blocking: shiming's own CPU per call (no I/O) ÷ bare ureq request",
            rounds,
            (&no_io_blocking, "no-I/O call"),
            (&b_bare, "ureq"),
            Target::None,
        ),
    ]
}

/// Typed decode vs `serde_json::Value` over the same bytes
/// (`crates/codec/benches/decode.rs`). Ratios are speed-ups: Value time ÷ typed time.
pub(crate) fn decode_rows(rounds: &[Round]) -> Vec<Row> {
    let s = "decode";
    let typed = "typed";
    let value = "Value";
    vec![
        ratio_row(
            s,
            "wapi json: typed decode speed-up over Value parse (Value time ÷ typed time)",
            rounds,
            ("wapi/value_parse_json", value),
            ("wapi/typed_decode_json", typed),
            Target::AtLeast(1.0),
        ),
        ratio_row(
            s,
            "wapi jsonp: typed decode speed-up over Value parse of the json inside",
            rounds,
            ("wapi/value_parse_json", value),
            ("wapi/typed_decode_jsonp", typed),
            Target::AtLeast(1.0),
        ),
        ratio_row(
            s,
            "qxt json: typed decode speed-up over Value parse (Value time ÷ typed time)",
            rounds,
            ("qxt/value_parse_json", value),
            ("qxt/typed_decode_json", typed),
            Target::AtLeast(1.0),
        ),
        ratio_row(
            s,
            "ihuyi json: typed decode speed-up over Value parse (Value time ÷ typed time)",
            rounds,
            ("ihuyi/value_parse_json", value),
            ("ihuyi/typed_decode_json", typed),
            Target::AtLeast(1.0),
        ),
        ratio_row(
            s,
            "wapi xml: typed xml decode time ÷ typed json decode time",
            rounds,
            ("wapi/typed_decode_xml", "xml"),
            ("wapi/typed_decode_json", "json"),
            Target::AtMost(2.0),
        ),
        ratio_row(
            s,
            "qxt unquoted keys (Value cannot parse them): typed speed-up over Value parse of the quoted json",
            rounds,
            ("qxt/value_parse_json", value),
            ("qxt/typed_decode_bare_keys", typed),
            Target::None,
        ),
        ratio_row(
            s,
            "wapi xml: typed decode time ÷ quick-xml reading the events alone",
            rounds,
            ("wapi/typed_decode_xml", "typed"),
            ("wapi/quick_xml_events_only", "events"),
            Target::None,
        ),
    ]
}

/// Signer cost (`crates/sign/benches/sign.rs`).
pub(crate) fn sign_rows(rounds: &[Round]) -> Vec<Row> {
    let s = "sign";
    vec![
        rate_row(
            s,
            "wapi MD5 signatures per second per core",
            rounds,
            "wapi md5",
            Target::None,
        ),
        ratio_row(
            s,
            "wapi MD5 signature time ÷ MD5 of the same bytes alone",
            rounds,
            ("wapi md5", "sign"),
            ("md5 alone", "md5"),
            Target::None,
        ),
        rate_row(
            s,
            "ihuyi dynamic passwords per second per core",
            rounds,
            "ihuyi dynamic",
            Target::None,
        ),
    ]
}

/// Offline checks per second on one core (`crates/numbers/benches/numbers.rs`, which times
/// batches of 1024 and declares them as its throughput).
pub(crate) fn offline_rows(rounds: &[Round]) -> Vec<Row> {
    let s = "offline";
    vec![
        // shiming-numbers' own target for the lookup (its bench: ≤ 14 ns, against 140–230 ns
        // for phonedata-style libraries), as a rate.
        rate_row(
            s,
            "mobile segment lookups per second per core (segment_of; target: the crate's ≤ 14 ns)",
            rounds,
            "mobile/segment_of",
            Target::AtLeast(1e9 / 14.0),
        ),
        rate_row(
            s,
            "mobile number checks per second per core (11 digits)",
            rounds,
            "mobile/check",
            Target::None,
        ),
        rate_row(
            s,
            "mobile number checks per second per core (`+86 186-8888-8888` form)",
            rounds,
            "mobile/check_with_country_code_and_dashes",
            Target::None,
        ),
        rate_row(
            s,
            "ID number validations per second per core (standard mode)",
            rounds,
            "id_number/check_standard",
            Target::None,
        ),
        rate_row(
            s,
            "ID number validations per second per core (strict mode)",
            rounds,
            "id_number/check_strict",
            Target::None,
        ),
        rate_row(
            s,
            "ID number full reports per second per core (region, birth, sex)",
            rounds,
            "id_number/parse_full_report",
            Target::None,
        ),
    ]
}
