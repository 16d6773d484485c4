//! Builds the bundled transports from [`TransportSettings`]; their own error types stop here.

use crate::config::TransportSettings;
use crate::error::Error;

/// The async transport: reqwest, with the settings' timeouts, size cap, user agent and roots.
#[cfg(feature = "async")]
pub(crate) fn reqwest_client(
    settings: &TransportSettings,
) -> Result<shiming_reqwest::ReqwestClient, Error> {
    shiming_reqwest::ReqwestClient::with_settings(settings)
        .map_err(|error| Error::not_configured(None, error.to_string()))
}

/// The blocking transport: ureq, with the settings' timeouts, size cap, user agent and roots.
#[cfg(feature = "blocking")]
pub(crate) fn ureq_client(settings: &TransportSettings) -> Result<shiming_ureq::UreqClient, Error> {
    shiming_ureq::UreqClient::with_settings(settings)
        .map_err(|error| Error::not_configured(None, error.to_string()))
}
