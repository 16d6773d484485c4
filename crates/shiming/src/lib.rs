//! shiming (实名): real-name checks against Chinese carrier and ID-card vendors — wapi.cn,
//! QXT (企讯通) and ihuyi (互亿无线) — correct to the byte, safe with personal data and money.
//!
//! Three layers, used alone or together:
//! - [`sign`]: the vendors' signatures, pure functions (time is an argument);
//! - [`codec`]: sans-IO request building and response decoding, one
//!   [`Operation`](codec::Operation) per vendor call, and the code taxonomy;
//! - this crate: a verifier that sends the codec's requests over HTTP with retries,
//!   clock-skew recovery, failover and `tracing` spans.
//!
//! # Features
//!
//! | feature | gives | pulls in |
//! |---|---|---|
//! | `async` (default) | [`Verifier`] | shiming-reqwest (reqwest, tokio) |
//! | `blocking` | `blocking::Verifier` | shiming-ureq (ureq) |
//! | `rustls` (default) | TLS through rustls for the enabled transports | |
//! | `native-tls` | TLS through the platform library (OpenSSL on Linux) | |
//! | `store` | `CachedVerifier`: repeats answered from a verdict store, identical checks in flight sharing one call | shiming-store (SQLite, bundled), async |
//!
//! Every combination compiles, both transports at once included (two dependents choosing
//! differently never break a build). With `default-features = false` this crate is the signer,
//! the codec and the pure policy types only: no HTTP client in the dependency tree. Without a
//! TLS feature the bundled transports speak plain `http://` only.
//!
//! # Verifiers
//!
//! [`Verifier`] (async) and `blocking::Verifier` have the same methods, differing only by
//! `.await`: [`mobile_two_elements`](Verifier::mobile_two_elements) (with failover),
//! [`mobile_two_elements_with`](Verifier::mobile_two_elements_with) (one vendor),
//! [`id_two_elements`](Verifier::id_two_elements), [`mobile_status`](Verifier::mobile_status)
//! and [`balance`](Verifier::balance). Each returns a [`Checked`] answer — which names the
//! vendor that gave it, its code, whether it was billed and how many requests it took — or an
//! [`Error`]. A mismatch or "not found" is an answer ([`Verdict`]), not an error.
//!
//! ```no_run
//! # #[cfg(feature = "async")]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use shiming::codec::wapi::WapiConfig;
//! use shiming::sign::Secret;
//! use shiming::{Verdict, Verifier, VerifierConfig};
//!
//! let wapi = WapiConfig::new("https://xxxx.api.storeapi.net", "your-appid", Secret::new("your-secret"))?;
//! let verifier = Verifier::new(VerifierConfig::new().wapi(wapi))?;
//! let checked = verifier.id_two_elements("张三", "11010519491231002X").await?;
//! match checked.answer.verdict {
//!     Verdict::Match => println!("match (billed: {})", checked.billed),
//!     Verdict::Mismatch => println!("the name does not belong to this ID"),
//!     Verdict::NotFound => println!("no record"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Plugging your own HTTP stack
//!
//! A transport only moves bytes: anything that turns an `http::Request<Vec<u8>>` into an
//! `http::Response<Vec<u8>>` is a client, closures included
//! ([`AsyncHttpClient`], [`SyncHttpClient`]). Report failures with the opaque
//! [`TransportError`], saying honestly whether the request
//! may have been sent (`connect` vs `timeout`/`io`): the retry and failover rules rely on it.
//!
//! ```no_run
//! # #[cfg(feature = "blocking")]
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use shiming::codec::transport::{HttpRequest, HttpResponse, TransportError};
//! use shiming::{VerifierConfig, blocking::Verifier};
//!
//! let my_client = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
//!     // … send `request` with your HTTP library …
//!     # let _ = request;
//!     Err(TransportError::connect("not wired up yet"))
//! };
//! let verifier = Verifier::with_client(VerifierConfig::from_env()?, my_client)?;
//! # let _ = verifier;
//! # Ok(())
//! # }
//! ```
//!
//! # Retries, clock skew and failover never double-bill
//!
//! A request is sent again — to the same vendor or the next one — only when the failed
//! attempt certainly was not billed: nothing was sent (DNS, TCP, TLS, connect timeout), the
//! vendor's code is unbilled, or an undecodable 5xx error page (not a gateway timeout: 504, 524,
//! 598, 599) shows the vendor never
//! answered. A timeout after sending is reported, not retried, unless
//! [`RetryPolicy::retry_timeouts_after_send`] opts in. On a clock-skew refusal (wapi 10004,
//! ihuyi 40501) the verifier learns the vendor's clock from its `time` field or the HTTP `Date`
//! header, keeps the offset for later calls, and retries once. Failover moves on only after
//! upstream trouble (an upstream refusal, a transport failure, an error page), never after a
//! verdict or an input, credential, balance or rate-limit refusal. See [`policy`] and
//! `docs/clients.md`.
//!
//! # Personal data
//!
//! Calls are traced with `tracing` spans (`shiming.call`, `shiming.attempt`) that carry the
//! vendor, operation, attempt, elapsed time and vendor code, and the subject only masked
//! (张*, 186****8888, 110105********002X). Secrets never appear in spans, `Debug` or errors.
//!
//! A vendor or a gateway in front of it may echo the request back — in an HTML error page or
//! in the answer's message. Every text a verifier returns (the vendor's message and code, text
//! details, error messages and decode excerpts) therefore goes through one
//! [`Redactor`](codec::redact::Redactor) that knows the configured secrets, each request's
//! signature and the checked person: secrets are replaced whole (URL-encoded, JSON- and
//! HTML-escaped forms too), the person masked. [`VerifierConfig::redactor`] gives you the same
//! redactor for texts of your own.
//!
//! # Logs: add [`RECOMMENDED_LOG_DIRECTIVES`] to your filter
//!
//! **The HTTP transports' own logs are not shiming's, and ureq's are not safe at DEBUG/TRACE.**
//! ureq (the blocking verifier's transport) logs through the `log` crate; once a `log` →
//! `tracing` bridge is installed (tracing-subscriber's `init()` installs one by default), at
//! TRACE target `ureq_proto` hex-dumps every byte on the wire — including the vendors' answers,
//! which echo the checked name, mobile and ID number — and with [`Method::Get`] target `ureq`
//! logs whole request URLs at DEBUG (in wapi Hash mode, for QXT and for an ihuyi static
//! password the secret itself is a URL parameter). Append [`RECOMMENDED_LOG_DIRECTIVES`]
//! (`ureq=info,ureq_proto=info`) to your `EnvFilter` or `RUST_LOG`: with it, no secret and no
//! unmasked person reaches your logs at any level, from either verifier, POST or GET. shiming
//! never changes your global `log` level.
//!
//! GET itself puts every parameter in the URL, where proxies and servers log it: keep the
//! default POST. A verifier configured with GET where the URL would carry a secret logs a
//! warning (once per process and vendor) saying so.

pub use shiming_codec as codec;
pub use shiming_sign as sign;

#[cfg(feature = "async")]
mod asynchronous;
#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "store")]
mod cached;
#[cfg(any(feature = "async", feature = "blocking"))]
mod chain;
mod checked;
mod clock;
mod config;
#[cfg(any(feature = "async", feature = "blocking"))]
mod core;
pub mod env;
mod log_directives;
// Without a transport the policy and error constructors wait for a verifier to use them.
#[cfg_attr(not(any(feature = "async", feature = "blocking")), allow(dead_code))]
mod error;
#[cfg(any(feature = "async", feature = "blocking"))]
mod exchange;
#[cfg_attr(not(any(feature = "async", feature = "blocking")), allow(dead_code))]
pub mod policy;
mod prices;
mod redaction;
#[cfg(any(feature = "async", feature = "blocking"))]
mod skew;
#[cfg(any(feature = "async", feature = "blocking"))]
mod telemetry;
#[cfg(any(feature = "async", feature = "blocking"))]
mod transports;
#[cfg(any(feature = "async", feature = "blocking"))]
mod url_secrets;
pub mod vendors;

#[cfg(feature = "async")]
pub use asynchronous::Verifier;
#[cfg(feature = "store")]
pub use cached::CachedVerifier;
pub use checked::{Checked, Origin};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{TransportSettings, VerifierConfig};
pub use error::{Error, ErrorKind};
pub use log_directives::RECOMMENDED_LOG_DIRECTIVES;
pub use policy::RetryPolicy;
pub use prices::{PriceError, Prices};

pub use shiming_codec::transport::{
    AsyncHttpClient, HttpRequest, HttpResponse, SyncHttpClient, TransportError,
};
pub use shiming_codec::{
    Check, Kind, Method, TwoElementAnswer, TwoElementDetails, Vendor, Verdict,
};
pub use shiming_sign::{Secret, UnixTime};
pub use shiming_transport::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use vendors::reexports::*;
