//! What shiming's tests share (unpublished): real servers on 127.0.0.1 and one conformance
//! suite for every HTTP transport.
//!
//! - [`server`]: a tiny thread-per-connection HTTP/1.1 server that writes raw bytes, so tests
//!   can send what a real server library would refuse to (truncated bodies, resets, endless
//!   chunked streams, stalls), plus a refused port and a connect black hole;
//! - [`tls`]: a freshly generated private CA and an HTTPS server whose certificate it signs;
//! - [`conformance`]: the cases every transport must pass, instantiated in a transport's
//!   tests with [`conformance_suite!`];
//! - [`sentinel`]: the leak tests' sentinel secret and person, and the forms in which they
//!   would leak;
//! - [`vendor_codes`]: vendor codes the tests expect, from the vendor documents;
//! - [`skip_or_fail`]: how a test whose precondition is missing says so;
//! - [`tidy`]: the "one vendor, one place" check a crate runs over its own sources.

pub mod conformance;
pub mod sentinel;
pub mod server;
mod skip;
pub mod tidy;
pub mod tls;
pub mod vendor_codes;

pub use skip::skip_or_fail;

/// Makes ring the process-wide rustls crypto provider, for code that builds a bare
/// `reqwest::Client` (benchmark baselines, the closure examples).
///
/// The tree compiles reqwest with `rustls-no-provider` (shiming-reqwest hands reqwest a
/// ready-made ring configuration instead), so a `reqwest::Client` built by anyone else finds
/// no provider and panics unless one is installed. Calling this more than once is harmless.
pub fn install_ring_provider() {
    // An error only means some provider is installed already, which is all we need.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
