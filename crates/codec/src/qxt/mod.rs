//! QXT (企讯通, szqxt.com): mobile + name (`/Phone_TwoElements`).
//!
//! Document: `qxt-phone-two-elements.txt`. The key travels as the `apikey` parameter
//! (`shiming_sign::qxt`); answers are JSON, which the document shows with bare (unquoted)
//! keys — both spellings decode. Wire details and our conventions: `docs/vendors/qxt.md`.

mod config;
mod operation;

pub use config::{DEFAULT_BASE_URL, QxtConfig};
pub use operation::{MobileTwoElements, QxtDetails};

/// Path of the mobile + name check.
pub const MOBILE_TWO_ELEMENTS_PATH: &str = "/Phone_TwoElements";
