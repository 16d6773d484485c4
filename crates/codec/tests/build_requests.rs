//! Snapshots of every request the codec builds, with a fixed clock and fixed fake
//! credentials: operation × vendor × format × method (× signing mode where there is one).
//!
//! Each snapshot shows the request line, headers and raw body as they go on the wire, then the
//! parameters percent-decoded so a reviewer can read the Chinese.

use shiming_codec::transport::HttpRequest;
use shiming_codec::wapi::{AuthMode, WapiConfig, WapiFormat};
use shiming_codec::{Method, Operation, Secret, UnixTime, ihuyi, qxt, wapi};

const NOW: UnixTime = UnixTime(1_700_000_000);
const WAPI_SECRET: &str = "0123456789abcdef0123456789abcdef";
const NAME: &str = "李雷";
const MOBILE: &str = "13800138000";
const ID_NUMBER: &str = "11010519491231002X";

/// The request as text: `METHOD uri`, headers (sorted), blank line, body, decoded parameters.
fn render(request: &HttpRequest) -> String {
    let mut out = format!("{} {}\n", request.method(), request.uri());
    let mut headers: Vec<String> = request
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.to_str().expect("ascii header")))
        .collect();
    headers.sort();
    for header in headers {
        out.push_str(&header);
        out.push('\n');
    }
    out.push('\n');
    let body = std::str::from_utf8(request.body()).expect("utf-8 body");
    out.push_str(if body.is_empty() { "(no body)" } else { body });
    out.push_str("\n\n# parameters, percent-decoded\n");
    let query = request.uri().query().unwrap_or_default();
    let encoded = if request.method() == http::Method::GET {
        query
    } else {
        body
    };
    for (key, value) in form_urlencoded::parse(encoded.as_bytes()) {
        out.push_str(&format!("{key} = {value}\n"));
    }
    out
}

fn snapshot(name: &str, request: HttpRequest) {
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, render(&request));
    });
}

fn wapi_config(format: WapiFormat, method: Method) -> WapiConfig {
    WapiConfig::new(
        "https://demo.api.storeapi.net",
        "1001",
        Secret::new(WAPI_SECRET),
    )
    .expect("valid config")
    .with_format(format)
    .with_method(method)
}

fn formats() -> [(&'static str, WapiFormat); 3] {
    [
        ("json", WapiFormat::Json),
        ("xml", WapiFormat::Xml),
        ("jsonp", WapiFormat::jsonp("shiming_cb")),
    ]
}

const METHODS: [(&str, Method); 2] = [("post", Method::Post), ("get", Method::Get)];

/// Snapshots `op` in every wapi format × method, MD5-signed, as `wapi__<op>__<format>__<method>__md5`.
fn snapshot_every_wapi_shape(op: &impl Operation<Config = WapiConfig>) {
    for (format_name, format) in formats() {
        for (method_name, method) in METHODS {
            let request = op
                .prepare(&wapi_config(format.clone(), method), NOW)
                .expect("builds");
            snapshot(
                &format!("wapi__{}__{format_name}__{method_name}__md5", op.name()),
                request,
            );
        }
    }
}

#[test]
fn wapi_mobile_two_elements() {
    snapshot_every_wapi_shape(&wapi::MobileTwoElements::new(NAME, MOBILE));
}

#[test]
fn wapi_id_two_elements() {
    snapshot_every_wapi_shape(&wapi::IdTwoElements::new(NAME, ID_NUMBER));
}

#[test]
fn wapi_hash_mode_debug_and_path_prefix() {
    let op = wapi::MobileTwoElements::new(NAME, MOBILE);
    let hash = wapi_config(WapiFormat::Json, Method::Post).with_auth(AuthMode::Hash);
    snapshot(
        "wapi__mobile_two_elements__json__post__hash",
        op.prepare(&hash, NOW).expect("builds"),
    );

    let debug = wapi_config(WapiFormat::Json, Method::Post).with_debug(true);
    snapshot(
        "wapi__mobile_two_elements__json__post__md5__debug",
        op.prepare(&debug, NOW).expect("builds"),
    );

    let prefixed = WapiConfig::new(
        "http://gateway.example:8080/vendors/wapi/",
        "1001",
        Secret::new(WAPI_SECRET),
    )
    .expect("valid config")
    .with_method(Method::Get);
    snapshot(
        "wapi__id_two_elements__json__get__md5__base_url_with_prefix",
        wapi::IdTwoElements::new(NAME, ID_NUMBER)
            .prepare(&prefixed, NOW)
            .expect("builds"),
    );
}

#[test]
fn qxt_mobile_two_elements() {
    let op = qxt::MobileTwoElements::new(NAME, MOBILE);
    for (method_name, method) in METHODS {
        let config = qxt::QxtConfig::new(Secret::new("7c11272a0000fake0000000000000000"))
            .with_method(method);
        snapshot(
            &format!("qxt__mobile_two_elements__json__{method_name}"),
            op.prepare(&config, NOW).expect("builds"),
        );
    }
}

#[test]
fn ihuyi_mobile_status_and_balance() {
    for (mode_name, mode) in [
        ("dynamic", ihuyi::PasswordMode::Dynamic),
        ("static", ihuyi::PasswordMode::Static),
    ] {
        for (method_name, method) in METHODS {
            let config = ihuyi::IhuyiConfig::new(
                "C12345678",
                Secret::new("fakeapikey0000000000000000000000"),
            )
            .with_password_mode(mode)
            .with_method(method);
            let status = ihuyi::MobileStatus::new(MOBILE)
                .prepare(&config, NOW)
                .expect("builds");
            snapshot(
                &format!("ihuyi__mobile_status__json__{method_name}__{mode_name}"),
                status,
            );
            let balance = ihuyi::Balance.prepare(&config, NOW).expect("builds");
            snapshot(
                &format!("ihuyi__balance__json__{method_name}__{mode_name}"),
                balance,
            );
        }
    }
}

#[test]
fn names_with_reserved_characters_are_encoded_not_mangled() {
    // `&`, `=`, `+`, `%` and spaces in a name must not split or alter parameters.
    let op = wapi::MobileTwoElements::new("阿卜杜 & 热合曼=+%", MOBILE);
    let request = op
        .prepare(&wapi_config(WapiFormat::Json, Method::Post), NOW)
        .expect("builds");
    snapshot(
        "wapi__mobile_two_elements__json__post__md5__reserved_characters",
        request,
    );
}

#[test]
fn bad_input_is_a_typed_error_naming_the_field() {
    let config = wapi_config(WapiFormat::Json, Method::Post);
    let cases = [
        (
            wapi::MobileTwoElements::new("", MOBILE).prepare(&config, NOW),
            "name",
        ),
        (
            wapi::MobileTwoElements::new(NAME, " ").prepare(&config, NOW),
            "mobile",
        ),
        (
            wapi::MobileTwoElements::new("李\n雷", MOBILE).prepare(&config, NOW),
            "name",
        ),
        (
            wapi::IdTwoElements::new(NAME, "").prepare(&config, NOW),
            "id_number",
        ),
    ];
    for (result, field) in cases {
        let error = result.expect_err(field);
        assert_eq!(error.field(), field);
        assert!(!error.to_string().contains(NAME), "{error}");
    }
    let bad_callback = wapi_config(WapiFormat::jsonp("alert(1)"), Method::Post);
    let error = wapi::MobileTwoElements::new(NAME, MOBILE)
        .prepare(&bad_callback, NOW)
        .expect_err("callback");
    assert_eq!(error.field(), "callback");

    let no_account = ihuyi::IhuyiConfig::new("", Secret::new("k"));
    assert_eq!(
        ihuyi::Balance
            .prepare(&no_account, NOW)
            .map(|_| ())
            .map_err(|e| e.field()),
        Err("account")
    );
    let no_key = qxt::QxtConfig::new(Secret::new(""));
    assert_eq!(
        qxt::MobileTwoElements::new(NAME, MOBILE)
            .prepare(&no_key, NOW)
            .map(|_| ())
            .map_err(|e| e.field()),
        Err("apikey")
    );
}

#[test]
fn operation_debug_output_masks_personal_data() {
    let shown = format!(
        "{:?} {:?} {:?} {:?}",
        wapi::MobileTwoElements::new(NAME, MOBILE),
        wapi::IdTwoElements::new(NAME, ID_NUMBER),
        qxt::MobileTwoElements::new(NAME, MOBILE),
        ihuyi::MobileStatus::new(MOBILE)
    );
    assert!(
        !shown.contains(NAME) && !shown.contains(MOBILE) && !shown.contains(ID_NUMBER),
        "{shown}"
    );
    let config = format!("{:?}", wapi_config(WapiFormat::Json, Method::Post));
    assert!(!config.contains(WAPI_SECRET), "{config}");
}
