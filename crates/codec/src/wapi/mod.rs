//! wapi.cn (挖数据): mobile + name (`/pyi/108/244`) and ID number + name (`/pyi/62/169`).
//!
//! Documents: `wapi-mobile-two-elements.txt`, `wapi-idcard-two-elements.txt`. The API host is
//! per account, so the base URL is required configuration. Requests are signed with
//! `shiming_sign::wapi` (see `docs/signing.md`); answers come as json, xml or jsonp and all
//! decode to the same model. Wire details and our conventions: `docs/vendors/wapi.md`.

mod config;
mod details;
mod envelope;
mod operations;
mod xml;

pub use config::{DEFAULT_JSONP_CALLBACK, WapiConfig, WapiFormat};
pub use details::{IdDetails, MobileDetails};
pub use operations::{IdTwoElements, MobileTwoElements};
pub use shiming_sign::wapi::AuthMode;

/// Path of the mobile + name check, appended to the account's base URL.
pub const MOBILE_TWO_ELEMENTS_PATH: &str = "/pyi/108/244";
/// Path of the ID number + name check, appended to the account's base URL.
pub const ID_TWO_ELEMENTS_PATH: &str = "/pyi/62/169";
