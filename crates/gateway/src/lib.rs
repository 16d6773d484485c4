//! `shiming gateway`: the shiming library behind HTTP, so services in any language share one
//! set of real-name checks — offline refusals, never-double-bill retries and failover, a
//! verdict cache, per-tenant keys, rate limits and daily budgets, an audit trail, metrics.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use shiming::VerifierConfig;
//! use shiming_gateway::{Gateway, GatewayConfig};
//!
//! let config = GatewayConfig::load("gateway.toml".as_ref())?;
//! let listener = std::net::TcpListener::bind(config.listen)?;
//! let gateway = Gateway::new(config, VerifierConfig::from_env()?, false).await?;
//! println!("listening on {}", gateway.url(listener.local_addr()?));
//! gateway.serve(listener, Some("gateway.toml".into())).await?;
//! # Ok(())
//! # }
//! ```
//!
//! The HTTP API, the configuration file and the operations side are described in
//! `docs/gateway.md`; `/openapi.json` is generated from this crate's handlers.

pub mod api;
mod audit;
pub mod backend;
pub mod config;
pub mod money;
mod openapi;
mod ops;
mod precheck;
pub mod problem;
mod routes;
mod server;
mod state;
mod status;
mod telemetry;
mod tenants;
mod time;

pub use config::{GatewayConfig, StoreUrl};
pub use server::{Gateway, GatewayError};
pub use tenants::{key_digest, new_key};

/// The OpenAPI document, as served at `/openapi.json`.
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    openapi::ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_default()
}

/// Every routed path and method (upper case), for keeping the document in step.
pub fn routed() -> Vec<(&'static str, &'static str)> {
    routes::table()
        .into_iter()
        .map(|(path, method, _)| (path, method))
        .collect()
}
