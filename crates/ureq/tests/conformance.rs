//! UreqClient against real servers on 127.0.0.1: the transport conformance suite of
//! shiming-test-support (pass-through, body cap, failure classes, keep-alive, redaction, TLS),
//! plus what only a blocking client has to show.

use std::sync::Arc;
use std::thread;

use shiming_codec::transport::{HttpRequest, HttpResponse, SyncHttpClient, TransportError};
use shiming_test_support::conformance::Subject;
use shiming_test_support::server::{Next, TestServer, response};
use shiming_ureq::{ConfigError, TransportSettings, UreqClient};

#[derive(Clone)]
struct Ureq(UreqClient);

impl Subject for Ureq {
    const HTTPS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

    fn build(settings: &TransportSettings) -> Result<Self, ConfigError> {
        UreqClient::with_settings(settings).map(Ureq)
    }

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.call(request)
    }
}

shiming_test_support::conformance_suite!(Ureq);

#[test]
fn closures_and_trait_objects_are_clients() {
    let server = TestServer::start(|_, out| {
        out.write_all(&response("200 OK", &[], b"ok"))?;
        Ok(Next::KeepAlive)
    });
    let get = |url: &str| http::Request::get(url).body(Vec::new()).expect("request");
    let client = UreqClient::new().expect("client");
    let calls = std::cell::Cell::new(0);
    let counting = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        calls.set(calls.get() + 1);
        client.call(request)
    };
    let as_object: &dyn SyncHttpClient = &counting;
    let response = as_object.call(get(&server.url("/"))).expect("response");
    assert_eq!(response.body(), b"ok");
    assert_eq!(calls.get(), 1);

    let shared: Arc<dyn SyncHttpClient + Send + Sync> = Arc::new(client);
    let worker = {
        let shared = shared.clone();
        let request = get(&server.url("/"));
        thread::spawn(move || shared.call(request).map(|r| r.status()))
    };
    assert_eq!(worker.join().expect("thread").expect("response"), 200);
}
