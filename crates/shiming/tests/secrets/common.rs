//! What the two secrets suites share: the sentinel secret and person (test-support's, with
//! the forms a leak can take), log capture routed per test thread, the emulator and the client
//! configurations, and one run of every operation.

use crate::flavor::{Async, Blocking, Flavor};
use shiming::codec::ihuyi::IhuyiConfig;
use shiming::codec::qxt::QxtConfig;
use shiming::codec::wapi::{WapiConfig, WapiFormat};
use shiming::{
    AuthMode, Error, Method, PasswordMode, RetryPolicy, Secret, TransportSettings, Vendor,
    VerifierConfig,
};
use shiming_emulator::{BlockingEmulator, Emulator, EmulatorConfig, WapiAuth, magic};
use std::cell::RefCell;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Duration;
use tracing_subscriber::fmt::MakeWriter;

#[allow(unused_imports)] // each suite uses its own part
pub(crate) use shiming_test_support::sentinel::{
    ACCOUNT, APPID, ID_NUMBER, MOBILE, NAME, OTHER_SECRET, QXT_KEY, SECRET, assert_no_person,
    assert_no_secret,
};

// --- capture -------------------------------------------------------------------------------

/// A buffer the subscriber writes into (shared with `telemetry.rs`).
pub(crate) use crate::capture::Captured as Buffer;

thread_local! {
    static THREAD_BUFFER: RefCell<Option<Buffer>> = const { RefCell::new(None) };
}

pub(crate) fn stray() -> &'static Buffer {
    static STRAY: OnceLock<Buffer> = OnceLock::new();
    STRAY.get_or_init(Buffer::default)
}

/// Everything any thread logged, in one buffer: for what a test must find without knowing
/// which thread wrote it (a warning given once per process).
pub(crate) fn everything() -> &'static Buffer {
    static EVERYTHING: OnceLock<Buffer> = OnceLock::new();
    EVERYTHING.get_or_init(Buffer::default)
}

/// Writes each event into the buffer of the thread that emitted it, and into
/// [`everything`].
pub(crate) struct Routed;

impl<'a> MakeWriter<'a> for Routed {
    type Writer = Copies;

    fn make_writer(&'a self) -> Copies {
        Copies(
            THREAD_BUFFER
                .with(|b| b.borrow().clone())
                .unwrap_or_else(|| stray().clone()),
        )
    }
}

/// A writer into one buffer and [`everything`].
pub(crate) struct Copies(Buffer);

impl Write for Copies {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        everything().clone().write_all(bytes)?;
        self.0.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the process-wide subscriber (once: the first call's `directives` win) at the
/// `EnvFilter` `directives`, every span event and the `log` bridge included, writing through
/// [`Routed`]; then routes this thread's output into a fresh buffer.
pub(crate) fn capture(directives: &str) -> Buffer {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::util::SubscriberInitExt;
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::try_new(directives).expect("valid directives"))
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(Routed)
            .finish()
            // Also installs the `log` → `tracing` bridge: ureq and reqwest log through `log`.
            .try_init()
            .expect("the only subscriber of this binary");
    });
    route_this_thread()
}

/// Routes this thread's output into a fresh buffer (after the binary installed its
/// subscriber, writing through [`Routed`]).
pub(crate) fn route_this_thread() -> Buffer {
    let buffer = Buffer::default();
    THREAD_BUFFER.with(|b| *b.borrow_mut() = Some(buffer.clone()));
    buffer
}

// --- what may not appear -------------------------------------------------------------------

/// An error as it would be logged: nothing secret, nothing personal, in either rendering.
#[track_caller]
pub(crate) fn assert_error_is_clean(error: &Error) {
    for text in [error.to_string(), format!("{error:?}"), source_chain(error)] {
        assert_no_secret("an error", &text);
        assert_no_person("an error", &text);
    }
}

pub(crate) fn source_chain(error: &Error) -> String {
    let mut out = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        out.push_str(&format!("{e} / {e:?}\n"));
        source = e.source();
    }
    out
}

/// The target of ureq-proto's TRACE records: a hex dump of every byte on the wire.
pub(crate) const WIRE_DUMP: &str = " ureq_proto::util: ";

/// The log lines other than ureq-proto's wire dumps: the one part of an unfiltered TRACE log
/// that is not clean, which `shiming::RECOMMENDED_LOG_DIRECTIVES` exists to silence (see
/// `secrets.rs` for what they hold without the directives, `secrets_filtered.rs` with them).
pub(crate) fn without_wire_dumps(text: &str) -> String {
    text.lines()
        .filter(|line| !line.contains(WIRE_DUMP))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// The bytes ureq-proto's wire dumps show, reassembled (each dump line holds 16 bytes as hex
/// groups, then the printable ones), so a value split over two lines is found too.
pub(crate) fn wire_dumps(text: &str) -> String {
    let mut bytes = Vec::new();
    for line in text.lines() {
        let Some((_, dump)) = line.split_once(WIRE_DUMP) else {
            continue;
        };
        let hex = dump.split("  ").next().unwrap_or("");
        for group in hex.split_whitespace() {
            for pair in group.as_bytes().chunks(2) {
                let pair = std::str::from_utf8(pair).unwrap_or("");
                if let Ok(byte) = u8::from_str_radix(pair, 16) {
                    bytes.push(byte);
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What the logs of a test must satisfy at its end, the stray buffer included: the part of
/// them `checked` selects holds no secret and no unmasked person. Returns that part.
#[track_caller]
pub(crate) fn assert_logs_clean_in(buffer: &Buffer, checked: fn(&str) -> String) -> String {
    let text = checked(&buffer.text());
    assert_no_secret("the logs", &text);
    assert_no_person("the logs", &text);
    let stray = checked(&stray().text());
    assert_no_secret("the logs of other threads", &stray);
    assert_no_person("the logs of other threads", &stray);
    text
}

// --- the world -----------------------------------------------------------------------------

pub(crate) fn emulator(auth: WapiAuth, secret: &str, qxt_key: &str) -> BlockingEmulator {
    Emulator::start_blocking(
        EmulatorConfig::default()
            .wapi_appid(APPID)
            .wapi_secret(secret)
            .wapi_auth(auth)
            .qxt_apikey(qxt_key)
            .ihuyi_account(ACCOUNT)
            .ihuyi_apikey(secret),
    )
    .expect("the emulator starts")
}

/// One way of configuring the client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Variant {
    pub(crate) auth: AuthMode,
    pub(crate) format: Format,
    pub(crate) method: Method,
    pub(crate) password: PasswordMode,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    Json,
    Xml,
    Jsonp,
}

impl Variant {
    /// POST (the default) in every wire format and auth mode, static and dynamic ihuyi
    /// passwords — the modes where the secret itself travels included.
    pub(crate) fn all_posts() -> Vec<Variant> {
        let mut all = Vec::new();
        for auth in [AuthMode::Md5, AuthMode::Hash] {
            for format in [Format::Json, Format::Xml, Format::Jsonp] {
                for password in [PasswordMode::Dynamic, PasswordMode::Static] {
                    all.push(Variant {
                        auth,
                        format,
                        method: Method::Post,
                        password,
                    });
                }
            }
        }
        all
    }

    pub(crate) fn emulator_auth(self) -> WapiAuth {
        match self.auth {
            AuthMode::Hash => WapiAuth::Hash,
            _ => WapiAuth::Md5,
        }
    }

    pub(crate) fn config(self, base_url: &str, secret: &str, qxt_key: &str) -> VerifierConfig {
        let format = match self.format {
            Format::Json => WapiFormat::Json,
            Format::Xml => WapiFormat::Xml,
            Format::Jsonp => WapiFormat::jsonp("cb"),
        };
        let wapi = WapiConfig::new(base_url, APPID, Secret::new(secret))
            .expect("a wapi config")
            .with_auth(self.auth)
            .with_format(format)
            .with_method(self.method);
        let qxt = QxtConfig::new(Secret::new(qxt_key))
            .with_base_url(base_url)
            .expect("a QXT config")
            .with_method(self.method);
        let ihuyi = IhuyiConfig::new(ACCOUNT, Secret::new(secret))
            .with_base_url(base_url)
            .expect("an ihuyi config")
            .with_password_mode(self.password)
            .with_method(self.method);
        VerifierConfig::new()
            .wapi(wapi)
            .qxt(qxt)
            .ihuyi(ihuyi)
            .retry(
                RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_millis(2)),
            )
            .transport(TransportSettings::default().timeout(Duration::from_millis(1500)))
    }
}

/// Every operation for the sentinel person (and a few magic numbers), checking every result.
pub(crate) fn exercise<F: Flavor>(verifier: &F) {
    let mut results: Vec<Result<String, Error>> = vec![
        verifier
            .mobile_two_elements(NAME, MOBILE)
            .map(|c| format!("{c:?}")),
        verifier
            .mobile_two_elements_with(Vendor::Qxt, NAME, MOBILE)
            .map(|c| format!("{c:?}")),
        verifier
            .id_two_elements(NAME, ID_NUMBER)
            .map(|c| format!("{c:?}")),
        verifier.mobile_status(MOBILE).map(|c| format!("{c:?}")),
        verifier.balance().map(|c| format!("{c:?}")),
    ];
    // Refusals, the sign mismatch included: the sentinel name rides along.
    for mobile in [
        magic::wapi::mobile::SIGN_INVALID,
        magic::wapi::mobile::CLOCK_SKEW,
        magic::wapi::mobile::RATE_LIMITED,
        magic::wapi::mobile::SERVER_ERROR,
    ] {
        results.push(
            verifier
                .mobile_two_elements_with(Vendor::Wapi, NAME, mobile)
                .map(|c| format!("{c:?}")),
        );
    }
    results.push(
        verifier
            .mobile_two_elements_with(Vendor::Qxt, NAME, magic::qxt::SYSTEM_ERROR)
            .map(|c| format!("{c:?}")),
    );
    results.push(
        verifier
            .mobile_status(magic::ihuyi::PASSWORD_WRONG)
            .map(|c| format!("{c:?}")),
    );
    // Offline refusals by the codec: their messages name what is wrong.
    results.push(
        verifier
            .mobile_two_elements_with(Vendor::Wapi, "", MOBILE)
            .map(|c| format!("{c:?}")),
    );
    results.push(verifier.id_two_elements(NAME, "").map(|c| format!("{c:?}")));
    for result in results {
        match result {
            // An answer is the caller's data: it may echo the person, never the secret.
            Ok(answer) => assert_no_secret("an answer's Debug", &answer),
            Err(error) => assert_error_is_clean(&error),
        }
    }
}

pub(crate) fn each_flavor(config: impl Fn() -> VerifierConfig, run: impl Fn(&dyn Fn())) {
    run(&|| exercise(&Async::new(config()).expect("an async verifier")));
    run(&|| exercise(&Blocking::new(config()).expect("a blocking verifier")));
}
