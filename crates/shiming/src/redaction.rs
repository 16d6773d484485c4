//! Every text that leaves the facade passes one [`Redactor`] (`shiming_codec::redact`).
//!
//! The verifier builds a base redactor from the configured secrets once
//! ([`VerifierConfig::redactor`]); each check adds its subject (name, mobile, ID number) and
//! each attempt its signed request (wapi's `sign`, QXT's `apikey`, ihuyi's `password`). What
//! goes through it: the answer's vendor message and code, the answer's text details, every
//! error's message (vendor refusal, transport failure, decode failure with its excerpt) and
//! the `tracing` fields that quote them. An error source that still mentions a needle is
//! dropped rather than passed on.

use crate::codec::redact::Redactor;
use crate::config::VerifierConfig;

impl VerifierConfig {
    /// A redactor that knows every configured secret (wapi secret, QXT apikey, ihuyi APIKEY):
    /// use it on any text of your own that may quote a vendor's answer or a request. Add the
    /// subject of a check with [`Redactor::name`], [`Redactor::mobile`] and
    /// [`Redactor::id_number`]. Secrets shorter than
    /// [`MIN_NEEDLE_BYTES`](crate::codec::redact::MIN_NEEDLE_BYTES) are not looked for.
    pub fn redactor(&self) -> Redactor {
        let mut redactor = Redactor::new();
        for secret in crate::vendors::secrets(self) {
            redactor.secret(secret);
        }
        redactor
    }
}

#[cfg(any(feature = "async", feature = "blocking"))]
pub(crate) use with_transports::*;

#[cfg(any(feature = "async", feature = "blocking"))]
mod with_transports {
    use crate::codec::TwoElementAnswer;
    use crate::codec::redact::Redactor;
    use crate::telemetry::Subject;
    use crate::{BalanceAnswer, StatusAnswer};

    /// `base` plus the person a check is about.
    pub(crate) fn for_subject(base: &Redactor, subject: Subject<'_>) -> Redactor {
        let mut redactor = base.clone();
        if let Some(name) = subject.name {
            redactor.name(name);
        }
        if let Some(mobile) = subject.mobile {
            redactor.mobile(mobile);
        }
        if let Some(id_number) = subject.id_number {
            redactor.id_number(id_number);
        }
        redactor
    }

    /// An answer whose text fields can be scrubbed in place.
    pub(crate) trait Scrub {
        /// Scrubs every text field: fully, except the vendor's echo of the person (name,
        /// mobile, ID number, kept for callers who compare it), which loses secrets only.
        fn scrub(&mut self, redactor: &Redactor);
    }

    impl Scrub for TwoElementAnswer {
        fn scrub(&mut self, r: &Redactor) {
            crate::vendors::scrub_details(&mut self.details, r);
        }
    }

    impl Scrub for StatusAnswer {
        fn scrub(&mut self, r: &Redactor) {
            if let StatusAnswer::Found(status) = self
                && let Some(serial) = &mut status.serial
            {
                // A serial number is long digits on purpose: needles only, no digit-run pass.
                *serial = r.scrub_needles(serial);
            }
        }
    }

    impl Scrub for BalanceAnswer {
        fn scrub(&mut self, _: &Redactor) {}
    }
}

#[cfg(test)]
mod tests {
    use crate::codec::qxt::QxtConfig;
    use crate::codec::wapi::WapiConfig;
    use crate::sign::Secret;
    use crate::{IhuyiConfig, VerifierConfig};

    #[test]
    fn the_config_redactor_knows_every_configured_secret() {
        let config = VerifierConfig::new()
            .wapi(
                WapiConfig::new("http://127.0.0.1:9", "1", Secret::new("wapi-secret-01"))
                    .expect("valid"),
            )
            .qxt(QxtConfig::new(Secret::new("qxt-apikey-0123456789")))
            .ihuyi(IhuyiConfig::new("acct", Secret::new("ihuyi-key-01")));
        let redactor = config.redactor();
        assert_eq!(
            redactor.scrub("wapi-secret-01 qxt-apikey-0123456789 ihuyi-key-01 acct"),
            "<redacted> <redacted> <redacted> acct"
        );
        assert!(!format!("{redactor:?}").contains("secret-01"));
    }
}
