//! Every error is `application/problem+json` (RFC 9457) with a stable `type` per kind:
//! `urn:shiming:problem:<kind>`, where `<kind>` is the codec's taxonomy kind for a vendor
//! refusal (`rate_limited`, `auth`, …) and one of the gateway's own kinds otherwise
//! (`unauthorized`, `budget_exhausted`, …; the table is in docs/gateway.md).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:shiming:problem:<kind>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short, fixed per kind.
    pub title: String,
    /// The HTTP status, repeated.
    pub status: u16,
    /// What happened this time (input only masked, never a secret).
    pub detail: String,
    /// The kind alone (`budget_exhausted`), for switch statements.
    pub kind: String,
    /// Every offline refusal reason (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The vendor involved, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The vendor's raw code, when it refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Whether the failed call may have been charged (false: certainly not).
    pub billed: bool,
    /// The request's id (also in the audit trail and the `X-Request-Id` header).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub request_id: String,
    /// True when the gateway runs against the sandbox.
    pub sandbox: bool,
    #[serde(skip)]
    retry_after: Option<Duration>,
}

impl Problem {
    /// A problem of `kind` with HTTP `status`.
    pub(crate) fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            type_uri: format!("urn:shiming:problem:{kind}"),
            title: title(kind).to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            kind: kind.to_string(),
            reasons: Vec::new(),
            vendor: None,
            code: None,
            billed: false,
            request_id: String::new(),
            sandbox: false,
            retry_after: None,
        }
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub(crate) fn retry_after(mut self, wait: Duration) -> Problem {
        self.retry_after = Some(wait);
        self
    }

    pub(crate) fn reasons(mut self, reasons: Vec<String>) -> Problem {
        self.reasons = reasons;
        self
    }

    /// An offline refusal: 422 with every reason, no vendor call.
    pub(crate) fn offline(reasons: Vec<String>) -> Problem {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            format!(
                "refused offline, no vendor was called: {}",
                reasons.join("; ")
            ),
        )
        .reasons(reasons)
    }

    /// A vendor-side failure from the facade, by its kind.
    pub(crate) fn from_error(error: &shiming::Error) -> Problem {
        use shiming::{ErrorKind, Kind};
        let kind = error.kind();
        let status = match kind {
            ErrorKind::Vendor(Kind::InvalidInput) | ErrorKind::InvalidInput => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ErrorKind::Vendor(Kind::RateLimited) => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::NotConfigured => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Transport if error.is_timeout() => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::BAD_GATEWAY,
        };
        // Display is masked and secret-free by the facade's contract.
        let mut problem = Problem::new(status, kind.as_str(), error.to_string());
        problem.vendor = error.vendor().map(|v| v.as_str().to_string());
        problem.code = error.vendor_code().map(str::to_string);
        problem.billed = error.may_have_been_billed();
        problem
    }

    /// A body the JSON extractor refused: 400 bad JSON or types, 413 too big, 415 not JSON.
    pub(crate) fn from_json_rejection(rejection: &JsonRejection) -> Problem {
        let status = rejection.status();
        let kind = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "bad_request",
        };
        // serde's messages quote offending values; a value may be a person's data, so only
        // the position and category are kept.
        let detail = match rejection {
            JsonRejection::JsonDataError(_) => {
                "the JSON does not have the expected fields and types (see /openapi.json)"
                    .to_string()
            }
            JsonRejection::JsonSyntaxError(_) => "the body is not valid JSON".to_string(),
            JsonRejection::MissingJsonContentType(_) => {
                "send Content-Type: application/json".to_string()
            }
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => "the body is too large".to_string(),
            _ => "the body could not be read".to_string(),
        };
        Problem::new(
            if kind == "bad_request" {
                StatusCode::BAD_REQUEST
            } else {
                status
            },
            kind,
            detail,
        )
    }

    /// A query string the extractor refused.
    pub(crate) fn from_query_rejection(_: &QueryRejection) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the query string does not have the expected parameters (see /openapi.json)",
        )
    }
}

/// The fixed title of each kind.
fn title(kind: &str) -> &'static str {
    match kind {
        "invalid_input" => "Input refused",
        "unauthorized" => "Missing or wrong API key",
        "forbidden" => "Check not allowed for this tenant",
        "purpose_required" => "A Purpose header is required",
        "too_many_requests" => "Over the tenant's requests per second",
        "budget_exhausted" => "The tenant's daily budget is spent",
        "bad_request" => "Malformed request",
        "payload_too_large" => "Request body too large",
        "unsupported_media_type" => "Unsupported media type",
        "not_found" => "No such resource",
        "method_not_allowed" => "Method not allowed",
        "request_timeout" => "The request took too long",
        "store_unavailable" => "The gateway's store is unavailable",
        "not_configured" => "No vendor account for this check",
        "auth" => "The vendor refused the gateway's credentials",
        "clock_skew" => "The vendor refused the request time",
        "ip_not_allowed" => "The vendor refused the gateway's IP address",
        "account" => "The vendor account cannot use this API",
        "insufficient_balance" => "The vendor account's balance is spent",
        "rate_limited" => "The vendor says this subject was checked too often",
        "upstream" => "The vendor failed",
        "pending" => "The vendor will answer later",
        "transport" => "The vendor could not be reached",
        "decode" => "The vendor's answer could not be read",
        "internal" => "Internal error",
        _ => "Vendor refused",
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(wait) = retry_after {
            // Whole seconds, rounded up: Retry-After: 0 would invite an immediate retry.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        if !self.request_id.is_empty()
            && let Ok(value) = HeaderValue::from_str(&self.request_id)
        {
            headers.insert("x-request-id", value);
        }
        response
    }
}

/// Turns what axum or tower-http answer on their own (404, 405, a timeout's 408) into
/// problem documents, so no error leaves without one.
pub(crate) async fn problemize(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let (kind, detail) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such path (see /openapi.json)"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this path takes another method"),
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
            ("request_timeout", "the request did not finish in time")
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the body is too large"),
        s if s.is_client_error() => ("bad_request", "the request was refused"),
        _ => ("internal", "the gateway failed"),
    };
    let mut problem = Problem::new(status, kind, detail);
    if let Some(id) = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
    {
        problem.request_id = id.to_string();
    }
    problem.into_response()
}
