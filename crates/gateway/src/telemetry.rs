//! Prometheus metrics (`/metrics`) and the per-process counters behind the status page.
//!
//! Metric names (all prefixed `shiming_gateway_`): `requests_total{tenant,check,outcome}`,
//! `billed_calls_total{vendor}`, `billed_yuan{vendor}` (a gauge that only grows: the metrics
//! crate's counters are integers), `cache_hits_total{check}`, `cache_misses_total{check}`,
//! `vendor_seconds{vendor,check}` (histogram), `errors_total{kind}`.

use crate::money::Units;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Vendor latency buckets, seconds: loopback to a slow vendor.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process-wide Prometheus recorder (one per process, whatever the number of gateways).
pub(crate) fn prometheus() -> &'static Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        match builder.install_recorder() {
            Ok(handle) => Some(handle),
            Err(error) => {
                // Another recorder is installed (an embedding application's): metrics go
                // there, and /metrics says so.
                tracing::warn!(%error, "metrics recorder not installed");
                None
            }
        }
    })
}

/// Counts a request's end.
pub(crate) fn request(tenant: &str, check: &str, outcome: &str) {
    metrics::counter!("shiming_gateway_requests_total", "tenant" => tenant.to_owned(), "check" => check.to_owned(), "outcome" => outcome.to_owned()).increment(1);
}

/// Counts a billed call and its price.
pub(crate) fn billed(vendor: &str, cost: Units) {
    metrics::counter!("shiming_gateway_billed_calls_total", "vendor" => vendor.to_owned())
        .increment(1);
    metrics::gauge!("shiming_gateway_billed_yuan", "vendor" => vendor.to_owned())
        .increment(cost.yuan());
}

/// Counts a cache hit or miss.
pub(crate) fn cache(check: &str, hit: bool) {
    if hit {
        metrics::counter!("shiming_gateway_cache_hits_total", "check" => check.to_owned())
            .increment(1);
    } else {
        metrics::counter!("shiming_gateway_cache_misses_total", "check" => check.to_owned())
            .increment(1);
    }
}

/// Records a vendor call's duration.
pub(crate) fn vendor_latency(vendor: &str, check: &str, elapsed: Duration) {
    metrics::histogram!("shiming_gateway_vendor_seconds", "vendor" => vendor.to_owned(), "check" => check.to_owned())
        .record(elapsed.as_secs_f64());
}

/// Counts an error by kind.
pub(crate) fn error(kind: &str) {
    metrics::counter!("shiming_gateway_errors_total", "kind" => kind.to_owned()).increment(1);
}

/// Today's counters in this process, for the status page. Reset when the UTC day changes.
#[derive(Debug, Default)]
pub(crate) struct Today {
    inner: Mutex<TodayInner>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct TodayInner {
    pub(crate) day: String,
    /// Per tenant: requests, spend.
    pub(crate) tenants: BTreeMap<String, TenantToday>,
    /// Per vendor.
    pub(crate) vendors: BTreeMap<String, VendorToday>,
    pub(crate) cache_hits: u64,
    pub(crate) cache_misses: u64,
}

/// One tenant's day.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct TenantToday {
    pub(crate) requests: u64,
    pub(crate) refused: u64,
    pub(crate) spent: Units,
}

/// One vendor's day.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct VendorToday {
    pub(crate) calls: u64,
    pub(crate) errors: u64,
    pub(crate) billed: u64,
    pub(crate) spent: Units,
    pub(crate) latency_total: Duration,
    pub(crate) latency_max: Duration,
}

impl Today {
    fn with<R>(&self, day: &str, f: impl FnOnce(&mut TodayInner) -> R) -> R {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.day != day {
            *inner = TodayInner {
                day: day.to_owned(),
                ..TodayInner::default()
            };
        }
        f(&mut inner)
    }

    /// A request of `tenant` ended; `refused` when it got an error.
    pub(crate) fn request(&self, day: &str, tenant: &str, refused: bool, spent: Units) {
        self.with(day, |t| {
            // Tenants come from the config, so this map is bounded by it.
            if !t.tenants.contains_key(tenant) {
                t.tenants.insert(tenant.to_owned(), TenantToday::default());
            }
            let Some(entry) = t.tenants.get_mut(tenant) else {
                return;
            };
            entry.requests += 1;
            entry.refused += u64::from(refused);
            entry.spent.0 += spent.0;
        });
    }

    /// A vendor call ended.
    pub(crate) fn vendor(
        &self,
        day: &str,
        vendor: &str,
        ok: bool,
        billed: bool,
        spent: Units,
        elapsed: Duration,
    ) {
        self.with(day, |t| {
            let entry = t.vendors.entry(vendor.to_owned()).or_default();
            entry.calls += 1;
            entry.errors += u64::from(!ok);
            entry.billed += u64::from(billed);
            entry.spent.0 += spent.0;
            entry.latency_total += elapsed;
            entry.latency_max = entry.latency_max.max(elapsed);
        });
    }

    /// A cache lookup.
    pub(crate) fn cache(&self, day: &str, hit: bool) {
        self.with(day, |t| {
            if hit {
                t.cache_hits += 1;
            } else {
                t.cache_misses += 1;
            }
        });
    }

    /// A copy for rendering.
    pub(crate) fn snapshot(&self, day: &str) -> TodayInner {
        self.with(day, |t| t.clone())
    }
}
