//! `/__emulator/*`: read the ledger and change faults, balances and the clock while running.
//! JSON in, JSON out; a bad request gets 400 with `{"error": "…"}` naming the problem.

use crate::faults::Faults;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
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

/// `POST /__emulator/balance`: `{"vendor": "wapi", "balance": 0}` plus any of the vendors'
/// own fields (wapi's `"wapi_exhaustion": "quota|wallet"`), all optional but `vendor`;
/// answers the ledger. Nothing changes unless every field is acceptable.
pub(crate) async fn set_balance(State(state): AppStateRef, body: Bytes) -> Response {
    let names: Vec<&str> = state
        .vendors
        .iter()
        .map(|slot| slot.vendor.name())
        .collect();
    let expected = format!(
        "expected {{\"vendor\": \"{}\", \"balance\": N, …}}",
        names.join("|")
    );
    let mut fields = match serde_json::from_slice::<Map<String, Value>>(&body) {
        Ok(fields) => fields,
        Err(error) => return bad_request(format!("{expected}: {error}")),
    };
    let slot = match fields.remove("vendor") {
        Some(Value::String(name)) => match state.slot(&name) {
            Some(slot) => slot,
            None => {
                return bad_request(format!(
                    "{expected}: unknown vendor `{name}`, expected one of {}",
                    names.join(", ")
                ));
            }
        },
        Some(other) => return bad_request(format!("{expected}: vendor is {other}")),
        None => return bad_request(format!("{expected}: missing field `vendor`")),
    };
    let balance = match fields.remove("balance") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_u64() {
            Some(calls) => Some(calls),
            None => return bad_request(format!("{expected}: balance is {value}")),
        },
    };
    // Every remaining field must be some vendor's, and acceptable, before anything changes.
    for apply in [false, true] {
        for (field, value) in &fields {
            let answer = state
                .vendors
                .iter()
                .find_map(|slot| slot.vendor.control(field, value, apply));
            match answer {
                Some(Ok(())) => {}
                Some(Err(error)) => return bad_request(format!("{expected}: {error}")),
                None => return bad_request(format!("{expected}: unknown field `{field}`")),
            }
        }
    }
    if let Some(balance) = balance {
        slot.account.set_balance(balance);
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
