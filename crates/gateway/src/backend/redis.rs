//! `store = "redis://…"`: the cache, rate limits and budgets shared by every gateway on one
//! Redis. Keys are `shiming:gw:…`; cache keys are HMAC-SHA256 of the subject under the key
//! file all gateways share, values carry no name, mobile or ID number. Rate limits count
//! requests per tenant per second (one key per second, expiring); a budget is one integer
//! per tenant and UTC day, reserved by a Lua script so the check and the increment are one
//! atomic step across gateways.

use super::keys::HmacKey;
use super::{Admission, Ask, Backend, BackendError, Remembered, Reservation, Subject};
use crate::money::Units;
use async_trait::async_trait;
use redis::aio::ConnectionManager;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Reserve ARGV[2] on KEYS[1] when the total stays within ARGV[1]; the key outlives its day
/// by one (status page, late settlements). Returns the new total, or -1 when refused.
const RESERVE: &str = r"
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[2])
if total + amount > tonumber(ARGV[1]) then return -1 end
total = redis.call('INCRBY', KEYS[1], amount)
redis.call('EXPIRE', KEYS[1], 172800)
return total
";

/// Counts one request in this second's window; returns the count.
const ADMIT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 2) end
return n
";

/// The Redis backend. Cheap to share: the connection manager multiplexes and reconnects.
pub(crate) struct RedisBackend {
    key: HmacKey,
    connection: ConnectionManager,
    reserve: redis::Script,
    admit: redis::Script,
}

impl std::fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBackend").finish_non_exhaustive()
    }
}

fn failed(error: redis::RedisError) -> BackendError {
    // Redis errors name the command and the server's message, never a value we sent.
    BackendError(format!("redis: {error}"))
}

impl RedisBackend {
    /// Connects (failing now, not on the first request, when Redis is unreachable).
    pub(crate) async fn connect(url: &str, key: HmacKey) -> Result<RedisBackend, BackendError> {
        let client = redis::Client::open(url).map_err(failed)?;
        let connection =
            tokio::time::timeout(Duration::from_secs(5), ConnectionManager::new(client))
                .await
                .map_err(|_| BackendError(format!("redis: no answer from {url} within 5 s")))?
                .map_err(failed)?;
        Ok(RedisBackend {
            key,
            connection,
            reserve: redis::Script::new(RESERVE),
            admit: redis::Script::new(ADMIT),
        })
    }

    fn cache_key(&self, subject: &Subject) -> String {
        format!("shiming:gw:cache:{}", self.key.key_of(subject))
    }
}

#[async_trait]
impl Backend for RedisBackend {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn lookup(&self, subject: &Subject) -> Result<Option<Remembered>, BackendError> {
        let mut connection = self.connection.clone();
        let value: Option<String> = redis::cmd("GET")
            .arg(self.cache_key(subject))
            .query_async(&mut connection)
            .await
            .map_err(failed)?;
        // An entry we cannot read (another version wrote it) is a miss, not an error.
        Ok(value.and_then(|json| serde_json::from_str(&json).ok()))
    }

    async fn remember(
        &self,
        subject: &Subject,
        answer: &Remembered,
        ttl: Duration,
    ) -> Result<(), BackendError> {
        let json = serde_json::to_string(answer).map_err(|e| BackendError(e.to_string()))?;
        let mut connection = self.connection.clone();
        redis::cmd("SET")
            .arg(self.cache_key(subject))
            .arg(json)
            .arg("EX")
            .arg(ttl.as_secs().max(1))
            .query_async::<()>(&mut connection)
            .await
            .map_err(failed)
    }

    async fn admit(&self, tenant: &str, qps: u32) -> Result<Admission, BackendError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let key = format!("shiming:gw:rate:{tenant}:{}", now.as_secs());
        let mut connection = self.connection.clone();
        let count: u64 = self
            .admit
            .key(key)
            .invoke_async(&mut connection)
            .await
            .map_err(failed)?;
        if count <= u64::from(qps) {
            Ok(Admission::Admitted)
        } else {
            // The window ends at the next whole second.
            let left = Duration::from_secs(1)
                .saturating_sub(Duration::from_nanos(u64::from(now.subsec_nanos())));
            Ok(Admission::RetryAfter(left))
        }
    }

    async fn reserve(&self, ask: Ask<'_>) -> Result<Option<Reservation>, BackendError> {
        let (tenant, day, cap, amount) = (ask.tenant, ask.day, ask.cap, ask.amount);
        let mut connection = self.connection.clone();
        let total: i64 = self
            .reserve
            .key(format!("shiming:gw:spent:{tenant}:{day}"))
            .arg(cap.0)
            .arg(amount.0)
            .invoke_async(&mut connection)
            .await
            .map_err(failed)?;
        Ok((total >= 0).then(|| Reservation {
            tenant: tenant.to_owned(),
            day: day.to_owned(),
            amount,
            store: None,
        }))
    }

    async fn settle(&self, reservation: Reservation, spent: Units) -> Result<(), BackendError> {
        let change = i64::try_from(spent.0).unwrap_or(i64::MAX)
            - i64::try_from(reservation.amount.0).unwrap_or(i64::MAX);
        if change == 0 {
            return Ok(());
        }
        let mut connection = self.connection.clone();
        redis::cmd("INCRBY")
            .arg(format!(
                "shiming:gw:spent:{}:{}",
                reservation.tenant, reservation.day
            ))
            .arg(change)
            .query_async::<i64>(&mut connection)
            .await
            .map(|_| ())
            .map_err(failed)
    }

    async fn spent(&self, tenant: &str, day: &str) -> Result<Units, BackendError> {
        let mut connection = self.connection.clone();
        let total: Option<i64> = redis::cmd("GET")
            .arg(format!("shiming:gw:spent:{tenant}:{day}"))
            .query_async(&mut connection)
            .await
            .map_err(failed)?;
        Ok(Units(
            total
                .and_then(|t| u64::try_from(t).ok())
                .unwrap_or_default(),
        ))
    }

    async fn ping(&self) -> Result<(), BackendError> {
        let mut connection = self.connection.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map(|_| ())
            .map_err(failed)
    }
}
