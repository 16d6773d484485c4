//! Operations endpoints: `/healthz`, `/readyz`, `/metrics`.

use crate::problem::Problem;
use crate::state::AppState;
use crate::telemetry;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

/// Alive: the process answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "Alive")))]
pub(crate) async fn healthz() -> Response {
    Json(json!({ "status": "ok" })).into_response()
}

/// Ready: the store answers and at least one vendor has an account.
#[utoipa::path(
    get,
    path = "/readyz",
    responses(
        (status = 200, description = "Ready"),
        (status = 503, description = "Not ready (problem+json)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.vendors.is_empty() {
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_configured",
            "no vendor account is configured",
        )
        .into_response();
    }
    if let Err(error) = state.backend.ping().await {
        tracing::warn!(%error, "readiness: store unreachable");
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "the store does not answer",
        )
        .into_response();
    }
    let vendors: Vec<&str> = state.vendors.iter().map(|v| v.as_str()).collect();
    Json(json!({
        "status": "ready",
        "store": state.backend.name(),
        "vendors": vendors,
        "sandbox": state.sandbox,
    }))
    .into_response()
}

/// Prometheus text format.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub(crate) async fn metrics() -> Response {
    match telemetry::prometheus() {
        Some(handle) => {
            handle.run_upkeep();
            let mut response = handle.render().into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            response
        }
        None => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "internal",
            "another metrics recorder is installed in this process",
        )
        .into_response(),
    }
}
