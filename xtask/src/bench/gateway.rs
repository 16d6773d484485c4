//! `--only gateway`: `shiming gateway` as a process, against `shiming serve` and a bare axum
//! server, all driven by the same built-in keep-alive load generator.
//!
//! - throughput: cache-hit requests per second through the gateway ÷ a bare axum handler
//!   returning fixed JSON (example `bare_json` of shiming-gateway), same requests, same
//!   connections, A B A B over the rounds (target ≥ 0.5);
//! - latency: p99 added over calling the emulator directly, both paced at 500 requests per
//!   second from a fixed schedule (latency counted from when each request was due, so a
//!   stall is not hidden), every gateway request a new person (a cache miss, a vendor call)
//!   (target ≤ 2 ms);
//! - memory: resident memory after a soak ÷ after its first minute, under 500 requests per
//!   second cycling over a few thousand people (cache filled in the first minute); the soak
//!   length is `--soak SECONDS` (target ≤ 1.1).

use super::loadgen;
use super::people;
use super::process_rows::ProcessContext;
use super::serve::{Serve, clean_command};
use super::stats::Spread;
use super::table::{Row, Target, Unit, per_second};
use super::wire::{self, BENCH_ACCOUNT, MOBILE_PATH};
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SECTION: &str = "gateway";
const PATH: &str = "/v1/mobile/two-elements";
const KEY: &str = "xtask-bench-gateway-key";
/// People whose answers the throughput rows find cached.
const CACHED_PEOPLE: usize = 256;
/// The paced rate of the latency and soak rows.
const RATE: f64 = 500.0;
/// Connections of the paced client: enough that 500/s never waits for a free one (a
/// loopback call takes about a millisecond), few enough not to crowd two cores.
const PACED_CONNECTIONS: usize = 8;
/// Each latency round alternates direct and gateway chunks of this many seconds, so both
/// sides see the same machine (other work on a shared machine comes and goes).
const CHUNK_S: usize = 2;

/// Every row of the section.
pub(crate) fn rows(ctx: &ProcessContext<'_>, bare_json: Option<&Path>, soak_s: u64) -> Vec<Row> {
    let serve = match Serve::start(
        ctx.shiming,
        BENCH_ACCOUNT,
        0,
        &ctx.workdir.work(),
        &ctx.workdir.log("serve-gateway"),
    ) {
        Ok(serve) => serve,
        Err(why) => return vec![Row::error(SECTION, "shiming serve", &why)],
    };
    let gateway = match GatewayProcess::start(ctx, &serve) {
        Ok(gateway) => gateway,
        Err(why) => return vec![Row::error(SECTION, "shiming gateway", &why)],
    };
    let mut rows = Vec::new();
    rows.push(throughput(ctx, &gateway, bare_json).unwrap_or_else(|why| {
        Row::error(
            SECTION,
            "cache hits: gateway ÷ bare axum (requests per second)",
            &why,
        )
    }));
    rows.push(latency(ctx, &gateway, &serve).unwrap_or_else(|why| {
        Row::error(SECTION, "p99 added over the emulator at 500 req/s", &why)
    }));
    rows.push(soak(&gateway, soak_s).unwrap_or_else(|why| {
        Row::error(
            SECTION,
            "resident memory after the soak ÷ after 1 minute",
            &why,
        )
    }));
    rows
}

/// A child process that printed `listening on http://ADDR` first; killed on drop.
struct Listening {
    child: Child,
    host: String,
}

impl Listening {
    fn spawn(mut command: std::process::Command, log: &Path) -> Result<Listening, String> {
        let log_file = std::fs::File::create(log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let url = wire::listening_url(&mut child, "the gateway", log)?;
        let host = url.strip_prefix("http://").unwrap_or(&url);
        Ok(Listening {
            host: host.trim_end_matches('/').to_string(),
            child,
        })
    }

    /// Resident memory, KiB (Linux `/proc`).
    fn rss_kib(&self) -> Result<u64, String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .map_err(|e| format!("cannot read /proc (Linux only): {e}"))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| "no VmRSS".to_string())
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct GatewayProcess(Listening);

impl GatewayProcess {
    fn start(ctx: &ProcessContext<'_>, serve: &Serve) -> Result<GatewayProcess, String> {
        let work = ctx.workdir.work();
        let config = work.join("gateway-bench.toml");
        let digest = sha256_hex(KEY)?;
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:0\"\nstore = \"memory\"\n\n[[tenants]]\nname = \"bench\"\n\
                 key_sha256 = \"{digest}\"\nqps = 1000000\ndaily_budget_yuan = 1000000000\n\
                 checks = [\"mobile\"]\n"
            ),
        )
        .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
        let mut command = clean_command(ctx.shiming, &work);
        command
            .args(["gateway", "--config"])
            .arg(&config)
            .env("SHIMING_WAPI_APPID", BENCH_ACCOUNT.appid)
            .env("SHIMING_WAPI_SECRET", BENCH_ACCOUNT.secret)
            .env("SHIMING_WAPI_ENDPOINT", &serve.base_url);
        Listening::spawn(command, &ctx.workdir.log("gateway")).map(GatewayProcess)
    }
}

/// SHA-256 of the key, by the command itself (`shiming gateway hash-key` prints random keys,
/// so the digest of a fixed one comes from sha256sum).
fn sha256_hex(text: &str) -> Result<String, String> {
    let mut child = std::process::Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run sha256sum: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_string)
        .ok_or_else(|| "sha256sum printed nothing".to_string())
}

/// A valid mobile for person `index` (China Mobile 139 segment).
fn mobile(index: usize) -> String {
    format!("139{:08}", index % 100_000_000)
}

/// A keep-alive JSON POST to the gateway for person `index`.
fn gateway_request(host: &str, index: usize) -> Vec<u8> {
    let body = format!(
        "{{\"name\":\"{}\",\"mobile\":\"{}\"}}",
        people::name(index),
        mobile(index)
    );
    format!(
        "POST {PATH} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Sends `request` once on a fresh connection; the status and the body.
fn send_once(host: &str, request: &[u8]) -> Result<(u16, String), String> {
    let stream = TcpStream::connect(host).map_err(|e| format!("connect {host}: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    (&stream).write_all(request).map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(&stream);
    let (mut line, mut body) = (String::new(), Vec::new());
    let status =
        wire::read_response(&mut reader, &mut line, &mut body).map_err(|e| e.to_string())?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn throughput(
    ctx: &ProcessContext<'_>,
    gateway: &GatewayProcess,
    bare_json: Option<&Path>,
) -> Result<Row, String> {
    const WHAT: &str = "cache hits: gateway ÷ bare axum (requests per second)";
    let bare_exe = bare_json.ok_or("the bare_json example was not built")?;
    let bare = Listening::spawn(
        std::process::Command::new(bare_exe),
        &ctx.workdir.log("bare-json"),
    )?;
    let host = &gateway.0.host;
    // Warm the cache, then keep the people it serves (a "not found" is never cached).
    let mut cached = Vec::new();
    for index in 0..CACHED_PEOPLE * 2 {
        let (status, body) = send_once(host, &gateway_request(host, index))?;
        if status != 200 {
            return Err(format!(
                "warming the cache: the gateway answered {status}: {body}"
            ));
        }
        let (_, again) = send_once(host, &gateway_request(host, index))?;
        if again.contains("\"cached\":true") {
            cached.push(index);
        }
        if cached.len() == CACHED_PEOPLE {
            break;
        }
    }
    let c = ctx.plan.loadgen_concurrency;
    let seconds = if ctx.plan.rounds >= 5 { 10 } else { 5 };
    let (mut ratios, mut gateway_rates, mut bare_rates) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=ctx.plan.rounds {
        let requests = |host: &str| cached.iter().map(|i| gateway_request(host, *i)).collect();
        let b = loadgen::run_prepared(&bare.host, requests(&bare.host), c, seconds)?;
        let g = loadgen::run_prepared(host, requests(host), c, seconds)?;
        eprintln!(
            "  gateway: round {round}/{}: bare axum {}, gateway (cache hits) {}",
            ctx.plan.rounds,
            per_second(b.per_second),
            per_second(g.per_second)
        );
        ratios.push(g.per_second / b.per_second);
        gateway_rates.push(g.per_second);
        bare_rates.push(b.per_second);
    }
    let spread = Spread::of(&ratios).ok_or("no rounds")?;
    Ok(Row::measured(
        SECTION,
        WHAT,
        Unit::Ratio,
        spread,
        Target::AtLeast(0.5),
        format!(
            "gateway {} vs bare axum {} (medians), {c} keep-alive connections, {seconds} s each, \
             built-in client, {CACHED_PEOPLE} cached people",
            per_second(Spread::median_of(&gateway_rates)),
            per_second(Spread::median_of(&bare_rates))
        ),
    ))
}

/// Sends `requests[i]` at `start + i / RATE` over `PACED_CONNECTIONS` keep-alive connections;
/// each latency runs from when its request was due. Every answer must be a 200.
fn paced(host: &str, requests: Vec<Vec<u8>>) -> Result<Vec<Duration>, String> {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let ready = Arc::new(Barrier::new(PACED_CONNECTIONS + 1));
    let start_at = Arc::new(std::sync::OnceLock::<Instant>::new());
    let workers: Vec<_> = (0..PACED_CONNECTIONS)
        .map(|_| {
            let (requests, next, ready, start_at) = (
                requests.clone(),
                next.clone(),
                ready.clone(),
                start_at.clone(),
            );
            let host = host.to_string();
            std::thread::spawn(move || -> Result<Vec<Duration>, String> {
                let mut connection =
                    wire::Connection::when_ready(&host, &ready, Duration::from_secs(30))?;
                let start = *start_at.wait();
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(request) = requests.get(i) else {
                        break;
                    };
                    let due = start + Duration::from_secs_f64(i as f64 / RATE);
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    connection.exchange(request)?;
                    latencies.push(due.elapsed());
                }
                Ok(latencies)
            })
        })
        .collect();
    ready.wait();
    let _ = start_at.set(Instant::now() + Duration::from_millis(50));
    let mut all = Vec::new();
    for worker in workers {
        all.extend(
            worker
                .join()
                .map_err(|_| "a paced client thread panicked")??,
        );
    }
    Ok(all)
}

/// The `percent` percentile of `latencies` (sorted in place).
fn percentile(latencies: &mut [Duration], percent: usize) -> Duration {
    latencies.sort_unstable();
    let index = (latencies.len() * percent / 100).min(latencies.len().saturating_sub(1));
    latencies.get(index).copied().unwrap_or_default()
}

fn latency(
    ctx: &ProcessContext<'_>,
    gateway: &GatewayProcess,
    serve: &Serve,
) -> Result<Row, String> {
    const WHAT: &str = "p99 added over the emulator at 500 req/s (cache misses)";
    let seconds: usize = if ctx.plan.rounds >= 5 { 20 } else { 10 };
    let count = seconds * RATE as usize;
    let (mut added, mut direct_p99s, mut gateway_p99s) = (Vec::new(), Vec::new(), Vec::new());
    let mut medians_added = Vec::new();
    // People never asked before: every gateway request is a cache miss and a vendor call.
    let mut first_new = 1_000_000;
    let chunk = CHUNK_S * RATE as usize;
    for round in 1..=ctx.plan.rounds {
        let (mut d, mut g) = (Vec::new(), Vec::new());
        for _ in 0..count / chunk {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let direct: Vec<Vec<u8>> = (0..chunk)
                .map(|i| {
                    let index = first_new + i;
                    let body =
                        wire::signed_body(BENCH_ACCOUNT, &people::name(index), &mobile(index), now);
                    wire::post_request(&serve.host, MOBILE_PATH, &body)
                })
                .collect();
            let through: Vec<Vec<u8>> = (0..chunk)
                .map(|i| gateway_request(&gateway.0.host, first_new + chunk + i))
                .collect();
            first_new += 2 * chunk;
            d.extend(paced(&serve.host, direct)?);
            g.extend(paced(&gateway.0.host, through)?);
        }
        let (dp, gp) = (percentile(&mut d, 99), percentile(&mut g, 99));
        let (dm, gm) = (percentile(&mut d, 50), percentile(&mut g, 50));
        eprintln!(
            "  gateway: round {round}/{}: p99 direct {:.2} ms, through the gateway {:.2} ms \
             (medians {:.2} ms, {:.2} ms)",
            ctx.plan.rounds,
            dp.as_secs_f64() * 1e3,
            gp.as_secs_f64() * 1e3,
            dm.as_secs_f64() * 1e3,
            gm.as_secs_f64() * 1e3
        );
        medians_added.push((gm.as_secs_f64() - dm.as_secs_f64()) * 1e3);
        added.push((gp.as_secs_f64() - dp.as_secs_f64()) * 1e3);
        direct_p99s.push(dp.as_secs_f64() * 1e3);
        gateway_p99s.push(gp.as_secs_f64() * 1e3);
    }
    let spread = Spread::of(&added).ok_or("no rounds")?;
    Ok(Row::measured(
        SECTION,
        WHAT,
        Unit::Millis,
        spread,
        Target::AtMost(2.0),
        format!(
            "p99 direct {:.2} ms, through the gateway {:.2} ms; median latency added {:.2} ms \
             (medians over rounds); {count} requests per \
             side per round in alternating {CHUNK_S} s chunks, {PACED_CONNECTIONS} connections, latency \
             from each request's due time",
            Spread::median_of(&direct_p99s),
            Spread::median_of(&gateway_p99s),
            Spread::median_of(&medians_added)
        ),
    ))
}

fn soak(gateway: &GatewayProcess, soak_s: u64) -> Result<Row, String> {
    const WHAT: &str = "resident memory after the soak ÷ after 1 minute";
    const MINUTE: u64 = 60;
    if soak_s <= MINUTE {
        return Err(format!(
            "--soak {soak_s}: the soak must be longer than a minute"
        ));
    }
    // Cycling over this many people fills the cache within the first minute at 500/s; after
    // that, memory should stay flat.
    const PEOPLE: usize = 5_000;
    let host = gateway.0.host.clone();
    let count = (soak_s as f64 * RATE) as usize;
    let requests: Vec<Vec<u8>> = (0..count)
        .map(|i| gateway_request(&host, 5_000_000 + i % PEOPLE))
        .collect();
    eprintln!("  gateway: soak for {soak_s} s at {RATE} req/s");
    let load = std::thread::spawn(move || paced(&host, requests));
    std::thread::sleep(Duration::from_secs(MINUTE));
    let at_minute = gateway.0.rss_kib()?;
    let load = load.join().map_err(|_| "the soak's client panicked")??;
    let at_end = gateway.0.rss_kib()?;
    let ratio = at_end as f64 / at_minute as f64;
    eprintln!("  gateway: RSS {at_minute} KiB after 1 minute, {at_end} KiB after {soak_s} s");
    let spread = Spread::of(&[ratio]).ok_or("no measurement")?;
    Ok(Row::measured(
        SECTION,
        format!("{WHAT} ({soak_s} s soak)"),
        Unit::Ratio,
        spread,
        Target::AtMost(1.1),
        format!(
            "{at_minute} KiB after 1 minute, {at_end} KiB after {soak_s} s; {} requests at \
             {RATE} req/s over {PEOPLE} people (memory store)",
            load.len()
        ),
    ))
}
