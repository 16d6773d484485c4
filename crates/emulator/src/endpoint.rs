//! The request pipeline every vendor path shares: parse parameters, deal faults (header, global
//! plan, magic input), wait out latency, run the vendor's logic, count, render, deliver.

use crate::FAULT_HEADER;
use crate::delivery;
use crate::emulated::{Route, VendorRequest};
use crate::fault_inputs;
use crate::faults::Faults;
use crate::ledger::CounterKey;
use crate::listener::ConnInfo;
use crate::params::Params;
use crate::render::{Style, render};
use crate::state::{AppState, Slot};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

/// A vendor path: the vendor's place in the registry and the path's place in its routes.
pub(crate) type Endpoint = CounterKey;

/// The handler of every vendor path.
pub(crate) async fn handle(
    endpoint: Endpoint,
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnInfo>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != Method::GET && method != Method::POST {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    }
    let header_faults = match header_faults(&headers) {
        Ok(faults) => faults,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let params = Params::from_request(&method, uri.query(), &headers, &body);
    let Some((slot, route)) = resolve(&state, endpoint) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A path without an operation name ("no such API") is not counted.
    let op = route.operation.map(|_| endpoint);
    if let Some(op) = op {
        state.counters.request(op);
    }

    // A request carrying its own faults is not dealt the global plan's.
    let mut faults = match header_faults {
        Some(faults) if state.drawn_at_rate(faults.rate) => faults.without_limits(),
        Some(_) => Faults::none(),
        None => state.draw_global_faults(),
    };
    if let Some(magic) = route
        .magic_parameter
        .and_then(|name| params.get(name))
        .and_then(fault_inputs::fault_for)
    {
        faults = faults.merged_with(magic);
    }
    if faults.is_empty() {
        return respond(&state, slot, route, op, &params, &conn, faults);
    }
    if let Some(op) = op {
        state.counters.faulted(op);
    }
    let delay = faults.latency_ms + jitter_ms(&state, faults.jitter_ms);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if faults.reset {
        conn.reset.trigger();
        return delivery::reset();
    }
    if faults.bad_gateway {
        return delivery::bad_gateway();
    }
    respond(&state, slot, route, op, &params, &conn, faults)
}

fn resolve(state: &AppState, endpoint: Endpoint) -> Option<(&Slot, &'static Route)> {
    let slot = state.vendors.get(endpoint.vendor)?;
    let route = slot.vendor.routes().get(endpoint.route)?;
    Some((slot, route))
}

fn respond(
    state: &AppState,
    slot: &Slot,
    route: &Route,
    op: Option<Endpoint>,
    params: &Params,
    conn: &ConnInfo,
    faults: Faults,
) -> Response {
    let request = VendorRequest {
        params,
        now: state.clock.now(),
        peer: conn.peer.ip(),
        forced_code: faults.code,
        account: &slot.account,
        limiter: state.limiter.as_ref(),
        time_tolerance_secs: state.time_tolerance_secs,
    };
    let reply = slot.vendor.answer(route, &request);
    if reply.billed
        && let Some(op) = op
    {
        state.counters.billed(op);
    }
    let style = Style {
        unquoted_keys: faults.unquoted_keys,
        numbers_as_strings: faults.numbers_as_strings,
    };
    let body = render(&reply.fields, &reply.format, style);
    delivery::deliver(body, reply.format.content_type(), &faults)
}

fn header_faults(headers: &HeaderMap) -> Result<Option<Faults>, String> {
    let Some(value) = headers.get(FAULT_HEADER) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| format!("{FAULT_HEADER} must be ASCII"))?;
    Faults::parse(text)
        .map(Some)
        .map_err(|error| format!("bad {FAULT_HEADER}: {error}"))
}

fn jitter_ms(state: &AppState, jitter: u64) -> u64 {
    if jitter == 0 {
        return 0;
    }
    // Truncation is the point: a uniform whole number of milliseconds below `jitter`.
    let extra = (state.random_unit() * jitter as f64) as u64;
    extra.min(jitter - 1)
}
