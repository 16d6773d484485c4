//! The blocking verifier (`feature = "blocking"`): ureq by default, any [`SyncHttpClient`]
//! on request. Same methods as the async [`Verifier`](crate#verifiers), minus `.await`.

use crate::chain::Call;
use crate::checked::Checked;
use crate::codec::redact::Redactor;
use crate::codec::transport::SyncHttpClient;
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

/// Runs real-name checks on the calling thread, with retries, clock-skew recovery and
/// failover.
///
/// Cheap to clone (one `Arc`), `Send + Sync`: share one between threads. The only shared
/// mutable state is the learned clock offset per vendor, an atomic. Backoff pauses sleep the
/// calling thread.
///
/// # Logs
///
/// **Filter ureq's log targets: add [`RECOMMENDED_LOG_DIRECTIVES`](crate::RECOMMENDED_LOG_DIRECTIVES)
/// (`ureq=info,ureq_proto=info`) to your `EnvFilter` / `RUST_LOG`.** The bundled transport,
/// ureq, logs through the `log` crate, which reaches `tracing` once a bridge is installed
/// (tracing-subscriber's `init()` installs one). Without the directives, at TRACE `ureq_proto`
/// hex-dumps every response — the vendors echo the checked name, mobile and ID number — and
/// with [`Method::Get`](crate::Method) `ureq` logs each request URL at DEBUG, secrets
/// included for wapi Hash mode, QXT and ihuyi static passwords. shiming's own logs carry the
/// person masked and never a secret; the directives make that hold for the whole stack.
///
/// ```no_run
/// use shiming::blocking::Verifier;
/// use shiming::{VerifierConfig, Verdict};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::new(VerifierConfig::from_env()?)?;
/// let checked = verifier.mobile_two_elements("张三", "18688888888")?;
/// if checked.answer.verdict == Verdict::Match {
///     println!("{} says the name matches ({} attempt(s))", checked.vendor, checked.attempts);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Parts<Box<dyn SyncHttpClient + Send + Sync>>>,
}

impl Verifier {
    /// A verifier over the bundled ureq transport, configured from `config.transport`.
    pub fn new(config: VerifierConfig) -> Result<Self, Error> {
        let client = crate::transports::ureq_client(&config.transport)?;
        Self::with_client(config, client)
    }

    /// A verifier over your own HTTP stack: any [`SyncHttpClient`], closures included
    /// (`|request| -> Result<HttpResponse, TransportError> { … }`).
    pub fn with_client(
        config: VerifierConfig,
        client: impl SyncHttpClient + Send + Sync + 'static,
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
    pub fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.drive(self.inner.core.mobile_two_elements(name, mobile))
    }

    /// Does `name` own `mobile`? Asks `vendor` only (wapi or QXT), no failover.
    pub fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.drive(
            self.inner
                .core
                .mobile_two_elements_with(vendor, name, mobile),
        )
    }

    /// Does `name` own the ID card `id_number`? (wapi.)
    pub fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.drive(self.inner.core.id_two_elements(name, id_number))
    }

    /// Operator, real operator after porting, tenure and ported flag of `mobile` (ihuyi).
    pub fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        self.drive(self.inner.core.mobile_status(mobile))
    }

    /// The checks left on the ihuyi account.
    pub fn balance(&self) -> Result<Checked<BalanceAnswer>, Error> {
        self.drive(self.inner.core.balance())
    }

    /// Drives one check's [`Chain`](crate::chain::Chain) with the blocking client, inside the check's span.
    fn drive<T: Scrub>(&self, call: Call<'_, T>) -> Result<Checked<T>, Error> {
        let Call {
            check,
            subject,
            chain,
        } = call;
        telemetry::traced(check, subject, || {
            let mut chain = chain?;
            loop {
                let request = chain.prepare()?;
                let result = chain.span().in_scope(|| self.inner.client.call(request));
                match chain.judge(result) {
                    Next::Done(result) => return result,
                    Next::Again(pause) if pause.is_zero() => {}
                    Next::Again(pause) => std::thread::sleep(pause),
                }
            }
        })
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
