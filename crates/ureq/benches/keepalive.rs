//! What `UreqClient` costs over a bare ureq agent on a keep-alive loopback call.
//!
//! All lines POST the same form body to one local keep-alive server (std `TcpListener`, a
//! thread per connection, one fixed 300-byte answer) and read the whole body:
//!
//! - `bare_ureq/default`: `ureq::Agent` with its default configuration (no timeouts). The
//!   baseline; the target is `shiming_ureq/client` ≤ 1.05× this line.
//! - `shiming_ureq/client`: `UreqClient::new()` (10 s connect, 30 s total timeouts, body cap).
//! - `bare_ureq/with_timeouts`: a bare agent with the timeouts `UreqClient` sets, i.e. what
//!   `UreqClient` cost before it had its own resolver. ureq then looks the host up on a new
//!   thread on every call, pooled connection or not (see `src/resolve.rs`).
//!
//! Run: `cargo bench -p shiming-ureq --bench keepalive`. Kept short: the machine is shared.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use shiming_codec::transport::SyncHttpClient;
use shiming_ureq::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, UreqClient};

const FORM: &[u8] = b"appid=10001&mobile=18688888888&name=%E5%BC%A0%E4%B8%89&time=1604973925";

/// Starts the server and returns the URL to POST to. Its threads end with the process.
fn keep_alive_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let body =
        r#"{"codeid":10000,"message":"ok","retdata":{"bank_status":"01"},"time":"1604973925"}"#;
    let body = format!("{body:<300}");
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            thread::spawn(move || serve(stream, answer.as_bytes()));
        }
    });
    format!("http://{addr}/pyi/108/244")
}

/// Answers every request on the connection with `answer`, written in one piece.
fn serve(stream: TcpStream, answer: &[u8]) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        let mut length = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return; // the client closed the connection
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        writer.write_all(answer).unwrap();
    }
}

fn keepalive(c: &mut Criterion) {
    let url = keep_alive_server();
    let bare = ureq::Agent::new_with_defaults();
    let client = UreqClient::new().unwrap();
    let bare_with_timeouts = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(DEFAULT_TIMEOUT))
            .timeout_resolve(Some(DEFAULT_CONNECT_TIMEOUT))
            .timeout_connect(Some(DEFAULT_CONNECT_TIMEOUT))
            .build(),
    );

    let mut group = c.benchmark_group("keepalive_post_300b");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let bare_call = |agent: &ureq::Agent| {
        let mut response = agent.post(&url).send(FORM).unwrap();
        black_box(response.body_mut().read_to_vec().unwrap())
    };
    group.bench_function("bare_ureq/default", |b| b.iter(|| bare_call(&bare)));
    group.bench_function("shiming_ureq/client", |b| {
        b.iter(|| {
            let request = http::Request::post(&url).body(FORM.to_vec()).unwrap();
            black_box(client.call(request).unwrap())
        });
    });
    group.bench_function("bare_ureq/with_timeouts", |b| {
        b.iter(|| bare_call(&bare_with_timeouts))
    });
    group.finish();
}

criterion_group!(benches, keepalive);
criterion_main!(benches);
