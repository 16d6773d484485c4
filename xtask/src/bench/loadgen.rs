//! The plain HTTP load generator `shiming batch` is compared with: `wrk` when installed (a Lua
//! script cycles pre-signed bodies), else a built-in keep-alive client on std threads, one
//! connection per thread. Either way: the same signed wapi POST bodies, the same emulator
//! endpoint, the same number of requests in flight.

use super::options::LoadgenChoice;
use super::wire::{self, MOBILE_PATH};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// wrk's request script: one pre-signed body per line of the file named after `--`.
const WRK_SCRIPT: &str = r#"-- Written by `cargo xtask bench`: POSTs pre-signed wapi mobile two-element bodies
-- (one per line of the file given after `--`), cycling through them. The requests are
-- formatted once in init(), so each request costs wrk one table lookup.
local requests = {}
local next_request = 1
function init(args)
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded;charset=utf-8" }
  for line in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", nil, headers, line)
  end
end
function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
"#;

/// A load generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Loadgen {
    /// `wrk` at this path.
    Wrk(PathBuf),
    /// The built-in client.
    Builtin,
}

/// One load-generator run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LoadResult {
    /// Completed requests per second.
    pub(crate) per_second: f64,
    /// Completed requests.
    pub(crate) requests: u64,
}

impl Loadgen {
    /// The generator `choice` asks for.
    pub(crate) fn choose(choice: LoadgenChoice) -> Result<Loadgen, String> {
        let wrk = find_on_path("wrk");
        match (choice, wrk) {
            (LoadgenChoice::Rust, _) | (LoadgenChoice::Auto, None) => Ok(Loadgen::Builtin),
            (LoadgenChoice::Auto | LoadgenChoice::Wrk, Some(path)) => Ok(Loadgen::Wrk(path)),
            (LoadgenChoice::Wrk, None) => {
                Err("--loadgen wrk: wrk is not on PATH (apt-get install -y wrk)".to_string())
            }
        }
    }

    /// For the table.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Loadgen::Wrk(_) => "wrk",
            Loadgen::Builtin => "built-in keep-alive client",
        }
    }

    /// Sends `load`'s bodies (cycling) to its host for its duration; wrk writes its script
    /// and body file under `scratch`.
    pub(crate) fn run(&self, load: &Load<'_>, scratch: &Path) -> Result<LoadResult, String> {
        if load.bodies.is_empty() {
            return Err("no request bodies".to_string());
        }
        match self {
            Loadgen::Wrk(wrk) => run_wrk(wrk, load, scratch),
            Loadgen::Builtin => {
                let requests = load
                    .bodies
                    .iter()
                    .map(|body| wire::post_request(load.host, MOBILE_PATH, body))
                    .collect();
                run_prepared(load.host, requests, load.connections, load.seconds)
            }
        }
    }
}

/// What one load run sends: signed wapi POST bodies, cycled, to `host` over `connections`
/// keep-alive connections for `seconds`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load<'a> {
    pub(crate) host: &'a str,
    pub(crate) bodies: &'a [String],
    pub(crate) connections: usize,
    pub(crate) seconds: u64,
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

fn run_wrk(wrk: &Path, load: &Load<'_>, scratch: &Path) -> Result<LoadResult, String> {
    let Load {
        host,
        bodies,
        connections,
        seconds,
    } = *load;
    let script = scratch.join("wrk-bodies.lua");
    let body_file = scratch.join("wrk-bodies.txt");
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(&script, WRK_SCRIPT)?;
    write(&body_file, &(bodies.join("\n") + "\n"))?;
    // One wrk thread per core, as wrk advises; never more threads than connections.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(connections);
    let output = Command::new(wrk)
        .args(["-t", &threads.to_string(), "-c", &connections.to_string()])
        .args(["-d", &format!("{seconds}s"), "--timeout", "10s", "-s"])
        .arg(&script)
        .arg(format!("http://{host}{MOBILE_PATH}"))
        .arg("--")
        .arg(&body_file)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", wrk.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "wrk failed ({}): {} {}",
            output.status,
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    parse_wrk(&stdout)
}

/// Requests/sec and the request count from wrk's report; any non-2xx answer or socket error
/// makes the run invalid.
fn parse_wrk(report: &str) -> Result<LoadResult, String> {
    let mut per_second = None;
    let mut requests = None;
    for line in report.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            per_second = rest.trim().parse::<f64>().ok();
        } else if line.contains("requests in") {
            requests = line.split_whitespace().next().and_then(|n| n.parse().ok());
        } else if line.starts_with("Non-2xx") || line.starts_with("Socket errors") {
            return Err(format!("wrk reported errors: {line}"));
        }
    }
    match (per_second, requests) {
        (Some(per_second), Some(requests)) => Ok(LoadResult {
            per_second,
            requests,
        }),
        _ => Err(format!("cannot read wrk's report: {report}")),
    }
}

/// The built-in client with whole requests prepared by the caller (any path, headers and
/// body; each answer must be a 200 with a Content-Length), cycling through them.
pub(crate) fn run_prepared(
    host: &str,
    requests: Vec<Vec<u8>>,
    connections: usize,
    seconds: u64,
) -> Result<LoadResult, String> {
    if requests.is_empty() {
        return Err("no requests".to_string());
    }
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(requests);
    // Everyone connects first; the clock starts when the last one is ready.
    let ready = Arc::new(Barrier::new(connections + 1));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..connections)
        .map(|n| {
            let (requests, ready, stop) = (requests.clone(), ready.clone(), stop.clone());
            let host = host.to_string();
            std::thread::spawn(move || -> Result<u64, String> {
                let mut connection =
                    wire::Connection::when_ready(&host, &ready, Duration::from_secs(10))?;
                let mut done = 0u64;
                // Each connection starts at its own place in the bodies.
                let mut next = n * requests.len() / connections.max(1);
                while !stop.load(Ordering::Relaxed) {
                    connection.exchange(&requests[next % requests.len()])?;
                    done += 1;
                    next += 1;
                }
                Ok(done)
            })
        })
        .collect();
    ready.wait();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut total = 0;
    let mut failure = None;
    for worker in workers {
        match worker.join() {
            Ok(Ok(done)) => total += done,
            Ok(Err(e)) => failure = Some(e),
            Err(_) => failure = Some("a load-generator thread panicked".to_string()),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    match failure {
        Some(e) => Err(format!("built-in load generator: {e}")),
        None => Ok(LoadResult {
            per_second: total as f64 / elapsed,
            requests: total,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Write};
    use std::net::TcpStream;

    #[test]
    fn reads_wrk_reports() {
        let report = "Running 5s test @ http://127.0.0.1:40000/pyi/108/244\n  \
            2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    \
            Latency     1.40ms    1.02ms  22.84ms   88.04%\n    Req/Sec    23.1k     1.9k   \
            27.0k    70.00%\n  229815 requests in 5.00s, 111.41MB read\nRequests/sec:  \
            45940.31\nTransfer/sec:     22.27MB\n";
        let result = parse_wrk(report).unwrap();
        assert_eq!(result.requests, 229_815);
        assert!((result.per_second - 45_940.31).abs() < 1e-6);
        let failed = format!("{report}  Non-2xx or 3xx responses: 12\n");
        assert!(parse_wrk(&failed).unwrap_err().contains("Non-2xx"));
        assert!(parse_wrk("garbage").is_err());
    }

    #[test]
    fn builtin_client_counts_answers_from_a_real_socket() {
        // A tiny keep-alive server on 127.0.0.1 answering every request with `{}`.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || serve_forever(stream));
            }
        });
        let load = Load {
            host: &host,
            bodies: &["a=1".to_string()],
            connections: 2,
            seconds: 1,
        };
        let result = Loadgen::Builtin.run(&load, Path::new("unused")).unwrap();
        assert!(result.requests > 10, "{result:?}");
        assert!(result.per_second > 10.0, "{result:?}");
    }

    fn serve_forever(stream: TcpStream) {
        use std::io::{BufRead, Read};
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = &stream;
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
            if writer.write_all(answer).is_err() {
                return;
            }
        }
    }
}
