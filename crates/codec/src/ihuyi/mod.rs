//! ihuyi (互亿无线): operator status of a mobile number (`/idcard/operzwsc/Submit.json`) and
//! the remaining balance (`/idcard/operzwsc/GetNum.json`).
//!
//! Document: `ihuyi-operator-status.txt`. The password is either the APIKEY itself or, by
//! default, a dynamic MD5 password bound to the time (`shiming_sign::ihuyi`). Answers are
//! JSON. Wire details and our conventions: `docs/vendors/ihuyi.md`.

mod balance;
mod config;
mod status;

pub use balance::{Balance, BalanceAnswer};
pub use config::{DEFAULT_BASE_URL, IhuyiConfig};
pub use shiming_sign::ihuyi::PasswordMode;
pub use status::{Carrier, MobileStatus, OperatorStatus, StatusAnswer, Tenure};

/// Path of the operator-status check.
pub const SUBMIT_PATH: &str = "/idcard/operzwsc/Submit.json";
/// Path of the balance query.
pub const GET_NUM_PATH: &str = "/idcard/operzwsc/GetNum.json";
