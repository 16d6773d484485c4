//! Gateway timeouts (504, Cloudflare's 524, the proxies' 598 and 599) mean the request got
//! through and the vendor may have billed it: over real HTTP on 127.0.0.1, each is sent once
//! — never retried, never failed over — and reported as possibly billed. The error page echoes
//! the request, as some gateways do: the error shows neither the secrets nor the person.

use shiming::codec::ihuyi::IhuyiConfig;
use shiming::codec::qxt::QxtConfig;
use shiming::codec::wapi::WapiConfig;
use shiming::{ErrorKind, RetryPolicy, Secret, Vendor, VerifierConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const WAPI_SECRET: &str = "wapi-SENTINEL-secret-01";
const QXT_KEY: &str = "qxt-SENTINEL-apikey-0123456789ab";
const IHUYI_KEY: &str = "ihuyi-SENTINEL-apikey-01";
const NAME: &str = "测试哨兵";
const MOBILE: &str = "13987654321";

/// A server on 127.0.0.1 answering every request with `status` and an HTML page quoting the
/// request line and body; counts the requests.
struct Gateway {
    base_url: String,
    requests: Arc<AtomicUsize>,
}

impl Gateway {
    fn start(status: u16) -> Gateway {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counter.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || answer(stream, status));
            }
        });
        Gateway { base_url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn answer(stream: TcpStream, status: u16) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length.min(1 << 20)];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let page = format!(
        "<html><body><h1>{status} timeout</h1><pre>{}\n{}</pre></body></html>",
        head.lines().next().unwrap_or_default(),
        String::from_utf8_lossy(&body)
    );
    let response = format!(
        "HTTP/1.1 {status} Timeout\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    );
    let _ = reader.get_mut().write_all(response.as_bytes());
}

fn config(base_url: &str) -> VerifierConfig {
    VerifierConfig::new()
        .wapi(WapiConfig::new(base_url, "app", Secret::new(WAPI_SECRET)).expect("valid"))
        .qxt(
            QxtConfig::new(Secret::new(QXT_KEY))
                .with_base_url(base_url)
                .expect("valid"),
        )
        .ihuyi(
            IhuyiConfig::new("acct", Secret::new(IHUYI_KEY))
                .with_base_url(base_url)
                .expect("valid"),
        )
        .mobile_vendors([Vendor::Wapi, Vendor::Qxt])
        .retry(RetryPolicy::default().delays(Duration::ZERO, Duration::ZERO))
}

#[track_caller]
fn assert_possibly_billed_once(status: u16, gateway: &Gateway, error: &shiming::Error) {
    assert_eq!(
        gateway.requests(),
        1,
        "{status}: sent once, no retry, no failover"
    );
    assert_eq!(error.kind(), ErrorKind::Decode, "{status}: {error}");
    assert_eq!(error.vendor(), Some(Vendor::Wapi), "{status}");
    assert_eq!(error.attempts(), 1, "{status}");
    assert!(error.may_have_been_billed(), "{status}: {error}");
    let shown = format!("{error} {error:?} {:?}", std::error::Error::source(error));
    assert!(shown.contains(&status.to_string()), "{shown}");
    for leak in [
        WAPI_SECRET,
        QXT_KEY,
        IHUYI_KEY,
        "SENTINEL",
        NAME,
        MOBILE,
        "%E6%B5%8B",
    ] {
        assert!(!shown.contains(leak), "{leak} in {shown}");
    }
}

#[test]
fn blocking_gateway_timeouts_are_sent_once_and_possibly_billed() {
    for status in [504, 524, 598, 599] {
        let gateway = Gateway::start(status);
        let verifier =
            shiming::blocking::Verifier::new(config(&gateway.base_url)).expect("a verifier");
        let error = verifier
            .mobile_two_elements(NAME, MOBILE)
            .expect_err("a gateway timeout is no answer");
        assert_possibly_billed_once(status, &gateway, &error);
    }
}

#[test]
fn async_gateway_timeouts_are_sent_once_and_possibly_billed() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    for status in [504, 524, 598, 599] {
        let gateway = Gateway::start(status);
        let verifier = shiming::Verifier::new(config(&gateway.base_url)).expect("a verifier");
        let error = runtime
            .block_on(verifier.mobile_two_elements(NAME, MOBILE))
            .expect_err("a gateway timeout is no answer");
        assert_possibly_billed_once(status, &gateway, &error);
    }
}

/// For contrast: a plain 502 page is certainly unbilled, so it is retried and failed over.
#[test]
fn a_bad_gateway_is_retried_and_failed_over() {
    let gateway = Gateway::start(502);
    let verifier = shiming::blocking::Verifier::new(config(&gateway.base_url)).expect("a verifier");
    let error = verifier
        .mobile_two_elements(NAME, MOBILE)
        .expect_err("no answer");
    assert!(!error.may_have_been_billed());
    assert_eq!(gateway.requests(), 6, "3 attempts at wapi, then 3 at QXT");
    assert_eq!(error.vendor(), Some(Vendor::Qxt));
}
