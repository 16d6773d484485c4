//! What a verifier needs to know: vendor accounts, failover order, transport settings, retries.

use crate::clock::Clock;
use crate::codec::Vendor;
use crate::codec::ihuyi::IhuyiConfig;
use crate::codec::qxt::QxtConfig;
use crate::codec::wapi::WapiConfig;
use crate::policy::RetryPolicy;
use std::sync::Arc;

pub use shiming_transport::TransportSettings;

/// Everything a [`Verifier`](crate#verifiers) is built from.
///
/// Vendor settings are the codec's own config types (credentials are
/// [`Secret`](crate::sign::Secret)s: masked in `Debug`, zeroed on drop). Only configured
/// vendors can be called; the others answer [`ErrorKind::NotConfigured`](crate::ErrorKind).
///
/// ```
/// use shiming::{VerifierConfig, TransportSettings, RetryPolicy, Vendor};
/// use shiming::codec::qxt::QxtConfig;
/// use shiming::sign::Secret;
/// use std::time::Duration;
///
/// let config = VerifierConfig::new()
///     .qxt(QxtConfig::new(Secret::new("your-apikey")))
///     .mobile_vendors([Vendor::Qxt])
///     .transport(TransportSettings::default().timeout(Duration::from_secs(10)))
///     .retry(RetryPolicy::default().max_attempts(2));
/// assert_eq!(config.vendors(), vec![Vendor::Qxt]);
/// ```
// `Debug` prints every field; the vendor configs mask their secrets themselves.
#[derive(Debug, Default)]
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
    /// Timeouts, size cap, user agent, extra root certificates of the bundled transports.
    /// With [`with_client`](crate#plugging-your-own-http-stack) your client owns timeouts,
    /// user agent and certificates; the size cap is still enforced on what it returns.
    pub transport: TransportSettings,
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

    /// Sets the transport settings.
    pub fn transport(mut self, settings: TransportSettings) -> Self {
        self.transport = settings;
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
