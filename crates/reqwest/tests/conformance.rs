//! ReqwestClient against real servers on 127.0.0.1: the transport conformance suite of
//! shiming-test-support (pass-through, body cap, failure classes, keep-alive, redaction, TLS),
//! plus what only an async client has to show.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use shiming_codec::transport::{AsyncHttpClient, HttpRequest, HttpResponse, TransportError};
use shiming_reqwest::{ConfigError, ReqwestClient, TransportSettings};
use shiming_test_support::conformance::Subject;
use shiming_test_support::server::{Next, TestServer, response};

/// The async client, each call driven to completion on a current-thread runtime shared by
/// the client's clones (the suite's cases are blocking).
#[derive(Clone)]
struct Reqwest {
    client: ReqwestClient,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Subject for Reqwest {
    const HTTPS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

    fn build(settings: &TransportSettings) -> Result<Self, ConfigError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        Ok(Reqwest {
            client: ReqwestClient::with_settings(settings)?,
            runtime: Arc::new(runtime),
        })
    }

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.runtime.block_on(self.client.call(request))
    }
}

shiming_test_support::conformance_suite!(Reqwest);

#[tokio::test]
async fn closures_and_trait_objects_are_clients() {
    let server = TestServer::start(|_, out| {
        out.write_all(&response("200 OK", &[], b"ok"))?;
        Ok(Next::KeepAlive)
    });
    let get = |url: &str| http::Request::get(url).body(Vec::new()).expect("request");
    let client = ReqwestClient::new().expect("client");
    let calls = Arc::new(AtomicUsize::new(0));
    let counting = {
        let calls = calls.clone();
        let client = client.clone();
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

    let shared: Arc<dyn AsyncHttpClient> = Arc::new(client);
    let task = tokio::spawn({
        let shared = shared.clone();
        let request = get(&server.url("/"));
        async move { shared.call(request).await.map(|r| r.status()) }
    });
    assert_eq!(task.await.expect("task").expect("response"), 200);
}
