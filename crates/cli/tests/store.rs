//! Never pay twice (issue "Never pay twice"): the verdict store, the spend ledger and
//! `--max-cost`, through the real binary against the emulator, with real processes and a real
//! SQLite file.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::*;
use shiming_emulator::directory::mobile_verdict;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// `n` people the emulator knows (no "not found": those answers are never kept).
fn known_people(n: usize) -> Vec<(String, String, String)> {
    people(n * 2)
        .into_iter()
        .filter(|(name, mobile, _)| {
            mobile_verdict(name, mobile) != shiming_emulator::directory::Verdict::NotFound
        })
        .take(n)
        .collect()
}

fn batch<'a>(input: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    wapi_batch(input, out, &[&["--concurrency", "32"], extra].concat())
}

fn store_files(home: &Path) -> Vec<std::path::PathBuf> {
    let dir = home.join(".local/share/shiming");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("verdicts.sqlite"))
        .collect()
}

#[test]
fn a_file_run_twice_is_paid_once_and_forgetting_a_person_asks_again_for_them_only() {
    const ROWS: usize = 10_000;
    let (emu, env) = emulator_and_credentials();
    let everyone = known_people(ROWS);
    let (home, input, _) = job_files(&everyone, "out.csv");

    let out1 = path(&home, "first.csv");
    let first = run_stored(home.path(), &batch(&input, &out1, &[]), &env);
    first.assert_code(0);
    assert_eq!(emu.ledger().wapi.requests, ROWS as u64);

    let out2 = path(&home, "second.csv");
    let second = run_stored(home.path(), &batch(&input, &out2, &[]), &env);
    second.assert_code(0);
    assert_eq!(
        emu.ledger().wapi.requests,
        ROWS as u64,
        "the second run sent nothing"
    );
    let summary = second.json();
    assert_eq!(summary["reused"], ROWS as u64, "{summary}");
    assert_eq!(summary["billed"], 0, "{summary}");
    assert_eq!(summary["saved_yuan"], 6000.0, "{summary}");
    let (h1, r1) = read_csv(&out1);
    let (h2, r2) = read_csv(&out2);
    assert_eq!(
        column(&h1, &r1, "verdict"),
        column(&h2, &r2, "verdict"),
        "identical verdicts"
    );

    // The spend ledger has the first run's calls, and nothing of the second.
    let spend = run_stored(
        home.path(),
        &["--output", "json", "spend", "--by", "vendor"],
        &[],
    );
    spend.assert_code(0);
    let rows = spend.json()["rows"].clone();
    assert_eq!(rows[0]["vendor"], "wapi", "{rows}");
    assert_eq!(rows[0]["billed_calls"], ROWS as u64, "{rows}");
    assert_eq!(rows[0]["billed"], "6000.00", "{rows}");

    // A person's right to deletion: forget one, and only they are asked again.
    let (name, mobile, _) = &everyone[1234];
    let forget = run_stored(
        home.path(),
        &[
            "--output", "json", "cache", "forget", "--mobile", mobile, "--name", name,
        ],
        &[],
    );
    forget.assert_code(0);
    assert_eq!(forget.json()["removed"], 1, "{forget:?}");
    let out3 = path(&home, "third.csv");
    let third = run_stored(home.path(), &batch(&input, &out3, &[]), &env);
    third.assert_code(0);
    assert_eq!(
        emu.ledger().wapi.requests,
        ROWS as u64 + 1,
        "exactly one request"
    );

    // No name, mobile or ID number in the store file, its WAL or its shared memory.
    let files = store_files(home.path());
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for (name, mobile, id) in everyone.iter().step_by(97) {
            for needle in [name.as_bytes(), mobile.as_bytes(), id.as_bytes()] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "{} holds personal data",
                    file.display()
                );
            }
        }
    }

    let stats = run_stored(home.path(), &["--output", "json", "cache", "stats"], &[]);
    stats.assert_code(0);
    assert_eq!(
        stats.json()["checks"][0]["entries"],
        ROWS as u64,
        "{stats:?}"
    );
}

#[test]
fn a_single_check_is_answered_from_the_store_the_second_time() {
    let (home, emu, env) = world();
    let (name, mobile, _) = known_people(1).remove(0);
    let check = mobile_check(&name, &mobile, &["--vendor", "wapi"]);
    let args = [&JSON[..], &check].concat();
    let first = run_stored(home.path(), &args, &env);
    assert!(first.code <= 1, "{first:?}");
    assert_eq!(first.json()["cached"], false);
    let again = run_stored(home.path(), &args, &env);
    assert_eq!(again.code, first.code, "{again:?}");
    let answer = again.json();
    assert_eq!(answer["cached"], true, "{answer}");
    assert_eq!(answer["billed"], false, "{answer}");
    assert_eq!(answer["verdict"], first.json()["verdict"]);
    assert!(
        answer["checked_at"].as_str().unwrap().ends_with('Z'),
        "{answer}"
    );
    assert_eq!(emu.ledger().wapi.requests, 1);
    // --no-cache asks the vendor.
    let mut uncached = args.to_vec();
    uncached.push("--no-cache");
    let fresh = run_stored(home.path(), &uncached, &env);
    assert_eq!(fresh.json()["cached"], false);
    assert_eq!(emu.ledger().wapi.requests, 2);
}

#[test]
fn two_processes_share_one_store_and_a_kill_9_leaves_it_usable() {
    let home = tempdir();
    let emu = emulator_with(
        shiming_emulator::EmulatorConfig::default()
            .latency(Duration::from_millis(20))
            .rate_limit(None),
    );
    let env = credentials(emu.base_url());
    let store = path(&home, "shared.sqlite");
    let store_arg = store.to_str().unwrap().to_string();
    let everyone = known_people(600);
    let (a, b) = everyone.split_at(300);
    let (in_a, in_b) = (path(&home, "a.csv"), path(&home, "b.csv"));
    write_csv(&in_a, a);
    write_csv(&in_b, b);
    let (out_a, out_b) = (path(&home, "a-out.csv"), path(&home, "b-out.csv"));
    let spawn = |input: &Path, out: &Path| {
        command_with_store(home.path())
            .args(batch(input, out, &["--cache", &store_arg]))
            .envs(env.iter().cloned())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(&in_a, &out_a), spawn(&in_b, &out_b));
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }

    // Kill one mid-run, then the store still opens and answers.
    let mut victim = spawn(&in_a, &path(&home, "again.csv"));
    std::thread::sleep(Duration::from_millis(150));
    victim.kill().unwrap();
    let _ = victim.wait();
    let stats = run_stored(
        home.path(),
        &["--output", "json", "--cache", &store_arg, "cache", "stats"],
        &[],
    );
    stats.assert_code(0);
    assert_eq!(stats.json()["checks"][0]["entries"], 600, "{stats:?}");
    let before = emu.ledger().wapi.requests;
    let all = path(&home, "all.csv");
    write_csv(&all, &everyone);
    let r = run_stored(
        home.path(),
        &batch(&all, &path(&home, "all-out.csv"), &["--cache", &store_arg]),
        &env,
    );
    r.assert_code(0);
    assert_eq!(r.json()["reused"], 600);
    assert_eq!(emu.ledger().wapi.requests, before);
}

#[test]
fn max_cost_stops_within_one_price_of_the_cap_and_resumes_with_a_higher_one() {
    let (emu, env) = emulator_and_credentials();
    let (home, input, out) = job_files(&known_people(40), "out.csv");
    let args = batch(&input, &out, &["--max-cost", "3.30", "--no-cache"]);
    let r = run(home.path(), &args, &env);
    r.assert_code(6);
    let spent = r.json()["cost_yuan_max"].as_f64().unwrap();
    assert!(spent <= 3.30 && 3.30 - spent < 0.6, "spent {spent}");
    assert_eq!(emu.ledger().wapi.billed, 5, "5 × 0.6 ≤ 3.30 < 6 × 0.6");

    let more = batch(&input, &out, &["--max-cost", "100", "--no-cache"]);
    let r = run(home.path(), &resumed(&more), &env);
    r.assert_code(0);
    assert_eq!(emu.ledger().wapi.requests, 40);

    // A cap with no price to hold it to is refused before anything is sent.
    let q_out = path(&home, "q.csv");
    let qxt = batch(&input, &q_out, &["--max-cost", "1"]);
    let qxt: Vec<&str> = qxt
        .into_iter()
        .map(|a| if a == "wapi" { "qxt" } else { a })
        .collect();
    let r = run(home.path(), &qxt, &env);
    r.assert_code(2).assert_stdout_has("--price qxt=");
}

#[test]
fn a_price_flag_that_cannot_be_right_is_refused_before_anything_is_sent() {
    let (emu, env) = emulator_and_credentials();
    let (home, input, out) = job_files(&known_people(3), "out.csv");
    let refusals = [
        ("wapi=-1", "the price must be a number of yuan, 0 or more"),
        ("wapi=NaN", "the price must be a number of yuan, 0 or more"),
        ("wapi=abc", "the price must be a number of yuan, 0 or more"),
        ("wapj=0.4", "unknown vendor `wapj`"),
        ("ihuyi=0.1", "ihuyi does not offer --check mobile"),
    ];
    for (price, says) in refusals {
        let args = batch(&input, &out, &["--price", price, "--no-cache"]);
        run(home.path(), &args, &env)
            .assert_code(2)
            .assert_stdout_has(says);
    }
    assert_eq!(emu.ledger().wapi.requests, 0);
}
