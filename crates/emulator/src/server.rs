//! Starting, controlling and stopping the emulator, from async or blocking code.

use crate::config::EmulatorConfig;
use crate::control;
use crate::date;
use crate::endpoint::{self, Endpoint};
use crate::faults::Faults;
use crate::listener::{ConnInfo, EmulatorListener};
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware;
use axum::routing::{MethodRouter, any, get, post};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Entry point: `Emulator::start(config).await` or `Emulator::start_blocking(config)`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Binds `config`'s address (default `127.0.0.1:0`) and serves on the current tokio
    /// runtime until [`RunningEmulator::shutdown`] (or drop, which stops it without waiting).
    pub async fn start(config: EmulatorConfig) -> io::Result<RunningEmulator> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState::new(&config));
        let app = router(Arc::clone(&state)).into_make_service_with_connect_info::<ConnInfo>();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serving =
                axum::serve(EmulatorListener::new(listener), app).with_graceful_shutdown(async {
                    // A dropped sender means the handle is gone: stop as well.
                    let _ = stopped.await;
                });
            if let Err(error) = serving.await {
                tracing::error!(%error, "emulator stopped with an error");
            }
        });
        tracing::debug!(%addr, "emulator listening");
        Ok(RunningEmulator {
            handle: EmulatorHandle::new(addr, state),
            stop: Some(stop),
            task: Some(task),
            grace: config.shutdown_grace,
        })
    }

    /// Starts the emulator on its own runtime thread (two workers), for blocking tests and
    /// tools; usable from any context, async included.
    pub fn start_blocking(config: EmulatorConfig) -> io::Result<BlockingEmulator> {
        let (ready, started) = mpsc::channel::<io::Result<EmulatorHandle>>();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::Builder::new()
            .name("shiming-emulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("shiming-emulator-worker")
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = ready.send(Err(error));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Emulator::start(config).await {
                        Ok(running) => {
                            let _ = ready.send(Ok(running.handle.clone()));
                            let _ = stopped.await;
                            running.shutdown().await;
                        }
                        Err(error) => {
                            let _ = ready.send(Err(error));
                        }
                    }
                });
            })?;
        let handle = started
            .recv()
            .map_err(|_| io::Error::other("the emulator thread ended before it started"))??;
        Ok(BlockingEmulator {
            handle,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

fn vendor_path(endpoint: Endpoint) -> MethodRouter<Arc<AppState>> {
    any(
        move |state: State<Arc<AppState>>,
              conn: ConnectInfo<ConnInfo>,
              method: Method,
              uri: Uri,
              headers: HeaderMap,
              body: Bytes| {
            endpoint::handle(endpoint, state, conn, method, uri, headers, body)
        },
    )
}

fn router(state: Arc<AppState>) -> Router {
    let mut router = Router::new();
    // Every vendor's paths, as its module lists them: this file names no vendor.
    for (vendor, slot) in state.vendors.iter().enumerate() {
        for (route, spec) in slot.vendor.routes().iter().enumerate() {
            router = router.route(spec.path, vendor_path(Endpoint { vendor, route }));
        }
    }
    router
        .route("/__emulator/ledger", get(control::ledger))
        .route("/__emulator/reset", post(control::reset))
        .route(
            "/__emulator/faults",
            get(control::get_faults)
                .post(control::set_faults)
                .delete(control::clear_faults),
        )
        .route("/__emulator/balance", post(control::set_balance))
        .route(
            "/__emulator/clock",
            get(control::get_clock).post(control::set_clock),
        )
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "no such path on the shiming emulator\n",
            )
        })
        // Last, so that it wraps every route and the fallback: every response's `Date` is on
        // the emulator's (possibly skewed) clock, as a vendor's web server would send it.
        .layer(middleware::map_response_with_state(
            Arc::clone(&state),
            date::stamp,
        ))
        .with_state(state)
}

/// The emulator's address and run-time controls; cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct EmulatorHandle {
    base_url: String,
    addr: SocketAddr,
    state: Arc<AppState>,
}

impl EmulatorHandle {
    fn new(addr: SocketAddr, state: Arc<AppState>) -> Self {
        Self {
            base_url: format!("http://{addr}"),
            addr,
            state,
        }
    }

    /// `http://127.0.0.1:PORT` — one server for every vendor; append the vendor's path.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state, for the vendor modules' own methods on this handle.
    pub(crate) fn state(&self) -> &AppState {
        &self.state
    }

    /// Zeroes the ledger's counters and the rate-limit windows (balances stay).
    pub fn reset_ledger(&self) {
        self.state.reset_counters();
    }

    /// Replaces the global fault plan ([`Faults::none`] turns it off).
    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    /// The global fault plan as it stands (`times` counts down).
    pub fn faults(&self) -> Faults {
        self.state.faults()
    }

    /// Skews the emulator's clock by `offset` seconds from the machine's.
    pub fn set_clock_offset_secs(&self, offset: i64) {
        self.state.clock.set_offset_secs(offset);
    }

    /// The emulator's "now", unix seconds (the `time` wapi answers carry).
    pub fn now(&self) -> i64 {
        self.state.clock.now()
    }
}

/// An emulator serving on a tokio runtime. Dropping it stops the server without waiting;
/// [`RunningEmulator::shutdown`] waits for requests in flight (up to the configured grace).
#[derive(Debug)]
pub struct RunningEmulator {
    handle: EmulatorHandle,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    grace: Duration,
}

impl RunningEmulator {
    /// The address and run-time controls, to hand to other tasks or threads.
    pub fn handle(&self) -> &EmulatorHandle {
        &self.handle
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        self.handle.base_url()
    }

    /// Stops accepting, lets requests in flight finish (up to the grace period), then returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(self.grace, &mut task).await.is_err()
        {
            tracing::warn!("emulator connections still busy after the grace period; aborting");
            task.abort();
        }
    }
}

impl std::ops::Deref for RunningEmulator {
    type Target = EmulatorHandle;

    fn deref(&self) -> &EmulatorHandle {
        &self.handle
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An emulator on its own runtime thread. Dropping it shuts it down and waits (like
/// [`BlockingEmulator::shutdown`]).
#[derive(Debug)]
pub struct BlockingEmulator {
    handle: EmulatorHandle,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl BlockingEmulator {
    /// The address and run-time controls.
    pub fn handle(&self) -> &EmulatorHandle {
        &self.handle
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        self.handle.base_url()
    }

    /// Stops the server gracefully and joins its thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::ops::Deref for BlockingEmulator {
    type Target = EmulatorHandle;

    fn deref(&self) -> &EmulatorHandle {
        &self.handle
    }
}

impl Drop for BlockingEmulator {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
