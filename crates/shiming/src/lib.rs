//! shiming (实名): real-name checks against Chinese carrier and ID-card vendors.
//!
//! With no default features this is the signer and the codec only.

pub use shiming_codec as codec;
pub use shiming_sign as sign;
