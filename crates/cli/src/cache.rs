//! The command's verdict store: where it lives, and a checker that uses it.
//!
//! Single checks and batches remember billed answers (see `shiming_store`) so that a repeat
//! never pays again. The store lives in the platform's data directory (owner-only), one file
//! for real accounts and another for the sandbox, whose made-up answers must never answer
//! for a real account. `--no-cache` bypasses it; `--cache PATH` chooses the file.

use crate::config::Prices;
use crate::global::GlobalArgs;
use shiming::codec::{TwoElementAnswer, Vendor};
use shiming::{CachedVerifier, Checked, Error, StatusAnswer, Verifier};
use shiming_store::{Check, Store, StoreOptions, Yuan};
use std::path::PathBuf;
use std::sync::Arc;

/// The store file the command uses, or `None` with `--no-cache`.
pub(crate) fn store_path(global: &GlobalArgs, sandbox: bool) -> Result<Option<PathBuf>, String> {
    if global.no_cache {
        return Ok(None);
    }
    if let Some(path) = &global.cache {
        return Ok(Some(path.clone()));
    }
    let dirs = directories::ProjectDirs::from("", "", "shiming")
        .ok_or("no home directory to keep the verdict store in: pass --cache PATH or --no-cache")?;
    let dir = dirs.data_dir();
    create_private_dir(dir)
        .map_err(|e| format!("cannot create {} for the verdict store: {e}", dir.display()))?;
    let file = if sandbox {
        "sandbox-verdicts.sqlite"
    } else {
        "verdicts.sqlite"
    };
    Ok(Some(dir.join(file)))
}

/// Opens the store the command uses; the error names the file and how to go on without it.
pub(crate) fn open(global: &GlobalArgs, sandbox: bool) -> Result<Option<Arc<Store>>, String> {
    let Some(path) = store_path(global, sandbox)? else {
        return Ok(None);
    };
    Store::open(&path, StoreOptions::new())
        .map(|store| Some(Arc::new(store)))
        .map_err(|e| format!("{e} (--no-cache checks without it)"))
}

fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// The yuan a call costs, from the command's prices.
pub(crate) fn price(prices: &Prices, vendor: Vendor, check: Check) -> Option<Yuan> {
    prices.get(vendor, check).map(to_yuan)
}

/// A price in yuan (validated non-negative and finite) in the store's exact units.
pub(crate) fn to_yuan(yuan: f64) -> Yuan {
    Yuan::from_units((yuan.max(0.0) * 10_000.0).round() as u64)
}

/// Asks the vendor, through the verdict store when there is one.
#[derive(Debug, Clone)]
pub(crate) enum Checker {
    /// No store (`--no-cache`).
    Plain(Verifier),
    /// Repeats answered from the store; identical checks in flight share one call.
    Cached(CachedVerifier),
}

impl Checker {
    /// `verifier`, with `store` when there is one, recording spend at `prices`.
    pub(crate) fn new(verifier: Verifier, store: Option<Arc<Store>>, prices: Prices) -> Self {
        match store {
            None => Checker::Plain(verifier),
            Some(store) => Checker::Cached(
                CachedVerifier::new(verifier, store)
                    .with_prices(move |vendor, check| price(&prices, vendor, check)),
            ),
        }
    }

    /// The verifier underneath (for calls the store does not keep: `balance`).
    pub(crate) fn verifier(&self) -> &Verifier {
        match self {
            Checker::Plain(v) => v,
            Checker::Cached(c) => c.verifier(),
        }
    }

    /// Mobile two-element check, failover chain.
    pub(crate) async fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        match self {
            Checker::Plain(v) => v.mobile_two_elements(name, mobile).await,
            Checker::Cached(c) => c.mobile_two_elements(name, mobile).await,
        }
    }

    /// Mobile two-element check at one vendor.
    pub(crate) async fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        match self {
            Checker::Plain(v) => v.mobile_two_elements_with(vendor, name, mobile).await,
            Checker::Cached(c) => c.mobile_two_elements_with(vendor, name, mobile).await,
        }
    }

    /// ID two-element check.
    pub(crate) async fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        match self {
            Checker::Plain(v) => v.id_two_elements(name, id_number).await,
            Checker::Cached(c) => c.id_two_elements(name, id_number).await,
        }
    }

    /// Operator status of a mobile.
    pub(crate) async fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        match self {
            Checker::Plain(v) => v.mobile_status(mobile).await,
            Checker::Cached(c) => c.mobile_status(mobile).await,
        }
    }
}
