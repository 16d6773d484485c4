//! What the async and the blocking verifier share: validated vendor settings, the failover
//! chain and the [`Engine`].

use crate::codec::Check;
use crate::codec::Vendor;
use crate::codec::redact::Redactor;
use crate::config::VerifierConfig;
use crate::error::Error;
use crate::exchange::Engine;
use crate::policy;
use crate::redaction;
use crate::telemetry::Subject;
use crate::url_secrets;
use crate::vendors::{self, Account, Accounts};

#[derive(Debug)]
pub(crate) struct Core {
    pub(crate) engine: Engine,
    accounts: Accounts,
    mobile_chain: Vec<Vendor>,
    failover_when_possibly_billed: bool,
    /// Knows the configured secrets; each call adds its subject ([`Core::redactor_for`]).
    redactor: Redactor,
}

impl Core {
    /// Validates `config`; a failover chain naming an unconfigured vendor, a vendor without
    /// the check, or one vendor twice is refused here rather than on the first call. A GET
    /// configuration that puts a secret in URLs is accepted with a warning (`url_secrets`).
    pub(crate) fn new(config: VerifierConfig) -> Result<Core, Error> {
        validate_chain(&config)?;
        let mobile_chain = config.mobile_chain();
        url_secrets::warn_once(&crate::vendors::url_secrets(&config));
        let redactor = config.redactor();
        let engine = Engine::new(
            config.clock_or_system(),
            config.retry.clone(),
            config.transport.max_response_bytes,
        );
        Ok(Core {
            engine,
            redactor,
            mobile_chain,
            failover_when_possibly_billed: config.failover_when_possibly_billed,
            accounts: Accounts::of(config),
        })
    }

    /// The redactor of the configured secrets.
    pub(crate) fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The redactor of one call about `subject`.
    pub(crate) fn redactor_for(&self, subject: Subject<'_>) -> Redactor {
        redaction::for_subject(&self.redactor, subject)
    }

    /// The configured account of the vendor whose config is `A`.
    pub(crate) fn account<A: Account>(&self) -> Result<&A, Error> {
        A::of(&self.accounts).ok_or_else(|| missing(A::VENDOR))
    }

    /// The mobile two-element failover chain as (last vendor, the vendors before it); an
    /// error when no vendor offering the check is configured.
    pub(crate) fn mobile_chain(&self) -> Result<(Vendor, &[Vendor]), Error> {
        match self.mobile_chain.split_last() {
            Some((last, first)) => Ok((*last, first)),
            None => Err(Error::not_configured(
                None,
                format!(
                    "the mobile two-element check needs {} to be configured",
                    vendors::prose(&vendors::offering(Check::MobileTwoElements), "or")
                ),
            )),
        }
    }

    /// Whether the chain may move past a vendor that failed with `error`.
    pub(crate) fn may_fail_over(&self, error: &Error) -> bool {
        policy::may_fail_over(error.failure(), self.failover_when_possibly_billed)
    }
}

/// The error of a check that `vendor` does not offer.
pub(crate) fn not_offered(vendor: Vendor, check: &str) -> Error {
    Error::not_configured(
        Some(vendor),
        format!("{vendor} does not offer the {check} check"),
    )
}

fn missing(vendor: Vendor) -> Error {
    Error::not_configured(Some(vendor), format!("{vendor} is not configured"))
}

fn validate_chain(config: &VerifierConfig) -> Result<(), Error> {
    for (index, vendor) in config.mobile_vendors.iter().enumerate() {
        if !vendors::offers(*vendor, Check::MobileTwoElements) {
            return Err(not_offered(*vendor, "mobile two-element"));
        }
        if !config.has(*vendor) {
            return Err(Error::not_configured(
                Some(*vendor),
                format!("mobile_vendors names {vendor}, which is not configured"),
            ));
        }
        if config.mobile_vendors[..index].contains(vendor) {
            return Err(Error::not_configured(
                Some(*vendor),
                format!("mobile_vendors names {vendor} twice"),
            ));
        }
    }
    Ok(())
}
