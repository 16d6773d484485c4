//! The async transport of shiming: [`ReqwestClient`] sends an `http::Request<Vec<u8>>` with
//! [reqwest](https://docs.rs/reqwest/0.13) and returns the whole `http::Response<Vec<u8>>`.
//!
//! It implements [`AsyncHttpClient`](shiming_codec::transport::AsyncHttpClient) and does
//! nothing else: no retries, no redirects, no vendor logic (the `shiming` facade owns policy).
//! What it guarantees:
//!
//! - **Every status is an answer.** A 502 HTML page comes back as a response, because vendors
//!   put their error codes in bodies and the decoder must see them.
//! - **The response is kept whole**: status, version, every header (the facade reads `Date`),
//!   body bytes untouched (no decompression).
//! - **Bounded memory.** Bodies larger than [`max_response_bytes`](TransportSettings::max_response_bytes)
//!   (1 MiB by default) fail with [`TransportError::is_body_too_large`]: a too-large
//!   `Content-Length` is refused before reading, a chunked body is read incrementally and
//!   dropped at the cap.
//! - **Precise, conservative failures.** Errors become the opaque [`TransportError`]; only a
//!   failure that reqwest attributes to the connect phase (DNS, TCP, TLS handshake) says
//!   `!may_have_reached_vendor()`. Messages never contain the URL or its query, which carry
//!   signatures and API keys.
//! - **TLS is always verified.** There is no switch to turn verification off; private CAs are
//!   added with [`add_root_certificates_pem`](TransportSettings::add_root_certificates_pem).
//! - **Keep-alive.** One pooled `reqwest::Client` lives inside; cloning a [`ReqwestClient`] is
//!   cheap and shares the pool.
//!
//! # Features
//!
//! - `rustls` (default): rustls with the ring crypto provider and Mozilla's root certificates
//!   (webpki-root-certs), the same stack and roots as `shiming-ureq`.
//! - `native-tls`: the platform TLS library (OpenSSL on Linux). If both features are on, rustls
//!   is used.
//! - neither: plain `http://` only; an `https://` request fails with
//!   [`TransportError::is_invalid_request`] before anything is sent.
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//! use shiming_codec::transport::AsyncHttpClient;
//! use shiming_reqwest::{ReqwestClient, TransportSettings};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let settings = TransportSettings::default()
//!     .connect_timeout(Duration::from_secs(3))
//!     .timeout(Duration::from_secs(15));
//! let client = ReqwestClient::with_settings(&settings)?;
//!
//! let request = http::Request::post("https://api.example.com/pyi/108/244")
//!     .header("content-type", "application/x-www-form-urlencoded")
//!     .body(b"appid=1&mobile=18688888888".to_vec())?;
//! match client.call(request).await {
//!     Ok(response) => println!("{} ({} bytes)", response.status(), response.body().len()),
//!     Err(error) if !error.may_have_reached_vendor() => println!("safe to retry: {error}"),
//!     Err(error) => println!("outcome unknown, may be billed: {error}"),
//! }
//! # Ok(())
//! # }
//! ```

mod client;
mod errors;
mod tls;

pub use client::ReqwestClient;
pub use shiming_codec::transport::TransportError;
pub use shiming_transport::{ConfigError, TransportSettings};
