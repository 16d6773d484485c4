//! The routes, in one table; tests compare it with the OpenAPI document (`openapi.rs`).

use crate::state::AppState;
use crate::{api, openapi, ops, problem, status};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use std::sync::Arc;
use tower_http::timeout::TimeoutLayer;

/// Every route: path, method (upper case, as in the OpenAPI document) and handler.
pub(crate) fn table() -> Vec<(&'static str, &'static str, MethodRouter<Arc<AppState>>)> {
    vec![
        (
            "/v1/mobile/two-elements",
            "POST",
            post(api::mobile_two_elements),
        ),
        (
            "/v1/idcard/two-elements",
            "POST",
            post(api::id_two_elements),
        ),
        ("/v1/mobile/status", "POST", post(api::mobile_status)),
        ("/v1/balance", "GET", get(api::balance)),
        ("/healthz", "GET", get(ops::healthz)),
        ("/readyz", "GET", get(ops::readyz)),
        ("/metrics", "GET", get(ops::metrics)),
        ("/openapi.json", "GET", get(openapi::serve)),
        ("/", "GET", get(status::page)),
    ]
}

/// The router with its limits: body size, request deadline, problem+json for every error.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let limits = state.limits;
    let mut router = Router::new();
    for (path, _, handler) in table() {
        router = router.route(path, handler);
    }
    router
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::GATEWAY_TIMEOUT,
            limits.request_timeout(),
        ))
        .layer(axum::middleware::map_response(problem::problemize))
        .with_state(state)
}
