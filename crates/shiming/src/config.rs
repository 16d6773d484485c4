//! What a verifier needs to know: vendor accounts, failover order, HTTP options, retries.

use crate::clock::Clock;
use crate::codec::Vendor;
use crate::codec::ihuyi::IhuyiConfig;
use crate::codec::qxt::QxtConfig;
use crate::codec::transport;
use crate::codec::wapi::WapiConfig;
use crate::policy::RetryPolicy;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Everything a [`Verifier`](crate#verifiers) is built from.
///
/// Vendor settings are the codec's own config types (credentials are
/// [`Secret`](crate::sign::Secret)s: masked in `Debug`, zeroed on drop). Only configured
/// vendors can be called; the others answer [`ErrorKind::NotConfigured`](crate::ErrorKind).
///
/// ```
/// use shiming::{VerifierConfig, ClientOptions, RetryPolicy, Vendor};
/// use shiming::codec::qxt::QxtConfig;
/// use shiming::sign::Secret;
/// use std::time::Duration;
///
/// let config = VerifierConfig::new()
///     .qxt(QxtConfig::new(Secret::new("your-apikey")))
///     .mobile_vendors([Vendor::Qxt])
///     .options(ClientOptions::default().total_timeout(Duration::from_secs(10)))
///     .retry(RetryPolicy::default().max_attempts(2));
/// assert_eq!(config.vendors(), vec![Vendor::Qxt]);
/// ```
#[derive(Default)]
#[non_exhaustive]
pub struct VerifierConfig {
    /// wapi.cn account (mobile and ID-card two-element checks). Its base URL is per account.
    pub wapi: Option<WapiConfig>,
    /// QXT account (mobile two-element check).
    pub qxt: Option<QxtConfig>,
    /// ihuyi account (mobile operator status, balance).
    pub ihuyi: Option<IhuyiConfig>,
    /// Failover order of [`mobile_two_elements`](crate#verifiers). Empty (the default) means
    /// wapi then QXT, among those configured.
    pub mobile_vendors: Vec<Vendor>,
    /// Timeouts, size cap, user agent, extra root certificates.
    pub options: ClientOptions,
    /// Retries of one vendor after failures that cannot have been billed.
    pub retry: RetryPolicy,
    /// Let failover move on after an upstream failure that *may* have been billed (a timeout
    /// after sending, an undecodable 2xx answer). Off by default: it can bill twice.
    pub failover_when_possibly_billed: bool,
    clock: Option<Arc<dyn Clock>>,
}

impl VerifierConfig {
    /// No vendors, default options and retry policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Configures wapi.
    pub fn wapi(mut self, config: WapiConfig) -> Self {
        self.wapi = Some(config);
        self
    }

    /// Configures QXT.
    pub fn qxt(mut self, config: QxtConfig) -> Self {
        self.qxt = Some(config);
        self
    }

    /// Configures ihuyi.
    pub fn ihuyi(mut self, config: IhuyiConfig) -> Self {
        self.ihuyi = Some(config);
        self
    }

    /// Sets the failover order of the mobile two-element check (wapi and QXT offer it).
    pub fn mobile_vendors(mut self, vendors: impl IntoIterator<Item = Vendor>) -> Self {
        self.mobile_vendors = vendors.into_iter().collect();
        self
    }

    /// Sets the HTTP options.
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets [`failover_when_possibly_billed`](Self::failover_when_possibly_billed).
    pub fn failover_when_possibly_billed(mut self, allow: bool) -> Self {
        self.failover_when_possibly_billed = allow;
        self
    }

    /// Replaces the wall clock used to stamp requests (tests, replays). The learned
    /// clock-skew offset is added on top of it.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// The configured vendors, in [`Vendor::ALL`] order.
    pub fn vendors(&self) -> Vec<Vendor> {
        Vendor::ALL
            .into_iter()
            .filter(|vendor| self.has(*vendor))
            .collect()
    }

    /// Whether `vendor` is configured.
    pub fn has(&self, vendor: Vendor) -> bool {
        match vendor {
            Vendor::Wapi => self.wapi.is_some(),
            Vendor::Qxt => self.qxt.is_some(),
            Vendor::Ihuyi => self.ihuyi.is_some(),
            _ => false,
        }
    }

    #[cfg(any(feature = "async", feature = "blocking"))]
    pub(crate) fn clock_or_system(&self) -> Arc<dyn Clock> {
        self.clock
            .clone()
            .unwrap_or_else(|| Arc::new(crate::clock::SystemClock))
    }
}

impl fmt::Debug for VerifierConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierConfig")
            .field("wapi", &self.wapi)
            .field("qxt", &self.qxt)
            .field("ihuyi", &self.ihuyi)
            .field("mobile_vendors", &self.mobile_vendors)
            .field("options", &self.options)
            .field("retry", &self.retry)
            .field(
                "failover_when_possibly_billed",
                &self.failover_when_possibly_billed,
            )
            .field("clock", &self.clock)
            .finish()
    }
}

/// Settings of the bundled HTTP transports (reqwest for async, ureq for blocking).
///
/// With [`with_client`](crate#plugging-your-own-http-stack) your client owns timeouts, user
/// agent and certificates; the size cap is still enforced on what it returns.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientOptions {
    /// DNS, TCP connect and TLS handshake together. Default 10 s.
    pub connect_timeout: Duration,
    /// The whole request, body included. Default 30 s.
    pub total_timeout: Duration,
    /// Largest accepted response body; a larger one is an error, never an allocation.
    /// Default 1 MiB (vendor answers are a few hundred bytes).
    pub max_body_bytes: u64,
    /// `User-Agent` header. Default `shiming/<version>`.
    pub user_agent: String,
    /// Extra trusted root certificates, each one or more PEM `CERTIFICATE` blocks (a private
    /// CA, a TLS-terminating proxy). Verification can never be turned off.
    pub extra_root_certs_pem: Vec<Vec<u8>>,
}

/// Default connect timeout: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = transport::DEFAULT_CONNECT_TIMEOUT;
/// Default total timeout: 30 seconds.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = transport::DEFAULT_TIMEOUT;
/// Default response size cap: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = transport::DEFAULT_MAX_RESPONSE_BYTES;
/// Default `User-Agent`: `shiming/<version>`.
pub const DEFAULT_USER_AGENT: &str = transport::DEFAULT_USER_AGENT;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            extra_root_certs_pem: Vec::new(),
        }
    }
}

impl ClientOptions {
    /// The same options in the shape every transport builder takes.
    #[cfg_attr(not(any(feature = "async", feature = "blocking")), allow(dead_code))]
    pub(crate) fn transport_settings(&self) -> transport::TransportSettings {
        transport::TransportSettings {
            connect_timeout: self.connect_timeout,
            timeout: self.total_timeout,
            max_response_bytes: self.max_body_bytes,
            user_agent: self.user_agent.clone(),
            root_certificates_pem: self.extra_root_certs_pem.clone(),
        }
    }

    /// Sets [`connect_timeout`](Self::connect_timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`total_timeout`](Self::total_timeout).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// Sets [`max_body_bytes`](Self::max_body_bytes).
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sets [`user_agent`](Self::user_agent).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Adds PEM root certificates to [`extra_root_certs_pem`](Self::extra_root_certs_pem).
    pub fn extra_root_certs_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra_root_certs_pem.push(pem.into());
        self
    }
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("user_agent", &self.user_agent)
            .field("extra_root_certs_pem", &self.extra_root_certs_pem.len())
            .finish()
    }
}
