//! Builds the bundled transports from [`ClientOptions`]; their own error types stop here.

use crate::config::ClientOptions;
use crate::error::Error;

/// The async transport: reqwest, with the options' timeouts, size cap, user agent and roots.
#[cfg(feature = "async")]
pub(crate) fn reqwest_client(
    options: &ClientOptions,
) -> Result<shiming_reqwest::ReqwestClient, Error> {
    shiming_reqwest::ReqwestClientBuilder::from_settings(options.transport_settings())
        .build()
        .map_err(|error| Error::not_configured(None, error.to_string()))
}

/// The blocking transport: ureq, with the options' timeouts, size cap, user agent and roots.
#[cfg(feature = "blocking")]
pub(crate) fn ureq_client(options: &ClientOptions) -> Result<shiming_ureq::UreqClient, Error> {
    shiming_ureq::UreqClientBuilder::from_settings(options.transport_settings())
        .build()
        .map_err(|error| Error::not_configured(None, error.to_string()))
}
