//! The async verifier (`feature = "async"`): reqwest by default, any [`AsyncHttpClient`] on
//! request.

use crate::checked::Checked;
use crate::codec::redact::Redactor;
use crate::codec::transport::AsyncHttpClient;
use crate::codec::{Operation, TwoElementAnswer, Vendor};
use crate::config::VerifierConfig;
use crate::core::Core;
use crate::error::Error;
use crate::exchange::{Exchange, Next};
use crate::redaction::Scrub;
use crate::telemetry::{self, Subject};
use crate::vendors::{BalanceCheck, IdCheck, StatusCheck, with_mobile_operation};
use crate::{BalanceAnswer, StatusAnswer};
use std::fmt;
use std::sync::Arc;
use tracing::Instrument;

/// Runs real-name checks asynchronously, with retries, clock-skew recovery and failover.
///
/// Cheap to clone (one `Arc`), `Send + Sync`: build one and share it between all tasks. The
/// only shared mutable state is the learned clock offset per vendor, an atomic. Backoff
/// pauses use Tokio's timer, so calls must run inside a Tokio runtime.
///
/// ```no_run
/// use shiming::{Verifier, VerifierConfig, Verdict};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::new(VerifierConfig::from_env()?)?;
/// let checked = verifier.mobile_two_elements("张三", "18688888888").await?;
/// if checked.answer.verdict == Verdict::Match {
///     println!("{} says the name matches ({} attempt(s))", checked.vendor, checked.attempts);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    core: Core,
    client: Box<dyn AsyncHttpClient>,
}

impl Verifier {
    /// A verifier over the bundled reqwest transport, configured from `config.transport`.
    pub fn new(config: VerifierConfig) -> Result<Self, Error> {
        let client = crate::transports::reqwest_client(&config.transport)?;
        Self::with_client(config, client)
    }

    /// A verifier over your own HTTP stack: any [`AsyncHttpClient`], closures included
    /// (`|request| async move { … }` returning `Result<HttpResponse, TransportError>`).
    pub fn with_client(
        config: VerifierConfig,
        client: impl AsyncHttpClient + 'static,
    ) -> Result<Self, Error> {
        Ok(Verifier {
            inner: Arc::new(Inner {
                core: Core::new(config)?,
                client: Box::new(client),
            }),
        })
    }

    /// The redactor of this verifier's configured secrets (see
    /// [`VerifierConfig::redactor`]): for texts of your own that may quote an answer.
    pub fn redactor(&self) -> &Redactor {
        self.inner.core.redactor()
    }

    /// Does `name` own `mobile`? Asks the vendors of the failover chain in order
    /// ([`VerifierConfig::mobile_vendors`]); moves on only after upstream trouble that
    /// certainly was not billed. The answer names the vendor that gave it.
    pub async fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let subject = Subject::name_and_mobile(name, mobile);
        let redactor = self.inner.core.redactor_for(subject);
        telemetry::traced_async(
            "mobile_two_elements",
            subject,
            self.mobile_chain(name, mobile, &redactor),
        )
        .await
    }

    /// Does `name` own `mobile`? Asks `vendor` only (wapi or QXT), no failover.
    pub async fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let subject = Subject::name_and_mobile(name, mobile);
        let redactor = self.inner.core.redactor_for(subject);
        let call = self.mobile_once(vendor, name, mobile, 0, &redactor);
        telemetry::traced_async("mobile_two_elements", subject, call).await
    }

    /// Does `name` own the ID card `id_number`? (wapi.)
    pub async fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let subject = Subject::name_and_id(name, id_number);
        let redactor = self.inner.core.redactor_for(subject);
        let call = async {
            let config = self.inner.core.account()?;
            let operation = IdCheck::new(name, id_number);
            self.run(&operation, config, 0, &redactor).await
        };
        telemetry::traced_async("id_two_elements", subject, call).await
    }

    /// Operator, real operator after porting, tenure and ported flag of `mobile` (ihuyi).
    pub async fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        let subject = Subject::mobile(mobile);
        let redactor = self.inner.core.redactor_for(subject);
        let call = async {
            let config = self.inner.core.account()?;
            let operation = StatusCheck::new(mobile);
            self.run(&operation, config, 0, &redactor).await
        };
        telemetry::traced_async("mobile_status", subject, call).await
    }

    /// The checks left on the ihuyi account.
    pub async fn balance(&self) -> Result<Checked<BalanceAnswer>, Error> {
        let call = async {
            let config = self.inner.core.account()?;
            self.run(&BalanceCheck, config, 0, self.inner.core.redactor())
                .await
        };
        telemetry::traced_async("balance", Subject::default(), call).await
    }

    async fn mobile_chain(
        &self,
        name: &str,
        mobile: &str,
        redactor: &Redactor,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let (last, first) = self.inner.core.mobile_chain()?;
        let mut sent = 0;
        for &vendor in first {
            match self.mobile_once(vendor, name, mobile, sent, redactor).await {
                Err(error) if self.inner.core.may_fail_over(&error) => {
                    tracing::warn!(error = %error, "failing over to the next vendor");
                    sent = error.attempts();
                }
                result => return result,
            }
        }
        self.mobile_once(last, name, mobile, sent, redactor).await
    }

    async fn mobile_once(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
        earlier_attempts: u32,
        redactor: &Redactor,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        with_mobile_operation!(vendor, name, mobile, |operation| {
            let config = self.inner.core.account()?;
            self.run(&operation, config, earlier_attempts, redactor)
                .await
        })
    }

    /// Drives one [`Exchange`] with the async client.
    async fn run<O>(
        &self,
        operation: &O,
        config: &O::Config,
        earlier_attempts: u32,
        redactor: &Redactor,
    ) -> Result<Checked<O::Output>, Error>
    where
        O: Operation + Sync,
        O::Config: Sync,
        O::Output: Send + Scrub,
    {
        let mut exchange = Exchange::new(
            operation,
            config,
            &self.inner.core.engine,
            earlier_attempts,
            redactor,
        );
        loop {
            let request = exchange.prepare()?;
            let span = exchange.span().clone();
            let result = self.inner.client.call(request).instrument(span).await;
            match exchange.judge(result) {
                Next::Done(result) => return result,
                Next::Again(pause) if pause.is_zero() => {}
                Next::Again(pause) => tokio::time::sleep(pause).await,
            }
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("core", &self.inner.core)
            .finish_non_exhaustive()
    }
}
