//! The keep-alive loopback server and the clients compared by `benches/keepalive.rs` and
//! `examples/keepalive_ratio.rs` (both include this file by path).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use shiming_codec::transport::SyncHttpClient;
use shiming_ureq::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, UreqClient};

/// The request body every client POSTs: a wapi-like form.
pub(crate) const FORM: &[u8] =
    b"appid=10001&mobile=18688888888&name=%E5%BC%A0%E4%B8%89&time=1604973925";

/// Starts a server on 127.0.0.1 (a thread per connection, every answer the same 300-byte
/// JSON body written in one piece) and returns the URL to POST to. Its threads end with the
/// process.
pub(crate) fn keep_alive_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
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

/// Answers every request on the connection with `answer` until the client closes it.
fn serve(stream: TcpStream, answer: &[u8]) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
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
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() || writer.write_all(answer).is_err() {
            return;
        }
    }
}

/// A bare ureq agent with ureq's default configuration (no timeouts): the baseline.
pub(crate) fn bare_agent() -> ureq::Agent {
    ureq::Agent::new_with_defaults()
}

/// A bare agent with the timeouts `UreqClient` sets and ureq's own resolver: what a
/// `UreqClient` call cost before `resolve.rs` and `socket_timeouts.rs`.
pub(crate) fn bare_agent_with_timeouts() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(DEFAULT_TIMEOUT))
            .timeout_resolve(Some(DEFAULT_CONNECT_TIMEOUT))
            .timeout_connect(Some(DEFAULT_CONNECT_TIMEOUT))
            .build(),
    )
}

/// One keep-alive call through a bare agent, body read whole.
pub(crate) fn bare_call(agent: &ureq::Agent, url: &str) -> Vec<u8> {
    let mut response = agent.post(url).send(FORM).expect("answered");
    response.body_mut().read_to_vec().expect("body read")
}

/// The same call through a `UreqClient`.
pub(crate) fn client_call(client: &UreqClient, url: &str) -> Vec<u8> {
    let request = http::Request::post(url)
        .body(FORM.to_vec())
        .expect("a request");
    client.call(request).expect("answered").into_body()
}
