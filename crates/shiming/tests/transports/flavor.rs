//! The two ways to use shiming, behind one interface, so every case is written once.

use shiming::codec::transport::{
    AsyncHttpClient, HttpRequest, HttpResponse, SyncHttpClient, TransportError,
};
use shiming::{
    BalanceAnswer, Checked, Error, StatusAnswer, TwoElementAnswer, Vendor, VerifierConfig,
};
use shiming_emulator::directory::Person;

/// The calls of [`Flavor`], each the verifier's own, finished by the flavor's `finish`.
macro_rules! calls {
    () => {
        fn mobile_two_elements(
            &self,
            name: &str,
            mobile: &str,
        ) -> Result<Checked<TwoElementAnswer>, Error> {
            self.finish(self.verifier.mobile_two_elements(name, mobile))
        }

        fn mobile_two_elements_with(
            &self,
            vendor: Vendor,
            name: &str,
            mobile: &str,
        ) -> Result<Checked<TwoElementAnswer>, Error> {
            self.finish(self.verifier.mobile_two_elements_with(vendor, name, mobile))
        }

        fn id_two_elements(
            &self,
            name: &str,
            id_number: &str,
        ) -> Result<Checked<TwoElementAnswer>, Error> {
            self.finish(self.verifier.id_two_elements(name, id_number))
        }

        fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
            self.finish(self.verifier.mobile_status(mobile))
        }

        fn balance(&self) -> Result<Checked<BalanceAnswer>, Error> {
            self.finish(self.verifier.balance())
        }
    };
}

/// A verifier as the cases see it: blocking calls. The async flavor runs each call to
/// completion on its own runtime.
pub(crate) trait Flavor: Sized {
    /// Builds the verifier over its bundled transport.
    fn new(config: VerifierConfig) -> Result<Self, Error>;
    fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error>;
    fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error>;
    fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error>;
    fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error>;
    fn balance(&self) -> Result<Checked<BalanceAnswer>, Error>;

    /// [`Flavor::new`] for a configuration the verifier must accept.
    fn over(config: VerifierConfig) -> Self {
        Self::new(config).expect("a verifier")
    }

    /// The mobile two-element check of a person of the emulator's directory.
    fn check_mobile(&self, person: Person) -> Result<Checked<TwoElementAnswer>, Error> {
        self.mobile_two_elements(person.name, person.number)
    }
}

/// `shiming::Verifier` (reqwest) on a current-thread tokio runtime.
pub(crate) struct Async {
    runtime: tokio::runtime::Runtime,
    verifier: shiming::Verifier,
}

impl Async {
    /// The async verifier over a custom client.
    #[allow(dead_code)]
    pub(crate) fn with_client(
        config: VerifierConfig,
        client: impl AsyncHttpClient + 'static,
    ) -> Result<Self, Error> {
        let runtime = runtime();
        let verifier = shiming::Verifier::with_client(config, client)?;
        Ok(Async { runtime, verifier })
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

impl Flavor for Async {
    fn new(config: VerifierConfig) -> Result<Self, Error> {
        let runtime = runtime();
        let verifier = {
            let _context = runtime.enter();
            shiming::Verifier::new(config)?
        };
        Ok(Async { runtime, verifier })
    }

    calls!();
}

impl Async {
    /// Runs a call of the async verifier to completion.
    fn finish<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(call)
    }
}

/// `shiming::blocking::Verifier` (ureq).
pub(crate) struct Blocking {
    verifier: shiming::blocking::Verifier,
}

impl Blocking {
    /// The blocking verifier over a custom client.
    #[allow(dead_code)]
    pub(crate) fn with_client(
        config: VerifierConfig,
        client: impl SyncHttpClient + Send + Sync + 'static,
    ) -> Result<Self, Error> {
        Ok(Blocking {
            verifier: shiming::blocking::Verifier::with_client(config, client)?,
        })
    }
}

impl Flavor for Blocking {
    fn new(config: VerifierConfig) -> Result<Self, Error> {
        Ok(Blocking {
            verifier: shiming::blocking::Verifier::new(config)?,
        })
    }

    calls!();
}

impl Blocking {
    /// A call of the blocking verifier is finished when it returns.
    fn finish<T>(&self, call: T) -> T {
        call
    }
}

/// Sends `request` with a bare ureq `agent`: the blocking client seam filled by hand, as a
/// user plugging their own ureq would.
#[allow(dead_code)]
pub(crate) fn send_with_ureq(
    agent: &ureq::Agent,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let response = agent
        .run(request)
        .map_err(|e| TransportError::io(e.to_string()))?;
    let (parts, mut body) = response.into_parts();
    let bytes = body
        .read_to_vec()
        .map_err(|e| TransportError::io(e.to_string()))?;
    Ok(http::Response::from_parts(parts, bytes))
}

/// A bare ureq agent that hands every HTTP status back as a response (the seam's contract:
/// statuses are the verifier's to judge).
#[allow(dead_code)]
pub(crate) fn bare_ureq_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}
