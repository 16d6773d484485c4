//! The one redactor every text leaving shiming goes through: error messages, decode-error
//! excerpts, the vendors' messages, `tracing` fields.
//!
//! A server or error page that echoes the request quotes whatever the request carried: the
//! QXT apikey, wapi's `sign` (which in Hash mode *is* the secret), ihuyi's password, the
//! checked name, mobile number and ID number. A [`Redactor`] knows those values — the
//! configured secrets, each request's signature parameters, the subject of the check — and
//! replaces them wherever they appear:
//!
//! - a **secret** (a configured credential or a signature value) becomes `<redacted>`, in its
//!   raw, URL-encoded (form and RFC 3986), JSON-escaped (serde's and PHP's `\/`, `\uXXXX`)
//!   and HTML-escaped forms, since an echo may encode it;
//! - the checked **name** becomes its mask (`张*`), also when percent-encoded, `\u`-escaped
//!   or written as HTML character references;
//! - the checked **mobile** and **ID number** become their masks ([`crate::mask`]);
//! - with [`mask_numbers`](Redactor::mask_numbers) on (the default of [`Redactor::new`]), any
//!   other run of 11 or more digits — someone's mobile or ID number — is masked too.
//!
//! Matching ignores ASCII case (percent-encoding and `\u` escapes come in both cases). Where
//! two needles overlap, the whole overlapping stretch is replaced by `<redacted>`, so no part
//! of either survives.
//!
//! **Needles shorter than [`MIN_NEEDLE_BYTES`] (4) bytes are ignored**: a three-character
//! "secret" (or an empty one) would otherwise redact every occurrence of a common fragment and
//! make every message unreadable. A secret that short is no secret anyway; say so in the
//! configuration rather than here.
//!
//! The transports also use [`Redactor::for_uri`] to keep a request's URL and query (which carry
//! signatures and API keys in GET requests) out of their own error messages.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use crate::mask;
use crate::transport::HttpRequest;

/// What replaces a secret-bearing string in a message.
pub const REDACTED: &str = "<redacted>";

/// Needles shorter than this many bytes are not looked for (see the module documentation).
pub const MIN_NEEDLE_BYTES: usize = 4;

/// Request parameters whose values are secrets: wapi's `sign` (the secret itself in Hash
/// mode), QXT's `apikey`, ihuyi's `password` (dynamic, or the APIKEY itself when static).
pub const SECRET_PARAMS: [&str; 3] = [
    shiming_sign::wapi::SIGN_PARAM,
    shiming_sign::qxt::APIKEY_PARAM,
    "password",
];

/// Digit runs this long or longer are masked by [`Redactor::mask_numbers`] (mobiles are 11,
/// ID numbers 15 or 18).
const LONG_NUMBER_DIGITS: usize = 11;

/// Whether a needle is a secret (replaced whole) or personal data (masked).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Secret,
    Personal,
}

#[derive(Clone)]
struct Needle {
    /// ASCII-lowercased, matched against the ASCII-lowercased text.
    lower: String,
    /// The escape characters (`%`, `\`, `&`) it contains ([`escapes`]): a text without one of
    /// them cannot contain the needle, so most needles are skipped for plain messages.
    escapes: u8,
    class: Class,
    /// What a match becomes.
    replacement: String,
}

/// Replaces secrets and masks personal data in text (see the module documentation).
///
/// Cheap to clone. `Debug` shows only how many needles it holds, never them.
///
/// ```
/// use shiming_codec::redact::Redactor;
///
/// let mut redactor = Redactor::new();
/// redactor
///     .secret("SENTINEL-apikey-0123")
///     .name("张三丰")
///     .mobile("18612348888");
/// assert_eq!(
///     redactor.scrub("echo: apikey=SENTINEL-apikey-0123&name=%E5%BC%A0%E4%B8%89%E4%B8%B0&mobile=18612348888"),
///     "echo: apikey=<redacted>&name=张**&mobile=186****8888"
/// );
/// ```
#[derive(Clone, Default)]
pub struct Redactor {
    /// The forms without escape characters (raw, mostly): looked for in every text.
    needles: Vec<Needle>,
    /// The values whose escaped forms (percent, `\u`, character references) are only built
    /// when a text contains an escape character: most texts (short vendor messages) do not,
    /// and building them for every check would cost more than the rest of the call.
    deferred: Vec<Deferred>,
    mask_numbers: bool,
}

/// A value whose escaped forms are built on demand.
#[derive(Clone)]
struct Deferred {
    value: String,
    class: Class,
    replacement: String,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("needles", &self.needles.len())
            .field("deferred", &self.deferred.len())
            .field("mask_numbers", &self.mask_numbers)
            .finish()
    }
}

impl Redactor {
    /// A redactor with no needles yet that masks long digit runs.
    pub fn new() -> Self {
        Redactor {
            needles: Vec::new(),
            deferred: Vec::new(),
            mask_numbers: true,
        }
    }

    /// A redactor for one request's URI: the whole URI and its query are replaced by
    /// `<redacted>`. Digit runs are left alone (transport messages carry no personal data
    /// besides the URL).
    pub fn for_uri(uri: &http::Uri) -> Self {
        let mut redactor = Redactor::default();
        redactor.push(uri.to_string(), Class::Secret, REDACTED.to_owned());
        if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
            redactor.push(query.to_owned(), Class::Secret, REDACTED.to_owned());
        }
        redactor
    }

    /// Turns masking of other long digit runs (11+ digits: mobiles, ID numbers) on or off.
    pub fn mask_numbers(&mut self, on: bool) -> &mut Self {
        self.mask_numbers = on;
        self
    }

    /// Adds a secret value (a credential, a signature): replaced whole by `<redacted>`, in
    /// every encoding an echo may use. Ignored when shorter than [`MIN_NEEDLE_BYTES`].
    pub fn secret(&mut self, value: &str) -> &mut Self {
        if value.len() < MIN_NEEDLE_BYTES {
            return self;
        }
        self.value(value, Class::Secret, REDACTED.to_owned());
        self
    }

    /// Adds the checked person's name: masked (`张**`) in every encoding an echo may use.
    pub fn name(&mut self, name: &str) -> &mut Self {
        let name = name.trim();
        if name.len() < MIN_NEEDLE_BYTES {
            return self;
        }
        self.value(name, Class::Personal, mask::name(name));
        self
    }

    /// Adds `value`'s plain forms as needles now and its escaped forms for later.
    fn value(&mut self, value: &str, class: Class, replacement: String) {
        if self
            .deferred
            .iter()
            .any(|d| d.class == class && d.value == value)
        {
            return;
        }
        let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
        for form in [value.to_owned(), encoded] {
            if escapes(&form) == 0 {
                self.push(form, class, replacement.clone());
            }
        }
        self.deferred.push(Deferred {
            value: value.to_owned(),
            class,
            replacement,
        });
    }

    /// The needles that can occur in a text whose escape characters are `present`: the plain
    /// ones, plus the deferred values' escaped forms when the text has escapes.
    fn needles_for(&self, present: u8) -> Cow<'_, [Needle]> {
        if present == 0 || self.deferred.is_empty() {
            return Cow::Borrowed(&self.needles);
        }
        let mut all = self.needles.clone();
        for deferred in &self.deferred {
            for form in encoded_forms(&deferred.value) {
                let lower = form.to_ascii_lowercase();
                let escapes = escapes(&lower);
                if escapes != 0 {
                    all.push(Needle {
                        lower,
                        escapes,
                        class: deferred.class,
                        replacement: deferred.replacement.clone(),
                    });
                }
            }
        }
        Cow::Owned(all)
    }

    /// Adds the checked mobile number: masked (`186****8888`). Its digits alone are looked
    /// for too, so `+86 186-1234-8888` as given still finds `18612348888` in an echo.
    pub fn mobile(&mut self, mobile: &str) -> &mut Self {
        let digits: String = mobile.chars().filter(char::is_ascii_digit).collect();
        let digits = match digits.strip_prefix("86") {
            Some(national) if digits.len() == 13 => national.to_owned(),
            _ => digits,
        };
        self.number(mobile, digits, mask::mobile)
    }

    /// Adds the checked ID number: masked (`110105********002X`), its `X` in either case.
    pub fn id_number(&mut self, id_number: &str) -> &mut Self {
        let compact: String = id_number
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        self.number(id_number, compact, mask::id_number)
    }

    fn number(&mut self, value: &str, compact: String, masker: fn(&str) -> String) -> &mut Self {
        let value = value.trim();
        let forms = if compact == value {
            vec![compact]
        } else {
            vec![value.to_owned(), compact]
        };
        for form in forms {
            if form.len() >= MIN_NEEDLE_BYTES {
                let masked = masker(&form);
                self.push(form, Class::Personal, masked);
            }
        }
        self
    }

    /// Adds the values of the request's secret parameters ([`SECRET_PARAMS`]), from its query
    /// and from a form body, as secrets.
    pub fn request(&mut self, request: &HttpRequest) -> &mut Self {
        let query = request.uri().query().unwrap_or_default().as_bytes();
        for source in [query, request.body().as_slice()] {
            // Only the secret parameters are decoded (their names need no decoding).
            for pair in source.split(|b| *b == b'&') {
                let key = pair.split(|b| *b == b'=').next().unwrap_or_default();
                if SECRET_PARAMS.iter().any(|p| p.as_bytes() == key) {
                    for (_, value) in form_urlencoded::parse(pair) {
                        self.secret(&value);
                    }
                }
            }
        }
        self
    }

    /// The length in bytes of the longest needle (0 when there is none).
    pub fn longest_needle(&self) -> usize {
        // An escaped form is at most 4 bytes per byte of its value (`&#1234;` for a two-byte
        // character is 7).
        let deferred = self.deferred.iter().map(|d| d.value.len() * 4);
        self.needles
            .iter()
            .map(|n| n.lower.len())
            .chain(deferred)
            .max()
            .unwrap_or(0)
    }

    /// Whether this redactor has nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty() && self.deferred.is_empty() && !self.mask_numbers
    }

    /// `text` with every secret replaced, the subject masked and (when on) long digit runs
    /// masked.
    pub fn scrub(&self, text: &str) -> String {
        self.scrub_cow(text).into_owned()
    }

    /// [`scrub`](Self::scrub), borrowing `text` back when there was nothing to change (the
    /// usual case: no copy is made).
    pub fn scrub_cow<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let out = self.replace(text, None);
        if !self.mask_numbers {
            return out;
        }
        match mask_long_numbers(&out) {
            Some(masked) => Cow::Owned(masked),
            None => out,
        }
    }

    /// Scrubs `text` in place ([`scrub`](Self::scrub)), touching it only when something changes.
    pub fn scrub_in_place(&self, text: &mut String) {
        if let Cow::Owned(scrubbed) = self.scrub_cow(text) {
            *text = scrubbed;
        }
    }

    /// `text` with only the secrets replaced: for fields that hold the person on purpose (a
    /// vendor's echo of the name) and must still never carry a key.
    pub fn scrub_secrets(&self, text: &str) -> String {
        self.replace(text, Some(Class::Secret)).into_owned()
    }

    /// [`scrub_secrets`](Self::scrub_secrets) in place, touching `text` only when a secret is in it.
    pub fn scrub_secrets_in_place(&self, text: &mut String) {
        if let Cow::Owned(scrubbed) = self.replace(text, Some(Class::Secret)) {
            *text = scrubbed;
        }
    }

    /// [`scrub`](Self::scrub) without the digit-run pass: for texts that mask numbers their
    /// own way (decode-error excerpts) or hold long numbers on purpose (a vendor's serial).
    pub fn scrub_needles(&self, text: &str) -> String {
        self.replace(text, None).into_owned()
    }

    /// Whether any needle appears in the Display of `error` or any of its sources (then the
    /// error must not be attached as a source, since callers may print the chain).
    pub fn mentioned_in_chain(&self, error: &(dyn StdError + 'static)) -> bool {
        let mut current = Some(error);
        while let Some(error) = current {
            let text = error.to_string().to_ascii_lowercase();
            let needles = self.needles_for(escapes(&text));
            if needles.iter().any(|n| text.contains(n.lower.as_str())) {
                return true;
            }
            current = error.source();
        }
        false
    }

    fn push(&mut self, form: String, class: Class, replacement: String) {
        if form.len() < MIN_NEEDLE_BYTES {
            return;
        }
        let lower = form.to_ascii_lowercase();
        if self
            .needles
            .iter()
            .any(|n| n.lower == lower && n.class == class)
        {
            return;
        }
        self.needles.push(Needle {
            escapes: escapes(&lower),
            lower,
            class,
            replacement,
        });
    }

    /// Replaces every match of the needles of `only` (all when `None`) in `text`. Matches are
    /// found on the original text, overlapping ones merged, and each stretch replaced once.
    fn replace<'t>(&self, text: &'t str, only: Option<Class>) -> Cow<'t, str> {
        if (self.needles.is_empty() && self.deferred.is_empty()) || text.len() < MIN_NEEDLE_BYTES {
            return Cow::Borrowed(text);
        }
        let lower: Cow<'_, str> = if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
        let present = escapes(&lower);
        let needles = self.needles_for(present);
        // (start, end, needle index), every occurrence, overlapping ones included.
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for (index, needle) in needles.iter().enumerate() {
            if only.is_some_and(|class| class != needle.class)
                || needle.escapes & !present != 0
                || needle.lower.len() > lower.len()
            {
                continue;
            }
            let mut from = 0;
            while let Some(found) = lower[from..].find(needle.lower.as_str()) {
                let start = from + found;
                hits.push((start, start + needle.lower.len(), index));
                // The next occurrence may overlap this one: resume one character on.
                from = start + lower[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        if hits.is_empty() {
            return Cow::Borrowed(text);
        }
        hits.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i < hits.len() {
            let (start, mut end, first) = hits[i];
            let mut replacement = needles[first].replacement.as_str();
            i += 1;
            while i < hits.len() && hits[i].0 < end {
                let (_, other_end, other) = hits[i];
                end = end.max(other_end);
                if needles[other].replacement != replacement {
                    // Two different values overlap: neither mask alone hides the stretch.
                    replacement = REDACTED;
                }
                i += 1;
            }
            out.push_str(&text[copied..start]);
            out.push_str(replacement);
            copied = end;
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }
}

/// Which of the escape characters `%`, `\\` and `&` occur in `text`, as bits.
fn escapes(text: &str) -> u8 {
    text.bytes().fold(0, |bits, b| {
        bits | match b {
            b'%' => 1,
            b'\\' => 2,
            b'&' => 4,
            _ => 0,
        }
    })
}

/// The forms an echo may give `value`: raw, percent-encoded (form encoding, RFC 3986 and every
/// byte), JSON-escaped (serde's; PHP's `\/` and `\uXXXX`) and HTML-escaped (entities for
/// `&<>"'`; decimal and hex character references for everything non-ASCII).
///
/// Built with one buffer per form (this runs for every check: its subject and signature).
fn encoded_forms(value: &str) -> Vec<String> {
    use std::fmt::Write as _;
    let mut forms = vec![
        value.to_owned(),
        form_urlencoded::byte_serialize(value.as_bytes()).collect(),
        percent(value, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
        }),
        percent(value, |_| false),
    ];
    forms.extend(html_escaped(value));
    let plain = value
        .chars()
        .all(|c| c.is_ascii() && !c.is_ascii_control() && !matches!(c, '"' | '\\' | '/'));
    if !plain {
        let json = serde_json::to_string(value).unwrap_or_default();
        if let Some(inner) = json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) {
            forms.push(inner.to_owned());
            forms.push(inner.replace('/', "\\/"));
        }
        let mut php = String::with_capacity(value.len() * 6);
        let mut hex = String::with_capacity(value.len() * 8);
        let mut decimal = String::with_capacity(value.len() * 8);
        for c in value.chars() {
            match c {
                '/' => php.push_str("\\/"),
                '"' => php.push_str("\\\""),
                '\\' => php.push_str("\\\\"),
                c if c.is_ascii() && !c.is_ascii_control() => php.push(c),
                c => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let _ = write!(php, "\\u{unit:04x}");
                    }
                }
            }
            if c.is_ascii() {
                hex.push(c);
                decimal.push(c);
            } else {
                let _ = write!(hex, "&#x{:x};", u32::from(c));
                let _ = write!(decimal, "&#{};", u32::from(c));
            }
        }
        forms.extend([php, hex, decimal]);
    }
    forms.sort_unstable();
    forms.dedup();
    forms
}

/// `value` with every byte `keep` refuses written `%XX`.
fn percent(value: &str, keep: impl Fn(u8) -> bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// `value` HTML-escaped the ways escapers differ on: `&` and `<` always, `>` and `"` or not,
/// `'` kept, `&#39;` or `&#x27;`.
fn html_escaped(value: &str) -> Vec<String> {
    if !value.contains(['&', '<', '>', '"', '\'']) {
        return vec![value.to_owned()];
    }
    let mut forms = Vec::with_capacity(12);
    for gt in [false, true] {
        for quot in [false, true] {
            for apos in ["'", "&#39;", "&#x27;"] {
                let mut out = String::with_capacity(value.len() + 16);
                for c in value.chars() {
                    match c {
                        '&' => out.push_str("&amp;"),
                        '<' => out.push_str("&lt;"),
                        '>' if gt => out.push_str("&gt;"),
                        '"' if quot => out.push_str("&quot;"),
                        '\'' => out.push_str(apos),
                        c => out.push(c),
                    }
                }
                forms.push(out);
            }
        }
    }
    forms
}

/// Masks every run of [`LONG_NUMBER_DIGITS`]+ digits (an ID number's final `X` included):
/// 11 digits as a mobile, 15 or 18 as an ID number, other lengths keeping three leading and
/// two trailing digits. `None` when there is none (nothing to copy).
fn mask_long_numbers(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        if i < bytes.len() && matches!(bytes[i], b'X' | b'x') && digits == 17 {
            i += 1;
        }
        let run = &text[start..i];
        if digits < LONG_NUMBER_DIGITS {
            continue;
        }
        out.push_str(&text[copied..start]);
        let masked = match run.len() {
            11 => mask::mobile(run),
            15 | 18 => mask::id_number(run),
            len => {
                let mut masked = String::with_capacity(len);
                masked.push_str(&run[..3]);
                masked.extend(std::iter::repeat_n('*', len - 5));
                masked.push_str(&run[len - 2..]);
                masked
            }
        };
        out.push_str(&masked);
        copied = i;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The error and its sources joined by `": "`, skipping a source whose text its parent
/// already shows.
pub fn describe(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut last = text.clone();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !part.is_empty() && !last.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        last = part;
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "S3cret/Key+01=";
    const NAME: &str = "测试哨兵";
    const MOBILE: &str = "13987654321";
    const ID: &str = "11010519900307123X";

    fn subject() -> Redactor {
        let mut redactor = Redactor::new();
        redactor
            .secret(SECRET)
            .name(NAME)
            .mobile(MOBILE)
            .id_number(ID);
        redactor
    }

    #[test]
    fn scrub_removes_url_and_query() {
        let uri: http::Uri = "http://h.example/p?sign=abc123&appid=7".parse().unwrap();
        let redactor = Redactor::for_uri(&uri);
        assert_eq!(
            redactor.scrub("failed for http://h.example/p?sign=abc123&appid=7 now"),
            "failed for <redacted> now"
        );
        assert_eq!(
            redactor.scrub("query sign=abc123&appid=7"),
            "query <redacted>"
        );
        assert_eq!(redactor.scrub("nothing here"), "nothing here");
        // The transports' redactor leaves numbers alone.
        assert_eq!(redactor.scrub("port 18612348888"), "port 18612348888");
    }

    #[test]
    fn secrets_are_replaced_in_every_encoding() {
        let redactor = subject();
        for form in [
            "S3cret/Key+01=",
            "S3cret%2FKey%2B01%3D",
            "s3cret%2fkey%2b01%3d",
            "S3cret\\/Key+01=",
            "%53%33%63%72%65%74%2F%4B%65%79%2B%30%31%3D",
            "S3CRET/KEY+01=",
        ] {
            assert_eq!(
                redactor.scrub(&format!("<p>key={form}&x=1</p>")),
                "<p>key=<redacted>&x=1</p>",
                "{form}"
            );
        }
        let mut html = Redactor::new();
        html.secret("a<b&c\"d");
        assert_eq!(html.scrub("v=a&lt;b&amp;c&quot;d."), "v=<redacted>.");
        // Escapers differ on `>` and quotes (found by the property test).
        let mut html = Redactor::new();
        html.secret("><a'a");
        for form in ["&gt;&lt;a&#39;a", ">&lt;a'a", "&gt;&lt;a&#x27;a"] {
            assert_eq!(html.scrub(form), "<redacted>", "{form}");
        }
    }

    #[test]
    fn the_name_is_masked_raw_percent_json_and_html() {
        let redactor = subject();
        for form in [
            NAME.to_owned(),
            "%E6%B5%8B%E8%AF%95%E5%93%A8%E5%85%B5".to_owned(),
            "%e6%b5%8b%e8%af%95%e5%93%a8%e5%85%b5".to_owned(),
            "\\u6d4b\\u8bd5\\u54e8\\u5175".to_owned(),
            "\\u6D4B\\u8BD5\\u54E8\\u5175".to_owned(),
            "&#x6d4b;&#x8bd5;&#x54e8;&#x5175;".to_owned(),
            "&#27979;&#35797;&#21736;&#20853;".to_owned(),
        ] {
            assert_eq!(
                redactor.scrub(&format!("{{\"msg\":\"{form} 不一致\"}}")),
                "{\"msg\":\"测*** 不一致\"}",
                "{form}"
            );
        }
    }

    #[test]
    fn the_subject_numbers_and_other_long_numbers_are_masked() {
        let redactor = subject();
        assert_eq!(
            redactor.scrub("手机号13987654321与身份证11010519900307123x不匹配"),
            "手机号139****4321与身份证110105********123X不匹配"
        );
        // Someone else's numbers, by shape.
        assert_eq!(
            redactor.scrub("18612348888 / 110105194912310021 / 8613987650000 / 1700000000"),
            "186****8888 / 110105********0021 / 861********00 / 1700000000"
        );
        let mut quiet = subject();
        quiet.mask_numbers(false);
        assert_eq!(quiet.scrub("18612348888"), "18612348888");
        assert_eq!(quiet.scrub(MOBILE), "139****4321");
    }

    #[test]
    fn overlapping_needles_hide_both() {
        let mut redactor = Redactor::new();
        redactor.secret("abcdef1234").secret("1234wxyz");
        // The two overlap on "1234": the whole stretch goes.
        assert_eq!(redactor.scrub("[abcdef1234wxyz]"), "[<redacted>]");
        // A needle inside another.
        let mut nested = Redactor::new();
        nested.secret("0123456789").secret("3456");
        assert_eq!(nested.scrub("x0123456789y3456z"), "x<redacted>y<redacted>z");
        // A self-overlapping secret: no fragment of the second occurrence survives.
        let mut repeating = Redactor::new();
        repeating.secret("abab");
        assert_eq!(repeating.scrub("xababab"), "x<redacted>");
        // A secret that contains the name: the secret wins.
        let mut mixed = Redactor::new();
        mixed.name("测试哨兵").secret("key-测试哨兵-1");
        assert_eq!(mixed.scrub("key-测试哨兵-1 测试哨兵"), "<redacted> 测***");
    }

    #[test]
    fn short_or_empty_secrets_redact_nothing() {
        let mut redactor = Redactor::new();
        redactor
            .secret("")
            .secret("a")
            .secret("abc")
            .name("")
            .mobile("12");
        assert!(redactor.needles.is_empty() && redactor.deferred.is_empty());
        assert_eq!(redactor.scrub("abc a abcabc"), "abc a abcabc");
        let mut four = Redactor::new();
        four.secret("abcd");
        assert_eq!(four.scrub("xabcdx"), "x<redacted>x");
    }

    #[test]
    fn request_signatures_are_secrets() {
        let request = http::Request::post("http://127.0.0.1:9/pyi?sign=d41d8cd98f00b204&appid=1")
            .body(b"apikey=qxt-key-0001&name=%E5%BC%A0&password=dyn-pass-42".to_vec())
            .unwrap();
        let mut redactor = Redactor::new();
        redactor.request(&request);
        assert_eq!(
            redactor.scrub("d41d8cd98f00b204 qxt-key-0001 dyn-pass-42 appid=1"),
            "<redacted> <redacted> <redacted> appid=1"
        );
    }

    #[test]
    fn scrub_secrets_keeps_the_person() {
        let redactor = subject();
        assert_eq!(
            redactor.scrub_secrets("测试哨兵 S3cret/Key+01="),
            "测试哨兵 <redacted>"
        );
    }

    #[test]
    fn debug_never_shows_a_needle() {
        let debug = format!("{:?}", subject());
        assert!(
            !debug.contains("S3cret") && !debug.contains("测试"),
            "{debug}"
        );
    }

    #[test]
    fn describe_joins_distinct_sources() {
        let inner = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let outer = std::io::Error::other(Wrapper(inner));
        assert_eq!(describe(&outer), "wrapper: refused");
    }

    #[derive(Debug)]
    struct Wrapper(std::io::Error);
    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("wrapper")
        }
    }
    impl StdError for Wrapper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }
}
