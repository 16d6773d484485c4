//! The code tables in `docs/vendors/*.md` are rendered from the taxonomy itself: this test
//! fails (and prints the table to paste) whenever a document drifts from the code.

use shiming_codec::taxonomy::{self, CodeEntry};

fn render(table: &[CodeEntry]) -> String {
    let mut out =
        String::from("| code | meaning | kind | billed | retryable |\n|---|---|---|---|---|\n");
    for entry in table {
        let kind = entry.info.kind.map_or("— (answer)", |k| k.as_str());
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            entry.code,
            entry.info.meaning,
            if kind == "— (answer)" {
                kind.to_string()
            } else {
                format!("`{kind}`")
            },
            yes_no(entry.info.billed),
            yes_no(entry.info.retryable),
        ));
    }
    out
}

fn check(doc: &str, tables: &[(&str, &[CodeEntry])]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/vendors")
        .join(doc);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (name, table) in tables {
        let rendered = render(table);
        assert!(
            text.contains(&rendered),
            "docs/vendors/{doc}: the {name} code table differs from the taxonomy; expected:\n\n{rendered}"
        );
    }
}

#[test]
fn wapi_document_lists_the_taxonomy() {
    check("wapi.md", &[("wapi", taxonomy::wapi::TABLE)]);
}

#[test]
fn qxt_document_lists_the_taxonomy() {
    check("qxt.md", &[("QXT", taxonomy::qxt::TABLE)]);
}

#[test]
fn ihuyi_document_lists_the_taxonomy() {
    check(
        "ihuyi.md",
        &[
            ("Submit", taxonomy::ihuyi::SUBMIT),
            ("GetNum", taxonomy::ihuyi::GET_NUM),
        ],
    );
}
