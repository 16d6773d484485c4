//! The sentinels of the leak tests (shiming's `secrets.rs` and `secrets_filtered.rs`, the
//! command's `secrets.rs` and `leaks.rs`): a secret and a person that must never show, and the
//! forms in which they would.

/// The secret every vendor account of the sentinel world uses.
pub const SECRET: &str = "SENTINEL-SECRET-7f3a9c";
/// QXT wants exactly 32 characters: the sentinel, padded.
pub const QXT_KEY: &str = "SENTINEL-SECRET-7f3a9c-qxt-01234";
/// Another secret, for "the vendor knows a different one" (auth failures).
pub const OTHER_SECRET: &str = "other-secret-0123456789abcdef012";
/// The wapi appid of the sentinel world (not secret).
pub const APPID: &str = "probe-app";
/// The ihuyi account of the sentinel world (not secret).
pub const ACCOUNT: &str = "probe-account";

/// The sentinel person's name: valid-looking, in no emulator table.
pub const NAME: &str = "测试哨兵";
/// The sentinel person's mobile: a China Mobile number.
pub const MOBILE: &str = "13987654321";
/// The sentinel person's ID number: region 110105, born 1990-03-07, check digit right.
pub const ID_NUMBER: &str = "110105199003071239";

/// `text`'s UTF-8 bytes percent-encoded, in upper or lower case hex, as a form body or query
/// string carries them.
pub fn percent(text: &str, upper: bool) -> String {
    text.bytes()
        .map(|b| {
            if upper {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

/// `\uXXXX` escapes, as some JSON writers carry non-ASCII text.
pub fn json_escaped(text: &str) -> String {
    text.encode_utf16().map(|u| format!("\\u{u:04x}")).collect()
}

/// Every form of the sentinel secret that would be a leak: whole, or its distinctive start.
pub fn secret_forms() -> Vec<String> {
    vec![SECRET.into(), QXT_KEY.into(), "SENTINEL".into()]
}

/// A person's data as it may never appear unmasked in logs or results: whole, the name past
/// its surname, the birth date inside the ID number, and the name `\u`-escaped, as HTML
/// character references or percent-encoded.
pub fn person_forms(name: &str, mobile: &str, id_number: &str) -> Vec<String> {
    let tail: String = name.chars().skip(1).collect();
    let mut forms = vec![
        name.to_string(),
        tail.clone(),
        mobile.to_string(),
        id_number.to_string(),
        id_number.get(6..14).unwrap_or_default().to_string(),
        json_escaped(name),
        name.chars()
            .map(|c| format!("&#x{:x};", u32::from(c)))
            .collect(),
    ];
    for upper in [true, false] {
        forms.push(percent(name, upper));
        forms.push(percent(&tail, upper));
    }
    forms
}

/// Asserts that none of `forms` appears in `text`, in any ASCII case.
#[track_caller]
pub fn assert_none_of(forms: &[String], kind: &str, what: &str, text: &str) {
    let lower = text.to_ascii_lowercase();
    for form in forms {
        assert!(
            !lower.contains(&form.to_ascii_lowercase()),
            "{kind} ({form:?}) leaked into {what}:\n{text}"
        );
    }
}

/// Asserts that no form of the sentinel secret appears in `text`.
#[track_caller]
pub fn assert_no_secret(what: &str, text: &str) {
    assert_none_of(&secret_forms(), "the secret", what, text);
}

/// Asserts that no form of the sentinel person appears in `text`, nor their birth date as
/// wapi's ID answer writes it (for logs and errors, which never quote an answer).
#[track_caller]
pub fn assert_no_person(what: &str, text: &str) {
    let mut forms = person_forms(NAME, MOBILE, ID_NUMBER);
    forms.push("1990年03月07日".into());
    assert_none_of(&forms, "personal data", what, text);
}
