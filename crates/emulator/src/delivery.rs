//! Getting an answer onto the wire — intact, or damaged the way networks and gateways damage
//! answers: cut short, trickled, bloated, mislabeled, or replaced by a gateway's error page.

use crate::faults::Faults;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use std::io;
use std::time::Duration;

/// What a mislabeled answer claims to be.
const WRONG_CONTENT_TYPE: &str = "text/html; charset=utf-8";
/// How many pieces a slow body is cut into.
const SLOW_PIECES: u64 = 20;
/// Largest piece of padding sent at once.
const PAD_PIECE: usize = 64 * 1024;
static SPACES: [u8; PAD_PIECE] = [b' '; PAD_PIECE];

/// A gateway's error page, as nginx writes it when the application behind it is down.
const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The answer `body`, with the delivery faults in `faults` applied.
pub(crate) fn deliver(body: Vec<u8>, content_type: &'static str, faults: &Faults) -> Response {
    let content_type = if faults.wrong_content_type {
        WRONG_CONTENT_TYPE
    } else {
        content_type
    };
    let padded_len = faults
        .oversized_bytes
        .map_or(body.len() as u64, |size| size.max(body.len() as u64));
    let streamed =
        faults.truncate || faults.slow_body_ms.is_some() || padded_len > body.len() as u64;
    let mut response = if streamed {
        let plan = Emission {
            body: Bytes::from(body),
            total: padded_len,
            stop_at: if faults.truncate {
                padded_len / 2
            } else {
                padded_len
            },
            truncated: faults.truncate,
            pause: faults
                .slow_body_ms
                .map(|ms| Duration::from_millis(ms / SLOW_PIECES)),
        };
        let mut response = Body::from_stream(plan.into_stream()).into_response();
        // The full length is announced even when less will come: that is what truncation is.
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(padded_len));
        response
    } else {
        Body::from(body).into_response()
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The response of a request whose connection is being reset: never written, because the
/// connection's reset switch makes the first write fail and the socket close with RST.
pub(crate) fn reset() -> Response {
    StatusCode::OK.into_response()
}

/// 502 with an HTML page.
pub(crate) fn bad_gateway() -> Response {
    let mut response = (StatusCode::BAD_GATEWAY, BAD_GATEWAY_PAGE).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(WRONG_CONTENT_TYPE),
    );
    headers.insert(header::SERVER, HeaderValue::from_static("nginx"));
    response
}

/// How a damaged body goes out: `body`, then spaces up to `total` bytes, stopping after
/// `stop_at` bytes, pausing between pieces when slow.
struct Emission {
    body: Bytes,
    total: u64,
    stop_at: u64,
    truncated: bool,
    pause: Option<Duration>,
}

struct Progress {
    plan: Emission,
    sent: u64,
    piece_size: u64,
    done: bool,
}

impl Emission {
    fn into_stream(self) -> impl futures_util::Stream<Item = io::Result<Bytes>> + Send {
        let piece_size = match self.pause {
            Some(_) => self.stop_at.div_ceil(SLOW_PIECES).max(1),
            None => PAD_PIECE as u64,
        };
        let progress = Progress {
            plan: self,
            sent: 0,
            piece_size,
            done: false,
        };
        stream::unfold(progress, |mut progress| async move {
            if progress.done {
                return None;
            }
            if progress.sent >= progress.plan.stop_at {
                progress.done = true;
                if !progress.plan.truncated {
                    return None;
                }
                // Let the first half reach the socket before the connection is abandoned.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let error = io::Error::other("body truncated by x-emulator-fault");
                return Some((Err(error), progress));
            }
            if progress.sent > 0
                && let Some(pause) = progress.plan.pause
            {
                tokio::time::sleep(pause).await;
            }
            let piece = progress.next_piece();
            progress.sent += piece.len() as u64;
            Some((Ok(piece), progress))
        })
    }
}

impl Progress {
    fn next_piece(&self) -> Bytes {
        let left = self.plan.stop_at.min(self.plan.total) - self.sent;
        let want = usize::try_from(left.min(self.piece_size)).unwrap_or(PAD_PIECE);
        let body_len = self.plan.body.len() as u64;
        if self.sent < body_len {
            let start = usize::try_from(self.sent).unwrap_or(0);
            let end = (start + want).min(self.plan.body.len());
            self.plan.body.slice(start..end)
        } else {
            Bytes::from_static(&SPACES[..want.min(PAD_PIECE)])
        }
    }
}
