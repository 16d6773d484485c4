//! Typed decoding against `serde_json::Value` parsing of the same bytes.
//!
//! Targets: the typed JSON decode is
//! at least as fast as a `Value` parse (which does strictly less: no taxonomy, no model), and
//! the XML decode is within 2× of the JSON decode. Run with
//! `cargo bench -p shiming-codec --bench decode`.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use shiming_codec::{Operation, ihuyi, qxt, wapi};

const WAPI_JSON: &str = r#"{"codeid":10000,"message":"成功","retdata":{"bank_status":"01","bank_msg":"一致","bank_name":"李雷","bank_mobile":"13800138000","bank_mobileType":"移动","bank_provider":"","bank_province":"广东","bank_city":"深圳","bank_addrCode":"518000","bank_idCode":"440300","bank_telCode":"0755"},"time":"1700000123"}"#;

const WAPI_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?><root><codeid>10000</codeid><message>成功</message><retdata><bank_status>01</bank_status><bank_msg>一致</bank_msg><bank_name>李雷</bank_name><bank_mobile>13800138000</bank_mobile><bank_mobileType>移动</bank_mobileType><bank_provider></bank_provider><bank_province>广东</bank_province><bank_city>深圳</bank_city><bank_addrCode>518000</bank_addrCode><bank_idCode>440300</bank_idCode><bank_telCode>0755</bank_telCode></retdata><time>1700000123</time></root>"#;

const QXT_JSON: &str = r#"{"code":0,"reason":"Succ","result":{"Mobile":"13800138000","Name":"李*","Status":"一致","Area":"广东-深圳","Now_isp":"中国移动"}}"#;

const QXT_BARE_KEYS: &str = r#"{code: 0, reason: "Succ", result: {Mobile: "13800138000", Name: "李*", Status: "一致", Area: "广东-深圳", Now_isp: "中国移动"}}"#;

const IHUYI_JSON: &str = r#"{"code":2,"msg":"提交成功","idcardid":"17000001230001","result":{"status":2,"info":{"operator_real":2,"time_online":3,"operator":1,"is_xhzw":1}}}"#;

fn response(body: &str) -> http::Response<Vec<u8>> {
    http::Response::new(body.as_bytes().to_vec())
}

/// The `vendor` group: the `Value` parse of the first body (`value_parse_json`), then `op`
/// decoding each body (`typed_decode_<format>`), then whatever `more` adds.
fn decodes<O: Operation>(
    c: &mut Criterion,
    vendor: &str,
    op: &O,
    bodies: &[(&str, String)],
    more: impl FnOnce(&mut BenchmarkGroup<'_, WallTime>),
) {
    let responses: Vec<(&str, http::Response<Vec<u8>>)> = bodies
        .iter()
        .map(|(format, body)| (*format, response(body)))
        .collect();
    let mut group = c.benchmark_group(vendor);
    let first = responses[0].1.body();
    group.bench_function("value_parse_json", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(first)))
    });
    for (format, response) in &responses {
        group.bench_function(format!("typed_decode_{format}"), |b| {
            b.iter(|| op.decode(black_box(response)))
        });
    }
    more(&mut group);
    group.finish();
}

fn bench(c: &mut Criterion) {
    let wapi_bodies = [
        ("json", WAPI_JSON.to_owned()),
        ("jsonp", format!("shiming_cb({WAPI_JSON});")),
        ("xml", WAPI_XML.to_owned()),
    ];
    let wapi_op = wapi::MobileTwoElements::new("李雷", "13800138000");
    decodes(c, "wapi", &wapi_op, &wapi_bodies, |group| {
        // The floor for XML: quick-xml's event loop alone, doing nothing with the events.
        group.bench_function("quick_xml_events_only", |b| {
            b.iter(|| {
                let mut reader = quick_xml::Reader::from_str(black_box(WAPI_XML));
                let mut events = 0usize;
                while !matches!(
                    reader.read_event(),
                    Ok(quick_xml::events::Event::Eof) | Err(_)
                ) {
                    events += 1;
                }
                events
            })
        });
    });

    let qxt_bodies = [
        ("json", QXT_JSON.to_owned()),
        ("bare_keys", QXT_BARE_KEYS.to_owned()),
    ];
    let qxt_op = qxt::MobileTwoElements::new("李雷", "13800138000");
    decodes(c, "qxt", &qxt_op, &qxt_bodies, |_| {});

    let ihuyi_op = ihuyi::MobileStatus::new("13800138000");
    decodes(
        c,
        "ihuyi",
        &ihuyi_op,
        &[("json", IHUYI_JSON.to_owned())],
        |_| {},
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
