//! What comes back never leaks (issue 11 §6). A server on 127.0.0.1 ECHOES every request —
//! request line, headers, body, raw, percent-decoded, HTML-escaped and `\u`-escaped — back to
//! the real `shiming` binary, as a broken gateway or a chatty vendor would:
//! - in an HTML 502 error page (an undecodable answer, quoted in the decode error's excerpt);
//! - in a 200 answer of each vendor whose message (and other text fields) quote it, answered;
//! - in a 200 refusal of each vendor whose message quotes it.
//!
//! Every vendor is configured completely with sentinel secrets (wapi in Hash mode, where
//! `sign` IS the secret). Neither stdout (human or JSON) nor stderr (at `RUST_LOG=trace`) nor
//! a batch output file may show a secret (configured, or a signature parameter the server saw)
//! in any encoding, nor the person's full name, mobile or ID number — except the batch file's
//! input columns, which hold the user's own rows as given.
//!
//! Also here: secrets are refused on the command line (and never echoed), and `serve` refuses
//! a non-loopback address without `--allow-remote` (nothing is ever bound but 127.0.0.1).
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions may unwrap too

mod common;

use common::sentinel::{MOBILE, NAME};
use common::*;
use shiming_test_support::server::{Next, Received, TestServer, response};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

const WAPI_SECRET: &str = "SENTINEL-wapi-hash-secret-0a1b2c";
/// QXT wants exactly 32 characters.
const QXT_KEY: &str = "SENTINEL-qxt-apikey-0123456789ab";
const IHUYI_KEY: &str = "SENTINEL-ihuyi-apikey-9z8y7x";
const APPID: &str = "leak-probe-app";
const ACCOUNT: &str = "leak-probe-account";

// --- the echo server -----------------------------------------------------------------------

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// HTTP 502 with an HTML page quoting the request.
    ErrorPage,
    /// HTTP 200: each vendor's answer, its message and text fields quoting the request.
    Answer,
    /// HTTP 200: each vendor's refusal (auth), its message quoting the request.
    Refusal,
}

/// A server on 127.0.0.1 that echoes requests (the test-support server, which keeps every
/// request it parsed).
struct Echo {
    base_url: String,
    mode: Arc<Mutex<Mode>>,
    server: TestServer,
}

impl Echo {
    fn start() -> Echo {
        let mode = Arc::new(Mutex::new(Mode::ErrorPage));
        let current = Arc::clone(&mode);
        let server = TestServer::start(move |request, out| {
            let mode = *current.lock().unwrap();
            out.write_all(&echo(request, mode))?;
            Ok(Next::Close)
        });
        Echo {
            base_url: server.url(""),
            mode,
            server,
        }
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// The signature and key values requests carried (`sign`, `apikey`, `password`).
    fn seen_secrets(&self) -> Vec<String> {
        let mut seen = Vec::new();
        for request in self.server.received() {
            let body = String::from_utf8_lossy(&request.body).into_owned();
            for source in [query(&request), body.as_str()] {
                for (key, value) in form_pairs(source) {
                    if ["sign", "apikey", "password"].contains(&key.as_str()) {
                        seen.push(value);
                    }
                }
            }
        }
        seen
    }
}

/// The request target's query string.
fn query(request: &Received) -> &str {
    let target = request.request_line().split_whitespace().nth(1);
    let query = target.and_then(|t| t.split_once('?')).map(|(_, q)| q);
    query.unwrap_or_default()
}

/// The answer to `request` in `mode`: the request quoted raw, decoded and escaped.
fn echo(request: &Received, mode: Mode) -> Vec<u8> {
    let head = request.head.strip_suffix("\r\n").unwrap_or(&request.head);
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let target = request.request_line().split_whitespace().nth(1);
    let target = target.unwrap_or_default();
    let decoded: String = form_pairs(&body)
        .into_iter()
        .map(|(k, v)| format!("{k}={v} "))
        .collect();
    let echo = format!("{head}\n{body}\n{decoded}");
    let (status, content_type, page) = match mode {
        Mode::ErrorPage => (
            "502 Bad Gateway",
            "text/html",
            format!(
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1>\
                 <p>upstream said: {decoded}</p><pre>{}</pre><script>var req = {};</script>\
                 <pre>{}</pre></body></html>",
                html_escape(&echo),
                php_json(&echo),
                echo
            ),
        ),
        Mode::Answer | Mode::Refusal => (
            "200 OK",
            "application/json",
            vendor_answer(target, &echo, mode == Mode::Refusal),
        ),
    };
    let content_type = format!("{content_type}; charset=utf-8");
    let headers = [
        ("content-type", content_type.as_str()),
        ("connection", "close"),
    ];
    response(status, &headers, page.as_bytes())
}

/// `application/x-www-form-urlencoded` pairs, decoded (`+` is a space, `%XX` a byte).
fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |part: &str| {
        let bytes = part.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() && part.is_char_boundary(i + 3) => {
                    match u8::from_str_radix(&part[i + 1..i + 3], 16) {
                        Ok(byte) => {
                            out.push(byte);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// `text` form-encoded (everything but `A-Za-z0-9*-._` as `%XX`, space as `+`).
fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The vendor answer for `target`'s path, its text fields quoting `echo`.
fn vendor_answer(target: &str, echo: &str, refuse: bool) -> String {
    let path = target.split('?').next().unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let answer = if path.starts_with("/pyi/") {
        if refuse {
            serde_json::json!({"codeid": 10003, "message": echo, "retdata": [], "time": now.to_string()})
        } else {
            serde_json::json!({
                "codeid": 10000,
                "message": echo,
                "retdata": {
                    "bank_status": "02",
                    "bank_msg": echo,
                    "bank_province": echo,
                    "bank_area": echo,
                    "bank_mobileType": "移动",
                },
                "time": now.to_string(),
            })
        }
    } else if path.contains("Phone_TwoElements") {
        if refuse {
            serde_json::json!({"code": "-1", "reason": echo})
        } else {
            serde_json::json!({
                "code": "0",
                "reason": echo,
                "result": {"Status": "不一致", "Area": echo, "Now_isp": echo},
            })
        }
    } else if path.contains("GetNum") {
        if refuse {
            serde_json::json!({"code": 405, "msg": echo})
        } else {
            serde_json::json!({"code": 2, "msg": echo, "num": 100})
        }
    } else if refuse {
        serde_json::json!({"code": 405, "msg": echo, "idcardid": "0"})
    } else {
        serde_json::json!({
            "code": 2,
            "msg": echo,
            "idcardid": echo,
            "result": {"status": 2, "info": {"operator_real": 1, "time_online": 4, "operator": 1, "is_xhzw": 0}},
        })
    };
    answer.to_string()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `text` as PHP's `json_encode` writes it: `\/` and `\uXXXX` for everything non-ASCII.
fn php_json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

// --- what may not appear -------------------------------------------------------------------

/// Every secret (configured, and the signature values the server saw) in the forms an
/// echo gives it; "SENTINEL" alone catches a fragment of a configured one.
fn secret_forms(echo: &Echo) -> Vec<String> {
    let mut secrets: Vec<String> = vec![WAPI_SECRET.into(), QXT_KEY.into(), IHUYI_KEY.into()];
    secrets.extend(echo.seen_secrets());
    let mut forms = vec!["SENTINEL".to_string()];
    for secret in secrets {
        forms.push(form_encode(&secret));
        forms.push(secret);
    }
    forms.sort();
    forms.dedup();
    forms
}

#[track_caller]
fn assert_no_secret(echo: &Echo, what: &str, text: &str) {
    assert_none_of(&secret_forms(echo), "a secret", what, text);
}

#[track_caller]
fn assert_clean(echo: &Echo, what: &str, r: &Run) {
    assert!(!r.stderr.contains("panicked"), "{what}: {r:?}");
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert_no_secret(echo, &format!("{what}: {stream}"), text);
        sentinel::assert_no_person(&format!("{what}: {stream}"), text);
    }
}

// --- the world -----------------------------------------------------------------------------

/// Every vendor configured completely, at `base_url`, with the sentinel secrets; wapi in Hash
/// mode; `RUST_LOG=trace`.
fn env(base_url: &str) -> Vec<(String, String)> {
    let accounts = Accounts {
        wapi_appid: APPID,
        wapi_secret: WAPI_SECRET,
        qxt_apikey: QXT_KEY,
        ihuyi_account: ACCOUNT,
        ihuyi_apikey: IHUYI_KEY,
    };
    let mut env = accounts.env(base_url);
    env.extend(vars(&[
        ("SHIMING_WAPI_AUTH", "hash"),
        ("SHIMING_WAPI_FORMAT", "json"),
        ("RUST_LOG", "trace"),
    ]));
    env
}

const MODES: [Mode; 3] = [Mode::ErrorPage, Mode::Answer, Mode::Refusal];

// --- the tests -----------------------------------------------------------------------------

#[test]
fn echoed_requests_never_leak_from_the_one_shot_checks() {
    let home = tempdir();
    let echo = Echo::start();
    let env = env(&echo.base_url);
    for mode in MODES {
        echo.set(mode);
        for args in sentinel::checks() {
            for args in with_each_output(&args) {
                let r = run(home.path(), &args, &env);
                let what = format!("{mode:?}: shiming {}", args.join(" "));
                let expected: &[i32] = match mode {
                    Mode::ErrorPage => &[4],
                    Mode::Answer => &[0, 1],
                    Mode::Refusal => &[3],
                };
                assert!(expected.contains(&r.code), "{what}: {r:?}");
                assert_clean(&echo, &what, &r);
                if args.ends_with(&JSON) {
                    let json = r.json();
                    let message = match mode {
                        Mode::Answer => json["vendor_message"].as_str().unwrap_or_default(),
                        _ => json["error"]["message"].as_str().unwrap_or_default(),
                    };
                    // The echo did come back, scrubbed, not dropped: an error page quoted in
                    // the excerpt, a vendor message with the secrets replaced.
                    let shown = match mode {
                        Mode::ErrorPage => message.contains("HTTP 502; body starts"),
                        _ => {
                            message.contains("<redacted>")
                                && (message.contains("139****4321")
                                    || message.contains("110105********1239"))
                        }
                    };
                    assert!(shown || args[0] == "balance", "{what}: {message}");
                }
            }
        }
    }
    assert!(
        !echo.seen_secrets().is_empty(),
        "the requests carried signatures"
    );
}

#[test]
fn echoed_requests_never_leak_from_batch_logs_summaries_or_files() {
    let home = tempdir();
    let echo = Echo::start();
    let env = env(&echo.base_url);
    let input = path(&home, "in.csv");
    let mut rows = people(2);
    rows.insert(1, sentinel::row());
    write_csv(&input, &rows);
    for mode in MODES {
        echo.set(mode);
        for batch in sentinel::BatchRun::all(home.path(), &format!("{mode:?}-")) {
            let r = run(home.path(), &batch.args(&input), &env);
            let what = format!("{mode:?}: {}", batch.what());
            assert!(r.code != 2 && r.code >= 0, "{what}: {r:?}");
            assert_clean(&echo, &what, &r);
            let written = std::fs::read_to_string(&batch.out).unwrap_or_default();
            assert!(!written.is_empty(), "{what}: no output file: {r:?}");
            assert_no_secret(&echo, &format!("{what}: the output file"), &written);
            sentinel::assert_no_person(
                &format!("{what}: the output file past the input columns"),
                &without_input_columns(&batch.out, &written),
            );
        }
    }
}

/// The output file without the input columns (name, mobile, id_number: the user's own rows,
/// kept as given on purpose).
fn without_input_columns(path: &Path, written: &str) -> String {
    const INPUT: [&str; 3] = ["name", "mobile", "id_number"];
    if path.extension().is_some_and(|e| e == "csv") {
        let (header, rows) = read_csv(path);
        rows.iter()
            .map(|row| {
                row.iter()
                    .zip(&header)
                    .filter(|(_, h)| !INPUT.contains(&h.as_str()))
                    .map(|(v, _)| v.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        written
            .lines()
            .map(|line| {
                let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
                strip_input(&mut value, &INPUT);
                value.to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn strip_input(value: &mut serde_json::Value, input: &[&str]) {
    if let serde_json::Value::Object(map) = value {
        for key in input {
            map.remove(*key);
        }
        for nested in map.values_mut() {
            strip_input(nested, input);
        }
    }
}

#[test]
fn secrets_typed_on_the_command_line_are_refused_and_not_repeated() {
    let home = tempdir();
    let typed = "typed-SECRET-on-the-command-line";
    for (args, variable) in [
        (
            vec!["sign", "wapi", "--secret", typed, "appid=1", "time=1"],
            "SHIMING_WAPI_SECRET",
        ),
        (
            vec!["sign", "ihuyi", "--account", ACCOUNT, "--apikey", typed],
            "SHIMING_IHUYI_APIKEY",
        ),
        (
            vec!["serve", "--addr", "127.0.0.1:0", "--wapi-secret", typed],
            "SHIMING_WAPI_SECRET",
        ),
        (
            vec!["serve", "--addr", "127.0.0.1:0", "--qxt-apikey", typed],
            "SHIMING_QXT_APIKEY",
        ),
        (
            vec!["serve", "--addr", "127.0.0.1:0", "--ihuyi-apikey", typed],
            "SHIMING_IHUYI_APIKEY",
        ),
    ] {
        for args in with_each_output(&args) {
            let r = run(home.path(), &args, &[]);
            let what = args.join(" ");
            assert_eq!(r.code, 2, "{what}: {r:?}");
            assert!(r.stderr.contains(variable), "says what to do: {r:?}");
            r.assert_stderr_has("env:NAME");
            assert!(
                !r.stdout.contains(typed) && !r.stderr.contains(typed),
                "{what}: the value is repeated: {r:?}"
            );
        }
    }
    // In Hash mode the `sign` of a request is the secret: refused too.
    let r = run(
        home.path(),
        &[
            "sign",
            "wapi",
            "--auth",
            "hash",
            "appid=1",
            &format!("sign={typed}"),
        ],
        &vars(&[("SHIMING_WAPI_SECRET", typed)]),
    );
    r.assert_code(2);
    assert!(
        !r.stdout.contains(typed) && !r.stderr.contains(typed),
        "{r:?}"
    );
}

#[test]
fn secrets_come_from_a_named_variable_or_stdin() {
    use std::process::Stdio;
    let home = tempdir();
    let secret = "0123456789abcdef0123456789abcdef";
    let expected = {
        use md5::{Digest, Md5};
        hex::encode(Md5::digest(format!("appid1time1{secret}").as_bytes()))
    };
    // A named variable.
    let r = run(
        home.path(),
        &words("sign wapi --secret env:MY_WAPI_SECRET appid=1 time=1"),
        &vars(&[("MY_WAPI_SECRET", secret)]),
    );
    r.assert_code(0).assert_stdout_has(&expected);
    // A named variable that is not set: a usage error.
    let r = run(
        home.path(),
        &["sign", "wapi", "--secret", "env:MY_UNSET_SECRET", "appid=1"],
        &[],
    );
    r.assert_code(2).assert_stderr_has("MY_UNSET_SECRET");
    // Stdin, with its line ending dropped.
    let mut child = command(home.path())
        .args(["sign", "wapi", "--secret", "-", "appid=1", "time=1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{secret}\r\n").as_bytes())
        .unwrap();
    let r: Run = child.wait_with_output().unwrap().into();
    r.assert_code(0).assert_stdout_has(&expected);
    assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret));
    // No secret at all.
    let r = run(home.path(), &["sign", "wapi", "appid=1"], &[]);
    r.assert_code(2).assert_stderr_has("SHIMING_WAPI_SECRET");
}

/// `serve` on a non-loopback address is refused before anything is bound; `--allow-remote`
/// is accepted (exercised on loopback only: nothing but 127.0.0.1 is ever bound here).
#[cfg(unix)]
#[test]
fn serve_refuses_non_loopback_addresses_without_allow_remote() {
    let home = tempdir();
    for addr in ["0.0.0.0:0", "[::]:0"] {
        let r = run(home.path(), &["serve", "--addr", addr], &[]);
        assert_eq!(r.code, 2, "{addr}: {r:?}");
        r.assert_stderr_has("--allow-remote");
        r.assert_stderr_has("unauthenticated");
        assert!(r.stdout.is_empty(), "nothing listened: {r:?}");
    }
    // --allow-remote on loopback; the QXT key read from stdin.
    let mut serve = command(home.path())
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--allow-remote",
            "--qxt-apikey",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    serve
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{QXT_KEY}\n").as_bytes())
        .unwrap();
    let Listening { first, url, .. } = listening(&mut serve);
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first}"
    );
    let args = mobile_check(NAME, MOBILE, &["--vendor", "qxt", "--endpoint", &url]);
    let args = [&args[..], &JSON].concat();
    let client = |key: &str| run(home.path(), &args, &vars(&[("SHIMING_QXT_APIKEY", key)]));
    let answered = client(QXT_KEY);
    assert!(
        answered.code == 0 || answered.code == 1,
        "the key from stdin is used: {answered:?}"
    );
    let refused = client("another-key-0123456789abcdef0123");
    refused.assert_code(3);
    signal(&serve, "TERM");
    let output = serve.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("unauthenticated"),
        "no warning on loopback: {stderr}"
    );
}
