//! Trust with a real account (issue "Trust with a real account"): the real `shiming` binary
//! against the emulator over HTTP, with real processes, locks and signals.
//!
//! - the sandbox starts only when nothing at all is configured;
//! - one process per job;
//! - nothing is overwritten or billed again by accident;
//! - `--resume` finishes every row whose failure cost nothing, and checks the whole input;
//! - exit codes, and SIGTERM / SIGHUP stop a batch like Ctrl-C.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

// 1. The sandbox only when nothing is configured.

#[test]
fn a_misspelt_or_partial_setting_is_an_error_never_the_sandbox() {
    let emu = emulator();
    let (home, input, out) = job_files(&people(5), "out.csv");

    // SHIMING_WAPI_SECRETS: a typo of SHIMING_WAPI_SECRET.
    let mut typo: Vec<(String, String)> = credentials(emu.base_url())
        .into_iter()
        .filter(|(k, _)| k.starts_with("SHIMING_WAPI"))
        .collect();
    typo.retain(|(k, _)| k != "SHIMING_WAPI_SECRET");
    typo.push(("SHIMING_WAPI_SECRETS".into(), "typo".into()));
    let r = run(home.path(), &wapi_batch(&input, &out, &[]), &typo);
    r.assert_code(2)
        .assert_stdout_has("did you mean SHIMING_WAPI_SECRET?");
    assert!(!r.stderr.contains("sandbox:"), "{r:?}");
    assert!(!out.exists(), "nothing written");

    // The same secret missing, without the typo: wapi is partly configured.
    typo.retain(|(k, _)| k != "SHIMING_WAPI_SECRETS");
    let r = run(home.path(), &wapi_batch(&input, &out, &[]), &typo);
    r.assert_code(2);
    assert!(
        r.stdout.contains("wapi is partly configured") && r.stdout.contains("SHIMING_WAPI_SECRET"),
        "{r:?}"
    );

    // A config file with an appid and an endpoint but no secret.
    let config = path(&home, "c.toml");
    std::fs::write(
        &config,
        format!("[wapi]\nappid = \"1\"\nendpoint = \"{}\"\n", emu.base_url()),
    )
    .unwrap();
    let mut args = wapi_batch(&input, &out, &[]);
    args.extend(["--config", config.to_str().unwrap()]);
    let r = run(home.path(), &args, &[]);
    r.assert_code(2).assert_stdout_has("secret in [wapi]");

    // SHIMING_IHUYI_ACCOUNT alone.
    let only_account = vars(&[("SHIMING_IHUYI_ACCOUNT", "a")]);
    let r = run(
        home.path(),
        &["mobile-status", "--mobile", "13800138000"],
        &only_account,
    );
    r.assert_code(2).assert_stderr_has("SHIMING_IHUYI_APIKEY");

    // --endpoint alone is a setting, not a request for the sandbox.
    let r = run(home.path(), &["balance", "--endpoint", emu.base_url()], &[]);
    r.assert_code(2);
    assert!(!r.stderr.contains("sandbox:"), "{r:?}");
    assert_eq!(requests(&emu), 0, "nothing was sent");
}

#[test]
fn sandbox_answers_say_so_everywhere_a_program_reads() {
    let home = tempdir();
    let check = mobile_check("张三", "13800138000", &[]);
    let r = run(home.path(), &[&JSON[..], &check].concat(), &[]);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    assert_eq!(r.json()["sandbox"], true, "{r:?}");
    assert!(
        r.stderr.starts_with("sandbox: nothing is configured"),
        "{r:?}"
    );

    let input = path(&home, "in.csv");
    write_csv(&input, &people(6));
    let out = path(&home, "out.csv");
    let r = run(home.path(), &wapi_batch(&input, &out, &[]), &[]);
    r.assert_code(0);
    assert_eq!(r.json()["sandbox"], true);
    r.assert_stderr_has("SANDBOX");
    let (header, rows) = read_csv(&out);
    for vendor in column(&header, &rows, "vendor") {
        assert_eq!(vendor, "sandbox:wapi");
    }

    // --sandbox asks for it even with a real account configured; the answers never mix.
    let emu = emulator();
    let out2 = path(&home, "out2.csv");
    let mut args = wapi_batch(&input, &out2, &[]);
    args.push("--sandbox");
    let r = run(home.path(), &args, &credentials(emu.base_url()));
    r.assert_code(0);
    assert_eq!(r.json()["sandbox"], true);
    assert_eq!(requests(&emu), 0, "the real account was not asked");
}

// 2. One process per job.

#[test]
fn a_second_process_on_the_same_job_exits_at_once_and_sends_nothing() {
    let (emu, env) = slow_world(200, 100_000);
    let (home, input, out) = job_files(&people(60), "out.csv");
    let args = wapi_batch(&input, &out, &["--concurrency", "2"]);
    let mut first = start_batch(home.path(), &args, &env, &out, 2);

    for second_args in [args.clone(), resumed(&args)] {
        let before = requests(&emu);
        let started = Instant::now();
        let second = run(home.path(), &second_args, &env);
        second.assert_code(2);
        assert!(
            second
                .stdout
                .contains(&format!("process {} is running this job", first.id())),
            "{second:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5), "at once");
        // Only the first process's two requests in flight may have arrived meanwhile.
        assert!(requests(&emu) <= before + 2 + 2);
    }
    signal(&first, "TERM");
    let status = first.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    finish_resumed(home.path(), &args, &env, &out, 60);
    assert_eq!(
        emu.ledger().wapi.requests,
        60,
        "every row sent exactly once"
    );
}

// 3. Never overwrite, never re-bill by accident.

#[test]
fn an_existing_output_is_never_overwritten_and_a_finished_job_is_not_billed_again() {
    let (emu, env) = emulator_and_credentials();
    let (home, input, out) = job_files(&people(10), "out.csv");
    let args = wapi_batch(&input, &out, &[]);
    let first = run(home.path(), &args, &env);
    first.assert_code(0);
    let output = std::fs::read(&out).unwrap();

    // The same command again: complete, nothing sent.
    let again = run(home.path(), &args, &env);
    again.assert_code(0).assert_stderr_has("complete");
    assert_eq!(again.json()["billed"], first.json()["billed"]);
    assert_eq!(emu.ledger().wapi.requests, 10);
    assert_eq!(std::fs::read(&out).unwrap(), output, "untouched");

    // --force starts over, saying it bills again.
    let forced = run(home.path(), &[&args[..], &["--force"]].concat(), &env);
    forced
        .assert_code(0)
        .assert_stderr_has("up to 10 rows will be sent (and billed) again");
    assert_eq!(emu.ledger().wapi.requests, 20);

    // An unrelated existing file is refused, byte for byte untouched.
    let unrelated = path(&home, "notes.csv");
    std::fs::write(&unrelated, "keep me\n").unwrap();
    let r = run(home.path(), &wapi_batch(&input, &unrelated, &[]), &env);
    r.assert_code(2).assert_stdout_has("never overwrites");
    assert_eq!(std::fs::read_to_string(&unrelated).unwrap(), "keep me\n");

    // A different input for a finished job's output is refused too.
    let other = path(&home, "other.csv");
    write_csv(&other, &people(3));
    let r = run(home.path(), &wapi_batch(&other, &out, &[]), &env);
    r.assert_code(2);
    assert_eq!(emu.ledger().wapi.requests, 20);
}

#[cfg(unix)]
#[test]
fn out_must_be_a_regular_file_or_a_new_path() {
    use std::os::unix::fs::PermissionsExt;
    let (emu, env) = emulator_and_credentials();
    let (home, input, _) = job_files(&people(3), "out.csv");
    let fifo = path(&home, "fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let dev_null_mode = std::fs::metadata("/dev/null").unwrap().permissions().mode();
    let link = path(&home, "link.csv");
    std::fs::hard_link(&input, &link).unwrap();
    for (out, says) in [
        (Path::new("/dev/null"), "a device"),
        (fifo.as_path(), "a FIFO"),
        (home.path(), "a directory"),
        (link.as_path(), "same file as the input"),
    ] {
        let r = run(home.path(), &wapi_batch(&input, out, &[]), &env);
        r.assert_code(2);
        assert!(r.stdout.contains(says), "{says}: {r:?}");
    }
    assert_eq!(
        std::fs::metadata("/dev/null").unwrap().permissions().mode(),
        dev_null_mode,
        "no permission changed"
    );
    assert_eq!(requests(&emu), 0);
}

// 4. --resume finishes every unfinished row.

#[test]
fn resume_resends_rows_whose_failure_cost_nothing_and_checks_the_whole_input() {
    let emu = emulator();
    // Far more than 64 KiB, so an edit at the end is past any head hash.
    let (home, input, out) = job_files(&people(3000), "out.csv");
    let args = wapi_batch(&input, &out, &["--concurrency", "4"]);

    // Nothing listens: every request is refused, and certainly cost nothing.
    let down = with(
        credentials(emu.base_url()),
        "SHIMING_WAPI_ENDPOINT",
        "http://127.0.0.1:9",
    );
    let r = run(home.path(), &args, &down);
    r.assert_code(4);
    let failed = r.json()["errors_unbilled"].as_u64().unwrap();
    assert!(failed >= 50, "{r:?}");

    let resume = resumed(&args);

    // An input changed far down (one row removed) is noticed.
    let original = std::fs::read_to_string(&input).unwrap();
    let mut lines: Vec<&str> = original.lines().collect();
    lines.remove(2900);
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let r = run(home.path(), &resume, &credentials(emu.base_url()));
    r.assert_code(2).assert_stdout_has("input file changed");
    assert_eq!(requests(&emu), 0);
    std::fs::write(&input, &original).unwrap();

    let r = run(home.path(), &resume, &credentials(emu.base_url()));
    r.assert_code(0);
    let summary = r.json();
    assert_eq!(summary["retried"].as_u64().unwrap(), failed, "{summary}");
    assert_eq!(summary["errors"], 0, "{summary}");
    let (header, rows) = read_csv(&out);
    assert_every_row_once(&header, &rows, 3000);
    assert_eq!(emu.ledger().wapi.requests, 3000, "each row once");
}

// 5. Signals.

#[test]
fn sighup_stops_a_batch_like_ctrl_c_and_resume_finishes_it() {
    let (emu, env) = slow_world(200, 100_000);
    let (home, input, out) = job_files(&people(40), "out.csv");
    let args = wapi_batch(&input, &out, &["--concurrency", "4"]);
    let child = start_batch(home.path(), &args, &env, &out, 4);
    signal(&child, "HUP");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(129));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(summary["complete"], false);
    let written = summary["rows"].as_u64().unwrap();
    // Rows in flight finished and were recorded: the emulator answered what we wrote.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(emu.ledger().wapi.requests, written, "{summary}");
    assert!(out.with_file_name("out.csv.journal").exists());

    let r = run(home.path(), &resumed(&args), &env);
    r.assert_code(0);
    assert_eq!(emu.ledger().wapi.requests, 40);
}

#[test]
fn a_journal_that_never_recorded_a_row_is_no_job() {
    let (emu, env) = emulator_and_credentials();
    let (home, input, out) = job_files(&people(5), "out.csv");
    let args = wapi_batch(&input, &out, &[]);
    assert_eq!(run(home.path(), &args, &env).code, 0);
    // What a start that died right after writing the header leaves: the header alone (and
    // maybe an output with its column names).
    let journal = out.with_file_name("out.csv.journal");
    let text = std::fs::read_to_string(&journal).unwrap();
    std::fs::write(&journal, format!("{}\n", text.lines().next().unwrap())).unwrap();
    let r = run(home.path(), &args, &env);
    r.assert_code(0);
    assert_eq!(r.json()["resumed"], 0, "a fresh job");
    assert_eq!(emu.ledger().wapi.requests, 10);
}
