//! What the overhead benchmarks share: a loopback emulator, the exact request a shiming call
//! sends (prepared once for the bare clients), both verifiers and both bare clients, and the
//! calls they time.

// Each benchmark is its own crate and uses only a part of this module.
#![allow(dead_code)]

use shiming::codec::Operation;
use shiming::codec::wapi::{MobileTwoElements, WapiConfig};
use shiming::{Checked, Clock, Secret, SystemClock, TwoElementAnswer, Vendor, VerifierConfig};
use shiming_emulator::directory::{self, Person};
use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, sandbox};
use std::error::Error;
use std::hint::black_box;

/// Whom every call asks about: a matching mobile owner.
pub(crate) const PERSON: Person = directory::MOBILE_MATCH;

/// The emulator, the prepared request and the clients that send it.
pub(crate) struct Bench {
    pub(crate) emulator: BlockingEmulator,
    pub(crate) request: Prepared,
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) clients: Clients,
}

/// The request a shiming call sends, prepared once for the bare clients, and what made it.
pub(crate) struct Prepared {
    pub(crate) check: MobileTwoElements,
    pub(crate) wapi: WapiConfig,
    url: String,
    content_type: String,
    body: Vec<u8>,
}

/// The verifiers and the bare clients they are compared with.
pub(crate) struct Clients {
    pub(crate) verifier: shiming::Verifier,
    pub(crate) blocking: shiming::blocking::Verifier,
    pub(crate) bare_reqwest: reqwest::Client,
    pub(crate) bare_ureq: ureq::Agent,
}

impl Bench {
    /// Starts an emulator with `emulator` (no rate limit: the benchmarks ask about the same
    /// number thousands of times) and builds the clients.
    pub(crate) fn start(emulator: EmulatorConfig) -> Result<Bench, Box<dyn Error>> {
        let emulator = Emulator::start_blocking(emulator.rate_limit(None))?;
        let request = Prepared::new(emulator.base_url())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let config = || wapi_config(emulator.base_url()).map(|w| VerifierConfig::new().wapi(w));
        let (verifier, bare_reqwest) = {
            let _context = runtime.enter();
            let verifier = shiming::Verifier::new(config()?)?;
            shiming_test_support::install_ring_provider();
            (verifier, bare_reqwest().build()?)
        };
        let clients = Clients {
            verifier,
            blocking: shiming::blocking::Verifier::new(config()?)?,
            bare_reqwest,
            bare_ureq: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into(),
        };
        Ok(Bench {
            emulator,
            request,
            runtime,
            clients,
        })
    }

    /// The verifiers' configuration: the emulator's wapi sandbox account.
    pub(crate) fn config(&self) -> VerifierConfig {
        let wapi = wapi_config(self.emulator.base_url()).expect("a valid wapi config");
        VerifierConfig::new().wapi(wapi)
    }

    /// The prepared request sent by a bare reqwest client, the body read.
    pub(crate) fn reqwest_call(&self, client: &reqwest::Client) {
        let Prepared {
            url,
            content_type,
            body,
            ..
        } = &self.request;
        self.runtime.block_on(async {
            let response = client
                .post(url)
                .header(http::header::CONTENT_TYPE, content_type)
                .body(body.clone())
                .send()
                .await
                .expect("sent");
            black_box(response.bytes().await.expect("read"));
        });
    }

    /// The prepared request sent by a bare ureq agent, the body read.
    pub(crate) fn ureq_call(&self, agent: &ureq::Agent) {
        let request = &self.request;
        let mut response = agent
            .post(&request.url)
            .header(http::header::CONTENT_TYPE, &request.content_type)
            .send(&request.body[..])
            .expect("sent");
        black_box(response.body_mut().read_to_vec().expect("read"));
    }

    /// `request` sent by the bare ureq agent, answered as the client seam answers.
    pub(crate) fn ureq_run(&self, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let mut response = self.clients.bare_ureq.run(request).expect("sent");
        let bytes = response.body_mut().read_to_vec().expect("read");
        let mut answer = http::Response::new(bytes);
        *answer.status_mut() = response.status();
        answer
    }

    /// The prepared request again, as an `http::Request` (for a canned answer).
    pub(crate) fn http_request(&self) -> http::Request<Vec<u8>> {
        let request = &self.request;
        http::Request::post(&request.url)
            .header(http::header::CONTENT_TYPE, &request.content_type)
            .body(request.body.clone())
            .expect("a request")
    }

    /// The check through the async verifier `verifier`.
    pub(crate) fn async_check(&self, verifier: &shiming::Verifier) -> Checked<TwoElementAnswer> {
        let call = verifier.mobile_two_elements_with(Vendor::Wapi, PERSON.name, PERSON.number);
        self.runtime.block_on(call).expect("answered")
    }
}

/// The check through the blocking verifier `verifier`.
pub(crate) fn blocking_check(verifier: &shiming::blocking::Verifier) -> Checked<TwoElementAnswer> {
    verifier
        .mobile_two_elements_with(Vendor::Wapi, PERSON.name, PERSON.number)
        .expect("answered")
}

impl Prepared {
    fn new(base_url: &str) -> Result<Prepared, Box<dyn Error>> {
        let wapi = wapi_config(base_url)?;
        let check = MobileTwoElements::new(PERSON.name, PERSON.number);
        let request = check.prepare(&wapi, SystemClock.now())?;
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .ok_or("a form content type")?
            .to_owned();
        Ok(Prepared {
            url: request.uri().to_string(),
            body: request.body().clone(),
            content_type,
            check,
            wapi,
        })
    }
}

/// The emulator's wapi sandbox account at `base_url`.
fn wapi_config(base_url: &str) -> Result<WapiConfig, shiming::codec::BuildError> {
    WapiConfig::new(
        base_url,
        sandbox::WAPI_APPID,
        Secret::new(sandbox::WAPI_SECRET),
    )
}

/// A bare reqwest client builder as shiming-reqwest starts one: no redirects.
pub(crate) fn bare_reqwest() -> reqwest::ClientBuilder {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none())
}
