//! What the async and the blocking verifier share: validated vendor settings, the failover
//! chain, the [`Engine`], and each check's set-up as a [`Call`] — all but the I/O, which each
//! verifier does its own way.

use crate::chain::{Call, Chain};
use crate::codec::redact::Redactor;
use crate::codec::{Check, Operation, TwoElementAnswer, Vendor};
use crate::config::VerifierConfig;
use crate::error::Error;
use crate::exchange::{Engine, Exchange};
use crate::redaction::{self, Scrub};
use crate::telemetry::Subject;
use crate::url_secrets;
use crate::vendors::with_mobile_operation;
use crate::vendors::{self, Account, Accounts, BalanceCheck, IdCheck, StatusCheck};
use crate::{BalanceAnswer, StatusAnswer};
use std::fmt;
use std::sync::Arc;

/// What a verifier holds behind its `Arc`: the [`Core`] and the client that does its I/O.
pub(crate) struct Parts<C> {
    pub(crate) core: Core,
    pub(crate) client: C,
}

impl<C> Parts<C> {
    pub(crate) fn new(config: VerifierConfig, client: C) -> Result<Arc<Self>, Error> {
        let core = Core::new(config)?;
        Ok(Arc::new(Parts { core, client }))
    }
}

/// Either verifier prints as `Verifier { core: …, .. }`: never the client.
impl<C> fmt::Debug for Parts<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub(crate) struct Core {
    engine: Engine,
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

    /// Does `name` own `mobile`? Asks the vendors of the failover chain in order, moving on
    /// only after upstream trouble ([`policy::may_fail_over`](crate::policy::may_fail_over)).
    pub(crate) fn mobile_two_elements<'a>(
        &'a self,
        name: &'a str,
        mobile: &'a str,
    ) -> Call<'a, TwoElementAnswer> {
        let subject = Subject::name_and_mobile(name, mobile);
        let redactor = self.redactor_for(subject);
        let chain = self.mobile_chain().and_then(|(first, rest)| {
            let start = move |vendor, earlier_attempts| {
                self.mobile_exchange(vendor, name, mobile, earlier_attempts, &redactor)
            };
            let exchange = start(first, 0)?;
            let possibly_billed = self.failover_when_possibly_billed;
            Ok(Chain::failing_over(exchange, rest, possibly_billed, start))
        });
        Call::new("mobile_two_elements", subject, chain)
    }

    /// Does `name` own `mobile`? Asks `vendor` only.
    pub(crate) fn mobile_two_elements_with<'a>(
        &'a self,
        vendor: Vendor,
        name: &'a str,
        mobile: &'a str,
    ) -> Call<'a, TwoElementAnswer> {
        let subject = Subject::name_and_mobile(name, mobile);
        let exchange = self.mobile_exchange(vendor, name, mobile, 0, &self.redactor_for(subject));
        Call::new("mobile_two_elements", subject, exchange.map(Chain::one))
    }

    /// Does `name` own the ID card `id_number`?
    pub(crate) fn id_two_elements<'a>(
        &'a self,
        name: &'a str,
        id_number: &'a str,
    ) -> Call<'a, TwoElementAnswer> {
        self.one(
            "id_two_elements",
            Subject::name_and_id(name, id_number),
            IdCheck::new(name, id_number),
        )
    }

    /// The operator status of `mobile`.
    pub(crate) fn mobile_status<'a>(&'a self, mobile: &'a str) -> Call<'a, StatusAnswer> {
        let subject = Subject::mobile(mobile);
        self.one("mobile_status", subject, StatusCheck::new(mobile))
    }

    /// The checks left on the account.
    pub(crate) fn balance(&self) -> Call<'_, BalanceAnswer> {
        self.one("balance", Subject::default(), BalanceCheck)
    }

    /// A check of the one vendor offering `operation`.
    fn one<'a, O>(
        &'a self,
        check: &'static str,
        subject: Subject<'a>,
        operation: O,
    ) -> Call<'a, O::Output>
    where
        O: Operation<Config: Account + Sync, Output: Scrub> + Send + Sync + 'a,
    {
        let exchange = self.exchange(operation, 0, &self.redactor_for(subject));
        Call::new(check, subject, exchange.map(Chain::one))
    }

    /// The exchange of `vendor`'s mobile two-element operation.
    fn mobile_exchange(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
        earlier_attempts: u32,
        redactor: &Redactor,
    ) -> Result<Exchange<'_, TwoElementAnswer>, Error> {
        with_mobile_operation!(vendor, name, mobile, |operation| {
            self.exchange(operation, earlier_attempts, redactor)
        })
    }

    /// The exchange of `operation` with its vendor's configured account.
    fn exchange<'a, O>(
        &'a self,
        operation: O,
        earlier_attempts: u32,
        redactor: &Redactor,
    ) -> Result<Exchange<'a, O::Output>, Error>
    where
        O: Operation<Config: Account + Sync, Output: Scrub> + Send + Sync + 'a,
    {
        let config = self.account::<O::Config>()?;
        Ok(Exchange::new(
            operation,
            config,
            &self.engine,
            earlier_attempts,
            redactor,
        ))
    }

    /// The redactor of one call about `subject`.
    fn redactor_for(&self, subject: Subject<'_>) -> Redactor {
        redaction::for_subject(&self.redactor, subject)
    }

    /// The configured account of the vendor whose config is `A`.
    fn account<A: Account>(&self) -> Result<&A, Error> {
        A::of(&self.accounts).ok_or_else(|| missing(A::VENDOR))
    }

    /// The mobile two-element failover chain as (first vendor, the vendors after it); an
    /// error when no vendor offering the check is configured.
    fn mobile_chain(&self) -> Result<(Vendor, &[Vendor]), Error> {
        match self.mobile_chain.split_first() {
            Some((first, rest)) => Ok((*first, rest)),
            None => Err(Error::not_configured(
                None,
                format!(
                    "the mobile two-element check needs {} to be configured",
                    vendors::prose(&vendors::offering(Check::MobileTwoElements), "or")
                ),
            )),
        }
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
