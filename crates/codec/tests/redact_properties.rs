//! Properties of the redactor: whatever surrounds it and however an echo encodes it, a secret
//! (at least `MIN_NEEDLE_BYTES` long) never survives a scrub, nor does the checked name, and a
//! decode-error excerpt rebuilt with the redactor never shows the start of a secret.

use proptest::prelude::*;
use shiming_codec::Operation;
use shiming_codec::redact::Redactor;
use shiming_codec::wapi;
use shiming_test_support::sentinel::percent;

/// The forms an echo may use for `value`, as the test writes them (independently of the
/// redactor's own list).
fn echo_forms(value: &str) -> Vec<String> {
    let json = serde_json::to_string(value).expect("a string serializes");
    let json = json[1..json.len() - 1].to_string();
    let unicode: String = value
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("\\u{u:04X}"))
                    .collect()
            }
        })
        .collect();
    vec![
        value.to_string(),
        percent(value, true),
        percent(value, false),
        json.clone(),
        json.replace('/', "\\/"),
        unicode,
        value.replace('&', "&amp;").replace('<', "&lt;"),
    ]
}

fn surrounding() -> impl Strategy<Value = String> {
    "[ -~\u{4e00}-\u{4e20}]{0,40}"
}

/// Where an echo stands: the text around it and which of [`echo_forms`] it takes.
#[derive(Debug, Clone)]
struct Echo {
    before: String,
    after: String,
    form: usize,
}

fn echo() -> impl Strategy<Value = Echo> {
    (surrounding(), surrounding(), 0usize..7).prop_map(|(before, after, form)| Echo {
        before,
        after,
        form,
    })
}

/// Scrubs `value`, echoed as `echo` says, with `redactor`, and checks that no case of that
/// form is left; the text and what the scrub made of it.
fn scrub_echo(
    redactor: &Redactor,
    value: &str,
    echo: &Echo,
) -> Result<(String, String), TestCaseError> {
    let Echo {
        before,
        after,
        form,
    } = echo;
    let form = *form;
    let forms = echo_forms(value);
    let text = format!("{before}{}{after}", forms[form]);
    let scrubbed = redactor.scrub(&text);
    prop_assert!(
        !scrubbed
            .to_ascii_lowercase()
            .contains(&forms[form].to_ascii_lowercase()),
        "{text:?} -> {scrubbed:?}"
    );
    Ok((text, scrubbed))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_secret_survives_any_encoding(secret in "[!-~]{4,40}", echo in echo()) {
        let mut redactor = Redactor::new();
        redactor.secret(&secret);
        let (text, scrubbed) = scrub_echo(&redactor, &secret, &echo)?;
        prop_assert!(scrubbed.contains("<redacted>"), "{text:?} -> {scrubbed:?}");
    }

    #[test]
    fn the_name_never_survives_any_encoding(name in "[\u{4e00}-\u{9fa5}]{2,4}", echo in echo()) {
        let mut redactor = Redactor::new();
        redactor.name(&name);
        scrub_echo(&redactor, &name, &echo)?;
    }

    #[test]
    fn short_secrets_change_nothing(secret in "[!-~]{0,3}", text in surrounding()) {
        let mut redactor = Redactor::new();
        redactor.secret(&secret).mask_numbers(false);
        prop_assert_eq!(redactor.scrub(&text), text);
    }

    #[test]
    fn an_excerpt_never_shows_the_start_of_a_secret(
        secret in "[A-Za-z0-9]{16,40}",
        padding in 100usize..200,
    ) {
        let mut redactor = Redactor::new();
        redactor.secret(&secret);
        let body = format!("<html>{}key={secret}</html>", "x".repeat(padding));
        let response = http::Response::builder()
            .status(502)
            .body(body.clone().into_bytes())
            .expect("a response");
        let error = wapi::MobileTwoElements::new("李雷", "13800138000")
            .decode(&response)
            .expect_err("an html page is no answer")
            .redacted(&redactor, body.as_bytes());
        prop_assert!(!error.excerpt().contains(&secret[..8]), "{}", error.excerpt());
        prop_assert!(!error.to_string().contains(&secret[..8]));
    }
}
