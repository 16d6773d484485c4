//! The Grafana dashboard in docs/ parses and asks only for metrics the gateway exports.
#![allow(clippy::unwrap_used)]

/// Every metric family the gateway exports (see `src/telemetry.rs`).
const EXPORTED: [&str; 7] = [
    "shiming_gateway_requests_total",
    "shiming_gateway_billed_calls_total",
    "shiming_gateway_billed_yuan",
    "shiming_gateway_cache_hits_total",
    "shiming_gateway_cache_misses_total",
    "shiming_gateway_vendor_seconds",
    "shiming_gateway_errors_total",
];

#[test]
fn the_dashboard_queries_exported_metrics_only() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/grafana/gateway.json"
    );
    let dashboard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            let mut rest = expr;
            while let Some(at) = rest.find("shiming_gateway_") {
                let name: String = rest[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let family = name.trim_end_matches("_bucket");
                assert!(EXPORTED.contains(&family), "{name} in {expr}");
                seen.insert(family.to_string());
                rest = &rest[at + name.len()..];
            }
        }
    }
    assert_eq!(
        seen.len(),
        EXPORTED.len(),
        "every metric has a panel: {seen:?}"
    );
}
