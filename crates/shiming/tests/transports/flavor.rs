//! The two ways to use shiming, behind one interface, so every case is written once.

use shiming::codec::transport::{AsyncHttpClient, SyncHttpClient};
use shiming::{
    BalanceAnswer, Checked, Error, StatusAnswer, TwoElementAnswer, Vendor, VerifierConfig,
};

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

    fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.runtime
            .block_on(self.verifier.mobile_two_elements(name, mobile))
    }

    fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.runtime
            .block_on(self.verifier.mobile_two_elements_with(vendor, name, mobile))
    }

    fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.runtime
            .block_on(self.verifier.id_two_elements(name, id_number))
    }

    fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        self.runtime.block_on(self.verifier.mobile_status(mobile))
    }

    fn balance(&self) -> Result<Checked<BalanceAnswer>, Error> {
        self.runtime.block_on(self.verifier.balance())
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

    fn mobile_two_elements(
        &self,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.verifier.mobile_two_elements(name, mobile)
    }

    fn mobile_two_elements_with(
        &self,
        vendor: Vendor,
        name: &str,
        mobile: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.verifier.mobile_two_elements_with(vendor, name, mobile)
    }

    fn id_two_elements(
        &self,
        name: &str,
        id_number: &str,
    ) -> Result<Checked<TwoElementAnswer>, Error> {
        self.verifier.id_two_elements(name, id_number)
    }

    fn mobile_status(&self, mobile: &str) -> Result<Checked<StatusAnswer>, Error> {
        self.verifier.mobile_status(mobile)
    }

    fn balance(&self) -> Result<Checked<BalanceAnswer>, Error> {
        self.verifier.balance()
    }
}
