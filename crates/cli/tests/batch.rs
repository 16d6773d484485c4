//! End-to-end: `shiming batch` against a real emulator — every row exactly once, money
//! accounted for on the emulator's ledger, faults, stops, and kill -9 followed by --resume.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions may unwrap too

mod common;

use common::*;
use shiming_emulator::{EmulatorConfig, Faults, magic};
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn the_readme_example_runs_in_the_sandbox() {
    let home = tempdir();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/people.csv");
    let out = path(&home, "out.csv");
    let r = run(home.path(), &batch_args(&input, &out, "mobile", &[]), &[]);
    r.assert_code(0);
    assert!(r.stderr.starts_with("sandbox:"), "{r:?}");
    let summary = r.json();
    let (header, rows) = read_csv(&out);
    assert_every_row_once(&header, &rows, rows.len());
    assert_eq!(summary["rows"], rows.len() as u64);
    assert_eq!(summary["refused"], 1, "{summary}");
    assert_eq!(summary["duplicates"], 1, "{summary}");
    for key in [
        "match",
        "mismatch",
        "not_found",
        "errors",
        "billed",
        "resent",
        "cost_yuan",
        "elapsed_s",
    ] {
        assert!(summary.get(key).is_some(), "summary has {key}: {summary}");
    }
    // The journal keeps no row once the job is complete.
    assert_journal_closed(&out.with_file_name("out.csv.journal"));
    assert_eq!(summary["sandbox"], true, "{summary}");
    #[cfg(unix)]
    assert_eq!(mode_of(&out), 0o600);
}

#[test]
fn refused_and_duplicate_rows_cost_nothing() {
    let emu = emulator();
    let people = people(30);
    let mut rows = people.clone();
    rows.extend_from_slice(&people[..10]); // 10 duplicates
    rows.push(("钱多多".into(), "15412345678".into(), String::new())); // unallocated segment
    rows.push(("".into(), "13800138000".into(), String::new())); // no name
    rows.push(("孙七".into(), "1380013800".into(), String::new())); // 10 digits
    let (home, input, out) = job_files(&rows, "out.csv");
    let extra = ["--vendor", "wapi", "--concurrency", "4"];
    let r = run_batch(&home, &emu, &input, &out, "mobile", &extra);
    r.assert_code(0);
    let summary = r.json();
    assert_eq!(summary["rows"], 43);
    assert_eq!(summary["refused"], 3);
    assert_eq!(summary["duplicates"], 10);
    let ledger = emu.ledger();
    assert_eq!(
        ledger.wapi.requests, 30,
        "one request per distinct valid row"
    );
    assert_eq!(
        ledger.wapi.billed,
        summary["billed"].as_u64().unwrap(),
        "billing agrees with the vendor"
    );
    let (header, out_rows) = read_csv(&out);
    assert_every_row_once(&header, &out_rows, 43);
    let kinds = column(&header, &out_rows, "error_kind");
    assert_eq!(kinds.iter().filter(|k| *k == "invalid_input").count(), 3);
    let billed = column(&header, &out_rows, "billed");
    let messages = column(&header, &out_rows, "message");
    for (b, m) in billed.iter().zip(&messages) {
        if m.starts_with("duplicate of row") {
            assert_eq!(b, "false", "a copied answer is not billed again");
        }
    }
    let cost = summary["cost_yuan"].as_f64().unwrap();
    let expected = summary["billed"].as_f64().unwrap() * 0.6;
    assert!((cost - expected).abs() < 0.005, "{cost} vs {expected}");
}

#[test]
fn faults_are_written_as_errors_and_every_row_appears_once() {
    let emu = emulator();
    let mut rows = people(20);
    for (mobile, name) in [
        (magic::fault::mobile::RESET, "甲"),
        (magic::fault::mobile::BAD_GATEWAY, "乙"),
        (magic::fault::mobile::TRUNCATE, "丙"),
        (magic::wapi::mobile::SERVER_ERROR, "丁"),
        (magic::wapi::mobile::RATE_LIMITED, "戊"),
    ] {
        rows.insert(5, (name.to_string(), mobile.to_string(), String::new()));
    }
    let (home, input, out) = job_files(&rows, "out.jsonl");
    let r = run_batch(&home, &emu, &input, &out, "mobile", &["--vendor", "wapi"]);
    assert_eq!(r.code, 5, "rows without an answer: {r:?}");
    let lines = read_json_lines(&out);
    assert_eq!(lines.len(), 25);
    assert_json_rows_once(&lines, 25);
    let kind_of = |mobile: &str| {
        lines
            .iter()
            .find(|l| l["mobile"] == mobile)
            .map(|l| l["error_kind"].clone())
            .unwrap()
    };
    assert_eq!(kind_of(magic::fault::mobile::RESET), "transport");
    assert!(
        ["transport", "decode"]
            .contains(&kind_of(magic::fault::mobile::BAD_GATEWAY).as_str().unwrap())
    );
    assert!(
        ["transport", "decode"]
            .contains(&kind_of(magic::fault::mobile::TRUNCATE).as_str().unwrap())
    );
    assert_eq!(kind_of(magic::wapi::mobile::SERVER_ERROR), "upstream");
    assert_eq!(kind_of(magic::wapi::mobile::RATE_LIMITED), "rate_limited");
    let summary = r.json();
    assert_eq!(summary["errors"], 5, "{summary}");
    assert_eq!(summary["errors_by_kind"]["upstream"], 1, "{summary}");
    assert_eq!(
        summary["match"].as_u64().unwrap()
            + summary["mismatch"].as_u64().unwrap()
            + summary["not_found"].as_u64().unwrap(),
        20
    );
}

#[test]
fn random_gateway_errors_are_retried_and_money_is_accounted_for() {
    let emu =
        emulator_with(EmulatorConfig::default().faults(Faults::parse("502,rate=0.3").unwrap()));
    let (home, input, out) = job_files(&people(100), "out.csv");
    let r = run_batch(&home, &emu, &input, &out, "id", &["--concurrency", "16"]);
    assert_eq!(r.code, 5, "rows without an answer: {r:?}");
    let (header, rows) = read_csv(&out);
    assert_every_row_once(&header, &rows, 100);
    let summary = r.json();
    // A 502 page is never billed, so every billed call is an answer we wrote.
    assert_eq!(
        emu.ledger().wapi.billed,
        summary["billed"].as_u64().unwrap()
    );
    assert!(
        emu.ledger().wapi.requests > 100,
        "some requests were retried"
    );
}

#[test]
fn a_shared_refusal_stops_the_batch_and_resume_finishes_it() {
    let emu = emulator();
    let (home, input, out) = job_files(&people(60), "out.csv");
    let good = credentials(emu.base_url());
    let bad = with(
        good.clone(),
        "SHIMING_WAPI_SECRET",
        "not-the-secret-0123456789abcdefgh",
    );
    let args = wapi_batch(&input, &out, &["--concurrency", "4"]);
    let stopped = run(home.path(), &args, &bad);
    stopped.assert_code(3).assert_stderr_has("--resume");
    let (_, partial) = read_csv(&out);
    assert!(
        partial.len() < 60,
        "the batch stopped early ({} rows)",
        partial.len()
    );
    assert_eq!(emu.ledger().wapi.billed, 0);

    // Without --resume the unfinished job is protected.
    let again = run(home.path(), &args, &good);
    again.assert_code(2);
    assert!(
        again.stdout.contains("--resume") || again.stderr.contains("--resume"),
        "{again:?}"
    );

    let (finished, header, rows) = finish_resumed(home.path(), &args, &good, &out, 60);
    assert!(
        column(&header, &rows, "error_kind")
            .iter()
            .all(String::is_empty),
        "refused rows were checked again"
    );
    assert_eq!(finished.json()["errors"], 0);
    assert_eq!(
        emu.ledger().wapi.billed,
        finished.json()["billed"].as_u64().unwrap()
    );

    // Run again, the finished job says so and sends nothing.
    let requests_before = requests(&emu);
    let nothing_left = run(home.path(), &resumed(&args), &good);
    nothing_left.assert_code(0).assert_stderr_has("complete");
    assert_eq!(requests(&emu), requests_before);
}

#[test]
fn kill_9_then_resume_loses_nothing_and_writes_nothing_twice() {
    const ROWS: usize = 160;
    const CONCURRENCY: u64 = 16;
    let (emu, env) = slow_world(250, 1000);
    let (home, input, out) = job_files(&people(ROWS), "out.csv");
    let args = wapi_batch(&input, &out, &["--concurrency", "16"]);
    let done_at_kill = kill_9(start_batch(home.path(), &args, &env, &out, 40), &out);
    assert!(done_at_kill < ROWS, "killed mid-way");
    std::thread::sleep(Duration::from_millis(400)); // let requests already at the emulator finish
    let journal = out.with_file_name("out.csv.journal");
    assert!(journal.exists());
    #[cfg(unix)]
    assert_eq!(mode_of(&journal), 0o600);

    let (r, header, rows) = finish_resumed(home.path(), &args, &env, &out, ROWS);
    let summary = r.json();
    assert!(
        column(&header, &rows, "error_kind")
            .iter()
            .all(String::is_empty)
    );
    let resent = summary["resent"].as_u64().unwrap();
    assert!(resent <= CONCURRENCY, "resent {resent} > concurrency");
    assert!(resent > 0, "rows were in flight at the kill: {summary}");
    assert!(summary["resumed"].as_u64().unwrap() >= done_at_kill as u64);
    let ledger = emu.ledger().wapi;
    let requests = ledger.requests;
    // Every row reached the vendor; only rows in flight at the kill may have reached it twice.
    assert!(
        requests >= ROWS as u64 && requests <= ROWS as u64 + resent,
        "requests {requests}, resent {resent}"
    );
    // The vendor billed what we recorded, plus at most the answers lost with the killed process.
    let billed = summary["billed"].as_u64().unwrap();
    assert!(
        ledger.billed >= billed && ledger.billed <= billed + resent,
        "{} vs {billed}",
        ledger.billed
    );
    assert_journal_closed(&journal);
}

#[test]
fn kill_9_then_resume_skip_unknown_sends_nothing_twice() {
    const ROWS: usize = 120;
    let (emu, env) = slow_world(250, 1000);
    let (home, input, out) = job_files(&people(ROWS), "out.jsonl");
    let args = wapi_batch(&input, &out, &["--concurrency", "8"]);
    kill_9(start_batch(home.path(), &args, &env, &out, 20), &out);
    std::thread::sleep(Duration::from_millis(400));
    let at_kill = emu.ledger().wapi.requests;

    let resume = [&args[..], &["--resume", "--skip-unknown"]].concat();
    let r = run(home.path(), &resume, &env);
    assert_eq!(r.code, 5, "unknown rows have no answer: {r:?}");
    let summary = r.json();
    let unknown = summary["unknown"].as_u64().unwrap();
    assert!(unknown <= 8 && unknown > 0, "{summary}");
    assert_eq!(summary["resent"], 0);
    let resumed = summary["resumed"].as_u64().unwrap();
    let sent_now = emu.ledger().wapi.requests - at_kill;
    assert_eq!(
        sent_now,
        ROWS as u64 - resumed - unknown,
        "only never-sent rows were sent: {summary}"
    );
    assert_json_rows_once(&read_json_lines(&out), ROWS);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text.matches("\"error_kind\":\"unknown\"").count() as u64,
        unknown
    );
}

#[test]
fn json_lines_and_gbk_inputs() {
    let (home, emu, env) = world();
    let people = people(5);
    let jsonl = path(&home, "in.jsonl");
    let text: String = people
        .iter()
        .map(|(n, m, _)| format!("{{\"name\":\"{n}\",\"mobile\":{m}}}\n"))
        .collect();
    std::fs::write(&jsonl, text).unwrap();
    let out = path(&home, "a.csv");
    let r = run(
        home.path(),
        &batch_args(&jsonl, &out, "mobile-status", &[]),
        &env,
    );
    r.assert_code(0);
    let (header, rows) = read_csv(&out);
    assert_every_row_once(&header, &rows, 5);
    assert!(header.contains(&"real_carrier".to_string()), "{header:?}");
    assert_eq!(emu.ledger().ihuyi.requests, 5);

    let mut gbk_text = String::from("姓名,身份证号\n");
    for (n, _, id) in &people {
        gbk_text.push_str(&format!("{n},{id}\n"));
    }
    let (bytes, _, _) = encoding_rs::GBK.encode(&gbk_text);
    let gbk = path(&home, "excel.csv");
    std::fs::write(&gbk, &bytes).unwrap();
    let out = path(&home, "b.csv");
    let refused = run(home.path(), &batch_args(&gbk, &out, "id", &[]), &env);
    refused.assert_code(2).assert_stdout_has("--encoding gbk");
    let r = run(
        home.path(),
        &batch_args(&gbk, &out, "id", &["--encoding", "gbk"]),
        &env,
    );
    r.assert_code(0);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "a BOM for Excel");
    let (header, rows) = read_csv(&out);
    assert_eq!(header[0], "姓名");
    assert_every_row_once(&header, &rows, 5);
}

#[test]
fn qps_caps_the_request_rate() {
    let emu = emulator();
    let (home, input, out) = job_files(&people(11), "out.csv");
    let started = Instant::now();
    let extra = ["--qps", "10", "--concurrency", "8"];
    let r = run_batch(&home, &emu, &input, &out, "mobile", &extra);
    r.assert_code(0);
    // 11 evenly paced requests at 10/s span at least one second; only the lower bound is
    // asserted, which a slow machine cannot break.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn resume_refuses_a_different_job() {
    let (_emu, env) = slow_world(250, 1000);
    let (home, input, out) = job_files(&people(80), "out.csv");
    let args = batch_args(&input, &out, "mobile", &["--concurrency", "4"]);
    kill_9(start_batch(home.path(), &args, &env, &out, 4), &out);
    let r = run(
        home.path(),
        &batch_args(&input, &out, "id", &["--resume"]),
        &env,
    );
    r.assert_code(2).assert_stdout_has("--check");
}
