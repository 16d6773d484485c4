//! Plugging your own HTTP stack: closures over the bare reqwest and ureq crates are clients.
//! Here they also inject emulator faults per request with the `x-emulator-fault` header.

use crate::flavor::{Async, Blocking, Flavor, bare_ureq_agent, send_with_ureq};
use crate::world::World;
use shiming::codec::transport::{HttpRequest, HttpResponse, TransportError};
use shiming::{Vendor, Verdict};
use shiming_emulator::{EmulatorConfig, FAULT_HEADER, directory};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Marks the first `faulty` requests with `fault`.
fn inject(request: &mut HttpRequest, counter: &AtomicU32, faulty: u32, fault: &'static str) {
    if counter.fetch_add(1, Ordering::Relaxed) < faulty {
        request
            .headers_mut()
            .insert(FAULT_HEADER, http::HeaderValue::from_static(fault));
    }
}

#[test]
fn an_async_closure_over_bare_reqwest_is_a_client() {
    let world = World::start();
    shiming_test_support::install_ring_provider();
    let http = reqwest::Client::new();
    let sent = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&sent);
    let client = move |mut request: HttpRequest| {
        let http = http.clone();
        inject(&mut request, &counter, 1, "502");
        async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| TransportError::invalid_request(e.to_string()))?;
            let response = http.execute(request).await.map_err(|e| {
                if e.is_connect() {
                    TransportError::connect(e.to_string())
                } else {
                    TransportError::io(e.to_string())
                }
            })?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response
                .bytes()
                .await
                .map_err(|e| TransportError::io(e.to_string()))?;
            let mut out = http::Response::new(body.to_vec());
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            Ok(out)
        }
    };
    let verifier = Async::with_client(world.config(), client).expect("a verifier");
    let person = directory::MOBILE_MATCH;
    let checked = verifier
        .check_mobile(person)
        .expect("answered after one error page");
    assert_eq!((checked.vendor, checked.attempts), (Vendor::Wapi, 2));
    assert_eq!(sent.load(Ordering::Relaxed), 2);
    assert_eq!(world.ledger(Vendor::Wapi, "mobile_two_elements").faulted, 1);
}

#[test]
fn a_blocking_closure_over_bare_ureq_is_a_client() {
    let world = World::start();
    let agent = bare_ureq_agent();
    let sent = AtomicU32::new(0);
    let client = move |mut request: HttpRequest| -> Result<HttpResponse, TransportError> {
        inject(&mut request, &sent, 2, "code=-8");
        send_with_ureq(&agent, request)
    };
    let verifier = Blocking::with_client(world.config(), client).expect("a verifier");
    let person = directory::MOBILE_MISMATCH;
    let checked = verifier
        .mobile_two_elements_with(Vendor::Qxt, person.name, person.number)
        .expect("QXT -8 is unbilled and retryable");
    assert_eq!(
        (checked.answer.verdict, checked.attempts),
        (Verdict::Mismatch, 3)
    );
    let ledger = world.ledger(Vendor::Qxt, "mobile_two_elements");
    assert_eq!((ledger.requests, ledger.billed), (3, 1));
}

#[test]
fn verifiers_are_cheap_to_share() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<shiming::Verifier>();
    shareable::<shiming::blocking::Verifier>();
}

/// Hundreds of concurrent calls on one verifier, as the CLI's batch command makes them.
#[test]
fn one_async_verifier_serves_hundreds_of_concurrent_tasks() {
    const CALLS: u64 = 300;
    let world = World::with(EmulatorConfig::default().rate_limit(None));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let verifier = {
        let _context = runtime.enter();
        shiming::Verifier::new(world.config()).expect("a verifier")
    };
    let answered = runtime.block_on(async {
        let tasks: Vec<_> = (0..CALLS)
            .map(|i| {
                let verifier = verifier.clone();
                // Spawning proves the call's future is Send.
                tokio::spawn(async move {
                    let mobile = format!("1380013{:04}", i);
                    verifier.mobile_two_elements("张三", &mobile).await
                })
            })
            .collect();
        let mut answered = 0;
        for task in tasks {
            let checked = task.await.expect("the task ran").expect("answered");
            assert_eq!(checked.attempts, 1);
            answered += 1;
        }
        answered
    });
    assert_eq!(answered, CALLS);
    assert_eq!(
        world.ledger(Vendor::Wapi, "mobile_two_elements").requests,
        CALLS
    );
}
