//! The spend ledger: every billed or possibly billed call, with its price, queryable by day
//! or vendor.

use std::time::SystemTime;

use rusqlite::params;
use shiming_codec::Vendor;
use shiming_numbers::Date;

use crate::error::StoreError;
use crate::money::Yuan;
use crate::store::{Store, vendor_from_name};
use crate::subject::Check;
use crate::time;

/// Whether a call is certainly charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    /// The vendor answered with a billed code.
    Billed,
    /// The request may have reached the vendor (a timeout after sending, a lost answer):
    /// treat it as spent.
    PossiblyBilled,
}

impl Billing {
    fn code(self) -> i64 {
        match self {
            Billing::Billed => 1,
            Billing::PossiblyBilled => 2,
        }
    }
}

/// One call that cost (or may have cost) money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendEntry {
    /// When the call was made; its UTC date is the ledger's day.
    pub at: SystemTime,
    /// The vendor called.
    pub vendor: Vendor,
    /// The check asked.
    pub check: Check,
    /// The price of one call.
    pub price: Yuan,
    /// Certainly billed, or possibly.
    pub billing: Billing,
}

/// How [`Store::spend`] groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendBy {
    /// One row per UTC day, oldest first.
    Day,
    /// One row per vendor, in [`Vendor::ALL`] order.
    Vendor,
}

/// Spend of one day or one vendor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct SpendRow {
    /// The day, when grouped by day.
    pub day: Option<Date>,
    /// The vendor, when grouped by vendor.
    pub vendor: Option<Vendor>,
    /// Calls certainly billed.
    pub billed_calls: u64,
    /// Calls possibly billed.
    pub possibly_billed_calls: u64,
    /// What the billed calls cost.
    #[serde(serialize_with = "yuan_text")]
    pub billed: Yuan,
    /// What the possibly billed calls may have cost.
    #[serde(serialize_with = "yuan_text")]
    pub possibly_billed: Yuan,
}

fn yuan_text<S: serde::Serializer>(yuan: &Yuan, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(yuan)
}

impl Store {
    /// Records one billed or possibly billed call.
    pub fn record_spend(&self, entry: &SpendEntry) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT INTO spend (day, at, vendor, check_kind, price, billing)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    time::utc_date(entry.at).to_string(),
                    time::to_millis(entry.at),
                    entry.vendor.as_str(),
                    crate::subject::code(entry.check),
                    entry.price.to_sql(),
                    entry.billing.code(),
                ])
            })
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// What was spent since `since` (a UTC date, inclusive; `None`: ever), grouped by day or
    /// by vendor.
    pub fn spend(&self, since: Option<Date>, by: SpendBy) -> Result<Vec<SpendRow>, StoreError> {
        let group = match by {
            SpendBy::Day => "day",
            SpendBy::Vendor => "vendor",
        };
        let sql = format!(
            "SELECT {group},
                    sum(billing = 1), sum(billing = 2),
                    coalesce(sum(CASE WHEN billing = 1 THEN price END), 0),
                    coalesce(sum(CASE WHEN billing = 2 THEN price END), 0)
             FROM spend WHERE day >= ?1 GROUP BY {group} ORDER BY {group}"
        );
        let since = since.map_or_else(String::new, |d| d.to_string());
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let raw = statement
            .query_map(params![since], |row| {
                <(String, i64, i64, i64, i64)>::try_from(row)
            })
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| self.sql(e))?;
        let mut rows = Vec::with_capacity(raw.len());
        for (label, billed_calls, possibly_calls, billed, possibly) in raw {
            let (day, vendor) = match by {
                SpendBy::Day => (
                    Some(Date::parse(&label).map_err(|_| {
                        self.corrupt(format!("unreadable day {label:?} in the ledger"))
                    })?),
                    None,
                ),
                SpendBy::Vendor => (
                    None,
                    Some(vendor_from_name(&label).ok_or_else(|| {
                        self.corrupt(format!("unknown vendor {label:?} in the ledger"))
                    })?),
                ),
            };
            rows.push(SpendRow {
                day,
                vendor,
                billed_calls: u64::try_from(billed_calls).unwrap_or(0),
                possibly_billed_calls: u64::try_from(possibly_calls).unwrap_or(0),
                billed: Yuan::from_sql(billed),
                possibly_billed: Yuan::from_sql(possibly),
            });
        }
        if by == SpendBy::Vendor {
            rows.sort_by_key(|r| r.vendor);
        }
        Ok(rows)
    }
}
