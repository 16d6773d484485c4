//! `store = "memory"`: everything in this process, forgotten on exit. For the sandbox and
//! tests; the cache is keyed by HMAC under a random per-process key like the others, and
//! bounded.

use super::keys::HmacKey;
use super::ratelimit::LocalRateLimit;
use super::{Admission, Ask, Backend, BackendError, Remembered, Reservation, Subject};
use crate::money::Units;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most answers kept; past it, expired ones are dropped and, failing that, new ones not kept.
const MAX_ENTRIES: usize = 100_000;

/// The in-process backend.
#[derive(Debug)]
pub(crate) struct MemoryBackend {
    key: HmacKey,
    cache: Mutex<HashMap<String, (Remembered, Instant)>>,
    spent: Mutex<HashMap<(String, String), u64>>,
    rate: LocalRateLimit,
}

impl MemoryBackend {
    pub(crate) fn new() -> Result<MemoryBackend, BackendError> {
        Ok(MemoryBackend {
            key: HmacKey::random()?,
            cache: Mutex::default(),
            spent: Mutex::default(),
            rate: LocalRateLimit::default(),
        })
    }
}

#[async_trait]
impl Backend for MemoryBackend {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn lookup(&self, subject: &Subject) -> Result<Option<Remembered>, BackendError> {
        let key = self.key.key_of(subject);
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        Ok(cache
            .get(&key)
            .filter(|(_, expires)| *expires > Instant::now())
            .map(|(answer, _)| answer.clone()))
    }

    async fn remember(
        &self,
        subject: &Subject,
        answer: &Remembered,
        ttl: Duration,
    ) -> Result<(), BackendError> {
        let key = self.key.key_of(subject);
        let now = Instant::now();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= MAX_ENTRIES {
            cache.retain(|_, (_, expires)| *expires > now);
        }
        if cache.len() < MAX_ENTRIES {
            cache.insert(key, (answer.clone(), now + ttl));
        }
        Ok(())
    }

    async fn admit(&self, tenant: &str, qps: u32) -> Result<Admission, BackendError> {
        Ok(self.rate.admit(tenant, qps, Instant::now()))
    }

    async fn reserve(&self, ask: Ask<'_>) -> Result<Option<Reservation>, BackendError> {
        let (tenant, day, cap, amount) = (ask.tenant, ask.day, ask.cap, ask.amount);
        let mut spent = self.spent.lock().unwrap_or_else(|e| e.into_inner());
        // One day's entries per tenant: older days are of no use to a daily cap.
        spent.retain(|(_, d), _| d.as_str() >= day);
        let total = spent
            .entry((tenant.to_owned(), day.to_owned()))
            .or_default();
        if total.saturating_add(amount.0) > cap.0 {
            return Ok(None);
        }
        *total += amount.0;
        Ok(Some(Reservation {
            tenant: tenant.to_owned(),
            day: day.to_owned(),
            amount,
            store: None,
        }))
    }

    async fn settle(&self, reservation: Reservation, spent_now: Units) -> Result<(), BackendError> {
        let mut spent = self.spent.lock().unwrap_or_else(|e| e.into_inner());
        let total = spent
            .entry((reservation.tenant, reservation.day))
            .or_default();
        *total = total
            .saturating_sub(reservation.amount.0)
            .saturating_add(spent_now.0);
        Ok(())
    }

    async fn spent(&self, tenant: &str, day: &str) -> Result<Units, BackendError> {
        let spent = self.spent.lock().unwrap_or_else(|e| e.into_inner());
        Ok(Units(
            spent
                .get(&(tenant.to_owned(), day.to_owned()))
                .copied()
                .unwrap_or_default(),
        ))
    }

    async fn ping(&self) -> Result<(), BackendError> {
        Ok(())
    }
}
