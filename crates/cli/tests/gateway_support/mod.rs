//! Helpers for the gateway tests: a real `shiming gateway` process, a minimal HTTP/1.1
//! client over a std socket (so tests can send exactly the bytes they mean — bad JSON,
//! oversized bodies, odd headers), a real `redis-server`, and gateway.toml files.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The checks' paths.
pub const MOBILE: &str = "/v1/mobile/two-elements";
pub const ID: &str = "/v1/idcard/two-elements";
pub const STATUS: &str = "/v1/mobile/status";

/// One tenant's key and the TOML that declares it.
pub struct TenantSpec {
    pub name: &'static str,
    pub key: String,
    pub qps: u32,
    pub budget_yuan: f64,
    pub checks: &'static str,
    pub require_purpose: bool,
}

impl TenantSpec {
    pub fn new(name: &'static str) -> TenantSpec {
        TenantSpec {
            name,
            key: format!("test-key-{name}"),
            qps: 1000,
            budget_yuan: 1000.0,
            checks: r#"["mobile", "id", "status", "balance"]"#,
            require_purpose: false,
        }
    }

    /// This tenant with `qps` requests a second at most.
    pub fn qps(self, qps: u32) -> TenantSpec {
        TenantSpec { qps, ..self }
    }

    /// This tenant with a daily budget of `budget_yuan`.
    pub fn budget(self, budget_yuan: f64) -> TenantSpec {
        TenantSpec {
            budget_yuan,
            ..self
        }
    }

    pub fn toml(&self) -> String {
        format!(
            "[[tenants]]\nname = \"{}\"\nkey_sha256 = \"{}\"\nqps = {}\ndaily_budget_yuan = {}\n\
             checks = {}\nrequire_purpose = {}\n",
            self.name,
            shiming_gateway::key_digest(&self.key),
            self.qps,
            self.budget_yuan,
            self.checks,
            self.require_purpose
        )
    }
}

/// Writes `gateway.toml` in `dir` and returns its path.
pub fn write_config(dir: &Path, head: &str, tenants: &[&TenantSpec]) -> PathBuf {
    let mut text = format!("listen = \"127.0.0.1:0\"\n{head}\n");
    for tenant in tenants {
        text.push_str(&tenant.toml());
    }
    let path = dir.join("gateway.toml");
    std::fs::write(&path, text).expect("write gateway.toml");
    path
}

/// `shiming gateway` in `home` with a config of `head` and `tenants`, against `emu` with its
/// default accounts' credentials.
pub fn start_gateway(
    home: &Path,
    emu: &shiming_emulator::BlockingEmulator,
    head: &str,
    tenants: &[&TenantSpec],
) -> Gateway {
    let config = write_config(home, head, tenants);
    Gateway::start(
        home,
        &config,
        &[],
        &super::common::credentials(emu.base_url()),
    )
}

/// A running gateway process; killed when dropped.
pub struct Gateway {
    pub child: Child,
    pub url: String,
    pub addr: String,
    /// stdout lines after `listening on` (the audit trail with `audit = "stdout"`).
    pub lines: Arc<Mutex<Vec<String>>>,
    pub stderr: PathBuf,
}

impl Gateway {
    /// `shiming gateway --config CONFIG extra…` with `env`; waits for `listening on`.
    pub fn start(home: &Path, config: &Path, extra: &[&str], env: &[(String, String)]) -> Gateway {
        let stderr = home.join(format!("gateway-{}.stderr", fastish_id()));
        let mut cmd = super::common::command(home);
        cmd.arg("gateway").arg("--config").arg(config).args(extra);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("spawn shiming gateway");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        reader.read_line(&mut first).expect("read the first line");
        assert!(
            first.starts_with("listening on "),
            "first line {first:?}; stderr: {}",
            std::fs::read_to_string(&stderr).unwrap_or_default()
        );
        let url = first.trim().trim_start_matches("listening on ").to_string();
        let addr = url.split("://").nth(1).expect("url").to_string();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in reader.lines() {
                let Ok(line) = line else { break };
                sink.lock().expect("lines").push(line);
            }
        });
        Gateway {
            child,
            url,
            addr,
            lines,
            stderr,
        }
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        http(&self.addr, method, path, headers, body)
    }

    /// POST JSON with a tenant key.
    /// `POST /v1/mobile/two-elements` for `name` and `mobile`, as the tenant of `key`.
    pub fn mobile(&self, key: &str, name: &str, mobile: &str) -> Response {
        let body = serde_json::json!({"name": name, "mobile": mobile});
        self.post(key, MOBILE, &body)
    }

    /// `POST /v1/idcard/two-elements` for `name` and `id_number`, as the tenant of `key`.
    pub fn id(&self, key: &str, name: &str, id_number: &str) -> Response {
        let body = serde_json::json!({"name": name, "id_number": id_number});
        self.post(key, ID, &body)
    }

    /// `GET path` as the tenant of `key`.
    pub fn get(&self, key: &str, path: &str) -> Response {
        let auth = format!("Bearer {key}");
        self.request("GET", path, &[("authorization", &auth)], None)
    }

    pub fn post(&self, key: &str, path: &str, body: &serde_json::Value) -> Response {
        let auth = format!("Bearer {key}");
        let bytes = serde_json::to_vec(body).expect("json");
        self.request(
            "POST",
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(&bytes),
        )
    }

    pub fn audit(&self) -> Vec<serde_json::Value> {
        self.lines
            .lock()
            .expect("lines")
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("audit line {l:?}: {e}")))
            .collect()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to exit; its exit code.
    pub fn wait(mut self, limit: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(
                start.elapsed() < limit,
                "gateway did not exit; stderr: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fastish_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a problem document of `kind` with `status`.
    pub fn problem(&self, status: u16, kind: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{self:?}"
        );
        let doc = self.json();
        assert_eq!(doc["type"], format!("urn:shiming:problem:{kind}"), "{doc}");
        assert_eq!(doc["status"], status);
        doc
    }
}

/// One request on a fresh connection (`Connection: close`), read to the end.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect to the gateway");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write head");
    if let Some(body) = body {
        // The server may answer (413) and close before reading everything.
        let _ = stream.write_all(body);
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// A real `redis-server` on a free port, killed when dropped; `None` when not installed.
pub struct Redis {
    child: Child,
    pub url: String,
}

impl Redis {
    pub fn start() -> Option<Redis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .ok()?;
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let redis = Redis {
            child,
            url: format!("redis://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(redis)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes a 32-byte owner-only HMAC key file.
pub fn key_file(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("hmac.key");
    std::fs::write(&path, b"0123456789abcdef0123456789abcdef-shared-test-key").expect("key");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

/// Whether a program is on PATH.
pub fn installed(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
