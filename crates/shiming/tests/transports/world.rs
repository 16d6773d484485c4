//! The emulated vendors the cases talk to, over real HTTP on 127.0.0.1.

use shiming::codec::ihuyi::IhuyiConfig;
use shiming::codec::qxt::QxtConfig;
use shiming::codec::wapi::WapiConfig;
use shiming::{Clock, RetryPolicy, Secret, UnixTime, Vendor, VerifierConfig};
use shiming_emulator::{
    BlockingEmulator, Emulator, EmulatorConfig, Faults, OperationLedger, sandbox,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One emulator per case, so cases run in parallel without sharing a ledger.
pub(crate) struct World {
    pub(crate) emulator: BlockingEmulator,
}

impl World {
    /// An emulator answering from its tables, without faults.
    pub(crate) fn start() -> Self {
        Self::with(EmulatorConfig::default())
    }

    /// An emulator with `faults` applied to requests (`times=N` limits them to the first N).
    pub(crate) fn with_faults(spec: &str) -> Self {
        let faults = Faults::parse(spec).expect("a valid fault spec");
        Self::with(EmulatorConfig::default().faults(faults))
    }

    pub(crate) fn with(config: EmulatorConfig) -> Self {
        World {
            emulator: Emulator::start_blocking(config).expect("the emulator starts"),
        }
    }

    /// A verifier configuration with all three sandbox accounts at the emulator, and quick
    /// retries (the policy, not the pauses, is under test here).
    pub(crate) fn config(&self) -> VerifierConfig {
        config_at(self.emulator.base_url())
    }

    /// Requests and billed calls the emulator counted for one operation.
    pub(crate) fn ledger(&self, vendor: Vendor, operation: &str) -> OperationLedger {
        let vendor = shiming_emulator::Vendor::ALL
            .into_iter()
            .find(|emulated| emulated.as_str() == vendor.as_str())
            .expect("the emulator stands in for every vendor");
        self.emulator.ledger().vendor(vendor).operation(operation)
    }
}

/// All three sandbox accounts at `base_url`, retries without pauses.
pub(crate) fn config_at(base_url: &str) -> VerifierConfig {
    let wapi = WapiConfig::new(
        base_url,
        sandbox::WAPI_APPID,
        Secret::new(sandbox::WAPI_SECRET),
    )
    .expect("a valid wapi config");
    let qxt = QxtConfig::new(Secret::new(sandbox::QXT_APIKEY))
        .with_base_url(base_url)
        .expect("a valid QXT config");
    let ihuyi = IhuyiConfig::new(sandbox::IHUYI_ACCOUNT, Secret::new(sandbox::IHUYI_APIKEY))
        .with_base_url(base_url)
        .expect("a valid ihuyi config");
    VerifierConfig::new()
        .wapi(wapi)
        .qxt(qxt)
        .ihuyi(ihuyi)
        .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_millis(5)))
}

/// A base URL where nothing listens: connecting fails before a byte is sent.
pub(crate) fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let addr = listener.local_addr().expect("its address");
    drop(listener);
    format!("http://{addr}")
}

/// A wall clock running `behind` seconds late, like a badly set server.
#[derive(Debug)]
pub(crate) struct LateClock {
    pub(crate) behind: u64,
}

impl Clock for LateClock {
    fn now(&self) -> UnixTime {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        UnixTime(now - self.behind)
    }
}
