//! The routes, in one table that both the router and the OpenAPI document come from, so they
//! cannot drift (a test compares the two).

use crate::state::AppState;
use crate::{api, ops, problem, status};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use std::sync::Arc;
use tower_http::timeout::TimeoutLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "shiming gateway", description = "Real-name checks over HTTP: mobile and ID-card two-element checks, mobile status and balance, with tenants, budgets and a shared verdict cache. Errors are application/problem+json (RFC 9457)."),
    paths(
        api::mobile_two_elements,
        api::id_two_elements,
        api::mobile_status,
        api::balance,
        ops::healthz,
        ops::readyz,
        ops::metrics,
        ops::openapi,
        status::page,
    ),
    components(schemas(api::Answer, crate::problem::Problem)),
    modifiers(&Bearer)
)]
pub(crate) struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

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
        ("/openapi.json", "GET", get(ops::openapi)),
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
