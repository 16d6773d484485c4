//! ReqwestClient against an HTTPS server whose certificate comes from a private CA: refused
//! by default, accepted once the CA is configured. TLS verification cannot be turned off.
#![cfg(any(feature = "rustls", feature = "native-tls"))]

#[path = "../../ureq/tests/support/server.rs"]
mod server;
#[path = "../../ureq/tests/support/tls.rs"]
mod tls;

use std::io::Write;
use std::sync::Arc;

use server::{Next, response};
use shiming_codec::transport::AsyncHttpClient;
use shiming_reqwest::ReqwestClient;

fn pki() -> tls::Pki {
    tls::private_ca(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

fn hello(_: &server::Received, out: &mut dyn Write) -> std::io::Result<Next> {
    out.write_all(&response("200 OK", &[("x-tls", "yes")], b"secure hello"))?;
    Ok(Next::KeepAlive)
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).expect("request")
}

#[tokio::test]
async fn untrusted_certificate_is_refused_before_anything_is_sent() {
    let pki = pki();
    let server = tls::start_tls(&pki, hello);
    let error = ReqwestClient::new()
        .expect("client")
        .call(get(&server.url("/?sign=topsecret")))
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.may_have_reached_vendor());
    assert!(!format!("{error} {error:?}").contains("topsecret"));
    assert!(
        server.received().is_empty(),
        "no request may cross a failed handshake"
    );
}

#[tokio::test]
async fn certificate_from_a_configured_root_is_accepted() {
    let pki = pki();
    let server = tls::start_tls(&pki, hello);
    let client = ReqwestClient::builder()
        .add_root_certificates_pem(&pki.ca_pem)
        .build()
        .expect("client");
    for _ in 0..2 {
        let response = client
            .call(get(&server.url("/hello")))
            .await
            .expect("response");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-tls"], "yes");
        assert_eq!(response.body(), b"secure hello");
    }
    assert_eq!(server.accepted(), 1, "TLS connections are pooled too");
}

#[tokio::test]
async fn a_root_for_another_name_does_not_help() {
    // Trusting some other CA must not make the server's certificate acceptable.
    let pki = pki();
    let other = tls::private_ca(Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let server = tls::start_tls(&pki, hello);
    let client = ReqwestClient::builder()
        .add_root_certificates_pem(&other.ca_pem)
        .build()
        .expect("client");
    let error = client.call(get(&server.url("/"))).await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
}
