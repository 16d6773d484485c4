//! The bytes on the wire for the process-level rows: signed wapi mobile two-element POST
//! bodies exactly as shiming builds them (parameters in key order, empty ones left out,
//! `sign` last, PHP-style form encoding), and a minimal HTTP/1.1 client over std sockets
//! for the emulator's ledger and the built-in load generator.

use shiming_sign::{Secret, wapi};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;
use std::sync::Barrier;
use std::time::Duration;

/// The wapi mobile two-element path (`wapi-mobile-two-elements.txt`).
pub(crate) const MOBILE_PATH: &str = "/pyi/108/244";
/// The Content-Type shiming sends with every POST.
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=utf-8";

/// The wapi account the benchmark's emulator accepts and its clients sign with. Made up for
/// the benchmark; the emulator is told it through the same variables the clients read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Account {
    /// `SHIMING_WAPI_APPID`.
    pub(crate) appid: &'static str,
    /// `SHIMING_WAPI_SECRET`.
    pub(crate) secret: &'static str,
}

/// The benchmark's account.
pub(crate) const BENCH_ACCOUNT: Account = Account {
    appid: "xtask-bench",
    secret: "xtask-bench-not-a-secret-0123456",
};

/// The signed form body of a mobile two-element check of `name` / `mobile` at `time`.
pub(crate) fn signed_body(account: Account, name: &str, mobile: &str, time: u64) -> String {
    let time = time.to_string();
    // Already in byte order of the keys, which is both the signing and the sending order.
    let params = [
        ("appid", account.appid),
        ("bank_name", name),
        ("format", "json"),
        ("mobile", mobile),
        ("time", time.as_str()),
    ];
    let signature = wapi::sign(wapi::AuthMode::Md5, &params, &Secret::new(account.secret));
    let mut body = String::new();
    for (key, value) in params.iter().chain([("sign", signature.value())].iter()) {
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str(key);
        body.push('=');
        form_encode(value, &mut body);
    }
    body
}

/// `application/x-www-form-urlencoded` as PHP's `http_build_query` writes it: `A-Za-z0-9*-._`
/// as they are, space as `+`, every other byte of the UTF-8 as `%XX`.
fn form_encode(value: &str, out: &mut String) {
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
}

/// A keep-alive POST of `body` to `path` on `host` (`127.0.0.1:PORT`).
pub(crate) fn post_request(host: &str, path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {FORM_CONTENT_TYPE}\r\n\
         Content-Length: {}\r\nAccept: */*\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one HTTP/1.1 response with a Content-Length body from `reader`; returns the status
/// and leaves the body in `body`.
pub(crate) fn read_response(
    reader: &mut impl BufRead,
    line: &mut String,
    body: &mut Vec<u8>,
) -> std::io::Result<u16> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    line.clear();
    if reader.read_line(line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("no HTTP status line"))?;
    let mut length = None;
    loop {
        line.clear();
        if reader.read_line(line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or_else(|| bad("a response without Content-Length"))?;
    body.resize(length, 0);
    reader.read_exact(body)?;
    Ok(status)
}

/// A load worker's keep-alive connection, with the buffers its exchanges reuse.
pub(crate) struct Connection {
    reader: BufReader<TcpStream>,
    stream: TcpStream,
    line: String,
    body: Vec<u8>,
}

impl Connection {
    /// Connects to `host` before waiting at `ready` (so the clock starts once every worker is
    /// connected), with Nagle off and `read_timeout` on reads.
    pub(crate) fn when_ready(
        host: &str,
        ready: &Barrier,
        read_timeout: Duration,
    ) -> Result<Self, String> {
        let stream = TcpStream::connect(host);
        ready.wait();
        let stream = stream.map_err(|e| format!("connect {host}: {e}"))?;
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(read_timeout));
        let reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
        Ok(Connection {
            reader,
            stream,
            line: String::new(),
            body: Vec::new(),
        })
    }

    /// Sends `request` and reads its answer, which must be a 200.
    pub(crate) fn exchange(&mut self, request: &[u8]) -> Result<(), String> {
        (&self.stream)
            .write_all(request)
            .map_err(|e| format!("send: {e}"))?;
        let status = read_response(&mut self.reader, &mut self.line, &mut self.body)
            .map_err(|e| format!("receive: {e}"))?;
        if status != 200 {
            return Err(format!(
                "the server answered {status}: {}",
                String::from_utf8_lossy(&self.body)
            ));
        }
        Ok(())
    }
}

/// The URL `child` announces on the first line of its stdout, `listening on <url>`; its
/// stdout is drained from then on, so the child never blocks on a full pipe. Anything else
/// stops the child and says so, naming it `name` and pointing at `log`, where its stderr went.
pub(crate) fn listening_url(child: &mut Child, name: &str, log: &Path) -> Result<String, String> {
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        return Err(format!("{name}: no stdout"));
    };
    let mut stdout = BufReader::new(stdout);
    let mut first = String::new();
    let _ = stdout.read_line(&mut first);
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    if let Some(url) = first.trim().strip_prefix("listening on ") {
        return Ok(url.to_owned());
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!(
        "{name} did not print `listening on …` first (got {first:?}); see {}",
        log.display()
    ))
}

/// `GET path` on `host` and the answer parsed as JSON (the emulator's control endpoints).
pub(crate) fn get_json(host: &str, path: &str) -> Result<serde_json::Value, String> {
    let fail = |e: std::io::Error| format!("GET http://{host}{path}: {e}");
    let stream = TcpStream::connect(host).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(fail)?;
    (&stream)
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n").as_bytes())
        .map_err(fail)?;
    let mut reader = BufReader::new(&stream);
    let (mut line, mut body) = (String::new(), Vec::new());
    let status = read_response(&mut reader, &mut line, &mut body).map_err(fail)?;
    if status != 200 {
        return Err(format!("GET http://{host}{path}: status {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| format!("GET http://{host}{path}: not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_signed_and_encoded_like_shiming() {
        let account = Account {
            appid: "1",
            secret: "0123456789abcdef0123456789abcdef",
        };
        let body = signed_body(account, "张三", "18688888888", 1_604_973_925);
        // The signature is shiming-sign's documented example for these parameters.
        assert_eq!(
            body,
            "appid=1&bank_name=%E5%BC%A0%E4%B8%89&format=json&mobile=18688888888\
             &time=1604973925&sign=08a7f39cef0e714353077250f10db07c"
        );
    }

    #[test]
    fn form_encoding_matches_php() {
        let mut out = String::new();
        form_encode("a b*~+/é", &mut out);
        assert_eq!(out, "a+b*%7E%2B%2F%C3%A9");
    }

    #[test]
    fn reads_keep_alive_responses_back_to_back() {
        let wire =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}\
                     HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n";
        let mut reader = BufReader::new(&wire[..]);
        let (mut line, mut body) = (String::new(), Vec::new());
        assert_eq!(
            read_response(&mut reader, &mut line, &mut body).unwrap(),
            200
        );
        assert_eq!(body, b"{}");
        assert_eq!(
            read_response(&mut reader, &mut line, &mut body).unwrap(),
            405
        );
        assert!(body.is_empty());
        assert!(read_response(&mut reader, &mut line, &mut body).is_err());
        let chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n";
        let error = read_response(&mut BufReader::new(&chunked[..]), &mut line, &mut body);
        assert!(error.unwrap_err().to_string().contains("Content-Length"));
    }
}
