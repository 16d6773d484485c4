//! Building a gateway and serving it: plain HTTP or TLS (rustls with the ring provider),
//! graceful shutdown on SIGTERM/SIGINT, tenants and keys reloaded on SIGHUP.

use crate::audit::AuditSink;
use crate::backend::keys::HmacKey;
use crate::backend::memory::MemoryBackend;
use crate::backend::redis::RedisBackend;
use crate::backend::sqlite::SqliteBackend;
use crate::backend::{Backend, BackendError};
use crate::config::{ConfigError, GatewayConfig, StoreUrl, TenantConfig, TlsFiles};
use crate::state::AppState;
use crate::telemetry::{self, Today};
use crate::tenants::Tenants;
use shiming::{Verifier, VerifierConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How long in-flight requests get to finish after SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Why a gateway could not start or serve.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// The configuration is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The store could not be opened or reached.
    #[error(transparent)]
    Store(#[from] BackendError),
    /// The vendor settings are wrong.
    #[error("vendor settings: {0}")]
    Vendors(#[from] shiming::Error),
    /// Sockets, files, TLS.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A configured gateway, ready to serve.
pub struct Gateway {
    state: Arc<AppState>,
    tls: Option<TlsFiles>,
    max_header_bytes: usize,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("vendors", &self.state.vendors)
            .field("store", &self.state.backend.name())
            .field("sandbox", &self.state.sandbox)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// Opens the store and the audit sink and builds the verifier. `sandbox` marks every
    /// answer `"sandbox": true` (the caller started the emulator and pointed `vendors` at it).
    pub async fn new(
        config: GatewayConfig,
        vendors: VerifierConfig,
        sandbox: bool,
    ) -> Result<Gateway, GatewayError> {
        let configured = vendors.vendors();
        let mobile_chain = vendors.mobile_chain();
        let verifier = Verifier::new(vendors)?;
        let backend = open_backend(&config).await?;
        let tenants = Tenants::new(&config.tenants)?;
        let audit = AuditSink::open(&config.audit)?;
        // Install the recorder before the first request records anything.
        let _ = telemetry::prometheus();
        let state = AppState {
            verifier,
            vendors: configured,
            mobile_chain,
            backend,
            tenants: RwLock::new(Arc::new(tenants)),
            audit,
            prices: config.prices,
            cache_ttl: config.cache_ttl,
            limits: config.limits,
            sandbox,
            today: Today::default(),
        };
        Ok(Gateway {
            state: Arc::new(state),
            tls: config.tls,
            max_header_bytes: config.limits.max_header_bytes,
        })
    }

    /// The router (for embedding in another axum application, or tests).
    pub fn router(&self) -> axum::Router {
        crate::routes::router(Arc::clone(&self.state))
    }

    /// The base URL for a listening address: `https://` when TLS is configured.
    pub fn url(&self, addr: SocketAddr) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{addr}")
    }

    /// Replaces every tenant (names, keys, limits, budgets) at once; in-flight requests
    /// finish under the old set.
    pub fn reload_tenants(&self, tenants: &[TenantConfig]) -> Result<(), ConfigError> {
        let count = self.state.replace_tenants(Tenants::new(tenants)?);
        tracing::info!(tenants = count, "tenants reloaded");
        Ok(())
    }

    /// Serves on `listener` until SIGTERM or SIGINT, then lets in-flight requests finish
    /// (up to 30 s). On SIGHUP re-reads `reload_from` and replaces the tenants (other
    /// settings need a restart; a bad file is logged and the old tenants stay).
    pub async fn serve(
        self,
        listener: std::net::TcpListener,
        reload_from: Option<PathBuf>,
    ) -> Result<(), GatewayError> {
        listener.set_nonblocking(true)?;
        let handle = axum_server::Handle::new();
        let signals = tokio::spawn(watch_signals(
            handle.clone(),
            self.reload_handle(),
            reload_from,
        ));
        let app = self.router().into_make_service();
        let result = match &self.tls {
            Some(files) => {
                let tls = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(tls_config(
                    files,
                )?));
                let mut server = axum_server::from_tcp_rustls(listener, tls).handle(handle);
                server
                    .http_builder()
                    .http1()
                    .max_buf_size(self.max_header_bytes);
                server.serve(app).await
            }
            None => {
                let mut server = axum_server::from_tcp(listener).handle(handle);
                server
                    .http_builder()
                    .http1()
                    .max_buf_size(self.max_header_bytes);
                server.serve(app).await
            }
        };
        signals.abort();
        result.map_err(GatewayError::Io)
    }

    fn reload_handle(&self) -> Reloader {
        Reloader {
            state: Arc::clone(&self.state),
        }
    }
}

/// What a SIGHUP needs.
struct Reloader {
    state: Arc<AppState>,
}

impl Reloader {
    fn reload(&self, path: &std::path::Path) {
        match GatewayConfig::load(path).and_then(|config| Tenants::new(&config.tenants)) {
            Ok(tenants) => {
                let count = self.state.replace_tenants(tenants);
                tracing::warn!(tenants = count, "SIGHUP: tenants and keys reloaded");
            }
            Err(error) => tracing::error!(%error, "SIGHUP: reload refused, the old tenants stay"),
        }
    }
}

#[cfg(unix)]
async fn watch_signals(
    handle: axum_server::Handle,
    reloader: Reloader,
    reload_from: Option<PathBuf>,
) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::error!("cannot watch for signals");
        return;
    };
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = int.recv() => break,
            _ = hup.recv() => match &reload_from {
                Some(path) => reloader.reload(path),
                None => tracing::warn!("SIGHUP: no configuration file to reload"),
            },
        }
    }
    tracing::warn!("shutting down: finishing in-flight requests");
    handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
}

#[cfg(not(unix))]
async fn watch_signals(
    handle: axum_server::Handle,
    _reloader: Reloader,
    _reload_from: Option<PathBuf>,
) {
    let _ = tokio::signal::ctrl_c().await;
    handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
}

/// The backend `store =` names.
async fn open_backend(config: &GatewayConfig) -> Result<Arc<dyn Backend>, GatewayError> {
    Ok(match &config.store {
        StoreUrl::Memory => Arc::new(MemoryBackend::new()?),
        StoreUrl::Redis(url) => {
            let path = config
                .hmac_key_file
                .as_deref()
                .ok_or_else(|| ConfigError("redis needs hmac_key_file".into()))?;
            Arc::new(RedisBackend::connect(url, HmacKey::read(path)?).await?)
        }
        StoreUrl::Sqlite(path) => Arc::new(SqliteBackend::open(path, config.cache_ttl).await?),
    })
}

/// A rustls server configuration from PEM files, with the ring provider (the one provider
/// the workspace builds on), TLS 1.2 and 1.3.
fn tls_config(files: &TlsFiles) -> Result<rustls::ServerConfig, GatewayError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let named = |what: &str, path: &std::path::Path, e: &dyn std::fmt::Display| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("TLS {what} {}: {e}", path.display()),
        )
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| named("certificate", &files.cert, &e))?
        .collect::<Result<_, _>>()
        .map_err(|e| named("certificate", &files.cert, &e))?;
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| named("key", &files.key, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| named("setup", &files.cert, &e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| named("certificate/key pair", &files.cert, &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
