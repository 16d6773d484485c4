//! Builds the bundled transports from [`ClientOptions`]; their own error types stop here.

use crate::config::ClientOptions;
use crate::error::Error;

/// The async transport: reqwest, with the options' timeouts, size cap, user agent and roots.
#[cfg(feature = "async")]
pub(crate) fn reqwest_client(
    options: &ClientOptions,
) -> Result<shiming_reqwest::ReqwestClient, Error> {
    let mut builder = shiming_reqwest::ReqwestClient::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.total_timeout)
        .max_response_bytes(options.max_body_bytes)
        .user_agent(options.user_agent.as_str());
    for pem in &options.extra_root_certs_pem {
        builder = builder.add_root_certificates_pem(pem);
    }
    builder
        .build()
        .map_err(|error| Error::not_configured(None, error.to_string()))
}

/// The blocking transport: ureq, with the options' timeouts, size cap, user agent and roots.
#[cfg(feature = "blocking")]
pub(crate) fn ureq_client(options: &ClientOptions) -> Result<shiming_ureq::UreqClient, Error> {
    let mut builder = shiming_ureq::UreqClient::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.total_timeout)
        .max_response_bytes(options.max_body_bytes)
        .user_agent(options.user_agent.as_str());
    for pem in &options.extra_root_certs_pem {
        builder = builder.add_root_certificates_pem(pem);
    }
    builder
        .build()
        .map_err(|error| Error::not_configured(None, error.to_string()))
}
