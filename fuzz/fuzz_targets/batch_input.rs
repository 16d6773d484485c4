//! Batch input reader: no panic, every row numbered in order, read size changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
fuzz_target!(|data: &[u8]| {
    shiming_fuzz::batch_input::target(data);
});
