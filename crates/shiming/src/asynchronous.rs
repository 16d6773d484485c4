//! The async verifier (`feature = "async"`): reqwest by default, any [`AsyncHttpClient`] on
//! request.

use crate::chain::Call;
use crate::checked::Checked;
use crate::codec::redact::Redactor;
use crate::codec::transport::AsyncHttpClient;
use crate::codec::{TwoElementAnswer, Vendor};
use crate::config::VerifierConfig;
use crate::core::Parts;
use crate::error::Error;
use crate::exchange::Next;
use crate::redaction::Scrub;
use crate::telemetry;
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
    inner: Arc<Parts<Box<dyn AsyncHttpClient>>>,
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
        let inner = Parts::new(config, Box::new(client) as Box<_>)?;
        Ok(Verifier { inner })
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
        let call = self.inner.core.mobile_two_elements(name, mobile);
        self.drive(call).await
    }

    /// Does `name` own `mobile`? Asks `vendor` only (wapi or QXT), no failover.
    pub async fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let call = self
            .inner
            .core
            .mobile_two_elements_with(vendor, name, mobile);
        self.drive(call).await
    }

    /// Does `name` own the ID card `id_number`? (wapi.)
    pub async fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        let call = self.inner.core.id_two_elements(name, id_number);
        self.drive(call).await
    }

    /// Operator, real operator after porting, tenure and ported flag of `mobile` (ihuyi).
    pub async fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        let call = self.inner.core.mobile_status(mobile);
        self.drive(call).await
    }

    /// The checks left on the ihuyi account.
    pub async fn balance(&self) -> Result<Checked<BalanceAnswer>, Error> {
        let call = self.inner.core.balance();
        self.drive(call).await
    }

    /// Drives one check's [`Chain`](crate::chain::Chain) with the async client, inside the check's span.
    async fn drive<T: Scrub + Send>(&self, call: Call<'_, T>) -> Result<Checked<T>, Error> {
        let Call {
            check,
            subject,
            chain,
        } = call;
        let run = async {
            let mut chain = chain?;
            loop {
                let request = chain.prepare()?;
                let span = chain.span().clone();
                let result = self.inner.client.call(request).instrument(span).await;
                match chain.judge(result) {
                    Next::Done(result) => return result,
                    Next::Again(pause) if pause.is_zero() => {}
                    Next::Again(pause) => tokio::time::sleep(pause).await,
                }
            }
        };
        telemetry::traced_async(check, subject, run).await
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
