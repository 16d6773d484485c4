//! The status page at `/`: server-rendered HTML, no script. Today's requests and spend by
//! tenant and vendor, the cache hit ratio, vendor error rates and latency. It shows tenant
//! and vendor names and numbers only — never a person — and escapes everything it prints.

use crate::state::AppState;
use crate::time;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// HTML-escapes text for element content and quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The status page.
#[utoipa::path(get, path = "/", responses((status = 200, description = "Status page (HTML)", content_type = "text/html")))]
pub(crate) async fn page(State(state): State<Arc<AppState>>) -> Response {
    let now = time::unix_now();
    let day = time::utc_day(now);
    let today = state.today.snapshot(&day);
    let tenants = state.tenants();
    let mut html = String::with_capacity(4096);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>shiming gateway</title>\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:1.5em}}\
         td,th{{border:1px solid #ccc;padding:.3em .7em;text-align:right}}th:first-child,td:first-child{{text-align:left}}</style>\
         </head><body><h1>shiming gateway</h1>\
         <p id=\"summary\">{day} (UTC) · store <b>{store}</b> · vendors <b>{vendors}</b>{sandbox}</p>",
        day = escape(&day),
        store = escape(state.backend.name()),
        vendors = escape(
            &state
                .vendors
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        sandbox = if state.sandbox {
            " · <b>sandbox</b>: answers are made up"
        } else {
            ""
        },
    );

    html.push_str(
        "<h2>Tenants today</h2><table id=\"tenants\"><tr><th>tenant</th><th>requests</th>\
         <th>refused</th><th>spent here (yuan)</th><th>spent, all gateways (yuan)</th><th>daily budget (yuan)</th></tr>",
    );
    for name in tenants.names() {
        let mine = today.tenants.get(&name).copied().unwrap_or_default();
        let shared = match state.backend.spent(&name, &day).await {
            Ok(units) => format!("{:.4}", units.yuan()),
            Err(_) => "unavailable".to_string(),
        };
        let budget = tenants
            .budget_of(&name)
            .map(|b| format!("{:.2}", b.yuan()))
            .unwrap_or_default();
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.4}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            mine.requests,
            mine.refused,
            mine.spent.yuan(),
            escape(&shared),
            escape(&budget)
        );
    }
    html.push_str("</table>");

    html.push_str(
        "<h2>Vendors today</h2><table id=\"vendors\"><tr><th>vendor</th><th>calls</th><th>errors</th>\
         <th>error rate</th><th>billed</th><th>spent (yuan)</th><th>mean latency (ms)</th><th>max latency (ms)</th></tr>",
    );
    for (vendor, v) in &today.vendors {
        let rate = if v.calls == 0 {
            0.0
        } else {
            v.errors as f64 / v.calls as f64 * 100.0
        };
        let mean = if v.calls == 0 {
            0.0
        } else {
            v.latency_total.as_secs_f64() * 1000.0 / v.calls as f64
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{rate:.1}%</td><td>{}</td><td>{:.4}</td><td>{mean:.1}</td><td>{:.1}</td></tr>",
            escape(vendor),
            v.calls,
            v.errors,
            v.billed,
            v.spent.yuan(),
            v.latency_max.as_secs_f64() * 1000.0
        );
    }
    html.push_str("</table>");

    let lookups = today.cache_hits + today.cache_misses;
    let ratio = if lookups == 0 {
        0.0
    } else {
        today.cache_hits as f64 / lookups as f64 * 100.0
    };
    let _ = writeln!(
        html,
        "<h2>Verdict cache today</h2><p id=\"cache\">{} hits, {} misses: hit ratio {ratio:.1}%</p>\
         <p>Counters are this process's since midnight UTC; \"all gateways\" spend comes from the \
         shared store. Metrics: <a href=\"/metrics\">/metrics</a> · API: <a href=\"/openapi.json\">/openapi.json</a></p>\
         </body></html>",
        today.cache_hits, today.cache_misses
    );
    let mut response = html.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
