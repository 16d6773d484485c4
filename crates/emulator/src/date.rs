//! The HTTP `Date` header on the emulator's own clock.
//!
//! hyper stamps every response with the machine's time unless the response already carries a
//! `Date` (hyper 1, `proto/h1/role.rs`: it writes its cached date only when no `Date` header was
//! written). A vendor whose clock runs off runs its web server on the same wrong clock, and a
//! client whose answers carry no time field (ihuyi) can only learn the vendor's clock from this
//! header — so the emulator sets it itself, from the skewed clock, on every response it writes.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// The last second an IMF-fixdate can name (9999-12-31 23:59:59 UTC); `httpdate` panics
/// beyond it, and an absurd `--clock-offset` must not bring the server down.
const LAST_HTTP_DATE: i64 = 253_402_300_799;

/// Middleware: replaces whatever `Date` a handler set with the emulator's clock.
pub(crate) async fn stamp(State(state): State<Arc<AppState>>, mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::DATE, http_date(state.clock.now()));
    response
}

/// `unix_secs` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), clamped to the years an
/// HTTP date can express.
pub(crate) fn http_date(unix_secs: i64) -> HeaderValue {
    let secs = unix_secs.clamp(0, LAST_HTTP_DATE).unsigned_abs();
    let time = UNIX_EPOCH + Duration::from_secs(secs);
    let text = httpdate::fmt_http_date(time);
    // IMF-fixdate is plain ASCII; the fallback is unreachable but keeps this panic-free.
    HeaderValue::from_str(&text)
        .unwrap_or_else(|_| HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn machine_now() -> i64 {
        let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        i64::try_from(elapsed.as_secs()).unwrap()
    }

    fn parsed(value: &HeaderValue) -> i64 {
        let time = httpdate::parse_http_date(value.to_str().unwrap()).unwrap();
        i64::try_from(time.duration_since(UNIX_EPOCH).unwrap().as_secs()).unwrap()
    }

    #[test]
    fn formats_imf_fixdate() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        let now = machine_now() + 3_600;
        assert_eq!(parsed(&http_date(now)), now);
    }

    #[test]
    fn absurd_clocks_are_clamped_not_panicked_on() {
        assert_eq!(http_date(-5), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(i64::MIN), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(i64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
    }
}
