//! What every request shares: the verifier, the backend, the tenants (replaced on SIGHUP),
//! the audit sink, the day's counters.

use crate::audit::AuditSink;
use crate::backend::Backend;
use crate::config::{CacheTtl, Limits, Prices};
use crate::telemetry::Today;
use crate::tenants::Tenants;
use shiming::{Vendor, Verifier};
use std::sync::{Arc, RwLock};

/// Shared state.
pub(crate) struct AppState {
    pub(crate) verifier: Verifier,
    /// Vendors with an account.
    pub(crate) vendors: Vec<Vendor>,
    /// The mobile check's failover order.
    pub(crate) mobile_chain: Vec<Vendor>,
    pub(crate) backend: Arc<dyn Backend>,
    pub(crate) tenants: RwLock<Arc<Tenants>>,
    pub(crate) audit: AuditSink,
    pub(crate) prices: Prices,
    pub(crate) cache_ttl: CacheTtl,
    pub(crate) limits: Limits,
    pub(crate) sandbox: bool,
    pub(crate) today: Today,
}

impl AppState {
    /// The current tenants (a cheap `Arc` clone; a reload swaps the whole set).
    pub(crate) fn tenants(&self) -> Arc<Tenants> {
        Arc::clone(&self.tenants.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces every tenant at once (requests in flight finish under the old set); how many
    /// there are now.
    pub(crate) fn replace_tenants(&self, tenants: Tenants) -> usize {
        let count = tenants.len();
        *self.tenants.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(tenants);
        count
    }
}
