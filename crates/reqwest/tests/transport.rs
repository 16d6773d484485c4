//! ReqwestClient against a real HTTP server on 127.0.0.1: pass-through, body cap, failure
//! classification, keep-alive, redaction.

#[path = "../../ureq/tests/support/server.rs"]
mod server;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use server::{Next, TestServer, blackhole, closed_port, response, write_chunk};
use shiming_codec::transport::{AsyncHttpClient, HttpRequest, HttpResponse, TransportError};
use shiming_reqwest::{DEFAULT_USER_AGENT, ReqwestClient};

fn client() -> ReqwestClient {
    ReqwestClient::builder()
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

#[tokio::test]
async fn passes_200_through_with_every_header() {
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
        .await
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

#[tokio::test]
async fn passes_502_html_through_as_a_response() {
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
        .await
        .expect("a 502 is an answer");
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.body(), page);
}

#[tokio::test]
async fn sends_post_body_and_headers_verbatim() {
    let server = ok_server();
    let form = "appid=1&name=%E5%BC%A0%E4%B8%89&sign=0f3a"
        .as_bytes()
        .to_vec();
    let request = http::Request::post(server.url("/pyi/62/169"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "caller/2.0")
        .body(form.clone())
        .expect("request");
    client().call(request).await.expect("response");

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

#[tokio::test]
async fn does_not_follow_redirects() {
    let server = TestServer::start(|_, out| {
        out.write_all(&response(
            "302 Found",
            &[("location", "http://127.0.0.1:1/elsewhere")],
            b"",
        ))?;
        Ok(Next::KeepAlive)
    });
    let response = client()
        .call(get(&server.url("/")))
        .await
        .expect("response");
    assert_eq!(response.status(), 302);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn body_at_the_cap_passes_one_byte_more_does_not() {
    let server = TestServer::start(|request, out| {
        let size = if request.request_line().contains("/over") {
            101
        } else {
            100
        };
        out.write_all(&response("200 OK", &[], &vec![b'x'; size]))?;
        Ok(Next::KeepAlive)
    });
    let client = ReqwestClient::builder()
        .max_response_bytes(100)
        .build()
        .expect("client");
    let at_cap = client
        .call(get(&server.url("/at")))
        .await
        .expect("response");
    assert_eq!(at_cap.body().len(), 100);
    let error = client.call(get(&server.url("/over"))).await.unwrap_err();
    assert!(error.is_body_too_large(), "{error}");
}

#[tokio::test]
async fn declared_content_length_over_the_cap_is_refused_before_reading() {
    // Declares 10 GiB and sends nothing: only the header can have triggered the refusal.
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10737418240\r\n\r\n")?;
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let error = client().call(get(&server.url("/"))).await.unwrap_err();
    assert!(error.is_body_too_large(), "{error}");
    assert!(
        error.to_string().contains("1048576"),
        "the cap is named: {error}"
    );
}

#[tokio::test]
async fn endless_chunked_body_stops_at_the_cap() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")?;
        let chunk = [b'y'; 4096];
        // Stream until the client hangs up: only reading incrementally can end this.
        loop {
            write_chunk(out, &chunk)?;
        }
    });
    let client = ReqwestClient::builder()
        .max_response_bytes(64 * 1024)
        .build()
        .expect("client");
    let error = client.call(get(&server.url("/"))).await.unwrap_err();
    assert!(error.is_body_too_large(), "{error}");
}

#[tokio::test]
async fn refused_connection_is_a_connect_error_that_never_reached_the_vendor() {
    let url = format!("http://{}/pyi/108/244?sign=topsecret", closed_port());
    let error = client().call(get(&url)).await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_timeout());
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[tokio::test]
async fn unknown_host_is_a_connect_error_that_never_reached_the_vendor() {
    // `.invalid` never resolves (RFC 6761); without DNS the lookup fails or times out.
    let client = ReqwestClient::builder()
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let error = client
        .call(get("http://shiming-test.invalid/?sign=topsecret"))
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[tokio::test]
async fn connect_timeout_is_a_connect_error_that_never_reached_the_vendor() {
    let hole = blackhole();
    let client = ReqwestClient::builder()
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let error = client
        .call(get(&format!("http://{}/?sign=topsecret", hole.addr)))
        .await
        .unwrap_err();
    assert!(error.is_connect() && error.is_timeout(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[tokio::test]
async fn total_timeout_on_a_slow_body_may_have_reached_the_vendor() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n12345")?;
        out.flush()?;
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let client = ReqwestClient::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let error = client
        .call(get(&server.url("/?sign=topsecret")))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(!error.is_connect());
    assert!(error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[tokio::test]
async fn total_timeout_waiting_for_the_answer_may_have_reached_the_vendor() {
    let server = TestServer::start(|_, _| {
        thread::sleep(Duration::from_secs(5));
        Ok(Next::Close)
    });
    let client = ReqwestClient::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let error = client.call(get(&server.url("/"))).await.unwrap_err();
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    assert!(error.may_have_reached_vendor());
}

#[tokio::test]
async fn truncated_body_is_an_io_error_that_may_have_reached_the_vendor() {
    let server = TestServer::start(|_, out| {
        out.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten..")?;
        Ok(Next::Close)
    });
    let error = client().call(get(&server.url("/"))).await.unwrap_err();
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert!(error.may_have_reached_vendor());
}

#[tokio::test]
async fn reset_after_the_request_may_have_reached_the_vendor() {
    // Closing a socket with unread request bytes makes the kernel answer with a RST.
    let server = TestServer::start_raw(|stream| {
        thread::sleep(Duration::from_millis(100));
        drop(stream);
    });
    let error = client()
        .call(get(&server.url("/?sign=topsecret")))
        .await
        .unwrap_err();
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert!(error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[tokio::test]
async fn reuses_one_connection_for_sequential_calls() {
    let server = ok_server();
    let client = client();
    for _ in 0..3 {
        let response = client.call(get(&server.url("/"))).await.expect("response");
        assert_eq!(response.body(), b"ok");
    }
    assert_eq!(server.received().len(), 3);
    assert_eq!(
        server.accepted(),
        1,
        "keep-alive: one TCP connection for 3 calls"
    );
}

#[tokio::test]
async fn clones_share_the_pool() {
    let server = ok_server();
    let first = client();
    let second = first.clone();
    first.call(get(&server.url("/"))).await.expect("response");
    second.call(get(&server.url("/"))).await.expect("response");
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn closures_and_trait_objects_are_clients() {
    let server = ok_server();
    let calls = Arc::new(AtomicUsize::new(0));
    let counting = {
        let calls = calls.clone();
        let client = client();
        move |request: HttpRequest| {
            calls.fetch_add(1, Ordering::SeqCst);
            let client = client.clone();
            async move { client.call(request).await }
        }
    };
    let as_object: &dyn AsyncHttpClient = &counting;
    let response: HttpResponse = as_object
        .call(get(&server.url("/")))
        .await
        .expect("response");
    assert_eq!(response.body(), b"ok");
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let shared: Arc<dyn AsyncHttpClient> = Arc::new(client());
    let task = tokio::spawn({
        let shared = shared.clone();
        let url = server.url("/");
        async move { shared.call(get(&url)).await.map(|r| r.status()) }
    });
    assert_eq!(task.await.expect("task").expect("response"), 200);
}

#[tokio::test]
async fn relative_uri_is_an_invalid_request() {
    let error = client()
        .call(get("/pyi/108/244?sign=topsecret"))
        .await
        .unwrap_err();
    assert!(error.is_invalid_request(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert_no_url(&error, "topsecret");
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
#[tokio::test]
async fn https_without_a_tls_feature_is_an_invalid_request() {
    let error = client()
        .call(get("https://127.0.0.1:1/"))
        .await
        .unwrap_err();
    assert!(error.is_invalid_request(), "{error:?}");
    assert!(error.to_string().contains("feature"));
}

#[tokio::test]
async fn invalid_settings_are_refused_with_a_reason() {
    let error = ReqwestClient::builder()
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert!(error.message().contains("user agent"), "{error}");
    let error = ReqwestClient::builder()
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(error.message().contains("timeout"), "{error}");
    let error = ReqwestClient::builder()
        .add_root_certificates_pem("not a certificate")
        .build()
        .unwrap_err();
    if cfg!(any(feature = "rustls", feature = "native-tls")) {
        assert!(error.message().contains("PEM #1"), "{error}");
    } else {
        assert!(error.message().contains("feature"), "{error}");
    }
}

#[tokio::test]
async fn empty_user_agent_sends_none() {
    let server = ok_server();
    let client = ReqwestClient::builder()
        .user_agent("")
        .build()
        .expect("client");
    client.call(get(&server.url("/"))).await.expect("response");
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

#[tokio::test]
async fn each_call_goes_to_its_own_uri_whatever_came_before() {
    // The client remembers the last URI's parsed form: alternating paths, methods and
    // queries must still each reach the server as sent.
    let server = ok_server();
    let client = client();
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
        client.call(request).await.expect("response");
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
