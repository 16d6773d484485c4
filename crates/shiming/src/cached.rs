//! [`CachedVerifier`] (feature `store`): a [`Verifier`] that answers repeats from a
//! [`shiming_store::Store`] and lets identical checks in flight share one vendor call.
//!
//! Kept: billed, final, non-test answers — a two-element match or mismatch, a mobile status
//! the vendor knew. Never kept: "not found", errors, refusals, test data (wapi 10024). What
//! is kept besides the verdict is only what says nothing about the person: the carrier and
//! area for two-element answers, the carrier / tenure / ported codes for a status. Names,
//! numbers, birthdays and sex the vendors echo are dropped (see `docs/store.md`).
//!
//! The store is an optimisation and must never lose an answer that was paid for: when it
//! fails (disk full, a lock held too long) the verifier logs a warning and asks the vendor,
//! or returns the fresh answer it could not remember.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use shiming_store::{
    Answer, Billing, Check, Outcome, Remembered, SpendEntry, Store, StoreError, Subject,
    SubjectKey, Yuan,
};
use tokio::sync::OnceCell;

use crate::Verifier;
use crate::checked::{Checked, Origin};
use crate::clock::{Clock, SystemClock};
use crate::codec::{TwoElementAnswer, Vendor, Verdict};
use crate::error::Error;
use crate::{Carrier, OperatorStatus, StatusAnswer, Tenure};

/// The message of a remembered answer (the vendor's own is not kept).
const REMEMBERED: &str = "remembered answer; no request sent";

/// Checks in flight, by subject: the callers of one key share one call.
type Flights<T> = Mutex<FlightMap<T>>;
type FlightMap<T> = HashMap<SubjectKey, Arc<OnceCell<Result<Checked<T>, Error>>>>;

/// A [`Verifier`] with a memory: repeats are answered from a verdict store (`billed: false`,
/// [`Origin::Store`] with the original vendor, code and time), and identical checks running
/// at the same time in this process make one vendor call ([`Origin::Shared`] for the
/// callers that waited).
///
/// Cheap to clone, `Send + Sync`. Store work runs on Tokio's blocking pool, so a store busy
/// in another process never stalls the async workers.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use shiming::{CachedVerifier, Verifier, VerifierConfig};
/// use shiming_store::{Store, StoreOptions};
///
/// let store = Store::open("shiming.sqlite".as_ref(), StoreOptions::new())?;
/// let verifier = CachedVerifier::new(Verifier::new(VerifierConfig::from_env()?)?, Arc::new(store));
/// let checked = verifier.mobile_two_elements("张三", "18688888888").await?;
/// if checked.origin.is_cached() {
///     println!("answered by {} earlier, free this time", checked.vendor);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CachedVerifier {
    verifier: Verifier,
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    prices: Option<Arc<Prices>>,
    flights: Arc<InFlight>,
}

/// The price of one call to a vendor for a check, when known.
type Prices = dyn Fn(Vendor, Check) -> Option<Yuan> + Send + Sync;

/// Checks in flight, per answer type.
#[derive(Default)]
struct InFlight {
    two_elements: Flights<TwoElementAnswer>,
    status: Flights<StatusAnswer>,
}

impl std::fmt::Debug for CachedVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedVerifier")
            .field("verifier", &self.verifier)
            .field("store", &self.store.path())
            .field("records_spend", &self.prices.is_some())
            .finish_non_exhaustive()
    }
}

impl CachedVerifier {
    /// `verifier` answering repeats from `store`, with the system clock deciding expiry.
    pub fn new(verifier: Verifier, store: Arc<Store>) -> Self {
        CachedVerifier {
            verifier,
            store,
            clock: Arc::new(SystemClock),
            prices: None,
            flights: Arc::default(),
        }
    }

    /// Uses `clock` for expiry and for the time answers are remembered at (tests: expiry
    /// without waiting).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Records every billed and possibly billed vendor call in the store's spend ledger, at
    /// the price `prices` gives (an unpriced call is recorded at 0 yuan, so it still counts).
    /// A call shared by identical checks in flight is recorded once; remembered answers cost
    /// nothing and are not recorded.
    pub fn with_prices(
        mut self,
        prices: impl Fn(Vendor, Check) -> Option<Yuan> + Send + Sync + 'static,
    ) -> Self {
        self.prices = Some(Arc::new(prices));
        self
    }

    /// The verifier underneath, for calls that bypass the store (`balance`).
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// [`Verifier::mobile_two_elements`], answered from the store when it can be.
    pub async fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let subject = Subject::mobile_two_elements(name, mobile);
        let call = self.verifier.mobile_two_elements(name, mobile);
        self.two_elements(subject, call).await
    }

    /// [`Verifier::mobile_two_elements_with`], answered from the store when it can be. A
    /// remembered answer from another vendor counts: it is about the same person and number.
    pub async fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let subject = Subject::mobile_two_elements(name, mobile);
        let call = self.verifier.mobile_two_elements_with(vendor, name, mobile);
        self.two_elements(subject, call).await
    }

    /// [`Verifier::id_two_elements`], answered from the store when it can be.
    pub async fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let subject = Subject::id_two_elements(name, id_number);
        let call = self.verifier.id_two_elements(name, id_number);
        self.two_elements(subject, call).await
    }

    /// [`Verifier::mobile_status`], answered from the store when it can be.
    pub async fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        let subject = Subject::mobile_status(mobile);
        let call = self.verifier.mobile_status(mobile);
        let flights = &self.flights.status;
        self.single_flight(flights, subject, call, recall_status, keep_status)
            .await
    }

    async fn two_elements(
        &self,
        subject: Subject,
        call: impl Future<Output = Result<Checked<TwoElementAnswer>, Error>>,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let flights = &self.flights.two_elements;
        self.single_flight(
            flights,
            subject,
            call,
            recall_two_elements,
            keep_two_elements,
        )
        .await
    }

    /// Runs `call` once per subject among the callers in flight; each caller gets the answer,
    /// the first as it came, the others marked shared.
    async fn single_flight<T: Clone>(
        &self,
        flights: &Flights<T>,
        subject: Subject,
        call: impl Future<Output = Result<Checked<T>, Error>>,
        recall: fn(&Subject, Remembered) -> Option<T>,
        keep: fn(&Checked<T>) -> Option<(Outcome, serde_json::Value)>,
    ) -> Result<Checked<T>, Error> {
        let key = self.store.subject_key(&subject);
        let cell = lock(flights).entry(key).or_default().clone();
        let mut mine = None;
        let shared = cell
            .get_or_init(|| async {
                let result = self.answer(subject, call, recall, keep).await;
                let copy = share(&result);
                mine = Some(result);
                copy
            })
            .await;
        let result = match mine {
            Some(result) => result,
            None => share(shared),
        };
        // The flight is over: a later identical check starts afresh (and finds the store).
        let mut map = lock(flights);
        if map.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            map.remove(&key);
        }
        result
    }

    /// The store's answer, or the vendor's (then remembered when worth it).
    async fn answer<T>(
        &self,
        subject: Subject,
        call: impl Future<Output = Result<Checked<T>, Error>>,
        recall: fn(&Subject, Remembered) -> Option<T>,
        keep: fn(&Checked<T>) -> Option<(Outcome, serde_json::Value)>,
    ) -> Result<Checked<T>, Error> {
        let now = UNIX_EPOCH + Duration::from_secs(self.clock.now().0);
        let found = {
            let (store, subject) = (self.store.clone(), subject.clone());
            blocking(move || store.lookup(&subject, now)).await
        };
        match found {
            Ok(Some(remembered)) => {
                let (vendor, code) = (remembered.vendor, remembered.code.clone());
                let origin = Origin::Store {
                    checked_at: remembered.checked_at,
                    expires_at: remembered.expires_at,
                };
                if let Some(answer) = recall(&subject, remembered) {
                    return Ok(Checked {
                        vendor,
                        code,
                        message: REMEMBERED.to_string(),
                        billed: false,
                        attempts: 0,
                        answer,
                        origin,
                    });
                }
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(error = %error, "verdict store lookup failed; asking the vendor");
            }
        }
        let check = subject.check();
        let result = call.await;
        self.record_spend(check, &result, now).await;
        if let Ok(checked) = &result
            && let Some((outcome, details)) = keep(checked)
        {
            let answer = Answer {
                outcome,
                vendor: checked.vendor,
                code: checked.code.clone(),
                checked_at: now,
                details,
            };
            let store = self.store.clone();
            if let Err(error) = blocking(move || store.remember(&subject, &answer)).await {
                tracing::warn!(error = %error, "could not remember a billed answer");
            }
        }
        result
    }
}

impl CachedVerifier {
    /// Puts a billed or possibly billed call in the ledger, when prices were given.
    async fn record_spend<T>(
        &self,
        check: Check,
        result: &Result<Checked<T>, Error>,
        now: SystemTime,
    ) {
        let Some(prices) = &self.prices else {
            return;
        };
        let (vendor, billing) = match result {
            Ok(checked) if checked.billed => (checked.vendor, Billing::Billed),
            Err(error) if error.may_have_been_billed() => match error.vendor() {
                Some(vendor) => (vendor, Billing::PossiblyBilled),
                None => return,
            },
            _ => return,
        };
        let entry = SpendEntry {
            at: now,
            vendor,
            check,
            price: prices(vendor, check).unwrap_or(Yuan::ZERO),
            billing,
        };
        let store = self.store.clone();
        if let Err(error) = blocking(move || store.record_spend(&entry)).await {
            tracing::warn!(error = %error, "could not record a billed call in the spend ledger");
        }
    }
}

/// A copy of a flight's result for a caller that waited for it.
fn share<T: Clone>(result: &Result<Checked<T>, Error>) -> Result<Checked<T>, Error> {
    match result {
        Ok(checked) => {
            let mut copy = checked.clone();
            if checked.origin.is_vendor() {
                copy.billed = false;
                copy.attempts = 0;
                copy.origin = Origin::Shared;
            }
            Ok(copy)
        }
        Err(error) => Err(error.shared_copy()),
    }
}

fn lock<T>(flights: &Flights<T>) -> MutexGuard<'_, FlightMap<T>> {
    // Nothing is left half-done under this lock: a poisoned map is still consistent.
    flights
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs store work on the blocking pool.
async fn blocking<R: Send + 'static>(
    work: impl FnOnce() -> Result<R, StoreError> + Send + 'static,
) -> Result<R, String> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(join) => Err(format!("store task failed: {join}")),
    }
}

// --- two-element answers -------------------------------------------------------------

fn keep_two_elements(checked: &Checked<TwoElementAnswer>) -> Option<(Outcome, serde_json::Value)> {
    let answer = &checked.answer;
    let outcome = match answer.verdict {
        Verdict::Match => Outcome::Match,
        Verdict::Mismatch => Outcome::Mismatch,
        Verdict::NotFound => return None,
    };
    if !checked.billed || answer.debug || !checked.origin.is_vendor() {
        return None;
    }
    // Only facts about the number's place and carrier: never the echoed name, number,
    // birthday or sex.
    let details = crate::vendors::kept_details(&answer.details);
    Some((outcome, details))
}

fn recall_two_elements(subject: &Subject, remembered: Remembered) -> Option<TwoElementAnswer> {
    let verdict = match remembered.outcome {
        Outcome::Match => Verdict::Match,
        Outcome::Mismatch => Verdict::Mismatch,
        Outcome::StatusFound => return None,
    };
    let text = |field: &str| remembered.details[field].as_str().map(str::to_string);
    let details = crate::vendors::recalled_details(
        matches!(subject, Subject::IdTwoElements { .. }),
        remembered.vendor,
        &text,
    );
    Some(TwoElementAnswer {
        verdict,
        debug: false,
        details,
    })
}

// --- mobile status -------------------------------------------------------------------

fn keep_status(checked: &Checked<StatusAnswer>) -> Option<(Outcome, serde_json::Value)> {
    let StatusAnswer::Found(status) = &checked.answer else {
        return None;
    };
    if !checked.billed || !checked.origin.is_vendor() {
        return None;
    }
    let carrier = |c: Option<Carrier>| {
        c.map(|c| match c {
            Carrier::ChinaMobile => 1,
            Carrier::ChinaUnicom => 2,
            Carrier::ChinaTelecom => 3,
            Carrier::Other(code) => code,
        })
    };
    let tenure = status.tenure.map(|t| match t {
        Tenure::Under6Months => 1,
        Tenure::From6To12Months => 2,
        Tenure::From12To24Months => 3,
        Tenure::Over24Months => 4,
        Tenure::Other(code) => code,
    });
    // The vendor's serial number identifies the query, not needed for the answer: dropped.
    let details = serde_json::json!({
        "operator": carrier(status.operator),
        "operator_real": carrier(status.operator_real),
        "tenure": tenure,
        "ported": status.ported,
    });
    Some((Outcome::StatusFound, details))
}

fn recall_status(_subject: &Subject, remembered: Remembered) -> Option<StatusAnswer> {
    if remembered.outcome != Outcome::StatusFound {
        return None;
    }
    let code = |field: &str| remembered.details[field].as_i64();
    Some(StatusAnswer::Found(OperatorStatus {
        operator: code("operator").map(Carrier::from_code),
        operator_real: code("operator_real").map(Carrier::from_code),
        tenure: code("tenure").map(Tenure::from_code),
        ported: remembered.details["ported"].as_bool(),
        serial: None,
    }))
}
