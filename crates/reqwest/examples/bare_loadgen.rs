//! The HTTP library alone, as `shiming batch` drives it: bare `reqwest` on a one-thread Tokio
//! runtime with a fixed number of requests in flight, POSTing pre-made form bodies (one per
//! line of a file, cycled) to one URL for a number of seconds. `cargo xtask bench` runs it
//! beside the batch and wrk to show how much of the gap to wrk is the HTTP client's own cost
//! rather than shiming's (`docs/performance.md`).
//!
//! Prints one JSON line: `{"requests":N,"seconds":S,"non_200":K}`.
//!
//! Run: `cargo run --release -p shiming-reqwest --example bare_loadgen -- URL BODIES C SECONDS`.
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bare_loadgen URL BODIES_FILE CONCURRENCY SECONDS";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=utf-8";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, bodies, concurrency, seconds] = args.as_slice() else {
        return Err(USAGE.into());
    };
    let bodies: Arc<Vec<bytes::Bytes>> = Arc::new(
        std::fs::read_to_string(bodies)?
            .lines()
            .filter(|line| !line.is_empty())
            .map(|line| bytes::Bytes::from(line.to_owned()))
            .collect(),
    );
    if bodies.is_empty() {
        return Err("the bodies file is empty".into());
    }
    let concurrency: usize = concurrency.parse()?;
    let duration = Duration::from_secs(seconds.parse()?);
    let url = reqwest::Url::parse(url)?;

    // One thread, like `shiming batch`, so the two compare like for like.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (done, non_200) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    shiming_test_support::install_ring_provider();
    let elapsed = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let started = Instant::now();
        let deadline = started + duration;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..concurrency {
            let (client, url, bodies) = (client.clone(), url.clone(), bodies.clone());
            let (done, non_200) = (done.clone(), non_200.clone());
            tasks.spawn(async move {
                // Each task starts at its own place in the bodies.
                let mut next = n * bodies.len() / concurrency.max(1);
                while Instant::now() < deadline {
                    let response = client
                        .post(url.clone())
                        .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
                        .body(bodies[next % bodies.len()].clone())
                        .send()
                        .await?;
                    let status = response.status();
                    response.bytes().await?;
                    if status != reqwest::StatusCode::OK {
                        non_200.fetch_add(1, Ordering::Relaxed);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                    next += 1;
                }
                Ok::<(), reqwest::Error>(())
            });
        }
        while let Some(result) = tasks.join_next().await {
            result??;
        }
        Ok::<_, Box<dyn std::error::Error>>(started.elapsed())
    })?;
    println!(
        "{{\"requests\":{},\"seconds\":{:.3},\"non_200\":{}}}",
        done.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        non_200.load(Ordering::Relaxed)
    );
    Ok(())
}
