//! End-to-end: `shiming gateway` as a real process over real HTTP, against a real emulator —
//! answers, the verdict cache (SQLite and, across two processes, Redis), offline refusals,
//! tenants, keys, limits, budgets, problem+json, audit, metrics, OpenAPI, signals, the Python
//! client and the status page in a real headless browser.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions may unwrap too

mod common;
mod gateway_support;

use common::*;
use gateway_support::*;
use serde_json::json;
use shiming_emulator::directory::{ID_MATCH_2 as ID_MATCH, MOBILE_MATCH, MOBILE_MISMATCH};
use std::time::Duration;

fn ledger_calls(emu: &shiming_emulator::BlockingEmulator) -> u64 {
    requests(emu)
}

#[test]
fn answers_come_from_the_vendor_then_the_sqlite_cache_even_after_a_restart() {
    let home = tempdir();
    let emu = emulator();
    let tenant = TenantSpec::new("signup");
    let store = home.path().join("verdicts.sqlite");
    let config = write_config(
        home.path(),
        &format!("store = \"sqlite:{}\"", store.display()),
        &[&tenant],
    );
    let env = credentials(emu.base_url());
    let gw = Gateway::start(home.path(), &config, &[], &env);

    let person = json!({"name": MOBILE_MATCH.name, "mobile": MOBILE_MATCH.number});
    let first = gw.post(&tenant.key, MOBILE, &person);
    assert_eq!(first.status, 200, "{}", first.text());
    let answer = first.json();
    assert_eq!(answer["verdict"], "match");
    assert_eq!(answer["billed"], true);
    assert_eq!(answer["cached"], false);
    assert_eq!(answer["sandbox"], false);
    assert_eq!(answer["vendor"], "wapi");
    assert_eq!(answer["code"], "10000");
    assert!(answer["checked_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(first.header("x-request-id"), answer["request_id"].as_str());
    let details = answer["details"].to_string();
    assert!(
        !details.contains(MOBILE_MATCH.name) && !details.contains(MOBILE_MATCH.number),
        "{details}"
    );
    assert_eq!(ledger_calls(&emu), 1);

    // The same person, written differently: normalised, served from the cache, not billed.
    let again = gw.post(&tenant.key, MOBILE, &json!({"name": format!(" {} ", MOBILE_MATCH.name), "mobile": format!("+86 {}", MOBILE_MATCH.number)}));
    let again = again.json();
    assert_eq!(
        (again["cached"].clone(), again["billed"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(again["checked_at"], answer["checked_at"]);
    assert_eq!(ledger_calls(&emu), 1, "a cache hit calls no vendor");

    let id = gw.id(&tenant.key, ID_MATCH.name, ID_MATCH.number).json();
    assert_eq!(id["verdict"], "match");
    let status = gw
        .post(&tenant.key, STATUS, &json!({"mobile": MOBILE_MATCH.number}))
        .json();
    assert_eq!(status["verdict"], "found");
    assert!(status["details"]["operator"].is_string(), "{status}");
    let balance = gw.get(&tenant.key, "/v1/balance?vendor=ihuyi").json();
    assert_eq!(
        (balance["verdict"].clone(), balance["billed"].clone()),
        (json!("ok"), json!(false))
    );
    assert!(balance["details"]["remaining"].as_u64().unwrap() > 0);
    let mismatch = gw
        .mobile(&tenant.key, MOBILE_MISMATCH.name, MOBILE_MISMATCH.number)
        .json();
    assert_eq!(mismatch["verdict"], "mismatch");
    let before = ledger_calls(&emu);

    // Offline refusals: 422 with every reason, masked, and no vendor call.
    let refused = gw.mobile(&tenant.key, "13800138000", "15412345678");
    let doc = refused.problem(422, "invalid_input");
    assert_eq!(doc["reasons"].as_array().unwrap().len(), 2, "{doc}");
    assert!(!refused.text().contains("15412345678") && refused.text().contains("154****5678"));
    let refused = gw.id(&tenant.key, "张三", "110105194912310021");
    refused.problem(422, "invalid_input");
    assert_eq!(
        ledger_calls(&emu),
        before,
        "offline refusals call no vendor"
    );

    // A second process on the same store file serves the first one's verdict.
    drop(gw);
    let gw = Gateway::start(home.path(), &config, &[], &env);
    let cached = gw.post(&tenant.key, MOBILE, &person).json();
    assert_eq!(cached["cached"], true, "{cached}");
    assert_eq!(ledger_calls(&emu), before);
    for leaked in [MOBILE_MATCH.number, ID_MATCH.number] {
        for file in std::fs::read_dir(home.path()).unwrap() {
            let path = file.unwrap().path();
            if path.to_string_lossy().contains("verdicts.sqlite") {
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !bytes.windows(leaked.len()).any(|w| w == leaked.as_bytes()),
                    "{leaked} in {}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn tenants_keys_checks_purpose_rate_and_budget() {
    let home = tempdir();
    let emu = emulator();
    let open = TenantSpec::new("open");
    let narrow = TenantSpec {
        checks: r#"["status"]"#,
        require_purpose: true,
        ..TenantSpec::new("narrow")
    };
    let slow = TenantSpec::new("slow").qps(2);
    let poor = TenantSpec::new("poor").budget(1.0);
    // The SQLite store: budgets reserved by shiming-store, rate limits in-process.
    let store = home.path().join("tenants.sqlite");
    let gw = start_gateway(
        home.path(),
        &emu,
        &format!("store = \"sqlite:{}\"\naudit = \"stdout\"", store.display()),
        &[&open, &narrow, &slow, &poor],
    );
    let person = json!({"name": MOBILE_MATCH.name, "mobile": MOBILE_MATCH.number});

    let missing = gw.request(
        "POST",
        MOBILE,
        &[("content-type", "application/json")],
        Some(b"{}"),
    );
    missing.problem(401, "unauthorized");
    assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
    gw.post("not-a-key", MOBILE, &person)
        .problem(401, "unauthorized");
    gw.post(&format!("{}x", open.key), MOBILE, &person)
        .problem(401, "unauthorized");
    gw.post(&narrow.key, MOBILE, &person)
        .problem(403, "forbidden");
    gw.post(&narrow.key, STATUS, &json!({"mobile": MOBILE_MATCH.number}))
        .problem(400, "purpose_required");
    let auth = format!("Bearer {}", narrow.key);
    let body = serde_json::to_vec(&json!({"mobile": MOBILE_MATCH.number})).unwrap();
    let with_purpose = gw.request(
        "POST",
        STATUS,
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
            ("purpose", "account-signup"),
        ],
        Some(&body),
    );
    assert_eq!(with_purpose.status, 200, "{}", with_purpose.text());
    assert_eq!(
        ledger_calls(&emu),
        1,
        "refusals before the check call no vendor"
    );

    // QPS: a burst over the limit gets 429 with Retry-After (offline-refused requests are
    // cheap and still count).
    let statuses: Vec<u16> = (0..6)
        .map(|_| {
            let r = gw.mobile(&slow.key, "x1", "1");
            if r.status == 429 {
                r.problem(429, "too_many_requests");
                assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
            }
            r.status
        })
        .collect();
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 2,
        "{statuses:?}"
    );

    // Budget: 1 yuan buys one 0.6-yuan check; the second is refused before any vendor call.
    let people = people(3);
    let first = gw.mobile(&poor.key, &people[0].0, &people[0].1);
    assert_eq!(first.status, 200, "{}", first.text());
    let calls = ledger_calls(&emu);
    let refused = gw.mobile(&poor.key, &people[1].0, &people[1].1);
    let doc = refused.problem(402, "budget_exhausted");
    assert_eq!(doc["billed"], false);
    assert_eq!(ledger_calls(&emu), calls, "refused before any vendor call");
    // A cached answer costs nothing, so it is served even over budget.
    let cached = gw.mobile(&poor.key, &people[0].0, &people[0].1);
    assert_eq!(cached.json()["cached"], true);

    // The audit trail: one line per request, masked, with tenant and purpose.
    std::thread::sleep(Duration::from_millis(200));
    let audit = gw.audit();
    assert!(audit.len() >= 14, "{audit:?}");
    let line = audit
        .iter()
        .find(|l| l["purpose"] == "account-signup")
        .unwrap();
    assert_eq!(line["tenant"], "narrow");
    assert_eq!(line["check"], "status");
    assert_eq!(line["subject"], "186****8888");
    let budget_line = audit
        .iter()
        .find(|l| l["outcome"] == "budget_exhausted")
        .unwrap();
    assert_eq!(budget_line["tenant"], "poor");
    let text = gw.lines.lock().unwrap().join("\n");
    for secret in [
        MOBILE_MATCH.number,
        MOBILE_MATCH.name,
        &people[0].1,
        &people[0].0,
        &open.key,
    ] {
        assert!(!text.contains(secret), "{secret} in the audit trail");
    }
    assert!(!gw.stderr().contains(MOBILE_MATCH.number));
}

#[test]
fn every_error_is_problem_json() {
    let home = tempdir();
    let emu = emulator();
    let tenant = TenantSpec::new("t");
    let gw = start_gateway(
        home.path(),
        &emu,
        "[limits]\nmax_body_bytes = 1024",
        &[&tenant],
    );
    let auth = format!("Bearer {}", tenant.key);
    let post = |body: &[u8], content_type: &str| {
        gw.request(
            "POST",
            MOBILE,
            &[("authorization", &auth), ("content-type", content_type)],
            Some(body),
        )
    };
    let doc = post(
        b"{\"name\": \"\xe5\xbc\xa0\xe4\xb8\x89\", \"mobile\": ",
        "application/json",
    )
    .problem(400, "bad_request");
    assert!(doc["detail"].as_str().unwrap().contains("not valid JSON"));
    let doc = post(
        br#"{"name": "x", "mobile": 18688888888}"#,
        "application/json",
    )
    .problem(400, "bad_request");
    assert!(
        !doc.to_string().contains("18688888888"),
        "values are not echoed: {doc}"
    );
    post(
        br#"{"name": "x", "mobile": "1", "extra": 1}"#,
        "application/json",
    )
    .problem(400, "bad_request");
    post(&vec![b' '; 4096], "application/json").problem(413, "payload_too_large");
    post(b"{}", "text/plain").problem(415, "unsupported_media_type");
    gw.request("GET", "/v2/nothing", &[], None)
        .problem(404, "not_found");
    gw.get(&tenant.key, MOBILE)
        .problem(405, "method_not_allowed");
    let doc = gw
        .get(&tenant.key, "/v1/balance?vendor=wapi")
        .problem(422, "invalid_input");
    assert_eq!(doc["sandbox"], false);
    // A vendor refusal keeps its taxonomy kind: the emulator's magic number for wapi's
    // "checked too often" (10019) becomes 429 rate_limited.
    let magic = gw.post(
        &tenant.key,
        MOBILE,
        &json!({"name": "张三", "mobile": "17000010019", "vendor": "wapi"}),
    );
    let doc = magic.problem(429, "rate_limited");
    assert_eq!(
        (doc["vendor"].clone(), doc["code"].clone()),
        (json!("wapi"), json!("10019"))
    );
    assert!(magic.header("retry-after").is_some());
    let huge_header = "x".repeat(40_000);
    let r = gw.request("GET", "/healthz", &[("x-big", &huge_header)], None);
    assert_eq!(r.status, 431, "{r:?}");
    assert_eq!(
        gw.request("GET", "/healthz", &[], None).status,
        200,
        "still serving"
    );
}

#[test]
fn metrics_health_readiness_and_openapi() {
    let home = tempdir();
    let emu = emulator();
    let tenant = TenantSpec::new("m");
    let config = write_config(home.path(), "", &[&tenant]);
    let gw = Gateway::start(
        home.path(),
        &config,
        &["--sandbox", "--endpoint", emu.base_url()],
        &[],
    );
    let person = json!({"name": MOBILE_MATCH.name, "mobile": MOBILE_MATCH.number});
    let answer = gw.post(&tenant.key, MOBILE, &person).json();
    assert_eq!(answer["sandbox"], true, "--sandbox marks every answer");
    gw.post(&tenant.key, MOBILE, &person);
    gw.post("wrong", MOBILE, &person);

    assert_eq!(gw.request("GET", "/healthz", &[], None).status, 200);
    let ready = gw.request("GET", "/readyz", &[], None);
    assert_eq!(ready.status, 200, "{}", ready.text());
    assert_eq!(ready.json()["store"], "memory");
    let metrics = gw.request("GET", "/metrics", &[], None).text();
    for needle in [
        "shiming_gateway_requests_total{tenant=\"m\",check=\"mobile\",outcome=\"match\"} 2",
        "shiming_gateway_billed_calls_total{vendor=\"wapi\"} 1",
        "shiming_gateway_billed_yuan{vendor=\"wapi\"} 0.6",
        "shiming_gateway_cache_hits_total{check=\"mobile\"} 1",
        "shiming_gateway_vendor_seconds_bucket{vendor=\"wapi\",check=\"mobile\"",
        "shiming_gateway_errors_total{kind=\"unauthorized\"} 1",
    ] {
        assert!(
            metrics.contains(needle),
            "{needle} missing from:\n{metrics}"
        );
    }
    assert!(!metrics.contains(MOBILE_MATCH.number));

    // The served document is the crate's, which lists exactly the routes the router serves
    // (`crates/gateway/tests/openapi.rs`), and every one of them is served.
    let doc = gw.request("GET", "/openapi.json", &[], None).json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let crates_doc: serde_json::Value =
        serde_json::from_str(&shiming_gateway::openapi_json()).unwrap();
    assert_eq!(doc, crates_doc);
    for (path, method) in shiming_gateway::routed() {
        assert!(
            doc["paths"][path][method.to_ascii_lowercase()].is_object(),
            "{method} {path}"
        );
        let status = gw.request(method, path, &[], None).status;
        assert!(status != 404 && status != 405, "{method} {path}: {status}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[test]
fn refuses_to_start_without_vendors_unless_sandboxed() {
    let home = tempdir();
    let config = write_config(home.path(), "", &[&TenantSpec::new("x")]);
    let run = run(
        home.path(),
        &["gateway", "--config", config.to_str().unwrap()],
        &[],
    );
    run.assert_code(2).assert_stderr_has("--sandbox");
    assert!(run.stdout.is_empty());
    let bad = home.path().join("bad.toml");
    std::fs::write(&bad, "listen = \"127.0.0.1:0\"\nstore = \"ftp://x\"\n").unwrap();
    let run = common::run(
        home.path(),
        &["gateway", "--config", bad.to_str().unwrap(), "--sandbox"],
        &[],
    );
    run.assert_code(2).assert_stderr_has("store");
    let key = common::run(home.path(), &["gateway", "hash-key"], &[]);
    assert_eq!(key.code, 0);
    let k = key
        .stdout
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("key = ");
    assert!(
        key.stdout.contains(&shiming_gateway::key_digest(k)),
        "{key:?}"
    );
}

#[test]
fn sighup_reloads_tenants_and_sigterm_lets_requests_finish() {
    let home = tempdir();
    let emu = emulator_with(
        shiming_emulator::EmulatorConfig::default().latency(Duration::from_millis(700)),
    );
    let old = TenantSpec::new("old");
    let gw = start_gateway(home.path(), &emu, "", &[&old]);
    let status = json!({"mobile": MOBILE_MATCH.number});
    assert_eq!(gw.post(&old.key, STATUS, &status).status, 200);

    let new = TenantSpec::new("new");
    write_config(home.path(), "", &[&new]);
    gw.signal("HUP");
    let start = std::time::Instant::now();
    while gw.post(&new.key, "/v1/nothing", &status).status == 401 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "reload not applied: {}",
            gw.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    gw.post(&old.key, STATUS, &status)
        .problem(401, "unauthorized");

    // A request in flight when SIGTERM arrives still gets its answer.
    let addr = gw.addr.clone();
    let key = new.key.clone();
    let in_flight = std::thread::spawn(move || {
        let auth = format!("Bearer {key}");
        let body = serde_json::to_vec(&json!({"mobile": "13800138000"})).unwrap();
        http(
            &addr,
            "POST",
            STATUS,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(&body),
        )
    });
    std::thread::sleep(Duration::from_millis(250));
    gw.signal("TERM");
    let answer = in_flight.join().unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(gw.wait(Duration::from_secs(10)), 0);
}

#[test]
fn two_gateways_share_cache_rate_limit_and_budget_through_redis() {
    if !installed("redis-server") {
        eprintln!("SKIPPED: redis-server is not installed (.ci/setup installs it)");
        return;
    }
    let redis = Redis::start().unwrap();
    let home = tempdir();
    let emu = emulator();
    let shared = TenantSpec::new("shared");
    let slow = TenantSpec::new("slow").qps(3);
    let poor = TenantSpec::new("poor").budget(1.2);
    let head = format!(
        "store = \"{}\"\nhmac_key_file = \"{}\"",
        redis.url,
        key_file(home.path()).display()
    );
    let config = write_config(home.path(), &head, &[&shared, &slow, &poor]);
    let env = credentials(emu.base_url());
    let a = Gateway::start(home.path(), &config, &[], &env);
    let b = Gateway::start(home.path(), &config, &[], &env);

    let person = json!({"name": MOBILE_MATCH.name, "mobile": MOBILE_MATCH.number});
    let first = a.post(&shared.key, MOBILE, &person).json();
    assert_eq!(first["cached"], false);
    let second = b.post(&shared.key, MOBILE, &person).json();
    assert_eq!(
        (second["cached"].clone(), second["billed"].clone()),
        (json!(true), json!(false)),
        "{second}"
    );
    assert_eq!(
        emu.ledger().wapi.operation("mobile_two_elements").requests,
        1,
        "one vendor call for both gateways"
    );
    let ready = b.request("GET", "/readyz", &[], None).json();
    assert_eq!(ready["store"], "redis");

    // Budget across both: 1.2 yuan is two 0.6-yuan checks, wherever they are sent.
    let people = people(3);
    let ask = |gw: &Gateway, i: usize| gw.mobile(&poor.key, &people[i].0, &people[i].1);
    assert_eq!(ask(&a, 0).status, 200);
    assert_eq!(ask(&b, 1).status, 200);
    let calls = requests(&emu);
    ask(&a, 2).problem(402, "budget_exhausted");
    ask(&b, 2).problem(402, "budget_exhausted");
    assert_eq!(requests(&emu), calls);

    // QPS across both: 3 per second in all, alternating gateways.
    let statuses: Vec<u16> = (0..10)
        .map(|i| {
            let gw = if i % 2 == 0 { &a } else { &b };
            gw.mobile(&slow.key, "x1", "1").status
        })
        .collect();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert!(limited >= 4, "{statuses:?}");
    assert!(
        statuses.contains(&429) && statuses.contains(&422),
        "{statuses:?}"
    );

    // Nothing personal in Redis: scan every key and value.
    let dump = redis_dump(&redis.url);
    for secret in [
        MOBILE_MATCH.number,
        MOBILE_MATCH.name,
        &people[0].1,
        &people[0].0,
    ] {
        assert!(!dump.contains(secret), "{secret} in redis: {dump}");
    }
    assert!(dump.contains("shiming:gw:cache:"), "{dump}");
}

/// Every key and string value in a Redis, through redis-cli.
fn redis_dump(url: &str) -> String {
    let port = url.rsplit(':').next().unwrap();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new("redis-cli")
            .args(["-p", port])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let keys = cli(&["--scan"]);
    let mut dump = keys.clone();
    for key in keys.lines() {
        dump.push_str(&cli(&["GET", key]));
    }
    dump
}

#[test]
fn the_python_standard_library_client_talks_to_the_gateway() {
    if !installed("python3") {
        eprintln!("SKIPPED: python3 is not installed");
        return;
    }
    let home = tempdir();
    let emu = emulator();
    let tenant = TenantSpec {
        require_purpose: true,
        ..TenantSpec::new("py")
    };
    let gw = start_gateway(home.path(), &emu, "audit = \"stdout\"", &[&tenant]);
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/gateway_client.py"
    );
    let python = |args: &[&str]| {
        let out = std::process::Command::new("python3")
            .arg(script)
            .args(["--url", &gw.url, "--purpose", "开户实名"])
            .args(args)
            .env("GATEWAY_KEY", &tenant.key)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = python(&["mobile", MOBILE_MATCH.name, MOBILE_MATCH.number]);
    assert_eq!(code, 0, "{out}{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["verdict"], "match");
    let (_, out, _) = python(&["mobile", MOBILE_MATCH.name, MOBILE_MATCH.number]);
    assert!(out.contains("\"cached\": true"), "{out}");
    let (code, out, _) = python(&["id", ID_MATCH.name, ID_MATCH.number]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = python(&["status", MOBILE_MATCH.number]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = python(&["balance"]);
    assert!(code == 0 && out.contains("remaining"), "{out}");
    let (code, _, err) = python(&["mobile", "张三", "123"]);
    assert_eq!(code, 1);
    let problem: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(problem["kind"], "invalid_input");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        gw.audit().iter().any(|l| l["purpose"] == "开户实名"),
        "the UTF-8 purpose is recorded"
    );
}

#[test]
fn the_status_page_renders_in_a_headless_browser_without_personal_data() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|p| installed(p));
    let Some(chromium) = chromium else {
        eprintln!("SKIPPED: no chromium (.ci/setup installs it)");
        return;
    };
    let home = tempdir();
    let emu = emulator();
    let tenant = TenantSpec::new("web-signup");
    let gw = start_gateway(home.path(), &emu, "", &[&tenant]);
    let person = json!({"name": MOBILE_MATCH.name, "mobile": MOBILE_MATCH.number});
    gw.post(&tenant.key, MOBILE, &person);
    gw.post(&tenant.key, MOBILE, &person);
    let profile = home.path().join("chromium-profile");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("{}/", gw.url))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("<table id=\"tenants\">"),
        "{dom}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dom.contains("<td>web-signup</td><td>2</td><td>0</td><td>0.6000</td>"),
        "{dom}"
    );
    assert!(
        dom.contains("<td>wapi</td><td>1</td><td>0</td><td>0.0%</td><td>1</td>"),
        "{dom}"
    );
    assert!(dom.contains("hit ratio 50.0%"), "{dom}");
    assert!(
        !dom.contains(MOBILE_MATCH.number) && !dom.contains(MOBILE_MATCH.name),
        "{dom}"
    );
}

#[test]
fn serves_tls_from_certificate_files() {
    if !installed("openssl") || !installed("curl") {
        eprintln!("SKIPPED: openssl and curl are needed (.ci/setup installs them)");
        return;
    }
    let home = tempdir();
    let emu = emulator();
    let (cert, key) = (home.path().join("cert.pem"), home.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "1",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let tenant = TenantSpec::new("tls");
    let head = format!(
        "[tls]\ncert = \"{}\"\nkey = \"{}\"",
        cert.display(),
        key.display()
    );
    let gw = start_gateway(home.path(), &emu, &head, &[&tenant]);
    assert!(gw.url.starts_with("https://"), "{}", gw.url);
    let out = std::process::Command::new("curl")
        .args(["-sS", "--cacert"])
        .arg(&cert)
        .args(["-H", &format!("Authorization: Bearer {}", tenant.key)])
        .args(["-H", "Content-Type: application/json"])
        .args(["-d", &json!({"mobile": MOBILE_MATCH.number}).to_string()])
        .arg(format!("{}{STATUS}", gw.url))
        .output()
        .unwrap();
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(
        body.contains("\"verdict\":\"found\""),
        "{body}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
