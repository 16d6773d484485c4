//! Secrets and personal data through the `shiming` binary: every command, at `RUST_LOG=trace`,
//! with `--output human` and `json`, on its happy and failing paths, with a sentinel secret in
//! every vendor account and a sentinel person.
//!
//! The policy this test holds the command to:
//! - the secret appears NOWHERE: not on stdout, not on stderr — not even from `sign`, where the
//!   user typed it on the command line (it prints the masked canonical string only), nor from
//!   `serve`, nor from `--help`;
//! - stderr is the log stream (tracing, warnings, human error messages): the person appears
//!   there masked only (测***, 139****4321, 110105********1239);
//! - stdout of the checks (`mobile-check`, `id-check`, `mobile-status`, `batch`'s summary) shows
//!   the person masked or not at all. Commands whose purpose is to show what the user typed
//!   may echo it on stdout: `inspect-id`/`inspect-mobile` print the normalized number, `sign`
//!   prints the canonical string of the parameters given (secret masked);
//! - the batch output file holds the input rows as given (it is the user's own data, for the
//!   user), so it and its journal are created mode 0600.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions may unwrap too

mod common;

use common::sentinel::*;
use common::*;
use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, Faults, WapiAuth};
use std::io::Read;
use std::path::Path;

// --- what may not appear -------------------------------------------------------------------

/// No secret anywhere; no person in the logs (stderr); on stdout only when `stdout_may_echo`.
#[track_caller]
fn assert_clean(what: &str, r: &Run, stdout_may_echo: bool) {
    assert!(!r.stderr.contains("panicked"), "{what}: {r:?}");
    assert_no_secret(&format!("{what}: stdout"), &r.stdout);
    assert_no_secret(&format!("{what}: stderr"), &r.stderr);
    assert_no_person(&format!("{what}: stderr"), &r.stderr);
    if !stdout_may_echo {
        assert_no_person(&format!("{what}: stdout"), &r.stdout);
    }
}

// --- the world -----------------------------------------------------------------------------

fn sentinel_emulator(auth: WapiAuth, secret: &str, qxt_key: &str) -> BlockingEmulator {
    Emulator::start_blocking(
        EmulatorConfig::default()
            .wapi_appid(APPID)
            .wapi_secret(secret)
            .wapi_auth(auth)
            .qxt_apikey(qxt_key)
            .ihuyi_account(ACCOUNT)
            .ihuyi_apikey(secret),
    )
    .expect("the emulator starts")
}

/// The sentinel credentials pointing at `base_url`, and `RUST_LOG=trace`.
fn env(base_url: &str, auth: &str) -> Vec<(String, String)> {
    let accounts = Accounts {
        wapi_appid: APPID,
        wapi_secret: SECRET,
        qxt_apikey: QXT_KEY,
        ihuyi_account: ACCOUNT,
        ihuyi_apikey: SECRET,
    };
    let mut env = accounts.env(base_url);
    env.extend(vars(&[("SHIMING_WAPI_AUTH", auth), ("RUST_LOG", "trace")]));
    env
}

/// Every one-shot command about the sentinel person (and a few refused offline).
fn check_commands() -> Vec<Vec<&'static str>> {
    let mut all = vec![mobile_check(NAME, MOBILE, &[])];
    all.extend(sentinel::checks());
    // Sent as given, for the vendor's own refusals of bad input.
    all.push(mobile_check(NAME, "1398765432", &["--no-precheck"]));
    all
}

/// Runs every command with both outputs and checks what it printed.
fn run_all(home: &Path, env: &[(String, String)], commands: &[Vec<&str>]) -> Vec<Run> {
    run_all_echoing(home, env, commands, false)
}

/// [`run_all`], stdout allowed to echo the person when `stdout_may_echo`.
fn run_all_echoing(
    home: &Path,
    env: &[(String, String)],
    commands: &[Vec<&str>],
    stdout_may_echo: bool,
) -> Vec<Run> {
    let mut runs = Vec::new();
    for args in commands {
        for args in with_each_output(args) {
            let r = run(home, &args, env);
            assert_clean(&format!("shiming {}", args.join(" ")), &r, stdout_may_echo);
            runs.push(r);
        }
    }
    runs
}

// --- the checks ----------------------------------------------------------------------------

#[test]
fn checks_answer_without_leaking_in_either_auth_mode() {
    let home = tempdir();
    for (auth, emulator_auth) in [("md5", WapiAuth::Md5), ("hash", WapiAuth::Hash)] {
        let emu = sentinel_emulator(emulator_auth, SECRET, QXT_KEY);
        let runs = run_all(home.path(), &env(emu.base_url(), auth), &check_commands());
        // They really were answered with the sentinel credentials, and traced.
        assert_eq!(runs[0].code, 0, "{:?}", runs[0]);
        assert!(emu.ledger().wapi.billed > 0 && emu.ledger().qxt.billed > 0);
        let logs: String = runs.iter().map(|r| r.stderr.as_str()).collect();
        for masked in [
            "测***",
            "139****4321",
            "110105********1239",
            "TRACE",
            "DEBUG",
        ] {
            assert!(
                logs.contains(masked),
                "{masked:?} missing from the logs:\n{logs}"
            );
        }
    }
}

#[test]
fn refusals_transport_failures_and_decode_errors_name_no_secret_and_mask_the_person() {
    let home = tempdir();
    // The vendor knows another secret: every check is refused as an auth failure.
    let emu = sentinel_emulator(WapiAuth::Hash, OTHER_SECRET, &OTHER_SECRET[..32]);
    let runs = run_all(home.path(), &env(emu.base_url(), "hash"), &check_commands());
    assert!(
        runs.iter()
            .any(|r| r.code == 3 && r.stdout.contains("\"auth\""))
    );

    // Faults: transport failures, and the 502 page quoted in a decode error.
    let emu = sentinel_emulator(WapiAuth::Md5, SECRET, QXT_KEY);
    for spec in ["reset", "502", "truncate", "oversized", "unquoted-keys"] {
        emu.set_faults(Faults::parse(spec).unwrap());
        let runs = run_all(home.path(), &env(emu.base_url(), "md5"), &check_commands());
        if spec != "unquoted-keys" {
            assert!(runs.iter().any(|r| r.code == 4), "{spec}: {:?}", runs[0]);
        }
    }
    emu.set_faults(Faults::none());

    // Nothing listens at the endpoint.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    run_all(home.path(), &env(&closed, "md5"), &check_commands());
}

/// Input refused offline is named by what is wrong with it, never repeated whole (a human
/// error goes to stderr, the log stream; a JSON one to stdout).
#[test]
fn input_refused_offline_is_named_masked() {
    let home = tempdir();
    let emu = sentinel_emulator(WapiAuth::Md5, SECRET, QXT_KEY);
    let bad_mobile = "15487654321"; // unallocated segment
    let bad_id = "110105199003071230"; // wrong check digit
    let commands = vec![
        vec!["mobile-check", "--name", NAME, "--mobile", bad_mobile],
        vec!["id-check", "--name", NAME, "--id", bad_id],
        vec!["mobile-status", "--mobile", bad_mobile],
        vec!["mobile-check", "--name", "测试哨兵2", "--mobile", MOBILE],
    ];
    for args in commands {
        for args in with_each_output(&args) {
            let r = run(home.path(), &args, &env(emu.base_url(), "md5"));
            r.assert_code(2);
            for text in [&r.stdout, &r.stderr] {
                for whole in [bad_mobile, bad_id, NAME] {
                    assert!(!text.contains(whole), "{whole} unmasked: {r:?}");
                }
            }
        }
    }
}

// --- batch ---------------------------------------------------------------------------------

#[test]
fn batch_logs_and_summary_keep_the_person_out_and_files_are_private() {
    let home = tempdir();
    let emu = sentinel_emulator(WapiAuth::Md5, SECRET, QXT_KEY);
    let mut rows = people(6);
    rows.insert(2, sentinel::row());
    rows.push(sentinel::row()); // a duplicate
    rows.push((
        "钱多多".into(),
        "15412345678".into(),
        "110105199003071230".into(),
    )); // refused
    let input = path(&home, "in.csv");
    write_csv(&input, &rows);
    let env = env(emu.base_url(), "md5");
    for batch in sentinel::BatchRun::all(home.path(), "") {
        let r = run(home.path(), &batch.args(&input), &env);
        r.assert_code(0);
        assert_clean(&batch.what(), &r, false);
        // The output file is the user's data, for the user: it may hold the input as given,
        // never a secret, and nobody else may read it.
        let written = std::fs::read_to_string(&batch.out).unwrap();
        assert_no_secret("the batch output", &written);
        assert!(written.contains(MOBILE), "the input row is in the output");
        #[cfg(unix)]
        assert_eq!(mode_of(&batch.out), 0o600, "{}", batch.out.display());
    }

    // A job stopped by the vendor (wrong secret) leaves its journal: private too, no secret.
    let wrong = sentinel_emulator(WapiAuth::Md5, OTHER_SECRET, &OTHER_SECRET[..32]);
    let out = path(&home, "stopped.csv");
    let r = run(
        home.path(),
        &batch_args(&input, &out, "id", &[]),
        &env_for(&wrong),
    );
    r.assert_code(3);
    assert_clean("a stopped batch", &r, false);
    let journal = out.with_file_name("stopped.csv.journal");
    assert!(journal.exists(), "{r:?}");
    assert_no_secret("the journal", &std::fs::read_to_string(&journal).unwrap());
    #[cfg(unix)]
    {
        assert_eq!(mode_of(&out), 0o600);
        assert_eq!(mode_of(&journal), 0o600);
    }
}

fn env_for(emu: &BlockingEmulator) -> Vec<(String, String)> {
    env(emu.base_url(), "md5")
}

/// `RUST_LOG=trace` leaves the HTTP libraries (hyper, reqwest, h2, rustls, ureq…) at INFO —
/// their TRACE output dumps the wire — and says so at TRACE; naming them gets their output.
#[test]
fn http_wire_dumps_need_asking_for_by_name() {
    let home = tempdir();
    let emu = sentinel_emulator(WapiAuth::Md5, SECRET, QXT_KEY);
    let args = [
        "mobile-check",
        "--name",
        NAME,
        "--mobile",
        MOBILE,
        "--vendor",
        "wapi",
    ];
    let mut env = env(emu.base_url(), "md5");
    let capped = run(home.path(), &args, &env);
    capped.assert_code(0);
    assert_clean("RUST_LOG=trace", &capped, false);
    capped.assert_stderr_has("wire dumps are capped");
    for (key, value) in &mut env {
        if key == "RUST_LOG" {
            *value = "trace,hyper=trace,hyper_util=trace,reqwest=trace".into();
        }
    }
    let named = run(home.path(), &args, &env);
    named.assert_code(0);
    // hyper_util and reqwest log every connection at DEBUG/TRACE (pool checkout, connect).
    assert!(
        named.stderr.lines().count() > capped.stderr.lines().count(),
        "naming the targets shows their output:\n{}\n---\n{}",
        capped.stderr,
        named.stderr
    );
}

// --- sign, inspect, fake, help -------------------------------------------------------------

/// The secrets from the environment (a command line shows in `ps`; typed there, they are
/// refused: `tests/leaks.rs`), and `RUST_LOG=trace`.
fn secrets_traced() -> Vec<(String, String)> {
    vars(&[
        ("RUST_LOG", "trace"),
        ("SHIMING_WAPI_SECRET", SECRET),
        ("SHIMING_IHUYI_APIKEY", SECRET),
    ])
}

#[test]
fn sign_prints_the_masked_canonical_string_never_the_secret() {
    let home = tempdir();
    let trace = secrets_traced();
    let person = [
        "appid=1",
        "bank_name=测试哨兵",
        "mobile=13987654321",
        "format=json",
        "time=1604973925",
    ];
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for auth in ["md5", "hash"] {
        let mut args = vec!["sign", "wapi", "--auth", auth];
        args.extend(person);
        commands.push(args.clone());
        // Comparing with what was sent: in Hash mode what was sent IS the secret.
        let mut compare = args.clone();
        compare.push(if auth == "hash" {
            "sign=SENTINEL-SECRET-7f3a9c"
        } else {
            "sign=00000000000000000000000000000000"
        });
        commands.push(compare);
        let mut wrong = args.clone();
        wrong.push("sign=SENTINEL-SECRET-7f3a9c-but-wrong");
        commands.push(wrong);
    }
    let ihuyi = [
        "sign",
        "ihuyi",
        "--account",
        ACCOUNT,
        "--time",
        "1651544941",
    ];
    commands.push([&ihuyi[..], &["--mobile", MOBILE]].concat());
    commands.push([&ihuyi[..], &["--password", SECRET]].concat());
    for args in &commands {
        for args in with_each_output(args) {
            let r = run(home.path(), &args, &trace);
            // Hash mode refuses a `sign=` (the secret itself) on the command line: exit 2.
            let refused = args.contains(&"hash") && args.iter().any(|a| a.starts_with("sign="));
            assert_eq!(r.code == 2, refused, "{r:?}");
            assert!(r.code <= 2, "{r:?}");
            // The canonical string repeats the parameters the user typed: stdout may echo them.
            assert_clean(&format!("shiming {}", args.join(" ")), &r, true);
            if refused {
                continue;
            }
            assert!(
                r.stdout.contains("***"),
                "the secret's place is marked: {r:?}"
            );
        }
    }

    // The secret from the environment, and a usage error next to it.
    let env = with(secrets_traced(), "SHIMING_IHUYI_ACCOUNT", ACCOUNT);
    for args in [
        vec!["sign", "wapi", "appid=1", "time=1"],
        vec!["sign", "wapi", "appid=1", "novalue"],
        vec!["sign", "ihuyi", "--time", "1"],
        vec!["sign", "wapi", "--help"],
        vec!["sign", "ihuyi", "--help"],
        vec!["serve", "--help"],
    ] {
        let r = run(home.path(), &args, &env);
        assert_clean(&format!("shiming {}", args.join(" ")), &r, true);
    }
}

#[test]
fn offline_commands_echo_their_input_on_stdout_only() {
    let home = tempdir();
    let emu = sentinel_emulator(WapiAuth::Md5, SECRET, QXT_KEY);
    let env = env(emu.base_url(), "md5");
    let commands = [
        vec!["inspect-id", ID_NUMBER],
        vec!["inspect-id", "110105199003071230"],
        vec!["inspect-mobile", MOBILE],
        vec!["inspect-mobile", "+86 139-8765-4321"],
        vec!["fake-id", "--count", "3"],
        vec!["fake-mobile", "--count", "3"],
    ];
    run_all_echoing(home.path(), &env, &commands, true);
    assert_eq!(requests(&emu), 0, "offline commands send nothing");
}

// --- serve ---------------------------------------------------------------------------------

/// `shiming serve` with the sentinel credentials (from the environment, then from flags),
/// answering one check, then stopped with SIGTERM: neither stream shows the secret.
#[cfg(unix)]
#[test]
fn serve_never_prints_configured_secrets() {
    let home = tempdir();
    let from_env = env("http://127.0.0.1:9", "md5");
    // Flags name the variables (a secret itself on the command line is refused).
    let flags = [
        "--wapi-appid",
        APPID,
        "--wapi-secret",
        "env:PROBE_WAPI",
        "--qxt-apikey",
        "env:PROBE_QXT",
        "--ihuyi-account",
        ACCOUNT,
        "--ihuyi-apikey",
        "env:PROBE_IHUYI",
    ];
    let named = vars(&[
        ("RUST_LOG", "trace"),
        ("PROBE_WAPI", SECRET),
        ("PROBE_QXT", QXT_KEY),
        ("PROBE_IHUYI", SECRET),
    ]);
    for (extra, env) in [(&[][..], from_env.clone()), (&flags[..], named)] {
        let mut serve = command(home.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .envs(env.iter().cloned())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = serve.stderr.take().unwrap();
        let drain = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let Listening {
            first,
            url,
            mut stdout,
        } = listening(&mut serve);

        // A client with the same credentials is answered: the server really uses them.
        let client_env: Vec<_> = from_env
            .iter()
            .filter(|(k, _)| !k.ends_with("_ENDPOINT"))
            .cloned()
            .collect();
        let args = mobile_check(NAME, MOBILE, &["--endpoint", &url]);
        let r = run(home.path(), &args, &client_env);
        assert!(r.code == 0 || r.code == 1, "{first}: {r:?}");
        assert_clean("a check against serve", &r, false);

        signal(&serve, "TERM");
        let _ = serve.wait();
        let mut rest = String::new();
        let _ = stdout.read_to_string(&mut rest);
        let served = Run {
            code: 0,
            stdout: format!("{first}{rest}"),
            stderr: drain.join().unwrap(),
        };
        assert_clean("shiming serve", &served, false);
        assert!(served.stdout.starts_with("listening on "), "{served:?}");
    }
}

// --- the configuration file ----------------------------------------------------------------

fn config_file(home: &Path, name: &str, text: &str) -> String {
    let path = home.join(name);
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.to_str().unwrap().to_string()
}

#[test]
fn a_config_file_with_secrets_is_used_without_printing_them() {
    let home = tempdir();
    let emu = sentinel_emulator(WapiAuth::Md5, SECRET, QXT_KEY);
    let url = emu.base_url();
    let good = config_file(
        home.path(),
        "good.toml",
        &format!(
            "[wapi]\nappid = \"{APPID}\"\nsecret = \"{SECRET}\"\nendpoint = \"{url}\"\n\
             [qxt]\napikey = \"{QXT_KEY}\"\nendpoint = \"{url}\"\n\
             [ihuyi]\naccount = \"{ACCOUNT}\"\napikey = \"{SECRET}\"\nendpoint = \"{url}\"\n"
        ),
    );
    let trace = secrets_traced();
    let with_config: Vec<Vec<&str>> = check_commands()
        .into_iter()
        .map(|args| [&args[..], &["--config", &good]].concat())
        .collect();
    run_all(home.path(), &trace, &with_config);
    assert!(
        emu.ledger().wapi.billed > 0,
        "the file's credentials were used"
    );

    // Readable by others: the warning names the file, not its contents.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o644)).unwrap();
        let r = run(home.path(), &["balance", "--config", &good], &trace);
        r.assert_stderr_has("chmod 600");
        assert_clean("a world-readable config file", &r, false);
    }
}

/// A mistake in the file around a secret (a misspelt key, a value without quotes, a value of
/// the wrong type): the error names the file, line and column and what is wrong — never the
/// offending line, which holds the secret.
#[test]
fn a_broken_config_file_never_quotes_the_secret() {
    let home = tempdir();
    let trace = secrets_traced();
    for (name, text) in [
        (
            "typo.toml",
            format!("[wapi]\nappid = \"{APPID}\"\nsecert = \"{SECRET}\"\n"),
        ),
        (
            "unquoted.toml",
            format!("[ihuyi]\naccount = \"{ACCOUNT}\"\napikey = {SECRET}\n"),
        ),
        ("type.toml", format!("[qxt]\napikey = [\"{QXT_KEY}\"]\n")),
    ] {
        let file = config_file(home.path(), name, &text);
        for args in with_each_output(&["balance", "--config", &file]) {
            let r = run(home.path(), &args, &trace);
            r.assert_code(2);
            assert_clean(&format!("config {name}"), &r, false);
            let said = format!("{}{}", r.stdout, r.stderr);
            assert!(said.contains(&file), "the file is named: {r:?}");
            assert!(said.contains(", column "), "the place is named: {r:?}");
            if name == "typo.toml" {
                assert!(said.contains("line 3, column 1"), "{r:?}");
                assert!(said.contains("unknown key `secert`"), "{r:?}");
            }
        }
    }
}
