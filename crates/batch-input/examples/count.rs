//! Counts the rows of a batch input file: `cargo run -p shiming-batch-input --example count -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: count FILE");
        std::process::exit(2);
    };
    let options = shiming_batch_input::ReadOptions::default();
    match shiming_batch_input::RowReader::open_with(path.as_ref(), &options) {
        Ok(mut reader) => {
            let mut rows = 0u64;
            let mut unreadable = 0u64;
            loop {
                match reader.next_row() {
                    Ok(Some(row)) => {
                        rows += 1;
                        unreadable += u64::from(row.unreadable.is_some());
                    }
                    Ok(None) => break,
                    Err(e) => {
                        eprintln!("{e}");
                        break;
                    }
                }
            }
            eprintln!("{:?}: {rows} rows, {unreadable} unreadable", reader.kind());
        }
        Err(e) => eprintln!("{e}"),
    }
}
