//! The benchmark's reference server: a bare axum handler answering every
//! `POST /v1/mobile/two-elements` with a fixed JSON answer of the gateway's shape, on the same
//! runtime the gateway uses (`cargo xtask bench --only gateway` divides the gateway's
//! cache-hit throughput by this one's). Prints `listening on http://ADDR` first; runs until
//! killed.

use axum::Router;
use axum::http::header;
use axum::routing::post;
use std::io::Write;

/// What the gateway answers for a cache hit, byte for byte in shape.
const ANSWER: &str = r#"{"verdict":"match","vendor":"wapi","code":"10000","billed":false,"cached":true,"checked_at":"2026-01-01T00:00:00Z","request_id":"00000000000000000000000000000000","sandbox":true,"details":{"area":"广东 深圳","carrier":"联通","debug":false}}"#;

fn main() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let app = Router::new().route(
            "/v1/mobile/two-elements",
            post(|| async { ([(header::CONTENT_TYPE, "application/json")], ANSWER) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on http://{}", listener.local_addr()?)?;
            stdout.flush()?;
        }
        axum::serve(listener, app).await
    })
}
