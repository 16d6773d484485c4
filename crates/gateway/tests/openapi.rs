//! The OpenAPI document: in step with the routes, and pinned (a changed API shows up as a
//! snapshot diff to review, `cargo insta review`).
#![allow(clippy::unwrap_used)]

#[test]
fn the_document_lists_exactly_the_routes() {
    let doc: serde_json::Value = serde_json::from_str(&shiming_gateway::openapi_json()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (path.clone(), method.to_ascii_uppercase()))
        })
        .collect();
    let mut routed: Vec<(String, String)> = shiming_gateway::routed()
        .into_iter()
        .map(|(path, method)| (path.to_string(), method.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
}

#[test]
fn the_document_is_pinned() {
    let doc: serde_json::Value = serde_json::from_str(&shiming_gateway::openapi_json()).unwrap();
    insta::assert_json_snapshot!("openapi", doc, { ".info.version" => "[version]" });
}
