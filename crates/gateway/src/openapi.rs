//! The OpenAPI 3.1 document, generated from the handlers' annotations, and its handler.

use crate::{api, ops, status};
use axum::Json;
use axum::response::{IntoResponse, Response};
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
        serve,
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

/// This document.
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi", tag = "ops", responses((status = 200, description = "The OpenAPI 3.1 document")))]
pub(crate) async fn serve() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
