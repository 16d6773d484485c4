//! "One vendor, one place" (issue 13): outside a vendor's own folder (`src/vendors/<vendor>/`),
//! only `src/vendors.rs` may name a vendor in code ([`shiming_test_support::tidy`] says what
//! counts).

use shiming_test_support::tidy::vendor_names_outside;
use std::path::Path;

const VENDORS: [&str; 3] = ["wapi", "qxt", "ihuyi"];
const REGISTRY: &str = "src/vendors.rs";

#[test]
fn only_the_registry_names_a_vendor_outside_its_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let offenders = vendor_names_outside(root, REGISTRY, &VENDORS);
    assert!(
        offenders.is_empty(),
        "name vendors only in {REGISTRY} or the vendor's folder: {offenders:#?}"
    );
}
