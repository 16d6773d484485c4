//! The blocking transport of shiming: [`UreqClient`] sends an `http::Request<Vec<u8>>` with
//! [ureq 3](https://docs.rs/ureq/3) and returns the whole `http::Response<Vec<u8>>`.
//!
//! It implements [`SyncHttpClient`](shiming_codec::transport::SyncHttpClient) and does nothing
//! else: no retries, no redirects, no vendor logic (the `shiming` facade owns policy).
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
//! - **Conservative failures.** Errors become the opaque [`TransportError`]; a failure says
//!   `!may_have_reached_vendor()` only when it can only have happened before sending (DNS,
//!   refused TCP connect, connect timeout, TLS certificate rejected). Messages never contain the
//!   URL or its query, which carry signatures and API keys.
//! - **TLS is always verified.** There is no switch to turn verification off; private CAs are
//!   added with [`add_root_certificates_pem`](TransportSettings::add_root_certificates_pem).
//! - **Keep-alive.** One `ureq::Agent` (with its connection pool) lives inside; cloning a
//!   [`UreqClient`] is cheap and shares the pool. The agent is ureq's own, configured only
//!   through ureq's stable API.
//!
//! # Logs: filter `ureq` and `ureq_proto` ([`RECOMMENDED_LOG_DIRECTIVES`])
//!
//! This crate logs nothing itself, but ureq and ureq-proto log through the `log` crate, and
//! what they log at DEBUG and TRACE is **not safe for real-name traffic**. Once `log` records
//! reach your logger — directly (env_logger) or through the `log` → `tracing` bridge that
//! tracing-subscriber's `init()` installs by default — then:
//!
//! - at TRACE, target `ureq_proto` hex-dumps every byte on the wire, 16 a line: request heads
//!   and whole response bodies, in which the vendors echo the checked name, mobile number and
//!   ID number;
//! - at DEBUG, target `ureq` logs each request's method and URL, with its whole query string
//!   when TRACE is on: for a GET request every parameter — the person, and for wapi Hash mode,
//!   QXT and an ihuyi static password, the secret itself.
//!
//! We cannot change what ureq logs, and a library must not lower your global `log` level. Add
//! [`RECOMMENDED_LOG_DIRECTIVES`] (`ureq=info,ureq_proto=info`) after your own directives in
//! your `EnvFilter` or `RUST_LOG`; at INFO ureq writes nothing about requests. (Prefer POST as
//! well: a URL is logged by proxies and servers too.)
//!
//! # Features
//!
//! - `rustls` (default): ureq's rustls stack (ring crypto) with Mozilla's root certificates.
//! - `native-tls`: the platform TLS library (OpenSSL on Linux), also with Mozilla's roots. If
//!   both features are on, rustls is used.
//! - neither: plain `http://` only; an `https://` request fails with
//!   [`TransportError::is_invalid_request`] before anything is sent.
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//! use shiming_codec::transport::SyncHttpClient;
//! use shiming_ureq::{TransportSettings, UreqClient};
//!
//! let settings = TransportSettings::default()
//!     .connect_timeout(Duration::from_secs(3))
//!     .timeout(Duration::from_secs(15));
//! let client = UreqClient::with_settings(&settings)?;
//!
//! let request = http::Request::post("https://api.example.com/pyi/108/244")
//!     .header("content-type", "application/x-www-form-urlencoded")
//!     .body(b"appid=1&mobile=18688888888".to_vec())?;
//! match client.call(request) {
//!     Ok(response) => println!("{} ({} bytes)", response.status(), response.body().len()),
//!     Err(error) if !error.may_have_reached_vendor() => println!("safe to retry: {error}"),
//!     Err(error) => println!("outcome unknown, may be billed: {error}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
mod errors;
mod tls;

pub use client::UreqClient;
pub use shiming_codec::transport::TransportError;
pub use shiming_transport::{ConfigError, TransportSettings};

/// Log filter directives that silence ureq's wire-level logs: `ureq=info,ureq_proto=info`.
/// Append them to your `EnvFilter`, `RUST_LOG` or env_logger filter (see the
/// [crate documentation](crate#logs-filter-ureq-and-ureq_proto-recommended_log_directives)
/// for what they keep out). The `shiming` facade exports the same value.
pub const RECOMMENDED_LOG_DIRECTIVES: &str = "ureq=info,ureq_proto=info";
