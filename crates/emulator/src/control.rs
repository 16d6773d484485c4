//! `/__emulator/*`: read the ledger and change faults, balances and the clock while running.
//! JSON in, JSON out; a bad request gets 400 with `{"error": "…"}` naming the problem.

use crate::config::{Vendor, WapiExhaustion};
use crate::faults::Faults;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

type AppStateRef = State<Arc<AppState>>;

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": message.into() })),
    )
        .into_response()
}

/// `GET /__emulator/ledger`.
pub(crate) async fn ledger(State(state): AppStateRef) -> Response {
    Json(state.ledger()).into_response()
}

/// `POST /__emulator/reset`: zero the counters and rate-limit windows; balances stay.
pub(crate) async fn reset(State(state): AppStateRef) -> Response {
    state.reset_counters();
    Json(state.ledger()).into_response()
}

#[derive(Serialize)]
struct FaultsView {
    spec: String,
    active: bool,
}

fn faults_view(state: &AppState) -> Response {
    let faults = state.faults();
    Json(FaultsView {
        spec: faults.to_string(),
        active: !faults.is_empty() && faults.times != Some(0),
    })
    .into_response()
}

/// `GET /__emulator/faults`: the global plan (`times` counts down as requests use it).
pub(crate) async fn get_faults(State(state): AppStateRef) -> Response {
    faults_view(&state)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsBody {
    spec: String,
}

/// `POST /__emulator/faults`: body `{"spec": "502,times=2"}`, or the spec as plain text.
pub(crate) async fn set_faults(
    State(state): AppStateRef,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    let spec = if is_json {
        match serde_json::from_slice::<FaultsBody>(&body) {
            Ok(parsed) => parsed.spec,
            Err(error) => return bad_request(format!("expected {{\"spec\": \"…\"}}: {error}")),
        }
    } else {
        match std::str::from_utf8(&body) {
            Ok(text) => text.to_owned(),
            Err(_) => return bad_request("the fault spec must be UTF-8 text"),
        }
    };
    match Faults::parse(&spec) {
        Ok(faults) => {
            state.set_faults(faults);
            faults_view(&state)
        }
        Err(error) => bad_request(error.to_string()),
    }
}

/// `DELETE /__emulator/faults`: no more global faults.
pub(crate) async fn clear_faults(State(state): AppStateRef) -> Response {
    state.set_faults(Faults::none());
    faults_view(&state)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BalanceBody {
    vendor: Vendor,
    balance: Option<u64>,
    wapi_exhaustion: Option<WapiExhaustion>,
}

/// `POST /__emulator/balance`: `{"vendor": "wapi", "balance": 0, "wapi_exhaustion": "wallet"}`
/// (both fields optional); answers the ledger.
pub(crate) async fn set_balance(State(state): AppStateRef, body: Bytes) -> Response {
    let parsed: BalanceBody = match serde_json::from_slice(&body) {
        Ok(parsed) => parsed,
        Err(error) => {
            return bad_request(format!(
                "expected {{\"vendor\": \"wapi|qxt|ihuyi\", \"balance\": N, \
                 \"wapi_exhaustion\": \"quota|wallet\"}}: {error}"
            ));
        }
    };
    if let Some(balance) = parsed.balance {
        state.set_balance(parsed.vendor, balance);
    }
    if let Some(exhaustion) = parsed.wapi_exhaustion {
        state.set_wapi_exhaustion(exhaustion);
    }
    Json(state.ledger()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    offset_secs: i64,
}

fn clock_view(state: &AppState) -> Response {
    Json(json!({
        "offset_secs": state.clock.offset_secs(),
        "now": state.clock.now(),
    }))
    .into_response()
}

/// `GET /__emulator/clock`: the emulator's offset and its idea of now.
pub(crate) async fn get_clock(State(state): AppStateRef) -> Response {
    clock_view(&state)
}

/// `POST /__emulator/clock`: `{"offset_secs": -900}` skews the vendors' clock.
pub(crate) async fn set_clock(State(state): AppStateRef, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockBody>(&body) {
        Ok(parsed) => {
            state.clock.set_offset_secs(parsed.offset_secs);
            clock_view(&state)
        }
        Err(error) => bad_request(format!("expected {{\"offset_secs\": N}}: {error}")),
    }
}
