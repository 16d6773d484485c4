//! The request pipeline every vendor path shares: parse parameters, deal faults (header, global
//! plan, magic input), wait out latency, run the vendor's logic, count, render, deliver.

use crate::delivery;
use crate::faults::Faults;
use crate::ledger::Op;
use crate::listener::ConnInfo;
use crate::params::Params;
use crate::render::{Fields, Format, Style, render};
use crate::state::AppState;
use crate::{FAULT_HEADER, ihuyi, magic, qxt, wapi};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// A vendor path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    WapiMobile,
    WapiId,
    /// Any other `/pyi/{a}/{b}`: wapi answers 10009 (api does not exist).
    WapiUnknown,
    Qxt,
    IhuyiSubmit,
    IhuyiGetNum,
}

impl Endpoint {
    fn op(self) -> Option<Op> {
        match self {
            Endpoint::WapiMobile => Some(Op::WapiMobile),
            Endpoint::WapiId => Some(Op::WapiId),
            Endpoint::WapiUnknown => None,
            Endpoint::Qxt => Some(Op::QxtMobile),
            Endpoint::IhuyiSubmit => Some(Op::IhuyiStatus),
            Endpoint::IhuyiGetNum => Some(Op::IhuyiBalance),
        }
    }

    /// The parameter whose value may be a magic fault input.
    fn magic_parameter(self) -> Option<&'static str> {
        match self {
            Endpoint::WapiMobile | Endpoint::Qxt | Endpoint::IhuyiSubmit => Some("mobile"),
            Endpoint::WapiId => Some("bank_id"),
            Endpoint::WapiUnknown | Endpoint::IhuyiGetNum => None,
        }
    }

    fn answer(self, state: &AppState, request: &VendorRequest<'_>) -> Reply {
        match self {
            Endpoint::WapiMobile => wapi::answer(state, wapi::Api::Mobile, request),
            Endpoint::WapiId => wapi::answer(state, wapi::Api::Id, request),
            Endpoint::WapiUnknown => wapi::answer(state, wapi::Api::Unknown, request),
            Endpoint::Qxt => qxt::answer(state, request),
            Endpoint::IhuyiSubmit => ihuyi::submit(state, request),
            Endpoint::IhuyiGetNum => ihuyi::get_num(state, request),
        }
    }
}

/// What vendor logic gets to see.
#[derive(Debug)]
pub(crate) struct VendorRequest<'a> {
    pub(crate) params: &'a Params,
    /// The vendor's clock, unix seconds.
    pub(crate) now: i64,
    pub(crate) peer: IpAddr,
    /// `code=N` from the faults: answer this code without looking at the input.
    pub(crate) forced_code: Option<i64>,
}

/// What vendor logic answers.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) fields: Fields,
    pub(crate) format: Format,
    pub(crate) billed: bool,
}

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
    let op = endpoint.op();
    if let Some(op) = op {
        state.counters.request(op);
    }

    // A request carrying its own faults is not dealt the global plan's.
    let mut faults = match header_faults {
        Some(faults) if state.drawn_at_rate(faults.rate) => faults.without_limits(),
        Some(_) => Faults::none(),
        None => state.draw_global_faults(),
    };
    if let Some(magic) = endpoint
        .magic_parameter()
        .and_then(|name| params.get(name))
        .and_then(magic::fault_for)
    {
        faults = faults.merged_with(magic);
    }
    if faults.is_empty() {
        return respond(&state, endpoint, op, &params, &conn, faults);
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
    respond(&state, endpoint, op, &params, &conn, faults)
}

fn respond(
    state: &AppState,
    endpoint: Endpoint,
    op: Option<Op>,
    params: &Params,
    conn: &ConnInfo,
    faults: Faults,
) -> Response {
    let request = VendorRequest {
        params,
        now: state.clock.now(),
        peer: conn.peer.ip(),
        forced_code: faults.code,
    };
    let reply = endpoint.answer(state, &request);
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
