//! Peak memory stays small on endless input: the process's high-water mark (Linux `VmHWM`)
//! after reading endless sources is compared with the one before. Its own test binary, with
//! one test, so no other test's allocations count.

use shiming_batch_input::{InputEncoding, RowReader};
use std::io::{Cursor, Read};

/// Peak resident memory so far, in KiB (`None` off Linux).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn endless_input_costs_little_memory() {
    let Some(before) = peak_kib() else {
        eprintln!("skipped: no /proc/self/status");
        return;
    };
    // `batch /dev/zero`: an endless header of NUL bytes.
    assert!(RowReader::from_reader(std::io::repeat(0), InputEncoding::Utf8).is_err());
    // An endless row after a good header, in GBK.
    let mut reader = RowReader::from_reader(
        Cursor::new(b"name,mobile\n".to_vec()).chain(std::io::repeat(b'x')),
        InputEncoding::Gbk,
    )
    .expect("a header");
    assert!(reader.next_row().is_err());
    // An endless UTF-16 header.
    let utf16 = Cursor::new(vec![0xff, 0xfe]).chain(std::io::repeat(b'a'));
    assert!(RowReader::from_reader(utf16, InputEncoding::Utf8).is_err());
    let grown = peak_kib().unwrap_or(before).saturating_sub(before);
    eprintln!("peak memory grew by {grown} KiB");
    assert!(grown < 8 * 1024, "peak memory grew by {grown} KiB");
}
