//! Budgets: reserve a call's price against a cap before calling, settle it after.
//!
//! A reservation counts against the cap from the moment it is made until it is settled as
//! not billed. One settled as billed or possibly billed keeps counting, and so does one never
//! settled (its process died mid-call: the call may have been billed). The check and the
//! insert are one `BEGIN IMMEDIATE` transaction, so processes sharing the store can never
//! push the total past the cap together.

use std::time::SystemTime;

use rusqlite::{TransactionBehavior, params};
use shiming_numbers::Date;

use crate::error::StoreError;
use crate::money::Yuan;
use crate::store::Store;
use crate::time;

/// A budget: a name (a tenant, a batch run) and, for a daily budget, the UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BudgetKey {
    name: String,
    day: Option<Date>,
}

impl BudgetKey {
    /// A budget that never resets (`batch --max-cost` for one run).
    pub fn total(name: impl Into<String>) -> BudgetKey {
        BudgetKey {
            name: name.into(),
            day: None,
        }
    }

    /// A budget for one UTC day (a gateway tenant's daily budget).
    pub fn daily(name: impl Into<String>, day: Date) -> BudgetKey {
        BudgetKey {
            name: name.into(),
            day: Some(day),
        }
    }

    /// The budget's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The day of a daily budget.
    pub fn day(&self) -> Option<Date> {
        self.day
    }

    fn period(&self) -> String {
        self.day.map_or_else(String::new, |d| d.to_string())
    }
}

/// Money set aside for one call. Settle it with [`Store::settle`]; one dropped unsettled
/// keeps counting against the cap, as a call that may have been billed.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "settle the reservation once the call's billing is known"]
pub struct Reservation {
    id: i64,
    price: Yuan,
}

impl Reservation {
    /// The price reserved.
    pub fn price(&self) -> Yuan {
        self.price
    }
}

/// How a reserved call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Charged: the price stays spent.
    Billed,
    /// Maybe charged (timeout after sending): the price stays spent.
    PossiblyBilled,
    /// Certainly not charged (not sent, an unbilled code): the price is released.
    NotBilled,
}

/// The cap would be exceeded: the call must not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("budget {budget:?} refused: {committed} yuan committed + {price} yuan > cap {cap} yuan")]
pub struct BudgetRefused {
    /// The budget's name.
    pub budget: String,
    /// The cap.
    pub cap: Yuan,
    /// Billed, possibly billed and reserved so far.
    pub committed: Yuan,
    /// The price asked for.
    pub price: Yuan,
}

/// Why [`Store::reserve`] gave no reservation.
#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    /// The cap would be exceeded.
    #[error(transparent)]
    Refused(#[from] BudgetRefused),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Reserves `price` against `budget` if what it has committed plus `price` stays within
    /// `cap`, atomically across threads and processes.
    pub fn reserve(
        &self,
        budget: &BudgetKey,
        cap: Yuan,
        price: Yuan,
        now: SystemTime,
    ) -> Result<Reservation, ReserveError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql(e))?;
        let committed: i64 = tx
            .query_row(
                "SELECT coalesce(sum(price), 0) FROM reservations WHERE budget = ?1 AND period = ?2",
                params![budget.name, budget.period()],
                |row| row.get(0),
            )
            .map_err(|e| self.sql(e))?;
        let committed = Yuan::from_sql(committed);
        if committed.checked_add(price).is_none_or(|total| total > cap) {
            return Err(BudgetRefused {
                budget: budget.name.clone(),
                cap,
                committed,
                price,
            }
            .into());
        }
        tx.execute(
            "INSERT INTO reservations (budget, period, price, state, at) VALUES (?1, ?2, ?3, 0, ?4)",
            params![budget.name, budget.period(), price.to_sql(), time::to_millis(now)],
        )
        .map_err(|e| self.sql(e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| self.sql(e))?;
        Ok(Reservation { id, price })
    }

    /// Settles a reservation: billed and possibly billed keep their price counted, not billed
    /// releases it.
    pub fn settle(
        &self,
        reservation: Reservation,
        settlement: Settlement,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        match settlement {
            Settlement::Billed | Settlement::PossiblyBilled => conn.execute(
                "UPDATE reservations SET state = ?2 WHERE id = ?1",
                params![
                    reservation.id,
                    if settlement == Settlement::Billed {
                        1
                    } else {
                        2
                    }
                ],
            ),
            Settlement::NotBilled => conn.execute(
                "DELETE FROM reservations WHERE id = ?1",
                params![reservation.id],
            ),
        }
        .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// What `budget` has committed: billed, possibly billed and still reserved.
    pub fn committed(&self, budget: &BudgetKey) -> Result<Yuan, StoreError> {
        let units: i64 = self
            .conn()
            .query_row(
                "SELECT coalesce(sum(price), 0) FROM reservations WHERE budget = ?1 AND period = ?2",
                params![budget.name, budget.period()],
                |row| row.get(0),
            )
            .map_err(|e| self.sql(e))?;
        Ok(Yuan::from_sql(units))
    }
}
