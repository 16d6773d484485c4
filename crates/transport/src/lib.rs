//! The settings every bundled shiming HTTP transport (`shiming-reqwest`, `shiming-ureq`) is
//! built from, their defaults, and the one check of them.
//!
//! They live in their own small crate, below both transports and the facade, so that there
//! is one type with one name per setting: the facade re-exports [`TransportSettings`] and
//! hands it to whichever transport it builds, and a user of a transport alone builds the
//! same value. The sans-IO codec stays free of timeouts, user agents and certificates.
//!
//! ```
//! use std::time::Duration;
//! use shiming_transport::TransportSettings;
//!
//! let settings = TransportSettings::default()
//!     .connect_timeout(Duration::from_secs(2))
//!     .timeout(Duration::from_secs(10))
//!     .max_response_bytes(64 * 1024)
//!     .user_agent("my-app/1.0");
//! assert!(settings.validate().is_ok());
//!
//! let zero = TransportSettings::default().timeout(Duration::ZERO);
//! assert_eq!(
//!     zero.validate().unwrap_err().message(),
//!     "the timeout must be greater than zero"
//! );
//! ```

mod error;
mod settings;

pub use error::ConfigError;
pub use settings::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
    TransportSettings,
};
