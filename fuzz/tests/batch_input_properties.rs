//! The `batch_input` target's properties (`fuzz/src/batch_input.rs`) on random inputs with
//! plain `cargo test` on stable, so CI checks them without nightly or libFuzzer: the fuzzer
//! explores for minutes, this keeps every build honest for a second.

use proptest::prelude::*;

/// Bytes that look like batch files often enough to get past the header.
fn batchish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "(name|姓名|mobile|手机号|电话|证件号码|id_number|13800138000|1.38E\\+10|\"|,|\t|\r|\n|\\{|\\}|:|\\[|x| |1|\u{feff}){0,60}"
            .prop_map(String::into_bytes),
        // Workbook signatures (zip, OLE) in front of junk: the spreadsheet path.
        (
            prop_oneof![
                Just(b"PK\x03\x04".to_vec()),
                Just(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec())
            ],
            proptest::collection::vec(any::<u8>(), 0..300)
        )
            .prop_map(|(magic, rest)| [magic, rest].concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn batch_input_properties_hold(control: u8, file in batchish()) {
        let mut data = vec![control];
        data.extend_from_slice(&file);
        shiming_fuzz::batch_input::target(&data);
    }
}
