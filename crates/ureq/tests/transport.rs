//! UreqClient against a real HTTP server on 127.0.0.1: pass-through, body cap, failure
//! classification, keep-alive, redaction.

#[path = "support/server.rs"]
mod server;

use std::thread;
use std::time::Duration;

use server::{Next, TestServer, blackhole, closed_port, response, write_chunk};
use shiming_codec::transport::{HttpRequest, HttpResponse, SyncHttpClient, TransportError};
use shiming_ureq::{DEFAULT_USER_AGENT, UreqClient};

fn client() -> UreqClient {
    UreqClient::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn get(url: &str) -> HttpRequest {
    http::Request::get(url).body(Vec::new()).expect("request")
}

fn ok_server() -> TestServer {
    TestServer::start(|_, out| {
        out.write_all(&response("200 OK", &[], b"ok"))?;
        Ok(Next::KeepAlive)
    })
}

#[test]
fn passes_200_through_with_every_header() {
    let server = TestServer::start(|_, out| {
        out.write_all(&response(
            "200 OK",
            &[
                ("date", "Tue, 10 Nov 2020 02:05:25 GMT"),
                ("x-trace", "a"),
                ("x-trace", "b"),
                ("content-type", "application/json; charset=utf-8"),
            ],
            br#"{"codeid":10000}"#,
        ))?;
        Ok(Next::KeepAlive)
    });
    let response = client()
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

#[test]
fn passes_502_html_through_as_a_response() {
    let page = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = TestServer::start(move |_, out| {
        out.write_all(&response(
            "502 Bad Gateway",
            &[("content-type", "text/html")],
            page,
        ))?;
        Ok(Next::KeepAlive)
    });
    let response = client()
        .call(get(&server.url("/")))
        .expect("a 502 is an answer");
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.body(), page);
}

#[test]
fn sends_post_body_and_headers_verbatim() {
    let server = ok_server();
    let form = "appid=1&name=%E5%BC%A0%E4%B8%89&sign=0f3a"
        .as_bytes()
        .to_vec();
    let request = http::Request::post(server.url("/pyi/62/169"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "caller/2.0")
        .body(form.clone())
        .expect("request");
    client().call(request).expect("response");

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

#[test]
fn does_not_follow_redirects() {
    let server = TestServer::start(|_, out| {
        out.write_all(&response(
            "302 Found",
            &[("location", "http://127.0.0.1:1/elsewhere")],
            b"",
        ))?;
        Ok(Next::KeepAlive)
    });
    let response = client().call(get(&server.url("/"))).expect("response");
    assert_eq!(response.status(), 302);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn body_at_the_cap_passes_one_byte_more_does_not() {
    let server = TestServer::start(|request, out| {
        let size = if request.request_line().contains("/over") {
            101
        } else {
            100
        };
        out.write_all(&response("200 OK", &[], &vec![b'x'; size]))?;
        Ok(Next::KeepAlive)
    });
    let client = UreqClient::builder()
        .max_response_bytes(100)
        .build()
        .expect("client");
    let at_cap = client.call(get(&server.url("/at"))).expect("response");
    assert_eq!(at_cap.body().len(), 100);
    let error = client.call(get(&server.url("/over"))).unwrap_err();
    assert!(error.is_body_too_large(), "{error}");
}

#[test]
fn declared_content_length_over_the_cap_is_refused_before_reading() {
    // Declares 10 GiB and sends nothing: only the header can have triggered the refusal.
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10737418240\r\n\r\n")?;
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let error = client().call(get(&server.url("/"))).unwrap_err();
    assert!(error.is_body_too_large(), "{error}");
    assert!(
        error.to_string().contains("1048576"),
        "the cap is named: {error}"
    );
}

#[test]
fn endless_chunked_body_stops_at_the_cap() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")?;
        let chunk = [b'y'; 4096];
        // Stream until the client hangs up: only reading incrementally can end this.
        loop {
            write_chunk(out, &chunk)?;
        }
    });
    let client = UreqClient::builder()
        .max_response_bytes(64 * 1024)
        .build()
        .expect("client");
    let error = client.call(get(&server.url("/"))).unwrap_err();
    assert!(error.is_body_too_large(), "{error}");
}

#[test]
fn refused_connection_is_a_connect_error_that_never_reached_the_vendor() {
    let url = format!("http://{}/pyi/108/244?sign=topsecret", closed_port());
    let error = client().call(get(&url)).unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_timeout());
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[test]
fn unknown_host_is_a_connect_error_that_never_reached_the_vendor() {
    // `.invalid` never resolves (RFC 6761); without DNS the lookup fails or times out.
    let client = UreqClient::builder()
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let error = client
        .call(get("http://shiming-test.invalid/?sign=topsecret"))
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[test]
fn connect_timeout_is_a_connect_error_that_never_reached_the_vendor() {
    let hole = blackhole();
    let client = UreqClient::builder()
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let error = client
        .call(get(&format!("http://{}/?sign=topsecret", hole.addr)))
        .unwrap_err();
    assert!(error.is_connect() && error.is_timeout(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[test]
fn total_timeout_on_a_slow_body_may_have_reached_the_vendor() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n12345")?;
        out.flush()?;
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let client = UreqClient::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let error = client
        .call(get(&server.url("/?sign=topsecret")))
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(!error.is_connect());
    assert!(error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[test]
fn total_timeout_waiting_for_the_answer_may_have_reached_the_vendor() {
    let server = TestServer::start(|_, _| {
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let client = UreqClient::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let error = client.call(get(&server.url("/"))).unwrap_err();
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    assert!(error.may_have_reached_vendor());
}

#[test]
fn truncated_body_is_an_io_error_that_may_have_reached_the_vendor() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten..")?;
        Ok(Next::Close)
    });
    let error = client().call(get(&server.url("/"))).unwrap_err();
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert!(error.may_have_reached_vendor());
}

#[test]
fn reset_after_the_request_may_have_reached_the_vendor() {
    // Closing a socket with unread request bytes makes the kernel answer with a RST.
    let server = TestServer::start_raw(|stream| {
        thread::sleep(Duration::from_millis(100));
        drop(stream);
    });
    let error = client()
        .call(get(&server.url("/?sign=topsecret")))
        .unwrap_err();
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert!(error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[test]
fn reuses_one_connection_for_sequential_calls() {
    let server = ok_server();
    let client = client();
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

#[test]
fn total_timeout_still_fires_on_a_reused_connection() {
    // The second call reuses the socket whose timeouts the first call set: the deadline must
    // still be the second call's own.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::start(move |_, out| {
        if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 {
            thread::sleep(Duration::from_secs(5));
            return Ok(Next::Close);
        }
        out.write_all(&response("200 OK", &[], b"ok"))?;
        Ok(Next::KeepAlive)
    });
    let client = UreqClient::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    client.call(get(&server.url("/"))).expect("first answer");
    let error = client.call(get(&server.url("/"))).unwrap_err();
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    assert_eq!(
        server.accepted(),
        1,
        "the second call reused the connection"
    );
}

#[test]
fn host_names_are_resolved_and_sent_as_given() {
    // IP-address hosts skip the lookup; names still go through ureq's resolver.
    let server = ok_server();
    let url = format!("http://localhost:{}/p", server.addr().port());
    let response = client().call(get(&url)).expect("response");
    assert_eq!(response.body(), b"ok");
    let host = format!("localhost:{}", server.addr().port());
    assert_eq!(server.received()[0].header("host"), Some(host.as_str()));

    client().call(get(&server.url("/p"))).expect("response");
    let host = server.addr().to_string();
    assert_eq!(server.received()[1].header("host"), Some(host.as_str()));
}

#[test]
fn clones_share_the_pool() {
    let server = ok_server();
    let first = client();
    let second = first.clone();
    first.call(get(&server.url("/"))).expect("response");
    second.call(get(&server.url("/"))).expect("response");
    assert_eq!(server.accepted(), 1);
}

#[test]
fn closures_and_trait_objects_are_clients() {
    let server = ok_server();
    let client = client();
    let calls = std::cell::Cell::new(0);
    let counting = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        calls.set(calls.get() + 1);
        client.call(request)
    };
    let as_object: &dyn SyncHttpClient = &counting;
    let response = as_object.call(get(&server.url("/"))).expect("response");
    assert_eq!(response.body(), b"ok");
    assert_eq!(calls.get(), 1);

    let shared: std::sync::Arc<dyn SyncHttpClient + Send + Sync> = std::sync::Arc::new(client);
    let worker = {
        let shared = shared.clone();
        let url = server.url("/");
        thread::spawn(move || shared.call(get(&url)).map(|r| r.status()))
    };
    assert_eq!(worker.join().expect("thread").expect("response"), 200);
}

#[test]
fn relative_uri_is_an_invalid_request() {
    let error = client()
        .call(get("/pyi/108/244?sign=topsecret"))
        .unwrap_err();
    assert!(error.is_invalid_request(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
#[test]
fn https_without_a_tls_feature_is_an_invalid_request() {
    let error = client().call(get("https://127.0.0.1:1/")).unwrap_err();
    assert!(error.is_invalid_request(), "{error:?}");
    assert!(error.to_string().contains("feature"));
}

#[test]
fn invalid_settings_are_refused_with_a_reason() {
    let error = UreqClient::builder()
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert!(error.message().contains("user agent"), "{error}");
    let error = UreqClient::builder()
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(error.message().contains("timeout"), "{error}");
    let error = UreqClient::builder()
        .add_root_certificates_pem("not a certificate")
        .build()
        .unwrap_err();
    if cfg!(any(feature = "rustls", feature = "native-tls")) {
        assert!(error.message().contains("PEM #1"), "{error}");
    } else {
        assert!(error.message().contains("feature"), "{error}");
    }
}

#[test]
fn empty_user_agent_sends_none() {
    let server = ok_server();
    let client = UreqClient::builder()
        .user_agent("")
        .build()
        .expect("client");
    client.call(get(&server.url("/"))).expect("response");
    assert_eq!(server.received()[0].header("user-agent"), None);
}

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
