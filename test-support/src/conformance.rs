//! The cases every HTTP transport passes, written once against [`Subject`] and run against
//! real sockets on 127.0.0.1.
//!
//! A transport's test file implements [`Subject`] for a thin wrapper of its client (the async
//! one drives each call to completion on a Tokio runtime) and invokes
//! [`conformance_suite!`](crate::conformance_suite), which expands to one `#[test]` per case,
//! named after it: the test runner lists `passes_200_through_with_every_header` and its peers
//! for each transport. TLS cases exist only in builds with a TLS feature, and the plain-http
//! build runs the case that says https needs one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use shiming_codec::transport::{HttpRequest, HttpResponse, TransportError};
use shiming_transport::{ConfigError, DEFAULT_USER_AGENT, TransportSettings};

use crate::server::{Next, Received, TestServer, blackhole, closed_port, response, write_chunk};
use crate::tls;

/// A transport under test, seen as a blocking client.
pub trait Subject: Clone + Send + Sync + Sized + 'static {
    /// Whether this build speaks https (the transport's `rustls` or `native-tls` feature).
    const HTTPS: bool;

    /// Builds the client as the transport's own constructor does.
    fn build(settings: &TransportSettings) -> Result<Self, ConfigError>;

    /// One round trip, to completion.
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Instantiates every case of [`conformance`](crate::conformance) for `$subject`, one
/// `#[test]` each. Invoke it at the top level of a transport's integration test file.
#[macro_export]
macro_rules! conformance_suite {
    ($subject:ty) => {
        $crate::conformance_suite!(@cases $subject;
            passes_200_through_with_every_header,
            passes_502_html_through_as_a_response,
            sends_post_body_and_headers_verbatim,
            does_not_follow_redirects,
            body_at_the_cap_passes_one_byte_more_does_not,
            declared_content_length_over_the_cap_is_refused_before_reading,
            endless_chunked_body_stops_at_the_cap,
            refused_connection_is_a_connect_error_that_never_reached_the_vendor,
            unknown_host_is_a_connect_error_that_never_reached_the_vendor,
            connect_timeout_is_a_connect_error_that_never_reached_the_vendor,
            total_timeout_on_a_slow_body_may_have_reached_the_vendor,
            total_timeout_waiting_for_the_answer_may_have_reached_the_vendor,
            total_timeout_still_fires_on_a_reused_connection,
            truncated_body_is_an_io_error_that_may_have_reached_the_vendor,
            reset_after_the_request_may_have_reached_the_vendor,
            reuses_one_connection_for_sequential_calls,
            clones_share_the_pool,
            each_call_goes_to_its_own_uri_whatever_came_before,
            host_names_are_resolved_and_sent_as_given,
            relative_uri_is_an_invalid_request,
            invalid_settings_are_refused_with_a_reason,
            empty_user_agent_sends_none,
        );
        // The TLS cases need a TLS feature of the crate invoking the macro.
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        mod tls {
            use super::*;
            $crate::conformance_suite!(@cases $subject;
                untrusted_certificate_is_refused_before_anything_is_sent,
                certificate_from_a_configured_root_is_accepted,
                a_root_for_another_name_does_not_help,
            );
        }
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        $crate::conformance_suite!(@cases $subject; https_without_a_tls_feature_is_an_invalid_request);
    };
    (@cases $subject:ty; $($case:ident),+ $(,)?) => {
        $(
            #[test]
            fn $case() {
                $crate::conformance::$case::<$subject>();
            }
        )+
    };
}

/// 5 s to connect, 10 s in all: generous, so only the cases that mean to time out do.
fn client<S: Subject>() -> S {
    with(
        TransportSettings::default()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10)),
    )
}

fn with<S: Subject>(settings: TransportSettings) -> S {
    S::build(&settings).expect("the settings are valid")
}

fn get(url: &str) -> HttpRequest {
    http::Request::get(url).body(Vec::new()).expect("request")
}

fn ok_server() -> TestServer {
    TestServer::answering("200 OK", &[], b"ok")
}

fn must_fail<S: Subject>(client: &S, request: HttpRequest) -> TransportError {
    match client.call(request) {
        Ok(response) => panic!("expected an error, got {}", response.status()),
        Err(error) => error,
    }
}

/// Neither the message, the `Debug` form nor any source in the chain shows `secret`.
fn assert_no_url(error: &TransportError, secret: &str) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(secret), "the query leaked: {shown}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        assert!(
            !cause.to_string().contains(secret),
            "the query leaked: {cause}"
        );
        source = cause.source();
    }
}

/// Status, version, every header (repeated ones too) and the body come back untouched; a GET
/// carries the default user agent and no body.
pub fn passes_200_through_with_every_header<S: Subject>() {
    let server = TestServer::answering(
        "200 OK",
        &[
            ("date", "Tue, 10 Nov 2020 02:05:25 GMT"),
            ("x-trace", "a"),
            ("x-trace", "b"),
            ("content-type", "application/json; charset=utf-8"),
        ],
        br#"{"codeid":10000}"#,
    );
    let response = client::<S>()
        .call(get(&server.url("/pyi/108/244?appid=1&sign=abc")))
        .expect("response");

    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), http::Version::HTTP_11);
    assert_eq!(response.headers()["date"], "Tue, 10 Nov 2020 02:05:25 GMT");
    let traces: Vec<_> = response.headers().get_all("x-trace").iter().collect();
    assert_eq!(traces, ["a", "b"]);
    assert_eq!(response.body(), br#"{"codeid":10000}"#);

    let received = &server.received()[0];
    assert_eq!(
        received.request_line(),
        "GET /pyi/108/244?appid=1&sign=abc HTTP/1.1"
    );
    assert_eq!(received.header("user-agent"), Some(DEFAULT_USER_AGENT));
    assert_eq!(received.header("content-length"), None, "GET sends no body");
    assert_eq!(received.header("transfer-encoding"), None);
}

/// A gateway's 502 page is an answer, not an error: the decoder must see it.
pub fn passes_502_html_through_as_a_response<S: Subject>() {
    let page = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = TestServer::answering("502 Bad Gateway", &[("content-type", "text/html")], page);
    let response = client::<S>()
        .call(get(&server.url("/")))
        .expect("a 502 is an answer");
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.body(), page);
}

/// A POST goes out with its body, `Content-Length` and the caller's headers as given.
pub fn sends_post_body_and_headers_verbatim<S: Subject>() {
    let server = ok_server();
    let form = "appid=1&name=%E5%BC%A0%E4%B8%89&sign=0f3a"
        .as_bytes()
        .to_vec();
    let request = http::Request::post(server.url("/pyi/62/169"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "caller/2.0")
        .body(form.clone())
        .expect("request");
    client::<S>().call(request).expect("response");

    let received = &server.received()[0];
    assert_eq!(received.request_line(), "POST /pyi/62/169 HTTP/1.1");
    assert_eq!(received.body, form);
    assert_eq!(
        received.header("content-length"),
        Some(form.len().to_string().as_str())
    );
    assert_eq!(
        received.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(received.header("user-agent"), Some("caller/2.0"));
}

/// A 3xx comes back to the caller: following it would re-send a signed query.
pub fn does_not_follow_redirects<S: Subject>() {
    let server = TestServer::answering(
        "302 Found",
        &[("location", "http://127.0.0.1:1/elsewhere")],
        b"",
    );
    let response = client::<S>().call(get(&server.url("/"))).expect("response");
    assert_eq!(response.status(), 302);
    assert_eq!(server.received().len(), 1);
}

/// Exactly the cap is accepted; one byte more is `body_too_large`.
pub fn body_at_the_cap_passes_one_byte_more_does_not<S: Subject>() {
    let server = TestServer::start(|request, out| {
        let size = if request.request_line().contains("/over") {
            101
        } else {
            100
        };
        out.write_all(&response("200 OK", &[], &vec![b'x'; size]))?;
        Ok(Next::KeepAlive)
    });
    let client: S = with(TransportSettings::default().max_response_bytes(100));
    let at_cap = client.call(get(&server.url("/at"))).expect("response");
    assert_eq!(at_cap.body().len(), 100);
    let error = must_fail(&client, get(&server.url("/over")));
    assert!(error.is_body_too_large(), "{error}");
}

/// A declared length over the cap fails before a body byte is read.
pub fn declared_content_length_over_the_cap_is_refused_before_reading<S: Subject>() {
    // Declares 10 GiB and sends nothing: only the header can have triggered the refusal.
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10737418240\r\n\r\n")?;
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let error = must_fail(&client::<S>(), get(&server.url("/")));
    assert!(error.is_body_too_large(), "{error}");
    assert!(
        error.to_string().contains("1048576"),
        "the cap is named: {error}"
    );
}

/// A chunked body that never ends is read incrementally and dropped at the cap.
pub fn endless_chunked_body_stops_at_the_cap<S: Subject>() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")?;
        let chunk = [b'y'; 4096];
        // Stream until the client hangs up: only reading incrementally can end this.
        loop {
            write_chunk(out, &chunk)?;
        }
    });
    let client: S = with(TransportSettings::default().max_response_bytes(64 * 1024));
    let error = must_fail(&client, get(&server.url("/")));
    assert!(error.is_body_too_large(), "{error}");
}

/// Nothing listens: a connect error, certainly unbilled, URL not shown.
pub fn refused_connection_is_a_connect_error_that_never_reached_the_vendor<S: Subject>() {
    let url = format!("http://{}/pyi/108/244?sign=topsecret", closed_port());
    let error = must_fail(&client::<S>(), get(&url));
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_timeout());
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

/// A name that cannot resolve: a connect error, certainly unbilled.
pub fn unknown_host_is_a_connect_error_that_never_reached_the_vendor<S: Subject>() {
    // `.invalid` never resolves (RFC 6761); without DNS the lookup fails or times out.
    let client: S = with(TransportSettings::default().connect_timeout(Duration::from_secs(2)));
    let error = must_fail(&client, get("http://shiming-test.invalid/?sign=topsecret"));
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

/// A connect that hangs ends at the connect timeout, as a connect error.
pub fn connect_timeout_is_a_connect_error_that_never_reached_the_vendor<S: Subject>() {
    let hole = blackhole();
    let client: S = with(
        TransportSettings::default()
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(10)),
    );
    let error = must_fail(
        &client,
        get(&format!("http://{}/?sign=topsecret", hole.addr)),
    );
    assert!(error.is_connect() && error.is_timeout(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

/// The total timeout covers the body: a stalled body is a timeout that may have been billed.
pub fn total_timeout_on_a_slow_body_may_have_reached_the_vendor<S: Subject>() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n12345")?;
        out.flush()?;
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let client: S = with(TransportSettings::default().timeout(Duration::from_millis(300)));
    let error = must_fail(&client, get(&server.url("/?sign=topsecret")));
    assert!(error.is_timeout(), "{error:?}");
    assert!(!error.is_connect());
    assert!(error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

/// No answer in time after sending: a timeout that may have been billed.
pub fn total_timeout_waiting_for_the_answer_may_have_reached_the_vendor<S: Subject>() {
    let server = TestServer::start(|_, _| {
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let client: S = with(TransportSettings::default().timeout(Duration::from_millis(300)));
    let error = must_fail(&client, get(&server.url("/")));
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    assert!(error.may_have_reached_vendor());
}

/// The second call on a pooled connection still gets its own deadline.
pub fn total_timeout_still_fires_on_a_reused_connection<S: Subject>() {
    let calls = AtomicUsize::new(0);
    let server = TestServer::start(move |_, out| {
        if calls.fetch_add(1, Ordering::SeqCst) > 0 {
            thread::sleep(Duration::from_secs(5));
            return Ok(Next::Close);
        }
        out.write_all(&response("200 OK", &[], b"ok"))?;
        Ok(Next::KeepAlive)
    });
    let client: S = with(TransportSettings::default().timeout(Duration::from_millis(300)));
    client.call(get(&server.url("/"))).expect("first answer");
    let error = must_fail(&client, get(&server.url("/")));
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    assert_eq!(
        server.accepted(),
        1,
        "the second call reused the connection"
    );
}

/// A body shorter than declared: not a connect error, may have been billed.
pub fn truncated_body_is_an_io_error_that_may_have_reached_the_vendor<S: Subject>() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten..")?;
        Ok(Next::Close)
    });
    let error = must_fail(&client::<S>(), get(&server.url("/")));
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert!(error.may_have_reached_vendor());
}

/// A reset once the request is out: may have been billed, URL not shown.
pub fn reset_after_the_request_may_have_reached_the_vendor<S: Subject>() {
    // Closing a socket with unread request bytes makes the kernel answer with a RST.
    let server = TestServer::start_raw(|stream| {
        thread::sleep(Duration::from_millis(100));
        drop(stream);
    });
    let error = must_fail(&client::<S>(), get(&server.url("/?sign=topsecret")));
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert!(error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

/// Keep-alive: three calls, one TCP connection.
pub fn reuses_one_connection_for_sequential_calls<S: Subject>() {
    let server = ok_server();
    let client = client::<S>();
    for _ in 0..3 {
        let response = client.call(get(&server.url("/"))).expect("response");
        assert_eq!(response.body(), b"ok");
    }
    assert_eq!(server.received().len(), 3);
    assert_eq!(
        server.accepted(),
        1,
        "keep-alive: one TCP connection for 3 calls"
    );
}

/// Clones share one connection pool.
pub fn clones_share_the_pool<S: Subject>() {
    let server = ok_server();
    let first = client::<S>();
    let second = first.clone();
    first.call(get(&server.url("/"))).expect("response");
    second.call(get(&server.url("/"))).expect("response");
    assert_eq!(server.accepted(), 1);
}

/// Alternating paths, methods and queries each reach the server as sent.
pub fn each_call_goes_to_its_own_uri_whatever_came_before<S: Subject>() {
    let server = ok_server();
    let client = client::<S>();
    let post = |path: &str| {
        http::Request::post(server.url(path))
            .body(b"a=1".to_vec())
            .expect("request")
    };
    for request in [
        post("/pyi/108/244"),
        post("/pyi/108/244"),
        post("/pyi/62/169"),
        get(&server.url("/pyi/62/169?time=1")),
        get(&server.url("/pyi/62/169?time=2")),
        post("/pyi/108/244"),
    ] {
        client.call(request).expect("response");
    }
    let lines: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.request_line().to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "POST /pyi/108/244 HTTP/1.1",
            "POST /pyi/108/244 HTTP/1.1",
            "POST /pyi/62/169 HTTP/1.1",
            "GET /pyi/62/169?time=1 HTTP/1.1",
            "GET /pyi/62/169?time=2 HTTP/1.1",
            "POST /pyi/108/244 HTTP/1.1",
        ]
    );
}

/// A host name and an IP-address host both work and are sent in `Host` as given.
pub fn host_names_are_resolved_and_sent_as_given<S: Subject>() {
    let server = ok_server();
    let url = format!("http://localhost:{}/p", server.addr().port());
    let response = client::<S>().call(get(&url)).expect("response");
    assert_eq!(response.body(), b"ok");
    let host = format!("localhost:{}", server.addr().port());
    assert_eq!(server.received()[0].header("host"), Some(host.as_str()));

    client::<S>()
        .call(get(&server.url("/p")))
        .expect("response");
    let host = server.addr().to_string();
    assert_eq!(server.received()[1].header("host"), Some(host.as_str()));
}

/// A URI without scheme and host never leaves the process.
pub fn relative_uri_is_an_invalid_request<S: Subject>() {
    let error = must_fail(&client::<S>(), get("/pyi/108/244?sign=topsecret"));
    assert!(error.is_invalid_request(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

/// Each bad setting is refused by name when the client is built.
pub fn invalid_settings_are_refused_with_a_reason<S: Subject>() {
    let refused = |settings: TransportSettings| match S::build(&settings) {
        Ok(_) => panic!("{settings:?} was accepted"),
        Err(error) => error,
    };
    let error = refused(TransportSettings::default().user_agent("bad\nagent"));
    assert!(error.message().contains("user agent"), "{error}");
    let error = refused(TransportSettings::default().timeout(Duration::ZERO));
    assert!(error.message().contains("timeout"), "{error}");
    let error =
        refused(TransportSettings::default().add_root_certificates_pem("not a certificate"));
    if S::HTTPS {
        assert!(error.message().contains("PEM #1"), "{error}");
    } else {
        assert!(error.message().contains("feature"), "{error}");
    }
}

/// `user_agent("")` sends no `User-Agent` at all.
pub fn empty_user_agent_sends_none<S: Subject>() {
    let server = ok_server();
    let client: S = with(TransportSettings::default().user_agent(""));
    client.call(get(&server.url("/"))).expect("response");
    assert_eq!(server.received()[0].header("user-agent"), None);
}

/// Without a TLS feature an https URL is refused before anything is sent.
pub fn https_without_a_tls_feature_is_an_invalid_request<S: Subject>() {
    let error = must_fail(&client::<S>(), get("https://127.0.0.1:1/"));
    assert!(error.is_invalid_request(), "{error:?}");
    assert!(error.to_string().contains("feature"));
}

fn hello(_: &Received, out: &mut dyn std::io::Write) -> std::io::Result<Next> {
    out.write_all(&response("200 OK", &[("x-tls", "yes")], b"secure hello"))?;
    Ok(Next::KeepAlive)
}

/// A certificate from a CA nobody configured fails the handshake: a connect error, and no
/// request byte crosses it.
pub fn untrusted_certificate_is_refused_before_anything_is_sent<S: Subject>() {
    let pki = tls::private_ca();
    let server = tls::start_tls(&pki, hello);
    let error = must_fail(&client::<S>(), get(&server.url("/?sign=topsecret")));
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
    assert!(
        server.received().is_empty(),
        "no request may cross a failed handshake"
    );
}

/// With the CA added to the roots the server is trusted, and TLS connections are pooled.
pub fn certificate_from_a_configured_root_is_accepted<S: Subject>() {
    let pki = tls::private_ca();
    let server = tls::start_tls(&pki, hello);
    let client: S = with(TransportSettings::default().add_root_certificates_pem(&pki.ca_pem));
    for _ in 0..2 {
        let response = client.call(get(&server.url("/hello"))).expect("response");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-tls"], "yes");
        assert_eq!(response.body(), b"secure hello");
    }
    assert_eq!(server.accepted(), 1, "TLS connections are pooled too");
}

/// Trusting some other CA does not make the server's certificate acceptable.
pub fn a_root_for_another_name_does_not_help<S: Subject>() {
    let pki = tls::private_ca();
    let other = tls::private_ca();
    let server = tls::start_tls(&pki, hello);
    let client: S = with(TransportSettings::default().add_root_certificates_pem(&other.ca_pem));
    let error = must_fail(&client, get(&server.url("/")));
    assert!(error.is_connect(), "{error:?}");
}
