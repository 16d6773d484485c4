//! Sans-IO request signers for Chinese real-name verification vendors.
//!
//! This is the bottom layer of shiming: plain functions from (parameters, credential, time) to
//! the value a request must carry. Nothing here performs I/O or reads the clock — the time is
//! an argument ([`UnixTime`]) — so every result is reproducible and the crate works with any
//! HTTP stack. It depends on `md-5` and nothing else.
//!
//! | vendor | module | what is computed |
//! |--------|--------|------------------|
//! | wapi.cn | [`wapi`] | `sign`: MD5 over the sorted parameters + secret, or the secret itself (Hash mode) |
//! | ihuyi | [`ihuyi`] | `password`: MD5 over account + APIKEY + `operzwsc` + mobile + time, or the APIKEY |
//! | QXT | [`qxt`] | nothing: the `apikey` parameter |
//!
//! Every signature keeps a record of what was hashed, with the secret replaced by `***`, so a
//! user chasing a wapi 10003 or an ihuyi 40502 can compare it with what the vendor expects
//! (`shiming sign` on the command line prints it; see `docs/signing.md`). Credentials live in
//! [`Secret`], which never prints its value and is wiped on drop; a signature value that *is*
//! a credential (wapi Hash mode, ihuyi static password) is masked in `Debug` and `Display` too.
//!
//! # Example
//!
//! ```
//! use shiming_sign::{Secret, UnixTime, wapi};
//!
//! let secret = Secret::new("0123456789abcdef0123456789abcdef");
//! let time = UnixTime(1604973925).to_string();
//! let params = [
//!     ("appid", "1"),
//!     ("mobile", "18688888888"),
//!     ("bank_name", "张三"),
//!     ("format", "json"),
//!     ("callback", ""), // empty: left out
//!     ("time", time.as_str()),
//! ];
//! let signature = wapi::sign(wapi::AuthMode::Md5, &params, &secret);
//!
//! // Goes on the wire as `sign=…`.
//! assert_eq!(signature.value(), "08a7f39cef0e714353077250f10db07c");
//! // What was hashed, for debugging a 10003 (the secret is masked).
//! assert_eq!(
//!     signature.canonical_masked(),
//!     "appid1bank_name张三formatjsonmobile18688888888time1604973925***",
//! );
//! // Secrets never print.
//! assert_eq!(format!("{secret:?}"), "***");
//! ```

pub mod ihuyi;
pub mod qxt;
mod secret;
mod signed;
mod time;
pub mod wapi;

pub use secret::Secret;
pub use signed::Signature;

/// Request parameters whose values are secrets, for redaction: wapi's `sign` (the secret
/// itself in Hash mode), QXT's `apikey`, ihuyi's `password` (dynamic, or the APIKEY itself
/// when static).
pub const SECRET_PARAMS: [&str; 3] = [wapi::SIGN_PARAM, qxt::APIKEY_PARAM, "password"];
pub use time::UnixTime;
