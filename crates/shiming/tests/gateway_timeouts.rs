//! Gateway timeouts (504, Cloudflare's 524, the proxies' 598 and 599) mean the request got
//! through and the vendor may have billed it: over real HTTP on 127.0.0.1, each is sent once
//! — never retried, never failed over — and reported as possibly billed. The error page echoes
//! the request, as some gateways do: the error shows neither the secrets nor the person.

use shiming::codec::ihuyi::IhuyiConfig;
use shiming::codec::qxt::QxtConfig;
use shiming::codec::wapi::WapiConfig;
use shiming::{ErrorKind, RetryPolicy, Secret, Vendor, VerifierConfig};
use shiming_test_support::server::{Next, TestServer, response};
use std::time::Duration;

const WAPI_SECRET: &str = "wapi-SENTINEL-secret-01";
const QXT_KEY: &str = "qxt-SENTINEL-apikey-0123456789ab";
const IHUYI_KEY: &str = "ihuyi-SENTINEL-apikey-01";
const NAME: &str = "测试哨兵";
const MOBILE: &str = "13987654321";

/// A server on 127.0.0.1 answering every request with `status` and an HTML page quoting the
/// request line and body; counts the requests (one a connection: each answer closes it).
struct Gateway {
    base_url: String,
    server: TestServer,
}

impl Gateway {
    fn start(status: u16) -> Gateway {
        let server = TestServer::start(move |request, out| {
            let page = format!(
                "<html><body><h1>{status} timeout</h1><pre>{}\n{}</pre></body></html>",
                request.request_line(),
                String::from_utf8_lossy(&request.body)
            );
            let headers = [("content-type", "text/html"), ("connection", "close")];
            out.write_all(&response(
                &format!("{status} Timeout"),
                &headers,
                page.as_bytes(),
            ))?;
            Ok(Next::Close)
        });
        Gateway {
            base_url: server.url(""),
            server,
        }
    }

    fn requests(&self) -> usize {
        self.server.accepted()
    }
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
