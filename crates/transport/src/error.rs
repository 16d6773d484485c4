//! [`ConfigError`]: why a transport could not be built.

use std::fmt;

/// Why a transport could not be built from its settings; the message names the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    /// A configuration error with `message` (for transports: a certificate that does not
    /// parse, a TLS stack that cannot start).
    pub fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }

    /// What is wrong, without a prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid HTTP transport configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}
