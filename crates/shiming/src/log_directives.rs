//! The log filter directives a program using shiming should add to its subscriber.

/// Filter directives that keep the HTTP transports' wire-level logs out of your logs: add
/// them to whatever filter you already have (`EnvFilter`, `RUST_LOG`, env_logger's filter —
/// the syntax is the same).
///
/// **Why.** The blocking verifier's transport, ureq, logs through the `log` crate, and those
/// records reach `tracing` as soon as a `log` → `tracing` bridge is installed, which
/// tracing-subscriber's `init()` / `try_init()` do by default. At TRACE, target `ureq_proto`
/// hex-dumps every byte of every exchange — request heads and whole response bodies, in which
/// the vendors echo the checked name, mobile number and ID number — and with
/// [`Method::Get`](crate::Method) target `ureq` logs the whole request URL at DEBUG (every
/// parameter, and in wapi Hash mode, for QXT and for an ihuyi static password the secret
/// itself). shiming cannot change what ureq logs, and does not touch your global `log` level;
/// these directives cap the two targets at INFO, where ureq writes nothing about requests.
///
/// With them, nothing shiming's verifiers do (async or blocking, POST or GET) puts a secret
/// or an unmasked person into your logs at any level: shiming's own spans and events carry
/// the subject masked (张*, 186****8888, 110105********002X). That is tested end to end in
/// `tests/secrets_filtered.rs`. The async verifier's stack (reqwest, hyper) logs no request
/// data, but the directives do no harm there either.
///
/// Append them after your own directives: for the same target the later directive wins (a
/// more specific one of yours, such as `ureq_proto::util=trace`, still beats them).
///
/// ```
/// use tracing_subscriber::EnvFilter;
///
/// let yours = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
/// let filter = EnvFilter::try_new(format!("{yours},{}", shiming::RECOMMENDED_LOG_DIRECTIVES))?;
/// let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// or in the environment: `RUST_LOG=debug,ureq=info,ureq_proto=info`.
pub const RECOMMENDED_LOG_DIRECTIVES: &str = "ureq=info,ureq_proto=info";

#[cfg(all(test, feature = "blocking"))]
mod tests {
    #[test]
    fn the_facade_recommends_what_the_transport_recommends() {
        assert_eq!(
            super::RECOMMENDED_LOG_DIRECTIVES,
            shiming_ureq::RECOMMENDED_LOG_DIRECTIVES
        );
    }
}
