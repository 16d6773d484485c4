//! A local, wire-faithful stand-in for the real-name vendors shiming speaks to: wapi.cn
//! (`/pyi/108/244`, `/pyi/62/169`), QXT (`/Phone_TwoElements`) and ihuyi
//! (`/idcard/operzwsc/Submit.json`, `/idcard/operzwsc/GetNum.json`), all on one HTTP server.
//!
//! It verifies signatures exactly as the vendor documents describe (independently of
//! `shiming-sign`, so a signer bug cannot hide behind an emulator with the same bug), answers
//! from a documented table of people and a deterministic rule for any other input, keeps a
//! balance and a billing ledger per vendor, rate-limits repeated checks of the same number, and
//! injects faults on demand (latency, connection reset, 502, truncated / slow / oversized
//! bodies, wrong content type, clock skew, PHP-ish quirks).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use shiming_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! let wapi_mobile = format!("{}/pyi/108/244", emulator.base_url());
//! # let _ = wapi_mobile;
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The behaviour (tables, magic inputs, fault syntax, control endpoints) is documented in
//! `docs/emulator.md`.

mod clock;
mod config;
mod control;
mod date;
mod delivery;
pub mod directory;
mod emulated;
mod endpoint;
mod fault_inputs;
mod faults;
mod ledger;
mod listener;
mod params;
mod ratelimit;
mod render;
mod server;
mod state;
// The one file that names the vendors: `Vendor`, `Ledger`, `sandbox`, `magic`, and each
// vendor's own public types.
mod vendors;

pub use config::{DEFAULT_BALANCE, DEFAULT_SEED, EmulatorConfig};
pub use faults::{DEFAULT_OVERSIZED_BYTES, DEFAULT_SLOW_BODY_MS, FaultSpecError, Faults};
pub use ledger::{OperationLedger, VendorLedger};
pub use ratelimit::RateLimit;
pub use server::{BlockingEmulator, Emulator, EmulatorHandle, RunningEmulator};
pub use vendors::*;

/// The header that injects faults into one request (same syntax as [`Faults::parse`]).
pub const FAULT_HEADER: &str = "x-emulator-fault";
