//! End-to-end: the one-shot commands against a real emulator on 127.0.0.1 — every command,
//! human and JSON output, exit codes, offline refusal (checked on the ledger), configuration
//! precedence and the sandbox.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions may unwrap too

mod common;

use common::*;
use shiming_emulator::directory::{
    ID_MATCH_2, ID_MISMATCH, ID_NOT_FOUND, MOBILE_MATCH, MOBILE_MISMATCH, MOBILE_NOT_FOUND,
    MOBILE_PORTED,
};
use shiming_emulator::{Vendor, magic, sandbox};

#[test]
fn mobile_check_match_human_and_json() {
    let (home, emu, env) = world();
    let (name, mobile) = (MOBILE_MATCH.name, MOBILE_MATCH.number);

    let human = run(home.path(), &mobile_check(name, mobile, &[]), &env);
    human.assert_code(0);
    assert!(
        human
            .stdout
            .starts_with("match: 186****8888 belongs to 张*"),
        "{human:?}"
    );
    assert!(
        !human.stdout.contains(mobile),
        "human output masks the number: {human:?}"
    );
    assert!(
        !human.stderr.contains("sandbox:"),
        "credentials were given: {human:?}"
    );

    // Global flags work after the subcommand too.
    let json = run(home.path(), &mobile_check(name, mobile, &JSON), &env);
    json.assert_code(0);
    let v = json.json();
    assert_eq!(v["vendor"], "wapi");
    assert_eq!(v["check"], "mobile_two_elements");
    assert_eq!(v["verdict"], "match");
    assert_eq!(v["billed"], true);
    assert_eq!(v["vendor_code"], "10000");
    assert!(v["vendor_message"].is_string());
    assert!(v["details"]["carrier"].is_string(), "{v}");
    assert_eq!(emu.ledger().wapi.billed, 2);
}

#[test]
fn mobile_check_verdicts_and_vendors() {
    let (home, emu, env) = world();
    let mismatch = mobile_check("某人", MOBILE_MISMATCH.number, &["--vendor", "qxt"]);
    let mismatch = run(home.path(), &[&JSON[..], &mismatch].concat(), &env);
    mismatch.assert_code(1);
    assert_eq!(mismatch.json()["verdict"], "mismatch");
    assert_eq!(mismatch.json()["vendor"], "qxt");

    let (name, mobile) = (MOBILE_NOT_FOUND.name, MOBILE_NOT_FOUND.number);
    let not_found = run(home.path(), &mobile_check(name, mobile, &JSON), &env);
    not_found.assert_code(1);
    assert_eq!(not_found.json()["verdict"], "not_found");
    assert_eq!(not_found.json()["billed"], false);
    assert_eq!(emu.ledger().qxt.requests, 1);
}

#[test]
fn id_check_every_verdict() {
    let (home, _emu, env) = world();
    for (person, code, verdict) in [
        (ID_MATCH_2, 0, "match"),
        (ID_MISMATCH, 1, "mismatch"),
        (ID_NOT_FOUND, 1, "not_found"),
    ] {
        let r = run(
            home.path(),
            &id_check(person.name, person.number, &JSON),
            &env,
        );
        assert_eq!(r.code, code, "{r:?}");
        let v = r.json();
        assert_eq!(v["verdict"], verdict);
        assert_eq!(v["check"], "id_two_elements");
    }
    let human = run(
        home.path(),
        &id_check(ID_MATCH_2.name, ID_MATCH_2.number, &[]),
        &env,
    );
    human.assert_stdout_has("110101********4477");
}

#[test]
fn mobile_status_and_balance() {
    let home = tempdir();
    let emu = emulator();
    emu.handle().set_balance(Vendor::Ihuyi, 4321);
    let env = credentials(emu.base_url());
    let status = ["mobile-status", "--mobile", MOBILE_PORTED.number];
    let r = run(home.path(), &[&JSON[..], &status].concat(), &env);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["vendor"], "ihuyi");
    assert_eq!(v["check"], "mobile_status");
    assert_eq!(v["details"]["ported"], true, "{v}");
    assert_ne!(v["details"]["carrier"], v["details"]["real_carrier"], "{v}");
    assert!(v["details"]["tenure"].is_string(), "{v}");
    let human = run(home.path(), &status, &env);
    human.assert_stdout_has("ported");

    let not_found = run(
        home.path(),
        &[
            "mobile-status",
            "--mobile",
            magic::ihuyi::NOT_FOUND,
            "--output",
            "json",
        ],
        &env,
    );
    not_found.assert_code(1);
    assert_eq!(not_found.json()["verdict"], "not_found");

    let balance = run(home.path(), &["balance", "--output", "json"], &env);
    balance.assert_code(0);
    // The two billed status calls came off the balance (not found is not billed).
    assert_eq!(balance.json()["details"]["balance"], 4319);
    assert!(balance.json().get("verdict").is_none());
    let human = run(home.path(), &["balance"], &env);
    human.assert_stdout_has("4319");
}

#[test]
fn offline_refusal_sends_nothing() {
    let (home, emu, env) = world();
    let bad_mobile = run(
        home.path(),
        &mobile_check("张三", "15412345678", &JSON),
        &env,
    );
    bad_mobile.assert_code(2);
    let error = &bad_mobile.json()["error"];
    assert_eq!(error["kind"], "invalid_input");
    assert_eq!(error["retryable"], false);
    assert!(
        error["message"].as_str().unwrap().contains("154"),
        "{error}"
    );

    // Wrong check digit.
    let bad_id = run(
        home.path(),
        &id_check("张三", "110101199003074478", &[]),
        &env,
    );
    bad_id.assert_code(2).assert_stderr_has("invalid_input");
    let bad_status = run(home.path(), &["mobile-status", "--mobile", "1234"], &env);
    bad_status.assert_code(2);
    assert_eq!(requests(&emu), 0, "no request may reach the vendor");

    // --no-precheck sends it anyway.
    let sent = run(
        home.path(),
        &mobile_check("张三", "15412345678", &["--no-precheck"]),
        &env,
    );
    assert_ne!(sent.code, 2, "{sent:?}");
    assert_eq!(requests(&emu), 1);
}

#[test]
fn vendor_refusal_exits_3_and_transport_failure_exits_4() {
    let (home, _emu, env) = world();
    let wapi_json = ["--vendor", "wapi", "--output", "json"];
    let refused = mobile_check("张三", magic::wapi::mobile::IP_NOT_ALLOWED, &wapi_json);
    let refused = run(home.path(), &refused, &env);
    refused.assert_code(3);
    let error = &refused.json()["error"];
    assert_eq!(error["kind"], "ip_not_allowed");
    assert_eq!(error["vendor_code"], "10006");

    let auth = run(
        home.path(),
        &["balance"],
        &with(
            env.clone(),
            "SHIMING_IHUYI_APIKEY",
            "wrong-key-0123456789abcdef012345",
        ),
    );
    auth.assert_code(3).assert_stderr_has("error:");
    assert!(
        !auth.stderr.contains("wrong-key"),
        "secrets never printed: {auth:?}"
    );

    let reset = mobile_check("张三", magic::fault::mobile::RESET, &wapi_json);
    let reset = run(home.path(), &reset, &env);
    reset.assert_code(4);
    assert_eq!(reset.json()["error"]["kind"], "transport");

    let nobody = run(
        home.path(),
        &["balance", "--output", "json"],
        &with(env, "SHIMING_IHUYI_ENDPOINT", "http://127.0.0.1:9"),
    );
    nobody.assert_code(4);
}

#[test]
fn sandbox_without_credentials_and_no_sandbox() {
    let home = tempdir();
    let (name, mobile) = (MOBILE_MATCH.name, MOBILE_MATCH.number);
    let r = run(home.path(), &mobile_check(name, mobile, &[]), &[]);
    r.assert_code(0);
    assert!(r.stderr.lines().any(|l| l.starts_with("sandbox:")), "{r:?}");
    let r = run(home.path(), &["--output", "json", "balance"], &[]);
    r.assert_code(0);
    assert!(r.stderr.starts_with("sandbox:"), "{r:?}");

    let refused = run(
        home.path(),
        &["--no-sandbox", "balance", "--output", "json"],
        &[],
    );
    refused.assert_code(2);
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("SHIMING_IHUYI_ACCOUNT")
    );

    // A vendor with credentials is never mixed with the sandbox: qxt alone is used.
    let emu = emulator();
    let qxt_only = vars(&[
        ("SHIMING_QXT_APIKEY", sandbox::QXT_APIKEY),
        ("SHIMING_QXT_ENDPOINT", emu.base_url()),
    ]);
    let r = run(home.path(), &mobile_check("张三", mobile, &JSON), &qxt_only);
    assert_eq!(r.json()["vendor"], "qxt", "{r:?}");
    assert!(!r.stderr.contains("sandbox:"), "{r:?}");
}

#[test]
fn flags_beat_variables_beat_the_file() {
    let home = tempdir();
    let emu = emulator();
    let config = path(&home, "shiming.toml");
    std::fs::write(
        &config,
        format!(
            "[ihuyi]\naccount = \"{}\"\napikey = \"wrong-in-the-file\"\nendpoint = \"{}\"\n",
            sandbox::IHUYI_ACCOUNT,
            emu.base_url()
        ),
    )
    .unwrap();
    let config_arg = config.to_str().unwrap();
    let file_only = run(home.path(), &["balance", "--config", config_arg], &[]);
    assert_eq!(
        file_only.code, 3,
        "the file's wrong key is used: {file_only:?}"
    );

    let env = vars(&[
        ("SHIMING_IHUYI_APIKEY", sandbox::IHUYI_APIKEY),
        ("SHIMING_IHUYI_ENDPOINT", "http://127.0.0.1:9"),
    ]);
    let env_wins = run(home.path(), &["balance", "--config", config_arg], &env);
    assert_eq!(
        env_wins.code, 4,
        "the variable's endpoint beats the file's: {env_wins:?}"
    );
    let flag_wins = run(
        home.path(),
        &[
            "balance",
            "--config",
            config_arg,
            "--endpoint",
            emu.base_url(),
        ],
        &env,
    );
    assert_eq!(
        flag_wins.code, 0,
        "--endpoint beats the variable: {flag_wins:?}"
    );

    // The default location is the user's config directory.
    let default = home.path().join(".config/shiming/config.toml");
    std::fs::create_dir_all(default.parent().unwrap()).unwrap();
    std::fs::copy(&config, &default).unwrap();
    let from_default = run(
        home.path(),
        &["balance", "--endpoint", emu.base_url()],
        &env,
    );
    from_default.assert_code(0);

    let typo = path(&home, "typo.toml");
    std::fs::write(&typo, "[wapi]\nsecert = \"x\"\n").unwrap();
    let r = run(
        home.path(),
        &["balance", "--config", typo.to_str().unwrap()],
        &[],
    );
    r.assert_code(2).assert_stderr_has("secert");
}

#[test]
fn wapi_xml_and_jsonp_formats() {
    let home = tempdir();
    let emu = emulator();
    for format in ["xml", "jsonp", "jsonp:cb"] {
        let env = with(credentials(emu.base_url()), "SHIMING_WAPI_FORMAT", format);
        let r = run(
            home.path(),
            &id_check(ID_MATCH_2.name, ID_MATCH_2.number, &JSON),
            &env,
        );
        assert_eq!(r.code, 0, "{format}: {r:?}");
        assert_eq!(r.json()["verdict"], "match");
    }
}

#[test]
fn sign_wapi_prints_masked_canonical_and_digest() {
    use md5::{Digest, Md5};
    let home = tempdir();
    let secret = "0123456789abcdef0123456789abcdef";
    // The secret comes from the environment: a command line shows in `ps`.
    let env = vars(&[("SHIMING_WAPI_SECRET", secret)]);
    let args = [
        "sign",
        "wapi",
        "appid=1",
        "bank_name=张三",
        "debug=",
        "format=json",
        "mobile=18688888888",
        "time=1604973925",
    ];
    let r = run(home.path(), &args, &env);
    r.assert_code(0);
    let canonical = "appid1bank_name张三formatjsonmobile18688888888time1604973925";
    let digest = hex::encode(Md5::digest(format!("{canonical}{secret}").as_bytes()));
    assert!(r.stdout.contains(&format!("{canonical}***")), "{r:?}");
    r.assert_stdout_has(&digest);
    assert!(
        !r.stdout.contains(secret) && !r.stderr.contains(secret),
        "{r:?}"
    );

    // Comparing what was sent: exit 1 on a difference.
    let mut sent = args.to_vec();
    let wrong = "sign=00000000000000000000000000000000";
    sent.push(wrong);
    let r = run(home.path(), &sent, &env);
    r.assert_code(1).assert_stdout_has("DIFFERS");

    // Hash mode: the sign IS the secret; it is named, never echoed.
    let r = run(
        home.path(),
        &words("--output json sign wapi --auth hash --secret env:MY_SECRET appid=1"),
        &vars(&[("MY_SECRET", secret)]),
    );
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["sign"], serde_json::Value::Null);
    assert_eq!(v["value_is_secret"], true);
    assert!(!r.stdout.contains(secret), "{r:?}");

    // The secret typed on the command line is refused, and not repeated.
    let r = run(
        home.path(),
        &["sign", "wapi", "--secret", secret, "appid=1"],
        &[],
    );
    r.assert_code(2).assert_stderr_has("SHIMING_WAPI_SECRET");
    assert!(
        !r.stderr.contains(secret) && !r.stdout.contains(secret),
        "{r:?}"
    );
    let r = run(home.path(), &["sign", "wapi", "appid=1", "time=1"], &env);
    r.assert_code(0);
    assert!(!r.stdout.contains(secret));
}

#[test]
fn sign_ihuyi_dynamic_password() {
    use md5::{Digest, Md5};
    let home = tempdir();
    let apikey = "1q784322b0123456";
    let r = run(
        home.path(),
        &words("--output json sign ihuyi --account test --time 1651544941 --mobile 13600000000"),
        &vars(&[("SHIMING_IHUYI_APIKEY", apikey)]),
    );
    r.assert_code(0);
    let v = r.json();
    let expected = hex::encode(Md5::digest(
        format!("test{apikey}operzwsc136000000001651544941").as_bytes(),
    ));
    assert_eq!(v["password"], expected);
    assert_eq!(v["canonical"], "test***operzwsc136000000001651544941");
    assert!(!r.stdout.contains(apikey));

    let getnum = run(
        home.path(),
        &words("sign ihuyi --account test --apikey env:IHUYI_KEY --time 1651544941"),
        &vars(&[("IHUYI_KEY", apikey)]),
    );
    getnum.assert_stdout_has("test***operzwsc1651544941");
}

#[test]
fn usage_errors_exit_2() {
    let home = tempdir();
    let r = run(home.path(), &["mobile-check", "--name", "x"], &[]);
    r.assert_code(2);
    let r = run(
        home.path(),
        &["sign", "wapi", "--secret", "s", "novalue"],
        &[],
    );
    r.assert_code(2);
    let r = run(home.path(), &["--help"], &[]);
    r.assert_code(0);
}

#[test]
fn the_sandbox_account_works_against_shiming_serve() {
    let home = tempdir();
    let mut serve = command(home.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let Listening { first, url, .. } = listening(&mut serve);
    let (name, mobile) = (MOBILE_MATCH.name, MOBILE_MATCH.number);
    let r = run(
        home.path(),
        &mobile_check(name, mobile, &["--endpoint", &url, "--sandbox"]),
        &[],
    );
    serve.kill().unwrap();
    let _ = serve.wait();
    assert_eq!(r.code, 0, "{first}: {r:?}");
    assert!(
        r.stderr.starts_with("sandbox:") && r.stderr.contains(&url),
        "{r:?}"
    );
}
