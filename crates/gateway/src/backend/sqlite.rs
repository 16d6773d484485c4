//! `store = "sqlite:PATH"`: the verdict cache, spend ledger and budgets in a shiming-store
//! file (keyed hashes under the store's own key file, WAL, budgets reserved in one
//! `BEGIN IMMEDIATE` transaction, so several gateway processes on one machine may share it).
//! Rate limits stay in this process. shiming-store is synchronous: every call runs on
//! Tokio's blocking pool.

use super::ratelimit::LocalRateLimit;
use super::{Admission, Ask, Backend, BackendError, Remembered, Reservation, Spend, Subject};
use crate::config::CacheTtl;
use crate::money::Units;
use async_trait::async_trait;
use shiming_store::{
    Answer, Billing, BudgetKey, Date, Outcome, ReserveError, Settlement, SpendEntry, Store,
    StoreOptions, Ttls,
};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The SQLite backend.
#[derive(Debug)]
pub(crate) struct SqliteBackend {
    store: Arc<Store>,
    rate: LocalRateLimit,
}

fn failed(error: impl std::fmt::Display) -> BackendError {
    // StoreError names the file and what went wrong, never a subject.
    BackendError(error.to_string())
}

impl SqliteBackend {
    /// Opens (or creates) the store file; its key file sits beside it unless the store's
    /// defaults say otherwise.
    pub(crate) async fn open(path: &Path, ttl: CacheTtl) -> Result<SqliteBackend, BackendError> {
        let day = Duration::from_secs(86_400);
        let ttls = Ttls {
            mobile_two_elements: day * ttl.mobile_days,
            id_two_elements: day * ttl.id_days,
            mobile_status: day * ttl.status_days,
        };
        let path = path.to_path_buf();
        let store =
            tokio::task::spawn_blocking(move || Store::open(&path, StoreOptions::new().ttl(ttls)))
                .await
                .map_err(failed)?
                .map_err(failed)?;
        Ok(SqliteBackend {
            store: Arc::new(store),
            rate: LocalRateLimit::default(),
        })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, BackendError> + Send + 'static,
    ) -> Result<T, BackendError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || work(&store))
            .await
            .map_err(failed)?
    }
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn budget_key(tenant: &str, day: &str) -> Result<BudgetKey, BackendError> {
    let date: Date = day
        .parse()
        .map_err(|_| BackendError(format!("not a day: {day}")))?;
    Ok(BudgetKey::daily(format!("gateway:{tenant}"), date))
}

#[async_trait]
impl Backend for SqliteBackend {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    async fn lookup(&self, subject: &Subject) -> Result<Option<Remembered>, BackendError> {
        let subject = subject.clone();
        let found = self
            .blocking(move |store| store.lookup(&subject, SystemTime::now()).map_err(failed))
            .await?;
        Ok(found.map(|r| Remembered {
            verdict: match r.outcome {
                Outcome::Match => "match",
                Outcome::Mismatch => "mismatch",
                Outcome::StatusFound => "found",
            }
            .to_string(),
            vendor: r.vendor.as_str().to_string(),
            code: r.code,
            checked_at: unix(r.checked_at),
            details: r.details,
        }))
    }

    async fn remember(
        &self,
        subject: &Subject,
        answer: &Remembered,
        _ttl: Duration,
    ) -> Result<(), BackendError> {
        // The store applies its own TTLs, set from the same [cache_ttl] at open.
        let outcome = match answer.verdict.as_str() {
            "match" => Outcome::Match,
            "mismatch" => Outcome::Mismatch,
            "found" => Outcome::StatusFound,
            _ => return Ok(()),
        };
        let Some(vendor) = shiming::Vendor::ALL
            .into_iter()
            .find(|v| v.as_str() == answer.vendor)
        else {
            return Ok(());
        };
        let entry = Answer {
            outcome,
            vendor,
            code: answer.code.clone(),
            checked_at: UNIX_EPOCH + Duration::from_secs(answer.checked_at),
            details: answer.details.clone(),
        };
        let subject = subject.clone();
        self.blocking(move |store| store.remember(&subject, &entry).map_err(failed))
            .await
    }

    async fn admit(&self, tenant: &str, qps: u32) -> Result<Admission, BackendError> {
        Ok(self.rate.admit(tenant, qps, Instant::now()))
    }

    async fn reserve(&self, ask: Ask<'_>) -> Result<Option<Reservation>, BackendError> {
        let (tenant, day, cap, amount) = (ask.tenant, ask.day, ask.cap, ask.amount);
        let key = budget_key(tenant, day)?;
        let result = self
            .blocking(move |store| {
                match store.reserve(
                    &key,
                    shiming_store::Yuan::from_units(cap.0),
                    shiming_store::Yuan::from_units(amount.0),
                    SystemTime::now(),
                ) {
                    Ok(reservation) => Ok(Some(reservation)),
                    Err(ReserveError::Refused(_)) => Ok(None),
                    Err(ReserveError::Store(error)) => Err(failed(error)),
                }
            })
            .await?;
        Ok(result.map(|reservation| Reservation {
            tenant: tenant.to_owned(),
            day: day.to_owned(),
            amount,
            store: Some(reservation),
        }))
    }

    async fn settle(&self, reservation: Reservation, spent: Units) -> Result<(), BackendError> {
        let Some(inner) = reservation.store else {
            return Ok(());
        };
        // The store keeps a reservation's whole price once billed; a cheaper vendor after
        // failover is counted at the reserved (dearest) price: the cap errs on the safe side.
        let settlement = if spent == Units(0) {
            Settlement::NotBilled
        } else {
            Settlement::Billed
        };
        self.blocking(move |store| store.settle(inner, settlement).map_err(failed))
            .await
    }

    async fn record_spend(&self, spend: Spend) -> Result<(), BackendError> {
        let Some(check) = spend.check.checked() else {
            return Ok(());
        };
        let entry = SpendEntry {
            at: SystemTime::now(),
            vendor: spend.vendor,
            check,
            price: shiming_store::Yuan::from_units(spend.price.0),
            billing: if spend.certain {
                Billing::Billed
            } else {
                Billing::PossiblyBilled
            },
        };
        self.blocking(move |store| store.record_spend(&entry).map_err(failed))
            .await
    }

    async fn spent(&self, tenant: &str, day: &str) -> Result<Units, BackendError> {
        let key = budget_key(tenant, day)?;
        let committed = self
            .blocking(move |store| store.committed(&key).map_err(failed))
            .await?;
        Ok(Units(committed.units()))
    }

    async fn ping(&self) -> Result<(), BackendError> {
        self.blocking(|store| store.stats().map(|_| ()).map_err(failed))
            .await
    }
}
